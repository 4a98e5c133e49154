"""The cluster overview as plain data: one row per indicator, key findings and the tartan rug.

Fingertips-style overview of where a cluster stands: per indicator the cluster's count and value,
the authority and England values, the range of ward values and the cluster's comparison with the
authority, with the geometry of a spine chart; the indicators where the cluster differs most
significantly from the authority as sentences; and a tartan rug (indicators by clusters and the
cluster's centres). ``workbooks.overview_sheets`` only draws this.

The aggregation rules hold here too (docs/aggregation.md): a figure that is withheld, estimated,
suppressed or unreliable is shown with its word, never placed on a spine as a marker, never
compared and never in the key findings. Counts (population, births) are totals of areas of
different sizes, so a cluster's count is neither compared with the authority's nor placed on the
range of ward counts.

Where an indicator has three or more periods, each row also carries the cluster's and the
authority's series (``xl_profile.trends``) for a small trend chart, on one scale for both; an
area with fewer than three figures to draw gets words instead ("one period").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .compare import Comparison, percentile_inc
from .layout import NOTE_WORDS, ProfileTemplate, ordered_indicators
from .models import Area, IndicatorDefinition, Level, PeriodType, Polarity, Section, Unit, ValueNote
from .profile import AreaResult, IndicatorResult, ProfileData
from .trends import MIN_PERIODS, AreaSeries, IndicatorTrend

#: Comparisons that are a significant difference from the benchmark.
SIGNIFICANT = frozenset({Comparison.BETTER, Comparison.WORSE, Comparison.BEST, Comparison.WORST,
                         Comparison.HIGHER, Comparison.LOWER})
#: Cells of a drawn spine; the authority line is the left edge of cell ``SPINE_CELLS // 2``.
SPINE_CELLS = 20
KEY_FINDINGS = 5


@dataclass(frozen=True)
class Spine:
    """Positions on a spine scaled so the authority is 0 and the furthest point is -1 or 1.

    ``lowest`` and ``highest`` are the left and right ends. Where low values are good the spine
    is reversed, as Fingertips draws it, so that the better end is always on the right: the left
    end is then the highest ward value.

    ``marker`` is None where the cluster's figure is not one that may be compared (withheld,
    estimated, suppressed, unreliable, missing): such a figure is not placed on the spine.
    """

    lowest: float
    lower_quartile: float
    upper_quartile: float
    highest: float
    marker: float | None


@dataclass(frozen=True)
class TrendCell:
    """One area's trend in an overview row: its figures to draw, or words saying why not.

    Attributes:
        periods: the period labels, oldest first ('2005/06').
        values: each period's figure to draw, None for a gap.
        notes: each period's word where it is a gap ('withheld', 'suppressed', 'est.',
            'no data'), '' where it is not.
        words: '' when drawn, else 'one period', 'two periods' or 'none' (with periods and
            values still given where the indicator has three or more periods).
    """

    periods: tuple[str, ...] = ()
    values: tuple[float | None, ...] = ()
    notes: tuple[str, ...] = ()
    words: str = ""

    @property
    def drawn(self) -> bool:
        return not self.words


#: How an area with fewer than :data:`MIN_PERIODS` figures is described.
PERIOD_WORDS = {0: "none", 1: "one period", 2: "two periods"}


@dataclass(frozen=True)
class OverviewRow:
    """One indicator's row of the overview table."""

    indicator_id: str
    title: str
    unit: Unit
    polarity: Polarity
    period: str
    count: float | None  # the cluster's numerator (None for counts and scores, or not shown)
    value: float | None  # the cluster's value when it may be shown
    status: str  # '' for an ordinary figure, else its word ('withheld', 'est.', ...)
    authority: float | None
    authority_status: str
    england: float | None
    ward_lowest: float | None
    ward_highest: float | None
    wards_shown: int
    comparison: Comparison  # the cluster against the authority; NOT_COMPARED where it may not be
    spine: Spine | None
    no_spine_reason: str  # why there is no spine, for the reader ('' when there is one)
    cluster_trend: TrendCell = TrendCell(words=PERIOD_WORDS[1])
    authority_trend: TrendCell = TrendCell(words=PERIOD_WORDS[1])
    #: (lowest, highest) of the scale both trend charts share; None when neither is drawn.
    trend_scale: tuple[float, float] | None = None
    #: The word of the lowest and the highest ward's figure where it is not exact ('est.',
    #: 'unreliable'), printed beside it as beside any other such figure; '' for an exact one.
    ward_lowest_status: str = ""
    ward_highest_status: str = ""

    @property
    def spine_reversed(self) -> bool:
        """True where low values are good: the spine runs from the highest (worst) value."""
        return self.polarity is Polarity.LOW_IS_GOOD

    @property
    def ward_ends(self) -> tuple[float | None, float | None]:
        """The ward values at the spine's left and right ends (worst first where a direction
        is good, else lowest first)."""
        if self.spine_reversed:
            return self.ward_highest, self.ward_lowest
        return self.ward_lowest, self.ward_highest

    @property
    def ward_end_statuses(self) -> tuple[str, str]:
        """The words of :attr:`ward_ends`, in the same order."""
        if self.spine_reversed:
            return self.ward_highest_status, self.ward_lowest_status
        return self.ward_lowest_status, self.ward_highest_status


