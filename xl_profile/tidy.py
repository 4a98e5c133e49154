"""The tidy indicator format: one row per indicator, area and period.

Columns (header row, any order):

=============  ==============================================================================
indicator_id   catalogue id, e.g. ``NI72``
area_code      a code in the geography, or a national/regional code with level england/region
period         as the indicator's period type says: ``2008``, ``2008/09``, ``2008 Q1``, ``2008-04``
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
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_text_atomic
from .errors import InputError, Problem, UnknownNameError
from .models import (Geography, IndicatorDefinition, IndicatorValue, Level, PeriodType, Provenance,
                     Unit, ValueNote)
from .tabular import Table, read_table

if TYPE_CHECKING:
    from .catalogue import Catalogue

COLUMNS = ["indicator_id", "area_code", "period", "numerator", "denominator", "value", "note",
           "source", "data_date", "level"]
REQUIRED = ["indicator_id", "area_code", "period", "numerator", "denominator", "value"]
SUPPRESSION_MARKER = re.compile(r"^(\*|x|c|\.\.|-|–|<\s*\d+)$", re.IGNORECASE)
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
    """Values read from a tidy file and every problem found in it."""

    values: list[IndicatorValue]
    problems: list[Problem]


def load_tidy(path: str | Path, catalogue: Catalogue, geography: Geography, *,
              sheet: str | None = None) -> list[IndicatorValue]:
    """Read and validate a tidy indicator file; raise InputError listing every problem."""
    data = check_tidy(path, catalogue, geography, sheet=sheet)
    if data.problems:
        raise InputError(data.problems)
    return data.values


def check_tidy(path: str | Path, catalogue: Catalogue, geography: Geography, *,
               sheet: str | None = None) -> TidyData:
    """Read a tidy indicator file and return the values that parsed and all problems found."""
    table = read_table(path, sheet)
    problems = table.require_columns(REQUIRED)
    if problems:
        return TidyData([], problems)
    values: list[IndicatorValue] = []
    first_row: dict[tuple[str, str, str], int] = {}
    for number, row in table.rows:
        value, row_problems = _parse_row(table, number, row, catalogue, geography)
        problems.extend(row_problems)
        if value is None:
            continue
        key = (value.indicator_id, value.area_code, value.period)
        if key in first_row:
            problems.append(table.problem(number, None, "duplicate row for indicator, area and period",
                                          expected="one row per indicator_id, area_code, period",
                                          found=f"{'/'.join(key)} also on row {first_row[key]}"))
            continue
        first_row[key] = number
        values.append(value)
    return TidyData(values, problems)


def _parse_row(table: Table, number: int, row: dict[str, str], catalogue: Catalogue,
               geography: Geography) -> tuple[IndicatorValue | None, list[Problem]]:
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
    if definition is not None:
        _check_counts(table, number, definition, numbers, problems)
    data_date = row.get("data_date", "")
    if data_date and not _DATA_DATE.match(data_date):
        problems.append(table.problem(number, "data_date", "unrecognised date of data",
                                      expected="YYYY, YYYY-MM or YYYY-MM-DD", found=data_date))
    if problems or definition is None:
        return None, problems
    if note is ValueNote.SUPPRESSED:
        numbers["value"] = None
    return IndicatorValue(
        indicator_id=definition.id, area_code=row["area_code"], period=row["period"],
        numerator=numbers["numerator"], denominator=numbers["denominator"], value=numbers["value"],
        note=note, provenance=Provenance(source=row.get("source", ""), data_date=data_date,
                                         level=level)), problems


def _definition(table: Table, number: int, row: dict[str, str], catalogue: Catalogue,
                problems: list[Problem]) -> IndicatorDefinition | None:
    try:
        return catalogue.get(row["indicator_id"])
    except UnknownNameError as exc:
        problems.append(table.problem(number, "indicator_id", "unknown indicator",
                                      expected="an id in the indicator catalogue",
                                      found=str(exc)))
        return None


def _level(table: Table, number: int, row: dict[str, str], geography: Geography,
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


def _check_period(table: Table, number: int, period: str, definition: IndicatorDefinition,
                  problems: list[Problem]) -> None:
    pattern, description = _PERIODS[definition.period_type]
    ok = bool(pattern.match(period))
    if ok and "/" in period:  # 2008/09: the second year follows the first
        first, second = period.split("/")
        ok = (int(first) + 1) % 100 == int(second)
    if not ok:
        problems.append(table.problem(number, "period", f"wrong period for {definition.id}",
                                      expected=description, found=period or "(blank)"))


def _number(table: Table, number: int, column: str, text: str,
            problems: list[Problem]) -> tuple[float | None, bool]:
    text = text.strip()
    if not text:
        return None, False
    if SUPPRESSION_MARKER.match(text):
        return None, True
    try:
        parsed = float(text.replace(",", ""))
    except ValueError:
        problems.append(table.problem(number, column, "not a number",
                                      expected="a number, blank or a suppression marker "
                                               "(*, x, c, .., -, <5)", found=text))
        return None, False
    if parsed < 0:
        problems.append(table.problem(number, column, "negative value",
                                      expected="zero or more", found=text))
    return parsed, False


def _note(table: Table, number: int, text: str, suppressed: bool,
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


def _check_counts(table: Table, number: int, definition: IndicatorDefinition,
                  numbers: dict[str, float | None], problems: list[Problem]) -> None:
    num, den = numbers["numerator"], numbers["denominator"]
    if definition.unit is Unit.PERCENTAGE and num is not None and den is not None and num > den:
        problems.append(table.problem(number, "numerator", "numerator greater than denominator",
                                      expected=f"at most the denominator {den:g}", found=f"{num:g}"))
    if den == 0 and definition.unit in (Unit.PERCENTAGE, Unit.RATE):
        problems.append(table.problem(number, "denominator", "denominator is zero",
                                      expected="a positive count", found="0"))


def write_tidy_csv(path: str | Path, rows: list[dict[str, str]]) -> None:
    """Write rows (dicts keyed by :data:`COLUMNS`) as a tidy CSV, atomically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    write_text_atomic(path, buffer.getvalue())
