"""The tidy indicator format: one row per indicator, area and period.

Columns (header row, any order):

=============  ==============================================================================
indicator_id   catalogue id, e.g. ``NI72``
area_code      a code in the geography, or a national/regional code with level england/region
period         as the indicator's period type says: ``2008``, ``2008/09``, ``2008 Q1``, ``2008-04``;
               or a pooled range of two such periods, first to last: ``2011/12-2013/14``
numerator      count (blank where only a value is published)
denominator    count (blank where not applicable)
value          published value (blank to have it computed from numerator and denominator)
note           blank or one of: estimated, suppressed, aggregated, synthetic, unreliable, missing
source         organisation that published it
data_date      date of the data: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
level          level it was published at: england, region, authority, cluster, centre, ward, lsoa, oa
=============  ==============================================================================

Suppression markers found in published spreadsheets (``*``, ``x``, ``c``, ``..``, ``-``, ``<5``)
in numerator, denominator or value make the value suppressed, not an error or a zero.

The file must be well formed (see :mod:`xl_profile.tabular`: quotes closed, every row as wide as
the header, no line breaks in a cell) and hold at least one data row. How numbers may be written
and the checks by unit (a percentage 0-100, a count whole, a value that matches its numerator and
denominator to the places it is written with) are in :mod:`xl_profile.tidy_checks`.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_text_atomic
from .errors import InputError, Problem, ProblemKind, ProblemLog, UnknownNameError
from .models import (Geography, IndicatorDefinition, IndicatorValue, Level, PeriodType, Provenance,
                     ValueNote)
from .tabular import TableStream, open_table
from .tidy_checks import parse_number, unit_problems

if TYPE_CHECKING:
    from .catalogue import Catalogue

COLUMNS = ["indicator_id", "area_code", "period", "numerator", "denominator", "value", "note",
           "source", "data_date", "level"]
REQUIRED = ["indicator_id", "area_code", "period", "numerator", "denominator", "value"]
_DATA_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PERIODS: dict[PeriodType, tuple[re.Pattern[str], str]] = {
    PeriodType.CALENDAR_YEAR: (re.compile(r"^(19|20)\d{2}$"), "a year such as 2008"),
    PeriodType.CENSUS: (re.compile(r"^(19|20)\d1$"), "a census year such as 2001"),
    PeriodType.FINANCIAL_YEAR: (re.compile(r"^(19|20)\d{2}/\d{2}$"), "a financial year such as 2008/09"),
    PeriodType.ACADEMIC_YEAR: (re.compile(r"^(19|20)\d{2}/\d{2}$"), "an academic year such as 2008/09"),
    PeriodType.QUARTER: (re.compile(r"^(19|20)\d{2} Q[1-4]$"), "a quarter such as 2008 Q1"),
    PeriodType.MONTH: (re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"), "a month such as 2008-04"),
}
#: Levels whose codes need not be in the authority's geography.
EXTERNAL_LEVELS = (Level.ENGLAND, Level.REGION)


@dataclass(frozen=True)
class TidyData:
    """Values read from a tidy file and the problems found in it.

    ``problems`` keeps the first 20 of each kind; ``omitted`` counts, by kind, those beyond.
    ``values`` is empty when the file was checked with ``keep_values=False``; ``rows`` counts the
    data rows read, ``value_count`` those that gave a value and ``blank_rows`` the rows with
    nothing in them, skipped.
    """

    values: list[IndicatorValue]
    problems: list[Problem]
    omitted: dict[ProblemKind, int] = field(default_factory=dict)
    rows: int = 0
    value_count: int = 0
    blank_rows: int = 0

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or only counted."""
        return len(self.problems) + sum(self.omitted.values())


def load_tidy(path: str | Path, catalogue: Catalogue, geography: Geography, *,
              sheet: str | None = None) -> list[IndicatorValue]:
    """Read and validate a tidy indicator file; raise InputError listing every problem."""
    data = check_tidy(path, catalogue, geography, sheet=sheet)
    if data.problems:
        raise InputError(data.problems, data.omitted)
    return data.values


