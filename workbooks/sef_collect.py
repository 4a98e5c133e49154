"""Collecting SEF forms: read and check every file in a folder, write the authority's summary.

Forms are read and checked in worker processes, in file order; each form's texts are written to
the summary as it comes in, so writing overlaps reading. Grades, key figures, changes and problems
follow once every form is in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from xl_profile.errors import InputError, OutputError, Problem
from xl_profile.sef.review import (ReviewedForm, SefProblem, collection_problems,
                                   collection_year, file_problem, review_form)
from xl_profile.sef.summary import Summary, build_summary

from .sef_reader import read_form
from .sef_summary import SUMMARY_SHEETS, read_previous, summary_book, summary_sheets

_SKIPPED_PREFIXES = (".", "~$")
#: Fewer forms than this are read in this process: starting workers would cost more.
PARALLEL_FROM = 64


@dataclass
class CollectResult:
    """What collecting read and wrote."""

    path: Path
    summary: Summary
    files_read: int


def form_files(directory: Path, out: Path | None = None) -> list[Path]:
    """Every file in ``directory`` a manager may have left there, except lock and temp files."""
    if not directory.is_dir():
        raise InputError(Problem(str(directory), None, None, "folder of forms not found",
                                 "a folder holding sef-<centre>.xlsx files", "no such folder"))
    skip = out.resolve() if out is not None else None
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and not p.name.startswith(_SKIPPED_PREFIXES)
                  and (skip is None or p.resolve() != skip))


def collect(directory: Path, out: Path, *, previous: Path | None = None, year: str | None = None,
            workers: int | None = None) -> CollectResult:
    """Read and check every form in ``directory`` and write the summary to ``out``.

    Forms are read and checked in ``workers`` processes (default: one per core, and none for a
    handful of forms). Nothing is written to ``out`` unless the whole summary is.
    """
    before = read_previous(previous) if previous is not None else None
    if not out.parent.is_dir():
        raise OutputError(f"--out {str(out)!r}: folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise OutputError(f"--out {str(out)!r} is a folder; expected a file such as "
                          "sef-summary.xlsx")
    check_out(directory, out)
    files = form_files(directory, out)
    forms: list[ReviewedForm] = []
    problems: list[SefProblem] = []
    with summary_book(out) as book:
        for outcome in read_all(files, workers):
            if isinstance(outcome, SefProblem):
                problems.append(outcome)
                continue
            book.add_texts(outcome)
            forms.append(outcome)
            problems.extend(outcome.problems)
        if not forms:  # an empty summary would look like a year with no forms returned
            raise InputError(_no_forms(directory, problems))
        year = year or collection_year(forms)
        problems.extend(collection_problems(forms, year))
        summary = build_summary(forms, sorted(problems, key=lambda p: p.file), year, before)
        book.finish(summary)
    return CollectResult(out, summary, len(files))


def check_out(directory: Path, out: Path) -> None:
    """Refuse an --out that would overwrite a file other than a summary (a filled form, say),
    or that lies in the forms folder, where the next collection would read it as a form."""
    if directory.is_dir() and out.parent.resolve() == directory.resolve():
        raise OutputError(f"--out {str(out)!r} is inside the folder of forms {str(directory)!r}, "
                          "where every file is read as a form; write the summary to another "
                          "folder")
    if not out.exists():
        return
    sheets = summary_sheets(out)
    if not set(SUMMARY_SHEETS) <= set(sheets):
        found = f"its sheets are {', '.join(sheets)}" if sheets else "it cannot be read as one"
        raise OutputError(f"--out {str(out)!r} is an existing file that is not a SEF summary "
                          f"written by xl-profile (expected the sheets "
                          f"{', '.join(SUMMARY_SHEETS)}; {found}); it was left untouched: give "
                          "a new file name, or an earlier summary to replace")


def _no_forms(directory: Path, problems: list[SefProblem]) -> Problem:
    files = "; ".join(f"{p.file} ({p.problem})" for p in problems[:5])
    more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
    message = "no self-evaluation forms in the folder" + (f": {files}{more}" if files else "")
    found = f"{len(problems)} file(s), none a form" if problems else "an empty folder"
    return Problem(str(directory), None, None, message,
                   "sef-<centre>.xlsx files written by 'xl-profile sef generate'", found)


def read_and_review(path: Path) -> ReviewedForm | SefProblem:
    """One file: its reviewed form, or the problem that keeps it out (unreadable, not a SEF)."""
    raw = read_form(path)
    return file_problem(raw) or review_form(raw)


def read_all(files: list[Path], workers: int | None) -> Iterator[ReviewedForm | SefProblem]:
    """Each file's outcome in file order, read ahead by ``workers`` processes."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_FROM:
        yield from map(read_and_review, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, min(32, len(files) // (workers * 16)))
        yield from pool.map(read_and_review, files, chunksize=chunk)
