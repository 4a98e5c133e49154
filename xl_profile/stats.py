"""Published statistical methods: confidence limits, benchmark comparison, quintiles, ranks, trends.

Confidence limits follow PHE/UKHSA's PHEindicatormethods (R/utils.R ``wilson_lower``/``wilson_upper``,
``byars_lower``/``byars_upper``; R/Rates.R ``phe_rate``). Comparison, quintiles and recent trend
follow Fingertips (fingertips-open: TrendMarkerCalculator, quintile and significance rules).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scipy.stats import chi2, norm

from .errors import XlProfileError
from .models import CIMethod, Polarity
from .compare import (Comparison, Trend, compare_to_benchmark, percentile_inc,  # noqa: F401
                      quintile, quintiles, rank_with_ties, recent_trend, trend_chi2)

Z95 = 1.959963984540054
Z998 = 3.090232306167813


class StatisticsError(XlProfileError, ValueError):
    """Arguments outside a method's domain (e.g. a numerator above its denominator)."""


def z_for(confidence: float) -> float:
    """z = qnorm(c + (1 - c)/2), with the published constants for 95% and 99.8%."""
    if not 0 < confidence < 1:
        raise StatisticsError(f"confidence must be between 0 and 1 (e.g. 0.95 or 0.998); "
                              f"got {confidence!r}")
    if confidence == 0.95:
        return Z95
    if confidence == 0.998:
        return Z998
    return float(norm.ppf(confidence + (1 - confidence) / 2))


def _check_count(name: str, x: float) -> None:
    if x is None or not math.isfinite(x) or x < 0:
        raise StatisticsError(f"{name} must be a count of zero or more; got {x!r}")


def wilson_interval(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score limits of the proportion x/n, as fractions (multiply by 100 for %).

    Args:
        x: numerator, 0 <= x <= n.
        n: denominator, n > 0.
        confidence: e.g. 0.95 or 0.998.
    Raises:
        StatisticsError: x < 0, n <= 0, x > n, or confidence outside (0, 1).
    """
    _check_count("x (numerator)", x)
    if n is None or not math.isfinite(n) or n <= 0:
        raise StatisticsError(f"n (denominator) must be greater than 0; got {n!r}")
    if x > n:
        raise StatisticsError(f"x (numerator) must not exceed n (denominator); got x={x!r}, n={n!r}")
    z = z_for(confidence)
    root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    lower = (2 * x + z**2 - root) / (2 * (n + z**2))
    upper = (2 * x + z**2 + root) / (2 * (n + z**2))
    return lower, upper


def byar_interval(x: float, confidence: float = 0.95) -> tuple[float | None, float]:
    """Byar's approximation alone (PHEindicatormethods' byars_lower and byars_upper); the lower
    limit is None where the formula gives no value, and 0 for x = 0.

    Profiles use :func:`count_interval`, which, as PHE does, takes the exact limits below 10.
    """
    _check_count("x (count)", x)
    z = z_for(confidence)
    if x == 0:
        lower: float | None = 0.0
    else:
        base = 1 - 1 / (9 * x) - z / (3 * math.sqrt(x))
        lower = x * base**3 if base > 0 else None
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper


#: Below this many events PHE takes the exact Poisson limits, from it Byar's approximation.
EXACT_BELOW = 10


def count_interval(x: float, confidence: float = 0.95) -> tuple[float | None, float]:
    """Limits of a count x as PHE gives them (phe_rate's rule with a population of one): the
    exact Poisson limits (chi-square quantiles) below 10 events, Byar's from 10."""
    _check_count("x (events)", x)
    if x >= EXACT_BELOW:
        return byar_interval(x, confidence)
    z_for(confidence)  # validates confidence
    return _exact_limits(float(x), confidence)


@functools.lru_cache(maxsize=4096)  # small counts recur in every ward table
def _exact_limits(x: float, confidence: float) -> tuple[float, float]:
    lower = float(chi2.ppf((1 - confidence) / 2, 2 * x)) / 2 if x > 0 else 0.0
    upper = float(chi2.ppf(confidence + (1 - confidence) / 2, 2 * x + 2)) / 2
    return lower, upper


def rate_interval(x: float, n: float, multiplier: float = 100000,
                  confidence: float = 0.95) -> tuple[float | None, float]:
    """Limits of the crude rate x/n*multiplier (PHE phe_rate): the limits of the count x
    (:func:`count_interval`: exact below 10 events, Byar's from 10) scaled."""
    _check_count("x (events)", x)
    if n is None or not math.isfinite(n) or n <= 0:
        raise StatisticsError(f"n (population) must be greater than 0; got {n!r}")
    lower, upper = count_interval(x, confidence)
    scale = multiplier / n
    return (None if lower is None else lower * scale), upper * scale


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% and 99.8% limits (None where a limit does not exist)."""

    value: float | None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None


def indicator_limits(method: CIMethod | str, x: float | None, n: float | None,
                     multiplier: float = 100) -> Estimate | None:
    """Value and limits for an indicator's CI method; None when the counts do not allow it."""
    method = CIMethod(method)
    if x is None or method is CIMethod.NONE:
        return None
    if method is CIMethod.BYAR:  # a count: exact limits below 10, Byar's from 10, as PHE
        lo95, up95 = count_interval(x, 0.95)
        lo998, up998 = count_interval(x, 0.998)
        return Estimate(x, lo95, up95, lo998, up998)
    if not n or n <= 0 or (method is CIMethod.WILSON and x > n):
        return None
    if method is CIMethod.WILSON:
        limits = [wilson_interval(x, n, c) for c in (0.95, 0.998)]
        scaled = [None if v is None else v * multiplier for pair in limits for v in pair]
        return Estimate(x / n * multiplier, *scaled)
    lo95, up95 = rate_interval(x, n, multiplier, 0.95)
    lo998, up998 = rate_interval(x, n, multiplier, 0.998)
    return Estimate(x / n * multiplier, lo95, up95, lo998, up998)


def proportion(x: float, n: float, multiplier: float = 100) -> float:
    """x/n * multiplier, with the same argument checks as :func:`wilson_interval`."""
    wilson_interval(x, n)
    return x / n * multiplier


def aggregate_counts(pairs: Iterable[tuple[float | None, float | None]]) -> tuple[float, float]:
    """Sum (numerator, denominator) pairs; missing parts are skipped. Percentages are never averaged."""
    num = den = 0.0
    for x, n in pairs:
        if x is not None and n is not None:
            num += x
            den += n
    return num, den


def weighted_mean(values: Sequence[float | None], weights: Sequence[float | None]) -> float | None:
    """Weighted mean of the values present (for scores, which are never summed)."""
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None and w]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def share_most_deprived(ranks: Iterable[int], national_count: int,
                        fraction: float = 0.3) -> tuple[int, int]:
    """(small areas in the most deprived ``fraction`` nationally, small areas), rank 1 = most deprived."""
    ranks = list(ranks)
    cut = fraction * national_count
    return sum(1 for r in ranks if r <= cut), len(ranks)


