"""The targets file: the authority's targets for indicators under the Early Years outcomes duty.

A CSV with one row per indicator, area and period::

    indicator,area,period,target,set_on,statutory
    NI72,E09000099,2010/11,57,2008-12-01,yes

- ``indicator``: a catalogue id (``NI72``).
- ``area``: the authority's code (targets are the authority's).
- ``period``: a year written as the indicator's period type writes it (``2010/11`` for academic
  and financial years, ``2010`` for calendar years and censuses).
- ``target``: the value to reach, in the indicator's unit (0-100 for a percentage).
- ``set_on``: the date the target was agreed, ``YYYY-MM-DD``.
- ``statutory``: ``yes`` or ``no``.

Several rows for one indicator are yearly steps: the last period is the target, the earlier ones
are points the trajectory passes through. Every problem is reported with the file, row and
column, what was expected and what was found; nothing is read from a file with problems.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .errors import InputError, Problem
from .models import Geography, IndicatorDefinition, PeriodType, Unit

COLUMNS = ["indicator", "area", "period", "target", "set_on", "statutory"]
_YEAR = re.compile(r"\d{4}")
_SPLIT_YEAR = re.compile(r"(\d{4})/(\d{2})")
_SPLIT_TYPES = (PeriodType.ACADEMIC_YEAR, PeriodType.FINANCIAL_YEAR)


@dataclass(frozen=True)
class Target:
    """One row of the targets file."""

    indicator_id: str
    area_code: str
    period: str
    target: float
    set_on: dt.date
    statutory: bool

    @property
    def year(self) -> int:
        """The first calendar year of the period (2010 for 2010/11)."""
        return int(self.period[:4])


def period_year(period: str) -> int:
    """The first calendar year of a year period (``2010/11`` -> 2010, ``2010`` -> 2010)."""
    return int(period[:4])


def year_period(year: int, period_type: PeriodType) -> str:
    """A year written as ``period_type`` writes it (2010 -> ``2010/11`` for academic years)."""
    return f"{year}/{(year + 1) % 100:02d}" if period_type in _SPLIT_TYPES else str(year)


def _year_expected(period_type: PeriodType) -> str:
    example = "2010/11" if period_type in _SPLIT_TYPES else "2010"
    return f"a year of the {period_type.value} type, e.g. {example}"


def is_year_of(period: str, period_type: PeriodType) -> bool:
    """True when ``period`` is one year written as the period type writes years."""
    if period_type in _SPLIT_TYPES:
        match = _SPLIT_YEAR.fullmatch(period)
        return bool(match) and (int(match[1]) + 1) % 100 == int(match[2])
    if period_type in (PeriodType.CALENDAR_YEAR, PeriodType.CENSUS):
        return bool(_YEAR.fullmatch(period))
    return False  # quarters and months: targets are set for years


def read_targets(path: Path, catalogue: Catalogue, geography: Geography) -> list[Target]:
    """Read and check a targets file.

    Raises:
        InputError: every problem found, each naming the file, row and column, what was expected
            and what was found.
    """
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
            header = rows and list(rows[0]) or _header(path)
    except FileNotFoundError:
        raise InputError(Problem(name, None, None, "targets file not found",
                                 expected="a CSV file", found="no such file")) from None
    except UnicodeDecodeError:
        raise InputError(Problem(name, None, None, "not a UTF-8 text file",
                                 expected="a CSV file in UTF-8", found="other bytes")) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(Problem(name, 1, None, "missing column(s) in the header",
                                 expected=", ".join(COLUMNS), found=", ".join(header) or
                                 "(no header)"))
    numbered, problems = [], []
    for number, row in enumerate(rows, start=2):
        found = _row(name, number, row, catalogue, geography)
        if isinstance(found, Target):
            numbered.append((number, found))
        else:
            problems.extend(found)
    problems.extend(_repeats(name, numbered))
    if problems:
        raise InputError(problems)
    return [t for _n, t in numbered]


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return next(csv.reader(file), [])


def _row(name: str, number: int, row: dict[str, str], catalogue: Catalogue,
         geography: Geography) -> Target | list[Problem]:
    """One row as a Target, or its problems."""
    def problem(column: str, message: str, expected: str) -> Problem:
        return Problem(name, number, column, message, expected=expected,
                       found=(row.get(column) or "").strip() or "(blank)")

    text = {c: (row.get(c) or "").strip() for c in COLUMNS}
    problems: list[Problem] = []
    definition = _definition(text["indicator"], catalogue)
    if definition is None:
        close = difflib.get_close_matches(text["indicator"], catalogue.ids, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        problems.append(problem("indicator", f"unknown indicator{hint}",
                                "an indicator id from the catalogue, e.g. NI72"))
    if text["area"] != geography.authority.code:
        problems.append(problem("area", "unknown area", f"the authority's code "
                                f"{geography.authority.code} (targets are the authority's)"))
    if definition is not None and not is_year_of(text["period"], definition.period_type):
        problems.append(problem("period", f"not a year of {definition.id}'s period type",
                                _year_expected(definition.period_type)))
    target = _number(text["target"])
    if target is None:
        problems.append(problem("target", "not a number", "a number, e.g. 57"))
    elif definition is not None and definition.unit is Unit.PERCENTAGE \
            and not 0 <= target <= 100:
        problems.append(problem("target", f"outside 0-100 for the percentage {definition.id}",
                                "a percentage from 0 to 100"))
    set_on = _date(text["set_on"])
    if set_on is None:
        problems.append(problem("set_on", "not a real date", "a date YYYY-MM-DD, e.g. 2008-12-01"))
    statutory = {"yes": True, "no": False}.get(text["statutory"].lower())
    if statutory is None:
        problems.append(problem("statutory", "not yes or no", "yes or no"))
    if problems:
        return problems
    return Target(definition.id, text["area"], text["period"], target, set_on, statutory)


def _definition(indicator_id: str, catalogue: Catalogue) -> IndicatorDefinition | None:
    return next((d for d in catalogue if d.id == indicator_id), None)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _repeats(name: str, numbered: list[tuple[int, Target]]) -> list[Problem]:
    """A second row for the same indicator, area and period is a problem, never a silent pick."""
    seen: set[tuple[str, str, str]] = set()
    problems = []
    for number, t in numbered:
        key = (t.indicator_id, t.area_code, t.period)
        if key in seen:
            problems.append(Problem(name, number, "period", "two targets for one indicator and "
                                    "period", expected="one row per indicator, area and period",
                                    found=f"{t.indicator_id} {t.period} again"))
        seen.add(key)
    return problems


def targets_text(rows: list[Target]) -> str:
    """The targets as CSV text (the demo's file)."""
    lines = [",".join(COLUMNS)]
    lines += [f"{t.indicator_id},{t.area_code},{t.period},{t.target:g},{t.set_on.isoformat()},"
              f"{'yes' if t.statutory else 'no'}" for t in rows]
    return "\n".join(lines) + "\n"
