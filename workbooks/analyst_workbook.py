"""``analyst-workbook.xlsx``: the demo's data on sheets and a worked example of every worksheet
function, for an analyst trying the xlwings add-in.

The formulas are written as text, never as formulas: the workbook opens cleanly in Excel or
LibreOffice without the add-in. Each example shows the value the function must give (computed by
the core when the demo is written) and a yellow cell where the analyst types the formula to
compare. An ``xlwings.conf`` sheet names the module of the functions (``udfs``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xl_profile.demo.analyst import DataSheet, Example, analyst_book
from xl_profile.pipeline import Inputs

from .common import fit_columns, print_setup, saved_workbook, standard_formats, write_value
from .textfit import LINE_POINTS, wrapped_lines

FILE_NAME = "analyst-workbook.xlsx"
READ_ME_WIDTH = 110
#: Rows of a data sheet that print: the whole attendance list would be thousands of pages.
PRINTED_DATA_ROWS = 50
READ_ME = [
    "Worksheet functions: worked examples on the demo borough's data",
    "The Examples sheet has one example (or more) of every =CC_... function. With the xlwings "
    "add-in installed (install.bat) and its functions imported, type the formula shown into the "
    "yellow cell below it: the result must match the expected values above the cell.",
    "The data sheets hold the demo's fictional data: attendances from its centre extract "
    "(pseudonymous ids only), reach areas, populations, centroids, small areas and scores.",
    "The xlwings.conf sheet tells the add-in which module holds the functions (udfs).",
    "Function reference: docs/udfs.md. Circulated workbooks never need the add-in.",
    f"The data sheets are for formulas, not for paper: each prints its heading and first "
    f"{PRINTED_DATA_ROWS} rows only.",
]


def analyst_step(build_file: Path):
    """A build step (see ``workbooks.build.build_all``) writing the analyst workbook of the
    demo build ``build_file``."""
    def step(_config, inputs: Inputs, out_dir: Path, _built_on) -> list[Path]:
        return [write_analyst_workbook(build_file, inputs, out_dir)]
    return step


def write_analyst_workbook(build_file: Path, inputs: Inputs, out_dir: Path) -> Path:
    """Write ``out_dir/analyst-workbook.xlsx`` for the demo build ``build_file``."""
    sheets, examples = analyst_book(build_file, inputs)
    path = out_dir / FILE_NAME
    with saved_workbook(path, "Worksheet functions: worked examples",
                        constant_memory=True) as workbook:
        formats = standard_formats(workbook)
        formats["expected"] = workbook.add_format({"font_name": "Calibri", "font_size": 10,
                                                   "bg_color": "#E2EFDA", "border": 1})
        formats["type_here"] = workbook.add_format({"font_name": "Calibri", "font_size": 10,
                                                    "bg_color": "#FFF2CC", "border": 2})
        _read_me(workbook.add_worksheet("Read me"), sheets, formats)
        _examples(workbook.add_worksheet("Examples"), examples, formats)
        for sheet in sheets:
            _data(workbook.add_worksheet(sheet.name), sheet, formats)
        config = workbook.add_worksheet("xlwings.conf")
        config.write_string(0, 0, "UDF Modules")
        config.write_string(0, 1, "udfs")
        config.print_area(0, 0, 0, 1)
    return path


def _read_me(sheet, sheets: list[DataSheet], formats: dict[str, Any]) -> None:
    sheet.write_string(0, 0, READ_ME[0], formats["title"])
    lines = READ_ME[1:] + [f"{data.name}: {data.note}" for data in sheets]
    for row, text in enumerate(lines, start=2):
        sheet.write_string(row, 0, text, formats["wrap"])
        sheet.set_row(row, LINE_POINTS * wrapped_lines(text, READ_ME_WIDTH) + 3)
    sheet.set_column(0, 0, READ_ME_WIDTH)


def _examples(sheet, examples: list[Example], formats: dict[str, Any]) -> None:
    """Per example: name, what it shows and the formula; the expected cells; the cell to type
    the formula in, with room below and right for what it spills."""
    for col, title in enumerate(["function", "what it shows", "formula to type"]):
        sheet.write_string(0, col, title, formats["heading"])
    print_setup(sheet, "Worksheet functions: examples", repeat_rows=(0, 0))
    row = 2
    for example in examples:
        sheet.write_string(row, 0, example.function, formats["bold"])
        sheet.write_string(row, 1, example.what, formats["wrap"])
        sheet.write_string(row, 2, example.formula)
        sheet.write_string(row + 1, 1, "expected", formats["note_line"])
        for r, cells in enumerate(example.expected, start=row + 1):
            if r > row + 1:
                sheet.write_blank(r, 1, None)
            for c, value in enumerate(cells, start=2):
                write_value(sheet, r, c, value, formats["expected"])
        typed = row + 1 + len(example.expected)
        sheet.write_string(typed, 1, "type the formula here", formats["note_line"])
        sheet.write_blank(typed, 2, None, formats["type_here"])
        row = typed + len(example.expected) + 2
    fit_columns(sheet, {0: 18, 1: 40, 2: 60})


def _data(sheet, data: DataSheet, formats: dict[str, Any]) -> None:
    for c, title in enumerate(data.rows[0]):
        sheet.write_string(0, c, str(title), formats["heading"])
    for r, cells in enumerate(data.rows[1:], start=1):
        for c, value in enumerate(cells):
            write_value(sheet, r, c, value, formats["date"] if c == 1 and
                        data.name == "Attendances" else None)
    sheet.freeze_panes(1, 0)
    fit_columns(sheet, {c: 14 for c in range(len(data.rows[0]))})
    print_setup(sheet, f"Worksheet functions: {data.name}", repeat_rows=(0, 0))
    sheet.print_area(0, 0, min(len(data.rows) - 1, PRINTED_DATA_ROWS), len(data.rows[0]) - 1)
