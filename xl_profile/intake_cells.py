"""Reading agency spreadsheets: sheets as grids of cells, header titles, and numbers in cells.

Files are read with python-calamine (xlsx, xlsm, xls, ods) or the csv module (csv, in the
mapping's encoding). A grid is a list of rows, each a list of cell values (``""`` for an empty
cell, numbers as floats or ints, text as str).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from .errors import Problem

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
AGENCY_SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")
#: Text a number may carry in a published spreadsheet and that intake reads past.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_POOLED = re.compile(r"^\s*(\S+)\s*(?:to|-|–|—)\s*(\S+)\s*$")
NOT_A_NUMBER = "a number (1,234, 62.3%, £5 allowed), blank or a suppression marker"


class UnreadableFile(Exception):
    """A spreadsheet file the reader cannot open (not a workbook, damaged, or encrypted)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet of an agency file: its name (None for CSV) and its cells."""

    name: str | None
    grid: list[list[object]]


def sheet_names(path: Path) -> list[str]:
    """Names of the sheets in a spreadsheet file, in workbook order."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except CalamineError as exc:
        raise UnreadableFile(str(exc)) from None


def read_sheet(path: Path, sheet: str | None, encoding: str) -> Sheet:
    """The cells of ``sheet`` (a CSV file has one unnamed sheet)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding=encoding, newline="") as handle:
            return Sheet(None, [list(row) for row in csv.reader(handle)])
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return Sheet(sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
    except CalamineError as exc:
        raise UnreadableFile(str(exc)) from None


def pick_sheet(names: list[str], wanted: str | None) -> str | None:
    """The sheet called ``wanted`` or the first matching it as a pattern (``Ward*``)."""
    if wanted is None:
        return names[0] if names else None
    if wanted in names:
        return wanted
    return next((n for n in names if fnmatch(n, wanted)), None)


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, non-breaking spaces as spaces, trimmed."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


def header_titles(grid: list[list[object]], title_row: int, header_rows: int,
                  first: int, last: int | None) -> list[str]:
    """Column titles from the header rows ending at ``title_row`` (1-based).

    A merged title above spans the columns up to the next title on its row, so ``Low birth
    weight`` over ``Number`` and ``%`` gives ``Low birth weight / Number`` and
    ``Low birth weight / %``.
    """
    rows = [grid[r] if r < len(grid) else [] for r in range(title_row - header_rows, title_row)]
    width = max((len(r) for r in rows), default=0) if last is None else last + 1
    titles = [[] for _ in range(width)]
    for position, row in enumerate(rows):
        spans = position < len(rows) - 1  # only titles above the last row span merged cells
        carried = ""
        for column in range(first, width):
            text = cell_text(row[column]) if column < len(row) else ""
            carried = text or (carried if spans else "")
            if carried:
                titles[column].append(carried)
    return [" / ".join(parts) for parts in titles]


def parse_cell(value: object, markers: tuple[str, ...]) -> tuple[float | None, str | None, bool]:
    """``(number, suppression marker, ok)`` of one cell; ok is False for anything else."""
    if value is None or value == "":
        return None, None, True
    if isinstance(value, bool):
        return None, None, False
    if isinstance(value, (int, float)):
        return (float(value), None, True) if math.isfinite(value) else (None, None, False)
    if not isinstance(value, str):  # a date or time
        return None, None, False
    text = value.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None, None, True
    if text.lower() in _marker_set(markers):
        return None, text, True
    text = text.removeprefix("£").removesuffix("%")
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        return None, None, False
    return float(text), None, True


@lru_cache(maxsize=64)
def _marker_set(markers: tuple[str, ...]) -> frozenset[str]:
    return frozenset(m.lower().replace(" ", "") for m in markers)


def pooled_period(text: str) -> str:
    """A period as the tidy file writes it: ``2011/12 to 2013/14`` becomes ``2011/12-2013/14``."""
    match = _POOLED.match(text)
    if match and not re.match(r"^\d{4}-\d{2}$", text.strip()):
        return f"{match.group(1)}-{match.group(2)}"
    return text.strip()


def cell_problem(file: str, sheet: str | None, cell: str, column: str, value: object,
                 markers: tuple[str, ...]) -> Problem:
    """The problem for a cell that is not a number."""
    return Problem(file=file, row=None, column=column, sheet=sheet, cell=cell,
                   message="not a number",
                   expected=f"{NOT_A_NUMBER} ({', '.join(markers)})", found=repr(value))


def encoding_problem(path: Path, encoding: str, exc: UnicodeDecodeError) -> Problem:
    """The problem for text that is not in the encoding a mapping names."""
    return Problem(path.name, None, None, "text is not in the mapping's encoding",
                   expected=f"{encoding} text (set encoding: cp1252 for Windows files)",
                   found=f"byte {exc.object[exc.start]:#04x} at position {exc.start}")
