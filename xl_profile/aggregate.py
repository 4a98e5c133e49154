"""Aggregation of indicator values up and across the geography: right, or saying it cannot be.

The rules are written out for readers in ``docs/aggregation.md``; this module is their one
implementation. In short:

* Counts are summed from the parts' true counts (suppression applies to what is printed, after
  aggregation, never to the inputs of a sum). Percentages are never averaged.
* A total over a part that is missing or was suppressed at source is withheld (note
  ``incomplete``): it is not printed, compared or ranked.
* Parts published as a value only (no counts) are combined with population weights — the part's own
  denominator where it was given, else the area's population — and the total is marked
  ``estimated``. Estimates carry no confidence limits and are never compared with a benchmark.
* Scores are population-weighted means at every level; the weight travels up with each total.
* Notes travel up: a total over an estimated part is estimated, over an unreliable part unreliable.
* A total over parts split by share (an area's count shared between areas in proportion) is
  estimated: a share of a count is not a count.

Every total says how it was made (:attr:`Sum.basis`), in words a board member can read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .models import Geography, IndicatorDefinition, IndicatorValue, Level, Unit, ValueNote

#: Notes under which a value is shown but must not be compared with a benchmark.
NOT_COMPARABLE = frozenset({ValueNote.ESTIMATED, ValueNote.UNRELIABLE, ValueNote.INCOMPLETE,
                            ValueNote.MISSING, ValueNote.SUPPRESSED, ValueNote.SYNTHETIC})


@dataclass(frozen=True)
class Sum:
    """One area's figure, with how complete it is and how it was made.

    Attributes:
        numerator, denominator: true counts; None when a count is not known exactly.
        value: the figure to print; None when it cannot be computed right.
        parts: constituents combined; missing_parts/suppressed_parts: those without usable data.
        note: qualifier (aggregated, estimated, unreliable, incomplete, missing, suppressed).
        weight: the population the value stands for (denominator, or population for scores and
            value-only estimates), so the next level up can weight it.
        basis: how the figure was made, in words.
    """

    numerator: float | None
    denominator: float | None
    value: float | None
    parts: int = 1
    missing_parts: int = 0
    note: ValueNote | None = None
    weight: float | None = None
    basis: str = ""
    suppressed_parts: int = 0
    #: True for a figure taken as published for the area itself (public already).
    published: bool = False

    @property
    def comparable(self) -> bool:
        """True when the figure may be compared with a benchmark (exact counts, complete)."""
        return self.value is not None and self.note not in NOT_COMPARABLE


class Part(NamedTuple):
    """One constituent of a total: its data (if any), the share held, and its population.

    A named tuple rather than a frozen dataclass: a profile makes hundreds of thousands of
    parts, and a tuple is made several times faster.
    """

    code: str
    share: float = 1.0
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    note: ValueNote | None = None
    population: float | None = None
    present: bool = False

    @classmethod
    def of_value(cls, code: str, row: IndicatorValue | None, share: float = 1.0,
                 population: float | None = None) -> Part:
        """A published row (or its absence) as a part."""
        if row is None:
            return cls(code, share, population=population)
        return cls(code, share, row.numerator, row.denominator, row.value, row.note,
                   population, present=True)

    @classmethod
    def of_sum(cls, code: str, s: Sum | None, share: float = 1.0) -> Part:
        """A total from the level below as a part (its weight is its population)."""
        if s is None or s.note is ValueNote.MISSING:
            return cls(code, share)
        if s.value is None:  # withheld or suppressed below: present but unusable
            return cls(code, share, note=ValueNote.INCOMPLETE, present=True)
        return cls(code, share, s.numerator, s.denominator, s.value, s.note, s.weight,
                   present=True)


def sum_parts(definition: IndicatorDefinition, parts: Iterable[Part],
              part_label: str = "area") -> Sum:
    """Combine parts into one area's figure by the rules in the module docstring.

    Args:
        definition: the indicator (its unit decides summing vs weighted mean).
        parts: each constituent with the share of it the area holds.
        part_label: what a part is called in the basis text ("LSOA", "ward", "centre").
    """
    parts = list(parts)
    missing = withheld = suppressed = 0
    # The common case, whole parts with plain counts, is summed in the same pass: a profile
    # sums hundreds of thousands of parts.
    plain = definition.summable and definition.unit is not Unit.COUNT
    num = den = 0.0
    for p in parts:
        if plain and p.note is None and p.numerator is not None and p.share == 1.0 \
                and p.denominator is not None:  # present and usable: nothing to count
            num += p.numerator
            den += p.denominator
            continue
        plain = False
        if not p.present:
            missing += 1
        elif p.note is ValueNote.INCOMPLETE:
            withheld += 1
        elif _unusable(p):
            suppressed += 1
    n = len(parts)
    if plain and n:  # as _counted_sum makes it, in the same order of addition
        return Sum(num, den, value_of(definition, num, den), n, 0, ValueNote.AGGREGATED,
                   weight=den, basis=f"sum of counts for {n} {_plural(part_label, n)}")
    if n == 0 or missing == n:
        return Sum(None, None, None, n, missing, ValueNote.MISSING,
                   basis=f"no data for any of {n} {_plural(part_label, n)}")
    if missing or suppressed or withheld:
        return Sum(None, None, None, n, missing, ValueNote.INCOMPLETE,
                   basis=_withheld_text(n, missing, suppressed, withheld, part_label),
                   suppressed_parts=suppressed)
    if not definition.summable:
        return _weighted_mean(parts, part_label)
    if all(_counted(definition, p) for p in parts):
        return _counted_sum(definition, parts, part_label)
    return _estimated_sum(definition, parts, part_label)


def _unusable(p: Part) -> bool:
    return p.note in (ValueNote.SUPPRESSED, ValueNote.INCOMPLETE) or (p.numerator is None and p.value is None)


def _counted(definition: IndicatorDefinition, p: Part) -> bool:
    """True when the part's counts are known (a count indicator's value is its count)."""
    if definition.unit is Unit.COUNT:
        return p.numerator is not None or p.value is not None
    return p.numerator is not None and p.denominator is not None


def _carried_note(parts: list[Part]) -> ValueNote:
    notes = {p.note for p in parts}
    for note in (ValueNote.ESTIMATED, ValueNote.SYNTHETIC, ValueNote.UNRELIABLE):
        if note in notes:
            return note
    return ValueNote.AGGREGATED


def _carried_text(parts: list[Part], label: str) -> str:
    counts = Counter(p.note for p in parts)
    flagged = [(note, counts[note])
               for note in (ValueNote.ESTIMATED, ValueNote.SYNTHETIC, ValueNote.UNRELIABLE)]
    return "".join(f"; {k} {_plural(label, k)} {note.value}" for note, k in flagged if k)


def _counted_sum(definition: IndicatorDefinition, parts: list[Part], label: str) -> Sum:
    num = sum(p.share * (p.numerator if p.numerator is not None else p.value) for p in parts)
    den = None
    if definition.unit is not Unit.COUNT or all(p.denominator is not None for p in parts):
        dens = [p.denominator for p in parts]
        den = sum(p.share * d for p, d in zip(parts, dens)) if None not in dens else None
    n = len(parts)
    basis = f"sum of counts for {n} {_plural(label, n)}"
    note = _carried_note(parts)
    split = sum(1 for p in parts if p.share != 1.0)
    if split:  # a share of an area's count is not a count: an estimate, as ward apportioning
        basis = f"estimate: {basis}, {split} of them split by share"
        note = ValueNote.ESTIMATED
    return Sum(num, den, value_of(definition, num, den), n, 0, note,
               weight=den, basis=basis + _carried_text(parts, label))


def _weighted_mean(parts: list[Part], label: str) -> Sum:
    """Scores: the population-weighted mean of the parts' values (exact by the method)."""
    weights = [None if p.population is None else p.share * p.population for p in parts]
    n = len(parts)
    unknown = sum(1 for w in weights if w is None)
    if unknown:
        return Sum(None, None, None, n, 0, ValueNote.INCOMPLETE,
                   basis=f"withheld: population unknown for {unknown} of {n} "
                         f"{_plural(label, n)}, so they cannot be weighted")
    total = sum(weights)
    if total <= 0:
        return Sum(None, None, None, n, 0, ValueNote.INCOMPLETE,
                   basis=f"withheld: the {_plural(label, n)} have no population to weight by")
    value = sum(p.value * w for p, w in zip(parts, weights)) / total
    basis = f"population-weighted mean of {n} {label} scores"
    return Sum(None, None, value, n, 0, _carried_note(parts), weight=total,
               basis=basis + _carried_text(parts, label))


