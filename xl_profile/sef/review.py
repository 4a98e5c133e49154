"""Checking forms read back: every problem located by file, sheet, cell and defined name.

A problem never removes a form from the summary: what a manager wrote is always kept. Only a file
that cannot be read, or is not a SEF at all, gives no form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import layout, model
from .model import FIELDS, Kind
from .part_b import COLUMNS
from .values import (
    canonical,
    inputs_hash,
    read_grade,
    read_text,
    row_hash,
    shown_text,
    table_hash,
)

#: How much of a text found outside the inputs the Problems sheet quotes.
QUOTED = 100
OUTSIDE = "text outside the form's inputs"
COPY = "another copy of this centre's form"


@dataclass(frozen=True)
class NamedValue:
    """What a defined name points at, and the value found there."""

    sheet: str
    row: int | None  # 0-based; None where the name no longer points at a cell (#REF!)
    col: int | None
    value: object = None

    @property
    def cell(self) -> str:
        return "" if self.row is None or self.col is None else model.cell_name(self.row, self.col)


@dataclass(frozen=True)
class RawForm:
    """A workbook as read from disk, before any checking.

    Attributes:
        file: the file name (no folder).
        names: every defined name the reader resolved, with its value.
        figures: rows read through the part B figures' defined name.
        figures_at: where those rows start (sheet, 0-based row, 0-based column).
        unreadable: why the file could not be read at all ("" when it could).
        open_by: a note when a lock file says the form was open when collected.
        sheet_names: the workbook's sheets, in order.
        other_cells: (sheet, 0-based row, 0-based column, value) of every non-empty cell that
            no defined name points at: the form's own labels, and anything a manager typed
            outside the inputs.
        comments: (sheet, cell, text) of every cell comment.
        saved_as: '.xls', '.ods' or '.xlsb' when the file was saved in a format not collected.
    """

    file: str
    names: dict[str, NamedValue] = field(default_factory=dict)
    figures: list[tuple[object, ...]] = field(default_factory=list)
    figures_at: tuple[str, int, int] | None = None
    unreadable: str = ""
    open_by: str = ""
    sheet_names: tuple[str, ...] = ()
    other_cells: tuple[tuple[str, int, int, object], ...] = ()
    comments: tuple[tuple[str, str, str], ...] = ()
    saved_as: str = ""


@dataclass(frozen=True, order=True)
class SefProblem:
    """One row of the summary's Problems sheet."""

    file: str
    sheet: str
    cell: str
    name: str
    problem: str
    detail: str

    def as_row(self) -> list[str]:
        return [self.file, self.sheet, self.cell, self.name, self.problem, self.detail]


@dataclass
class ReviewedForm:
    """A form as the summary uses it: identity, grades, texts and figures, with its problems."""

    file: str
    centre_code: str
    centre_name: str
    cluster: str
    year: str
    grades: dict[str, int | None]
    texts: dict[str, str]
    figures: list[tuple[object, ...]]
    problems: list[SefProblem] = field(default_factory=list)


def identity(raw: RawForm, name: str) -> str:
    value = raw.names.get(name)
    return read_text(value.value).strip() if value is not None else ""


def has_identity(raw: RawForm) -> bool:
    """True when the workbook carries a form identity (centre code and year)."""
    return bool(identity(raw, "SEF_CentreCode")) and bool(identity(raw, "SEF_Year"))


def is_sef(raw: RawForm) -> bool:
    """True for a form: its identity, or (where the hidden sheet was lost) most named inputs."""
    found = sum(1 for f in FIELDS if f.name in raw.names and raw.names[f.name].row is not None)
    return has_identity(raw) or found * 2 > len(FIELDS)


def file_problem(raw: RawForm) -> SefProblem | None:
    """The problem that keeps a file out of the summary: unreadable, or not a SEF."""
    if raw.saved_as:
        return SefProblem(raw.file, "", "", "", f"saved as {raw.saved_as}", raw.unreadable)
    if raw.unreadable:
        return SefProblem(raw.file, "", "", "", "file cannot be read", raw.unreadable)
    if not is_sef(raw):
        return SefProblem(raw.file, "", "", "SEF_CentreCode", "not a SEF",
                          "no form identity (defined names SEF_CentreCode and SEF_Year) and "
                          "no form inputs; the file was not made by 'xl-profile sef generate'")
    return None


