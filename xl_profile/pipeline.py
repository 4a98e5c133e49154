"""From a build configuration to a computed profile (no workbook writing here)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from .catalogue import load_catalogue
from .config import BuildConfig
from .errors import InputError
from .geography_io import load_geography
from .profile import ProfileData, compute_profile
from .tidy import check_tidy

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    """Default progress display: one line per step on standard error."""
    print(f"  {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    """Progress display that shows nothing."""


def load_profile(config: BuildConfig, progress: Progress = stderr_progress) -> ProfileData:
    """Load and validate every input of ``config`` and compute the profile.

    Raises:
        InputError: listing every problem in every indicator file, not just the first.
    """
    progress(f"reading geography from {config.geography}")
    geography = load_geography(config.geography)
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
    return compute_profile(geography, catalogue, values,
                           suppression_threshold=config.suppression_threshold)
