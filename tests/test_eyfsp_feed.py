"""The child-level EYFSP feed: children placed and summarised by area, checked by hand; small
counts hidden with secondary suppression; children left out counted by reason; the file's
problems located; the change in the gap tested by hand."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from xl_profile.errors import InputError
from xl_profile.eyfsp_areas import area_lsoas, profile_values, replace_tidy_eyfsp, summarise
from xl_profile.eyfsp_feed import SCALE_CODES, Child, read_children, read_postcodes
from xl_profile.models import Area, Geography, IndicatorValue, Level, Membership, ValueNote
from xl_profile.outcomes import gap_change_test

PERIOD = "2007/08"
GOOD, NOT_GOOD, LOW = [6] * 13, [5] * 13, [2] * 13  # totals 78 (good), 65 and 26 (not good)


def geography() -> Geography:
    """Authority A; clusters K1 (ward W1: L1, L2) and K2 (ward W2: L3, L4); centre C1 holds
    L1, L2 and 60% of L3, centre C2 40% of L3 and L4 (so L3's children count in C1)."""
    areas = [Area(code="A", name="Authority", level=Level.AUTHORITY),
             Area(code="K1", name="North", level=Level.CLUSTER, parent="A"),
             Area(code="K2", name="South", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="Centre 1", level=Level.CENTRE, parent="K1"),
             Area(code="C2", name="Centre 2", level=Level.CENTRE, parent="K2"),
             Area(code="W1", name="Ward 1", level=Level.WARD, parent="A"),
             Area(code="W2", name="Ward 2", level=Level.WARD, parent="A")]
    areas += [Area(code=f"L{i}", name=f"LSOA {i}", level=Level.LSOA,
                   parent="W1" if i <= 2 else "W2", population=1000) for i in range(1, 5)]
    members = [Membership(child="W1", parent="K1", share=1),
               Membership(child="W2", parent="K2", share=1),
               Membership(child="L1", parent="C1", share=1),
               Membership(child="L2", parent="C1", share=1),
               Membership(child="L3", parent="C1", share=0.6),
               Membership(child="L3", parent="C2", share=0.4),
               Membership(child="L4", parent="C2", share=1)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


HEADER = ["upn", "name", "date_of_birth", "postcode", "lsoa", "period", *SCALE_CODES]


def _rows() -> list[list[str]]:
    """L1: 3 good of 10; L2: 10 of 20 (one placed by postcode); L3: 4 of 8; L4: 15 of 30
    (the 15 not good with 26 points); then six children who cannot be used."""
    plan = [("L1", GOOD, 3), ("L1", NOT_GOOD, 7), ("L2", GOOD, 10), ("L2", NOT_GOOD, 9),
            ("L3", GOOD, 4), ("L3", NOT_GOOD, 4), ("L4", GOOD, 15), ("L4", LOW, 15)]
    rows = []
    for lsoa, points, n in plan:
        rows += [[lsoa, points]] * n
    out = [[f"U{i:04d}", f"Child {i}", "2002-10-01", "", lsoa, PERIOD, *map(str, points)]
           for i, (lsoa, points) in enumerate(rows)]
    out.append(["U9000", "By Postcode", "2002-11-02", "ab1  2cd", "", PERIOD,
                *map(str, NOT_GOOD)])
    out += [["U9001", "No Place", "2003-01-01", "", "", PERIOD, *map(str, GOOD)],
            ["U9002", "Lost Code", "2003-01-01", "ZZ1 1ZZ", "", PERIOD, *map(str, GOOD)],
            ["U9003", "Moved Away", "2003-01-01", "", "E01999999", PERIOD, *map(str, GOOD)],
            ["U9004", "Bad Point", "2003-01-01", "", "L1", PERIOD, "10", *map(str, GOOD[1:])],
            ["U9005", "Not Assessed", "2003-01-01", "", "L2", PERIOD, "", *map(str, GOOD[1:])],
            ["U9006", "Two Reasons", "2003-01-01", "", "", PERIOD, "x", *map(str, GOOD[1:])]]
    return out


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture
def files(tmp_path):
    children = write_csv(tmp_path / "eyfsp.csv", _rows())
    lookup = write_csv(tmp_path / "postcodes.csv", [["AB1 2CD", "L2"], ["ZZ9 9ZZ", "L4"]],
                       ["postcode", "lsoa"])
    return children, lookup


def test_children_placed_and_left_out_by_reason(files):
    children, lookup = files
    records = read_children([children], geography(), read_postcodes(lookup))
    assert records.read == 74 and len(records.children) == 68
    assert records.left_out.counts == {"no_area": 2, "no_lookup": 0, "unknown_postcode": 1,
                                       "outside": 1, "bad_points": 1, "not_assessed": 1,
                                       "duplicate": 0}
    assert records.lines()[1:] == [
        "  left out: 2 with no small area or postcode (eyfsp.csv row(s) 70, 75)",
        "  left out: 1 with a postcode not in the postcode lookup (eyfsp.csv row(s) 71)",
        "  left out: 1 with a small area outside the authority's geography (eyfsp.csv row(s) 72)",
        "  left out: 1 with a scale point that is not a whole number 0-9 (eyfsp.csv row(s) 73)",
        "  left out: 1 with a scale not assessed (blank) (eyfsp.csv row(s) 74)"]
    # Only the year, the small area and the points are kept of a child.
    assert set(Child.__dataclass_fields__) == {"period", "lsoa", "points"}
    assert sum(c.lsoa == "L2" for c in records.children) == 20  # one placed by its postcode


def test_a_child_listed_twice_in_a_year_counts_once_and_the_second_row_is_reported(tmp_path):
    rows = [["U1", "A", "", "", "L1", PERIOD, *map(str, GOOD)],
            ["U2", "B", "", "", "L1", PERIOD, *map(str, NOT_GOOD)],
            ["u1 ", "A", "", "", "L2", PERIOD, *map(str, NOT_GOOD)],  # U1 again, other details
            ["U1", "A", "", "", "L1", "2006/07", *map(str, GOOD)],  # another year: counted
            ["U3", "C", "", "", "L1", PERIOD, "x", *map(str, GOOD[1:])],  # left out: bad point
            ["U3", "C", "", "", "L1", PERIOD, *map(str, GOOD)],  # so the corrected row counts
            ["", "D", "", "", "L1", PERIOD, *map(str, GOOD)],  # no number: cannot be matched
            ["", "D", "", "", "L1", PERIOD, *map(str, GOOD)]]
    first = write_csv(tmp_path / "first.csv", rows)
    again = write_csv(tmp_path / "again.csv", [rows[1]])  # U2 sent again in a second file
    records = read_children([first, again], geography())
    assert records.read == 9 and len(records.children) == 6
    assert [(c.period, c.lsoa, sum(c.points)) for c in records.children] == [
        (PERIOD, "L1", 78), (PERIOD, "L1", 65), ("2006/07", "L1", 78), (PERIOD, "L1", 78),
        (PERIOD, "L1", 78), (PERIOD, "L1", 78)]
    assert records.left_out.counts["duplicate"] == 2
    assert records.lines()[1:] == [
        "  left out: 1 with a scale point that is not a whole number 0-9 (first.csv row(s) 6)",
        "  left out: 2 with a pupil number already counted for that year (first.csv row(s) 4; "
        "again.csv row(s) 2)"]
    assert records.unchecked == ()


def test_a_file_without_pupil_numbers_is_said_not_to_be_checked_for_children_listed_twice(
        tmp_path):
    header = [h for h in HEADER if h != "upn"]
    path = write_csv(tmp_path / "nameless.csv",
                     [["A", "", "", "L1", PERIOD, *map(str, GOOD)]] * 2, header)
    records = read_children([path], geography())
    assert len(records.children) == 2 and records.unchecked == ("nameless.csv",)
    assert records.lines()[-1] == ("  not checked for children listed twice: nameless.csv has no "
                                   "pupil number column (upn)")


def test_area_figures_by_hand_with_secondary_suppression(files):
    children, lookup = files
    geo = geography()
    summary = summarise(read_children([children], geo, read_postcodes(lookup)), geo, 5)
    areas = {a.code: a for a in summary.by_period[PERIOD]}
    counts = {code: (a.children, a.good) for code, a in areas.items()}
    assert counts == {"A": (68, 32), "K1": (30, 13), "K2": (38, 19), "C1": (38, 17),
                      "C2": (30, 15), "W1": (30, 13), "W2": (38, 19), "L1": (10, 3),
                      "L2": (20, 10), "L3": (8, 4), "L4": (30, 15)}
    # L1 (3 good) and L3 (4 good, 4 not) are small; L2 and L4 are hidden so that they cannot
    # be taken from their ward; C2 is L4 alone, so it is hidden too.
    assert {code for code, a in areas.items() if a.hidden} == {"L1", "L2", "L3", "L4", "C2"}
    shown = {a.code: a for a in summary.shown(PERIOD)}
    assert shown["L1"].ni72 is None and shown["L1"].children == 0
    assert shown["A"].ni72 == pytest.approx(32 / 68 * 100)
    # NI 92 from each area's own children. A: totals 15 x 26, 21 x 65, 32 x 78: median 65,
    # lowest 14 (ceil 68/5) all 26: (65 - 26) / 65 = 60%.
    assert areas["A"].ni92 == pytest.approx(60.0)
    # W2: 15 x 26, 4 x 65, 19 x 78: median (65 + 78) / 2 = 71.5; lowest 8 all 26.
    assert areas["W2"].ni92 == pytest.approx((71.5 - 26) / 71.5 * 100)
    assert areas["C1"].ni92 == pytest.approx(0.0)  # 38 children, lowest 8 and median all 65
    assert areas["L1"].ni92 is None  # 10 children: the lowest 20% is 2 children


def test_profile_values_are_true_counts_and_replace_tidy_rows_of_those_years(files):
    children, lookup = files
    geo = geography()
    summary = summarise(read_children([children], geo, read_postcodes(lookup)), geo, 5)
    feed = profile_values(summary, geo)
    ni72 = {v.area_code: (v.numerator, v.denominator) for v in feed if v.indicator_id == "NI72"}
    assert ni72 == {"L1": (3, 10), "L2": (10, 20), "L3": (4, 8), "L4": (15, 30)}
    [ni92] = [v for v in feed if v.indicator_id == "NI92"]
    assert (ni92.area_code, ni92.value) == ("A", pytest.approx(60.0))
    tidy = [IndicatorValue(indicator_id="NI72", area_code=code, period=period, numerator=1,
                           denominator=2)
            for code, period in (("L1", PERIOD), ("L1", "2006/07"), ("E92000001", PERIOD))]
    kept, replaced = replace_tidy_eyfsp(tidy, feed, [PERIOD], geo)
    assert [(v.area_code, v.period) for v in replaced] == [("L1", PERIOD)]
    assert kept[:2] == tidy[1:] and kept[2:] == feed


def test_a_small_area_without_children_is_0_of_0_and_the_authority_given(tmp_path):
    rows = [["U1", "A", "2002-10-01", "", "L1", PERIOD, *map(str, GOOD)]]
    geo = geography()
    records = read_children([write_csv(tmp_path / "one.csv", rows)], geo)
    feed = profile_values(summarise(records, geo, 5), geo)
    ni72 = {v.area_code: (v.numerator, v.denominator, v.value) for v in feed
            if v.indicator_id == "NI72"}
    assert ni72 == {"L1": (1, 1, 100.0), "L2": (0, 0, None), "L3": (0, 0, None),
                    "L4": (0, 0, None), "A": (1, 1, 100.0)}
    assert not [v for v in feed if v.indicator_id == "NI92"]  # 1 child: lowest 20% too small


def test_a_centre_takes_the_small_areas_best_fitted_to_it():
    found = {area.code: codes for area, codes in area_lsoas(geography())}
    assert found["C1"] == ["L1", "L2", "L3"] and found["C2"] == ["L4"]


def _problems(tmp_path, rows, header=HEADER, lookup=None) -> list[str]:
    path = write_csv(tmp_path / "bad.csv", rows, header)
    with pytest.raises(InputError) as caught:
        read_children([path], geography(), lookup)
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_a_missing_scale_column_is_located(tmp_path):
    header = [h for h in HEADER if h != "CLL_R"]
    assert _problems(tmp_path, [], header) == [
        "bad.csv, row 1: missing scale column(s): Reading (CLL_R) (expected the 13 EYFSP "
        "scales by name or code; found 12 of the 13)"]


def test_a_period_that_is_not_an_academic_year(tmp_path):
    row = ["U1", "A", "2002-10-01", "", "L1", "2008", *map(str, GOOD)]
    assert _problems(tmp_path, [row]) == [
        "bad.csv, row 2, column period: not an academic year (expected an academic year such "
        "as 2007/08; found 2008)"]


def test_no_column_placing_the_child_and_postcodes_without_a_lookup(tmp_path):
    header = [h for h in HEADER if h not in ("lsoa", "postcode")]
    assert _problems(tmp_path, [], header)[0].startswith(
        "bad.csv, row 1: no column placing the child (expected a column 'lsoa' or 'postcode'")
    header = [h for h in HEADER if h != "lsoa"]
    assert _problems(tmp_path, [], header) == [
        "bad.csv, row 1, column postcode: no 'lsoa' column, and no postcode lookup to place the "
        "postcodes (expected the build setting 'eyfsp_postcodes' (a CSV of postcode,lsoa); "
        "found no lookup)"]


def test_scale_columns_by_name_and_a_scale_given_twice(tmp_path):
    from xl_profile.eyfsp import SCALES

    by_name = ["lsoa", "period", *(s.upper().replace(" AND ", " & ") for s in SCALES)]
    path = write_csv(tmp_path / "names.csv", [["L1", PERIOD, *map(str, GOOD)]], by_name)
    assert read_children([path], geography()).children[0].points == tuple(GOOD)
    twice = [*HEADER, "Reading"]
    assert _problems(tmp_path, [], twice) == [
        "bad.csv, row 1, column Reading: second column for the scale 'Reading' (expected one "
        "column per scale; found 'CLL_R' and 'Reading')"]


def test_a_postcode_lookup_with_a_postcode_in_two_small_areas(tmp_path):
    path = write_csv(tmp_path / "pc.csv", [["AB1 2CD", "L1"], ["ab12cd", "L2"], ["", "L3"]],
                     ["postcode", "lsoa"])
    with pytest.raises(InputError) as caught:
        read_postcodes(path)
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [
        "pc.csv, row 3, column lsoa: postcode given two small areas (expected L1 as on an "
        "earlier row; found L2)",
        "pc.csv, row 4, column postcode: blank postcode (expected a postcode; found (blank))"]


def test_change_in_the_gap_by_hand():
    # Before: deprived 30/100, rest 120/200 (gap -30 points); after: deprived 45/100, rest
    # 130/200 (gap -20 points): the gap changed by +10 points.
    change, z, p = gap_change_test((30, 100), (120, 200), (45, 100), (130, 200))
    variance = (0.3 * 0.7 / 100 + 0.6 * 0.4 / 200 + 0.45 * 0.55 / 100 + 0.65 * 0.35 / 200)
    # 0.0021 + 0.0012 + 0.002475 + 0.0011375
    assert variance == pytest.approx(0.0069125)
    assert change == pytest.approx(10.0)
    assert z == pytest.approx(0.10 / math.sqrt(0.0069125))
    assert z == pytest.approx(1.2028, abs=1e-4)
    # Normal table: Phi(1.20) = 0.88493, Phi(1.21) = 0.88686, so Phi(1.2028) = 0.88547.
    assert p == pytest.approx(2 * (1 - 0.88547), abs=2e-4)
    assert gap_change_test((0, 10), (10, 10), (0, 10), (10, 10)) == (0.0, None, None)


def test_a_postcode_without_a_lookup_is_left_out_and_counted(tmp_path):
    rows = [["U1", "A", "2002-10-01", "AB1 2CD", "", PERIOD, *map(str, GOOD)],
            ["U2", "B", "2002-10-01", "AB1 2CD", "L1", PERIOD, *map(str, GOOD)]]
    records = read_children([write_csv(tmp_path / "e.csv", rows)], geography())
    assert len(records.children) == 1
    assert records.left_out.counts["no_lookup"] == 1
    assert records.lines()[1] == ("  left out: 1 with a postcode but no small area, and no "
                                  "postcode lookup in the build (e.csv row(s) 2)")


def test_the_build_feeds_the_profile_from_the_children_and_says_the_file_wins(tmp_path):
    from xl_profile.config import load_config
    from xl_profile.demo.inputs import write_demo_inputs
    from xl_profile.pipeline import load_inputs

    said: list[str] = []
    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), said.append)
    assert ("the EYFSP file wins: 124 tidy row(s) of NI72, NI92 for 2005/06, 2006/07, 2007/08 "
            "not used (England or region rows are kept as benchmarks)") in said
    assert any(line.startswith("EYFSP child-level results: 6,843 children read")
               and "; 6,827 used" in line for line in said)
    assert any("left out: 2 with a pupil number already counted for that year" in line
               for line in said)
    ni72 = inputs.profile.results["NI72"]
    assert (ni72.period, ni72.authority.numerator, ni72.authority.denominator) == \
        ("2007/08", 1243, 2307)
    assert ni72.england is not None  # the published England row stays as the benchmark
    summary = {a.code: a for a in inputs.eyfsp.by_period["2007/08"]}
    for ward in ni72.unsuppressed_wards:  # the profile's sums of small areas = the children
        assert (ward.numerator, ward.denominator) == (summary[ward.code].good,
                                                      summary[ward.code].children)
    assert inputs.profile.results["NI92"].authority.value == \
        pytest.approx(summary[inputs.profile.geography.authority.code].ni92)
    # One pattern of hidden figures: the profile hides what the EYFSP sheet hides in its year,
    # and the other way round, for every area both print.
    printed = [ni72.authority, *ni72.clusters, *ni72.wards, *ni72.centres]
    hidden_in_profile = {a.code for a in printed if a.value is None and a.numerator is None
                         and a.note is not None and a.note.value == "suppressed"}
    hidden_in_sheet = {a.code for a in inputs.eyfsp.by_period["2007/08"]
                       if a.hidden and a.level is not Level.LSOA}
    assert hidden_in_sheet, "the demo hides some EYFSP figures"
    assert hidden_in_profile == hidden_in_sheet
    # and in every year of the profile's NI 72 trend, for the clusters and the authority
    trend = inputs.profile.trends["NI72"]
    for period in set(trend.periods) & set(inputs.eyfsp.by_period):
        gaps = {series.code for series in (trend.authority, *trend.clusters)
                for point in series.points if point.period == period
                and point.note is ValueNote.SUPPRESSED}
        sheet = {a.code for a in inputs.eyfsp.by_period[period]
                 if a.hidden and a.level in (Level.CLUSTER, Level.AUTHORITY)}
        assert gaps == sheet, period


