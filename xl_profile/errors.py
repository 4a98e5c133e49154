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
    """

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str = ""
    found: str = ""
    sheet: str | None = None

    def location(self) -> str:
        """Return 'file[, sheet S][, row R][, column C]'."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.expected or self.found:
            text += f" (expected {self.expected or '-'}; found {self.found!s:.60})"
        return text


class InputError(XlProfileError):
    """An input file has problems; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = str(self.problems[0])
        return f"{len(self.problems)} problems in input; first: {head}"
