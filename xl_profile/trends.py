"""Each indicator's figures over time, for the authority and each cluster: the data of the
profiles' trend charts.

A period's figures are made exactly as the latest period's are (``profile.compute_profile``
passes its own calculation in, period by period: the same aggregation from the published level,
the same limits and the same disclosure control), so the last point of a series is the figure
the profile prints. Only ordinary figures are plotted: a period whose total is withheld (a part
missing or suppressed at source), suppressed (disclosure control), estimated, unreliable or not
published is a gap, never a number made up to fill it; so is a year between the first and the
last that the data do not have at all. The Fingertips recent-trend marker
(``IndicatorResult.trend``) is a separate, statistical judgement and is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import PeriodType, ValueNote
from .targets import is_year_of, period_year, year_period

if TYPE_CHECKING:  # the profile imports this module; these are only types here
    from .profile import AreaResult, IndicatorResult

#: Periods an indicator needs before its figures are drawn as a trend.
MIN_PERIODS = 3
#: Notes of a figure that is plotted: an ordinary published or summed figure.
PLOTTED_NOTES = frozenset({None, ValueNote.AGGREGATED})


@dataclass(frozen=True)
class TrendPoint:
    """One period's figure of one area.

    Attributes:
        period: the period as in the tidy data ('2007/08').
        value: the figure when it may be shown (an estimate's too), else None.
        note: the figure's note; says why a point is a gap.
        plotted: True for an ordinary figure, the only kind drawn.
    """

    period: str
    value: float | None
    note: ValueNote | None
    plotted: bool


@dataclass(frozen=True)
class AreaSeries:
    """An area's figures, one point per period of the indicator, oldest first."""

    code: str
    name: str
    points: tuple[TrendPoint, ...]

    @property
    def plotted(self) -> int:
        """How many periods have a figure drawn."""
        return sum(1 for p in self.points if p.plotted)

    @property
    def values(self) -> tuple[float | None, ...]:
        """The drawn figure of each period, None for a gap."""
        return tuple(p.value if p.plotted else None for p in self.points)


@dataclass(frozen=True)
class IndicatorTrend:
    """One indicator's series for the authority and every cluster, over the same periods."""

    indicator_id: str
    periods: tuple[str, ...]
    authority: AreaSeries
    clusters: tuple[AreaSeries, ...]

    def cluster(self, code: str) -> AreaSeries:
        """The series of the cluster with ``code``.

        Raises:
            KeyError: naming the code and the clusters there are.
        """
        for series in self.clusters:
            if series.code == code:
                return series
        raise KeyError(f"cluster {code!r} has no series for {self.indicator_id}; clusters: "
                       f"{', '.join(s.code for s in self.clusters)}")


#: Most periods a series is filled out to (a longer run is left as the data give it).
MOST_PERIODS = 40


def with_gaps(periods: tuple[str, ...]) -> tuple[str, ...]:
    """``periods`` with every year between the first and the last, so that a year the data do
    not have is a gap in the trend, not left out with its neighbours drawn side by side. Years
    (2007) and year spans (2007/08) are filled; any other form is left as it is."""
    kind = next((t for t in (PeriodType.CALENDAR_YEAR, PeriodType.ACADEMIC_YEAR)
                 if all(is_year_of(p, t) for p in periods)), None)
    if kind is None or period_year(periods[-1]) - period_year(periods[0]) >= MOST_PERIODS:
        return tuple(periods)
    return tuple(year_period(y, kind)
                 for y in range(period_year(periods[0]), period_year(periods[-1]) + 1))


def trend_point(period: str, area: AreaResult) -> TrendPoint:
    """A period's point from the area's figure for that period."""
    value = area.value if area.shown else None
    return TrendPoint(period, value, area.note,
                      plotted=value is not None and area.note in PLOTTED_NOTES)


def indicator_trend(latest: IndicatorResult,
                    compute: Callable[[str], IndicatorResult]) -> IndicatorTrend | None:
    """The indicator's series over every period it has, or None with fewer than
    :data:`MIN_PERIODS`.

    Args:
        latest: the profile's result for the latest period (used as it is for the last point).
        compute: the profile's calculation for one earlier period, disclosure control included.
    """
    if len(latest.periods_available) < MIN_PERIODS:
        return None
    periods = with_gaps(latest.periods_available)
    known = set(latest.periods_available)
    by_period = [compute(p) if p in known else None for p in periods[:-1]] + [latest]

    def series(pick: Callable[[IndicatorResult], AreaResult]) -> AreaSeries:
        first = pick(latest)
        return AreaSeries(first.code, first.name, tuple(
            trend_point(p, pick(r)) if r is not None else TrendPoint(p, None, ValueNote.MISSING,
                                                                     plotted=False)
            for p, r in zip(periods, by_period)))

    clusters = tuple(series(lambda r, i=i: r.clusters[i]) for i in range(len(latest.clusters)))
    return IndicatorTrend(latest.definition.id, tuple(periods),
                          series(lambda r: r.authority), clusters)
