"""Strict input: each broken tidy file, geography or template gives one exact, located problem.

Every message is asserted in full (file, row, column, what was expected, what was found), so a
change of wording is a deliberate change of these tests.
"""

from __future__ import annotations

import csv

import pytest

from xl_profile.cli import main
from xl_profile.errors import InputError, Problem, ProblemLog, summary_lines
from xl_profile.geography_io import load_geography, write_geography
from xl_profile.tidy import COLUMNS, check_tidy, load_tidy

HEADER = ",".join(COLUMNS)
WARD, WARD2 = "X05000001", "X05000002"


def line(indicator="NI72", area=WARD, period="2007/08", num="12", den="40", value="30.0",
         note="", level="ward") -> str:
    """One tidy CSV line (NI72 is a percentage by academic year)."""
    return ",".join([indicator, area, period, num, den, value, note, "DCSF", "2008-03", level])


def tidy_file(tmp_path, *lines: str, name: str = "tidy.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def problems_of(path, demo, catalogue) -> list[str]:
    return [str(p) for p in check_tidy(path, catalogue, demo.geography).problems]


def test_good_rows_read_clean(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line(), line(area=WARD2, num='"1,234"', den='"2,000"', value="61.7"),
                     line(indicator="INF_MORT", area="X09000001", period="2007", num="3",
                          den='"1,000"', value="3", level="authority"))
    values = load_tidy(path, catalogue, demo.geography)
    assert [(v.numerator, v.denominator, v.value) for v in values] == [
        (12, 40, 30.0), (1234, 2000, 61.7), (3, 1000, 3.0)]


# -- the file's structure ------------------------------------------------------------------------

def test_unbalanced_quote_does_not_swallow_the_file(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line(), line(area=WARD2).replace("DCSF", '"DCSF'), line(), line())
    data = check_tidy(path, catalogue, demo.geography)
    assert [str(p) for p in data.problems] == [
        f'{path}, row 3: unbalanced quote: a quoted cell is never closed (rest of file not read) '
        f'(expected a closing " in the same row; found quote opened on line 3, still open at line 5)']
    assert data.rows == 1


def test_validate_command_fails_on_a_stray_quote(tmp_path, capsys):
    path = tidy_file(tmp_path, line(), line(area=WARD2).replace("DCSF", '"DCSF'))
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert "no problems found" not in captured.out
    assert "unbalanced quote" in captured.out
    assert captured.err.strip() == f"Error: 1 problem(s) in {path}"


def test_text_after_a_closing_quote(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line().replace("DCSF", '"DC"SF'))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2: unbalanced quote: text follows a closing quote (rest of file not read) "
        f"(expected \" then a comma or the end of the line; found line 2: ',' expected after "
        f"'\"')"]


def test_quoted_cell_over_several_lines(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line().replace("DCSF", '"DC\nSF"'), line(area=WARD2))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2: a quoted cell runs over more than one line (is a quote unbalanced?) "
        f"(expected each row on one line; found lines 2 to 3)"]


@pytest.mark.parametrize("text, cells", [(line() + ",extra", 11), (line().rsplit(",", 2)[0], 8)])
def test_ragged_rows(tmp_path, demo, catalogue, text, cells):
    path = tidy_file(tmp_path, line(area=WARD2), text)
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 3: row has a different number of cells from the header "
        f"(expected 10 cells, as in the header; found {cells} cells)"]


def test_cell_over_128_kb_is_located(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line(), line(area=WARD2).replace("DCSF", '"' + "x" * 140_000 + '"'))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 3: cell too long (rest of file not read) "
        f"(expected at most 32,767 characters; found over 131,072 characters)"]


def test_cell_over_excel_limit_is_located(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line(), line(area=WARD2).replace("DCSF", "x" * 40_000))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 3, column source: cell too long "
        f"(expected at most 32,767 characters; found 40,000 characters)"]


def test_empty_and_header_only_files(tmp_path, demo, catalogue):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError) as err:
        check_tidy(empty, catalogue, demo.geography)
    assert str(err.value) == (f"{empty}, row 1: file is empty "
                              f"(expected a header row; found nothing)")
    header_only = tidy_file(tmp_path, name="header.csv")
    assert problems_of(header_only, demo, catalogue) == [
        f"{header_only}, row 2: no data rows "
        f"(expected at least one row of values below the header; found header only)"]


def test_repeated_column_heading(tmp_path, demo, catalogue):
    path = tmp_path / "tidy.csv"
    path.write_text(HEADER + ",value\n" + line() + ",30.0\n")
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 1, column value: column heading appears more than once "
        f"(expected each heading once; found value)"]


