"""One disclosure-control pattern for the EYFSP figures in every workbook.

The child-level EYFSP results are printed twice: by the cluster profile (NI 72 of the latest
year for wards, centres, clusters and the authority, and of every year for clusters and the
authority in its trends, under the profile's own disclosure control) and by the outcomes-duty workbook's "EYFSP by area" sheet (every year, small areas
too, under the EYFSP summary's). Two patterns of hidden figures over the same children would let
a reader with both workbooks recover a figure one of them hides. So each hides, for the areas
both print, every figure that either hides: hiding more never reveals anything.
"""

from __future__ import annotations

from dataclasses import replace

from .eyfsp_areas import EYFSPSummary
from .models import Level, ValueNote
from .profile import HIDDEN_BASIS, IndicatorResult, ProfileData, hide_figure
from .trends import AreaSeries, IndicatorTrend, TrendPoint


def align_disclosure(profile: ProfileData, summary: EYFSPSummary
                     ) -> tuple[ProfileData, EYFSPSummary]:
    """The profile and the summary, each hiding the areas the other hides: in the profile's
    NI 72 year every area the profile prints, and in every year of its trend the clusters and
    the authority."""
    result = profile.results.get("NI72")
    if result is None:
        return profile, summary
    hidden: dict[str, set[str]] = {}  # period -> codes hidden in either
    for period, areas in summary.by_period.items():
        hidden[period] = {a.code for a in areas if a.hidden and a.level is not Level.LSOA}
    if result.period in hidden:
        hidden[result.period] |= {a.code for a in _printed(result)
                                  if a.basis == HIDDEN_BASIS and a.value is None}
    trend = profile.trends.get("NI72")
    if trend is not None:
        for series in (trend.authority, *trend.clusters):
            for point in series.points:
                if point.period in hidden and point.note is ValueNote.SUPPRESSED:
                    hidden[point.period].add(series.code)
    summary = replace(summary, by_period={
        period: tuple(replace(a, hidden=True) if a.code in hidden[period] else a
                      for a in areas) for period, areas in summary.by_period.items()})
    results = {**profile.results}
    if result.period in hidden:
        results["NI72"] = _hidden_in_profile(result, hidden[result.period])
    trends = {**profile.trends}
    if trend is not None:
        trends["NI72"] = _hidden_in_trend(trend, hidden)
    return replace(profile, results=results, trends=trends), summary


def _hidden_in_trend(trend: IndicatorTrend, hidden: dict[str, set[str]]) -> IndicatorTrend:
    """The trend with each point of an area hidden in its period made a gap, as disclosure
    control makes one."""
    def series_of(series: AreaSeries) -> AreaSeries:
        return replace(series, points=tuple(
            TrendPoint(p.period, None, ValueNote.SUPPRESSED, False)
            if series.code in hidden.get(p.period, ()) else p for p in series.points))

    return replace(trend, authority=series_of(trend.authority),
                   clusters=tuple(series_of(s) for s in trend.clusters))


def _printed(result: IndicatorResult):
    return [result.authority, *result.clusters, *result.wards, *result.centres]


def _hidden_in_profile(result: IndicatorResult, hidden: set[str]) -> IndicatorResult:
    """The result with every area in ``hidden`` hidden as disclosure control hides it."""
    def hide(area):
        return hide_figure(area) if area.code in hidden and area.value is not None else area

    changed = replace(result, authority=hide(result.authority),
                      clusters=tuple(hide(a) for a in result.clusters),
                      wards=tuple(hide(a) for a in result.wards),
                      centres=tuple(hide(a) for a in result.centres))
    count = sum(1 for a in _printed(changed) if a.basis == HIDDEN_BASIS and a.value is None)
    return replace(changed, suppressed_cells=count)
