"""From a build configuration to a computed profile (no workbook writing here)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from .catalogue import load_catalogue
from .config import BuildConfig
from .errors import InputError
from .geography_io import load_geography
from .profile import ProfileData, compute_profile
from .spatial import CentreFit, Spatial, choose_centre_fit, load_spatial, \
    missing_boundary_files, with_decision
from .spatial import with_centre_fit as with_centre_fit  # kept importable from here
from .tidy import check_tidy

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    """Default progress display: one line per step on standard error."""
    print(f"  {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    """Progress display that shows nothing."""


@dataclass(frozen=True)
class Inputs:
    """A computed profile and, where the geography has boundaries, what they tell.

    Attributes:
        spatial: boundaries' findings, None when the geography folder lacks boundary files.
        centre_fit: which small-area-to-centre memberships were used, and differences.
        coverage_missing: when ``spatial`` is None, why the coverage profile cannot be written.
    """

    profile: ProfileData
    spatial: Spatial | None
    centre_fit: CentreFit | None = None
    coverage_missing: str = ""


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
    values, problems = [], []
    for path in config.indicators:
        progress(f"reading indicators from {path}")
        data = check_tidy(path, catalogue, geography)
        values.extend(data.values)
        problems.extend(data.problems)
    if problems:
        raise InputError(problems)
    progress(f"computing {len({v.indicator_id for v in values})} indicators")
    profile = compute_profile(geography, catalogue, values,
                              fit_quality=spatial.fit_quality() if spatial else None,
                              suppression_threshold=config.suppression_threshold)
    return Inputs(profile, spatial, centre_fit,
                  "" if spatial is not None else _coverage_missing(config))