def test_xlsx_cell_right_of_the_table(tmp_path, demo, catalogue):
    import openpyxl

    path = tmp_path / "tidy.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(COLUMNS)
    book.active.append(line().split(","))
    book.active.append(line(area=WARD2).split(",") + ["", "stray"])
    book.save(path)
    assert problems_of(path, demo, catalogue) == [
        f"{path}, sheet Data, row 3: cell to the right of the table (no column heading) "
        f"(expected cells only under the 10 headings; found stray)"]


# -- numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("column, text, message, expected", [
    ("value", "74,2", "decimal comma in a number", "a decimal point: write 74.2"),
    ("denominator", "1.234,5", "decimal comma and thousands dots in a number",
     "a decimal point and no thousands dots: write 1234.5"),
    ("value", "1,234", "comma in a value: thousands separator or decimal comma?",
     "no comma: write 1234 or 1.234"),
    ("numerator", "1,23", "decimal comma in a number", "a decimal point: write 1.23"),
    ("value", "NaN", "not a finite number",
     "a number such as 74.2, blank or a suppression marker (*, x, c, .., -, <5)"),
    ("value", "-inf", "not a finite number",
     "a number such as 74.2, blank or a suppression marker (*, x, c, .., -, <5)"),
    ("denominator", "1e999", "number too large", "a finite number"),
    ("value", "30%", "percent sign in a number", "a number without %: write 30"),
    ("numerator", "1_2", "not a number",
     "a number such as 74.2, blank or a suppression marker (*, x, c, .., -, <5)"),
])
def test_numbers_in_another_locale_or_not_finite(tmp_path, demo, catalogue, column, text,
                                                  message, expected):
    fields = dict(num="12", den="40", value="30.0")
    fields[{"numerator": "num", "denominator": "den", "value": "value"}[column]] = f'"{text}"'
    path = tidy_file(tmp_path, line(**fields))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2, column {column}: {message} (expected {expected}; found {text})"]


# -- checks by unit ------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, column, message, expected, found", [
    (dict(num="41", den="40", value=""), "numerator", "numerator greater than denominator",
     "at most the denominator 40", "41"),
    (dict(num="", den="", value="100.5"), "value", "percentage over 100", "0 to 100", "100.5"),
    (dict(num="12", den="40", value="74.2"), "value",
     "value does not match numerator and denominator", "30.0 (= 12/40 x 100)", "74.2"),
    (dict(num="12", den="40", value="30.06"), "value",
     "value does not match numerator and denominator", "30.00 (= 12/40 x 100)", "30.06"),
    (dict(num="0", den="0", value=""), "denominator", "denominator is zero", "a positive count",
     "0"),
])
def test_percentage_checks(tmp_path, demo, catalogue, fields, column, message, expected, found):
    path = tidy_file(tmp_path, line(**fields))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2, column {column}: {message} (expected {expected}; found {found})"]


def test_values_rounded_as_published_match(tmp_path, demo, catalogue):
    # 1/3 is 33.333...: 33.3, 33 and 33.33 are all that figure to the places written.
    rows = [line(area=code, num="1", den="3", value=value)
            for code, value in zip(("X05000001", "X05000002", "X05000003"), ("33.3", "33", "33.33"))]
    rows.append(line(area="X05000004", num="1", den="8", value="12.5"))  # exactly half-way
    assert problems_of(tidy_file(tmp_path, *rows), demo, catalogue) == []


@pytest.mark.parametrize("fields, column, message, expected, found", [
    (dict(num="12.5", den="", value=""), "numerator", "count is not a whole number",
     "a whole number of zero or more", "12.5"),
    (dict(num="12", den="", value="13"), "value", "value does not match numerator and denominator",
     "12 (= the numerator 12)", "13"),
])
def test_count_checks(tmp_path, demo, catalogue, fields, column, message, expected, found):
    path = tidy_file(tmp_path, line(indicator="POP_0_4", area="X01000001", period="2007",
                                    level="lsoa", **fields))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2, column {column}: {message} (expected {expected}; found {found})"]


def test_rate_value_checked_with_its_multiplier(tmp_path, demo, catalogue):
    path = tidy_file(tmp_path, line(indicator="INF_MORT", area="X09000001", period="2007",
                                    num="7", den="1800", value="38.9", level="authority"))
    assert problems_of(path, demo, catalogue) == [
        f"{path}, row 2, column value: value does not match numerator and denominator "
        f"(expected 3.9 (= 7/1800 x 1000); found 38.9)"]


# -- repeated problems ---------------------------------------------------------------------------

