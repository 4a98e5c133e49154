"""One disclosure-control pattern for the EYFSP figures in every workbook.

The child-level EYFSP results are printed twice: by the cluster profile (NI 72 of the latest
year for wards, centres, clusters and the authority, under the profile's own disclosure
control) and by the outcomes-duty workbook's "EYFSP by area" sheet (every year, small areas
too, under the EYFSP summary's). Two patterns of hidden figures over the same children would let
a reader with both workbooks recover a figure one of them hides. So each hides, for the areas
both print, every figure that either hides: hiding more never reveals anything.
"""

from __future__ import annotations

from dataclasses import replace

from .eyfsp_areas import EYFSPSummary
from .models import Level
from .profile import HIDDEN_BASIS, IndicatorResult, ProfileData, hide_figure


def align_disclosure(profile: ProfileData, summary: EYFSPSummary
                     ) -> tuple[ProfileData, EYFSPSummary]:
    """The profile and the summary, each hiding the areas the other hides in the profile's
    NI 72 year (the only year the profile prints)."""
    result = profile.results.get("NI72")
    if result is None or result.period not in summary.by_period:
        return profile, summary
    areas = summary.by_period[result.period]
    in_summary = {a.code for a in areas if a.hidden and a.level is not Level.LSOA}
    in_profile = {a.code for a in _printed(result)
                  if a.basis == HIDDEN_BASIS and a.value is None}
    hidden = in_summary | in_profile
    summary = replace(summary, by_period={
        **summary.by_period,
        result.period: tuple(replace(a, hidden=True) if a.code in hidden else a for a in areas)})
    return replace(profile, results={**profile.results,
                                     "NI72": _hidden_in_profile(result, hidden)}), summary


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
