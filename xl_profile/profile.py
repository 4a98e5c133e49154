"""The profile engine: every indicator's values for wards, centres, clusters and the authority.

This is the one calculation that workbooks, worksheet functions and reports share. It takes the
latest period of each indicator, aggregates from the level the data was published at, adds limits,
ranks, quintiles and the comparison with the authority (the authority itself is compared with
England), then applies small-number suppression before anything can be written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from . import stats
from .aggregate import (NOT_COMPARABLE, Part, Sum, area_populations, sum_parts,
                        ward_to_centre_shares)
from .aggregate import published as published_sum
from .catalogue import Catalogue
from .models import (Area, Geography, IndicatorDefinition, IndicatorValue, Level, Polarity, Unit,
                     ValueNote)
from .suppression import suppress_groups
from .trends import IndicatorTrend, indicator_trend

ENGLAND_CODE = "E92000001"


@dataclass(frozen=True)
class AreaResult:
    """One area's value of one indicator, ready to show."""

    code: str
    name: str
    level: Level
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None
    note: ValueNote | None = None
    rank: int | None = None
    quintile: int | None = None
    comparison: stats.Comparison = stats.Comparison.NOT_COMPARED
    fit_quality: float | None = None
    #: How the figure was made, in words ("sum of counts for 7 wards", "withheld: ...").
    basis: str = ""
    #: True for a figure taken as published for this area itself.
    published: bool = False
    #: True where a part of the figure was suppressed by its publisher (the figure is then
    #: withheld, or suppressed itself): disclosure control protects it like a small count.
    over_suppressed: bool = False

    @property
    def shown(self) -> bool:
        """True when the value may be shown (present and not suppressed)."""
        return self.value is not None and self.note is not ValueNote.SUPPRESSED

    @property
    def comparable(self) -> bool:
        """True when the value may be compared with a benchmark: exact counts from complete parts,
        not estimated, unreliable or withheld."""
        return self.shown and self.note not in NOT_COMPARABLE

    @property
    def estimated(self) -> bool:
        return self.shown and self.note is ValueNote.ESTIMATED


@dataclass(frozen=True)
class IndicatorResult:
    """All areas' values of one indicator for its latest period."""

    definition: IndicatorDefinition
    period: str
    authority: AreaResult
    england: AreaResult | None
    clusters: tuple[AreaResult, ...]
    centres: tuple[AreaResult, ...]
    wards: tuple[AreaResult, ...]
    published_level: Level | None
    sources: tuple[str, ...]
    data_dates: tuple[str, ...]
    periods_available: tuple[str, ...]
    missing_wards: tuple[str, ...] = ()
    suppressed_cells: int = 0
    #: Ward figures before disclosure control: the true counts further totals are summed from.
    #: Never printed; suppression applies to what is printed, after aggregation.
    unsuppressed_wards: tuple[AreaResult, ...] = ()
    trend: stats.Trend = stats.Trend.CANNOT_CALCULATE

    def area(self, code: str) -> AreaResult | None:
        """The result for an area code at any level, or None."""
        for result in (self.authority, self.england, *self.clusters, *self.centres, *self.wards):
            if result is not None and result.code == code:
                return result
        return None


@dataclass(frozen=True)
class ProfileData:
    """The computed profile: one result per indicator that has data, in catalogue order."""

    geography: Geography
    catalogue: Catalogue
    results: dict[str, IndicatorResult] = field(default_factory=dict)
    #: Per indicator with three or more periods, the authority's and clusters' series.
    trends: dict[str, IndicatorTrend] = field(default_factory=dict)

    def in_section_order(self) -> list[IndicatorResult]:
        return [self.results[d.id] for d in self.catalogue if d.id in self.results]


