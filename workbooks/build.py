"""Build every workbook for an authority from a build configuration.

This is the application layer over the core: load and validate the inputs, compute the profile once,
then write each workbook. A build is all or nothing: every file is written into a hidden staging
folder inside the output folder and moved into place only when every workbook (and PDF) is complete,
so a failure part-way leaves the output folder as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xl_profile.atomic import make_output_folder
from xl_profile.config import BuildConfig, resolve_built_on
from xl_profile.errors import OutputError
from xl_profile.pipeline import Inputs, Progress, load_inputs, stderr_progress
from xl_profile.profile import ProfileData
from xl_profile.reach.run import ReachRun


@dataclass
class BuildResult:
    """What a build wrote."""

    profile: ProfileData
    files: list[Path] = field(default_factory=list)
    #: The reach measures the build computed (None without an extract), for later steps.
    reach: ReachRun | None = None
    #: The tidy values the profile was computed from (after the extract's and the EYFSP
    #: file's replacements), for later steps.
    values: tuple = ()


def build_all(config: BuildConfig, out_dir: Path, *, pdf: bool = False,
              built_on: dt.date | None = None, progress: Progress = stderr_progress,
              extra_steps: list[tuple[str, Step]] = ()) -> BuildResult:
    """Build cluster profiles, the coverage profile and reach reports into ``out_dir``.

    ``built_on`` is the date printed in the workbooks: by default the build file's ``built_on``
    setting, else ``SOURCE_DATE_EPOCH``, else today; with a fixed date the same inputs give
    byte-identical workbooks. Nothing appears in ``out_dir`` unless every file was written.
    ``extra_steps`` write more workbooks from the same inputs (the demo's analyst workbook),
    published with the rest.
    """
    built_on = resolve_built_on(built_on or config.built_on)
    make_output_folder(out_dir)
    inputs = load_inputs(config, progress)
    result = BuildResult(inputs.profile, reach=inputs.reach, values=inputs.values)
    with staged_output(out_dir) as staging:
        for name, step in _steps():
            if name == "coverage profile" and inputs.spatial is None:
                progress(inputs.coverage_missing)
                continue
            if name == "outcomes duty workbook" and config.targets is None \
                    and not config.eyfsp:
                continue  # written for a build file that names targets or EYFSP results
            progress(f"writing {name}")
            result.files.extend(step(config, inputs, staging, built_on))
        if pdf:
            from .pdf import to_pdf

            progress("printing PDFs with LibreOffice")
            result.files.extend(to_pdf([f for f in result.files if f.suffix == ".xlsx"], staging))
        for name, step in extra_steps:  # not printed: working files, not for circulation
            progress(f"writing {name}")
            result.files.extend(step(config, inputs, staging, built_on))
        result.files = publish(result.files, staging, out_dir)
    return result


@contextlib.contextmanager
def staged_output(out_dir: Path) -> Iterator[Path]:
    """A hidden folder inside ``out_dir`` for a build's files, removed afterwards (with anything
    not yet published from it)."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=".xl-profile-build-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write in output folder {str(out_dir)!r} "
                          f"({exc.strerror or exc})") from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(files: list[Path], staging: Path, out_dir: Path) -> list[Path]:
    """Move the finished files from ``staging`` into ``out_dir``; return their final paths."""
    final = []
    for path in files:
        target = out_dir / path.relative_to(staging)
        os.replace(path, target)
        final.append(target)
    return final


Step = Callable[[BuildConfig, Inputs, Path, dt.date], list[Path]]


def _steps() -> list[tuple[str, Step]]:
    return [("cluster profiles", _cluster_profiles), ("coverage profile", _coverage_profile),
            ("reach reports", reach_reports), ("outcomes duty workbook", _outcomes_duty)]


def _outcomes_duty(config: BuildConfig, inputs: Inputs, out_dir: Path,
                   built_on: dt.date) -> list[Path]:
    from .outcomes_duty import (
        outcomes_duty_step,  # nothing written without a targets file
    )

    return outcomes_duty_step(config, inputs, out_dir, built_on)


def _cluster_profiles(config: BuildConfig, inputs: Inputs, out_dir: Path,
                      built_on: dt.date) -> list[Path]:
    from .cluster_profile import write_cluster_profiles

    return write_cluster_profiles(inputs.profile, out_dir, template=config.template,
                                  built_on=built_on, spatial=inputs.spatial,
                                  suppression_threshold=config.suppression_threshold)


def _coverage_profile(config: BuildConfig, inputs: Inputs, out_dir: Path,
                      built_on: dt.date) -> list[Path]:
    if inputs.spatial is None:
        return []  # build_all has said which boundary files are missing
    from .coverage_profile import write_coverage_profile

    return [write_coverage_profile(inputs.profile, inputs.spatial, out_dir, built_on=built_on)]


def reach_reports(config: BuildConfig, inputs: Inputs, out_dir: Path,
                  built_on: dt.date) -> list[Path]:
    """Reach reports for the boards and the analysts' ``reach-quality.xlsx``, from the reach
    measures computed with the profile (none when the build names no extract): the profile's
    reach indicators and these reports are one calculation."""
    if inputs.reach is None:
        return []
    from .reach_quality import write_reach_quality
    from .reach_report import write_reach_reports

    run, geography = inputs.reach, inputs.profile.geography
    return write_reach_reports(run.results, run.extract, geography, out_dir, built_on=built_on) \
        + [write_reach_quality(run.results, run.extract, geography, out_dir, built_on=built_on)]
