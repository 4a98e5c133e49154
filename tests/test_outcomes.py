"""Targets, trajectories and narrowing the gap: arithmetic checked by hand, and the targets
file's errors word for word."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_profile.demo.borough import generate_demo_borough
from xl_profile.errors import InputError
from xl_profile.models import IndicatorValue
from xl_profile.outcomes import (Actual, Deprivation, actuals, narrowing_gap, on_track, outcome,
                                 trajectory)
from xl_profile.targets import Target, read_targets

HEADER = "indicator,area,period,target,set_on,statutory\n"


@pytest.fixture(scope="module")
def geography():
    return generate_demo_borough(2008).geography


def test_trajectory_is_a_straight_line_from_baseline_to_target():
    # 50 in 2007 to 56 in 2010: 2 points a year.
    assert trajectory((2007, 50.0), [(2010, 56.0)]) == {2007: 50.0, 2008: 52.0, 2009: 54.0,
                                                        2010: 56.0}


def test_trajectory_runs_through_yearly_steps():
    # 50 (2007) -> 51 (2008) -> 57 (2010): 51, then 3 points a year.
    assert trajectory((2007, 50.0), [(2010, 57.0), (2008, 51.0)]) == {
        2007: 50.0, 2008: 51.0, 2009: 54.0, 2010: 57.0}


def test_on_track_uses_the_upper_limit_when_high_is_good():
    actual = Actual("2008/09", 53.0, 51.0, 55.0)
    assert on_track(actual, 55.0, True)  # trajectory at the upper limit: within the interval
    assert not on_track(actual, 55.1, True)  # above the upper limit: significantly below it
    assert on_track(actual, 51.0, False)  # low is good: at the lower limit
    assert not on_track(actual, 50.9, False)
    assert on_track(Actual("2008/09", 30.0), 30.0, False)  # no limits: the value itself


def test_outcome_gaps_and_sentence_by_hand(catalogue, geography):
    ni72 = catalogue.get("NI72")
    found = {"2006/07": Actual("2006/07", 50.0, 48.0, 52.0),
             "2007/08": Actual("2007/08", 51.0, 49.0, 51.9)}
    target = Target("NI72", geography.authority.code, "2010/11", 58, dt.date(2007, 9, 1), True)
    result = outcome(ni72, [target], found)
    # baseline 2006/07 (50); 58 by 2010/11: 2 points a year, so 52 in 2007/08.
    assert result.baseline.period == "2006/07"
    row = next(r for r in result.rows if r.period == "2007/08")
    assert row.trajectory == pytest.approx(52.0)
    assert row.gap_to_trajectory == pytest.approx(-1.0)
    assert result.gap_to_target(row) == pytest.approx(-7.0)
    assert row.status == "off track"  # 52 is above the upper limit 51.9
    assert [r.period for r in result.rows][-1] == "2010/11"
    assert result.sentence == ("NI 72 is 51.0% in 2007/08, 1.0 points below the trajectory to "
                               "the 2010/11 target of 58% (off track).")


def test_actuals_from_counts_have_wilson_limits(catalogue, geography):
    ni72 = catalogue.get("NI72")
    rows = [IndicatorValue(indicator_id="NI72", area_code=geography.authority.code,
                           period="2007/08", numerator=530, denominator=1000, value=53.0)]
    got = actuals(ni72, rows, geography)["2007/08"]
    assert got.value == pytest.approx(53.0)
    assert got.lower95 == pytest.approx(49.9011, abs=1e-3)  # Wilson, z = 1.96
    assert got.upper95 == pytest.approx(56.0759, abs=1e-3)


def test_deprived_gap_on_known_counts(catalogue, geography):
    ni72 = catalogue.get("NI72")
    lsoas = [a.code for a in geography.at_level("lsoa")]
    # Two deprived small areas (10/40 and 20/60 -> 30/100 = 30%), the rest 60/100 each.
    counts = {code: (60, 100) for code in lsoas}
    counts[lsoas[0]], counts[lsoas[1]] = (10, 40), (20, 60)
    flags = {code: code in lsoas[:2] for code in lsoas[:-1]}  # the last one has no flag
    rows = [IndicatorValue(indicator_id="NI72", area_code=c, period="2007/08", numerator=x,
                           denominator=n) for c, (x, n) in counts.items()]
    rows += [IndicatorValue(indicator_id="NI72", area_code=c, period="2006/07", numerator=x,
                            denominator=n) for c, (x, n) in counts.items() if c != lsoas[0]]
    rows.append(IndicatorValue(indicator_id="NI72", area_code=lsoas[0], period="2006/07",
                               numerator=4, denominator=40))  # 24/100 deprived in 2006/07
    gap = narrowing_gap(ni72, rows, geography, Deprivation(flags, "Index of Multiple "
                                                           "Deprivation", "2007"))
    authority = [g for g in gap if g.area_code == geography.authority.code]
    assert [g.period for g in authority] == ["2006/07", "2007/08"]
    earlier, later = authority
    assert earlier.deprived.value == pytest.approx(24.0)
    assert earlier.gap == pytest.approx(-36.0)
    assert later.deprived.value == pytest.approx(30.0)
    assert later.rest.value == pytest.approx(60.0)
    assert later.gap == pytest.approx(-30.0)
    assert later.change == "narrowed"
    assert (later.areas_used, later.areas_left_out) == (len(lsoas) - 1, 1)


def _errors(tmp_path, catalogue, geography, body: str) -> list[str]:
    path = tmp_path / "targets.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_targets(path, catalogue, geography)
    return [str(p).replace(str(path), "targets.csv") for p in caught.value.problems]


def test_unknown_indicator_suggests_close_ids(tmp_path, catalogue, geography):
    code = geography.authority.code
    assert _errors(tmp_path, catalogue, geography, f"NI7,{code},2010/11,57,2008-12-01,yes\n") == [
        "targets.csv, row 2, column indicator: unknown indicator (did you mean NI72, NI70, NI92?) "
        "(expected an indicator id from the catalogue, e.g. NI72; found NI7)"]


def test_period_not_a_year_of_the_type(tmp_path, catalogue, geography):
    code = geography.authority.code
    assert _errors(tmp_path, catalogue, geography, f"NI72,{code},2010,57,2008-12-01,yes\n") == [
        "targets.csv, row 2, column period: not a year of NI72's period type (expected a year "
        "of the academic year type, e.g. 2010/11; found 2010)"]


def test_percentage_target_outside_0_100(tmp_path, catalogue, geography):
    code = geography.authority.code
    assert _errors(tmp_path, catalogue, geography, f"NI72,{code},2010/11,157,2008-12-01,yes\n") \
        == ["targets.csv, row 2, column target: outside 0-100 for the percentage NI72 "
            "(expected a percentage from 0 to 100; found 157)"]


def test_unknown_area(tmp_path, catalogue, geography):
    code = geography.authority.code
    assert _errors(tmp_path, catalogue, geography, "NI72,E09000033,2010/11,57,2008-12-01,yes\n") \
        == [f"targets.csv, row 2, column area: unknown area (expected the authority's code "
            f"{code} (targets are the authority's); found E09000033)"]


def test_every_problem_of_a_file_is_reported(tmp_path, catalogue, geography):
    code = geography.authority.code
    errors = _errors(tmp_path, catalogue, geography,
                     f"NI72,{code},2010/11,57,2008-12-01,yes\n"
                     f"NI72,{code},2010/11,58,2008-02-30,maybe\n")
    assert errors == [
        "targets.csv, row 3, column set_on: not a real date (expected a date YYYY-MM-DD, e.g. "
        "2008-12-01; found 2008-02-30)",
        "targets.csv, row 3, column statutory: not yes or no (expected yes or no; found maybe)"]


def test_a_good_file_reads(tmp_path, catalogue, geography):
    path = tmp_path / "targets.csv"
    code = geography.authority.code
    path.write_text(HEADER + f"NI72,{code},2010/11,57,2008-12-01,yes\n"
                             f"NI92,{code},2010/11,30.5,2008-12-01,no\n", encoding="utf-8")
    assert read_targets(path, catalogue, geography) == [
        Target("NI72", code, "2010/11", 57.0, dt.date(2008, 12, 1), True),
        Target("NI92", code, "2010/11", 30.5, dt.date(2008, 12, 1), False)]


def test_low_is_good_with_yearly_steps(catalogue, geography):
    ni92 = catalogue.get("NI92")  # a score without limits, low is good
    code = geography.authority.code
    found = {"2006/07": Actual("2006/07", 36.0), "2007/08": Actual("2007/08", 34.6)}
    steps = [Target("NI92", code, "2007/08", 35.0, dt.date(2007, 6, 30), True),
             Target("NI92", code, "2009/10", 31.0, dt.date(2007, 6, 30), True)]
    result = outcome(ni92, steps, found)
    # 36 (2006/07) -> 35 (step, 2007/08) -> 31 (2009/10): 33 in 2008/09.
    line = {r.period: r.trajectory for r in result.rows}
    assert line == {"2006/07": 36.0, "2007/08": 35.0, "2008/09": 33.0, "2009/10": 31.0}
    row = next(r for r in result.rows if r.period == "2007/08")
    assert row.status == "on track"  # 34.6 is at or below 35
    assert row.gap_to_trajectory == pytest.approx(-0.4)
    assert result.sentence == ("NI 92 is 34.6% in 2007/08, 0.4 points below the trajectory to "
                               "the 2009/10 target of 31% (on track).")