def check_tidy(path: str | Path, catalogue: Catalogue, geography: Geography, *,
               sheet: str | None = None, keep_values: bool = True,
               log: ProblemLog | None = None,
               earlier: dict[_Key, str] | None = None) -> TidyData:
    """Read a tidy indicator file and return the values that parsed and the problems found.

    Rows are streamed: memory grows with the values kept (none when ``keep_values`` is False)
    and one key per row for finding duplicates, not with the file. When only checking a CSV,
    plain blocks of rows are checked in bulk (:mod:`xl_profile.tidy_bulk`), with the same
    problems, in the same words and order, as row by row.

    Args:
        keep_values: False to check only (``values`` comes back empty).
        log: where problems go (default: a new log keeping 20 of each kind).
        earlier: indicator, area and period -> where it was read, for the files read before
            this one in the same build; a row repeating one of them is a problem (the later
            file would otherwise silently win). This file's own keys are added to it.
    """
    log = log if log is not None else ProblemLog()
    values: list[IndicatorValue] = []
    rows = value_count = 0
    problems_before = log.total
    with open_table(path, sheet, single_line_rows=True) as table:
        log.extend(table.problems)
        table.problems.clear()
        missing = table.require_columns(REQUIRED)
        if missing:
            log.extend(missing)
            return TidyData([], log.kept, log.omitted)
        first_row: dict[tuple[str, str, str], int] = {}
        remaining = table.rows
        if not keep_values and _plain_header(table):
            from .tidy_bulk import check_blocks  # imports this module

            bulk = check_blocks(table, catalogue, geography, log)
            rows, value_count, remaining, first_row = (bulk.rows, bulk.values, bulk.rest,
                                                       bulk.first_row)
        for number, row in remaining:
            rows += 1
            log.extend(table.problems)
            table.problems.clear()
            value = _parse_row(table, number, row, catalogue, geography, log, keep_values)
            if value is None or not _first_of_key(table, number, value, first_row, log) \
                    or not _new_to_build(table, number, value, earlier, log):
                continue
            value_count += 1
            if keep_values:
                values.append(value)
        log.extend(table.problems)
        if earlier is not None:
            name = Path(path).name
            earlier.update((key, f"{name}, row {row}") for key, row in first_row.items()
                           if key not in earlier)
        if rows == 0 and log.total == problems_before:
            log.add(table.problem(2, None, "no data rows", expected="at least one row of values "
                                  "below the header", found="header only"))
    return TidyData(values, log.kept, log.omitted, rows, value_count, table.blank_rows)


_Key = tuple[str, str, str]


def _plain_header(table: TableStream) -> bool:
    """A CSV whose header names each column once (its rows can be checked in blocks)."""
    return table.handle is not None and len(set(table.header)) == len(table.header)


def _first_of_key(table: TableStream, number: int, value: IndicatorValue | _Key,
                  first_row: dict[_Key, int], log: ProblemLog) -> bool:
    """True for the first row of an indicator, area and period; a problem for a repeat."""
    key = value if isinstance(value, tuple) else (value.indicator_id, value.area_code, value.period)
    if key in first_row:
        log.add(table.problem(number, None, "duplicate row for indicator, area and period",
                              expected="one row per indicator_id, area_code, period",
                              found=f"{'/'.join(key)} also on row {first_row[key]}"))
        return False
    first_row[key] = number
    return True


def _new_to_build(table: TableStream, number: int, value: IndicatorValue | _Key,
                  earlier: dict[_Key, str] | None, log: ProblemLog) -> bool:
    """True unless an indicators file read before this one gave the same indicator, area and
    period (a problem: which of two figures is right is the analyst's call, not the order)."""
    key = value if isinstance(value, tuple) else (value.indicator_id, value.area_code, value.period)
    if earlier is None or key not in earlier:
        return True
    log.add(table.problem(number, None, "the same indicator, area and period in two files",
                          expected="each indicator_id, area_code, period in one indicators file",
                          found=f"{'/'.join(key)} also in {earlier[key]}"))
    return False


def _parse_row(table: TableStream, number: int, row: dict[str, str], catalogue: Catalogue,
               geography: Geography, log: ProblemLog,
               keep_value: bool) -> IndicatorValue | _Key | None:
    """The row's value (or, when not keeping values, its key), or None after logging problems."""
    problems: list[Problem] = []
    definition = _definition(table, number, row, catalogue, problems)
    level = _level(table, number, row, geography, problems)
    if definition is not None:
        _check_period(table, number, row["period"], definition, problems)
    numbers, suppressed = {}, False
    for column in ("numerator", "denominator", "value"):
        parsed, marker = _number(table, number, column, row.get(column, ""), problems)
        numbers[column] = parsed
        suppressed = suppressed or marker
    note = _note(table, number, row.get("note", ""), suppressed, problems)
    if definition is not None and not problems:
        problems += [table.problem(number, column, p.message, p.expected, p.found)
                     for column, p in unit_problems(definition, numbers, row)]
    data_date = row.get("data_date", "")
    if data_date and not _DATA_DATE.match(data_date):
        problems.append(table.problem(number, "data_date", "unrecognised date of data",
                                      expected="YYYY, YYYY-MM or YYYY-MM-DD", found=data_date))
    log.extend(problems)
    if problems or definition is None:
        return None
    area_code = _canonical_code(row["area_code"], geography)
    if not keep_value:  # shared strings: a million keys cost pointers, not copies of the text
        return definition.id, area_code, sys.intern(row["period"])
    if note is ValueNote.SUPPRESSED:
        numbers["value"] = None
    return IndicatorValue(
        indicator_id=definition.id, area_code=area_code, period=row["period"],
        numerator=numbers["numerator"], denominator=numbers["denominator"], value=numbers["value"],
        note=note, provenance=Provenance(source=row.get("source", ""), data_date=data_date,
                                         level=level))


