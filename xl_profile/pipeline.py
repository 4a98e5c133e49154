"""From a build configuration to a computed profile (no workbook writing here)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from .catalogue import load_catalogue
from .config import BuildConfig
from .errors import InputError, ProblemLog
from .geography_io import load_geography
from .models import Geography, Level, Membership
from .profile import ProfileData, compute_profile
from .spatial import Spatial, load_spatial
from .tidy import check_tidy

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    """Default progress display: one line per step on standard error."""
    print(f"  {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    """Progress display that shows nothing."""


@dataclass(frozen=True)
class Inputs:
    """A computed profile and, where the geography has boundaries, what they tell."""

    profile: ProfileData
    spatial: Spatial | None


def with_centre_fit(geography: Geography, fitted: list[Membership]) -> Geography:
    """The geography with its small-area-to-centre memberships replaced by a best fit."""
    centres = {a.code for a in geography.at_level(Level.CENTRE)}
    kept = [m for m in geography.memberships if m.parent not in centres]
    return Geography(areas=geography.areas, memberships=tuple(kept + list(fitted)))


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
    if spatial is not None:
        progress(f"best fit: {len(spatial.fit.memberships)} small areas fitted to centres")
        geography = with_centre_fit(geography, spatial.fit.memberships)
    catalogue = load_catalogue(extra_paths=config.catalogue)
    values, problems = [], ProblemLog()
    for path in config.indicators:
        progress(f"reading indicators from {path}")
        values.extend(check_tidy(path, catalogue, geography, log=problems).values)
    if problems.total:
        raise InputError(problems)
    progress(f"computing {len({v.indicator_id for v in values})} indicators")
    profile = compute_profile(geography, catalogue, values,
                              fit_quality=spatial.fit_quality() if spatial else None,
                              suppression_threshold=config.suppression_threshold)
    return Inputs(profile, spatial)