def _estimated_sum(definition: IndicatorDefinition, parts: list[Part], label: str) -> Sum:
    """Counted and value-only parts together: a ratio estimate, marked estimated.

    A value-only part's denominator is its own where given; else its population scaled by the
    denominator-to-population ratio of the counted parts (plain population weights when no part
    is counted). Its numerator is then value x denominator. Exact counts are used as they are.
    """
    scale = 1.0 if definition.unit is Unit.RATIO else definition.multiplier
    counted = [p for p in parts if _counted(definition, p)]
    value_only = [p for p in parts if not _counted(definition, p)]
    n, k = len(parts), len(value_only)
    if any(p.denominator is None and p.population is None for p in value_only):
        unknown = sum(1 for p in value_only if p.denominator is None and p.population is None)
        return Sum(None, None, None, n, 0, ValueNote.INCOMPLETE,
                   basis=f"withheld: {unknown} of {n} {_plural(label, n)} published as a value "
                         f"only, with no denominator or population to weight them by")
    ratio = _denominator_ratio(counted)
    num = sum(p.share * p.numerator for p in counted)
    den = sum(p.share * p.denominator for p in counted)
    for p in value_only:
        part_den = p.share * (p.denominator if p.denominator is not None else p.population * ratio)
        num += p.value / scale * part_den
        den += part_den
    if den <= 0:
        return Sum(None, None, None, n, 0, ValueNote.INCOMPLETE,
                   basis=f"withheld: the {_plural(label, n)} have no population to weight by")
    # Short on purpose: it is printed beside every estimated figure; the method is in the key
    # and in docs/aggregation.md.
    basis = f"estimate: {k} of {n} {_plural(label, n)} had a rate only"
    return Sum(None, None, num / den * scale, n, 0, ValueNote.ESTIMATED, weight=den,
               basis=basis + _carried_text(parts, label))