def compute_profile(geography: Geography, catalogue: Catalogue, values: Iterable[IndicatorValue],
                    *, fit_quality: Mapping[str, float] | None = None,
                    suppression_threshold: int = 5) -> ProfileData:
    """Compute every catalogue indicator that has values.

    Args:
        geography: the authority's areas and memberships.
        catalogue: indicator definitions.
        values: tidy values (any periods and levels).
        fit_quality: per centre, the share of its population its best-fitted small areas hold.
        suppression_threshold: smallest count shown; counts 1..threshold-1 are hidden.
    """
    by_indicator: dict[str, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        by_indicator[v.indicator_id].append(v)
    frame = _Frame(geography)
    results, trends = {}, {}
    for definition in catalogue:
        rows = by_indicator.get(definition.id)
        if not rows:
            continue

        # Every period's figures are made and controlled as the latest period's are; an
        # earlier period (for the trends) skips the ward and centre limits, ranks, quintiles
        # and comparisons, which neither its totals nor its disclosure control depend on.
        def made(period: str | None = None, definition=definition, rows=rows) -> IndicatorResult:
            return disclosure_control(_compute_indicator(
                definition, rows, frame, fit_quality or {}, period, parts_in_full=period is None),
                suppression_threshold, frame.cluster_wards, frame.cluster_centres)
        results[definition.id] = made()
        trend = indicator_trend(results[definition.id], made)
        if trend is not None:
            trends[definition.id] = trend
    return ProfileData(geography, catalogue, results, trends)


class _Frame:
    """The geography as every indicator's sums read it, made once per profile (a profile asks
    the same questions of it for every indicator and period)."""

    def __init__(self, geography: Geography):
        self.geography = geography
        self.wards = geography.at_level(Level.WARD)
        self.clusters = geography.at_level(Level.CLUSTER)
        self.centres = geography.at_level(Level.CENTRE)
        self.pops = area_populations(geography)
        self.centre_wards = ward_to_centre_shares(geography)
        self.cluster_wards = {c.code: [w.code for w in geography.wards_of_cluster(c.code)]
                              for c in self.clusters}
        self.cluster_centres = {c.code: [x.code for x in geography.children(c.code, Level.CENTRE)]
                                for c in self.clusters}
        self.centre_members = {c.code: [(m.child, m.share) for m in geography.members_of(c.code)]
                               for c in self.centres}
        self._finest: dict[Level, dict[str, list[str]]] = {}

    def finest(self, published: Level) -> dict[str, list[str]]:
        """Each ward's codes at the published level (the ward itself for ward data)."""
        if published not in self._finest:
            self._finest[published] = _finest_under(self.geography, published)
        return self._finest[published]


def _compute_indicator(definition: IndicatorDefinition, rows: list[IndicatorValue],
                       frame: _Frame, fit_quality: Mapping[str, float],
                       period: str | None = None, parts_in_full: bool = True) -> IndicatorResult:
    """The indicator's figures for ``period`` (default: the latest); the recent trend is
    judged for the latest period only. Without ``parts_in_full`` wards and centres get their
    figures and counts only (no limits, comparison, rank or quintile)."""
    geography = frame.geography
    periods = sorted({r.period for r in rows})
    latest_asked = period is None or period == periods[-1]
    period = periods[-1] if period is None else period
    latest = {r.area_code: r for r in rows if r.period == period}
    by_level: dict[Level, dict[str, IndicatorValue]] = defaultdict(dict)
    for code, row in latest.items():
        level = row.provenance.level or (geography.by_code[code].level if code in geography.by_code
                                         else Level.ENGLAND)
        by_level[level][code] = row
    published = next((lv for lv in (Level.OA, Level.LSOA, Level.WARD, Level.CENTRE, Level.CLUSTER,
                                    Level.AUTHORITY) if by_level.get(lv)), None)
    sums = _area_sums(definition, frame, by_level, published)
    authority_sum = published_sum(definition,
                                  by_level[Level.AUTHORITY].get(geography.authority.code)) \
        or sums.get(geography.authority.code)
    england_row = next(iter(by_level.get(Level.ENGLAND, {}).values()), None)
    england = _result(definition, _Area(ENGLAND_CODE, "England", Level.ENGLAND),
                      published_sum(definition, england_row)) if england_row else None
    authority = _result(definition, geography.authority, authority_sum,
                        england.value if england is not None else _NOT_COMPARED)
    # An estimated or withheld authority figure is no benchmark to test others against.
    benchmark = authority.value if authority.comparable else None
    clusters = tuple(_result(definition, c, sums.get(c.code), benchmark) for c in frame.clusters)
    if parts_in_full:
        wards = _ranked(definition, frame.wards, [sums.get(w.code) for w in frame.wards],
                        benchmark)
        centres = tuple(_result(definition, c, sums.get(c.code), benchmark,
                                fit_quality=fit_quality.get(c.code)) for c in frame.centres)
    else:
        wards = tuple(_result(definition, w, sums.get(w.code), limits=False)
                      for w in frame.wards)
        centres = tuple(_result(definition, c, sums.get(c.code), limits=False)
                        for c in frame.centres)
    return IndicatorResult(
        definition=definition, period=period, authority=authority, england=england,
        clusters=clusters, centres=centres, wards=wards, published_level=published,
        sources=tuple(sorted({r.provenance.source for r in latest.values() if r.provenance.source})),
        data_dates=tuple(sorted({r.provenance.data_date for r in latest.values()
                                 if r.provenance.data_date})),
        periods_available=tuple(periods),
        trend=_authority_trend(definition, rows, geography) if latest_asked
        else stats.Trend.CANNOT_CALCULATE,
        missing_wards=tuple(w.code for w in wards if w.value is None),
        unsuppressed_wards=wards)


def _authority_trend(definition: IndicatorDefinition, rows: list[IndicatorValue],
                     geography: Geography) -> stats.Trend:
    """Fingertips recent trend of the authority's percentage over its last five periods.

    Each period's authority counts are the published authority row, or else the sum of that
    period's small-area (or ward) rows when every small area (ward) has counts; a period whose
    total would be incomplete is left out rather than summed from the parts that happen to exist.
    """
    if definition.unit is not Unit.PERCENTAGE:
        return stats.Trend.CANNOT_CALCULATE
    counts, denominators = [], []
    for period in sorted({r.period for r in rows}):
        here = {r.area_code: r for r in rows if r.period == period}
        total = _complete_total(here, geography)
        if total is not None:
            counts.append(total[0])
            denominators.append(total[1])
    return stats.recent_trend(counts, denominators)


def _complete_total(rows: dict[str, IndicatorValue],
                    geography: Geography) -> tuple[float, float] | None:
    def counted(row: IndicatorValue | None) -> bool:
        return (row is not None and row.numerator is not None and bool(row.denominator)
                and row.note is not ValueNote.SUPPRESSED)

    authority = rows.get(geography.authority.code)
    if counted(authority):
        return authority.numerator, authority.denominator
    for level in (Level.LSOA, Level.WARD):
        areas = geography.at_level(level)
        if areas and any(a.code in rows for a in areas):
            if all(counted(rows.get(a.code)) for a in areas):
                return (sum(rows[a.code].numerator for a in areas),
                        sum(rows[a.code].denominator for a in areas))
            return None
    return None


@dataclass(frozen=True)
class _Area:
    code: str
    name: str
    level: Level


def _area_sums(definition: IndicatorDefinition, frame: _Frame,
               by_level: dict[Level, dict[str, IndicatorValue]],
               published: Level | None) -> dict[str, Sum]:
    """Totals for wards, centres, clusters and the authority, each made directly from the
    published level's rows under it (so a total never depends on the path taken to it)."""
    sums: dict[str, Sum] = {}
    pops, geography = frame.pops, frame.geography
    if published in (Level.LSOA, Level.OA, Level.WARD):
        rows, label = by_level[published], published.value.upper() \
            if published is not Level.WARD else "ward"
        finest = frame.finest(published)
        # Each published area's part is made once and shared by every total it is in.
        parts = {c: Part.of_value(c, rows.get(c), 1.0, pops.get(c))
                 for codes in finest.values() for c in codes}

        def total(codes: Iterable[str]) -> Sum:
            return sum_parts(definition, [parts[c] for c in codes], label)

        for ward in frame.wards:
            sums[ward.code] = (published_sum(definition, rows.get(ward.code), pops.get(ward.code))
                               or _no_data()) if published is Level.WARD \
                else total(finest[ward.code])
        for cluster in frame.clusters:
            sums[cluster.code] = total(c for w in frame.cluster_wards[cluster.code]
                                       for c in finest[w])
        sums[geography.authority.code] = total(c for w in frame.wards for c in finest[w.code])
        for centre in frame.centres:
            members = frame.centre_members[centre.code]
            sums[centre.code] = _apportioned(definition, frame.centre_wards.get(centre.code, []),
                                             rows, pops) if published is Level.WARD else \
                sum_parts(definition, [parts[child] if share == 1.0 and child in parts
                                       else Part.of_value(child, rows.get(child), share,
                                                          pops.get(child))
                                       for child, share in members], label)
    elif published is Level.CENTRE:
        centre_rows = by_level[Level.CENTRE]
        for centre in frame.centres:
            sums[centre.code] = published_sum(definition, centre_rows.get(centre.code),
                                              pops.get(centre.code)) or _no_data()
        for cluster in frame.clusters:
            sums[cluster.code] = sum_parts(definition, [
                Part.of_value(c, centre_rows.get(c), 1.0, pops.get(c))
                for c in frame.cluster_centres[cluster.code]], "centre")
    return sums


def _finest_under(geography: Geography, published: Level) -> dict[str, list[str]]:
    """Each ward's codes at the published level (the ward itself for ward data)."""
    if published is Level.WARD:
        return {w.code: [w.code] for w in geography.at_level(Level.WARD)}
    return {w.code: [a.code for a in geography.children(w.code, published)]
            for w in geography.at_level(Level.WARD)}


def _no_data() -> Sum:
    return Sum(None, None, None, 1, 1, ValueNote.MISSING, basis="no data")


def _apportioned(definition: IndicatorDefinition, shares: list[tuple[str, float]],
                 ward_rows: dict[str, IndicatorValue], pops: Mapping[str, float]) -> Sum | None:
    """A centre's estimate from ward figures, each weighted by the share of its people inside."""
    if not shares:
        return None
    found = sum_parts(definition, [Part.of_value(w, ward_rows.get(w), share, pops.get(w))
                                   for w, share in shares], "ward")
    if found.value is None:
        return found
    # The apportioned counts are kept (reach denominators need them) but marked estimated: they
    # get no limits and no comparison, and workbooks print them as estimates.
    return replace(found, note=ValueNote.ESTIMATED,
                   basis=f"estimate: apportioned from {found.parts} ward(s) by the share of each "
                         f"ward's population in the reach area ({found.basis})")


#: In place of a benchmark: the figure is not compared.
_NOT_COMPARED = object()


def _result(definition: IndicatorDefinition, area: Area | _Area, s: Sum | None,
            benchmark: float | None | object = _NOT_COMPARED, *, limits: bool = True,
            **extra) -> AreaResult:
    """The area's result from its total, with its limits (unless ``limits`` is False), compared
    with ``benchmark`` when one is passed (only what may be compared is: see
    ``AreaResult.comparable``); ``extra`` sets further fields."""
    if s is None:
        return AreaResult(area.code, area.name, area.level, note=ValueNote.MISSING,
                          basis="no data", **extra)
    want_limits, limits = limits, None
    if want_limits and s.value is not None \
            and s.note not in (ValueNote.ESTIMATED, ValueNote.INCOMPLETE):
        limits = stats.indicator_limits(definition.ci_method, s.numerator, s.denominator,
                                        definition.multiplier)
    lower95, upper95 = (limits.lower95, limits.upper95) if limits else (None, None)
    comparison = stats.Comparison.NOT_COMPARED
    # As AreaResult.comparable: shown (suppressed is among NOT_COMPARABLE) and comparable.
    if benchmark is not _NOT_COMPARED and s.comparable:
        comparison = stats.compare_to_benchmark(s.value, lower95, upper95, benchmark,
                                                definition.polarity)
    return AreaResult(
        area.code, area.name, area.level, numerator=s.numerator, denominator=s.denominator,
        value=s.value, note=s.note, basis=s.basis, published=s.published,
        over_suppressed=s.suppressed_parts > 0, lower95=lower95, upper95=upper95,
        lower998=limits.lower998 if limits else None, upper998=limits.upper998 if limits else None,
        comparison=comparison, **extra)


def _ranked(definition: IndicatorDefinition, wards: list[Area], totals: list[Sum | None],
            benchmark: float | None) -> tuple[AreaResult, ...]:
    """Rank wards (1 = highest value, ties share a rank), add quintiles and comparisons; only
    complete, exact figures are ranked (docs/aggregation.md, rule 8)."""
    ranks, quintiles = _ranks_and_quintiles(
        [t.value if t is not None and t.comparable else None for t in totals], definition.polarity)
    return tuple(_result(definition, w, t, benchmark, rank=r, quintile=q)
                 for w, t, r, q in zip(wards, totals, ranks, quintiles))


def _ranks_and_quintiles(values: list[float | None], polarity: Polarity
                         ) -> tuple[list[int | None], list[int | None]]:
    """Ranks (1 = highest) and quintiles of the exact figures (None for any other)."""
    return stats.rank_with_ties(values, descending=True), stats.quintiles(values, polarity)


def disclosure_control(result: IndicatorResult, threshold: int = 5,
                       cluster_wards: Mapping[str, Iterable[str]] | None = None,
                       cluster_centres: Mapping[str, Iterable[str]] | None = None
                       ) -> IndicatorResult:
    """Hide small counts (1..threshold-1) with secondary suppression across the totals shown.

    Ward numerators add up to the authority total and to each cluster's total, so one hidden ward
    in any of them could be recovered by subtraction: the secondary pass hides the next smallest
    ward of that total too. Figures published for centres (reach) add up to their cluster's
    total in the same way, so there each cluster's centres are a group too; elsewhere a centre's
    figure is a best-fit estimate, not a part of a printed total, and is checked on its own.
    Hidden cells lose their value, limits, numerator and denominator.
    """
    if not result.definition.disclosure_control:
        return result
    # Cells: wards, clusters, the authority, then centres; each total checked against its members.
    cells = [*result.wards, *result.clusters, result.authority, *result.centres]
    index = {a.code: i for i, a in enumerate(cells)}
    top = len(result.wards) + len(result.clusters)
    groups = [(top, list(range(len(result.wards)))),
              (top, [index[c.code] for c in result.clusters])]
    groups += [(index[k], [index[c] for c in codes if c in index])
               for k, codes in (cluster_wards or {}).items() if k in index]
    if result.published_level is Level.CENTRE:
        groups += [(index[k], [index[c] for c in codes if c in index])
                   for k, codes in (cluster_centres or {}).items() if k in index]
    # A figure its publisher suppressed, or a total withheld over such a figure, is hidden
    # already: under a total that is shown (the authority's own published figure) it needs a
    # second hidden cell as much as a small count does. (A total withheld over missing data
    # hides no secret: subtraction may give it.)
    at_source = [a.value is None and a.over_suppressed for a in cells]
    public = frozenset({top}) if result.authority.published else frozenset()
    hidden = suppress_groups([a.numerator for a in cells], groups, threshold=threshold,
                             hidden_already=at_source, public=public,
                             unknown=[a.value is None and not s for a, s in zip(cells, at_source)])
    if result.authority.published:
        hidden[top] = False  # the authority's own published figure is public already
    cells = [hide_figure(a) if h and a.value is not None else a for a, h in zip(cells, hidden)]
    wards = tuple(cells[:len(result.wards)])
    # A gap in the ranks would say where a hidden ward stood (an earlier period's wards, for
    # trends only, have no ranks to mend).
    if any(hidden[:len(wards)]) and any(w.rank is not None for w in result.wards):
        wards = _reranked(wards, result.definition.polarity)
    clusters = tuple(cells[len(result.wards):top])
    centres = tuple(cells[top + 1:])
    count = sum(1 for a in cells if a.note is ValueNote.SUPPRESSED
                and a.value is None and a.basis == HIDDEN_BASIS)
    return replace(result, wards=wards, centres=centres, clusters=clusters,
                   authority=cells[top], suppressed_cells=count)


def _reranked(wards: tuple[AreaResult, ...], polarity: Polarity) -> tuple[AreaResult, ...]:
    """Ranks and quintiles found again among the wards still shown, with exact figures."""
    ranks, quintiles = _ranks_and_quintiles([w.value if w.comparable else None for w in wards],
                                            polarity)
    return tuple(replace(w, rank=r, quintile=q) for w, r, q in zip(wards, ranks, quintiles))


#: The basis of a figure hidden by disclosure control.
HIDDEN_BASIS = "hidden before circulation (disclosure control)"


def hide_figure(area: AreaResult) -> AreaResult:
    """The area with its figure hidden by disclosure control (no value, limits or counts)."""
    return replace(area, basis=HIDDEN_BASIS, numerator=None, denominator=None, value=None, lower95=None, upper95=None,
                   lower998=None, upper998=None, note=ValueNote.SUPPRESSED, quintile=None, rank=None,
                   comparison=stats.Comparison.NOT_COMPARED)


def authority_totals(rows: Iterable[IndicatorValue],
                     geography: Geography) -> dict[str, tuple[float, float]]:
    """Each period's authority (numerator, denominator), made as the recent trend makes them
    (see ``_authority_trend``); a period whose total would be incomplete is left out."""
    by_period: dict[str, dict[str, IndicatorValue]] = defaultdict(dict)
    for row in rows:
        by_period[row.period][row.area_code] = row
    totals = {}
    for period in sorted(by_period):
        total = _complete_total(by_period[period], geography)
        if total is not None:
            totals[period] = total
    return totals
