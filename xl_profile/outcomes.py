"""The Early Years outcomes duty: actual values against targets and trajectories, and the gap
between children in England's most deprived small areas and the rest.

Trajectory. The baseline is the latest period with an actual authority value whose first year is
before the year the target was set (the result known when the target was agreed). The
trajectory is a straight line from the baseline value to the target, year by year; where the
targets file gives yearly steps (several rows for one indicator) it runs straight between
consecutive steps.

On track. A period is judged against the trajectory with the 95% interval of its actual value:
when high is good, on track when the trajectory value is within or below the upper 95% limit
(``trajectory <= upper95``: the result is not significantly below the trajectory); when low is
good, on track when it is within or above the lower limit (``trajectory >= lower95``). A value
without limits (a score such as NI 92) is judged on the value itself. For an indicator with no
polarity the direction is that of the target from the baseline. Gaps are ``actual - trajectory``
and ``actual - target``, in points of the indicator's unit.

Narrowing the gap. For each period with small-area counts, the indicator for the small areas in
the most deprived 30% of England (the IMD30 flag of the tidy data, else IDACI30; the vintage is
named) against the rest, from summed counts (:func:`stats.deprived_gap`), with Wilson limits,
for the authority, each cluster and each centre; the gap is deprived minus rest; it narrowed
when its size is smaller than in the period before, and the change is tested
(:func:`gap_change_test`: a z-test of the difference between two differences of independent
proportions). Small areas without counts (withheld at source) or without a deprivation flag are
counted and reported, never dropped unseen; a group whose children reaching (or not reaching)
the indicator number 1 to threshold-1 is hidden, with the gap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from . import stats
from .catalogue import Catalogue
from .models import Area, Geography, IndicatorDefinition, IndicatorValue, Level, Polarity, \
    Unit, ValueNote
from .profile import authority_totals
from .suppression import is_small
from .targets import Target, period_year, year_period

DUTY_INDICATORS = ("NI72", "NI92")
DEPRIVATION_FLAGS = {"IMD30": "Index of Multiple Deprivation",
                     "IDACI30": "Income Deprivation Affecting Children Index"}


@dataclass(frozen=True)
class Actual:
    """The authority's value for one period, with 95% limits where the counts give them."""

    period: str
    value: float
    lower95: float | None = None
    upper95: float | None = None


@dataclass(frozen=True)
class PeriodRow:
    """One year of an indicator's table: actual, trajectory, gaps and the judgement."""

    period: str
    actual: Actual | None
    trajectory: float | None
    target: float | None  # the target (or step) set for this period, if any
    status: str  # "on track", "off track", "baseline" or "" (not judged)

    @property
    def gap_to_trajectory(self) -> float | None:
        if self.actual is None or self.trajectory is None:
            return None
        return self.actual.value - self.trajectory


@dataclass(frozen=True)
class Outcome:
    """An indicator's actuals, trajectory and target, and a sentence saying where it stands."""

    definition: IndicatorDefinition
    targets: tuple[Target, ...]
    baseline: Actual | None
    rows: tuple[PeriodRow, ...]
    sentence: str

    @property
    def final(self) -> Target | None:
        return self.targets[-1] if self.targets else None

    def gap_to_target(self, row: PeriodRow) -> float | None:
        if row.actual is None or self.final is None:
            return None
        return row.actual.value - self.final.target


def indicator_label(definition: IndicatorDefinition) -> str:
    """What a reader calls the indicator: its national indicator name, else its title."""
    return definition.national_indicator or definition.title


def percent_sign(definition: IndicatorDefinition) -> str:
    label = definition.unit_label or ""
    return "%" if definition.unit is Unit.PERCENTAGE or label.startswith("%") else ""


def actuals(definition: IndicatorDefinition, rows: Iterable[IndicatorValue],
            geography: Geography) -> dict[str, Actual]:
    """The authority's actual value by period: from complete counts (with limits), else a
    published authority value (a score such as NI 92, without limits). Only single years."""
    rows = [r for r in rows if r.indicator_id == definition.id]
    found: dict[str, Actual] = {}
    for r in rows:  # published values first; counts, where complete, replace them
        if r.area_code == geography.authority.code and r.value is not None \
                and r.note is not ValueNote.SUPPRESSED:
            found[r.period] = Actual(r.period, r.value, r.lower95, r.upper95)
    for period, (x, n) in authority_totals(rows, geography).items():
        limits = stats.indicator_limits(definition.ci_method, x, n, definition.multiplier)
        if limits is not None:
            found[period] = Actual(period, limits.value, limits.lower95, limits.upper95)
    return {p: a for p, a in sorted(found.items()) if "-" not in p}


