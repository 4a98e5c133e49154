"""Aggregation of indicator values up and across the geography.

Numerators and denominators are summed (LSOA -> ward -> cluster -> authority, LSOA -> centre by
best-fit share); percentages are never averaged. Scores are never summed: they become
population-weighted means. Ward-level data reaches centres by apportioning each ward by the share of
its population that lies in the centre's reach area (an estimate, flagged as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import Geography, IndicatorDefinition, IndicatorValue, Level, Unit, ValueNote


@dataclass(frozen=True)
class Sum:
    """Summed counts (or a weighted score) for one area, with how complete the sum is."""

    numerator: float | None
    denominator: float | None
    value: float | None
    parts: int
    missing_parts: int
    note: ValueNote | None = None


def _usable(v: IndicatorValue | None) -> bool:
    return v is not None and v.note is not ValueNote.SUPPRESSED and (
        v.numerator is not None or v.value is not None)


def sum_parts(definition: IndicatorDefinition, parts: Iterable[tuple[IndicatorValue | None, float]],
              weights: Mapping[str, float] | None = None) -> Sum:
    """Combine (value, share) parts into one area's numerator, denominator and value.

    Args:
        definition: the indicator (its unit decides summing vs weighted mean).
        parts: each constituent's value (None when the row is missing) and the share of it held.
        weights: population per constituent area code, for weighted means of scores.
    """
    num = den = 0.0
    has_den = False
    weighted = weight_total = 0.0
    count = missing = 0
    for value, share in parts:
        count += 1
        if not _usable(value):
            missing += 1
            continue
        if definition.summable and value.numerator is not None:
            num += value.numerator * share
            if value.denominator is not None:
                den += value.denominator * share
                has_den = True
        elif value.value is not None:
            w = share * ((weights or {}).get(value.area_code) or 1.0)
            weighted += value.value * w
            weight_total += w
        else:
            missing += 1
    if count == missing:
        return Sum(None, None, None, count, missing, ValueNote.MISSING)
    note = ValueNote.ESTIMATED if missing else ValueNote.AGGREGATED
    if not definition.summable or weight_total:
        return Sum(None, None, weighted / weight_total if weight_total else None, count, missing, note)
    value = value_of(definition, num, den if has_den else None)
    return Sum(num, den if has_den else None, value, count, missing, note)


def value_of(definition: IndicatorDefinition, numerator: float | None,
             denominator: float | None) -> float | None:
    """The indicator value from counts: x/n * multiplier for percentages and rates, x for counts."""
    if numerator is None:
        return None
    if definition.unit is Unit.COUNT:
        return numerator
    if not denominator:
        return None
    if definition.unit is Unit.RATIO:
        return numerator / denominator
    return numerator / denominator * definition.multiplier


def ward_to_centre_shares(geography: Geography) -> dict[str, list[tuple[str, float]]]:
    """For each centre, the (ward, share of the ward's population in the centre) pairs.

    Built from LSOA populations: a ward's share in a centre is the population of its LSOAs held by
    the centre (times each LSOA's membership share) over the ward's LSOA population.
    """
    ward_pop: dict[str, float] = {}
    held: dict[tuple[str, str], float] = {}
    for lsoa in geography.at_level(Level.LSOA):
        pop = lsoa.population or 0.0
        if lsoa.parent is None:
            continue
        ward_pop[lsoa.parent] = ward_pop.get(lsoa.parent, 0.0) + pop
        for m in geography.memberships_of(lsoa.code):
            if geography.by_code[m.parent].level is Level.CENTRE:
                key = (m.parent, lsoa.parent)
                held[key] = held.get(key, 0.0) + pop * m.share
    shares: dict[str, list[tuple[str, float]]] = {}
    for (centre, ward), pop in sorted(held.items()):
        if ward_pop.get(ward):
            shares.setdefault(centre, []).append((ward, pop / ward_pop[ward]))
    return shares
