"""One call from an extract on disk to every reach measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError
from ..models import Geography
from ..tabular import read_table
from .centres import align_centres
from .extract import Extract, load_extract
from .measures import ETHNICITY_PREFIX, GROUPS, ReachResults, compute_reach, window
from .populations import lsoa_populations

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
    start = window(as_of, 12)[0].date()
    if last < start or first > as_of:
        raise ConfigError(f"{setting} {as_of.isoformat()}: no attendance in the 12 months to it "
                          f"(the extract's attendances run from {first.isoformat()} to "
                          f"{last.isoformat()}); expected a date on or soon after the last "
                          "attendance")
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
        InputError: the extract has problems (every one located by file, sheet, row, column).
        ConfigError: no attendance falls in the 12 months to ``as_of``.
    """
    extract, names = align_centres(load_extract(extract_source, as_of, key), geography)
    warnings = check_window(extract, as_of, setting)
    populations, notes = lsoa_populations(geography, population_0_4_by_lsoa,
                                          target_population_by_lsoa)
    return ReachRun(extract, compute_reach(extract, geography, populations, notes), warnings,
                    names.lines())


def load_lsoa_populations(path: str | Path) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Read ``lsoa,population_0_4[,<group>...]`` (CSV or XLSX) for :func:`run_reach`.

    Group columns are keys of ``GROUPS`` (``teenage_parents``, ``lone_parents``, ``workless``,
    ``bme``, ``disabled_children``, ``disabled_parents``, ``fathers``) or ``ethnicity:<group>``;
    a blank cell means not published for that LSOA.

    Raises:
        InputError: a missing or unknown column, or a cell that is not a number >= 0.
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
    all_ages: dict[str, float] = {}
    by_group: dict[str, dict[str, float]] = {g: {} for g in groups}
    for number, row in table.rows:
        for column in ["population_0_4"] + groups:
            text = row.get(column, "")
            if not text:
                continue
            try:
                value = float(text.replace(",", ""))
            except ValueError:
                value = -1.0
            if value < 0:
                problems.append(table.problem(number, column, "not a count", "a number >= 0",
                                              text))
            elif column == "population_0_4":
                all_ages[row["lsoa"]] = value
            else:
                by_group[column][row["lsoa"]] = value
    if problems:
        raise InputError(problems)
    return all_ages, by_group