def baseline_of(found: dict[str, Actual], set_on: dt.date) -> Actual | None:
    """The latest actual whose first year is before the year the target was set."""
    before = [a for p, a in found.items() if period_year(p) < set_on.year]
    return before[-1] if before else None


def trajectory(baseline: tuple[int, float], steps: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Year -> trajectory value: straight lines from the baseline through each step in turn.

    >>> trajectory((2007, 50.0), [(2010, 56.0)])
    {2007: 50.0, 2008: 52.0, 2009: 54.0, 2010: 56.0}
    """
    points = [baseline, *sorted(steps)]
    line = {baseline[0]: baseline[1]}
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        for year in range(y0 + 1, y1 + 1):
            line[year] = v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return line


def high_is_better(definition: IndicatorDefinition, baseline: float, target: float) -> bool:
    if definition.polarity is Polarity.NO_JUDGEMENT:
        return target >= baseline
    return definition.polarity is Polarity.HIGH_IS_GOOD


def on_track(actual: Actual, trajectory_value: float, higher_better: bool) -> bool:
    """Judged with the 95% interval (see the module docstring); the value when no limits."""
    if higher_better:
        upper = actual.upper95 if actual.upper95 is not None else actual.value
        return trajectory_value <= upper
    lower = actual.lower95 if actual.lower95 is not None else actual.value
    return trajectory_value >= lower


def outcome(definition: IndicatorDefinition, targets: Sequence[Target],
            found: dict[str, Actual]) -> Outcome:
    """An indicator's table from its actuals and its targets (sorted by period)."""
    targets = tuple(sorted(targets, key=lambda t: t.year))
    baseline = baseline_of(found, min(t.set_on for t in targets)) if targets else None
    line: dict[int, float] = {}
    if baseline is not None:
        line = trajectory((period_year(baseline.period), baseline.value),
                          [(t.year, t.target) for t in targets])
    step_at = {t.year: t.target for t in targets}
    years = {period_year(p) for p in found} | set(line) | set(step_at)
    rows = []
    for year in range(min(years), max(years) + 1) if years else ():
        period = year_period(year, definition.period_type)
        actual, value = found.get(period), line.get(year)
        status = ""
        if baseline is not None and period == baseline.period:
            status = "baseline"
        elif actual is not None and value is not None:
            better = high_is_better(definition, baseline.value, targets[-1].target)
            status = "on track" if on_track(actual, value, better) else "off track"
        rows.append(PeriodRow(period, actual, value, step_at.get(year), status))
    result = Outcome(definition, targets, baseline, tuple(rows), "")
    return Outcome(definition, targets, baseline, tuple(rows), sentence(result))


def sentence(result: Outcome) -> str:
    """Where the indicator stands, in one plain sentence."""
    d, final, sign = result.definition, result.final, percent_sign(result.definition)
    name = indicator_label(d)
    if final is None:
        return f"{name} has no target."
    goal = f"the {final.period} target of {final.target:g}{sign}"
    if result.baseline is None:
        return (f"{name}: no result before the target was set on {final.set_on:%d/%m/%Y}, so "
                f"the trajectory to {goal} cannot be drawn.")
    judged = [r for r in result.rows if r.status in ("on track", "off track")]
    if not judged:
        b = result.baseline
        return (f"{name} was {b.value:.1f}{sign} in {b.period}, the baseline for {goal}; "
                f"no later result yet.")
    row = judged[-1]
    gap = row.gap_to_trajectory
    where = "on the trajectory" if round(gap, 1) == 0 else \
        f"{abs(gap):.1f} points {'below' if gap < 0 else 'above'} the trajectory"
    return (f"{name} is {row.actual.value:.1f}{sign} in {row.period}, {where} to {goal} "
            f"({row.status}).")


def duty_outcomes(catalogue: Catalogue, targets: Sequence[Target],
                  values: Sequence[IndicatorValue], geography: Geography) -> list[Outcome]:
    """An outcome for NI 72, NI 92 and every other indicator with targets, in catalogue order."""
    wanted = set(DUTY_INDICATORS) | {t.indicator_id for t in targets}
    by_indicator: dict[str, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        if v.indicator_id in wanted:
            by_indicator[v.indicator_id].append(v)
    results = []
    for definition in catalogue:
        if definition.id in wanted:
            found = actuals(definition, by_indicator[definition.id], geography)
            own = [t for t in targets if t.indicator_id == definition.id]
            results.append(outcome(definition, own, found))
    return results


@dataclass(frozen=True)
class Deprivation:
    """Which small areas are in England's most deprived 30%, and by which index and vintage."""

    flags: dict[str, bool]  # LSOA code -> in the most deprived 30%
    index: str  # "Index of Multiple Deprivation"
    vintage: str  # the period of the flags, e.g. "2007"

    @property
    def description(self) -> str:
        return f"the most deprived 30% of England's small areas on the {self.index} {self.vintage}"


def deprivation_flags(values: Iterable[IndicatorValue], geography: Geography) -> Deprivation | None:
    """The latest IMD30 (else IDACI30) small-area flags of the tidy data; None without any."""
    lsoas = {a.code for a in geography.at_level(Level.LSOA)}
    for flag_id, index in DEPRIVATION_FLAGS.items():
        rows = [v for v in values if v.indicator_id == flag_id and v.area_code in lsoas
                and v.numerator is not None and v.denominator]
        if rows:
            vintage = max(r.period for r in rows)
            return Deprivation({r.area_code: r.numerator >= r.denominator for r in rows
                                if r.period == vintage}, index, vintage)
    return None


@dataclass(frozen=True)
class GapRow:
    """One area and period: the deprived small areas against the rest.

    Attributes:
        deprived_counts, rest_counts: (children counted in, children in) each group.
        hidden: a group's count, or its complement, is small (1 to threshold-1): no figures.
        change_points, z, p: the change in the gap from the year before (this year's gap minus
            that year's, in points) and its z-test (:func:`gap_change_test`).
    """

    area_code: str
    area_name: str
    period: str
    deprived: Actual | None
    rest: Actual | None
    gap: float | None  # points: deprived - rest
    areas_used: int
    areas_left_out: int  # no counts (withheld at source) or no deprivation flag
    change: str = ""  # "narrowed", "widened", "unchanged" or "" (no earlier gap)
    deprived_counts: tuple[float, float] | None = None
    rest_counts: tuple[float, float] | None = None
    hidden: bool = False
    change_points: float | None = None
    z: float | None = None
    p: float | None = None

    @property
    def significant(self) -> bool | None:
        """True when the change in the gap is significant at the 95% level; None untested."""
        return None if self.p is None else self.p < 0.05


#: The test of a change in the gap, as the workbook names it.
GAP_TEST = ("Change in the gap tested with a z-test of the difference between two differences "
            "of independent proportions (normal approximation, unpooled variances): "
            "z = ((p1 - q1) - (p0 - q0)) / sqrt(sum of p(1 - p)/n over the four groups), "
            "p for deprived and q for the rest, this year (1) and the year before (0); "
            "significant when the two-sided p-value is below 0.05.")


def gap_change_test(deprived_before: tuple[float, float], rest_before: tuple[float, float],
                    deprived_after: tuple[float, float], rest_after: tuple[float, float]
                    ) -> tuple[float, float | None, float | None]:
    """The change in the gap between two years, in points, with its z and two-sided p-value.

    Each argument is (x, n) of one group in one year. The four groups are independent samples
    (different children each year), so the variance of the difference of the two differences is
    the sum of the four binomial variances p(1 - p)/n. Where that is 0 (every proportion 0 or
    1) the change cannot be tested: z and p are None.
    """
    groups = (deprived_before, rest_before, deprived_after, rest_after)
    p = [x / n for x, n in groups]
    change = (p[2] - p[3]) - (p[0] - p[1])
    variance = sum(q * (1 - q) / n for q, (_x, n) in zip(p, groups))
    if variance <= 0:
        return change * 100, None, None
    z = change / math.sqrt(variance)
    return change * 100, z, math.erfc(abs(z) / math.sqrt(2))


def _group(definition: IndicatorDefinition, period: str, x: float, n: float) -> Actual | None:
    limits = stats.indicator_limits(definition.ci_method, x, n, definition.multiplier) if n \
        else None
    return None if limits is None else Actual(period, limits.value, limits.lower95, limits.upper95)


def _gap_row(definition: IndicatorDefinition, area, period: str, lsoas: list[tuple[str, float]],
             rows: dict[str, IndicatorValue], deprivation: Deprivation,
             threshold: int) -> GapRow:
    counted, left_out = [], 0
    for code, share in lsoas:
        r = rows.get(code)
        if r is None or r.numerator is None or r.denominator is None \
                or r.note is ValueNote.SUPPRESSED or code not in deprivation.flags:
            left_out += 1
            continue
        counted.append((r.numerator * share, r.denominator * share, deprivation.flags[code]))
    dep = stats.aggregate_counts((x, n) for x, n, d in counted if d)
    rest = stats.aggregate_counts((x, n) for x, n, d in counted if not d)
    if any(is_small(x, threshold) or is_small(n - x, threshold) for x, n in (dep, rest)):
        return GapRow(area.code, area.name, period, None, None, None, len(counted), left_out,
                      hidden=True)
    gap = stats.deprived_gap(counted, definition.multiplier)
    return GapRow(area.code, area.name, period, _group(definition, period, *dep),
                  _group(definition, period, *rest), gap.difference, len(counted), left_out,
                  deprived_counts=dep if dep[1] else None, rest_counts=rest if rest[1] else None)


def _hide_gap(row: GapRow) -> GapRow:
    return GapRow(row.area_code, row.area_name, row.period, None, None, None, row.areas_used,
                  row.areas_left_out, hidden=True)


def _with_change(rows: list[GapRow]) -> list[GapRow]:
    """Each period's change in the size of the gap from the period before (same area), and
    the test of the change where both years have both groups' counts."""
    out, before = [], None
    for row in rows:
        extra = {}
        if before is not None and before.gap is not None and row.gap is not None:
            now, then = round(abs(row.gap), 6), round(abs(before.gap), 6)
            extra["change"] = "narrowed" if now < then else "widened" if now > then \
                else "unchanged"
            extra["change_points"], extra["z"], extra["p"] = gap_change_test(
                before.deprived_counts, before.rest_counts, row.deprived_counts,
                row.rest_counts)
        out.append(replace(row, **extra))
        before = row
    return out


def gap_areas(geography: Geography) -> list[tuple[Area, list[tuple[str, float]]]]:
    """The authority, each cluster and each centre with its small areas (and the share of each
    the area holds: 1 but for a small area split between centres)."""
    lsoas = [a.code for a in geography.at_level(Level.LSOA)]
    areas = [(geography.authority, [(c, 1.0) for c in sorted(lsoas)])]
    for cluster in geography.at_level(Level.CLUSTER):
        areas.append((cluster, [(a.code, 1.0) for w in geography.wards_of_cluster(cluster.code)
                                for a in geography.children(w.code, Level.LSOA)]))
    lsoa_set = set(lsoas)
    for centre in geography.at_level(Level.CENTRE):
        areas.append((centre, [(m.child, m.share) for m in geography.members_of(centre.code)
                               if m.child in lsoa_set]))
    return areas


def narrowing_gap(definition: IndicatorDefinition, values: Iterable[IndicatorValue],
                  geography: Geography, deprivation: Deprivation, threshold: int = 5,
                  hidden: Collection[tuple[str, str]] = ()) -> list[GapRow]:
    """The gap for the authority, each cluster and each centre, for every period with
    small-area counts; a group with a small count (or complement) is hidden (``threshold``),
    and so is every (area code, period) in ``hidden``: figures hidden elsewhere (secondary
    suppression) that the groups would give away."""
    lsoa_codes = {a.code for a in geography.at_level(Level.LSOA)}
    by_period: dict[str, dict[str, IndicatorValue]] = defaultdict(dict)
    for v in values:
        if v.indicator_id == definition.id and v.area_code in lsoa_codes:
            by_period[v.period][v.area_code] = v
    result = []
    for area, codes in gap_areas(geography):
        if codes:
            rows = [_gap_row(definition, area, p, codes, by_period[p], deprivation, threshold)
                    for p in sorted(by_period) if "-" not in p]
            result += _with_change([_hide_gap(r) if (r.area_code, r.period) in hidden else r
                                    for r in rows])
    return result


__all__ = ["Actual", "PeriodRow", "Outcome", "actuals", "baseline_of", "trajectory", "on_track",
           "outcome", "sentence", "duty_outcomes", "indicator_label", "GapRow",
           "Deprivation", "deprivation_flags", "narrowing_gap", "gap_areas", "gap_change_test",
           "GAP_TEST"]
