"""National indicators NI 72 and NI 92 from child-level EYFSP scale points (2008/09 definitions).

The Early Years Foundation Stage Profile has 13 scales of 0-9 points (total 0-117).

Missing scales: a child with any scale not recorded has not been fully assessed, so is left out of
both numerator and denominator of NI 72 and out of NI 92 (the published indicators count children
with a complete profile); the results report how many were left out.

NI 92 ties: the lowest-achieving 20% are the k = ceil(n / 5) children with the lowest totals. The
mean of those k totals does not depend on which of several children tied at the cut are taken,
since they have the same total; the group is not widened to take in every tied child.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import XlProfileError
from .stats import wilson_interval

PSED = ("Dispositions and Attitudes", "Social Development", "Emotional Development")
CLL = ("Language for Communication and Thinking", "Linking Sounds and Letters", "Reading",
       "Writing")
PSRN = ("Numbers as Labels and for Counting", "Calculating", "Shape, Space and Measures")
OTHER = ("Knowledge and Understanding of the World", "Physical Development",
         "Creative Development")
#: All 13 scales in profile order: the column order for sequences and worksheet ranges.
SCALES = PSED + CLL + PSRN + OTHER
NI72_TOTAL = 78
NI72_SCALE_MIN = 6


class EYFSPError(XlProfileError, ValueError):
    """A child's scale points are not usable."""


@dataclass(frozen=True)
class NI72Result:
    numerator: int
    denominator: int
    value: float | None
    lower95: float | None
    upper95: float | None
    excluded_incomplete: int


@dataclass(frozen=True)
class NI92Result:
    median: float | None
    lowest20_mean: float | None
    lowest20_count: int
    value: float | None
    children: int
    excluded_incomplete: int


def _child_points(index: int, child: Any) -> list[int | None]:
    if isinstance(child, Mapping):
        unknown = set(child) - set(SCALES)
        if unknown:
            raise EYFSPError(f"child {index + 1}: unknown scale {sorted(unknown)[0]!r}; "
                             f"scales are: {', '.join(SCALES)}")
        row = [child.get(s) for s in SCALES]
    else:
        row = list(child)
        if len(row) != len(SCALES):
            raise EYFSPError(f"child {index + 1}: expected {len(SCALES)} scale points in profile "
                             f"order, found {len(row)}")
    points = []
    for scale, v in zip(SCALES, row):
        if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
            points.append(None)
            continue
        if not float(v).is_integer() or not 0 <= v <= 9:
            raise EYFSPError(f"child {index + 1}, scale {scale!r}: expected whole points 0-9, "
                             f"found {v!r}")
        points.append(int(v))
    return points


def _children(children: Iterable[Any]) -> tuple[list[list[int]], int]:
    """Complete children's points and the number left out as incomplete."""
    if hasattr(children, "to_dict") and hasattr(children, "columns"):  # a pandas DataFrame
        children = children.to_dict("records")
    complete, incomplete = [], 0
    for i, child in enumerate(children):
        points = _child_points(i, child)
        if any(p is None for p in points):
            incomplete += 1
        else:
            complete.append(points)
    return complete, incomplete


def good_level(points: Sequence[int]) -> bool:
    """True for a complete profile (13 scale points in profile order) at a good level of
    development: 78+ points in total and 6+ in each of the 7 PSED and CLL scales."""
    return sum(points) >= NI72_TOTAL and all(v >= NI72_SCALE_MIN for v in points[:7])


def ni72(children: Iterable[Sequence[Any] | Mapping[str, Any]]) -> NI72Result:
    """NI 72: % of children with 78+ points in total and 6+ in each of the 7 PSED and CLL scales."""
    complete, incomplete = _children(children)
    good = sum(1 for p in complete if good_level(p))
    n = len(complete)
    if not n:
        return NI72Result(0, 0, None, None, None, incomplete)
    lower, upper = wilson_interval(good, n)
    return NI72Result(good, n, good / n * 100, lower * 100, upper * 100, incomplete)


def ni92(children: Iterable[Sequence[Any] | Mapping[str, Any]]) -> NI92Result:
    """NI 92: (median total - mean total of the lowest 20%) / median x 100."""
    complete, incomplete = _children(children)
    return ni92_from_totals([sum(p) for p in complete], incomplete)


def ni92_from_totals(totals: Iterable[int], excluded_incomplete: int = 0) -> NI92Result:
    """NI 92 from complete children's total points (the same calculation as :func:`ni92`)."""
    totals = sorted(totals)
    incomplete = excluded_incomplete
    if not totals:
        return NI92Result(None, None, 0, None, 0, incomplete)
    median = statistics.median(totals)
    k = math.ceil(len(totals) / 5)
    lowest = statistics.fmean(totals[:k])
    value = (median - lowest) / median * 100 if median else None
    return NI92Result(median, lowest, k, value, len(totals), incomplete)
