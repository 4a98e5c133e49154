"""The SEF workbook a centre manager fills in: ``sef-<centre>.xlsx``.

Sheets A (facts), B (performance figures, read-only), C (self-evaluation, graded 1-4 with
evidence), D (priorities and actions) and a hidden Identity sheet. Every sheet is protected without
a password except its input cells, and every input cell has a workbook-level defined name, so the
form is read back through names, never positions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xl_profile.atomic import atomic_output
from xl_profile.sef import model
from xl_profile.sef.layout import (
    C_HEADINGS,
    C_TITLE,
    D_TITLE,
    GUIDANCE,
    a_title,
    b_title,
)
from xl_profile.sef.model import FIELDS, FormSpec, InputField, Kind
from xl_profile.sef.part_b import COLUMNS
from xl_profile.sef.values import canonical, inputs_hash, row_hash, table_hash

from .common import (
    gc_paused,
    new_workbook,
    print_setup,
    release_cells,
    wrapped_height,
    write_value,
)

GRADE_MESSAGE = "1 outstanding\n2 good\n3 satisfactory\n4 inadequate"
FIGURE_WIDTHS = [11, 16, 40, 9, 9, 9, 9, 13, 9, 9, 9, 9, 36, 18, 10]


#: Start of the zip comment that holds the fingerprint of a form as generated. Excel,
#: LibreOffice and openpyxl drop the comment when they save, so a form saved since is never
#: taken for an untouched one.
FINGERPRINT = b"xl-profile SEF as generated: sha256 "


def write_sef_form(path: Path, spec: FormSpec) -> Path:
    """Write one centre's form to ``path`` (atomically), fingerprinted, and return it."""
    title = a_title(spec.year, spec.centre_name)
    with atomic_output(path) as tmp, gc_paused():
        workbook = new_workbook(tmp, title, subject="Children's centre self-evaluation form")
        try:
            _write_sheets(workbook, spec)
        finally:
            workbook.close()
            release_cells(workbook)
        _stamp(tmp)
    return path


def _write_sheets(workbook: Workbook, spec: FormSpec) -> None:
    formats = _formats(workbook)
    initial = spec.initial_values
    sheets = {name: workbook.add_worksheet(name) for name in
              (model.SHEET_A, model.SHEET_B, model.SHEET_C, model.SHEET_D)}
    _facts_sheet(sheets[model.SHEET_A], spec, formats)
    _figures_sheet(workbook, sheets[model.SHEET_B], spec, formats)
    _self_evaluation_sheet(sheets[model.SHEET_C], formats)
    _priorities_sheet(sheets[model.SHEET_D], formats)
    for field in FIELDS:
        _input_cell(workbook, sheets[field.sheet], field, initial.get(field.name), formats)
    _identity_sheet(workbook, spec, initial)
    for name, sheet in sheets.items():
        _finish(sheet, a_title(spec.year, spec.centre_name), landscape=name == model.SHEET_B)


def _digest(archive: zipfile.ZipFile) -> bytes:
    """A hash of every part of the workbook (names and contents), whatever the zip's layout."""
    digest = hashlib.sha256()
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        data = archive.read(info)
        for piece in (info.filename.encode("utf-8"), data):
            digest.update(len(piece).to_bytes(8, "big") + piece)
    return digest.hexdigest().encode("ascii")