@dataclass(frozen=True)
class Finding:
    """A key finding: an indicator where the cluster differs significantly from the authority."""

    indicator_id: str
    comparison: Comparison
    significance: float  # distance of the nearest 95% limit from the benchmark, in half-widths
    sentence: str


@dataclass(frozen=True)
class RugCell:
    """One area's figure in the tartan rug."""

    name: str
    value: float | None
    status: str
    comparison: Comparison


@dataclass(frozen=True)
class RugRow:
    indicator_id: str
    title: str
    unit: Unit
    period: str
    england: float | None
    authority: RugCell  # compared with England
    cells: tuple[RugCell, ...]  # clusters, then the cluster's centres; compared with the authority


@dataclass(frozen=True)
class Overview:
    """Everything the overview and tartan rug sheets show for one cluster."""

    cluster_code: str
    cluster_name: str
    authority_name: str
    sections: tuple[tuple[Section, tuple[OverviewRow, ...]], ...]
    findings: tuple[Finding, ...]
    rug_columns: tuple[str, ...]  # names of the rug's area columns
    rug_centres_from: int  # index of the first centre among ``rug_columns``
    rug: tuple[tuple[Section, tuple[RugRow, ...]], ...]

    @property
    def rows(self) -> list[OverviewRow]:
        return [r for _, rows in self.sections for r in rows]


def period_label(period: str, period_type: PeriodType) -> str:
    """The period as a reader writes it: months as 'April 2008', everything else as given
    ('2007/08' for financial and academic years, '2008 Q1' for quarters)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if period_type is PeriodType.MONTH and match:
        return f"{calendar.month_name[int(match.group(2))]} {match.group(1)}"
    return period


def status_word(area: AreaResult | None) -> str:
    """'' for an ordinary figure, else the word the profile prints for it ('withheld', 'est.')."""
    if area is not None and area.note in NOTE_WORDS:
        return NOTE_WORDS[area.note]
    return "" if area is not None and area.value is not None else NOTE_WORDS[ValueNote.MISSING]


def compared(area: AreaResult, definition: IndicatorDefinition) -> Comparison:
    """The area's comparison where it may be read as one; counts are never compared."""
    if definition.unit is Unit.COUNT or not area.comparable:
        return Comparison.NOT_COMPARED
    return area.comparison


def shown_value(area: AreaResult | None) -> float | None:
    return area.value if area is not None and area.shown else None


def spine_for(result: IndicatorResult, cluster: AreaResult) -> tuple[Spine | None, str]:
    """The spine geometry of the cluster's row, or None and the reason there is none."""
    if result.definition.unit is Unit.COUNT:
        return None, "a count: no spine"
    wards = sorted(w.value for w in result.wards if w.shown)
    if not wards:
        return None, "no ward figures"
    centre = shown_value(result.authority)
    if centre is None:
        return None, "no authority figure"
    marker = cluster.value if cluster.comparable else None
    points = wards + ([marker] if marker is not None else [])
    half = max(abs(p - centre) for p in points) or 1.0

    # Where low is good the spine is mirrored, so that better is always to the right.
    sign = -1.0 if result.definition.polarity is Polarity.LOW_IS_GOOD else 1.0

    def scaled(x: float) -> float:
        return sign * (x - centre) / half
    ends = [scaled(wards[0]), scaled(percentile_inc(wards, 0.25)),
            scaled(percentile_inc(wards, 0.75)), scaled(wards[-1])]
    if sign < 0:
        ends.reverse()
    return Spine(*ends, None if marker is None else scaled(marker)), ""