def test_an_xlsx_file_with_numbers_in_its_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LSOA", "Period", *SCALE_CODES])
    ws.append(["L1", PERIOD, *GOOD])
    ws.append(["L2", PERIOD, 9.0, *NOT_GOOD[1:]])
    wb.save(tmp_path / "eyfsp.xlsx")
    records = read_children([tmp_path / "eyfsp.xlsx"], geography())
    assert [(c.lsoa, c.points) for c in records.children] == [
        ("L1", tuple(GOOD)), ("L2", (9, *NOT_GOOD[1:]))]


def test_a_file_without_a_period_column(tmp_path):
    header = [h if h != "period" else "year" for h in HEADER]
    assert _problems(tmp_path, [], header) == [
        "bad.csv, row 1, column period: missing column 'period' (expected a column 'period' "
        "(e.g. 2007/08); found upn, name, date_of_birth, postcode, lsoa, year, PSE_DA ...)"]


@pytest.mark.parametrize("setting, files", [("eyfsp.csv", ["eyfsp.csv"]),
                                            ("[a.csv, b.xlsx]", ["a.csv", "b.xlsx"]),
                                            ("null", [])])
def test_the_build_setting_takes_a_file_or_a_list_relative_to_the_build_file(tmp_path, setting,
                                                                              files):
    from xl_profile.config import load_config

    path = tmp_path / "build.yaml"
    path.write_text(f"geography: geo\nindicators: [i.csv]\neyfsp: {setting}\n", encoding="utf-8")
    assert load_config(path).eyfsp == [tmp_path / f for f in files]


