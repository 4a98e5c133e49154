"""Reading what a manager typed: grades, texts and dates, and the hashes that guard part B."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import GRADES

_GRADE_TEXT = re.compile(r"\s*([1-4])?\s*[-–—:.)=]?\s*([A-Za-z ]*?)\s*\.?\s*")
_WORDS = {word: grade for grade, word in GRADES.items()}


@dataclass(frozen=True)
class GradeReading:
    """A grade cell read back: the grade (None when there is none) and what was wrong, if anything.

    ``problem`` is one of "grade missing", "grade not 1-4", "text in grade cell" or "".
    """

    grade: int | None
    problem: str = ""
    detail: str = ""


def read_grade(value: object) -> GradeReading:
    """Read a grade cell as Excel, LibreOffice or openpyxl may have stored it.

    A number 1-4 is the grade. Text such as "2 - good", "2" or "good" is read as the grade it
    names, with a "text in grade cell" problem so the authority can see it was typed, not picked.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return GradeReading(None, "grade missing", "no grade given")
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        return GradeReading(None, "grade not 1-4", f"found {value!r}; expected 1, 2, 3 or 4")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and int(value) in GRADES:
            return GradeReading(int(value))
        return GradeReading(None, "grade not 1-4", f"found {value:g}; expected 1, 2, 3 or 4")
    return _grade_from_text(str(value))


def _grade_from_text(text: str) -> GradeReading:
    # NFKC: a full-width "２" (typed with an East Asian input method) is the digit 2
    stripped = unicodedata.normalize("NFKC", text).strip()
    if stripped in ("1", "2", "3", "4"):
        return GradeReading(int(stripped))
    match = _GRADE_TEXT.fullmatch(stripped)
    number = int(match.group(1)) if match and match.group(1) else None
    word = _WORDS.get(match.group(2).lower()) if match and match.group(2) else None
    shown = _shorten(stripped)
    if match and (number or word) and (number is None or word is None or number == word) \
            and (word is not None or not match.group(2)):
        grade = number or word
        return GradeReading(grade, "text in grade cell",
                            f"typed {shown!r}; read as {grade} ({GRADES[grade]})")
    if re.fullmatch(r"-?\d+(\.\d+)?", stripped):
        return GradeReading(None, "grade not 1-4", f"found {shown}; expected 1, 2, 3 or 4")
    return GradeReading(None, "text in grade cell",
                        f"typed {shown!r}; not read as a grade (expected 1, 2, 3 or 4)")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_text(value: object) -> str:
    """A text cell as text, in full; numbers without a spurious '.0', dates as ISO."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def shown_text(value: object) -> str:
    """A value found in a text input, as the manager saw it in the cell.

    Excel turns a typed "01/04/2008", "9:00" or "01234567890" into a date, a time or a number
    when the cell is not formatted as Text; they are written back the UK way, whole numbers
    without '.0'. (The leading zero Excel dropped cannot be recovered: the review says so.)
    """
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.15g}"
    return read_text(value)


def canonical(value: object) -> str:
    """One cell as hashed: the same figure gives the same text whichever program saved it."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return f"{value:.10g}"
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{float(value):.10g}"
    return read_text(value)


def row_hash(cells: Sequence[object]) -> str:
    """A short hash of one row of cells."""
    text = "\x1f".join(canonical(c) for c in cells).rstrip("\x1f")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def table_hash(rows: Iterable[Sequence[object]]) -> str:
    """The hash of a table: of its row hashes in order."""
    joined = ",".join(row_hash(r) for r in rows)
    return hashlib.sha256(joined.encode("ascii")).hexdigest()[:32]


def inputs_hash(values: dict[str, object]) -> str:
    """The hash of every input's value, to tell a form a manager has filled from a fresh one."""
    joined = "\x1e".join(f"{name}\x1f{canonical(values.get(name))}" for name in sorted(values))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]
