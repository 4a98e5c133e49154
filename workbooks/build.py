"""Build every workbook for an authority from a build configuration.

This is the application layer over the core: load and validate the inputs, compute the profile once,
then write each workbook. Every file is written to a temporary name and renamed only when complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xl_profile.config import BuildConfig
from xl_profile.errors import OutputError
from xl_profile.pipeline import Inputs, Progress, load_inputs, stderr_progress
from xl_profile.profile import ProfileData


@dataclass
class BuildResult:
    """What a build wrote."""

    profile: ProfileData
    files: list[Path] = field(default_factory=list)


def build_all(config: BuildConfig, out_dir: Path, *, pdf: bool = False,
              built_on: dt.date | None = None,
              progress: Progress = stderr_progress) -> BuildResult:
    """Build cluster profiles, the coverage profile and reach reports into ``out_dir``.

    ``built_on`` (default today) is the date printed in the workbooks; with a fixed date the
    same inputs give byte-identical workbooks.
    """
    built_on = built_on or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not out_dir.is_dir():
        raise OutputError(f"output folder {str(out_dir)!r} cannot be created")
    inputs = load_inputs(config, progress)
    result = BuildResult(inputs.profile)
    for name, step in _steps():
        progress(f"writing {name}")
        result.files.extend(step(config, inputs, out_dir, built_on))
    if pdf:
        from .pdf import to_pdf

        progress("printing PDFs with LibreOffice")
        result.files.extend(to_pdf([f for f in result.files if f.suffix == ".xlsx"], out_dir))
    return result


Step = Callable[[BuildConfig, Inputs, Path, dt.date], list[Path]]


def _steps() -> list[tuple[str, Step]]:
    return [("cluster profiles", _cluster_profiles), ("coverage profile", _coverage_profile),
            ("reach reports", reach_reports)]


def _cluster_profiles(config: BuildConfig, inputs: Inputs, out_dir: Path,
                      built_on: dt.date) -> list[Path]:
    from .cluster_profile import write_cluster_profiles

    return write_cluster_profiles(inputs.profile, out_dir, template=config.template,
                                  built_on=built_on)


def _coverage_profile(config: BuildConfig, inputs: Inputs, out_dir: Path,
                      built_on: dt.date) -> list[Path]:
    if inputs.spatial is None:
        return []  # no boundaries in the geography folder: coverage cannot be measured
    from .coverage_profile import write_coverage_profile

    return [write_coverage_profile(inputs.profile, inputs.spatial, out_dir, built_on=built_on)]


def reach_reports(config: BuildConfig, inputs: Inputs, out_dir: Path,
                  built_on: dt.date) -> list[Path]:
    """Reach reports from the reach measures computed with the profile (none when the build
    names no extract): the profile's reach indicators and these reports are one calculation."""
    if inputs.reach is None:
        return []
    from .reach_report import write_reach_reports

    return write_reach_reports(inputs.reach.results, inputs.reach.extract,
                               inputs.profile.geography, out_dir, built_on=built_on)
