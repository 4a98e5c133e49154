"""Reach data quality: every attendance row read is used or left out with a reason; reach % is
withheld where the population is missing or incomplete and flagged above it; the as-of date is
checked."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from test_reach import AS_OF, KEY, POPULATIONS, tiny_geography, tiny_tables, write_tables
from workbooks.reach_report import write_reach_reports
from xl_profile.catalogue import load_catalogue
from xl_profile.errors import ConfigError
from xl_profile.models import Area, Geography, IndicatorValue, Level, Membership, Provenance, \
    ValueNote
from xl_profile.profile import compute_profile
from xl_profile.reach import compute_reach, load_extract, measures_for_period, run_reach
from xl_profile.reach.indicators import reach_indicator_values
from xl_profile.reach.measures import OVER_POPULATION
from xl_profile.reach.populations import lsoa_populations, profile_populations
from xl_profile.reach.quality import (AFTER_AS_OF, BAD_DATE, DOB_AFTER, DOB_FUTURE,
                                      DOB_IMPLAUSIBLE, DUPLICATE, LSOA_OUTSIDE, NO_LSOA,
                                      OVER_FIVE, UNKNOWN_CENTRE)


def messy_tables():
    """The tiny extract plus one row for each reason a row is left out, and two families whose
    home is in no reach area. 17 rows read; 8 left out (one, attendance 4 of the tiny extract,
    dated the day after the as-of date); 9 used, 2 of those not placed."""
    t = tiny_tables()
    child = dict(sex="F", ethnicity="White British", disability="N", special_needs="N",
                 last_name="Test")
    t["children"] += [
        dict(child, child_id="K5", family_id="F1", first_name="Five", date_of_birth="2099-01-01"),
        dict(child, child_id="K6", family_id="F2", first_name="Six", date_of_birth="1890-05-05"),
        dict(child, child_id="K7", family_id="F2", first_name="Seven", date_of_birth="2001-06-01"),
        dict(child, child_id="K8", family_id="F4", first_name="Eight", date_of_birth="2006-01-01")]
    t["families"].append(dict(family_id="F4", registered_on="2006-01-01", centre="C1"))
    t["addresses"].append(dict(family_id="F4", address="4 Elsewhere", postcode="DB9 9ZZ"))
    t["postcode_lsoa"].append(dict(postcode="DB9 9ZZ", lsoa="L9"))  # L9: in no reach area
    t["activities"].append(dict(activity_id="A4", centre="CX", service="Visit", provider="X",
                                category="on-site session"))
    row = lambda i, day, act, person: dict(attendance_id=i, date=day, activity_id=act,  # noqa
                                           person_id=person)
    t["attendances"] += [
        dict(t["attendances"][4]),  # exact duplicate of attendance 5
        row("10", "2007-02-30", "A1", "K1"),  # no such day
        row("11", "2007-06-01", "A1", "K5"),  # born in 2099
        row("12", "2007-06-01", "A1", "K6"),  # born in 1890
        row("13", "2006-12-01", "A1", "K2"),  # K2 was born on 2007-02-01
        row("14", "2007-06-01", "A1", "K7"),  # aged 6
        row("15", "2006-05-01", "A2", "K7"),  # aged 4: used (24 months)
        row("16", "2007-09-09", "A4", "K3"),  # centre CX is not in the geography
        row("17", "2007-08-01", "A1", "K8")]  # lives in L9
    return t


@pytest.fixture()
def messy(tmp_path):
    extract = load_extract(write_tables(tmp_path / "ex", messy_tables()), AS_OF, KEY)
    return extract, compute_reach(extract, tiny_geography(), POPULATIONS)


def test_every_row_read_is_used_or_left_out_with_a_reason(messy):
    extract, results = messy
    records = results.records
    assert records.read == 17 == len(messy_tables()["attendances"])
    assert records.excluded == {DUPLICATE: 1, BAD_DATE: 1, DOB_FUTURE: 1, DOB_IMPLAUSIBLE: 1,
                                DOB_AFTER: 1, OVER_FIVE: 1, AFTER_AS_OF: 1, UNKNOWN_CENTRE: 1}
    assert records.used == 9 and records.used + sum(records.excluded.values()) == records.read
    assert records.not_placed == {NO_LSOA: 1, LSOA_OUTSIDE: 1} and records.placed == 7
    # The used rows are exactly the attendances the measures count, over any period.
    everything = measures_for_period(extract, tiny_geography(), POPULATIONS,
                                     dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    assert everything.by_centre["attendances"].sum() == records.used


def test_left_out_rows_change_no_figure(messy):
    _, results = messy
    c1 = results.by_centre[12].loc["C1"]
    # C1 in 12 months: K1 twice and P1 (as in the tiny extract; the duplicate is removed), and
    # K8, who lives in no reach area: in volume, not in reach.
    assert (c1["attendances"], c1["children_seen"], c1["reach_children"]) == (4, 2, 1)
    # C2 over 24 months: K3, K4 (out of area) and K7 (aged 4 then); K3's visit to CX is left out.
    assert results.by_centre[24].loc["C2", "children_seen"] == 3
    assert "CX" in results.unknown_centres
    assert results.by_centre[12]["attendances"].sum() == 4 + 3


def test_quality_sheet_and_summary_carry_the_counts(messy, tmp_path):
    extract, results = messy
    (path,) = write_reach_reports(results, extract, tiny_geography(), tmp_path, built_on=AS_OF)
    sheet = openpyxl.load_workbook(path)["Data quality"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    # A board's report shows counts of 1-4 as <5, and hides another count of the account where
    # one would give a small one away; the true counts are in results.records (below).
    assert rows[f"Left out: {DUPLICATE}"] == rows[f"Left out: {UNKNOWN_CENTRE}"] == "<5"
    assert rows[f"Left out: {AFTER_AS_OF}"] == rows[f"Of those used: {NO_LSOA}"] == "<5"
    assert rows["Attendance rows read from the extract"] in (17, "hidden")
    assert rows["Used"] in (9, "hidden")
    lines = results.records.lines()
    assert lines[0] == "attendance rows read: 17" and "  used: 9" in lines
    assert f"  excluded, {OVER_FIVE}: 1" in lines


def test_mostly_unreadable_dates_are_a_file_problem(tmp_path):
    from xl_profile.errors import InputError

    tables = tiny_tables()
    for a in tables["attendances"][:5]:
        a["date"] = "31/03/2008"
    with pytest.raises(InputError, match="attendances.csv, row 2, column date: not a date"):
        load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)


def test_missing_population_withholds_and_a_small_one_is_flagged(tmp_path):
    extract = load_extract(write_tables(tmp_path / "ex", tiny_tables()), AS_OF, KEY)
    populations = {"C1": {"all": 0.5}, "C2": {"all": None}}
    notes = {"C2": {"all": "POP_0_4 incomplete: no figure for ward(s) Ward"}}
    results = compute_reach(extract, tiny_geography(), populations, notes)
    table = results.by_centre[12]
    assert table.loc["C1", "reach_pct"] == pytest.approx(200.0)
    assert table.loc["C1", "reach_note"] == OVER_POPULATION
    assert pd.isna(table.loc["C1", "lower95"])
    assert pd.isna(table.loc["C2", "reach_pct"])
    assert table.loc["C2", "reach_note"] == ("% withheld: POP_0_4 incomplete: no figure for "
                                             "ward(s) Ward")
    values = {v.area_code: v for v in reach_indicator_values(results, tiny_geography())
              if v.indicator_id == "REACH_ALL"}
    assert values["C1"].note is ValueNote.UNRELIABLE and values["C1"].value == 200.0
    assert values["C2"].value is None and values["C2"].numerator == 1.0
    (path,) = write_reach_reports(results, extract, tiny_geography(), tmp_path, built_on=AS_OF)
    sheet = openpyxl.load_workbook(path)["Reach and volume"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0] in ("Centre One",
                                                                           "Centre Two")}
    assert rows["Centre Two"][3] is None and rows["Centre Two"][12].startswith("% withheld")
    assert rows["Centre One"][12] == OVER_POPULATION


def two_ward_geography() -> Geography:
    """One centre whose reach area spans two wards (an LSOA in each)."""
    areas = [Area(code="A", name="Authority", level=Level.AUTHORITY),
             Area(code="K", name="North", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="Centre One", level=Level.CENTRE, parent="K"),
             Area(code="W1", name="Ward One", level=Level.WARD, parent="A"),
             Area(code="W2", name="Ward Two", level=Level.WARD, parent="A"),
             Area(code="L1", name="L1", level=Level.LSOA, parent="W1", population=1000),
             Area(code="L2", name="L2", level=Level.LSOA, parent="W2", population=1000)]
    members = [Membership(child="W1", parent="K", share=1), Membership(child="W2", parent="K", share=1),
               Membership(child="L1", parent="C1", share=1),
               Membership(child="L2", parent="C1", share=1)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


def pop_rows(level: Level, counts: dict[str, float]) -> list[IndicatorValue]:
    return [IndicatorValue(indicator_id="POP_0_4", area_code=code, period="2007", numerator=n,
                           provenance=Provenance(level=level)) for code, n in counts.items()]


@pytest.mark.parametrize("level, counts, expected, note", [
    (Level.WARD, {"W1": 100, "W2": 50}, 150.0, None),
    (Level.WARD, {"W1": 100}, None,
     "POP_0_4 for the reach area withheld: 1 of 2 wards with no data"),
    (Level.LSOA, {"L1": 100, "L2": 50}, 150.0, None),
    (Level.LSOA, {"L1": 100},
     None, "POP_0_4 for the reach area withheld: 1 of 2 LSOAs with no data"),
])
def test_profile_population_of_a_reach_area_with_a_missing_part_is_withheld(level, counts,
                                                                            expected, note):
    geography = two_ward_geography()
    profile = compute_profile(geography, load_catalogue(), pop_rows(level, counts))
    values, notes = profile_populations(profile)
    assert values["C1"]["all"] == expected
    assert notes["C1"].get("all") == note
    assert notes["C1"]["fathers"] == "no population is published for this group"


def test_lsoa_populations_say_what_is_missing():
    values, notes = lsoa_populations(two_ward_geography(), {"L1": 10})
    assert values["C1"]["all"] is None
    assert notes["C1"]["all"] == "population_0_4 incomplete: not given for 1 of the reach area's 2 LSOAs"


def test_cluster_population_is_not_summed_over_a_missing_centre(tmp_path):
    extract = load_extract(write_tables(tmp_path / "ex", tiny_tables()), AS_OF, KEY)
    results = compute_reach(extract, tiny_geography(), {"C1": {"all": 10, "bme": 5},
                                                        "C2": {"all": 20, "bme": None}})
    ratio = results.representation.set_index("cluster").loc["K"]
    assert ratio["area_0_4"] == 30 and pd.isna(ratio["bme_area"]) and pd.isna(ratio["ratio"])


def test_as_of_before_every_attendance_is_an_error_and_a_late_one_a_warning(tmp_path):
    folder = write_tables(tmp_path / "ex", tiny_tables())
    with pytest.raises(ConfigError) as err:
        run_reach(folder, tiny_geography(), {}, dt.date(2005, 1, 1), KEY, setting="--as-of")
    assert str(err.value) == ("--as-of 2005-01-01: no attendance in the 12 months to it (the "
                              "extract's attendances run from 2007-03-31 to 2008-04-01); expected "
                              "a date on or soon after the last attendance")
    with pytest.raises(ConfigError, match="--as-of 2012-03-31: no attendance"):
        run_reach(folder, tiny_geography(), {}, dt.date(2012, 3, 31), KEY, setting="--as-of")
    late = run_reach(folder, tiny_geography(), {}, dt.date(2008, 12, 31), KEY)
    assert late.warnings == ["the extract's last attendance is 2008-04-01, 274 days before as_of "
                             "2008-12-31: those days have no records, so reach and volume are "
                             "understated"]
    assert run_reach(folder, tiny_geography(), {}, AS_OF, KEY).warnings == []


@pytest.mark.parametrize("rows, text", [
    ([], "no attendance can be used (expected at least one attendance with a real date, by a "
         "person of a possible age; found a header only)"),
    ([dict(attendance_id="1", date="2007-05-01", activity_id="A1", person_id="K1"),
      dict(attendance_id="1", date="2007-05-01", activity_id="A1", person_id="K1"),
      dict(attendance_id="2", date="2001-05-01", activity_id="A1", person_id="K1")],
     f"no attendance can be used (left out: {DUPLICATE}: 1; {DOB_AFTER}: 2) (expected at least "
     "one attendance with a real date, by a person of a possible age; found 3 rows, none "
     "usable)"),
])
def test_no_usable_attendance_is_a_problem_not_zero_reach(tmp_path, rows, text):
    from xl_profile.errors import InputError

    tables = tiny_tables()
    tables["attendances"] = rows
    if rows:  # K1 was born in 2005: every row is before birth, once the repeat is removed
        rows[0]["date"] = rows[1]["date"] = "2004-05-01"
    with pytest.raises(InputError) as err:
        load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    assert str(err.value) == f"{tmp_path / 'ex' / 'attendances.csv'}: {text}"


def test_reach_period_labels():
    from xl_profile.reach.indicators import reach_period

    assert reach_period(dt.date(2008, 3, 31)) == "2007/08"
    assert reach_period(dt.date(2008, 2, 29)) == "2007-03-01 to 2008-02-29"
