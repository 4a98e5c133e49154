"""Checks of an extract's keys and coded values, each failure a located :class:`Problem`.

A database export never repeats a key, and its coded fields hold one of a few values: a repeat or
a value outside the set means the export (or a hand edit of it) went wrong. Taking the first or
last row, or reading an unknown value as "not recorded", would change figures without a word, so
each is a problem that stops the run (see ``docs/extract-format.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from ..tabular import Table

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}
FLAG_VALUES = "Y or N (also yes/no, true/false, 1/0), or blank for not recorded"
#: employment_status as written (any case) -> employed; blank is not recorded.
EMPLOYMENT = {"employed": True, "unemployed": False, "not seeking work": False}
EMPLOYMENT_VALUES = "employed, unemployed or not seeking work, or blank for not recorded"

#: The column each lookup table is keyed by: one row per key.
KEYS = {"families": "family_id", "children": "child_id", "carers": "carer_id",
        "addresses": "family_id", "activities": "activity_id", "postcode_lsoa": "postcode"}


def postcode_key(text: str) -> str:
    """A postcode as the lookup matches it: spaces and case ignored."""
    return text.replace(" ", "").upper()


def repeated_keys(name: str, table: Table, columns: list[str]) -> list[Problem]:
    """One problem per row whose key an earlier row already has, naming that row and whether the
    two rows are the same (exported twice) or disagree."""
    column = KEYS[name]
    normal = postcode_key if name == "postcode_lsoa" else (lambda text: text)
    first: dict[str, tuple[int, dict[str, str]]] = {}
    problems = []
    for number, row in table.rows:
        key = normal(row[column])
        if key in first:
            problems.append(_repeat(name, table, columns, (number, row), first[key]))
        else:
            first[key] = (number, row)
    return problems


def _repeat(name: str, table: Table, columns: list[str], row: tuple[int, dict[str, str]],
            earlier: tuple[int, dict[str, str]]) -> Problem:
    """The problem of ``row`` repeating the key of ``earlier`` (an exact repeat, or not)."""
    (number, values), (first, first_values) = row, earlier
    column = KEYS[name]
    same = all(values[c] == first_values[c] for c in columns)
    text = repr(values[column])
    if name == "postcode_lsoa":
        return table.problem(number, column, "duplicate postcode",
                             "each postcode once, with one LSOA (spaces and case are ignored)",
                             f"{text} again, as in row {first}" if same else
                             f"{text} -> {values['lsoa']}; row {first} gives "
                             f"{first_values['lsoa']}")
    return table.problem(number, column, "duplicate id",
                         f"each {column} once (a database export never repeats a key)",
                         f"{text} again: " + (f"same row as row {first}" if same else
                                              f"row {first} has other values"))


def shared_person_ids(children: Table, carers: Table) -> list[Problem]:
    """Carers whose id is also a child's: an attendance's ``person_id`` would name either."""
    child_rows = {row["child_id"]: number for number, row in children.rows}
    return [carers.problem(number, "carer_id", "id is also a child_id",
                           "a person_id naming one person (child ids and carer ids differ)",
                           f"{row['carer_id']!r}, child_id in row {child_rows[row['carer_id']]} "
                           f"of {Path(children.file).name}")
            for number, row in carers.rows if row["carer_id"] in child_rows]


def flag(table: Table, number: int, column: str, text: str,
         problems: list[Problem]) -> bool | None:
    """A yes/no flag: True, False, or None where blank (not recorded)."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    if value:
        problems.append(table.problem(number, column, "not a yes/no flag", FLAG_VALUES, text))
    return None


def employment(table: Table, number: int, text: str, problems: list[Problem]) -> bool | None:
    """Employed: True, False (unemployed or not seeking work), or None where blank."""
    value = " ".join(text.strip().lower().split())
    if value and value not in EMPLOYMENT:
        problems.append(table.problem(number, "employment_status", "unknown employment status",
                                      EMPLOYMENT_VALUES, text))
    return EMPLOYMENT.get(value)


#: A day written YYYY-MM-DD, alone or with a time of day (a date-time cell read as text).
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def iso_day(text: str) -> str:
    """The YYYY-MM-DD of ``text`` when it is a date (with a time of day or none), else '': a
    date followed by anything else ('2008-03-31xyz') is not read as that date."""
    match = _ISO_DAY.fullmatch(text.strip())
    return match[1] if match else ""
