"""From a build configuration to a computed profile (no workbook writing here)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from .catalogue import load_catalogue
from .config import BuildConfig, check_reach_as_of
from .errors import InputError, ProblemLog
from .eyfsp_areas import EYFSPSummary, profile_values, replace_tidy_eyfsp, summarise
from .eyfsp_disclosure import align_disclosure
from .eyfsp_feed import read_children, read_postcodes
from .geography_io import load_geography
from .models import Geography, IndicatorValue, Level
from .profile import ProfileData, compute_profile
from .reach.indicators import (REACH_INDICATORS, reach_indicator_values, reach_period,
                               replace_tidy_reach)
from .reach.measures import GROUPS, compute_reach
from .reach.populations import profile_populations
from .reach.run import ReachRun, loaded_extract
from .spatial import CentreFit, Spatial, choose_centre_fit, load_spatial, \
    missing_boundary_files, with_decision
from .spatial import with_centre_fit as with_centre_fit  # kept importable from here
from .intake import agency_values
from .tidy import check_tidy

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    """Default progress display: one line per step on standard error."""
    print(f"  {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    """Progress display that shows nothing."""


@dataclass(frozen=True)
class Inputs:
    """A computed profile, what the boundaries tell, and the reach measures.

    Attributes:
        spatial: boundaries' findings, None when the geography folder lacks boundary files.
        reach: the reach measures, where the build names an extract.
        centre_fit: which small-area-to-centre memberships were used, and differences.
        coverage_missing: when ``spatial`` is None, why the coverage profile cannot be written.
    """

    profile: ProfileData
    spatial: Spatial | None
    reach: ReachRun | None = None
    centre_fit: CentreFit | None = None
    coverage_missing: str = ""
    #: The tidy values the profile was computed from (every period), for the outcomes duty.
    values: tuple[IndicatorValue, ...] = ()
    #: NI 72 and NI 92 by area from the child-level EYFSP file, where the build names one.
    eyfsp: EYFSPSummary | None = None


def _coverage_missing(config: BuildConfig) -> str:
    missing = [f"{p} (a folder)" if p.is_dir() else str(p)
               for p in missing_boundary_files(config.geography)]
    return (f"coverage profile not written: the geography folder lacks the boundary file(s) "
            f"{', '.join(missing)} (ward, LSOA and centre boundaries are all needed)")


def _fit_warnings(spatial: Spatial | None, centre_fit: CentreFit) -> list[str]:
    """Small areas the boundary fit left outside every centre, and centres left empty."""
    if spatial is None or centre_fit.used != "boundaries":
        return []
    fit, lines = spatial.fit, []
    for label, codes in (("small area(s) outside every centre reach area", fit.outside),
                         ("centre(s) with no small area", fit.empty_targets)):
        if codes:
            shown = ", ".join(codes[:10]) + (f" and {len(codes) - 10} more"
                                             if len(codes) > 10 else "")
            lines.append(f"best fit: {len(codes)} {label}: {shown}")
    return lines


def load_profile(config: BuildConfig, progress: Progress = stderr_progress) -> ProfileData:
    """Load and validate every input of ``config`` and compute the profile."""
    return load_inputs(config, progress).profile


def load_inputs(config: BuildConfig, progress: Progress = stderr_progress) -> Inputs:
    """Load and validate every input of ``config``, fit centres and compute the profile.

    Raises:
        InputError: listing every problem in every indicator file, not just the first.
    """
    progress(f"reading geography from {config.geography}")
    geography = load_geography(config.geography)
    spatial = load_spatial(config.geography, geography)
    geography, centre_fit = choose_centre_fit(config.centre_fit, geography, spatial,
                                              config.geography)
    spatial = with_decision(spatial, centre_fit)
    for line in centre_fit.report_lines() + _fit_warnings(spatial, centre_fit):
        progress(line)
    catalogue = load_catalogue(extra_paths=config.catalogue)
    values, problems, read = [], ProblemLog(), {}
    for path in config.indicators:
        progress(f"reading indicators from {path}")
        data = check_tidy(path, catalogue, geography, log=problems, earlier=read)
        values.extend(data.values)
        if data.blank_rows:
            progress(f"  {data.blank_rows:,} blank row(s) in {path} skipped")
    if config.mappings is not None:
        progress(f"reading agency files in {config.agency} through {config.mappings}")
        values.extend(agency_values(config.mappings, config.agency, catalogue, geography,
                                    problems))
    if problems.total:
        raise InputError(problems)
    eyfsp = None
    if config.eyfsp:
        eyfsp, values = _eyfsp_from_children(config, geography, values, progress)
    fit_quality = spatial.fit_quality() if spatial else None
    reach = None
    if config.extract is not None:
        reach, values = _reach_from_extract(config, geography, catalogue, values, fit_quality,
                                            progress)
    progress(f"computing {len({v.indicator_id for v in values})} indicators")
    profile = compute_profile(geography, catalogue, values, fit_quality=fit_quality,
                              suppression_threshold=config.suppression_threshold)
    if eyfsp is not None:  # one pattern of hidden figures in every workbook
        profile, eyfsp = align_disclosure(profile, eyfsp)
    return Inputs(profile, spatial, reach, centre_fit,
                  "" if spatial is not None else _coverage_missing(config), tuple(values),
                  eyfsp)


def _eyfsp_from_children(config: BuildConfig, geography: Geography,
                         values: list[IndicatorValue], progress: Progress
                         ) -> tuple[EYFSPSummary, list[IndicatorValue]]:
    """NI 72 and NI 92 from the child-level EYFSP files, and the tidy values with the rows of
    the same years replaced by them (one number for one thing), saying so."""
    postcodes = read_postcodes(config.eyfsp_postcodes) if config.eyfsp_postcodes else None
    records = read_children(config.eyfsp, geography, postcodes)
    summary = summarise(records, geography, config.suppression_threshold)
    for line in summary.lines():
        progress(line)
    values, replaced = replace_tidy_eyfsp(values, profile_values(summary, geography),
                                          records.periods, geography)
    if replaced:
        ids = sorted({v.indicator_id for v in replaced})
        progress(f"the EYFSP file wins: {len(replaced)} tidy row(s) of {', '.join(ids)} for "
                 f"{', '.join(records.periods)} not used (England or region rows are kept as "
                 "benchmarks)")
    return summary, values


def _reach_from_extract(config: BuildConfig, geography: Geography, catalogue,
                        values: list[IndicatorValue], fit_quality, progress: Progress
                        ) -> tuple[ReachRun, list[IndicatorValue]]:
    """Reach from the extract, and the tidy values with the profile's reach indicators replaced
    by the same calculation (one number for one thing).

    The reach-area populations come from the same profile calculation as the full profile, run
    first over the population indicators alone.
    """
    as_of = check_reach_as_of(config)
    progress(f"reading centre extract from {config.extract} (reach to {as_of.isoformat()})")
    extract, names, warnings = loaded_extract(config.extract, geography, as_of,
                                              config.pseudonym_key.encode(),
                                              config.setting("reach_as_of"))
    for warning in warnings:
        progress(f"warning: {warning}")
    for line in names.lines():
        progress(line)
    wanted = {indicator for _label, indicator in GROUPS.values() if indicator}
    # Populations are inputs of the reach sums: taken before disclosure control (threshold 1
    # hides nothing), which applies to what is printed.
    populations = compute_profile(geography, catalogue,
                                  [v for v in values if v.indicator_id in wanted],
                                  fit_quality=fit_quality, suppression_threshold=1)
    results = compute_reach(extract, geography, *profile_populations(populations))
    for line in results.records.lines():
        progress(line)
    period = reach_period(as_of)
    reach_values = reach_indicator_values(results, geography)
    values, replaced = replace_tidy_reach(values, reach_values, period, geography)
    progress(f"reach indicators ({', '.join(REACH_INDICATORS)}) for "
             f"{len(geography.at_level(Level.CENTRE))} centres from the extract, 12 months to "
             f"{as_of.isoformat()} (period {period}), as in the reach reports")
    if replaced:
        ids = sorted({v.indicator_id for v in replaced})
        progress(f"the extract wins: {len(replaced)} tidy row(s) of {', '.join(ids)} not used "
                 f"(England or region rows of period {period} are kept as benchmarks)")
    return ReachRun(extract, results, warnings), values
