"""Checking a tidy CSV in blocks finds exactly what checking it row by row finds.

``check_tidy(keep_values=False)`` (what ``validate`` runs) reads plain blocks of rows in bulk;
``keep_values=True`` reads every row one by one. Both must give the same problems, in the same
order and words, the same counts of omitted problems, rows and values.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from xl_profile import tidy_bulk
from xl_profile.models import Level, PeriodType, Unit
from xl_profile.tidy import COLUMNS, check_tidy


def _period(definition, year: int) -> str:
    if definition.period_type is PeriodType.CALENDAR_YEAR:
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def clean_rows(demo, catalogue, count: int, rng: np.random.Generator) -> list[list[str]]:
    """``count`` distinct valid rows of every unit, against the demo geography."""
    codes = [a.code for a in demo.geography.areas if a.level is not Level.AUTHORITY][:40]
    definitions = [d for d in catalogue if d.period_type in (
        PeriodType.CALENDAR_YEAR, PeriodType.FINANCIAL_YEAR, PeriodType.ACADEMIC_YEAR)]
    rows = []
    for year in range(1950, 2090):
        for d in definitions:
            for code in codes:
                if len(rows) == count:
                    return rows
                if rng.random() < 0.9:
                    continue
                den = int(rng.integers(20, 5000))
                num = int(rng.binomial(den, rng.uniform(0.02, 0.9)))
                value = ""
                if d.unit is Unit.SCORE:
                    num, den, value = "", "", f"{rng.uniform(5, 60):.2f}"
                elif d.unit is Unit.COUNT:
                    den, value = "", str(num) if rng.random() < 0.5 else ""
                elif rng.random() < 0.7:
                    places = int(rng.integers(0, 3))
                    value = f"{num / den * (1 if d.unit is Unit.RATIO else d.multiplier):.{places}f}"
                rows.append([d.id, code, _period(d, year), str(num), str(den), value, "",
                             d.source, "2008-03" if rng.random() < 0.5 else "", ""])
    raise AssertionError("not enough distinct rows")


def _set(row: list[str], column: str, text: str) -> None:
    row[COLUMNS.index(column)] = text


def _mutate(row: list[str], rows: list[list[str]], rng: np.random.Generator,
            irregular: bool = True) -> list[str] | str:
    """A row made wrong (or odd but right) in one of many ways; a string is a raw line.

    ``irregular`` False leaves out blank and short lines (after which rows are read one by one).
    """
    row = list(row)
    choice = int(rng.integers(0, 24))
    if not irregular and choice in (11, 14):
        choice = 12
    value = row[5]
    if choice == 0 and "." in value:
        _set(row, "value", value.replace(".", ","))  # decimal comma (quoted when written)
    elif choice == 1:
        _set(row, "indicator_id", "NOT_AN_INDICATOR")
    elif choice == 2:
        _set(row, "area_code", "E99999999")
    elif choice == 3:
        _set(row, "period", "2008 Q5")
    elif choice == 4:
        _set(row, "note", rng.choice(["Estimated", "guess", " suppressed "]))
    elif choice == 5:
        _set(row, "data_date", rng.choice(["31/03/2008", "2008-3", "2008"]))
    elif choice == 6:
        return list(rows[int(rng.integers(0, len(rows)))])  # a duplicate of some row
    elif choice == 7 and row[4]:
        _set(row, "numerator", str(int(row[4]) + 1))
    elif choice == 8 and value:
        _set(row, "value", f"{float(value) + rng.choice([0.04, 0.06, 0.5, 0.51, 5]):.2f}")
    elif choice == 9:
        _set(row, "numerator", rng.choice(["*", "c", "<5", "x", ".."]))
    elif choice == 10:
        _set(row, "denominator", "0")
    elif choice == 11:
        return ""  # a blank line
    elif choice == 12:
        return "," * (len(COLUMNS) - 1)  # a line of empty cells
    elif choice == 13:
        row = [f"  {cell} " for cell in row]  # spaces around every cell
    elif choice == 14:
        return ",".join(row[:-1])  # one cell short
    elif choice == 15:
        _set(row, "source", 'PCT, "child health" system')  # quotes and a comma, quoted
    elif choice == 16:
        _set(row, "level", rng.choice(["england", "ward", "lsoa", "WARD", "county"]))
    elif choice == 17:
        _set(row, "numerator", rng.choice(["1,234", "12.5", "-3", "nan", "1e400", "7%"]))
    elif choice == 18:
        _set(row, "value", rng.choice(["1,234", "1.234,5", "101", "99.99", "0"]))
    elif choice == 19:
        _set(row, "note", "")
        _set(row, "value", "*")
    elif choice == 20 and row[3] and row[4]:  # a value exactly on the edge of its tolerance
        _set(row, "value", repr(float(row[3]) / float(row[4]) * 100 + 0.05))
    elif choice == 21:
        _set(row, "period", f"{row[2]}-{row[2]}")
    elif choice == 22:
        _set(row, "denominator", "")
        _set(row, "value", "")
    return row


def write_csv(path, lines: list[list[str] | str], encoding: str = "utf-8",
              newline: str = "\r\n") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(COLUMNS)
    for line in lines:
        if isinstance(line, str):
            buffer.write(line + newline)
        else:
            writer.writerow(line)
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.fixture()
def in_bulk(monkeypatch) -> list[int]:
    """Counts the rows checked in blocks (so a test knows the bulk reader did the work)."""
    counted: list[int] = []
    check = tidy_bulk._Block.check

    def counting(block, *args):
        found = check(block, *args)
        if found is not None:
            counted.append(found[0])
        return found

    monkeypatch.setattr(tidy_bulk._Block, "check", counting)
    return counted


def both_ways(path, catalogue, geography):
    """(row by row, in blocks) results as comparable tuples."""
    results = []
    for keep in (True, False):
        data = check_tidy(path, catalogue, geography, keep_values=keep)
        results.append(([str(p) for p in data.problems], data.omitted, data.rows,
                        data.value_count))
    return results


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("block_chars", [300, 5000, 1 << 22])
def test_random_files_give_the_same_problems_both_ways(demo, catalogue, tmp_path, monkeypatch,
                                                       in_bulk, seed, block_chars):
    monkeypatch.setattr(tidy_bulk, "BLOCK_CHARS", block_chars)
    rng = np.random.default_rng(seed)
    rows = clean_rows(demo, catalogue, 600, rng)
    irregular = seed >= 6
    lines = [_mutate(r, rows, rng, irregular) if rng.random() < 0.15 else r for r in rows]
    path = tmp_path / "tidy.csv"
    write_csv(path, lines, newline=["\r\n", "\n"][seed % 2])
    by_row, by_block = both_ways(path, catalogue, demo.geography)
    assert by_block == by_row
    assert by_row[0], "the mutations should give problems"
    assert by_row[3] > 400  # most rows still give values
    if not irregular:
        assert sum(in_bulk) == by_row[2]  # every row was checked in a block


def test_a_clean_file_in_many_blocks(demo, catalogue, tmp_path, monkeypatch, in_bulk):
    monkeypatch.setattr(tidy_bulk, "BLOCK_CHARS", 2000)
    rows = clean_rows(demo, catalogue, 800, np.random.default_rng(9))
    path = tmp_path / "tidy.csv"
    write_csv(path, rows)
    by_row, by_block = both_ways(path, catalogue, demo.geography)
    assert by_block == by_row == ([], {}, 800, 800)
    assert len(in_bulk) > 10 and sum(in_bulk) == 800


def test_duplicates_across_blocks_name_the_first_row(demo, catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(tidy_bulk, "BLOCK_CHARS", 1000)
    rows = clean_rows(demo, catalogue, 300, np.random.default_rng(4))
    path = tmp_path / "tidy.csv"
    write_csv(path, rows + [rows[0], rows[150], rows[0]])
    by_row, by_block = both_ways(path, catalogue, demo.geography)
    assert by_block == by_row
    assert [p.split(": ", 1)[1] for p in by_block[0]] == [
        f"duplicate row for indicator, area and period (expected one row per indicator_id, "
        f"area_code, period; found {'/'.join(rows[i][:3])} also on row {i + 2})"
        for i in (0, 150, 0)]
    assert by_block[3] == 300


@pytest.mark.parametrize("broken", [
    'NI72,X,2008,1,2,"unclosed,,,,\r\n',  # a quote never closed: nothing after it is read
    'NI72,X,2008,"1\r\n2",3,,,,,\r\n',  # a quoted cell over two lines
    "NI72,X,2008,1,2\rNI72,X,2009,1,2,,,,,\r\n",  # a lone carriage return
    'NI72,X,2008,1,2,3,,"a"b,,\r\n',  # text after a closing quote
    "NI72,X,2008," + "9" * 40_000 + ",,,,,,\r\n",  # a cell too long
])
def test_rows_after_an_irregular_line_are_read_one_by_one(demo, catalogue, tmp_path,
                                                          monkeypatch, in_bulk, broken):
    monkeypatch.setattr(tidy_bulk, "BLOCK_CHARS", 800)
    rows = clean_rows(demo, catalogue, 120, np.random.default_rng(5))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows[:60])
    buffer.write(broken)
    writer.writerows(rows[60:] + [rows[70]])
    path = tmp_path / "tidy.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    by_row, by_block = both_ways(path, catalogue, demo.geography)
    assert by_block == by_row
    assert by_row[0]
    assert 0 < sum(in_bulk) < 60  # rows before the irregular line, in blocks


def test_cp1252_and_other_text_outside_ascii(demo, catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(tidy_bulk, "BLOCK_CHARS", 700)
    rng = np.random.default_rng(6)
    rows = clean_rows(demo, catalogue, 200, rng)
    lines = [_mutate(r, rows, rng) if i % 5 == 0 else list(r) for i, r in enumerate(rows)]
    for i in range(1, 200, 7):
        if isinstance(lines[i], list):
            _set(lines[i], "source", "Département £ – “quoted”, with a comma")
    for i in range(3, 200, 11):
        if isinstance(lines[i], list):
            _set(lines[i], "value", "–")  # an en dash: a suppression marker
    for encoding in ("cp1252", "utf-8", "utf-8-sig"):
        path = tmp_path / f"tidy-{encoding}.csv"
        write_csv(path, lines, encoding=encoding)
        by_row, by_block = both_ways(path, catalogue, demo.geography)
        assert by_block == by_row
        assert by_row[0]


def test_header_only_and_blank_lines_only(demo, catalogue, tmp_path):
    for body in ("", "\r\n\r\n", ",,,,,,,,,\r\n"):
        path = tmp_path / "tidy.csv"
        path.write_text(",".join(COLUMNS) + "\r\n" + body, encoding="utf-8", newline="")
        by_row, by_block = both_ways(path, catalogue, demo.geography)
        assert by_block == by_row
        assert by_row[0] and "no data rows" in by_row[0][0]
