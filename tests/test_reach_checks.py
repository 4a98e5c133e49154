"""Extract keys and coded values, populations' small areas and attendances after the as-of date:
each bad record is a located problem or a counted exclusion, never silent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from test_reach import AS_OF, KEY, POPULATIONS, tiny_geography, tiny_tables, write_tables
from workbooks.reach_report import write_reach_reports
from xl_profile.errors import ConfigError, InputError
from xl_profile.reach import compute_reach, load_extract, measures_for_period, run_reach
from xl_profile.reach.quality import AFTER_AS_OF, BAD_DATE, UNKNOWN_CENTRE
from xl_profile.reach.run import load_lsoa_populations


def problems_of(tmp_path, tables) -> list:
    with pytest.raises(InputError) as err:
        load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    return err.value.problems


def where(problem) -> tuple:
    return Path(problem.file).name, problem.row, problem.column


@pytest.mark.parametrize("table, column, other", [
    ("activities", "activity_id", "service"), ("families", "family_id", "centre"),
    ("children", "child_id", "first_name"), ("carers", "carer_id", "first_name"),
    ("addresses", "family_id", "address")])
def test_a_repeated_id_is_located_whether_exact_or_conflicting(tmp_path, table, column, other):
    tables = tiny_tables()
    tables[table].insert(1, dict(tables[table][0]))  # row 3 repeats row 2
    (problem,) = problems_of(tmp_path, tables)
    assert where(problem) == (f"{table}.csv", 3, column) and problem.message == "duplicate id"
    assert problem.found.endswith("again: same row as row 2")
    conflicting = tiny_tables()
    conflicting[table].append(dict(conflicting[table][0], **{other: "something else"}))
    (problem,) = problems_of(tmp_path, conflicting)
    assert problem.row == len(conflicting[table]) + 1 and problem.column == column
    assert problem.found.endswith("again: row 2 has other values")
    assert "(expected each " + column + " once" in str(problem)


def test_a_carer_id_that_is_also_a_child_id_is_an_error(tmp_path):
    tables = tiny_tables()
    tables["carers"].append(dict(tables["carers"][1], carer_id="K3"))  # K3 is a child
    (problem,) = problems_of(tmp_path, tables)
    assert where(problem) == ("carers.csv", 4, "carer_id")
    assert problem.found == "'K3', child_id in row 4 of children.csv"


def test_a_postcode_given_twice_is_an_error(tmp_path):
    tables = tiny_tables()
    tables["postcode_lsoa"].append(dict(postcode="db11aa", lsoa="L2"))  # spaces, case ignored
    (problem,) = problems_of(tmp_path, tables)
    assert where(problem) == ("postcode_lsoa.csv", 4, "postcode")
    assert problem.found == "'db11aa' -> L2; row 2 gives L1"


def test_a_flag_outside_yes_no_is_located_with_the_allowed_values(tmp_path):
    tables = tiny_tables()
    tables["children"][0]["disability"] = "maybe"
    tables["carers"][1]["lone_parent"] = "?"
    first, second = problems_of(tmp_path, tables)
    assert where(first) == ("children.csv", 2, "disability") and first.found == "maybe"
    assert "expected Y or N (also yes/no, true/false, 1/0), or blank" in str(first)
    assert where(second) == ("carers.csv", 3, "lone_parent") and second.found == "?"


def test_an_unknown_employment_status_is_located_and_repeats_are_counted(tmp_path):
    tables = tiny_tables()
    carer = tables["carers"][0]
    tables["carers"] += [dict(carer, carer_id=f"Q{i}", employment_status="unemplyed")
                         for i in range(30)]
    tables["carers"][1]["employment_status"] = "Not seeking  work"  # case and spaces: fine
    with pytest.raises(InputError) as err:
        load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    assert err.value.total == 30
    first = err.value.problems[0]
    assert where(first) == ("carers.csv", 4, "employment_status") and first.found == "unemplyed"
    assert "employed, unemployed or not seeking work" in first.expected
    assert "... and 10 more of this kind (unknown employment status)" in \
        err.value.summary_lines()


def test_populations_of_a_small_area_not_in_the_geography_are_an_error(tmp_path):
    folder = write_tables(tmp_path / "ex", tiny_tables())
    path = tmp_path / "pops.csv"
    path.write_text("lsoa,population_0_4,bme\nL1,10,2\nX01999999,100,\nL2,20,4\nX02,,3\n")
    all_ages, groups = load_lsoa_populations(path)
    with pytest.raises(InputError) as err:
        run_reach(folder, tiny_geography(), all_ages, AS_OF, KEY, groups)
    assert [where(p) for p in err.value.problems] == [("pops.csv", 3, "lsoa"),
                                                       ("pops.csv", 5, "lsoa")]
    assert err.value.problems[0].found == "X01999999"
    assert "expected an LSOA code in the geography (2 small areas)" in str(err.value)


def test_a_small_area_given_twice_in_populations_is_an_error(tmp_path):
    path = tmp_path / "pops.csv"
    path.write_text("lsoa,population_0_4\nL1,10\nL2,20\nL1,12\n")
    with pytest.raises(InputError) as err:
        load_lsoa_populations(path)
    (problem,) = err.value.problems
    assert where(problem) == ("pops.csv", 4, "lsoa")
    assert problem.found == "'L1' again: first in row 2"


def test_attendances_after_the_as_of_date_are_left_out_and_counted(tmp_path):
    tables = tiny_tables()  # attendance 4 is dated 2008-04-01, the day after AS_OF
    tables["attendances"][4]["date"] = "2030-11-03"  # K1, a typing error for 2007-10-10
    tables["attendances"].append(dict(tables["attendances"][6], attendance_id="9",
                                      date="2031-01-01", activity_id="A9"))
    tables["activities"].append(dict(tables["activities"][0], activity_id="A9", centre="CX"))
    extract = load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    results = compute_reach(extract, tiny_geography(), POPULATIONS)
    records = results.records
    # Counted once, under the first reason: K1 would be 25 in 2030 (not "aged 5 or over"), and
    # the row at CX is after the as-of date too.
    assert records.excluded[AFTER_AS_OF] == 3 and records.excluded[UNKNOWN_CENTRE] == 0
    assert records.used == 6 == records.read - 3
    assert f"  excluded, {AFTER_AS_OF}: 3" in records.lines()
    everything = measures_for_period(extract, tiny_geography(), POPULATIONS,
                                     dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    assert everything.by_centre["attendances"].sum() == records.used
    (path,) = write_reach_reports(results, extract, tiny_geography(), tmp_path, built_on=AS_OF)
    sheet = openpyxl.load_workbook(path)["Data quality"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    # On the board's report a count of 1-4 shows as <5; the true count is in ``records``.
    assert rows[f"Left out: {AFTER_AS_OF}"] == "<5"


def test_the_window_check_looks_at_the_attendances_kept(tmp_path):
    tables = tiny_tables()
    tables["attendances"][2]["date"] = "2030-11-03"  # the last attendance kept: 2007-12-12
    late = run_reach(write_tables(tmp_path / "ex", tables), tiny_geography(), {}, AS_OF, KEY)
    assert late.warnings == ["the extract's last attendance is 2007-12-12, 110 days before as_of "
                             "2008-03-31: those days have no records, so reach and volume are "
                             "understated"]
    assert late.results.records.excluded[AFTER_AS_OF] == 2


def test_a_date_followed_by_anything_but_a_time_is_not_that_date(tmp_path):
    from xl_profile.reach.checks import iso_day
    from xl_profile.reach.table import as_date

    assert [iso_day(t) for t in ("2008-03-31", "2008-03-31T10:15:00", "2008-03-31 10:15",
                                 "2008-03-31xyz", "31/03/2008")] == [
        "2008-03-31", "2008-03-31", "2008-03-31", "", ""]
    with pytest.raises(ConfigError, match="as_of: expected a date"):
        as_date("2008-03-31xyz")
    tables = tiny_tables()
    tables["attendances"][0]["date"] = "2007-04-01xyz"  # one stray row: left out and counted
    extract = load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    assert extract.records.excluded.get(BAD_DATE) == 1
