"""Fingertips rules: comparison with a benchmark, quintiles, ranks and the recent trend."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from enum import StrEnum

from .models import Polarity

TREND_CHI2_CRITICAL = 9.54953570608324  # chi-square, 1 df, p = 0.002 (99.8%)
TREND_POINTS = 5


class Comparison(StrEnum):
    """Result of comparing an area with a benchmark, with Fingertips colours."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    BEST = "best"
    WORST = "worst"
    HIGHER = "higher"
    LOWER = "lower"
    NOT_COMPARED = "not compared"

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def symbol(self) -> str:
        """A text marker so that colour is never the only carrier of meaning."""
        return _SYMBOLS[self]


_COLOURS = {
    Comparison.BETTER: "#92D050", Comparison.SIMILAR: "#FFC000", Comparison.WORSE: "#C00000",
    Comparison.BEST: "#00B092", Comparison.WORST: "#821733", Comparison.LOWER: "#5555E6",
    Comparison.HIGHER: "#C2CCFF", Comparison.NOT_COMPARED: "#C9C9C9",
}
_SYMBOLS = {
    Comparison.BETTER: "▲", Comparison.SIMILAR: "●", Comparison.WORSE: "▼",
    Comparison.BEST: "▲▲", Comparison.WORST: "▼▼", Comparison.HIGHER: "↑",
    Comparison.LOWER: "↓", Comparison.NOT_COMPARED: "–",
}


def compare_to_benchmark(value: float | None, lower95: float | None, upper95: float | None,
                         benchmark: float | None, polarity: Polarity | str,
                         lower998: float | None = None, upper998: float | None = None,
                         two_level: bool = False) -> Comparison:
    """Fingertips "single overlapping CIs": Similar when the benchmark is inside the 95% limits.

    Outside them the area is Higher or Lower; with a polarity that becomes Better or Worse. The
    two-level variant gives Best or Worst when the benchmark is also outside the 99.8% limits.
    Missing value, limits (both levels' in the two-level variant) or benchmark give Not compared.
    """
    polarity = Polarity(polarity)
    if None in (value, lower95, upper95, benchmark) \
            or (two_level and None in (lower998, upper998)):  # as Fingertips: both levels valid
        return Comparison.NOT_COMPARED
    if lower95 <= benchmark <= upper95:
        return Comparison.SIMILAR
    higher = value > benchmark
    if polarity is Polarity.NO_JUDGEMENT:
        return Comparison.HIGHER if higher else Comparison.LOWER
    good = higher == (polarity is Polarity.HIGH_IS_GOOD)
    if two_level and not lower998 <= benchmark <= upper998:
        return Comparison.BEST if good else Comparison.WORST
    return Comparison.BETTER if good else Comparison.WORSE


def percentile_inc(values: Sequence[float], p: float) -> float:
    """Percentile as Excel PERCENTILE.INC: position (n-1)p + 1 in the sorted values, interpolated."""
    if not values:
        raise ValueError("percentile_inc needs at least one value")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1; got {p!r}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p  # 0-based form of (n-1)p + 1
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def quintile(value: float | None, values: Sequence[float], polarity: Polarity | str) -> int | None:
    """Fingertips quintile of ``value`` among ``values``: 1-5, or None under 5 values.

    Bounds are [min, P20, P40, P60, P80, max] as Fingertips finds them (see
    :func:`_quintile_bounds`); the quintile is the first i (1-5) with value <= bound[i]. When
    high is good the order is reversed, so quintile 1 is always the best fifth for indicators
    with a polarity (and the lowest fifth for no-judgement indicators).
    """
    present = [v for v in values if v is not None]
    if value is None or len(present) < 5:
        return None
    return _quintile_in(value, _quintile_bounds(present), Polarity(polarity))


def _quintile_bounds(present: list[float]) -> list[float]:
    """[min, P20, P40, P60, P80, max] exactly as Fingertips finds them
    (``ValueCategoriesCalculator.GetCategoryBounds``): fractions stepped by 1/5 in floating point,
    each inner bound interpolated and rounded to 10 decimal places, halves away from zero. The
    rounding matters: a value of 100/3 at P20 lies above its rounded bound 33.3333333333."""
    ordered = sorted(present)
    count, step = len(ordered), 1.0 / 5
    bounds = [ordered[0]]
    for i in range(1, 5):
        n = (count - 1.0) * (step * i) + 1  # 1-based position
        if n == 1.0 or n == count:
            bounds.append(ordered[0] if n == 1.0 else ordered[-1])
            continue
        k = int(n)
        bounds.append(_round_away(ordered[k - 1] + (n - k) * (ordered[k] - ordered[k - 1]), 10))
    return bounds + [ordered[-1]]


def _round_away(value: float, digits: int) -> float:
    """.NET's Math.Round(value, digits, MidpointRounding.AwayFromZero), step for step: scaled by
    10**digits, the whole part kept and one added (away from zero) for a fraction of a half or
    more, then scaled back."""
    power = 10.0 ** digits
    scaled = value * power
    whole = float(math.trunc(scaled))
    if abs(scaled - whole) >= 0.5:
        whole += math.copysign(1.0, scaled)
    return whole / power


def _quintile_in(value: float, bounds: list[float], polarity: Polarity) -> int:
    q = next((i for i in range(1, 6) if value <= bounds[i]), 5)
    return 6 - q if polarity is Polarity.HIGH_IS_GOOD else q


