"""Statistics against the published values in PHEindicatormethods and Fingertips."""

from __future__ import annotations

import random

import pytest

from xl_profile import stats
from xl_profile.models import CIMethod, Polarity

REL = 1e-9


@pytest.mark.parametrize("x, n, lower, upper", [
    (65, 100, 0.55254443296887967, 0.73635751756902468),
    (1045, 5000, 0.19795549880013297, 0.22049130373189027),
])
def test_wilson_published(x, n, lower, upper):
    assert stats.wilson_interval(x, n) == (pytest.approx(lower, rel=REL), pytest.approx(upper, rel=REL))


def test_byar_count_published():
    assert stats.byar_interval(65) == (pytest.approx(50.163187710459454, rel=REL),
                                       pytest.approx(82.849138545939837, rel=REL))


def test_rate_exact_below_ten_published():
    assert stats.rate_interval(5, 100) == (pytest.approx(1623.4863901184199, rel=REL),
                                           pytest.approx(11668.332079322669, rel=REL))


def test_count_limits_exact_below_ten_then_byar_as_phe():
    # PHE's rule for counts (phe_rate with a population of one): exact Poisson limits below 10
    # events (R: qchisq(0.025, 2x)/2 and qchisq(0.975, 2x+2)/2), Byar's from 10. Count
    # indicators are limited this way; the pure Byar formula stays for CC_BYAR.
    assert stats.count_interval(5) == (pytest.approx(1.6234863901184199, rel=REL),
                                       pytest.approx(11.668332079322669, rel=REL))
    assert stats.count_interval(5, 0.998) == (pytest.approx(0.7393717319178327, rel=1e-9),
                                              pytest.approx(16.454745203680105, rel=1e-9))
    assert stats.count_interval(1) == (pytest.approx(0.025317807984289897, rel=REL),
                                       pytest.approx(5.571643390938898, rel=REL))
    assert stats.count_interval(0) == (0.0, pytest.approx(3.6888794541139354, rel=REL))
    assert stats.count_interval(65) == stats.byar_interval(65)
    assert stats.count_interval(10) == stats.byar_interval(10)
    assert stats.byar_interval(5)[0] == pytest.approx(1.6113, abs=5e-5)  # not what counts get
    est = stats.indicator_limits(CIMethod.BYAR, 5, None)
    assert (est.value, est.lower95, est.upper95) == (5, *stats.count_interval(5))
    assert (est.lower998, est.upper998) == stats.count_interval(5, 0.998)
    assert est.lower998 is not None  # Byar's alone has no 99.8% lower limit below 10


def test_rate_byar_published():
    est = stats.indicator_limits(CIMethod.RATE, 222, 3215, 100000)
    assert est.value == pytest.approx(6905.1321928460338, rel=REL)
    assert (est.lower95, est.upper95) == (pytest.approx(6026.5748776526743, rel=REL),
                                          pytest.approx(7875.7293708718507, rel=REL))
    assert est.lower998 < est.lower95 and est.upper998 > est.upper95


def test_z_constants_and_other_levels():
    assert stats.z_for(0.95) == 1.959963984540054
    assert stats.z_for(0.998) == 3.090232306167813
    assert stats.z_for(0.9) == pytest.approx(1.6448536269514722, rel=REL)


