"""The profile engine: aggregation up and across the geography, limits, ranks, suppression."""

from __future__ import annotations

import pytest

from xl_profile import stats
from xl_profile.models import (Area, Geography, IndicatorDefinition, IndicatorValue, Level,
                               Membership, Provenance, ValueNote)
from xl_profile.profile import compute_profile


def geography() -> Geography:
    """Authority A with wards W1 (L1, L2) and W2 (L3, L4) in cluster K; centres C1, C2.

    C1 holds all of L1 and half of L3; C2 holds L2, the other half of L3 and L4. Each LSOA has
    1,000 people, so C1 holds half of W1 and a quarter of W2.
    """
    areas = [Area(code="A", name="Authority", level=Level.AUTHORITY),
             Area(code="K", name="Cluster", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="Centre 1", level=Level.CENTRE, parent="K"),
             Area(code="C2", name="Centre 2", level=Level.CENTRE, parent="K"),
             Area(code="W1", name="Ward 1", level=Level.WARD, parent="A"),
             Area(code="W2", name="Ward 2", level=Level.WARD, parent="A")]
    areas += [Area(code=f"L{i}", name=f"LSOA {i}", level=Level.LSOA, parent="W1" if i <= 2 else "W2",
                   population=1000) for i in range(1, 5)]
    members = [Membership(child="W1", parent="K", share=1), Membership(child="W2", parent="K", share=1),
               Membership(child="L1", parent="C1", share=1),
               Membership(child="L3", parent="C1", share=0.5),
               Membership(child="L2", parent="C2", share=1),
               Membership(child="L3", parent="C2", share=0.5),
               Membership(child="L4", parent="C2", share=1)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


def definition(**kw) -> IndicatorDefinition:
    base = dict(id="P1", title="A percentage", section="Be healthy", unit="percentage",
                polarity="high is good", numerator="n", denominator="d", ci_method="wilson",
                multiplier=100, source="PCT", native_level="lsoa", period_type="financial year")
    return IndicatorDefinition(**{**base, **kw})


def value(code, num, den, period="2007/08", level=Level.LSOA, **kw) -> IndicatorValue:
    return IndicatorValue(indicator_id=kw.pop("indicator_id", "P1"), area_code=code, period=period,
                          numerator=num, denominator=den, provenance=Provenance(level=level), **kw)


LSOA_VALUES = [value("L1", 10, 100), value("L2", 20, 100), value("L3", 30, 100), value("L4", 40, 100)]


def test_lsoa_data_sums_to_wards_centres_cluster_and_authority():
    result = compute_profile(geography(), [definition()], LSOA_VALUES).results["P1"]
    wards = {w.code: w for w in result.wards}
    assert (wards["W1"].numerator, wards["W1"].denominator) == (30, 200)
    assert wards["W1"].value == pytest.approx(15.0)
    assert wards["W2"].value == pytest.approx(35.0)
    centres = {c.code: c for c in result.centres}
    assert (centres["C1"].numerator, centres["C1"].denominator) == (25, 150)  # 10 + 30/2
    assert (centres["C2"].numerator, centres["C2"].denominator) == (75, 250)
    assert result.clusters[0].numerator == 100 and result.authority.value == pytest.approx(25.0)
    lower, upper = stats.wilson_interval(30, 200)
    assert wards["W1"].lower95 == pytest.approx(lower * 100, rel=1e-12)
    assert wards["W1"].upper95 == pytest.approx(upper * 100, rel=1e-12)


def test_ranks_comparison_and_latest_period():
    values = LSOA_VALUES + [value("L1", 99, 100, period="2006/07")]
    result = compute_profile(geography(), [definition()], values).results["P1"]
    assert result.period == "2007/08" and result.periods_available == ("2006/07", "2007/08")
    wards = {w.code: w for w in result.wards}
    assert (wards["W2"].rank, wards["W1"].rank) == (1, 2)
    expected = stats.compare_to_benchmark(15.0, wards["W1"].lower95, wards["W1"].upper95, 25.0,
                                          definition().polarity)
    assert wards["W1"].comparison is expected is stats.Comparison.WORSE


def test_published_authority_value_is_used_and_compared_with_england():
    values = LSOA_VALUES + [value("A", 1000, 4200, level=Level.AUTHORITY),
                            value("E92000001", 3000, 10000, level=Level.ENGLAND)]
    result = compute_profile(geography(), [definition()], values).results["P1"]
    assert result.authority.numerator == 1000
    assert result.england.value == pytest.approx(30.0)
    assert result.authority.comparison is not stats.Comparison.NOT_COMPARED


def test_ward_data_is_apportioned_to_centres_as_an_estimate():
    d = definition(native_level="ward")
    values = [value("W1", 20, 200, level=Level.WARD), value("W2", 60, 200, level=Level.WARD)]
    result = compute_profile(geography(), [d], values).results["P1"]
    c1 = next(c for c in result.centres if c.code == "C1")
    # C1 holds half of W1 (1,000 of 2,000 people) and a quarter of W2.
    # An apportioned count is an estimate: the value is shown, marked, with no counts or limits.
    assert c1.value == pytest.approx((20 * 0.5 + 60 * 0.25) / (200 * 0.5 + 200 * 0.25) * 100)
    assert c1.numerator == pytest.approx(20 * 0.5 + 60 * 0.25) and c1.lower95 is None
    assert c1.note is ValueNote.ESTIMATED and c1.basis.startswith("estimate: apportioned")
    assert c1.comparison is stats.Comparison.NOT_COMPARED
    assert result.published_level is Level.WARD


def test_scores_are_population_weighted_not_summed():
    d = definition(id="S1", unit="score", ci_method="none", multiplier=1, denominator="",
                   polarity="low is good")
    values = [IndicatorValue(indicator_id="S1", area_code=f"L{i}", period="2007/08", value=v,
                             provenance=Provenance(level=Level.LSOA))
              for i, v in zip(range(1, 5), [10.0, 20.0, 30.0, 50.0])]
    result = compute_profile(geography(), [d], values).results["S1"]
    assert {w.code: w.value for w in result.wards} == {"W1": 15.0, "W2": 40.0}
    assert result.authority.value == pytest.approx(27.5)
    assert all(w.numerator is None for w in result.wards)


def test_small_counts_are_suppressed_with_a_secondary_cell():
    values = [value("L1", 1, 100), value("L2", 1, 100), value("L3", 30, 100), value("L4", 40, 100)]
    g = geography()
    result = compute_profile(g, [definition()], values).results["P1"]
    wards = {w.code: w for w in result.wards}
    assert wards["W1"].numerator is None and wards["W1"].note is ValueNote.SUPPRESSED
    # W1 (count 2) is hidden; with two wards W2 would give it away by subtraction from the total.
    assert wards["W2"].note is ValueNote.SUPPRESSED and wards["W2"].value is None
    assert result.suppressed_cells >= 2


def test_missing_lsoa_withholds_the_ward_and_every_total_above_it():
    values = LSOA_VALUES[:3]
    result = compute_profile(geography(), [definition()], values).results["P1"]
    w2 = next(w for w in result.wards if w.code == "W2")
    assert w2.note is ValueNote.INCOMPLETE and w2.value is None and w2.numerator is None
    assert w2.basis == "withheld: 1 of 2 LSOAs with no data"
    assert result.clusters[0].value is None and result.authority.value is None
    assert result.authority.basis == "withheld: 1 of 4 LSOAs with no data"
    assert result.clusters[0].comparison is stats.Comparison.NOT_COMPARED
    w1 = next(w for w in result.wards if w.code == "W1")
    assert w1.value == pytest.approx(15.0) and w1.rank == 1 and w2.rank is None
    assert "P2" not in compute_profile(geography(), [definition(), definition(id="P2")],
                                       values).results


def test_authority_recent_trend_from_published_and_summed_periods():
    history = [value("A", n, 40000 + 1000 * i, period=p, level=Level.AUTHORITY)
               for i, (p, n) in enumerate([("2003/04", 994), ("2004/05", 1023),
                                           ("2005/06", 1199), ("2006/07", 1332)])]
    latest = [value(f"L{i}", n, 11175) for i, n in zip(range(1, 5), [340, 340, 340, 347])]
    result = compute_profile(geography(), [definition()], history + latest).results["P1"]
    assert result.period == "2007/08" and len(result.periods_available) == 5
    assert result.trend is stats.Trend.INCREASING
    assert compute_profile(geography(), [definition()], LSOA_VALUES).results["P1"].trend \
        is stats.Trend.CANNOT_CALCULATE
