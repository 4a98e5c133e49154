"""The bare-xlsxwriter floor for the cluster profile benchmark: the same cells, charts and images.

A build is recorded once (untimed): every cell written (strings, numbers, formulas, links, merged
ranges, the header cells of tables), every chart with every call that shapes it (series with their
per-point fills and error bars, combined lines, titles, axes, size) and every picture (the map
PNGs, as bytes), sheet by sheet in the order they were made. The floor replays that record into a
workbook with bare xlsxwriter, zipped from memory with the cyclic garbage collector paused and the
closed workbook's cells released, as the build does, but with no cell formats, tables, names, print settings or computing. What the floor
leaves out is exactly the cost of the profile over writing its content.

Blank cells in the build carry only a format, so the floor (without formats) writes none; the
benchmark therefore compares cells with a value (``<v>`` in the sheet XML).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbooks.common import release_cells

#: Worksheet calls that put content on a sheet (add_table is replayed as its header cells;
#: sparklines as they are, options and all, since each is content a reader sees).
SHEET_CALLS = ("write_string", "write_number", "write_blank", "write_formula", "write_boolean",
               "write_datetime", "write_url", "merge_range", "insert_chart", "insert_image",
               "add_table", "add_sparkline")
#: Chart calls that shape what a chart draws.
CHART_CALLS = ("add_series", "combine", "set_title", "set_x_axis", "set_y_axis", "set_legend",
               "set_size", "show_hidden_data")


@dataclass(frozen=True)
class ChartRef:
    index: int


@dataclass(frozen=True)
class ImageBytes:
    data: bytes


@dataclass
class BookRecord:
    """One workbook's content: its sheets in order and every content call."""

    name: str
    sheets: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    #: (kind "sheet" or "chart", index, method, args, kwargs, refers): ``refers`` when an
    #: argument is a chart or picture the replay must put in.
    calls: list[tuple[str, int, str, tuple, dict, bool]] = field(default_factory=list)


def _plain(value: Any, refers: list[bool]) -> Any:
    """A call argument without formats; charts and pictures as references the replay revives
    (``refers`` is set when there is one)."""
    if isinstance(value, Format):
        return None
    if isinstance(value, Chart):
        refers[0] = True
        return ChartRef(value._floor_index)
    if isinstance(value, io.BytesIO):
        refers[0] = True
        return ImageBytes(value.getvalue())
    if isinstance(value, dict):
        return {k: _plain(v, refers) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v, refers) for v in value)
    return copy.copy(value)


def _revive(value: Any, charts: list[Chart]) -> Any:
    if isinstance(value, ChartRef):
        return charts[value.index]
    if isinstance(value, ImageBytes):
        return io.BytesIO(value.data)
    if isinstance(value, dict):
        return {k: _revive(v, charts) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_revive(v, charts) for v in value)
    return value


@contextlib.contextmanager
def recording() -> Iterator[list[BookRecord]]:
    """Record every workbook written inside the block (content calls only)."""
    books: list[BookRecord] = []
    originals: list[tuple[type, str, Any]] = []

    def patch(cls: type, name: str, make) -> None:
        original = getattr(cls, name)
        originals.append((cls, name, original))
        setattr(cls, name, make(original))

    def on_init(original):
        def init(self, filename=None, options=None):
            original(self, filename, options)
            self._floor_record = BookRecord(Path(str(filename)).name)
            books.append(self._floor_record)
        return init

    def on_add_worksheet(original):
        def add_worksheet(self, name=None, *args, **kwargs):
            sheet = original(self, name, *args, **kwargs)
            sheet._floor_record, sheet._floor_index = self._floor_record, len(
                self._floor_record.sheets)
            self._floor_record.sheets.append(sheet.name)
            return sheet
        return add_worksheet

    def on_add_chart(original):
        def add_chart(self, options):
            chart = original(self, options)
            chart._floor_record, chart._floor_index = self._floor_record, len(
                self._floor_record.charts)
            self._floor_record.charts.append(copy.deepcopy(options))
            return chart
        return add_chart

    def on_call(kind: str, name: str):
        def wrap(original):
            def call(self, *args, **kwargs):
                record = getattr(self, "_floor_record", None)  # None: xlsxwriter's own setup
                if record is not None:
                    refers = [False]
                    plain = (_plain(args, refers), _plain(kwargs, refers))
                    record.calls.append((kind, self._floor_index, name, *plain, refers[0]))
                return original(self, *args, **kwargs)
            return call
        return wrap

    patch(Workbook, "__init__", on_init)
    patch(Workbook, "add_worksheet", on_add_worksheet)
    patch(Workbook, "add_chart", on_add_chart)
    for name in SHEET_CALLS:
        patch(Worksheet, name, on_call("sheet", name))
    for name in CHART_CALLS:
        patch(Chart, name, on_call("chart", name))
    try:
        yield books
    finally:
        for cls, name, original in reversed(originals):
            setattr(cls, name, original)


def replay(record: BookRecord, path: Path) -> None:
    """Write ``record``'s cells, charts and pictures with bare xlsxwriter to ``path``."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
        sheets = [workbook.add_worksheet(name) for name in record.sheets]
        charts = [workbook.add_chart(copy.deepcopy(options)) for options in record.charts]
        for kind, index, name, args, kwargs, refers in record.calls:
            target = sheets[index] if kind == "sheet" else charts[index]
            if name == "add_table":
                first_row, first_col, _last_row, _last_col, options = args
                for i, column in enumerate(options["columns"]):
                    target.write_string(first_row, first_col + i, column["header"])
            elif refers:
                getattr(target, name)(*_revive(args, charts), **_revive(kwargs, charts))
            else:
                getattr(target, name)(*args, **kwargs)
        workbook.close()
        release_cells(workbook)  # freed as the build frees its own
    finally:
        if was_enabled:
            gc.enable()


def content_counts(paths: list[Path]) -> dict[str, int]:
    """Cells with a value, charts and pictures in the workbooks at ``paths``."""
    cells = charts = images = 0
    for path in paths:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    cells += z.read(name).count(b"<v>")
                elif name.startswith("xl/charts/chart"):
                    charts += 1
                elif name.startswith("xl/media/"):
                    images += 1
    return {"cells": cells, "charts": charts, "images": images}