def test_repeated_problems_are_summarised(tmp_path, demo, capsys):
    wards = [w.code for w in demo.geography.at_level("ward")]
    lines = [line(area=code, period=f"{year}/{(year + 1) % 100:02d}",
                  value='"30,0"')
             for year in range(1990, 2000) for code in wards[:5]]
    path = tidy_file(tmp_path, *lines)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    printed = out.out.splitlines()
    assert len(printed) == 21
    assert printed[0] == (f"{path}, row 2, column value: decimal comma in a number "
                          f"(expected a decimal point: write 30.0; found 30,0)")
    assert printed[-1] == "... and 30 more of this kind (decimal comma in a number)"
    assert out.err.strip() == f"Error: 50 problem(s) in {path}"


def test_problem_log_keeps_twenty_of_each_kind():
    log = ProblemLog()
    for row in range(2, 52):
        log.add(Problem("f.csv", row, "value", "bad", "good", str(row)))
    log.add(Problem("f.csv", 60, "period", "odd", "", ""))
    assert (log.total, len(log.kept)) == (51, 21)
    lines = summary_lines(log.kept, log.omitted)
    assert lines[19] == "f.csv, row 21, column value: bad (expected good; found 21)"
    assert lines[20:] == ["... and 30 more of this kind (bad)", "f.csv, row 60, column period: odd"]
    error = InputError(log)
    assert error.total == 51 and str(error).startswith("51 problems in input; first: ")


# -- geography -----------------------------------------------------------------------------------

@pytest.fixture()
def geography_dir(tmp_path, demo):
    write_geography(tmp_path / "geo", demo.geography)
    return tmp_path / "geo"


