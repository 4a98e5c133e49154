"""Need by ward coverage class: the profile's indicators summed over wholly, partly and not
covered wards (numerators and denominators summed, never percentages averaged)."""

from __future__ import annotations

from dataclasses import dataclass

from . import stats
from .aggregate import Part, Sum, area_populations, sum_parts
from .coverage import CoverageClass, WardCoverage
from .models import Geography
from .profile import AreaResult, IndicatorResult, ProfileData
from .suppression import is_small


@dataclass(frozen=True)
class ClassValue:
    value: float | None
    lower95: float | None
    upper95: float | None
    wards: int
    #: How the figure was made or why it is withheld, in words.
    basis: str = ""


def _class_value(result: IndicatorResult, codes: set[str], threshold: int = 5,
                 profile_geography: Geography | None = None) -> ClassValue:
    """The class total over the wards' true counts, by the same rules as every other total."""
    found = {w.code: w for w in (result.unsuppressed_wards or result.wards) if w.code in codes}
    d = result.definition
    if not codes:
        return ClassValue(None, None, None, 0, "no wards in this class")
    pops = area_populations(profile_geography) if profile_geography is not None else {}
    # A ward of the class with no result at all is a missing part, never left out of the sum.
    total = sum_parts(d, [Part.of_sum(c, _as_sum(found[c], pops.get(c))) if c in found
                          else Part(c) for c in sorted(codes)], "ward")
    if d.disclosure_control and is_small(total.numerator, threshold):
        return ClassValue(None, None, None, len(codes), "small count suppressed")
    limits = None
    if total.comparable:
        limits = stats.indicator_limits(d.ci_method, total.numerator, total.denominator,
                                        d.multiplier)
    return ClassValue(total.value, limits.lower95 if limits else None,
                      limits.upper95 if limits else None, len(codes), total.basis)


def _as_sum(w: AreaResult, population: float | None) -> Sum:
    weight = w.denominator if w.denominator is not None else population
    return Sum(w.numerator, w.denominator, w.value, note=w.note, weight=weight, basis=w.basis)


def need_by_class(profile: ProfileData, coverage: list[WardCoverage]
                  ) -> list[tuple[IndicatorResult, dict[CoverageClass, ClassValue]]]:
    """Each ward-level indicator's value in each coverage class.

    A class with a ward missing or suppressed at source gets no value rather than an undercount;
    wards hidden by disclosure control still count (their true counts are summed).
    """
    members = {c: {w.code for w in coverage if w.coverage is c} for c in CoverageClass}
    rows = []
    for result in profile.in_section_order():
        if not result.wards or all(w.value is None for w in result.wards):
            continue
        rows.append((result, {c: _class_value(result, codes, profile_geography=profile.geography)
                              for c, codes in members.items()}))
    return rows