def review_form(raw: RawForm) -> ReviewedForm:
    """Read a SEF's inputs through their names and check each (``is_sef(raw)`` must hold)."""
    form = ReviewedForm(raw.file, identity(raw, "SEF_CentreCode"), identity(raw, "SEF_CentreName"),
                        identity(raw, "SEF_Cluster"), identity(raw, "SEF_Year"), {}, {},
                        list(raw.figures))
    if raw.open_by:
        form.problems.append(SefProblem(raw.file, "", "", "", "file open or locked", raw.open_by))
    if not has_identity(raw):
        form.centre_name = form.centre_name or raw.file
        form.problems.append(SefProblem(
            raw.file, model.SHEET_IDENTITY, "", "SEF_CentreCode", "form identity missing",
            "the hidden Identity sheet or its names were removed: centre, year and part B "
            "cannot be checked; the inputs were read through their names"))
    for field_ in FIELDS:
        named = raw.names.get(field_.name)
        _located(raw, form, field_, named)
        value = named.value if named is not None else None
        if field_.kind is Kind.GRADE:
            _grade(raw, form, field_, named, value)
        elif field_.kind is Kind.DATE:
            form.texts[field_.name] = read_text(value)
        else:
            form.texts[field_.name] = _text(raw, form, field_, named, value)
    form.problems.extend(figure_problems(raw))
    form.problems.extend(outside_problems(raw))
    return form


def _text(raw: RawForm, form: ReviewedForm, field_: model.InputField,
          named: NamedValue | None, value: object) -> str:
    """A text input as the manager saw it; a number or date there is flagged, since Excel made
    it from what was typed (a leading zero or the exact spelling may be lost)."""
    text = shown_text(value)
    if value is not None and not isinstance(value, str) and named is not None:
        what = "a date or time" if not isinstance(value, (int, float)) else "a number"
        form.problems.append(SefProblem(
            raw.file, named.sheet, named.cell, field_.name, "number or date in a text cell",
            f"the cell held {what} where text was expected; read as {text!r}, as the cell "
            "showed it (check it: Excel changes typed dates, times, percentages and numbers "
            "with leading zeros)"))
    return text


def outside_problems(raw: RawForm) -> list[SefProblem]:
    """Text a manager typed where no input is (another cell, an added sheet, a comment): listed,
    so that it is never dropped silently."""
    if has_identity(raw):
        known = layout.fixed_texts(identity(raw, "SEF_CentreName"),
                                   identity(raw, "SEF_Cluster"), identity(raw, "SEF_Year"))
    else:
        known = layout.fixed_texts(*layout.identity_from_cells(list(raw.other_cells)))
    problems = [SefProblem(raw.file, sheet, model.cell_name(row, col), "", OUTSIDE,
                           f"{_quoted(shown_text(value))} (not read into the summary)")
                for sheet, row, col, value in raw.other_cells
                if canonical(value) not in known.get(sheet, ())]
    problems.extend(SefProblem(raw.file, sheet, cell, "", "comment in the form",
                               f"{_quoted(text)} (not read into the summary)")
                    for sheet, cell, text in raw.comments if text.strip())
    return problems


def _quoted(text: str) -> str:
    return repr(text if len(text) <= QUOTED else text[:QUOTED] + "…")


def _located(raw: RawForm, form: ReviewedForm, field_: model.InputField,
             named: NamedValue | None) -> None:
    if named is None or named.row is None:
        form.problems.append(SefProblem(raw.file, field_.sheet, field_.cell, field_.name,
                                        "named cell missing",
                                        "the defined name was deleted or its cell removed; "
                                        "nothing could be read for it"))
    elif (named.sheet, named.row, named.col) != (field_.sheet, field_.row, field_.col):
        form.problems.append(SefProblem(
            raw.file, named.sheet, named.cell, field_.name, "named cell moved",
            f"expected at {field_.sheet}!{field_.cell}, found at {named.sheet}!{named.cell} "
            "(rows inserted or cells moved); read through its name"))


def _grade(raw: RawForm, form: ReviewedForm, field_: model.InputField,
           named: NamedValue | None, value: object) -> None:
    reading = read_grade(value)
    form.grades[field_.name] = reading.grade
    if isinstance(value, str) and value.strip() and reading.problem:
        form.texts[field_.name] = value  # a text typed into a grade cell is kept in full
    if reading.problem and not (named is None or named.row is None):
        form.problems.append(SefProblem(raw.file, named.sheet, named.cell, field_.name,
                                        reading.problem, reading.detail))


def figure_problems(raw: RawForm) -> list[SefProblem]:
    """Protected part B figures that no longer match the hash the form was made with."""
    expected = identity(raw, "SEF_PartBHash")
    if not expected or table_hash(raw.figures) == expected:
        return []
    sheet, first, col = raw.figures_at or (model.SHEET_B, 0, 0)
    hashes = identity(raw, "SEF_RowHashes").split()
    if len(hashes) != len(raw.figures):
        return [SefProblem(raw.file, sheet, _span(first, col, len(raw.figures)),
                           model.FIGURES_NAME, "protected figure changed",
                           f"part B has {len(raw.figures)} rows where the form was made with "
                           f"{len(hashes)}: rows inserted or deleted among the figures")]
    return [SefProblem(raw.file, sheet, _span(first + i, col, 1), model.FIGURES_NAME,
                       "protected figure changed",
                       f"row {first + i + 1} ({read_text(row[0]) if row else ''}) differs from "
                       "the figures the form was made with; the summary shows the form's "
                       "figures as found")
            for i, (row, want) in enumerate(zip(raw.figures, hashes)) if row_hash(row) != want]


