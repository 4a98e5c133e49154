"""NI 72 and NI 92 for small areas, wards, centres, clusters and the authority, from the
children of the authority's own EYFSP results (:mod:`xl_profile.eyfsp_feed`).

Each child counts in its small area (LSOA), the ward and cluster holding that small area, the
centre the small area is best-fitted to (a small area shared between centres goes whole to the
centre with the largest share, as the ONS best-fit method allocates it), and the authority.
NI 92 is computed from the children of each area, never averaged from smaller areas.

Disclosure control before anything is printed (:func:`summarise`): a figure is hidden where the
children reaching a good level, or those not reaching it, number 1 to threshold-1, with secondary
suppression (:func:`suppression.suppress_groups`) so that no hidden figure can be worked out from
a total: small areas within their ward and centre, wards within their cluster and the authority,
clusters within the authority. NI 92 is shown only where the lowest-achieving 20% holds at least
threshold children, so that no child's total can be worked out from the mean.

The profile is fed the true counts of the small areas (:func:`profile_values`) and sums every
other area from them; it applies its own disclosure control to what it prints, as it does for
every indicator, and then each side hides what the other hides
(:mod:`xl_profile.eyfsp_disclosure`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .eyfsp import good_level, ni92_from_totals
from .eyfsp_feed import ChildRecords
from .models import Area, Geography, IndicatorValue, Level, Provenance
from .stats import wilson_interval
from .suppression import suppress_groups

INDICATORS = ("NI72", "NI92")
SOURCE = "EYFSP child-level results (the authority's own)"


@dataclass(frozen=True)
class AreaEYFSP:
    """One area's EYFSP figures for one year, after disclosure control.

    Attributes:
        children: children with a complete profile; good: those at a good level of development.
        hidden: True when NI 72 and its counts are hidden (a small count, or to protect one).
        ni92: None when there are no children or the lowest 20% is too small to show.
    """

    code: str
    name: str
    level: Level
    children: int
    good: int
    ni72: float | None
    lower95: float | None
    upper95: float | None
    ni92: float | None
    hidden: bool = False


@dataclass(frozen=True)
class EYFSPSummary:
    """The children read, the suppression threshold, and each year's area figures (authority,
    clusters, centres, wards, small areas) before disclosure control."""

    records: ChildRecords
    threshold: int
    by_period: dict[str, tuple[AreaEYFSP, ...]]

    def shown(self, period: str) -> list[AreaEYFSP]:
        """The year's figures as they may be printed: hidden ones without values."""
        return [_hidden(a) if a.hidden else a for a in self.by_period[period]]

    @property
    def hidden_count(self) -> int:
        return sum(a.hidden for areas in self.by_period.values() for a in areas)

    def lines(self) -> list[str]:
        return self.records.lines() + [
            f"EYFSP figures for {len(self.by_period)} year(s) by small area, ward, centre, "
            f"cluster and the authority; {self.hidden_count} area figure(s) hidden as small "
            f"counts (threshold {self.threshold}, with secondary suppression)"]


def _hidden(area: AreaEYFSP) -> AreaEYFSP:
    return AreaEYFSP(area.code, area.name, area.level, 0, 0, None, None, None, area.ni92, True)


def area_lsoas(geography: Geography) -> list[tuple[Area, list[str]]]:
    """Every area with the small areas whose children it counts, in the summary's order."""
    lsoas = [a.code for a in geography.at_level(Level.LSOA)]
    wards = geography.at_level(Level.WARD)
    of_ward = {w.code: [a.code for a in geography.children(w.code, Level.LSOA)] for w in wards}
    centre_of: dict[str, list[str]] = defaultdict(list)
    for code in lsoas:
        shares = [m for m in geography.memberships_of(code)
                  if geography.by_code[m.parent].level is Level.CENTRE]
        if shares:
            centre_of[max(shares, key=lambda m: m.share).parent].append(code)
    out = [(geography.authority, lsoas)]
    out += [(c, [s for w in geography.wards_of_cluster(c.code) for s in of_ward[w.code]])
            for c in geography.at_level(Level.CLUSTER)]
    out += [(c, centre_of.get(c.code, [])) for c in geography.at_level(Level.CENTRE)]
    out += [(w, of_ward[w.code]) for w in wards]
    out += [(geography.by_code[s], [s]) for s in lsoas]
    return out