def test_a_build_with_eyfsp_results_and_no_targets_writes_the_eyfsp_sheets(tmp_path):
    import openpyxl

    from xl_profile.cli import main
    from xl_profile.demo.inputs import write_demo_inputs

    build = write_demo_inputs(tmp_path / "data")
    text = build.read_text(encoding="utf-8")
    build.write_text("\n".join(line for line in text.splitlines()
                               if not line.startswith("targets:")) + "\n", encoding="utf-8")
    assert main(["build", str(build), "--out", str(tmp_path / "out")]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "outcomes-duty.xlsx")
    assert {"Narrowing the gap", "EYFSP by area"} <= set(book.sheetnames)
    cover = [c for row in book["Cover"].iter_rows(values_only=True) for c in row if c]
    assert "NI 72 has no target." in cover


def test_a_cluster_hidden_in_either_workbook_in_an_earlier_year_is_hidden_in_both(tmp_path):
    from dataclasses import replace

    from xl_profile.config import load_config
    from xl_profile.demo.inputs import write_demo_inputs
    from xl_profile.eyfsp_disclosure import align_disclosure
    from xl_profile.pipeline import load_inputs
    from xl_profile.trends import TrendPoint

    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), lambda _: None)
    # The EYFSP sheet hides North in 2005/06; the profile's trend hides South in 2006/07.
    summary = replace(inputs.eyfsp, by_period={
        period: tuple(replace(a, hidden=True) if (period, a.code) == ("2005/06", "CL-N") else a
                      for a in areas) for period, areas in inputs.eyfsp.by_period.items()})
    trend = inputs.profile.trends["NI72"]
    south = trend.cluster("CL-S")
    south = replace(south, points=tuple(TrendPoint(p.period, None, ValueNote.SUPPRESSED, False)
                                        if p.period == "2006/07" else p for p in south.points))
    trend = replace(trend, clusters=tuple(south if s.code == "CL-S" else s
                                          for s in trend.clusters))
    profile = replace(inputs.profile, trends={**inputs.profile.trends, "NI72": trend})

    profile, summary = align_disclosure(profile, summary)
    north = {p.period: p for p in profile.trends["NI72"].cluster("CL-N").points}
    assert north["2005/06"].value is None and not north["2005/06"].plotted
    assert north["2006/07"].plotted, "other years are untouched"
    hidden = {(period, a.code) for period, areas in summary.by_period.items() for a in areas
              if a.hidden and a.level is Level.CLUSTER}
    assert {("2005/06", "CL-N"), ("2006/07", "CL-S")} <= hidden
    assert ("2007/08", "CL-S") not in hidden
