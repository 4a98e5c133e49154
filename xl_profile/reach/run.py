"""One call from an extract on disk to every reach measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError, Problem
from ..models import Geography, Level
from ..tabular import Table, read_table
from .centres import CentreNames, align_centres
from .extract import Extract, load_extract
from .measures import ETHNICITY_PREFIX, GROUPS, ReachResults, compute_reach, window
from .populations import lsoa_populations
from .screen import withheld_lines

#: The demo's published pseudonym key. Real extracts must use a secret key of their own.
DEMO_KEY = b"xl-profile-demo-key"


#: An extract ending this many days or more before the as-of date leaves the windows short.
STALE_DAYS = 31


@dataclass(frozen=True)
class ReachRun:
    """A privacy-reduced extract (for the data-quality section), its measures, and warnings
    about the as-of date against the extract's attendances."""

    extract: Extract
    results: ReachResults
    warnings: list[str] = field(default_factory=list)
    #: How the centres the extract names were matched to the geography (``CentreNames.lines``).
    centre_names: list[str] = field(default_factory=list)


def check_window(extract: Extract, as_of: dt.date, setting: str) -> list[str]:
    """Warnings about the reach windows against the extract's attendance dates.

    Raises:
        ConfigError: no attendance falls in the 12 months to ``as_of`` (it is before every
            attendance, or long after the last): every reach figure would be 0.
    """
    dates = extract.attendances["date"]
    if dates.empty:
        return ["the extract has no attendance that can be used: every reach figure is 0"]
    first, last = dates.min().date(), dates.max().date()
    start, end = window(as_of, 12)
    if not dates.between(start, end).any():
        raise ConfigError(f"{setting} {as_of.isoformat()}: no attendance in the 12 months to it "
                          f"(the extract's attendances run from {first.isoformat()} to "
                          f"{last.isoformat()}); expected a date on or soon after the last "
                          "attendance")
    # Rows dated after the as-of date are left out (and counted): the gap is to the last one kept.
    last = dates[dates <= end].max().date()
    gap = (as_of - last).days
    if gap >= STALE_DAYS:
        return [f"the extract's last attendance is {last.isoformat()}, {gap} days before "
                f"{setting} {as_of.isoformat()}: those days have no records, so reach and volume "
                "are understated"]
    return []


def run_reach(extract_source: str | Path, geography: Geography,
              population_0_4_by_lsoa: Mapping[str, float], as_of: dt.date, key: bytes,
              target_population_by_lsoa: Mapping[str, Mapping[str, float]] | None = None,
              setting: str = "as_of") -> ReachRun:
    """Load an extract (personal data reduced at the door) and compute the 12/24 month measures.

    Args:
        extract_source: extract folder (CSV or XLSX per table) or one workbook of sheets.
        population_0_4_by_lsoa: LSOA -> children aged 0-4.
        as_of: last day of the 12 and 24 month windows.
        key: secret key of the pseudonymous ids.
        target_population_by_lsoa: group -> LSOA -> count (see ``populations_from_lsoa``).
        setting: how the as-of date was given (``--as-of``), for messages.
    Raises:
        InputError: the extract has problems (every one located by file, sheet, row, column),
            or a population is given for an LSOA the geography does not hold.
        ConfigError: no attendance falls in the 12 months to ``as_of``.
    """
    check_population_areas(geography, population_0_4_by_lsoa, target_population_by_lsoa)
    extract, names, warnings = loaded_extract(extract_source, geography, as_of, key, setting)
    populations, notes = lsoa_populations(geography, population_0_4_by_lsoa,
                                          target_population_by_lsoa)
    return ReachRun(extract, compute_reach(extract, geography, populations, notes), warnings,
                    names.lines())


class LsoaCounts(dict):
    """LSOA -> count, remembering the file and row each LSOA was read from, so that a problem
    found later (an LSOA the geography does not hold) can be located."""

    def __init__(self, table: Table | None = None, rows: dict[str, int] | None = None):
        super().__init__()
        self.table, self.rows = table, rows if rows is not None else {}