def summarise(records: ChildRecords, geography: Geography, threshold: int = 5) -> EYFSPSummary:
    """Each year's figures for every area, with disclosure control applied (module docstring)."""
    areas = area_lsoas(geography)
    groups = _total_groups(areas, geography)
    by_period = {}
    for period in records.periods:
        per_lsoa: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        for child in records.children:
            if child.period == period:
                per_lsoa[child.lsoa].append((sum(child.points), good_level(child.points)))
        figures = [_figures(area, [c for s in codes for c in per_lsoa.get(s, ())], threshold)
                   for area, codes in areas]
        by_period[period] = tuple(_suppressed(figures, groups, threshold))
    return EYFSPSummary(records, threshold, by_period)


def _figures(area: Area, children: list[tuple[int, bool]], threshold: int) -> AreaEYFSP:
    n, good = len(children), sum(g for _t, g in children)
    ni92 = ni92_from_totals(t for t, _g in children)
    shown92 = ni92.value if ni92.lowest20_count >= threshold else None
    if not n:
        return AreaEYFSP(area.code, area.name, area.level, 0, 0, None, None, None, None)
    lower, upper = wilson_interval(good, n)
    return AreaEYFSP(area.code, area.name, area.level, n, good, good / n * 100, lower * 100,
                     upper * 100, shown92)


def _total_groups(areas: list[tuple[Area, list[str]]],
                  geography: Geography) -> list[tuple[int, list[int]]]:
    """Each total's index with the indexes of the areas it is the sum of."""
    index = {area.code: i for i, (area, _codes) in enumerate(areas)}
    authority = index[geography.authority.code]
    wards = [index[w.code] for w in geography.at_level(Level.WARD)]
    groups = [(authority, wards),
              (authority, [index[c.code] for c in geography.at_level(Level.CLUSTER)])]
    for area, codes in areas:
        if area.level is Level.CLUSTER:
            groups.append((index[area.code], [index[w.code]
                                              for w in geography.wards_of_cluster(area.code)]))
        elif area.level in (Level.WARD, Level.CENTRE):
            groups.append((index[area.code], [index[c] for c in codes]))
    return groups


def _suppressed(figures: list[AreaEYFSP], groups: list[tuple[int, list[int]]],
                threshold: int) -> Iterable[AreaEYFSP]:
    """Hide small counts of children reaching, or not reaching, a good level (and secondary
    cells): the union of the two passes leaves no total with exactly one hidden member."""
    good = suppress_groups([a.good for a in figures], groups, threshold)
    rest = suppress_groups([a.children - a.good for a in figures], groups, threshold)
    for area, g, r in zip(figures, good, rest):
        yield AreaEYFSP(**{**area.__dict__, "hidden": g or r})


def profile_values(summary: EYFSPSummary, geography: Geography) -> list[IndicatorValue]:
    """The profile's NI 72 and NI 92 rows, true counts (disclosure control is the profile's,
    on what it prints): NI 72 for every small area (0 of 0 where no child was assessed), from
    which the profile sums every other area; the authority's NI 72 as well only in a year with
    such an empty small area (the profile takes a year's authority total from its small areas
    only when each has children); and the authority's NI 92 where it may be shown."""
    values = []
    for period, areas in summary.by_period.items():
        provenance = Provenance(source=SOURCE, data_date=f"{int(period[:4]) + 1}-07")
        empty = any(a.level is Level.LSOA and not a.children for a in areas)
        for a in areas:
            if a.level is Level.LSOA or (a.level is Level.AUTHORITY and empty):
                values.append(IndicatorValue(
                    indicator_id="NI72", area_code=a.code, period=period, numerator=a.good,
                    denominator=a.children, value=a.ni72, lower95=a.lower95, upper95=a.upper95,
                    provenance=provenance.model_copy(update={"level": a.level})))
            if a.level is Level.AUTHORITY and a.ni92 is not None:
                values.append(IndicatorValue(
                    indicator_id="NI92", area_code=a.code, period=period, value=a.ni92,
                    provenance=provenance.model_copy(update={"level": a.level})))
    return values


def replace_tidy_eyfsp(values: Iterable[IndicatorValue], feed: list[IndicatorValue],
                       periods: Iterable[str], geography: Geography
                       ) -> tuple[list[IndicatorValue], list[IndicatorValue]]:
    """The tidy values with NI 72 and NI 92 of the EYFSP file's years taken from the file; and
    the tidy rows replaced. Other years, and England or region rows, are kept."""
    periods = set(periods)
    kept, replaced = [], []
    for v in values:
        if v.indicator_id in INDICATORS and v.period in periods \
                and v.area_code in geography.by_code:
            replaced.append(v)
        else:
            kept.append(v)
    return kept + feed, replaced

