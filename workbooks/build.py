"""Build every workbook for an authority from a build configuration.

This is the application layer over the core: load and validate the inputs, compute the profile once,
then write each workbook. Every file is written to a temporary name and renamed only when complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xl_profile.config import BuildConfig
from xl_profile.errors import OutputError
from xl_profile.pipeline import Progress, load_profile, stderr_progress
from xl_profile.profile import ProfileData


@dataclass
class BuildResult:
    """What a build wrote."""

    profile: ProfileData
    files: list[Path] = field(default_factory=list)


def build_all(config: BuildConfig, out_dir: Path, *, pdf: bool = False,
              progress: Progress = stderr_progress) -> BuildResult:
    """Build cluster profiles, the coverage profile and reach reports into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if not out_dir.is_dir():
        raise OutputError(f"output folder {str(out_dir)!r} cannot be created")
    profile = load_profile(config, progress)
    result = BuildResult(profile)
    for name, step in _steps():
        progress(f"writing {name}")
        result.files.extend(step(config, profile, out_dir, pdf))
    return result


def _steps() -> list[tuple[str, Callable[[BuildConfig, ProfileData, Path, bool], list[Path]]]]:
    return [("cluster profiles", _cluster_profiles)]


def _cluster_profiles(config: BuildConfig, profile: ProfileData, out_dir: Path,
                      pdf: bool) -> list[Path]:
    from .cluster_profile import write_cluster_profiles

    return write_cluster_profiles(profile, out_dir, template=config.template, pdf=pdf)
