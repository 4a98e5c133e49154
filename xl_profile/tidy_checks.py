"""Numbers in a tidy indicator file: how they may be written, and the checks each row must pass.

How numbers are read (the file's locale is English: a decimal point, commas for thousands):

- ``74.2``, ``1e3``, ``.5`` are numbers; ``NaN``, ``inf`` and anything too large to be finite are
  errors.
- Thousands separators are accepted where they cannot be mistaken for a decimal comma: in the
  ``numerator`` and ``denominator`` columns (counts) when the digits are grouped in threes
  (``1,234`` and ``12,345,678``), and in any column when a decimal point follows the groups
  (``1,234.5``). In the ``value`` column ``1,234`` is an error, since it may mean 1.234.
- A decimal comma (``74,2``) or continental grouping (``1.234,5``) is an error with the number
  as it should be written, never read as 742 or 1.2345.

The checks each parsed row must pass, by the indicator's unit:

- a percentage lies between 0 and 100 and its numerator is at most its denominator;
- a count is a whole number of zero or more (numerator and value);
- a rate or percentage has a denominator above zero;
- where numerator, denominator and value are all given, the value is the one they make
  (numerator / denominator x multiplier; for a count, the numerator) to the decimal places the
  value is written with: the difference may be at most half a unit in the value's last written
  place (``74.2`` stands for 74.15 to 74.25, ``74`` for 73.5 to 74.5).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .models import IndicatorDefinition, Unit

SUPPRESSION_MARKER = re.compile(r"^(\*|x|c|\.\.|-|–|<\s*\d+)$", re.IGNORECASE)
COUNT_COLUMNS = ("numerator", "denominator")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_CONTINENTAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d{1,3}(\.\d{3})*,\d+$")
_NON_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)
_ALLOWED = "a number such as 74.2, blank or a suppression marker (*, x, c, .., -, <5)"
#: Relative slack for binary floating point when comparing a value with the one its counts make.
_FLOAT_SLACK = 1e-9


@dataclass(frozen=True)
class NumberProblem:
    """Why a cell is not a number: a message, what was expected and what was found."""

    message: str
    expected: str
    found: str


def parse_number(column: str, text: str) -> tuple[float | None, bool, NumberProblem | None]:
    """Read one numeric cell: ``(number or None, suppressed, problem or None)``."""
    text = text.strip()
    if not text:
        return None, False, None
    if SUPPRESSION_MARKER.match(text):
        return None, True, None
    if _PLAIN.match(text) or (_GROUPED.match(text) and (column in COUNT_COLUMNS or "." in text)):
        number = float(text.replace(",", ""))
        if not math.isfinite(number):
            return None, False, NumberProblem("number too large", "a finite number", text)
        if number < 0:
            return None, False, NumberProblem("negative value", "zero or more", text)
        return number, False, None
    return None, False, _why_not_a_number(column, text)


def _why_not_a_number(column: str, text: str) -> NumberProblem:
    if _NON_FINITE.match(text):
        return NumberProblem("not a finite number", _ALLOWED, text)
    if _GROUPED.match(text):
        return NumberProblem("comma in a value: thousands separator or decimal comma?",
                             f"no comma: write {text.replace(',', '')} or {text.replace(',', '.')}",
                             text)
    if _DECIMAL_COMMA.match(text):
        fixed = text.replace(",", ".")
        return NumberProblem("decimal comma in a number", f"a decimal point: write {fixed}", text)
    if _CONTINENTAL.match(text):
        fixed = text.replace(".", "").replace(",", ".")
        return NumberProblem("decimal comma and thousands dots in a number",
                             f"a decimal point and no thousands dots: write {fixed}", text)
    if text.endswith("%") and _PLAIN.match(text[:-1].strip()):
        return NumberProblem("percent sign in a number",
                             f"a number without %: write {text[:-1].strip()}", text)
    return NumberProblem("not a number", _ALLOWED, text)


def places_written(text: str) -> int:
    """Decimal places a number is written to (``74.20`` -> 2, ``74`` -> 0, ``1.5e2`` -> 0)."""
    mantissa, _, exponent = text.strip().lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return decimals - (int(exponent) if exponent else 0)


def expected_value(definition: IndicatorDefinition, numerator: float,
                   denominator: float | None) -> float | None:
    """The value the counts make: x/n x multiplier (x/n for a ratio); x for a count."""
    if definition.unit is Unit.COUNT:
        return numerator
    if definition.unit is Unit.SCORE or not denominator:
        return None
    if definition.unit is Unit.RATIO:
        return numerator / denominator
    return numerator / denominator * definition.multiplier


def unit_problems(definition: IndicatorDefinition, numbers: dict[str, float | None],
                  texts: dict[str, str]) -> list[tuple[str, NumberProblem]]:
    """``(column, problem)`` for each unit rule the row's numbers break (see module docstring)."""
    found: list[tuple[str, NumberProblem]] = []
    num, den, value = numbers["numerator"], numbers["denominator"], numbers["value"]
    unit = definition.unit
    if unit is Unit.PERCENTAGE and num is not None and den is not None and num > den:
        found.append(("numerator", NumberProblem("numerator greater than denominator",
                                                 f"at most the denominator {den:g}", f"{num:g}")))
    if den == 0 and unit in (Unit.PERCENTAGE, Unit.RATE):
        found.append(("denominator", NumberProblem("denominator is zero", "a positive count", "0")))
    if unit is Unit.PERCENTAGE and value is not None and value > 100:
        found.append(("value", NumberProblem("percentage over 100", "0 to 100", texts["value"])))
    if unit is Unit.COUNT:
        found += [(column, NumberProblem("count is not a whole number",
                                         "a whole number of zero or more", texts[column]))
                  for column in ("numerator", "value")
                  if numbers[column] is not None and not float(numbers[column]).is_integer()]
    if not found and num is not None and value is not None:
        mismatch = _mismatch(definition, num, den, value, texts["value"])
        if mismatch is not None:
            found.append(("value", mismatch))
    return found


def _mismatch(definition: IndicatorDefinition, num: float, den: float | None, value: float,
              text: str) -> NumberProblem | None:
    expected = expected_value(definition, num, den)
    if expected is None:
        return None
    places = places_written(text)
    tolerance = 0.5 * 10.0 ** -places + _FLOAT_SLACK * max(1.0, abs(expected))
    if abs(value - expected) <= tolerance:
        return None
    shown = f"{expected:.{max(places, 0)}f}"
    if definition.unit is Unit.COUNT:
        how = f"the numerator {num:g}"
    elif definition.unit is Unit.RATIO:
        how = f"{num:g}/{den:g}"
    else:
        how = f"{num:g}/{den:g} x {definition.multiplier:g}"
    return NumberProblem("value does not match numerator and denominator",
                         f"{shown} (= {how})", text)