def spine_cell(position: float, cells: int = SPINE_CELLS) -> int:
    """The cell (0-based) of a scaled position in ``cells`` cells; the authority (0) is the left
    edge of cell ``cells // 2``, so a value at or above it sits right of the line."""
    half = cells // 2
    step = min(int(abs(position) * half), half - 1)
    return half + step if position >= 0 else half - 1 - step


def trend_cell(series: AreaSeries | None, result: IndicatorResult) -> TrendCell:
    """An area's trend cell: drawn with three or more figures, else in words."""
    if series is None:
        count = len(result.periods_available)
        if count >= MIN_PERIODS:
            raise ValueError(f"{result.definition.id} has {count} periods but no series: "
                             "profiles with trends are made by compute_profile")
        return TrendCell(words=PERIOD_WORDS[count])
    period_type = result.definition.period_type
    notes = tuple("" if p.plotted else NOTE_WORDS.get(p.note, NOTE_WORDS[ValueNote.MISSING])
                  for p in series.points)
    return TrendCell(tuple(period_label(p.period, period_type) for p in series.points),
                     series.values, notes,
                     words=PERIOD_WORDS[series.plotted] if series.plotted < MIN_PERIODS else "")


def trend_scale(cells: list[TrendCell]) -> tuple[float, float] | None:
    """One scale for the drawn cells of a row, so the cluster and the authority compare.

    The lowest figure sits a little above the bottom (a bar of height zero would read as a
    gap) and a change of less than a tenth of the level is not blown up to the full height.
    """
    values = [v for c in cells if c.drawn for v in c.values if v is not None]
    if not values:
        return None
    low, high = min(values), max(values)
    span = max(high - low, 0.1 * abs(high), 1e-9)
    return low - 0.3 * span, high + 0.1 * span


def overview_row(result: IndicatorResult, cluster_code: str,
                 trend: IndicatorTrend | None = None) -> OverviewRow:
    """The overview row of one indicator for one cluster (``trend``: its series, if any)."""
    d = result.definition
    cluster = next(c for c in result.clusters if c.code == cluster_code)
    spine, why = spine_for(result, cluster)
    shown = [w for w in result.wards if w.shown]
    shown_wards = [w.value for w in shown]
    count = cluster.numerator if cluster.shown and d.unit not in (Unit.COUNT, Unit.SCORE) \
        else None
    cells = [trend_cell(trend.cluster(cluster_code) if trend else None, result),
             trend_cell(trend.authority if trend else None, result)]
    return OverviewRow(
        indicator_id=d.id, title=d.title, unit=d.unit, polarity=d.polarity,
        period=period_label(result.period, d.period_type), count=count,
        value=shown_value(cluster), status=status_word(cluster),
        authority=shown_value(result.authority), authority_status=status_word(result.authority),
        england=shown_value(result.england),
        ward_lowest=min(shown_wards, default=None), ward_highest=max(shown_wards, default=None),
        wards_shown=len(shown_wards), comparison=compared(cluster, d), spine=spine,
        no_spine_reason=why, cluster_trend=cells[0], authority_trend=cells[1],
        trend_scale=trend_scale(cells),
        ward_lowest_status=_end_word(shown, min(shown_wards, default=None)),
        ward_highest_status=_end_word(shown, max(shown_wards, default=None)))


def _end_word(shown: list[AreaResult], value: float | None) -> str:
    """The word of the shown wards' figure ``value`` at one end of their range: '' when an exact
    figure is there, else the note of the first ward there."""
    at_end = [w for w in shown if w.value == value]
    return "" if not at_end or any(w.comparable for w in at_end) else status_word(at_end[0])


def significance(area: AreaResult, benchmark: float) -> float:
    """How far the benchmark lies outside the area's 95% limits, in half-widths of the interval
    (0 on the nearest limit); the measure the key findings are ranked by."""
    if area.value > benchmark:
        gap = area.lower95 - benchmark
    else:
        gap = benchmark - area.upper95
    half = (area.upper95 - area.lower95) / 2
    return gap / half if half > 0 else float("inf")


