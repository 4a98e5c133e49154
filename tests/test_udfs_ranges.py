"""Worksheet functions over ranges, called directly with the shapes Excel passes: reach from an
attendance range as in the reach reports, best fit, coverage, deprived gap, suppression, caches."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import udfs
from excel_shapes import demo_inputs, excel_range, reach_ranges
from udfs import tables
from xl_profile.bestfit import OUTSIDE
from xl_profile.geometry import read_boundaries, read_points
from xl_profile.bestfit import best_fit
from xl_profile.reach.cells import REACH_HEADER
from xl_profile.reach.quality import UNKNOWN_CENTRE

#: The labels of the rows after the centres: attendances left out, and used in no reach area.
ACCOUNT = ("left out", "seen, in no reach area")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_inputs(tmp_path_factory.mktemp("udf-demo") / "data")


@pytest.fixture(scope="module")
def ranges(demo):
    return reach_ranges(demo[1], trailing_blank_rows=500)


def as_of(demo) -> dt.datetime:
    return dt.datetime.combine(demo[1].reach.extract.as_of, dt.time())


def test_reach_of_a_centre_equals_the_reach_report(demo, ranges):
    attendances, areas, populations = ranges
    report = demo[1].reach.results
    for months in (12, 24):
        table = report.by_centre[months]
        for centre in ("CC01", "CC03"):
            reached = udfs.CC_REACH(attendances, areas, as_of(demo), float(months), centre)
            assert reached == pytest.approx(table.loc[centre, "reach_children"])
    pct, lower, upper, note = udfs.CC_REACH(attendances, areas, as_of(demo), 12.0, "CC01", "all",
                                            float(populations["CC01"]))
    row = report.by_centre[12].loc["CC01"]
    assert (pct, lower, upper) == pytest.approx((row["reach_pct"], row["lower95"],
                                                 row["upper95"]))
    assert note == ""


@pytest.mark.parametrize("group", ["teenage_parents", "workless", "bme", "fathers",
                                   "disabled_parents"])
def test_target_group_reach_equals_the_reach_report(demo, ranges, group):
    attendances, areas, _populations = ranges
    groups = demo[1].reach.results.target_groups
    expected = groups[groups["group"] == group].set_index("centre")["reached"]
    table = udfs.CC_REACH(attendances, areas, as_of(demo), None, None, group)
    got = {row[0]: row[1] for row in table[1:] if row[-1] not in ACCOUNT}
    centres = [a.code for a in demo[1].profile.geography.at_level("centre")]
    assert got == pytest.approx(expected[expected.index.isin(centres)].to_dict())
    assert got[centres[0]] == expected[centres[0]]


def test_whole_table_spills_every_centre_with_populations(demo, ranges):
    attendances, areas, populations = ranges
    population_range = [["centre", "population"]] + [[c, float(p)] for c, p in
                                                     populations.items() if p is not None]
    table = udfs.CC_REACH(attendances, areas, as_of(demo), 12.0, None, "all", population_range)
    assert table[0] == REACH_HEADER
    report = demo[1].reach.results.by_centre[12]
    centres = [a.code for a in demo[1].profile.geography.at_level("centre")]
    body = {row[0]: row for row in table[1:] if row[-1] not in ACCOUNT}
    assert list(body) == centres
    for centre, row in body.items():
        assert row[3] == pytest.approx(report.loc[centre, "reach_pct"], nan_ok=True)
    records = demo[1].reach.results.records
    left_out = {row[0]: row[1] for row in table[1:] if row[-1] == "left out"}
    assert left_out == {UNKNOWN_CENTRE: records.excluded[UNKNOWN_CENTRE]}  # a neighbour's centre
    not_in_reach = {row[0]: row[1] for row in table[1:] if row[-1] == ACCOUNT[1]}
    assert not_in_reach == {k: v for k, v in records.not_placed.items() if v}


def test_a_population_below_the_reached_is_flagged_not_given_limits(demo, ranges):
    attendances, areas, _ = ranges
    pct, lower, upper, note = udfs.CC_REACH(attendances, areas, as_of(demo), 12.0, "CC01",
                                            "all", 10.0)
    assert pct > 100 and lower is None and upper is None and note.startswith("flagged")


@pytest.mark.parametrize("change, message", [
    (lambda a: a[0].__setitem__(1, "day"), "no column date"),
    (lambda a: a[5].__setitem__(1, "31/03/2008"), "row 6, column date: not a date"),
    (lambda a: a[7].__setitem__(0, None), "row 8, column child_id: blank"),
])
def test_reach_errors_name_row_and_column(demo, ranges, change, message):
    attendances = [list(row) for row in ranges[0][:50]]
    change(attendances)
    result = udfs.CC_REACH(attendances, ranges[1], as_of(demo), 12.0, "CC01")
    assert result.startswith("#XLP: attendances") and message in result


@pytest.mark.parametrize("args, message", [
    ((6.0, "CC01"), "months must be 12 or 24"),
    (("twelve", "CC01"), "months must be 12 or 24; got 'twelve'"),
    ((12.0, "CC99"), "centre 'CC99' has no reach area"),
    ((12.0, "CC01", "grandparents"), "group must be one of"),
])
def test_reach_argument_errors(demo, ranges, args, message):
    result = udfs.CC_REACH(ranges[0], ranges[1], as_of(demo), *args)
    assert result.startswith("#XLP: ") and message in result and "Traceback" not in result


def test_repeated_reach_call_is_served_from_the_cache(demo, ranges, monkeypatch):
    attendances, areas, _ = ranges
    calls = []
    monkeypatch.setattr(tables.REACH, "compute", lambda *a: calls.append(1) or
                        tables.table_reach(*a))
    tables.REACH.clear()
    first = udfs.CC_REACH(attendances, areas, as_of(demo), 12.0, "CC02")
    copy = [list(row) for row in attendances]  # equal contents, new objects, as Excel sends
    assert udfs.CC_REACH(copy, areas, as_of(demo), 12.0, "CC02") == first
    assert udfs.CC_REACH(copy, areas, as_of(demo), 12.0, "CC03") != first
    assert len(calls) == 1
    copy[-1 - 500] = [None] * len(copy[0])  # one changed row: a new calculation
    udfs.CC_REACH(copy, areas, as_of(demo), 12.0, "CC02")
    assert len(calls) == 2


def test_bestfit_of_centroids_equals_the_core_best_fit(demo):
    geography = demo[0].parent / "geography"
    centres = read_boundaries(geography / "boundaries" / "centre.geojson", "code")
    lsoas = read_boundaries(geography / "boundaries" / "lsoa.geojson", "code")
    points = read_points(geography / "lsoa_centroids.csv", "code", "x", "y")
    expected = best_fit(lsoas, centres, centroids=points).lookup()
    codes = list(points.codes)
    xs = [float(p.x) for p in points.geometries] + [None] * 100  # whole-column reference
    ys = [float(p.y) for p in points.geometries] + [None] * 100
    got = udfs.CC_BESTFIT(codes + [None] * 100, xs, ys,
                          str(geography / "boundaries" / "centre.geojson"))
    assert len(got) == len(codes)
    assert {c: t for c, t in zip(codes, got) if t != OUTSIDE} == expected
    assert [c for c, t in zip(codes, got) if t == OUTSIDE] == \
        [c for c in codes if c not in expected]


def test_bestfit_errors(demo):
    boundaries = str(demo[0].parent / "geography" / "boundaries" / "centre.geojson")
    assert udfs.CC_BESTFIT(["A"], [1.0], [2.0], "/nowhere.geojson").startswith(
        "#XLP: boundaries: no file")
    assert "x: row 1: expected a number or a blank; got 'east'" in udfs.CC_BESTFIT(
        ["A"], ["east"], [2.0], boundaries)
    assert "lie outside the British National Grid" in udfs.CC_BESTFIT(
        ["A"], [9e9], [9e9], boundaries)


def test_coverage_of_a_ward_equals_the_coverage_profile(demo):
    build, inputs = demo
    for ward in inputs.spatial.coverage[:3]:
        cls, people, area = udfs.CC_COVERAGE(ward.code, str(build))
        assert cls == ward.coverage.value
        assert area == pytest.approx(ward.area_share * 100)
        assert people == (None if ward.population_share is None else
                          pytest.approx(ward.population_share * 100))
    assert udfs.CC_COVERAGE("X99", str(build)).startswith("#XLP: no ward 'X99'")


def test_deprived_gap_from_summed_counts():
    numerators = [30.0, 10.0, 45.0, None, None]
    denominators = [100.0, 50.0, 100.0, None, None]
    ranks = [100.0, 9853.0, 9854.0, None, None]  # 30% of 32,844 is 9,853.2
    deprived, rest, gap, ratio = udfs.CC_DEPRIVED_GAP(numerators, denominators, ranks)
    assert (deprived, rest) == pytest.approx((40 / 150 * 100, 45.0))
    assert gap == pytest.approx(deprived - rest) and ratio == pytest.approx(deprived / rest)
    assert "row 2" in udfs.CC_DEPRIVED_GAP([1.0, 2.0], [10.0, None], [1.0, 2.0])
    assert "fraction must be" in udfs.CC_DEPRIVED_GAP([1.0], [2.0], [3.0], 1.5)


def test_suppress_keeps_the_shape_and_hides_recoverable_cells():
    counts = [[3.0, 10.0, 20.0], [12.0, 15.0, 30.0], ["total", None, 7.0]]
    result = udfs.CC_SUPPRESS(counts)
    assert [len(r) for r in result] == [3, 3, 3]
    assert result[0][:2] == ["*", "*"] and result[1][:2] == ["*", "*"]
    assert result[2] == ["total", None, 7.0] and result[0][2] == 20.0
    assert udfs.CC_SUPPRESS([[6.0, 7.0]], 8.0) == [["*", "*"]]


def test_proportion_rate_and_rank():
    value, lower, upper = udfs.CC_PROPORTION(65.0, 100.0)
    assert value == 65.0 and round(lower, 1) == 55.3 and round(upper, 1) == 73.6
    value, lower, upper = udfs.CC_RATE(5.0, 100.0)
    assert value == 5000.0 and lower == pytest.approx(1623.4863901184199, rel=1e-9)
    assert udfs.CC_RATE(20.0, 1000.0, 1000.0)[0] == 20.0
    values = [10.0, 30.0, 30.0, None, 5.0]
    assert [udfs.CC_RANK(v, values) for v in (30.0, 10.0, 5.0)] == [1, 3, 4]
    assert [udfs.CC_RANK(v, values, 1.0) for v in (30.0, 10.0, 5.0)] == [3, 2, 1]
    assert udfs.CC_RANK(7.0, values).startswith("#XLP: value 7.0 is not among")
    assert math.isclose(udfs.CC_WILSON(65.0, 100.0)[0], lower if False else 55.254443296887967)


def test_every_range_function_takes_a_whole_column_reference():
    column = excel_range([["n"], [4.0], [8.0], [9.0]], trailing_blank_rows=1000)
    values = [row[0] for row in column[1:]]
    assert udfs.CC_RANK(8.0, values) == 2
    assert udfs.CC_QUINTILE(9.0, values + [1.0, 2.0]) in range(1, 6)


def test_dates_of_birth_leave_out_attendances_as_the_extract_loader_does():
    day = dt.datetime(2008, 1, 10)
    attendances = [["child_id", "date", "centre", "lsoa", "date_of_birth"],
                   ["c1", day, "CC01", "L1", dt.datetime(2006, 5, 1)],
                   ["c2", day, "CC01", "L1", dt.datetime(2002, 1, 1)],  # 6 years old
                   ["c3", day, "CC01", "L1", "2008-02-01"],  # born after the attendance
                   ["c1", dt.datetime(2008, 2, 10), "CC01", "L1", None],
                   ["c4", day, "CC01", "L1", None],  # no date of birth: kept
                   [None] * 5]
    areas = [["lsoa", "centre", "share"], ["L1", "CC01", 1.0]]
    as_of = dt.datetime(2008, 3, 31)
    assert udfs.CC_REACH(attendances, areas, as_of, 12.0, "CC01") == 2.0
    table = udfs.CC_REACH(attendances, areas, as_of, 12.0)
    left_out = {row[0]: row[1] for row in table if row[-1] == "left out"}
    assert left_out == {"child aged 5 or over at the attendance": 1,
                        "date of birth after the attendance": 1}
    attendances[5][4] = "soon"
    assert "row 6, column date_of_birth: not a date" in udfs.CC_REACH(attendances, areas, as_of)


def test_bestfit_cache_tells_two_boundary_files_apart(demo, tmp_path):
    boundaries = demo[0].parent / "geography" / "boundaries"
    codes, xs, ys = ["A", "B"], [532986.9, 533426.8], [185750.2, 185681.7]
    centres = udfs.CC_BESTFIT(codes, xs, ys, str(boundaries / "centre.geojson"))
    wards = udfs.CC_BESTFIT(codes, xs, ys, str(boundaries / "ward.geojson"))
    assert centres[0].startswith("CC") and wards[0].startswith("X05"), (centres, wards)
    assert udfs.CC_BESTFIT(codes, xs, ys, str(boundaries / "centre.geojson")) == centres