@pytest.mark.parametrize("call, words", [
    (lambda: stats.wilson_interval(-1, 10), "x (numerator)"),
    (lambda: stats.wilson_interval(5, 0), "n (denominator)"),
    (lambda: stats.wilson_interval(11, 10), "must not exceed"),
    (lambda: stats.wilson_interval(1, 10, 1.5), "confidence"),
    (lambda: stats.byar_interval(-2), "x (count)"),
    (lambda: stats.rate_interval(3, 0), "n (population)"),
])
def test_domain_errors_name_the_parameter(call, words):
    with pytest.raises(stats.StatisticsError, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_edges():
    lower, upper = stats.wilson_interval(0, 20)
    assert lower == pytest.approx(0.0, abs=1e-15) and 0 < upper < 0.2
    lower, upper = stats.wilson_interval(20, 20)
    assert upper == pytest.approx(1.0, rel=REL) and 0.8 < lower < 1
    assert stats.byar_interval(0)[0] == 0.0
    assert stats.rate_interval(0, 1000)[0] == 0.0
    assert stats.indicator_limits(CIMethod.WILSON, 5, None) is None
    assert stats.indicator_limits(CIMethod.NONE, 5, 10) is None


@pytest.mark.parametrize("value, lo, hi, bench, polarity, expected", [
    (30, 25, 35, 33, "high is good", "similar"),
    (30, 25, 35, 35, "high is good", "similar"),  # inclusive edge
    (30, 25, 35, 20, "high is good", "better"),
    (30, 25, 35, 20, "low is good", "worse"),
    (30, 25, 35, 40, "low is good", "better"),
    (30, 25, 35, 40, "no judgement", "lower"),
    (30, 25, 35, 20, "no judgement", "higher"),
    (None, 25, 35, 20, "high is good", "not compared"),
    (30, None, 35, 20, "high is good", "not compared"),
])
def test_fingertips_comparison(value, lo, hi, bench, polarity, expected):
    assert stats.compare_to_benchmark(value, lo, hi, bench, polarity).value == expected


def test_two_level_comparison_and_colours():
    kw = dict(lower998=22, upper998=38, two_level=True)
    assert stats.compare_to_benchmark(30, 25, 35, 20, "high is good", **kw) is stats.Comparison.BEST
    assert stats.compare_to_benchmark(30, 25, 35, 23, "high is good", **kw) is stats.Comparison.BETTER
    assert stats.compare_to_benchmark(30, 25, 35, 40, "high is good", **kw) is stats.Comparison.WORST
    assert stats.Comparison.WORSE.colour == "#C00000" and stats.Comparison.WORSE.label == "Worse"
    assert stats.Comparison.LOWER.colour == "#5555E6"
    assert len({c.symbol for c in stats.Comparison}) == len(stats.Comparison)


def test_percentile_matches_excel_percentile_inc():
    # Excel: =PERCENTILE.INC({1,2,3,4,10}, 0.2) = 1.8; 0.8 -> 5.2
    assert stats.percentile_inc([4, 1, 10, 3, 2], 0.2) == pytest.approx(1.8)
    assert stats.percentile_inc([4, 1, 10, 3, 2], 0.8) == pytest.approx(5.2)


def test_quintiles_fingertips():
    values = list(range(1, 11))  # bounds: 1, 2.8, 4.6, 6.4, 8.2, 10
    low_good = stats.quintiles(values, Polarity.LOW_IS_GOOD)
    assert low_good == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert stats.quintiles(values, Polarity.HIGH_IS_GOOD) == [6 - q for q in low_good]
    assert stats.quintiles([1, 2, 3, None], Polarity.NO_JUDGEMENT) == [None] * 4
    assert stats.quintile(None, values, Polarity.NO_JUDGEMENT) is None


def test_quintile_bounds_are_rounded_to_ten_places_as_fingertips_rounds_them():
    # Fingertips (ValueCategoriesCalculator.CalculatePercentile) rounds each inner bound to 10
    # decimal places, halves away from zero: 100/3 sits at P20 of these 11 values, but its
    # bound rounds down to 33.3333333333, so the area is in the second quintile, not the first.
    values = [10, 20, 100 / 3, 40, 50, 60, 70, 80, 90, 95, 99]
    assert stats.quintiles(values, Polarity.LOW_IS_GOOD)[2] == 2
    assert stats.quintiles(values, Polarity.HIGH_IS_GOOD)[2] == 4
    assert stats.quintile(100 / 3, values, Polarity.LOW_IS_GOOD) == 2
    # .NET Math.Round(x, 10, AwayFromZero), step for step.
    from xl_profile.compare import _round_away
    assert _round_away(2.00000000005, 10) == 2.0000000001
    assert _round_away(-2.00000000005, 10) == -2.0000000001
    assert _round_away(33.333333333333336, 10) == 33.3333333333
    assert _round_away(30.800000000000004, 10) == 30.8


def test_two_level_comparison_needs_both_levels_of_limits():
    # Fingertips' SingleOverlappingCIsForTwoCILevelsComparer: invalid 99.8% limits -> not
    # compared (Byar's 99.8% lower limit does not exist for a count of 1, for one).
    for lower998, upper998 in ((None, 38), (22, None)):
        assert stats.compare_to_benchmark(30, 25, 35, 20, "high is good", lower998=lower998,
                                          upper998=upper998, two_level=True) \
            is stats.Comparison.NOT_COMPARED
    assert stats.compare_to_benchmark(30, 25, 35, 20, "high is good", upper998=38) \
        is stats.Comparison.BETTER  # one level: the 99.8% limits are not needed


def test_rank_with_ties_is_rank_eq():
    assert stats.rank_with_ties([5, 9, 5, None, 1]) == [2, 1, 2, None, 4]
    assert stats.rank_with_ties([5, 9, 5, None, 1], descending=False) == [2, 4, 2, None, 1]


def test_ranks_and_quintiles_of_a_list_match_their_definitions_value_by_value():
    # Ranks are found by bisection and quintile bounds once per list; both must equal the
    # definitions: RANK.EQ counts the values beyond, each quintile from its own bounds.
    rng = random.Random(7)
    for _ in range(200):
        values = [None if rng.random() < 0.1 else rng.choice([rng.randint(0, 9), rng.random()])
                  for _ in range(rng.randint(0, 30))]
        present = [v for v in values if v is not None]
        assert stats.rank_with_ties(values) == [
            None if v is None else 1 + sum(1 for o in present if o > v) for v in values]
        assert stats.rank_with_ties(values, descending=False) == [
            None if v is None else 1 + sum(1 for o in present if o < v) for v in values]
        for polarity in Polarity:
            assert stats.quintiles(values, polarity) == [
                stats.quintile(v, values, polarity) for v in values]


def test_recent_trend_published_example():
    counts = [994, 1023, 1199, 1332, 1367]
    dens = [40299, 41527, 42811, 44064, 44701]
    assert stats.trend_chi2(counts, dens) == pytest.approx(47.90, abs=0.005)
    assert stats.recent_trend(counts, dens) is stats.Trend.INCREASING
    assert stats.recent_trend(counts[::-1], dens[::-1]) is stats.Trend.DECREASING
    assert stats.recent_trend(counts[:4], dens[:4]) is stats.Trend.CANNOT_CALCULATE
    flat = [1000, 1001, 999, 1000, 1000]
    assert stats.recent_trend(flat, [40000] * 5) is stats.Trend.NO_CHANGE


def test_trend_needs_consistent_leave_one_out_slopes():
    # A single late spike: significant overall, but leaving it out reverses the slope.
    counts, dens = [1100, 1050, 1000, 950, 2000], [10000] * 5
    assert stats.trend_chi2(counts, dens) > 9.54953570608324
    assert stats.recent_trend(counts, dens) is stats.Trend.NO_CHANGE


def test_aggregation_sums_counts_and_weights_scores():
    assert stats.aggregate_counts([(10, 100), (None, 50), (5, 20)]) == (15, 120)
    assert stats.weighted_mean([10, 20, None], [1, 3, 5]) == pytest.approx(17.5)
    assert stats.share_most_deprived([1000, 9000, 12000], 32482) == (2, 3)


def test_deprived_gap_from_summed_counts():
    gap = stats.deprived_gap([(30, 100, True), (10, 100, True), (20, 200, False), (10, 200, False)])
    assert gap.deprived == pytest.approx(20.0) and gap.rest == pytest.approx(7.5)
    assert gap.difference == pytest.approx(12.5) and gap.ratio == pytest.approx(20 / 7.5)