def _canonical_code(code: str, geography: Geography) -> str:
    area = geography.by_code.get(code)
    return area.code if area is not None else sys.intern(code)


def _definition(table: TableStream, number: int, row: dict[str, str], catalogue: Catalogue,
                problems: list[Problem]) -> IndicatorDefinition | None:
    try:
        return catalogue.get(row["indicator_id"])
    except UnknownNameError as exc:
        problems.append(table.problem(number, "indicator_id", "unknown indicator",
                                      expected="an id in the indicator catalogue",
                                      found=str(exc)))
        return None


def _level(table: TableStream, number: int, row: dict[str, str], geography: Geography,
           problems: list[Problem]) -> Level | None:
    code, level_text = row["area_code"], row.get("level", "").strip().lower()
    level = None
    if level_text:
        try:
            level = Level(level_text)
        except ValueError:
            problems.append(table.problem(number, "level", "unknown level",
                                          expected=", ".join(lv.value for lv in Level),
                                          found=level_text))
            return None
    if level in EXTERNAL_LEVELS:
        return level
    area = geography.by_code.get(code)
    if area is None:
        problems.append(table.problem(number, "area_code", "unknown area code",
                                      expected=f"a code in the geography of {geography.authority.name}",
                                      found=code or "(blank)"))
        return level
    if level is not None and level is not area.level:
        problems.append(table.problem(number, "level", "level does not match the area code",
                                      expected=area.level.value, found=level.value))
    return level or area.level


def _check_period(table: TableStream, number: int, period: str, definition: IndicatorDefinition,
                  problems: list[Problem]) -> None:
    pattern, description = _PERIODS[definition.period_type]
    if not period_is_valid(period, definition.period_type):
        problems.append(table.problem(number, "period", f"wrong period for {definition.id}",
                                      expected=f"{description}, or a pooled range of them such "
                                               f"as {_range_example(definition.period_type)}",
                                      found=period or "(blank)"))


def period_is_valid(period: str, period_type: PeriodType) -> bool:
    """True for one period of the type, or a pooled range of two (``2011/12-2013/14``: the
    figure covers both and the years between, the first before the last)."""
    if _single_period(period, period_type):
        return True
    for at, char in enumerate(period):
        first, last = period[:at], period[at + 1:]
        if (char == "-" and _single_period(first, period_type)
                and _single_period(last, period_type) and first < last):
            return True
    return False


def _single_period(period: str, period_type: PeriodType) -> bool:
    pattern, _description = _PERIODS[period_type]
    ok = bool(pattern.match(period))
    if ok and "/" in period:  # 2008/09: the second year follows the first
        first, second = period.split("/")
        ok = (int(first) + 1) % 100 == int(second)
    return ok


def _range_example(period_type: PeriodType) -> str:
    return {PeriodType.CALENDAR_YEAR: "2006-2008", PeriodType.CENSUS: "1991-2001",
            PeriodType.QUARTER: "2008 Q1-2008 Q4", PeriodType.MONTH: "2008-04-2009-03"}.get(
        period_type, "2011/12-2013/14")


def _number(table: TableStream, number: int, column: str, text: str,
            problems: list[Problem]) -> tuple[float | None, bool]:
    parsed, suppressed, problem = parse_number(column, text)
    if problem is not None:
        problems.append(table.problem(number, column, problem.message, problem.expected,
                                      problem.found))
    return parsed, suppressed


def _note(table: TableStream, number: int, text: str, suppressed: bool,
          problems: list[Problem]) -> ValueNote | None:
    text = text.strip().lower()
    if suppressed:
        return ValueNote.SUPPRESSED
    if not text:
        return None
    try:
        return ValueNote(text)
    except ValueError:
        problems.append(table.problem(number, "note", "unknown value note",
                                      expected=", ".join(n.value for n in ValueNote), found=text))
        return None


def write_tidy_csv(path: str | Path, rows: list[dict[str, str]]) -> None:
    """Write rows (dicts keyed by :data:`COLUMNS`) as a tidy CSV, atomically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    write_text_atomic(path, buffer.getvalue())
