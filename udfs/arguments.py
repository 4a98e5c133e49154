"""Checking worksheet-function arguments as Excel passes them, once for every function.

Excel passes a number as a float, a blank cell (or a left-out argument) as None, TRUE/FALSE as a
bool, a date as a datetime and a range as a list (of rows, for a 2-D range). Each helper turns
one argument into what the core expects, or raises :class:`ArgumentError`, whose message names
the argument, says what is allowed and echoes what was received:
``months must be 12 or 24; got 'twelve'``. A blank optional argument always means its default.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xl_profile.errors import XlProfileError

#: No default: the argument must be given.
REQUIRED: Any = object()


class ArgumentError(XlProfileError, ValueError):
    """An argument of a worksheet function is not one it takes."""


def blank(value: Any) -> bool:
    """An empty cell, a left-out argument, or text of spaces only (a formula's "")."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: Any) -> bool:
    """A finite number; TRUE/FALSE are not numbers."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def shown(value: Any) -> str:
    """A received value as a message echoes it: TRUE, 27700 (not 27700.0), text quoted."""
    if value is None:
        return "a blank"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"the date {value.date().isoformat()}"
    if isinstance(value, list):
        rows = cells(value)
        return f"a range of {len(rows)} row(s) by {max(map(len, rows), default=0)} column(s)"
    return repr(value)


def _listed(options: Sequence[Any]) -> str:
    texts = [shown(o) if not isinstance(o, str) else o for o in options]
    if len(texts) <= 2:
        return " or ".join(texts)
    return "one of " + ", ".join(texts[:-1]) + " or " + texts[-1]


def _bounds(whole: bool, low: float | None, above: float | None, below: float | None) -> str:
    kind = "a whole number" if whole else "a number"
    if above is not None and below is not None:
        return f"{kind} above {shown(above)} and below {shown(below)}"
    if low is not None:
        return f"{kind} of {shown(low)} or more"
    if above is not None:
        return f"{kind} above {shown(above)}"
    return kind


def number(value: Any, name: str, *, default: Any = REQUIRED, low: float | None = None,
           above: float | None = None, below: float | None = None, whole: bool = False,
           allowed: str | None = None) -> Any:
    """A number argument: blank gives ``default`` (when there is one); TRUE/FALSE and text are
    not numbers; ``low`` <= value, ``above`` < value < ``below``; ``whole`` gives an int."""
    if blank(value) and default is not REQUIRED:
        return default
    ok = is_number(value) and (not whole or float(value).is_integer()) \
        and (low is None or value >= low) and (above is None or value > above) \
        and (below is None or value < below)
    if not ok:
        raise ArgumentError(f"{name} must be {allowed or _bounds(whole, low, above, below)}; "
                            f"got {shown(value)}")
    return int(value) if whole else value


def choice(value: Any, name: str, options: Sequence[Any], default: Any = REQUIRED) -> Any:
    """One of ``options`` (text compared case-insensitively, spaces squeezed); blank gives
    ``default``."""
    if blank(value) and default is not REQUIRED:
        return default
    for option in options:
        if isinstance(option, str):
            if isinstance(value, str) and " ".join(value.split()).lower() == option.lower():
                return option
        elif is_number(value) and value == option:
            return option
    raise ArgumentError(f"{name} must be {_listed(options)}; got {shown(value)}")


def confidence(value: Any) -> float:
    """The confidence level of limits: blank is 0.95."""
    return number(value, "confidence", default=0.95, above=0, below=1,
                  allowed="a number above 0 and below 1, e.g. 0.95 or 0.998")


def polarity(value: Any) -> Any:
    """A :class:`~xl_profile.models.Polarity` from its text in any case; blank is high is good."""
    from xl_profile.models import Polarity

    return Polarity(choice(value, "polarity", [p.value for p in Polarity], "high is good"))


def proportion(numerator: Any, denominator: Any, level: Any) -> tuple[Any, Any, float]:
    """(numerator, denominator, confidence) of a percentage."""
    x = number(numerator, "numerator", low=0)
    n = number(denominator, "denominator", above=0)
    if x > n:
        raise ArgumentError(f"numerator must be at most the denominator ({shown(n)}); "
                            f"got {shown(x)}")
    return x, n, confidence(level)


def rate(events: Any, population: Any, multiplier: Any, level: Any) -> tuple:
    """(events, population, multiplier, confidence) of a crude rate."""
    return (number(events, "events", low=0), number(population, "population", above=0),
            number(multiplier, "multiplier", default=100000, above=0), confidence(level))


def comparison(value: Any, lower95: Any, upper95: Any, benchmark: Any) -> list:
    """The four figures of a comparison (a blank one: Not compared); the limits must be in
    order with the value between them."""
    figures = [number(v, name, default=None, allowed="a number, or a blank (Not compared)")
               for v, name in ((value, "value"), (lower95, "lower95"), (upper95, "upper95"),
                               (benchmark, "benchmark"))]
    v, lower, upper = figures[:3]
    if (None not in (lower, upper) and lower > upper) or \
            (None not in (v, lower, upper) and not lower <= v <= upper):
        raise ArgumentError(f"lower95 and upper95 must hold the value between them "
                            f"(lower95 <= value <= upper95); got lower95={shown(lower)}, "
                            f"value={shown(v)}, upper95={shown(upper)}")
    return figures


ORDERS = (0, 1, "descending", "ascending")


def rank_order(value: Any) -> bool:
    """True (largest first) for order 0, descending or blank; False for 1 or ascending."""
    return choice(value, "order", ORDERS, 0) in (0, "descending")


# --- ranges --------------------------------------------------------------------------------


def _blank_row(row: list) -> bool:
    return row.count(None) == len(row) or all(blank(c) for c in row)


def cells(value: Any) -> list[list[Any]]:
    """A range as rows of cells, whatever shape it came in: one cell, a flat list (a column,
    as direct calls give it) or a list of rows; the blank rows at its end (a whole-column
    reference brings a million) dropped first."""
    if not isinstance(value, list):
        return [[value]]
    nested = bool(value) and isinstance(value[0], list)
    end = len(value)
    while end and (_blank_row(value[end - 1]) if nested else blank(value[end - 1])):
        end -= 1
    return value[:end] if nested else [[v] for v in value[:end]]


def _is_header(row: Sequence[Any]) -> bool:
    """A first row naming columns: text and blanks only, some text."""
    return any(isinstance(c, str) and not blank(c) for c in row) and \
        all(blank(c) or isinstance(c, str) for c in row)


def numbers_in(value: Any, name: str) -> list:
    """The numbers of a range of any shape, read row by row: blanks skipped, and a first row of
    text (a header); any other cell that is not a number is an error naming its row."""
    rows = cells(value)
    if len(rows) == 1:
        rows = [[c] for c in rows[0]]  # one row: read along it as along a column
    found = []
    for r, row in enumerate(rows, start=1):
        if r == 1 and _is_header(row):
            continue
        for c, cell in enumerate(row, start=1):
            if blank(cell):
                continue
            if not is_number(cell):
                where = f"row {r}" + (f", column {c}" if len(row) > 1 else "")
                raise ArgumentError(f"{name}: {where}: expected a number or a blank; got "
                                    f"{shown(cell)}")
            found.append(cell)
    return found


def column(value: Any, name: str) -> list:
    """One column (or one row) of a range as a list; a wider range is an error."""
    if isinstance(value, list) and not (value and isinstance(value[0], list)):
        return list(value)  # a flat list: one column already
    rows = cells(value)
    width = max(map(len, rows), default=0)
    if len(rows) > 1 and width > 1:
        raise ArgumentError(f"{name} must be one column (or one row); got {shown(rows)}")
    return [c for row in rows for c in row]


def _trimmed(values: list) -> list:
    end = len(values)
    while end and blank(values[end - 1]):
        end -= 1
    return values[:end]


def columns(ranges: dict[str, Any], numeric: Sequence[str]) -> list[list]:
    """Ranges read side by side, one row each (codes, x and y): each one column and all the
    same length; the blank rows at their end dropped; a first row whose ``numeric`` cells are
    all text (the header) made blank, so rows keep their places; any other cell of a numeric
    column must be a number or a blank."""
    cols = {name: column(value, name) for name, value in ranges.items()}
    if len({len(c) for c in cols.values()}) > 1:  # equal but for blanks at the end will do
        cols = {name: _trimmed(c) for name, c in cols.items()}
    lengths = [len(c) for c in cols.values()]
    if len(set(lengths)) > 1:
        names = list(cols)
        raise ArgumentError(f"{', '.join(names[:-1])} and {names[-1]} must be the same length "
                            f"(one row each); got {', '.join(map(str, lengths[:-1]))} and "
                            f"{lengths[-1]} rows")
    end = max((len(_trimmed(c)) for c in cols.values()), default=0)  # blank rows at the end
    rows = [list(row) for row in zip(*(c[:end] for c in cols.values()))]
    index = [list(cols).index(name) for name in numeric]
    if rows and all(isinstance(rows[0][i], str) and not blank(rows[0][i]) for i in index):
        rows[0] = [None] * len(cols)
    for r, row in enumerate(rows, start=1):
        row[:] = [None if blank(c) else c for c in row]
        for name, i in zip(numeric, index):
            if row[i] is not None and not is_number(row[i]):
                raise ArgumentError(f"{name}: row {r}: expected a number or a blank; got "
                                    f"{shown(row[i])}")
    return [list(c) for c in zip(*rows)] if rows else [[] for _ in cols]


def gap_columns(numerators: Any, denominators: Any, imd_ranks: Any) -> list[list]:
    """The three columns of the deprived gap; a numerator must not exceed its denominator."""
    names = ("numerators", "denominators", "imd_ranks")
    cols = columns(dict(zip(names, (numerators, denominators, imd_ranks))), names)
    for r, (x, n) in enumerate(zip(cols[0], cols[1]), start=1):
        if x is not None and n is not None and x > n:
            raise ArgumentError(f"numerators: row {r}: a numerator must be at most its "
                                f"denominator; got {shown(x)} of {shown(n)}")
    return cols


SCALES = 13


def score_rows(scores: Any) -> list[list]:
    """EYFSP scale points: 13 columns, a first row of text (the header) made blank, the blank
    rows at the end dropped; every other cell a number or a blank."""
    rows = [list(row) for row in cells(scores)]
    if rows and max(map(len, rows)) != SCALES:
        raise ArgumentError(f"scores must be {SCALES} columns (the scales in profile order), "
                            f"one row per child; got {shown(rows)}")
    if rows and _is_header(rows[0]):
        rows[0] = [None] * SCALES
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if not blank(cell) and not is_number(cell):
                raise ArgumentError(f"scores: row {r}, column {c}: expected whole points 0-9 or "
                                    f"a blank; got {shown(cell)}")
        row[:] = [None if blank(c) else c for c in row]
    return rows


_NUMERIC_TEXT = re.compile(r"^\s*[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$")


def count_table(counts: Any) -> list[list]:
    """A table of counts with numbers stored as text ("3") read as numbers, so a small count
    typed as text is hidden like any other; other text and blanks are kept."""
    return [[float(c.replace(",", "")) if isinstance(c, str) and _NUMERIC_TEXT.match(c) else c
             for c in row] for row in cells(counts)]


def threshold(value: Any) -> int:
    """The suppression threshold: a whole number of 1 or more; blank is 5."""
    return number(value, "threshold", default=5, low=1, whole=True)


# --- reach and files -----------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1990, 2100
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def day(value: Any, name: str) -> dt.date:
    """A date from a date cell, YYYY-MM-DD text (nothing after it) or a date serial number,
    from 1990 to 2100."""
    from xl_profile.reach.table import as_date

    allowed = (f"{name} must be a date from {FIRST_YEAR} to {LAST_YEAR} (a date cell or "
               f"YYYY-MM-DD); got {shown(value)}")
    if isinstance(value, bool) or blank(value) or isinstance(value, list) or \
            (isinstance(value, str) and not _ISO_DATE.match(value.strip())) or \
            (isinstance(value, (int, float)) and not is_number(value)):
        raise ArgumentError(allowed)
    try:
        found = as_date(value, name)
    except (XlProfileError, ValueError, OverflowError):
        raise ArgumentError(allowed) from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ArgumentError(allowed)
    return found


def reach_population(population: Any, centre: Any) -> Any:
    """For one centre a number of 0 or more (blank: no %); for the table of every centre a
    (centre, population) range whose populations are numbers."""
    if blank(population):
        return None
    if not blank(centre):
        return number(population, "population", low=0)
    if not isinstance(population, list):
        raise ArgumentError(f"population must be a (centre, population) range when centre is "
                            f"blank (the table of every centre); got {shown(population)}")
    for r, row in enumerate(cells(population), start=1):
        if any(isinstance(c, bool) for c in row):
            raise ArgumentError(f"population: row {r}: expected a centre and a population of 0 "
                                f"or more; got {', '.join(map(shown, row))}")
    return population


def crs_code(value: Any) -> Any:
    """An EPSG code as a number (27700.0 from a cell is 27700) or text (EPSG:27700); blank:
    judged from the coordinates."""
    if blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    return number(value, "crs", whole=True, low=1,
                  allowed="an EPSG code such as 27700 or 4326, or a blank")


def existing_file(value: Any, name: str, what: str) -> str:
    """The full path of an existing file."""
    path = Path(value.strip()) if isinstance(value, str) and not blank(value) else None
    if path is None or not path.is_file():
        why = "" if path is None else " (a folder)" if path.is_dir() else " (no such file)"
        raise ArgumentError(f"{name} must be the full path of {what}; got {shown(value)}{why}")
    return str(path)
