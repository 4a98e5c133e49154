"""Need by ward coverage class: the profile's indicators summed over wholly, partly and not
covered wards (numerators and denominators summed, never percentages averaged)."""

from __future__ import annotations

from dataclasses import dataclass

from . import stats
from .aggregate import value_of
from .coverage import CoverageClass, WardCoverage
from .profile import IndicatorResult, ProfileData


@dataclass(frozen=True)
class ClassValue:
    value: float | None
    lower95: float | None
    upper95: float | None
    wards: int


def _class_value(result: IndicatorResult, codes: set[str]) -> ClassValue:
    """Summed value over the wards ``codes``; None when any ward lacks a count (a ward with no
    row at all, a suppressed or value-only ward, or a missing denominator)."""
    wards = [w for w in result.wards if w.code in codes]
    d = result.definition
    incomplete = len({w.code for w in wards}) < len(codes) or any(
        w.numerator is None or (d.denominator and w.denominator is None) for w in wards)
    if not d.summable or not wards or incomplete:
        return ClassValue(None, None, None, len(codes))
    num = sum(w.numerator for w in wards)
    den = sum(w.denominator for w in wards) if d.denominator else None
    value = value_of(d, num, den)
    limits = stats.indicator_limits(d.ci_method, num, den, d.multiplier)
    return ClassValue(value, limits.lower95 if limits else None,
                      limits.upper95 if limits else None, len(wards))


def need_by_class(profile: ProfileData, coverage: list[WardCoverage]
                  ) -> list[tuple[IndicatorResult, dict[CoverageClass, ClassValue]]]:
    """Each ward-level indicator's value in each coverage class.

    A class with a suppressed or missing ward gets no value rather than an undercount.
    """
    members = {c: {w.code for w in coverage if w.coverage is c} for c in CoverageClass}
    rows = []
    for result in profile.in_section_order():
        if not result.wards or all(w.value is None for w in result.wards):
            continue
        rows.append((result, {c: _class_value(result, codes) for c, codes in members.items()}))
    return rows
