"""Reading CSV and XLSX input with locations, encodings and clear errors."""

from __future__ import annotations

import openpyxl
import pytest

from xl_profile.errors import InputError
from xl_profile.tabular import read_table


def test_csv_rows_keep_spreadsheet_row_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,name\nA,Alpha\n\nB,Beta\n", encoding="utf-8")
    table = read_table(path)
    assert table.header == ["code", "name"]
    assert table.rows == [(2, {"code": "A", "name": "Alpha"}), (4, {"code": "B", "name": "Beta"})]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_supported_encodings_read_the_same(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes("code,name\nW1,St James’s £5 café\n".encode(encoding))
    assert read_table(path).rows[0][1]["name"] == "St James’s £5 café"
    assert read_table(path).header[0] == "code"  # a BOM never sticks to the first header


def test_utf16_is_rejected_with_what_was_found(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("code,name\nA,B\n".encode("utf-16"))
    with pytest.raises(InputError) as err:
        read_table(path)
    text = str(err.value)
    assert "a.csv" in text and "utf-8" in text and "UTF-16" in text


def test_undecodable_byte_is_located(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"code,name\nA,ok\nB,bad \x81 byte\n")
    with pytest.raises(InputError) as err:
        read_table(path)
    problem = err.value.problems[0]
    assert problem.row == 3 and "0x81" in problem.found


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_table(empty)


def test_xlsx_sheet_and_numbers_as_text(tmp_path):
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["code", "count"])
    book.active.append(["A", 12.0])
    book.active.append([None, None])
    book.active.append(["B", 3.5])
    book.save(path)
    table = read_table(path)
    assert table.sheet == "Data"
    assert table.rows == [(2, {"code": "A", "count": "12"}), (4, {"code": "B", "count": "3.5"})]
    with pytest.raises(InputError, match="no sheet named 'Other'") as err:
        read_table(path, sheet="Other")
    assert "Data" in err.value.problems[0].expected