def edit_rows(path, change) -> None:
    """Rewrite a geography CSV with ``change(rows)`` applied to its list of dict rows."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows) or rows
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def geography_problems(directory) -> list[str]:
    with pytest.raises(InputError) as err:
        load_geography(directory)
    return [str(p) for p in err.value.problems]


def test_demo_geography_loads_clean(geography_dir, demo):
    assert load_geography(geography_dir) == demo.geography


def test_ward_in_two_clusters(geography_dir):
    members = geography_dir / "memberships.csv"
    edit_rows(members, lambda rows: rows.append(dict(child="X05000001", parent="CL-S", share="1",
                                                     method="lookup")))
    row = sum(1 for _ in open(members))  # the appended row is the last
    assert geography_problems(geography_dir) == [
        f"{members}, row {row}, column parent: ward in more than one cluster "
        f"(expected one cluster per ward; found CL-S (and CL-N on row 2))"]


def test_ward_in_no_cluster(geography_dir):
    members = geography_dir / "memberships.csv"
    edit_rows(members, lambda rows: [r for r in rows if r["child"] != "X05000020"])
    assert geography_problems(geography_dir) == [
        f"{members}, column child: ward in no cluster "
        f"(expected a ward -> cluster row for every ward; found X05000020)"]


def test_ward_partly_in_a_cluster(geography_dir):
    members = geography_dir / "memberships.csv"
    edit_rows(members, lambda rows: rows[0].update(share="0.5"))
    assert geography_problems(geography_dir) == [
        f"{members}, row 2, column share: a ward belongs wholly to one cluster "
        f"(expected 1; found 0.5)"]


def _set_parent(code, parent):
    def change(rows):
        next(r for r in rows if r["code"] == code)["parent"] = parent
    return change


def test_ward_that_is_its_own_parent(geography_dir):
    areas = geography_dir / "areas.csv"
    edit_rows(areas, _set_parent("X05000003", "X05000003"))
    assert geography_problems(geography_dir) == [
        f"{areas}, row 8, column parent: parents form a cycle "
        f"(expected a chain of parents ending at the authority; found X05000003 -> X05000003)"]


def test_longer_cycle(geography_dir):
    areas = geography_dir / "areas.csv"
    edit_rows(areas, _set_parent("CL-N", "CC01"))
    assert geography_problems(geography_dir) == [
        f"{areas}, row 3, column parent: parents form a cycle "
        f"(expected a chain of parents ending at the authority; found CL-N -> CC01 -> CL-N)"]


@pytest.mark.parametrize("code, parent, row, expected, found", [
    ("X01000001", "X09000001", 38, "a ward", "X09000001 (authority)"),
    ("X05000001", "X01000007", 6, "the authority or a cluster", "X01000007 (lsoa)"),
    ("CC01", "X05000001", 26, "a cluster or the authority", "X05000001 (ward)"),
])
def test_parent_one_level_up(geography_dir, code, parent, row, expected, found):
    areas = geography_dir / "areas.csv"
    edit_rows(areas, _set_parent(code, parent))
    level = {"X01": "lsoa", "X05": "ward", "CC0": "centre"}[code[:3]]
    assert geography_problems(geography_dir) == [
        f"{areas}, row {row}, column parent: parent of a {level} at the wrong level "
        f"(expected {expected}; found {found})"]


def test_lsoa_without_a_ward(geography_dir):
    areas = geography_dir / "areas.csv"
    edit_rows(areas, _set_parent("X01000001", ""))
    assert geography_problems(geography_dir) == [
        f"{areas}, row 38, column parent: lsoa has no parent (expected a ward; found (blank))"]


def test_unknown_parent_and_repeated_code(geography_dir):
    areas = geography_dir / "areas.csv"

    def change(rows):
        rows[5]["parent"] = "NOWHERE"
        rows.append(dict(rows[-1]))
    edit_rows(areas, change)
    last = sum(1 for _ in open(areas))
    assert geography_problems(geography_dir) == [
        f"{areas}, row {last}, column code: area code appears more than once "
        f"(expected each code once; found X01000120 (also on row {last - 1}))",
        f"{areas}, row 7, column parent: unknown parent "
        f"(expected a code in areas.csv; found NOWHERE)"]


def test_small_area_shares_over_one(geography_dir, demo):
    members = geography_dir / "memberships.csv"
    first = next(m for m in demo.geography.memberships if m.parent.startswith("CC"))
    other = "CC02" if first.parent != "CC02" else "CC03"
    edit_rows(members, lambda rows: rows.append(dict(child=first.child, parent=other,
                                                     share="0.25", method="lookup")))
    rows = [i + 2 for i, m in enumerate(demo.geography.memberships) if m.child == first.child]
    last = sum(1 for _ in open(members))
    assert geography_problems(geography_dir) == [
        f"{members}, row {last}, column share: shares of one small area add up to more than 1 "
        f"(expected at most 1 (+0.001 for rounding); found 1.25 for {first.child} "
        f"(rows {rows[0]}, {last}))"]


def test_shares_within_rounding_are_accepted(geography_dir, demo):
    members = geography_dir / "memberships.csv"
    first = next(m for m in demo.geography.memberships if m.parent.startswith("CC"))

    def split(rows):
        row = next(r for r in rows if r["child"] == first.child)
        row["share"] = "0.667"
        rows.append(dict(child=first.child, parent="CC02" if first.parent != "CC02" else "CC03",
                         share="0.334", method="lookup"))
    edit_rows(members, split)
    assert load_geography(geography_dir).memberships_of(first.child)[0].share == 0.667


def test_membership_between_levels_that_do_not_nest(geography_dir):
    members = geography_dir / "memberships.csv"
    edit_rows(members, lambda rows: rows.append(dict(child="X01000001", parent="X05000001",
                                                     share="1", method="lookup")))
    last = sum(1 for _ in open(members))
    assert geography_problems(geography_dir) == [
        f"{members}, row {last}: membership between levels that do not nest this way "
        f"(expected ward -> cluster, lsoa -> centre or oa -> centre; found lsoa -> ward)"]


def test_many_geography_problems_are_summarised_by_the_cli(geography_dir, tmp_path, capsys):
    members = geography_dir / "memberships.csv"

    def unknown_centre(rows):
        for row in rows:
            if row["parent"].startswith("CC"):
                row["parent"] = "CC99"
    edit_rows(members, unknown_centre)
    path = tidy_file(tmp_path, line())
    assert main(["validate", str(path), "--geography", str(geography_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 22  # 20 listed, the count of the rest, the Error line
    assert err[20] == "  ... and 76 more of this kind (unknown area code)"
    assert err[21] == (f"Error: {members}, row 22, column parent: unknown area code (expected a "
                       f"code in areas.csv; found CC99) (and 95 more above)")


# -- layout template -----------------------------------------------------------------------------

def test_template_naming_an_unknown_indicator(tmp_path):
    from demo_build import demo_profile
    from xl_profile.errors import ConfigError
    from xl_profile.layout import load_template, ordered_indicators

    profile = demo_profile(tmp_path / "data")
    path = tmp_path / "layout.yaml"
    path.write_text("title: My profile\nsections:\n  - section: Enjoy and achieve\n"
                    "    indicators: [NI72, NI7Z]\n"
                    "charts:\n  cluster_colour: '#FF0000'\nhow_to_read: Read me.\n")
    with pytest.raises(ConfigError) as err:
        ordered_indicators(profile, load_template(path))
    assert str(err.value) == (f"{path}: sections.0.indicators.1: 'NI7Z' is not in the catalogue; "
                              f"did you mean NI72, NI70, NI92?")


# -- the demo still validates --------------------------------------------------------------------

def test_demo_output_validates_clean(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "d")]) == 0
    data = tmp_path / "d" / "data"
    capsys.readouterr()
    assert main(["validate", str(data / "indicators.csv"), "--geography",
                 str(data / "geography")]) == 0
    assert capsys.readouterr().out.strip().endswith("values, no problems found")
