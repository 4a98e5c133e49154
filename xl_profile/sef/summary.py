"""The authority's summary of every form collected, as plain tables (written in ``workbooks/``).

Grades by centre and area, every text in full, part B key figures by centre, and the changes
from the previous summary. Forms with problems are kept: the Problems sheet says what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import model
from .part_b import CENTRE_COLUMN, COLUMNS
from .review import ReviewedForm, SefProblem, chosen_forms

NOTES_COLUMN = COLUMNS.index("Notes")
#: Longer texts continue on further rows, so every part prints in full on a row of at most
#: Excel's 409 points (a cell could hold 32,767 characters, but a row would not show them).
TEXT_CHUNK = 2_500


@dataclass(frozen=True)
class Figure:
    """A centre's key figure as the summary shows it."""

    value: float | None
    estimated: bool
    note: str


@dataclass
class Summary:
    """Everything the summary workbook shows."""

    year: str
    forms: list[ReviewedForm]
    problems: list[SefProblem]
    figure_codes: list[tuple[str, str]]  # (code, title) in first-seen order
    figures: dict[str, dict[str, Figure]]  # form file -> code -> figure
    changes: list[list[object]] | None  # None when no previous summary was given


def build_summary(forms: list[ReviewedForm], problems: list[SefProblem], year: str,
                  previous: Mapping[tuple[str, str], object] | None = None) -> Summary:
    """Summarise ``forms`` (sorted by cluster, centre and file) with every problem."""
    forms = sorted(forms, key=lambda f: (f.cluster, f.centre_name, f.file))
    codes: dict[str, str] = {}
    figures = {}
    for form in forms:
        figures[form.file] = {}
        for row in form.figures:
            if not row or not row[0]:
                continue
            code = str(row[0])
            codes.setdefault(code, str(row[2]) if len(row) > 2 and row[2] else code)
            figures[form.file][code] = _figure(row)
    summary = Summary(year, forms, problems, list(codes.items()), figures, None)
    if previous is not None:
        summary.changes = changes(summary, previous)
    return summary


def _figure(row: tuple[object, ...]) -> Figure:
    value = row[CENTRE_COLUMN] if len(row) > CENTRE_COLUMN else None
    note = str(row[NOTES_COLUMN] or "") if len(row) > NOTES_COLUMN else ""
    number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None
    return Figure(number, "Centre estimated" in note, note)


def text_rows(form: ReviewedForm) -> list[list[str]]:
    """(part, item, defined name, text) for every text the manager wrote, in full.

    A text longer than a cell can hold continues on further rows, marked 'part 2 of 3'.
    """
    rows = []
    for field in model.FIELDS:
        text = form.texts.get(field.name, "")
        if not text:
            continue
        label = field.label if field.kind is not model.Kind.GRADE else \
            f"{field.label} (typed as text)"
        chunks = split_text(text)
        for n, chunk in enumerate(chunks, start=1):
            item = label if len(chunks) == 1 else f"{label} (part {n} of {len(chunks)})"
            rows.append([field.part, item, field.name, chunk])
    return rows


def split_text(text: str, size: int = TEXT_CHUNK) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, broken after a line break or a space
    where there is one; joined back together they give ``text`` exactly."""
    pieces = []
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        cut = cut + 1 if cut > size // 2 else size
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces + [text] if text or not pieces else pieces


def grade_keys() -> list[str]:
    return [f.name for f in model.GRADE_FIELDS]


def changes(summary: Summary, previous: Mapping[tuple[str, str], object]) -> list[list[object]]:
    """Rows (cluster, centre, code, what, previous, now, change) for every grade or figure that
    moved since the previous summary; grades 'better' when the number falls (1 is outstanding)."""
    titles = dict(summary.figure_codes)
    areas = {f.name: f.area for f in model.GRADE_FIELDS}
    rows: list[list[object]] = []
    chosen = chosen_forms(summary.forms, summary.year)  # the copy Problems names as original
    for form in summary.forms:
        if chosen.get(form.centre_code) is not form:
            continue
        head = [form.cluster, form.centre_name, form.centre_code]
        for key in grade_keys():
            change = _grade_change(previous.get((form.centre_code, key)), form.grades.get(key))
            if change:
                rows.append(head + [f"Grade: {areas[key]}", *change])
        for code, figure in summary.figures[form.file].items():
            change = _figure_change(previous.get((form.centre_code, code)), figure.value)
            if change:
                rows.append(head + [titles.get(code, code), *change])
    return rows


def _grade_change(before: object, now: int | None) -> list[object] | None:
    before = int(before) if isinstance(before, (int, float)) else None
    if before == now or (before is None and now is None):
        return None
    if before is None:
        return [None, now, "new grade"]
    if now is None:
        return [before, None, "no grade this year"]
    return [before, now, "better" if now < before else "worse"]


def _figure_change(before: object, now: float | None) -> list[object] | None:
    before = float(before) if isinstance(before, (int, float)) else None
    if before is None or now is None or abs(before - now) < 1e-9:
        return None
    return [before, now, now - before]
