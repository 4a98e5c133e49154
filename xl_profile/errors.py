"""Exception hierarchy for xl-profile.

Every error the library raises on purpose derives from :class:`XlProfileError`, so the CLI and the
worksheet functions can turn it into one short message instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class XlProfileError(Exception):
    """Base class for every error xl-profile raises on purpose."""


class ConfigError(XlProfileError):
    """A template, catalogue or build configuration is invalid."""


class GeometryError(XlProfileError):
    """A boundary or centroid file cannot be used as given."""


class OutputError(XlProfileError):
    """An output file cannot be written safely."""


class UnknownNameError(XlProfileError, KeyError):
    """A code or id was asked for that the geography or catalogue does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as a spreadsheet user would look for it.

    Attributes:
        file: file name as given by the user.
        row: 1-based row number as the spreadsheet shows it (the header is row 1), or None.
        column: column name (header text), or None for a whole-row or whole-file problem.
        message: what is wrong, in plain words.
        expected: what was expected.
        found: what was found.
        sheet: worksheet name for XLSX input, None for CSV.
        cell: spreadsheet cell address (``C7``) where one cell is at fault, shown instead of
            the row.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str = ""
    found: str = ""
    sheet: str | None = None
    cell: str | None = None

    def location(self) -> str:
        """Return 'file[, sheet S][, row R][, column C]'."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.expected or self.found:
            text += f" (expected {self.expected or '-'}; found {_clipped(str(self.found))})"
        return text


#: Characters of a value found that a message echoes (a cell may hold thousands).
FOUND_CHARS = 60


def _clipped(found: str) -> str:
    """``found`` whole, or cut at a word boundary before :data:`FOUND_CHARS` and marked as cut,
    so that a reader never takes a clipped value for the whole of it."""
    if len(found) <= FOUND_CHARS:
        return found
    cut = found[:FOUND_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > FOUND_CHARS // 2 else cut).rstrip(" ,;") + " ..."


#: Problems of one kind listed in full before the rest are only counted.
KEEP_PER_KIND = 20

#: What makes two problems "of the same kind": same file, sheet, column and message.
ProblemKind = tuple[str, str | None, str | None, str]


def problem_kind(problem: Problem) -> ProblemKind:
    """The kind of a problem, for summarising repeats (the row and the value found may differ)."""
    return (problem.file, problem.sheet, problem.column, problem.message)


class ProblemLog:
    """Problems found while reading, keeping the first few of each kind and counting the rest.

    A file of a million rows with the same mistake on every row gives 20 problems and a count,
    not a million lines (or a million objects in memory).
    """

    def __init__(self, keep_per_kind: int = KEEP_PER_KIND):
        self.keep_per_kind = keep_per_kind
        self.kept: list[Problem] = []
        self.counts: dict[ProblemKind, int] = {}

    def add(self, problem: Problem) -> None:
        kind = problem_kind(problem)
        count = self.counts.get(kind, 0) + 1
        self.counts[kind] = count
        if count <= self.keep_per_kind:
            self.kept.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def omitted(self) -> dict[ProblemKind, int]:
        """Kind -> how many problems of that kind were counted but not kept."""
        return {k: n - self.keep_per_kind for k, n in self.counts.items() if n > self.keep_per_kind}

    def __len__(self) -> int:
        return self.total


def summary_lines(problems: list[Problem], omitted: dict[ProblemKind, int] | None = None,
                  keep_per_kind: int = KEEP_PER_KIND) -> list[str]:
    """One line per problem, grouped by kind: the first ``keep_per_kind`` of each kind, then
    "... and N more of this kind" where more were found (``omitted`` adds counts kept elsewhere)."""
    log = ProblemLog(keep_per_kind)
    log.extend(problems)
    more = dict(log.omitted)
    for kind, count in (omitted or {}).items():
        more[kind] = more.get(kind, 0) + count
    groups: dict[ProblemKind, list[Problem]] = {}
    for problem in log.kept:
        groups.setdefault(problem_kind(problem), []).append(problem)
    lines = []
    for kind, members in groups.items():
        lines += [str(p) for p in members]
        if more.get(kind):
            lines.append(f"... and {more[kind]:,} more of this kind ({kind[3]})")
    return lines


class InputError(XlProfileError):
    """An input file has problems; ``problems`` lists every one kept, ``omitted`` counts by kind
    those only counted (see :class:`ProblemLog`)."""

    def __init__(self, problems: list[Problem] | Problem | ProblemLog,
                 omitted: dict[ProblemKind, int] | None = None):
        if isinstance(problems, ProblemLog):
            problems, omitted = problems.kept, problems.omitted
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.omitted = dict(omitted or {})
        super().__init__(self._summary())

    @property
    def total(self) -> int:
        """Every problem found, listed or only counted."""
        return len(self.problems) + sum(self.omitted.values())

    def summary_lines(self) -> list[str]:
        """The problems grouped by kind, repeats beyond the first 20 of a kind counted."""
        return summary_lines(self.problems, self.omitted)

    def _summary(self) -> str:
        if self.total == 1:
            return str(self.problems[0])
        head = str(self.problems[0])
        return f"{self.total} problems in input; first: {head}"