def quintiles(values: Sequence[float | None], polarity: Polarity | str) -> list[int | None]:
    """Quintile of each value among all present values (None for missing ones); the bounds are
    found once for the whole list."""
    present = [v for v in values if v is not None]
    if len(present) < 5:
        return [None] * len(values)
    bounds, polarity = _quintile_bounds(present), Polarity(polarity)
    return [None if v is None else _quintile_in(v, bounds, polarity) for v in values]


def rank_with_ties(values: Sequence[float | None], descending: bool = True) -> list[int | None]:
    """Competition ranks as Excel RANK.EQ (1, 2, 2, 4); missing values are not ranked."""
    # Each value's rank is 1 + the number of values beyond it: found by bisection in the
    # sorted values rather than by counting them for every value.
    present = sorted(v for v in values if v is not None)
    n = len(present)
    if descending:
        return [None if v is None else 1 + n - bisect.bisect_right(present, v) for v in values]
    return [None if v is None else 1 + bisect.bisect_left(present, v) for v in values]


class Trend(StrEnum):
    """Fingertips recent trend marker."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_CHANGE = "no significant change"
    CANNOT_CALCULATE = "cannot be calculated"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def _trend_terms(counts: Sequence[float], denominators: Sequence[float]) -> tuple[float, float]:
    """(signed slope term, chi-square) of the chi-square test for trend in proportions."""
    t = range(1, len(counts) + 1)
    o, n = sum(counts), sum(denominators)
    sum_ot = sum(c * i for c, i in zip(counts, t))
    sum_nt = sum(d * i for d, i in zip(denominators, t))
    sum_nt2 = sum(d * i * i for d, i in zip(denominators, t))
    slope = n * sum_ot - o * sum_nt
    variance = o * (n - o) * (n * sum_nt2 - sum_nt**2)
    return slope, (n * slope**2 / variance if variance else 0.0)


def trend_chi2(counts: Sequence[float], denominators: Sequence[float]) -> float:
    """Chi-square statistic for a linear trend in proportions (Fingertips formula)."""
    if len(counts) != len(denominators) or len(counts) < 2:
        raise ValueError("trend_chi2 needs matching counts and denominators, at least two points")
    return _trend_terms(counts, denominators)[1]


def recent_trend(counts: Sequence[float], denominators: Sequence[float]) -> Trend:
    """Fingertips recent trend over the last 5 points for a proportion.

    Significant when chi-square > 9.5495 (99.8%), and flagged only when the slope keeps its sign
    whichever single point is left out.
    """
    if len(counts) < TREND_POINTS or len(counts) != len(denominators):
        return Trend.CANNOT_CALCULATE
    counts, denominators = list(counts)[-TREND_POINTS:], list(denominators)[-TREND_POINTS:]
    if any(d <= 0 for d in denominators) or sum(counts) in (0, sum(denominators)):
        return Trend.CANNOT_CALCULATE
    slope, statistic = _trend_terms(counts, denominators)
    if statistic <= TREND_CHI2_CRITICAL:
        return Trend.NO_CHANGE
    for left_out in range(TREND_POINTS):
        keep = [i for i in range(TREND_POINTS) if i != left_out]
        sub_slope, _ = _trend_terms([counts[i] for i in keep], [denominators[i] for i in keep])
        if sub_slope * slope <= 0:
            return Trend.NO_CHANGE
    return Trend.INCREASING if slope > 0 else Trend.DECREASING


def rank_eq(value: float, values: Sequence[float | None], descending: bool = True) -> int:
    """Rank of ``value`` among ``values`` as Excel RANK.EQ: ties share the best rank; blanks and
    text (a header in a whole-column reference) are skipped.

    Raises:
        ValueError: ``value`` is not one of ``values`` (Excel gives #N/A).
    """
    present = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if value not in present:
        raise ValueError(f"value {value!r} is not among the {len(present)} values; RANK.EQ "
                         f"ranks a value within its own list")
    return rank_with_ties([value, *present], descending)[0]


#: Small areas (LSOAs) in England: 32,844 from 2011 (IMD 2015 and 2019), 32,482 for 2001.
ENGLAND_LSOAS_2011 = 32_844


def deprived_gap_by_rank(numerators: Sequence[float | None], denominators: Sequence[float | None],
                         imd_ranks: Sequence[float | None], fraction: float = 0.3,
                         national_count: int = ENGLAND_LSOAS_2011):
    """Gap (:class:`~xl_profile.stats.Gap`) between the small areas in the most deprived
    ``fraction`` of England (IMD rank 1 = most deprived) and the rest, from summed counts.

    A row wholly blank is skipped; a row with only some of its three figures is an error, never
    dropped unseen.
    """
    from .stats import deprived_gap  # stats re-exports this module: imported when used

    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be between 0 and 1; got {fraction!r}")
    if national_count < 1:
        raise ValueError(f"national_count must be 1 or more; got {national_count!r}")
    if not len(numerators) == len(denominators) == len(imd_ranks):
        raise ValueError(f"numerators, denominators and imd_ranks must be the same length; got "
                         f"{len(numerators)}, {len(denominators)} and {len(imd_ranks)}")
    rows = []
    for i, (x, n, rank) in enumerate(zip(numerators, denominators, imd_ranks), start=1):
        if x is None and n is None and rank is None:
            continue
        if None in (x, n, rank) or n < 0 or x < 0 or not 1 <= rank <= national_count:
            raise ValueError(f"row {i}: expected a numerator, a denominator and an IMD rank from "
                             f"1 to {national_count}; found {x!r}, {n!r}, {rank!r}")
        rows.append((x, n, rank <= fraction * national_count))
    return deprived_gap(rows)
