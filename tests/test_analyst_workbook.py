"""The demo's analyst workbook: data on sheets, an xlwings.conf sheet naming the functions'
module, and a worked example of every worksheet function whose formula, read against the
workbook's own data, gives the value shown; it opens cleanly in LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

import udfs
from excel_shapes import demo_inputs
from realclient import PDF_FILTER, convert, error_cells, recalculated
from workbooks.analyst_workbook import FILE_NAME, write_analyst_workbook
from xl_profile.demo.analyst import column_letter

REFERENCE = re.compile(r"^(?:'([^']+)'|([A-Za-z][\w.]*))!([A-Z]+)(\d*)(?::([A-Z]+)(\d*))?$")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("analyst")
    build, inputs = demo_inputs(folder / "data")
    return write_analyst_workbook(build, inputs, folder)


@pytest.fixture(scope="module")
def workbook(book):
    return openpyxl.load_workbook(book)


def split_arguments(text: str) -> list[str]:
    """The top-level arguments of a formula call (commas inside quotes or brackets kept)."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return parts + [current.strip()]


def column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def cell_value(value):
    """An openpyxl cell value as Excel passes it to a function."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, dt.datetime)):
        return value
    return float(value)


def resolve(argument: str, workbook):
    """A formula argument's value as Excel would pass it (ranges from the workbook itself)."""
    if argument == "":
        return None
    if argument.startswith('"'):
        return argument.strip('"')
    if argument.startswith("DATE("):
        return dt.datetime(*(int(p) for p in argument[5:-1].split(",")))
    match = REFERENCE.match(argument)
    if not match:
        return float(argument)
    sheet = workbook[match.group(1) or match.group(2)]
    first_col, first_row, last_col, last_row = match.group(3, 4, 5, 6)
    cols = range(column_index(first_col), column_index(last_col or first_col) + 1)
    rows = range(int(first_row or 1), int((last_row or first_row) or sheet.max_row) + 1)
    if last_col is None:
        return cell_value(sheet.cell(rows[0], cols[0]).value)
    values = [[cell_value(sheet.cell(r, c).value) for c in cols] for r in rows]
    return [row[0] for row in values] if len(cols) == 1 else values


def examples(workbook) -> list[tuple[str, str, list[list[object]]]]:
    """(function, formula, expected cells) of every example on the Examples sheet."""
    sheet = workbook["Examples"]
    found, row = [], 3
    while row <= sheet.max_row:
        name = sheet.cell(row, 1).value
        if name and str(name).startswith("CC_"):
            formula, expected, r = sheet.cell(row, 3).value, [], row + 1
            while sheet.cell(r, 2).value != "type the formula here":
                cells = [sheet.cell(r, c).value for c in range(3, sheet.max_column + 1)]
                while cells and cells[-1] is None:
                    cells.pop()
                expected.append(cells)
                r += 1
            found.append((name, formula, expected))
            row = r
        row += 1
    return found


def test_every_function_has_a_worked_example(workbook):
    names = {name for name, _formula, _expected in examples(workbook)}
    assert names == set(udfs.__all__)
    sheet = workbook["Examples"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_add_in_is_told_the_module(workbook):
    sheet = workbook["xlwings.conf"]
    assert (sheet["A1"].value, sheet["B1"].value) == ("UDF Modules", "udfs")


def test_each_formula_on_the_workbooks_own_data_gives_the_value_shown(workbook):
    for name, formula, expected in examples(workbook):
        call = re.match(rf"^={name}\((.*)\)$", formula)
        assert call, formula
        args = [resolve(a, workbook) for a in split_arguments(call.group(1))]
        got = getattr(udfs, name)(*args)
        rows = got if isinstance(got, list) and got and isinstance(got[0], list) else \
            [got] if isinstance(got, list) else [[got]]
        if len(rows) == 1 and len(expected) > 1:  # a list spilled down (CC_BESTFIT)
            rows = [[v] for v in rows[0]]
        shown = [[v if v != "" else None for v in row] for row in expected]
        assert len(rows) == len(shown), formula
        for got_row, shown_row in zip(rows, shown):
            got_row = list(got_row) + [None] * (len(shown_row) - len(got_row))
            while got_row and got_row[-1] in (None, "") and len(got_row) > len(shown_row):
                got_row.pop()
            assert [None if v == "" else v for v in got_row] == pytest.approx(shown_row), formula


def test_no_personal_data_from_the_extract(workbook):
    header = [c.value for c in workbook["Attendances"][1]]
    assert not {"first_name", "last_name", "date_of_birth", "postcode", "address"} & set(header)
    assert column_letter(len(header) - 1) == "N"


def test_written_by_the_demo_command(tmp_path):
    from xl_profile.cli import main

    assert main(["demo", "--out", str(tmp_path)]) == 0
    assert (tmp_path / FILE_NAME).is_file()


@pytest.mark.realclient
def test_opens_cleanly_in_libreoffice(book, tmp_path):
    copy = recalculated([book], tmp_path)[0]
    assert error_cells(copy) == []
    opened = openpyxl.load_workbook(copy, read_only=True)
    assert {"Examples", "Attendances", "xlwings.conf"} <= set(opened.sheetnames)


@pytest.mark.realclient
def test_prints_in_pages_not_thousands(book, tmp_path):
    """The attendance list has tens of thousands of rows: data sheets print their heading and
    first rows only."""
    pdf = convert([book], PDF_FILTER, tmp_path)[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages <= 40, pages
