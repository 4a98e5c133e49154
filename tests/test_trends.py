"""Trends: each indicator's series for the authority and the clusters, made as the latest
period's figures are made, with withheld, suppressed and estimated periods as gaps."""

from __future__ import annotations

import pytest

from xl_profile.catalogue import Catalogue
from xl_profile.models import (Area, Geography, IndicatorDefinition, IndicatorValue, Level,
                               Membership, Provenance, ValueNote)
from xl_profile.profile import compute_profile
from xl_profile.trends import MIN_PERIODS


def geography() -> Geography:
    """Borough A with clusters North (wards W1, W2), Central (W3, W4) and South (W5, W6); one
    LSOA per ward (L1 in W1, ...), 1,000 people each."""
    areas = [Area(code="A", name="Borough", level=Level.AUTHORITY)]
    areas += [Area(code=f"K{k}", name=name, level=Level.CLUSTER, parent="A")
              for k, name in ((1, "North"), (2, "Central"), (3, "South"))]
    areas += [Area(code=f"W{i}", name=f"Ward {i}", level=Level.WARD, parent="A")
              for i in range(1, 7)]
    areas += [Area(code=f"L{i}", name=f"LSOA {i}", level=Level.LSOA, parent=f"W{i}",
                   population=1000) for i in range(1, 7)]
    members = [Membership(child=f"W{i}", parent=f"K{(i + 1) // 2}", share=1) for i in range(1, 7)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


DEFINITION = IndicatorDefinition(
    id="BF", title="Breastfeeding at 6-8 weeks", section="Be healthy", unit="percentage",
    polarity="high is good", numerator="n", denominator="d", ci_method="wilson", multiplier=100,
    source="PCT", native_level="lsoa", period_type="financial year")


def rows(period: str, counts: list) -> list[IndicatorValue]:
    """LSOA rows L1.. from (numerator, denominator) pairs; None: no row; a number: a value
    published without counts."""
    out = []
    for i, pair in enumerate(counts, start=1):
        if pair is None:
            continue
        num, den = pair if isinstance(pair, tuple) else (None, None)
        out.append(IndicatorValue(indicator_id="BF", area_code=f"L{i}", period=period,
                                  numerator=num, denominator=den,
                                  value=None if num is not None else pair,
                                  provenance=Provenance(level=Level.LSOA)))
    return out


def authority_row(period: str, num: int, den: int) -> IndicatorValue:
    return IndicatorValue(indicator_id="BF", area_code="A", period=period, numerator=num,
                          denominator=den, provenance=Provenance(level=Level.AUTHORITY))


#: 2005/06 complete; 2006/07 with L2 missing (North and the sum for the borough withheld);
#: 2007/08 with Central's counts 2 and 1 (Central suppressed, South hidden beside it so that
#: Central's count cannot be worked out from the borough's total).
VALUES = (rows("2005/06", [(60, 100), (70, 100), (40, 100), (50, 100), (30, 100), (20, 100)])
          + rows("2006/07", [(62, 100), None, (45, 100), (52, 100), (33, 100), (21, 100)])
          + rows("2007/08", [(64, 100), (74, 100), (2, 100), (1, 100), (36, 100), (24, 100)]))


def profile(values=VALUES):
    return compute_profile(geography(), Catalogue(indicators=(DEFINITION,)), values)


def test_series_by_hand_with_withheld_and_suppressed_periods_as_gaps():
    trend = profile().trends["BF"]
    assert trend.periods == ("2005/06", "2006/07", "2007/08")
    # Borough: 270/600 = 45.0%; 2006/07 withheld (L2 missing); 201/600 = 33.5%.
    assert trend.authority.values == (45.0, None, 33.5)
    assert trend.authority.points[1].note is ValueNote.INCOMPLETE
    north, central, south = trend.clusters
    assert (north.name, north.values) == ("North", (65.0, None, 69.0))  # 130/200, -, 138/200
    assert north.points[1].note is ValueNote.INCOMPLETE and north.points[1].value is None
    assert central.values == (45.0, 48.5, None)  # 90/200, 97/200, then 3 of 200: suppressed
    assert central.points[2].note is ValueNote.SUPPRESSED and central.points[2].value is None
    assert south.values == (25.0, 27.0, None)  # hidden so that Central cannot be recovered
    assert south.points[2].note is ValueNote.SUPPRESSED
    assert [s.plotted for s in (trend.authority, north, central, south)] == [2, 2, 2, 2]
    assert trend.cluster("K2") is central


def test_each_point_is_the_profiles_figure_for_its_period():
    full = profile()
    trend = full.trends["BF"]
    for i, period in enumerate(trend.periods):
        # The same data up to that period makes it the latest: the profile's own figures.
        alone = profile([v for v in VALUES if v.period <= period]).results["BF"]
        assert alone.period == period
        for series, area in zip((trend.authority, *trend.clusters),
                                (alone.authority, *alone.clusters)):
            point = series.points[i]
            assert (point.period, point.value, point.note) == (period, area.value
                                                               if area.shown else None, area.note)


def test_latest_figures_are_unchanged_by_earlier_periods():
    with_history = profile().results["BF"]
    latest_only = profile([v for v in VALUES if v.period == "2007/08"]).results["BF"]
    assert with_history.authority == latest_only.authority
    assert with_history.clusters == latest_only.clusters
    assert with_history.wards == latest_only.wards
    assert with_history.centres == latest_only.centres


def test_an_estimate_is_a_gap_but_keeps_its_value():
    # L1 published as a value only in 2005/06: North's figure is an estimate that year.
    values = rows("2005/06", [60.0, (70, 100), (40, 100), (50, 100), (30, 100), (20, 100)]) \
        + VALUES[6:]
    north = profile(values).trends["BF"].cluster("K1")
    first = north.points[0]
    assert first.note is ValueNote.ESTIMATED and first.value == pytest.approx(65.0)
    assert not first.plotted and north.values[0] is None


def test_a_published_authority_figure_fills_a_period_its_parts_cannot():
    values = VALUES + [authority_row("2006/07", 214, 600)]
    trend = profile(values).trends["BF"]
    assert trend.authority.values == (45.0, pytest.approx(214 / 6), 33.5)
    assert trend.cluster("K1").values[1] is None  # a cluster is never taken from the borough


def test_fewer_than_three_periods_make_no_trend():
    assert MIN_PERIODS == 3
    two = profile([v for v in VALUES if v.period != "2005/06"])
    assert two.results["BF"].periods_available == ("2006/07", "2007/08")
    assert two.trends == {}


def test_asking_for_a_cluster_without_a_series_names_the_clusters():
    with pytest.raises(KeyError, match="'K9'.*K1, K2, K3"):
        profile().trends["BF"].cluster("K9")


def test_a_year_the_data_do_not_have_is_a_gap_not_left_out():
    # 2006/07 is missing from the data altogether: drawn side by side, 2005/06 and 2007/08
    # would read as consecutive years. It is a period of its own, a gap saying "no data".
    values = (rows("2004/05", [(58, 100)] * 6) + rows("2005/06", [(60, 100)] * 6)
              + rows("2007/08", [(64, 100)] * 6))
    trend = profile(values).trends["BF"]
    assert trend.periods == ("2004/05", "2005/06", "2006/07", "2007/08")
    assert trend.authority.values == (pytest.approx(58.0), pytest.approx(60.0), None,
                                      pytest.approx(64.0))
    assert trend.authority.points[2].note is ValueNote.MISSING
    assert all(c.values[2] is None for c in trend.clusters)
    assert trend.authority.plotted == 3


def test_years_are_filled_between_the_first_and_the_last_only_where_they_can_be():
    from xl_profile.trends import with_gaps

    assert with_gaps(("2005", "2008")) == ("2005", "2006", "2007", "2008")
    assert with_gaps(("1999/00", "2001/02")) == ("1999/00", "2000/01", "2001/02")
    assert with_gaps(("2011/12-2013/14", "2014/15")) == ("2011/12-2013/14", "2014/15")