def _span(row: int, col: int, height: int) -> str:
    last_col = col + len(COLUMNS) - 1
    return f"{model.cell_name(row, col)}:{model.cell_name(row + max(height, 1) - 1, last_col)}"


def manager_work(raw: RawForm) -> list[str]:
    """What a manager did to a form, in words ([] when nothing can be seen in its cells)."""
    found = []
    if is_filled(raw):
        found.append(f"filled in ({identity(raw, 'SEF_Year')} form)")
    outside = outside_problems(raw)
    if outside:
        first = outside[0]
        what = "comment" if first.problem != OUTSIDE else "text outside the form's inputs"
        found.append(f"{what} at '{first.sheet}'!{first.cell}"
                     + (f" and {len(outside) - 1} more" if len(outside) > 1 else ""))
    added = [s for s in raw.sheet_names if s not in layout.GUIDANCE and
             s != model.SHEET_IDENTITY]
    if added:
        found.append("sheet(s) added: " + ", ".join(repr(s) for s in added))
    return found


def has_entries(form: ReviewedForm) -> bool:
    """True when the manager entered anything in the form's inputs."""
    return any(g is not None for g in form.grades.values()) or any(form.texts.values())


def is_filled(raw: RawForm) -> bool:
    """True when any input differs from what the form was generated with."""
    stored = identity(raw, "SEF_InputsHash")
    values = {f.name: canonical(raw.names[f.name].value) if f.name in raw.names else ""
              for f in FIELDS}
    return not stored or inputs_hash(values) != stored


def collection_problems(forms: list[ReviewedForm], year: str) -> list[SefProblem]:
    """Problems seen only across forms: another year, another centre, copies."""
    problems = []
    for form in forms:
        if not form.centre_code:  # no identity: already reported, nothing to compare
            continue
        if form.year != year:
            problems.append(SefProblem(form.file, model.SHEET_IDENTITY, "B4", "SEF_Year",
                                       "form of another year",
                                       f"form is for {form.year}; collecting {year}"))
        stem = model.form_file_name(form.centre_name)[: -len(".xlsx")]
        if form.file.lower().startswith("sef-") and not form.file.lower().startswith(stem):
            problems.append(SefProblem(form.file, model.SHEET_IDENTITY, "B1", "SEF_CentreCode",
                                       "form of another centre",
                                       f"the file name is not this centre's; the form is "
                                       f"{form.centre_name}'s ({form.centre_code})"))
    problems.extend(_copies(forms))
    return problems


def _copies(forms: list[ReviewedForm]) -> list[SefProblem]:
    """Every form but one of a centre and year is a copy; the one :func:`preference` puts first
    is taken as the original (the summary's Changes use the same one)."""
    groups: dict[tuple[str, str], list[ReviewedForm]] = {}
    for form in (f for f in forms if f.centre_code):
        groups.setdefault((form.centre_code, form.year), []).append(form)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=preference)
        original = group[0]
        why = _why(preference(original), preference(group[1]))
        problems.extend(SefProblem(form.file, model.SHEET_IDENTITY, "B1", "SEF_CentreCode", COPY,
                                   f"{original.file} is also the {form.year} form of "
                                   f"{form.centre_name} ({form.centre_code}); the summary "
                                   f"takes {original.file} ({why}) as the centre's form; both "
                                   "are kept")
                        for form in group[1:])
    return problems


def _why(first: tuple[bool, bool, str], second: tuple[bool, bool, str]) -> str:
    if first[0] != second[0]:
        return "it has entries; the other is blank"
    if first[1] != second[1]:
        return "it is under the centre's own file name"
    return "the first by file name"


def preference(form: ReviewedForm) -> tuple[bool, bool, str]:
    """Which of a centre's forms counts: one with entries before a blank one, then the one
    under the centre's own file name, then the first by name."""
    return (not has_entries(form), form.file != model.form_file_name(form.centre_name),
            form.file)


def chosen_forms(forms: list[ReviewedForm], year: str) -> dict[str, ReviewedForm]:
    """Each centre's form the summary counts: of the year collected if there is one."""
    chosen: dict[str, ReviewedForm] = {}
    for form in sorted((f for f in forms if f.centre_code),
                       key=lambda f: (f.year != year, *preference(f))):
        chosen.setdefault(form.centre_code, form)
    return chosen


def collection_year(forms: list[ReviewedForm]) -> str:
    """The year most forms are for (the latest on a tie)."""
    counts = Counter(f.year for f in forms if f.year)
    return max(counts, key=lambda y: (counts[y], y)) if counts else ""