def value_text(value: float, definition: IndicatorDefinition) -> str:
    """A value as a sentence writes it: '74.0%', '363.6 per 100,000', '18.3'."""
    if definition.unit is Unit.PERCENTAGE:
        return f"{value:.1f}%"
    if definition.unit is Unit.RATE:
        return f"{value:,.1f} per {definition.multiplier:,.0f}"
    if definition.unit is Unit.COUNT:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _possessive(name: str) -> str:
    """'Westminster' -> "Westminster's"; a trailing bracketed remark is dropped first."""
    name = re.sub(r"\s*\([^)]*\)$", "", name).strip()
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _lower_first(title: str) -> str:
    """Lower-case a title's first letter unless it starts an abbreviation ('MMR', 'A&E')."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def finding_sentence(result: IndicatorResult, cluster: AreaResult, cluster_name: str,
                     authority_name: str) -> str:
    """"North's breastfeeding at 6-8 weeks, 74.0%, is significantly higher (better) than
    Westminster's 68.8%.\""""
    d = result.definition
    direction = "higher" if cluster.value > result.authority.value else "lower"
    judgement = {Comparison.BETTER: "better", Comparison.BEST: "better",
                 Comparison.WORSE: "worse", Comparison.WORST: "worse"}.get(cluster.comparison)
    judged = f" ({judgement})" if judgement else ""
    period = period_label(result.period, d.period_type)
    return (f"{_possessive(cluster_name)} {_lower_first(d.title)}, {value_text(cluster.value, d)}, "
            f"is significantly {direction}{judged} than {_possessive(authority_name)} "
            f"{value_text(result.authority.value, d)} ({period}).")


def key_findings(results: list[IndicatorResult], cluster_code: str, cluster_name: str,
                 authority_name: str, limit: int = KEY_FINDINGS) -> list[Finding]:
    """The ``limit`` indicators where the cluster differs most significantly from the authority.

    Only figures that may be compared count (``AreaResult.comparable`` for the cluster and the
    authority, never a count). Better and worse come first, each ranked by :func:`significance`;
    higher and lower (indicators with no better direction) fill the remaining places. Ties keep
    the profile's order.
    """
    found = []
    for order, result in enumerate(results):
        cluster = next(c for c in result.clusters if c.code == cluster_code)
        comparison = compared(cluster, result.definition)
        if comparison not in SIGNIFICANT or not result.authority.comparable:
            continue
        measure = significance(cluster, result.authority.value)
        sentence = finding_sentence(result, cluster, cluster_name, authority_name)
        neutral = comparison in (Comparison.HIGHER, Comparison.LOWER)
        found.append((neutral, -measure, order, Finding(result.definition.id, comparison, measure,
                                               sentence)))
    return [f for *_, f in sorted(found, key=lambda t: t[:3])][:limit]


def rug_cell(area: AreaResult | None, definition: IndicatorDefinition, name: str) -> RugCell:
    if area is None:
        return RugCell(name, None, NOTE_WORDS[ValueNote.MISSING], Comparison.NOT_COMPARED)
    return RugCell(name, shown_value(area), status_word(area), compared(area, definition))


def rug_row(result: IndicatorResult, centres: list[Area]) -> RugRow:
    """One indicator of the tartan rug: every cluster, then the given centres."""
    d = result.definition
    by_code = {c.code: c for c in result.centres}
    cells = [rug_cell(c, d, c.name) for c in result.clusters]
    cells += [rug_cell(by_code.get(c.code), d, c.name) for c in centres]
    return RugRow(d.id, d.title, d.unit, period_label(result.period, d.period_type),
                  shown_value(result.england), rug_cell(result.authority, d,
                                                         result.authority.name), tuple(cells))


def build_overview(profile: ProfileData, cluster_code: str,
                   template: ProfileTemplate) -> Overview:
    """The overview, key findings and tartan rug of one cluster, in the template's order."""
    geography = profile.geography
    cluster = geography.area(cluster_code)
    centres = geography.children(cluster_code, Level.CENTRE)
    sections, rug, ordered = [], [], []
    for section, ids in ordered_indicators(profile, template):
        results = [profile.results[i] for i in ids]
        ordered += results
        sections.append((section, tuple(overview_row(r, cluster_code,
                                                     profile.trends.get(r.definition.id))
                                        for r in results)))
        rug.append((section, tuple(rug_row(r, centres) for r in results)))
    clusters = [c.name for c in geography.at_level(Level.CLUSTER)]
    findings = key_findings(ordered, cluster_code, cluster.name, geography.authority.name)
    return Overview(cluster_code, cluster.name, geography.authority.name, tuple(sections),
                    tuple(findings), tuple(clusters + [c.name for c in centres]), len(clusters),
                    tuple(rug))
