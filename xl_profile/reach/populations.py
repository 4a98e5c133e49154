"""Reach-area populations (the denominators of reach), and why one is missing where it is.

A population that is missing, or summed from a reach area some of whose parts have no figure, is
not a denominator: a partial sum would overstate reach (missing parts would count as zero).
Such a centre's population is None, with a note saying why, and its reach % is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Geography, Level, ValueNote
from .measures import GROUPS

Values = dict[str, dict[str, float | None]]
Notes = dict[str, dict[str, str]]


def profile_populations(profile) -> tuple[Values, Notes]:
    """Each centre's group populations from the profile's best-fitted centre numerators, and for
    each one missing, why (no figures, suppressed, or parts of the reach area without a figure)."""
    geography = profile.geography
    values: Values = {}
    notes: Notes = {}
    for centre in geography.at_level(Level.CENTRE):
        values[centre.code], notes[centre.code] = {}, {}
        for group, (_label, indicator) in GROUPS.items():
            value, why = _centre_population(profile, indicator, centre.code)
            values[centre.code][group] = value
            if why:
                notes[centre.code][group] = why
    return values, notes


def populations_from_profile(profile) -> Values:
    """Each centre's group populations (None where missing or incomplete); see
    :func:`profile_populations` for why one is missing."""
    return profile_populations(profile)[0]


def _centre_population(profile, indicator: str | None, code: str) -> tuple[float | None, str]:
    if indicator is None:
        return None, "no population is published for this group"
    result = profile.results.get(indicator)
    if result is None:
        return None, f"no {indicator} figures in the indicator files"
    area = result.area(code)
    if area is None:
        return None, f"no {indicator} figure for the reach area"
    if area.value is None or area.numerator is None:
        if area.note is ValueNote.SUPPRESSED:
            return None, f"{indicator} for the reach area is suppressed (small count)"
        return None, f"{indicator} for the reach area {area.basis or 'has no figure'}"
    if area.numerator <= 0:
        return None, f"{indicator} for the reach area is 0"
    return float(area.numerator), ""


def lsoa_populations(geography: Geography, population_0_4_by_lsoa: Mapping[str, float],
                     target_population_by_lsoa: Mapping[str, Mapping[str, float]] | None = None
                     ) -> tuple[Values, Notes]:
    """Each centre's reach-area populations, the sum of share x LSOA population, and for each
    one missing, why.

    Args:
        population_0_4_by_lsoa: LSOA -> children aged 0-4.
        target_population_by_lsoa: group (a key of :data:`GROUPS`, or ``"ethnicity:<group>"``)
            -> LSOA -> count. A group missing any LSOA of a centre's reach area has no
            population for that centre (a partial sum would overstate reach).
    """
    groups = {"all": population_0_4_by_lsoa, **(target_population_by_lsoa or {})}
    members: dict[str, list[tuple[str, float]]] = {}
    for m in geography.memberships:
        parent = geography.by_code.get(m.parent)
        if parent is not None and parent.level is Level.CENTRE:
            members.setdefault(m.parent, []).append((m.child, m.share))
    values: Values = {}
    notes: Notes = {}
    for centre in geography.at_level(Level.CENTRE):
        parts = members.get(centre.code, [])
        values[centre.code], notes[centre.code] = {}, {}
        for group, counts in groups.items():
            gaps = [lsoa for lsoa, _ in parts if counts.get(lsoa) is None]
            column = "population_0_4" if group == "all" else group
            if not parts:
                notes[centre.code][group] = "the reach area holds no LSOA"
            elif gaps:
                notes[centre.code][group] = (f"{column} incomplete: not given for "
                                             f"{len(gaps)} of the reach area's {len(parts)} LSOAs")
            values[centre.code][group] = None if not parts or gaps else \
                sum(share * float(counts[lsoa]) for lsoa, share in parts)
    return values, notes


def populations_from_lsoa(geography: Geography, population_0_4_by_lsoa: Mapping[str, float],
                          target_population_by_lsoa: Mapping[str, Mapping[str, float]] | None = None
                          ) -> Values:
    """Each centre's reach-area populations (see :func:`lsoa_populations`)."""
    return lsoa_populations(geography, population_0_4_by_lsoa, target_population_by_lsoa)[0]