@dataclass(frozen=True)
class Gap:
    """Gap between the most deprived small areas and the rest, for a proportion indicator."""

    deprived: float | None
    rest: float | None
    difference: float | None  # percentage points: deprived - rest
    ratio: float | None


def deprived_gap(counts: Iterable[tuple[float, float, bool]], multiplier: float = 100) -> Gap:
    """Gap for (numerator, denominator, is_most_deprived) per small area, from summed counts."""
    rows = list(counts)
    dep = aggregate_counts((x, n) for x, n, d in rows if d)
    rest = aggregate_counts((x, n) for x, n, d in rows if not d)
    a = dep[0] / dep[1] * multiplier if dep[1] else None
    b = rest[0] / rest[1] * multiplier if rest[1] else None
    diff = a - b if a is not None and b is not None else None
    ratio = a / b if a is not None and b else None
    return Gap(a, b, diff, ratio)


__all__ = ["Z95", "Z998", "StatisticsError", "z_for", "wilson_interval", "byar_interval",
           "count_interval", "rate_interval", "proportion_estimate", "rate_estimate", "Estimate", "indicator_limits",
           "proportion", "aggregate_counts",
           "weighted_mean", "share_most_deprived", "Gap", "deprived_gap", "Comparison", "Trend",
           "compare_to_benchmark", "percentile_inc", "quintile", "quintiles", "rank_with_ties",
           "recent_trend", "trend_chi2", "Polarity", "two_proportion_test"]


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """Two-sided z-test of two proportions x1/n1 and x2/n2 with the pooled proportion.

    z = (p2 - p1) / sqrt(p(1 - p)(1/n1 + 1/n2)), p = (x1 + x2)/(n1 + n2); returns (z, p-value).
    Where both proportions are 0 or both 1 there is no variation: z is 0 and p is 1.
    """
    for name, x, n in (("x1", x1, n1), ("x2", x2, n2)):
        if n is None or x is None or n <= 0 or x < 0 or x > n:
            raise StatisticsError(f"{name} must be a count from 0 to its denominator; got "
                                  f"{x!r} of {n!r}")
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 0.0, 1.0
    z = (x2 / n2 - x1 / n1) / spread
    return z, math.erfc(abs(z) / math.sqrt(2))  # = 2(1 - Phi(|z|)), without scipy's overhead


def proportion_estimate(x: float, n: float, confidence: float = 0.95) -> list[float]:
    """[x/n*100, lower, upper] with Wilson score limits, as percentages."""
    lower, upper = wilson_interval(x, n, confidence)
    return [x / n * 100, lower * 100, upper * 100]


def rate_estimate(x: float, n: float, multiplier: float = 100000,
                  confidence: float = 0.95) -> list[float | None]:
    """[x/n*multiplier, lower, upper]: exact Poisson limits below 10 events, Byar's above."""
    lower, upper = rate_interval(x, n, multiplier, confidence)
    return [x / n * multiplier, lower, upper]