def loaded_extract(source: str | Path, geography: Geography, as_of: dt.date, key: bytes,
                   setting: str) -> tuple[Extract, CentreNames, list[str]]:
    """The extract loaded with its centres matched to the geography's, and what a run says of
    it: the reach window's warnings and any activity names withheld."""
    extract, names = align_centres(load_extract(source, as_of, key), geography)
    return extract, names, check_window(extract, as_of, setting) + withheld_lines(
        extract.withheld_names)


def load_lsoa_populations(path: str | Path) -> tuple[LsoaCounts, dict[str, LsoaCounts]]:
    """Read ``lsoa,population_0_4[,<group>...]`` (CSV or XLSX) for :func:`run_reach`.

    Group columns are keys of ``GROUPS`` (``teenage_parents``, ``lone_parents``, ``workless``,
    ``bme``, ``disabled_children``, ``disabled_parents``, ``fathers``) or ``ethnicity:<group>``;
    a blank cell means not published for that LSOA. LSOAs are checked against the geography by
    :func:`run_reach`.

    Raises:
        InputError: a missing or unknown column, an LSOA given twice, or a cell that is not a
            number >= 0.
    """
    table = read_table(path)
    problems = table.require_columns(["lsoa", "population_0_4"])
    known = [g for g in GROUPS if g != "all"]
    groups = [c for c in table.header if c not in ("lsoa", "population_0_4") and c]
    problems += [table.problem(1, c, f"unknown column {c!r}",
                               expected=", ".join(known) + " or ethnicity:<group>", found=c)
                 for c in groups if c not in known and not c.startswith(ETHNICITY_PREFIX)]
    if problems:
        raise InputError(problems)
    rows = _lsoa_rows(table, problems)
    counts = {column: LsoaCounts(table, rows) for column in ["population_0_4"] + groups}
    for number, row in table.rows:
        for column, values in counts.items():
            text = row.get(column, "")
            if text and (value := _count(text)) is None:
                problems.append(table.problem(number, column, "not a count", "a number >= 0",
                                              text))
            elif text:
                values[row["lsoa"]] = value
    if problems:
        raise InputError(problems)
    return counts.pop("population_0_4"), counts


def _count(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _lsoa_rows(table: Table, problems: list[Problem]) -> dict[str, int]:
    """LSOA -> its row; an LSOA given twice is a problem (which row's figures would be meant?)."""
    rows: dict[str, int] = {}
    for number, row in table.rows:
        lsoa = row["lsoa"]
        if lsoa in rows:
            problems.append(table.problem(number, "lsoa", "duplicate small area",
                                          "each lsoa once", f"{lsoa!r} again: first in row "
                                                            f"{rows[lsoa]}"))
        else:
            rows[lsoa] = number
    return rows


def check_population_areas(geography: Geography, population_0_4_by_lsoa: Mapping[str, float],
                           target_population_by_lsoa: Mapping[str, Mapping[str, float]] | None
                           ) -> None:
    """Every LSOA given a population must be a small area of the geography, as every area code
    of an indicator file must be: an unknown one is a typing error or a file for another area,
    and its figures would otherwise be dropped without a word.

    Raises:
        InputError: one problem per unknown LSOA, located where the file was read by
            :func:`load_lsoa_populations`.
    """
    centres = {c.code for c in geography.at_level(Level.CENTRE)}
    small = {a.code for a in geography.at_level(Level.LSOA)}
    small |= {m.child for m in geography.memberships if m.parent in centres}
    expected = f"an LSOA code in the geography ({len(small)} small areas)"
    problems: dict[str, Problem] = {}  # one per LSOA, whichever columns give it
    for values in [population_0_4_by_lsoa, *(target_population_by_lsoa or {}).values()]:
        for lsoa in values:
            if lsoa not in small and lsoa not in problems:
                problems[lsoa] = _located(values, lsoa, "unknown small area", expected,
                                          lsoa or "(blank)")
    if problems:
        raise InputError(sorted(problems.values(), key=lambda p: p.row or 0))


def _located(values: Mapping[str, float], lsoa: str, *text: str) -> Problem:
    """A problem at the row ``lsoa`` was read from (a mapping given by the caller, not read by
    :func:`load_lsoa_populations`, has no file: the problem names the argument)."""
    if isinstance(values, LsoaCounts) and values.table is not None:
        return values.table.problem(values.rows.get(lsoa), "lsoa", *text)
    return Problem("populations", None, "lsoa", *text)
