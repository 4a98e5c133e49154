"""The Overview's trend cells: the pure cells and scale, and the sparklines of the saved
workbook, whose ranges must hold the model's series."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries

from demo_build import BUILT_ON, demo_profile
from test_trends import VALUES, profile, rows
from workbooks.cluster_profile import write_cluster_profiles
from workbooks.overview_sheets import TREND_COL
from workbooks.overview_trends import AUTHORITY_COL, CLUSTER_COL, TREND_DATA
from xl_profile.layout import load_template
from xl_profile.overview import (TrendCell, build_overview, overview_row, trend_cell,
                                 trend_scale)

#: A fourth year: North has three figures (one period withheld), Central three (one
#: suppressed), the borough three (one withheld).
FOUR_YEARS = VALUES + rows("2008/09", [(66, 100), (72, 100), (41, 100), (55, 100), (35, 100),
                                       (25, 100)])


def test_a_cell_is_drawn_from_three_figures_with_gaps_named():
    result = profile(FOUR_YEARS)
    trend = result.trends["BF"]
    north = trend_cell(trend.cluster("K1"), result.results["BF"])
    assert north.drawn and north.words == ""
    assert north.periods == ("2005/06", "2006/07", "2007/08", "2008/09")
    assert north.values == (65.0, None, 69.0, 69.0)
    assert north.notes == ("", "withheld", "", "")
    central = trend_cell(trend.cluster("K2"), result.results["BF"])
    assert central.values == (45.0, 48.5, None, 48.0) and central.notes[2] == "suppressed"


def test_fewer_than_three_figures_are_words():
    three_years = profile()
    result = three_years.results["BF"]
    # Three periods, but North has two figures and the borough two: words, not a chart.
    north = trend_cell(three_years.trends["BF"].cluster("K1"), result)
    assert north.words == "two periods" and not north.drawn
    assert north.values == (65.0, None, 69.0)  # kept for the data sheet
    two_years = profile([v for v in VALUES if v.period != "2005/06"])
    assert trend_cell(None, two_years.results["BF"]).words == "two periods"
    one_year = profile([v for v in VALUES if v.period == "2007/08"])
    row = overview_row(one_year.results["BF"], "K1")
    assert (row.cluster_trend.words, row.authority_trend.words) == ("one period", "one period")
    assert row.trend_scale is None
    with pytest.raises(ValueError, match="BF has 3 periods but no series"):
        trend_cell(None, result)


def test_both_cells_share_one_scale_with_room_below_the_lowest():
    result = profile(FOUR_YEARS)
    row = overview_row(result.results["BF"], "K1", result.trends["BF"])
    # North 65, 69, 69 and the borough 45, 33.5, 49: low 33.5, high 69, span 35.5.
    assert row.authority_trend.values == (45.0, None, 33.5, 49.0)
    low, high = row.trend_scale
    assert low == pytest.approx(33.5 - 0.3 * 35.5) and high == pytest.approx(69 + 0.1 * 35.5)
    # A flat series is not blown up: the span is at least a tenth of the level.
    flat = TrendCell(("2005/06", "2006/07", "2007/08"), (50.0, 50.5, 51.0), ("", "", ""))
    assert trend_scale([flat]) == pytest.approx((50.0 - 0.3 * 5.1, 51.0 + 0.1 * 5.1))
    assert trend_scale([TrendCell(words="one period")]) is None  # nothing drawn


# --- the saved demo workbook ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("trends")
    profile = demo_profile(root / "data")
    (north, *_rest) = write_cluster_profiles(profile, root, built_on=BUILT_ON)
    return profile, north


def sheet_xml(path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
        return z.read(f"xl/worksheets/sheet{names.index(name) + 1}.xml").decode()


def sparklines(path) -> list[tuple[dict[str, str], str, str]]:
    """(group attributes, data range, cell) of every sparkline on the Overview."""
    found = []
    for attrs, body in re.findall(r"<x14:sparklineGroup ([^>]*)>(.*?)</x14:sparklineGroup>",
                                  sheet_xml(path, "Overview"), re.S):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', attrs))
        for ref, cell in re.findall(r"<xm:f>(.*?)</xm:f><xm:sqref>(.*?)</xm:sqref>", body):
            found.append((attributes, ref.replace("&apos;", "'"), cell))
    return found


def test_sparkline_ranges_hold_the_models_series(demo):
    profile, north = demo
    overview = build_overview(profile, "CL-N", load_template())
    book = openpyxl.load_workbook(north)
    sheet, data = book["Overview"], book[TREND_DATA]
    assert data.sheet_state == "hidden"
    by_title = {r.title: r for r in overview.rows}
    found = sparklines(north)
    drawn = [(r.indicator_id, kind) for r in overview.rows for kind, cell in
             (("cluster", r.cluster_trend), ("authority", r.authority_trend)) if cell.drawn]
    assert len(found) == len(drawn) >= 6, "NI 72's cluster and five authority series"
    seen = set()
    for attributes, ref, cell in found:
        assert attributes["type"] == "column" and attributes["displayEmptyCellsAs"] == "gap"
        assert attributes["last"] == "1"
        title = sheet[re.sub(r"^[A-Z]+", "A", cell)].value
        item = by_title[title]
        col = column_index_from_string(re.match(r"[A-Z]+", cell).group()) - 1
        kind = {TREND_COL: "cluster", TREND_COL + 1: "authority"}[col]
        seen.add((item.indicator_id, kind))
        trend = profile.trends[item.indicator_id]
        series = trend.cluster("CL-N") if kind == "cluster" else trend.authority
        sheet_name, cells = ref.rsplit("!", 1)
        assert sheet_name == f"'{TREND_DATA}'"
        min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
        assert min_col == max_col == 1 + (CLUSTER_COL if kind == "cluster" else AUTHORITY_COL)
        block = list(data.iter_rows(min_row=min_row, max_row=max_row, values_only=True))
        assert [r[0] for r in block] == [title] * len(trend.periods)
        cell = item.cluster_trend if kind == "cluster" else item.authority_trend
        assert [r[1] for r in block] == list(cell.periods)
        assert [r[min_col - 1] for r in block] == pytest.approx(list(series.values))
        assert [r[min_col] or "" for r in block] == list(cell.notes)  # why a bar is missing
        values = [v for v in series.values if v is not None]
        assert float(attributes["manualMin"]) < min(values)
        assert float(attributes["manualMax"]) > max(values)
    assert seen == set(drawn)
    ni72 = profile.trends["NI72"].cluster("CL-N").values
    assert ni72[:2] == (None, None) and None not in ni72[2:], "years before the child file: gaps"


def test_cells_in_words_say_how_many_periods(demo):
    profile, north = demo
    overview = build_overview(profile, "CL-N", load_template())
    sheet = openpyxl.load_workbook(north)["Overview"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    one, words = 0, 0
    for item in overview.rows:
        row = rows[item.title]
        cells = (item.cluster_trend, item.authority_trend)
        for offset, cell in enumerate(cells):
            if not cell.drawn:
                words += 1
                value = sheet.cell(row, TREND_COL + 1 + offset).value
                together = not any(c.drawn for c in cells) and cells[0].words == cells[1].words
                assert value == (None if together and offset else cell.words)
        if item.cluster_trend.words == item.authority_trend.words == "one period":
            one += 1
            left = sheet.cell(row, TREND_COL + 1).coordinate
            right = sheet.cell(row, TREND_COL + 2).coordinate
            assert f"{left}:{right}" in merged
    assert one > 20 and words > one