def _denominator_ratio(counted: list[Part]) -> float:
    """Denominator per head of population over counted parts whose population is known."""
    known = [p for p in counted if p.population]
    if not known:
        return 1.0
    return sum(p.share * p.denominator for p in known) / sum(p.share * p.population for p in known)


def _withheld_text(n: int, missing: int, suppressed: int, withheld: int, label: str) -> str:
    reasons = [f"{k} of {n} {_plural(label, n)} {why}" for k, why in (
        (suppressed, "suppressed at source"), (missing, "with no data"),
        (withheld, "themselves incomplete")) if k]
    return "withheld: " + "; ".join(reasons)


def _plural(label: str, n: int) -> str:
    return label if n == 1 else label + "s"


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


def published(definition: IndicatorDefinition, row: IndicatorValue | None,
              population: float | None = None) -> Sum | None:
    """A published row taken as it is (value computed from counts when not given)."""
    if row is None:
        return None
    if row.note is ValueNote.SUPPRESSED:
        return Sum(None, None, None, 1, 0, ValueNote.SUPPRESSED, basis="suppressed at source",
                   suppressed_parts=1)
    value = row.value if row.value is not None else value_of(definition, row.numerator,
                                                            row.denominator)
    weight = row.denominator if definition.summable and row.denominator else population
    basis = "published figure" + (f" (marked {row.note.value} at source)" if row.note else "")
    return Sum(row.numerator, row.denominator, value, 1, 0, row.note, weight=weight, basis=basis,
               published=True)


def area_populations(geography: Geography) -> dict[str, float]:
    """Each area's population: its own where given, else the sum of its LSOAs' where all known."""
    out = {a.code: a.population for a in geography.areas if a.population is not None}
    for ward in geography.at_level(Level.WARD):
        if ward.code in out:
            continue
        lsoas = geography.children(ward.code, Level.LSOA)
        if lsoas and all(s.population is not None for s in lsoas):
            out[ward.code] = sum(s.population for s in lsoas)
    return out


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
