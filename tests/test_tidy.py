"""The tidy indicator format and `xl-profile validate`: every problem located precisely."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from xl_profile.cli import main
from xl_profile.errors import InputError
from xl_profile.models import Level, ValueNote
from xl_profile.tidy import COLUMNS, check_tidy, load_tidy, write_tidy_csv


def ward_percentage(catalogue):
    """A ward-or-LSOA percentage indicator and its period format from the catalogue."""
    definition = next(d for d in catalogue if d.unit.value == "percentage"
                      and d.period_type.value in ("financial year", "academic year"))
    return definition.id


def rows_for(demo, catalogue) -> list[dict[str, str]]:
    ind = ward_percentage(catalogue)
    wards = [w.code for w in demo.geography.at_level(Level.WARD)]
    return [dict(indicator_id=ind, area_code=wards[0], period="2007/08", numerator="12",
                 denominator="40", value="", note="", source="DCSF", data_date="2008-03",
                 level="ward"),
            dict(indicator_id=ind, area_code=wards[1], period="2007/08", numerator="x",
                 denominator="35", value="", note="", source="DCSF", data_date="2008-03",
                 level="ward")]


def write(path, rows, columns=COLUMNS, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_demo_indicator_file_is_clean(tmp_path, demo, catalogue):
    path = tmp_path / "indicators.csv"
    write_tidy_csv(path, demo.tidy_rows)
    data = check_tidy(path, catalogue, demo.geography)
    assert data.problems == []
    assert len(data.values) == len(demo.tidy_rows)
    assert any(v.note is ValueNote.SUPPRESSED for v in data.values)


def test_suppression_markers_become_suppressed_values(tmp_path, demo, catalogue):
    rows = rows_for(demo, catalogue)
    for marker in ["*", "x", "c", "..", "-", "<5"]:
        rows[1]["numerator"] = marker
        values = load_tidy(write(tmp_path / "a.csv", rows), catalogue, demo.geography)
        assert values[1].note is ValueNote.SUPPRESSED and values[1].value is None
        assert values[0].numerator == 12 and values[0].note is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(tmp_path, demo, catalogue, encoding):
    rows = rows_for(demo, catalogue)
    rows[0]["source"] = "Département £"
    values = load_tidy(write(tmp_path / "a.csv", rows, encoding=encoding), catalogue,
                       demo.geography)
    assert values[0].provenance.source == "Département £"


def broken_cases(demo, catalogue):
    """(description, rows, columns, expected (row, column, words))."""
    ind = ward_percentage(catalogue)
    base = rows_for(demo, catalogue)
    cases = []
    cases.append(("missing column", base, [c for c in COLUMNS if c != "denominator"],
                  (1, "denominator", "missing column")))
    unknown = [dict(base[0], area_code="E05999999"), base[1]]
    cases.append(("unknown area", unknown, COLUMNS, (2, "area_code", "unknown area code")))
    bigger = [dict(base[0], numerator="50"), base[1]]
    cases.append(("num > den", bigger, COLUMNS, (2, "numerator", "greater than denominator")))
    negative = [base[0], dict(base[1], denominator="-3")]
    cases.append(("negative", negative, COLUMNS, (3, "denominator", "negative")))
    cases.append(("duplicate", [base[0], base[1], dict(base[0])], COLUMNS,
                  (4, None, "duplicate row")))
    period = [dict(base[0], period="2007-08"), base[1]]
    cases.append(("wrong period", period, COLUMNS, (2, "period", f"wrong period for {ind}")))
    backwards = [dict(base[0], period="2007/07"), base[1]]
    cases.append(("period years", backwards, COLUMNS, (2, "period", "wrong period")))
    bad_id = [dict(base[0], indicator_id="NI999"), base[1]]
    cases.append(("unknown indicator", bad_id, COLUMNS, (2, "indicator_id", "unknown indicator")))
    text = [dict(base[0], numerator="twelve"), base[1]]
    cases.append(("not a number", text, COLUMNS, (2, "numerator", "not a number")))
    level = [dict(base[0], level="lsoa"), base[1]]
    cases.append(("level mismatch", level, COLUMNS, (2, "level", "does not match")))
    return cases


def test_each_broken_input_is_reported_precisely(tmp_path, demo, catalogue):
    for description, rows, columns, (row, column, words) in broken_cases(demo, catalogue):
        path = write(tmp_path / "broken.csv", rows, columns)
        problems = check_tidy(path, catalogue, demo.geography).problems
        assert len(problems) == 1, (description, [str(p) for p in problems])
        problem = problems[0]
        assert (problem.row, problem.column) == (row, column), description
        assert words in problem.message, description
        assert problem.file.endswith("broken.csv")
        with pytest.raises(InputError):
            load_tidy(path, catalogue, demo.geography)


def test_validate_command_reports_every_problem_without_traceback(tmp_path, demo, catalogue):
    base = rows_for(demo, catalogue)
    rows = [dict(base[0], area_code="NOPE"), dict(base[1], numerator="-1"),
            dict(base[0], period="08/09", area_code=base[1]["area_code"])]
    path = write(tmp_path / "bad.csv", rows)
    out = subprocess.run([sys.executable, "-m", "xl_profile", "validate", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert any("row 2, column area_code" in line and "NOPE" in line for line in lines)
    assert any("row 3, column numerator" in line and "negative" in line for line in lines)
    assert any("row 4, column period" in line for line in lines)
    assert out.stderr.strip().startswith("Error: 3 problem(s)")


def test_validate_bad_encoding_is_one_error_line(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("indicator_id,area_code\n".encode("utf-16"))
    out = subprocess.run([sys.executable, "-m", "xl_profile", "validate", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("Error: ") and "UTF-16" in out.stderr


def test_validate_clean_file_exits_zero(tmp_path, demo, catalogue, capsys):
    path = write(tmp_path / "ok.csv", rows_for(demo, catalogue))
    assert main(["validate", str(path)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_validate_xlsx_reports_sheet(tmp_path, demo, catalogue):
    import openpyxl

    path = tmp_path / "data.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Indicators"
    book.active.append(COLUMNS)
    for row in rows_for(demo, catalogue):
        book.active.append([row[c] for c in COLUMNS])
    book.active["B3"] = "UNKNOWN"
    book.save(path)
    problems = check_tidy(path, catalogue, demo.geography).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Indicators", 3, "area_code")]
    assert "sheet Indicators, row 3, column area_code" in str(problems[0])


def test_blank_rows_are_skipped_and_counted(tmp_path, demo, catalogue, capsys):
    # Nothing is dropped silently: rows of bare commas (a spreadsheet's empty lines saved as
    # CSV) carry no value, but the reader counts them and validate says how many it skipped.
    path = write(tmp_path / "blanks.csv", rows_for(demo, catalogue))
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1], ",,,,,,,,,", lines[2], ",,,,,,,,,", ""]))
    for keep_values in (True, False):  # row by row, and the bulk check of validate
        data = check_tidy(path, catalogue, demo.geography, keep_values=keep_values)
        assert (data.value_count, data.blank_rows, data.problems) == (2, 2, [])
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("2 values, no problems found; "
                                                    "2 blank row(s) skipped")
