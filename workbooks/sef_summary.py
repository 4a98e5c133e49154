"""The authority's SEF summary workbook (``sef-summary.xlsx``).

Sheets: Grades (a heat map with the number in every cell, so it prints in grey), Texts (every
text in full), Key figures (part B by centre), Changes (from the previous summary), Problems (one
row per problem: file, sheet, cell, defined name).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xl_profile.errors import InputError, Problem
from xl_profile.sef import model
from xl_profile.sef.review import ReviewedForm
from xl_profile.sef.summary import Summary, grade_keys, text_rows

from .common import print_setup, saved_workbook, text_height, wrapped_height, write_value

GRADE_COLOURS = {1: "#1E7B34", 2: "#9BD39F", 3: "#FFD966", 4: "#E06666"}
GRADE_FONTS = {1: "#FFFFFF", 2: "#000000", 3: "#000000", 4: "#000000"}
SUMMARY_SHEETS = ("Grades", "Texts", "Key figures", "Changes", "Problems")


class SummaryBook:
    """The summary workbook being written: texts go in as forms are read (so that work overlaps
    reading the next forms), the other sheets once every form is in."""

    def __init__(self, workbook: Workbook):
        self.formats = _formats(workbook)
        self.sheets = {name: workbook.add_worksheet(name) for name in SUMMARY_SHEETS}
        self.text_row = _texts_heading(self.sheets["Texts"], self.formats)

    def add_texts(self, form: ReviewedForm) -> None:
        """Every text of ``form``, under a heading naming the centre."""
        self.text_row = _texts_of(self.sheets["Texts"], form, self.text_row, self.formats)

    def finish(self, summary: Summary) -> None:
        """Grades, key figures, changes and problems (the texts must all have been added)."""
        _grades_sheet(self.sheets["Grades"], summary, self.formats)
        _figures_sheet(self.sheets["Key figures"], summary, self.formats)
        _changes_sheet(self.sheets["Changes"], summary, self.formats)
        _problems_sheet(self.sheets["Problems"], summary, self.formats)


@contextlib.contextmanager
def summary_book(path: Path) -> Iterator[SummaryBook]:
    """A summary workbook written to a temporary file, renamed to ``path`` only if all goes well.

    Cells are kept in memory with shared strings (each centre code and name stored once) and
    written out on closing: faster than streaming rows here, where texts dominate.
    """
    with saved_workbook(path, "Children's centre self-evaluation summary",
                        subject="SEF summary") as workbook:
        yield SummaryBook(workbook)


def write_summary(path: Path, summary: Summary) -> Path:
    """Write the summary workbook atomically, texts in the order of ``summary.forms``."""
    with summary_book(path) as book:
        for form in summary.forms:
            book.add_texts(form)
        book.finish(summary)
    return path


def _formats(workbook: Workbook) -> dict[Any, Any]:
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

    def fmt(**extra: Any) -> Any:
        return workbook.add_format({**base, **extra})

    formats: dict[Any, Any] = {
        "title": fmt(bold=True, font_size=14, font_color="#1F4E79"),
        "note": fmt(italic=True, font_color="#404040"),
        "heading": fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E79", border=1,
                       text_wrap=True, valign="bottom"),
        "key": fmt(font_size=7, font_color="#595959", border=1),
        "cell": fmt(border=1),
        "wrap": fmt(border=1, text_wrap=True),
        "number": fmt(border=1, num_format="#,##0.0"),
        "estimated": fmt(border=1, num_format="#,##0.0", italic=True, bg_color="#EDEDED"),
        "centre": fmt(bold=True, bg_color="#DDEBF7", border=1),
        "missing": fmt(border=1, align="center", italic=True, font_color="#595959",
                       pattern=8, fg_color="#D9D9D9"),
    }
    for grade, colour in GRADE_COLOURS.items():
        formats[grade] = fmt(border=1, align="center", bold=True, font_size=12, bg_color=colour,
                             font_color=GRADE_FONTS[grade])
    return formats


def _title(sheet: Worksheet, title: str, lines: list[str], formats: dict[Any, Any]) -> int:
    sheet.write_string(0, 0, title, formats["title"])
    for i, line in enumerate(lines, start=1):
        sheet.write_string(i, 0, line, formats["note"])
    return len(lines) + 2


def _header(sheet: Worksheet, row: int, titles: list[str], formats: dict[Any, Any],
            keys: list[str] | None = None, height: float | None = None) -> int:
    if height is not None:
        sheet.set_row(row, height)
    for col, title in enumerate(titles):
        sheet.write_string(row, col, title, formats["heading"])
    if keys is None:
        return row + 1
    for col, key in enumerate(keys):
        sheet.write_string(row + 1, col, key, formats["key"])
    return row + 2


def _grades_sheet(sheet: Worksheet, summary: Summary, formats: dict[Any, Any]) -> None:
    legend = "  ".join(f"{g} {w}" for g, w in model.GRADES.items())
    row = _title(sheet, f"Self-evaluation grades {summary.year}", [
        f"Grades as the centres gave them: {legend}. A hatched cell says 'missing': no grade "
        "could be read (see Problems).", f"{len(summary.forms)} form(s) read."], formats)
    areas = [f.area for f in model.GRADE_FIELDS]
    row = _header(sheet, row, ["Cluster", "Centre", "Code", *areas, "File"], formats,
                  ["", "", "centre code", *grade_keys(), "file"], height=45)
    for form in summary.forms:
        write_value(sheet, row, 0, form.cluster, formats["cell"])
        write_value(sheet, row, 1, form.centre_name, formats["cell"])
        write_value(sheet, row, 2, form.centre_code, formats["cell"])
        for col, key in enumerate(grade_keys(), start=3):
            grade = form.grades.get(key)
            if grade is None:
                sheet.write_string(row, col, "missing", formats["missing"])
            else:
                sheet.write_number(row, col, grade, formats[grade])
        sheet.write_string(row, 3 + len(areas), form.file, formats["cell"])
        row += 1
    _columns(sheet, [12, 30, 9] + [11] * len(areas) + [36])
    print_setup(sheet, "Self-evaluation grades")


def _texts_heading(sheet: Worksheet, formats: dict[Any, Any]) -> int:
    row = _title(sheet, "Everything the centres wrote", [
        "Every text in full, centre by centre in the order of the files, each in the form's "
        "order. A text longer than one printed row continues on the next ('part 2 of 3')."],
        formats)
    _columns(sheet, [8, 30, 100])
    print_setup(sheet, "Self-evaluation texts")
    return _header(sheet, row, ["Code", "Item and defined name", "Text"], formats)


def _texts_of(sheet: Worksheet, form: ReviewedForm, row: int, formats: dict[Any, Any]) -> int:
    sheet.merge_range(row, 0, row, 2, f"{form.centre_name} ({form.centre_code}), {form.cluster}"
                      f" cluster, {form.year}: {form.file}", formats["centre"])
    row += 1
    for _part, item, name, text in text_rows(form):
        height = text_height(text, 100)
        if height:
            sheet.set_row(row, height)
        sheet.write_string(row, 0, form.centre_code, formats["wrap"])
        sheet.write_string(row, 1, f"{item}\n{name}", formats["wrap"])
        sheet.write_string(row, 2, text, formats["wrap"])
        row += 1
    return row


def _figures_sheet(sheet: Worksheet, summary: Summary, formats: dict[Any, Any]) -> None:
    row = _title(sheet, f"Part B key figures by centre, {summary.year}", [
        "Each centre's own figure as printed on its form. Blank: withheld on the form (too few "
        "to show, or no data); grey italic: an estimate."], formats)
    codes = [c for c, _t in summary.figure_codes]
    titles = [t for _c, t in summary.figure_codes]
    row = _header(sheet, row, ["Cluster", "Centre", "Code", *titles], formats,
                  ["", "", "centre code", *codes], height=60)
    for form in summary.forms:
        figures = summary.figures[form.file]
        for col, value in enumerate((form.cluster, form.centre_name, form.centre_code)):
            sheet.write_string(row, col, value, formats["cell"])
        for col, code in enumerate(codes, start=3):
            figure = figures.get(code)
            fmt = formats["estimated" if figure is not None and figure.estimated else "number"]
            write_value(sheet, row, col, figure.value if figure else None, fmt)
        row += 1
    _columns(sheet, [12, 30, 9] + [12] * len(codes))
    print_setup(sheet, "Part B key figures")
    sheet.fit_to_pages(max(1, len(codes) // 14), 0)  # about 14 figures a page, readable
    sheet.repeat_columns(0, 2)


def _changes_sheet(sheet: Worksheet, summary: Summary, formats: dict[Any, Any]) -> None:
    if summary.changes is None:
        _title(sheet, "Changes from the previous summary", [
            "No previous summary was given (xl-profile sef collect ... --previous "
            "LAST_SUMMARY.xlsx)."], formats)
        return
    row = _title(sheet, "Changes from the previous summary", [
        "Grades: 'better' when the number fell (1 is outstanding). Figures: the centre's own "
        "figure, with the difference.", f"{len(summary.changes)} change(s)."], formats)
    row = _header(sheet, row, ["Cluster", "Centre", "Code", "What", "Previous", "Now",
                               "Change"], formats)
    for values in summary.changes:
        for col, value in enumerate(values):
            write_value(sheet, row, col, value,
                        formats["number"] if isinstance(value, float) else formats["cell"])
        row += 1
    _columns(sheet, [12, 30, 9, 40, 10, 10, 16])
    print_setup(sheet, "Changes from the previous summary")


def _problems_sheet(sheet: Worksheet, summary: Summary, formats: dict[Any, Any]) -> None:
    row = _title(sheet, "Problems found in the forms", [
        f"{len(summary.problems)} problem(s). A problem never removes a form from the summary; "
        "cells are where the defined name points now."], formats)
    row = _header(sheet, row, ["File", "Sheet", "Cell", "Defined name", "Problem", "Detail"],
                  formats)
    for problem in summary.problems:
        height = wrapped_height([(problem.detail, 80)])
        if height:
            sheet.set_row(row, height)
        for col, value in enumerate(problem.as_row()):
            sheet.write_string(row, col, value, formats["wrap"])
        row += 1
    _columns(sheet, [36, 18, 12, 28, 26, 80])
    print_setup(sheet, "Problems found in the forms")


def _columns(sheet: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


def summary_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook ([] when it cannot be read as one)."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - calamine errors share no base; not a summary
        return []
    try:
        return list(book.sheet_names)
    finally:
        book.close()


def read_previous(path: Path) -> dict[tuple[str, str], object]:
    """(centre code, key) -> value from a previous summary's Grades and Key figures sheets."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # missing, locked or corrupt: one clear error
        raise InputError(Problem(str(path), None, None, "previous summary cannot be read",
                                 "an sef-summary.xlsx written by 'xl-profile sef collect'",
                                 f"{type(exc).__name__}: {exc}")) from None
    try:
        if not {"Grades", "Key figures"} <= set(book.sheet_names):
            raise InputError(Problem(str(path), None, None, "not a SEF summary",
                                     "sheets Grades and Key figures",
                                     ", ".join(book.sheet_names)))
        values: dict[tuple[str, str], object] = {}
        for name in ("Grades", "Key figures"):
            _keyed(book.get_sheet_by_name(name).to_python(skip_empty_area=False), values)
        return values
    finally:
        book.close()


def _keyed(rows: list[list[object]], values: dict[tuple[str, str], object]) -> None:
    """Read a sheet whose key row holds 'centre code' and then one key per column."""
    keys = next((r for r in rows if len(r) > 2 and r[2] == "centre code"), None)
    if keys is None:
        return
    for row in rows[rows.index(keys) + 1:]:
        code = row[2] if len(row) > 2 else ""
        if not code:
            continue
        for col in range(3, min(len(keys), len(row))):
            if keys[col] and keys[col] != "file":
                values.setdefault((str(code), str(keys[col])), row[col]
                                  if isinstance(row[col], (int, float)) else None)