def _stamp(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = FINGERPRINT + _digest(archive)


def is_as_generated(path: Path) -> bool:
    """True when ``path`` is a form exactly as xl-profile wrote it: no program has saved it
    since (its fingerprint is there and matches every part)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.comment == FINGERPRINT + _digest(archive)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError):
        return False


def _formats(workbook: Workbook) -> dict[str, Any]:
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

    def fmt(**extra: Any) -> Any:
        return workbook.add_format({**base, **extra})

    unlocked = {"locked": False, "border": 1, "bg_color": "#FFFFFF", "border_color": "#7F7F7F"}
    return {
        "title": fmt(bold=True, font_size=14, font_color="#1F4E79"),
        "guide": fmt(italic=True, font_color="#404040", text_wrap=True),
        "label": fmt(bold=True, text_wrap=True, bg_color="#DDEBF7", border=1),
        "fixed": fmt(text_wrap=True, bg_color="#F2F2F2", border=1),
        "heading": fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E79", border=1,
                       text_wrap=True),
        "cell": fmt(border=1, text_wrap=True),
        "number": fmt(border=1, num_format="#,##0.0"),
        "count": fmt(border=1, num_format="#,##0"),
        # Text ("@"): Excel keeps a typed "01/04/2008", "9:00" or "01234" as the text typed
        Kind.LINE: fmt(num_format="@", **unlocked),
        Kind.TEXT: fmt(num_format="@", text_wrap=True, **unlocked),
        Kind.GRADE: fmt(align="center", bold=True, font_size=14, **unlocked),
        Kind.DATE: fmt(num_format="dd/mm/yyyy", align="left", **unlocked),
    }


def _heading(sheet: Worksheet, title: str, name: str, formats: dict[str, Any], width: int) -> None:
    sheet.write_string(0, 0, title, formats["title"])
    for i, line in enumerate(GUIDANCE[name], start=1):
        sheet.merge_range(i, 0, i, width - 1, line, formats["guide"])
        sheet.set_row(i, 27)


def _facts_sheet(sheet: Worksheet, spec: FormSpec, formats: dict[str, Any]) -> None:
    _heading(sheet, a_title(spec.year, spec.centre_name), model.SHEET_A, formats, 2)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 90)
    row = model.FIRST_INPUT_ROW
    for label, value in (("Centre", spec.centre_name), ("Cluster", spec.cluster_name)):
        sheet.write_string(row, 0, label, formats["label"])
        sheet.write_string(row, 1, value, formats["fixed"])
        row += 1


def _figures_sheet(workbook: Workbook, sheet: Worksheet, spec: FormSpec,
                   formats: dict[str, Any]) -> None:
    _heading(sheet, b_title(spec.centre_name), model.SHEET_B, formats, len(COLUMNS))
    header = model.FIRST_INPUT_ROW - 1
    for col, (title, width) in enumerate(zip(COLUMNS, FIGURE_WIDTHS)):
        sheet.write_string(header, col, title, formats["heading"])
        sheet.set_column(col, col, width)
    first = header + 1
    wrapped = [i for i, width in enumerate(FIGURE_WIDTHS) if width >= 16]
    for r, row in enumerate(spec.figures, start=first):
        height = wrapped_height([(str(row[i] or ""), FIGURE_WIDTHS[i]) for i in wrapped
                                 if i < len(row)])
        if height:
            sheet.set_row(r, height)
        count = str(row[0]).startswith("VOLUME_")
        for c, value in enumerate(row):
            fmt = formats["cell"]
            if isinstance(value, (int, float)):
                fmt = formats["count" if count else "number"]
            write_value(sheet, r, c, value, fmt)
    last = first + max(len(spec.figures), 1) - 1
    workbook.define_name(model.FIGURES_NAME, "=" + quote_sheetname(model.SHEET_B) + "!"
                         + xl_range_abs(first, 0, last, len(COLUMNS) - 1))
    sheet.repeat_rows(header)
    sheet.freeze_panes(first, 3)


def _self_evaluation_sheet(sheet: Worksheet, formats: dict[str, Any]) -> None:
    _heading(sheet, C_TITLE, model.SHEET_C, formats, 3)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 11)
    sheet.set_column(2, 2, 95)
    for col, title in enumerate(C_HEADINGS):
        sheet.write_string(model.FIRST_INPUT_ROW, col, title, formats["heading"])
    sheet.repeat_rows(model.FIRST_INPUT_ROW)
    for i, (_key, label) in enumerate(model.AREAS):
        row = model.FIRST_INPUT_ROW + 1 + i
        sheet.write_string(row, 0, label, formats["label"])
        sheet.set_row(row, 150)


def _priorities_sheet(sheet: Worksheet, formats: dict[str, Any]) -> None:
    _heading(sheet, D_TITLE, model.SHEET_D, formats, 4)
    for col, width in enumerate((30, 70, 22, 14)):
        sheet.set_column(col, col, width)
    for i, (_key, label) in enumerate(model.D_TEXTS):
        sheet.write_string(model.FIRST_INPUT_ROW + i, 0, label, formats["label"])
        sheet.set_row(model.FIRST_INPUT_ROW + i, 140)
    header = model.FIRST_INPUT_ROW + len(model.D_TEXTS) + 1
    for col, title in enumerate(("", *(label for _k, label, _kind in model.ACTION_COLUMNS))):
        if title:
            sheet.write_string(header, col, title, formats["heading"])
    for n in range(model.ACTION_ROWS):
        sheet.write_number(header + 1 + n, 0, n + 1, formats["label"])
        sheet.set_row(header + 1 + n, 45)


def _input_cell(workbook: Workbook, sheet: Worksheet, field: InputField, value: object,
                formats: dict[str, Any]) -> None:
    fmt = formats[field.kind]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        sheet.write_datetime(field.row, field.col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        write_value(sheet, field.row, field.col, value if value != "" else None, fmt)
    if field.kind is Kind.GRADE:
        sheet.data_validation(field.row, field.col, field.row, field.col, {
            "validate": "list", "source": ["1", "2", "3", "4"],
            "input_title": "Grade 1-4", "input_message": GRADE_MESSAGE,
            "error_title": "Grade 1, 2, 3 or 4", "error_type": "stop",
            "error_message": "Please pick a grade from the list:\n" + GRADE_MESSAGE})
    if field.part == "A":  # part A's labels sit beside their inputs
        sheet.write_string(field.row, 0, field.label, formats["label"])
        sheet.set_row(field.row, 75 if field.kind is Kind.TEXT else 20)
    workbook.define_name(field.name, "=" + quote_sheetname(field.sheet) + "!"
                         + xl_rowcol_to_cell(field.row, field.col, True, True))


def _identity_sheet(workbook: Workbook, spec: FormSpec, initial: dict[str, object]) -> None:
    sheet = workbook.add_worksheet(model.SHEET_IDENTITY)
    figures = [tuple(row) for row in spec.figures]
    values = {
        "SEF_CentreCode": spec.centre_code, "SEF_CentreName": spec.centre_name,
        "SEF_Year": spec.year, "SEF_FormVersion": model.FORM_VERSION,
        "SEF_PartBHash": table_hash(figures),
        "SEF_RowHashes": " ".join(row_hash(r) for r in figures),
        "SEF_InputsHash": inputs_hash({f.name: canonical(initial.get(f.name)) for f in FIELDS}),
        "SEF_Cluster": spec.cluster_name,
    }
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 60)
    for row, name in enumerate(model.IDENTITY_FIELDS):
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, values[name])
        workbook.define_name(name, "=" + quote_sheetname(model.SHEET_IDENTITY) + "!"
                             + xl_rowcol_to_cell(row, 1, True, True))
    sheet.protect("", {"select_locked_cells": True})
    sheet.hide()


def _finish(sheet: Worksheet, title: str, *, landscape: bool) -> None:
    print_setup(sheet, title, landscape=landscape)
    sheet.protect("", {"format_rows": True, "format_columns": True,
                       "select_locked_cells": True, "select_unlocked_cells": True})
