"""One call from an extract on disk to every reach measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..models import Geography
from ..tabular import read_table
from .extract import Extract, load_extract
from .measures import ETHNICITY_PREFIX, GROUPS, ReachResults, compute_reach
from .populations import lsoa_populations

#: The demo's published pseudonym key. Real extracts must use a secret key of their own.
DEMO_KEY = b"xl-profile-demo-key"


@dataclass(frozen=True)
class ReachRun:
    """A privacy-reduced extract (for the data-quality section) and its measures."""

    extract: Extract
    results: ReachResults


def run_reach(extract_source: str | Path, geography: Geography,
              population_0_4_by_lsoa: Mapping[str, float], as_of: dt.date, key: bytes,
              target_population_by_lsoa: Mapping[str, Mapping[str, float]] | None = None
              ) -> ReachRun:
    """Load an extract (personal data reduced at the door) and compute the 12/24 month measures.

    Args:
        extract_source: extract folder (CSV or XLSX per table) or one workbook of sheets.
        population_0_4_by_lsoa: LSOA -> children aged 0-4.
        as_of: last day of the 12 and 24 month windows.
        key: secret key of the pseudonymous ids.
        target_population_by_lsoa: group -> LSOA -> count (see ``populations_from_lsoa``).
    Raises:
        InputError: the extract has problems (every one located by file, sheet, row, column).
    """
    extract = load_extract(extract_source, as_of, key)
    populations, notes = lsoa_populations(geography, population_0_4_by_lsoa,
                                          target_population_by_lsoa)
    return ReachRun(extract, compute_reach(extract, geography, populations, notes))


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
