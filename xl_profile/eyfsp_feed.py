"""The authority's own child-level EYFSP results, read for NI 72 and NI 92.

A file (CSV or XLSX) has one row per child assessed at the end of the Early Years Foundation
Stage, in columns (in any order):

- ``period``: the academic year of the assessment, ``2007/08`` for the summer of 2008;
- ``lsoa``: the code of the small area (LSOA) the child lives in; and/or
- ``postcode``: the child's home postcode, placed in its LSOA through the build's postcode lookup
  (``eyfsp_postcodes``: a CSV of ``postcode,lsoa``) where ``lsoa`` is blank;
- the 13 scales, titled by name (``Dispositions and Attitudes``, ..., ``Creative Development``) or
  by code (``PSE_DA``, ``PSE_SD``, ``PSE_ED``, ``CLL_LCT``, ``CLL_LSL``, ``CLL_R``, ``CLL_W``,
  ``PSRN_NLC``, ``PSRN_C``, ``PSRN_SSM``, ``KUW``, ``PD``, ``CD``); case, spaces, ``&`` and
  punctuation are ignored. Each is a whole number of points 0-9, blank where not assessed.

- ``upn`` (or ``pupil number``): the child's unique pupil number, optional but wanted: it is how
  a child listed twice in a year is found (see below). It is compared while the files are read
  and then dropped.

Any other column (name, date of birth, school...) is never read into the results:
only the period, the small area and the 13 points of each child are kept, and nothing else
about a child can reach a workbook. A postcode is used to find the small area and then dropped.

A file whose structure is wrong (a column missing, a period that is not an academic year) is an
error naming the file, row and column with what was expected and what was found. A child that
cannot be used is left out and counted under the first reason that applies, in this order: no
small area or postcode; a postcode only, with no lookup in the build; a postcode not in the
lookup; a small area outside the authority's
geography; a scale point that is not a whole number 0-9; a scale not assessed (blank) — the
published indicators count children with a complete profile; a pupil number already counted for
that year, in any of the files (the first usable row is counted, so a child assessed once counts
once). The counts (with the first rows of each reason, never the values) are reported by the
build and printed in the workbook. Without a pupil number column a child listed twice cannot
be found, and the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem, ProblemLog
from .eyfsp import SCALES
from .models import Geography, Level, PeriodType
from .tabular import open_table
from .targets import is_year_of

#: Short codes of the 13 scales, in profile order (the same order as ``eyfsp.SCALES``).
SCALE_CODES = ("PSE_DA", "PSE_SD", "PSE_ED", "CLL_LCT", "CLL_LSL", "CLL_R", "CLL_W", "PSRN_NLC",
               "PSRN_C", "PSRN_SSM", "KUW", "PD", "CD")
#: Why a child was left out, in the order the reasons are tried.
REASONS = {
    "no_area": "no small area or postcode",
    "no_lookup": "a postcode but no small area, and no postcode lookup in the build",
    "unknown_postcode": "a postcode not in the postcode lookup",
    "outside": "a small area outside the authority's geography",
    "bad_points": "a scale point that is not a whole number 0-9",
    "not_assessed": "a scale not assessed (blank)",
    "duplicate": "a pupil number already counted for that year",
}
#: Titles of the pupil number column (as reduced by ``_key``).
UPN_TITLES = ("upn", "pupilnumber", "uniquepupilnumber")
#: Rows listed per reason in the report (the rest are counted).
ROWS_SHOWN = 5


def _key(text: str) -> str:
    """A column title reduced for matching: lower case, '&' as 'and', letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


_SCALE_KEYS = {**{_key(s): i for i, s in enumerate(SCALES)},
               **{_key(c): i for i, c in enumerate(SCALE_CODES)}}


@dataclass(frozen=True)
class Child:
    """What is kept of one child: the year, the small area and the 13 scale points."""

    period: str
    lsoa: str
    points: tuple[int, ...]


@dataclass
class LeftOut:
    """Children left out, by reason, with the first few rows (file and row) of each."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: {r: [] for r in REASONS})

    def add(self, reason: str, file: str, row: int) -> None:
        self.counts[reason] += 1
        if len(self.rows[reason]) < ROWS_SHOWN:
            self.rows[reason].append((file, row))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """One line per reason with children left out: the count and the first rows."""
        out = []
        for reason, count in self.counts.items():
            if count:
                files = dict.fromkeys(f for f, _r in self.rows[reason])
                shown = "; ".join(f"{f} row(s) " + ", ".join(str(r) for g, r in self.rows[reason]
                                                           if g == f) for f in files)
                more = f" and {count - len(self.rows[reason])} more" \
                    if count > len(self.rows[reason]) else ""
                out.append(f"{count} with {REASONS[reason]} ({shown}{more})")
        return out


@dataclass(frozen=True)
class ChildRecords:
    """The children read from the EYFSP files and the account of those left out."""

    files: tuple[str, ...]
    children: tuple[Child, ...]
    read: int
    left_out: LeftOut
    #: Files without a pupil number column, in which a child listed twice cannot be found.
    unchecked: tuple[str, ...] = ()

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(sorted({c.period for c in self.children}))

    def lines(self) -> list[str]:
        """The build's report: children read, used and left out (by reason, with rows)."""
        head = (f"EYFSP child-level results: {self.read:,} children read from "
                f"{', '.join(self.files)}; {len(self.children):,} used "
                f"({', '.join(self.periods) or 'no year'}); {self.left_out.total:,} left out")
        unchecked = [f"  not checked for children listed twice: {f} has no pupil number "
                     "column (upn)" for f in self.unchecked]
        return [head] + [f"  left out: {line}" for line in self.left_out.lines()] + unchecked


def read_postcodes(path: Path) -> dict[str, str]:
    """A postcode lookup (CSV or XLSX, columns ``postcode`` and ``lsoa``): postcode -> LSOA.

    Raises:
        InputError: a column missing, a blank cell, or a postcode given two different LSOAs.
    """
    lookup: dict[str, str] = {}
    problems = ProblemLog()
    _a_file(path)
    with open_table(path) as table:
        missing = table.require_columns(["postcode", "lsoa"])
        if missing:
            raise InputError(missing)
        for number, row in table.rows:
            code, lsoa = _postcode(row["postcode"]), row["lsoa"].strip()
            for column, cell in (("postcode", code), ("lsoa", lsoa)):
                if not cell:
                    problems.add(table.problem(number, column, f"blank {column}",
                                               expected=f"a {column}", found="(blank)"))
            if code and lsoa and lookup.setdefault(code, lsoa) != lsoa:
                problems.add(table.problem(number, "lsoa", "postcode given two small areas",
                                           expected=f"{lookup[code]} as on an earlier row",
                                           found=lsoa))
        problems.extend(table.problems)
    if problems.total:
        raise InputError(problems)
    return lookup


def _a_file(path: Path) -> None:
    """A folder named where a file is expected is said to be one (not "not found")."""
    if Path(path).is_dir():
        raise InputError(Problem(str(path), None, None, "is a folder, expected a file",
                                 expected="a CSV or XLSX file", found="a folder"))


def _postcode(text: str) -> str:
    """A postcode as the lookup keys it: capitals, no spaces."""
    return re.sub(r"\s+", "", text).upper()


def read_children(paths: Sequence[Path], geography: Geography,
                  postcodes: dict[str, str] | None = None) -> ChildRecords:
    """Read every child of the EYFSP files (see the module docstring).

    Raises:
        InputError: every structural problem of every file, located by file, row and column.
    """
    lsoas = {a.code for a in geography.at_level(Level.LSOA)}
    children: list[Child] = []
    left_out, problems, read = LeftOut(), ProblemLog(), 0
    counted: set[tuple[str, str]] = set()  # (period, pupil number), held only while reading
    unchecked: list[str] = []
    for path in paths:
        _a_file(path)
        with open_table(path) as table:
            columns = _columns(table, postcodes is not None)
            if isinstance(columns, list):
                problems.extend(columns)
                continue
            if columns.upn is None:
                unchecked.append(Path(table.file).name)
            read_before = read
            for number, row in table.rows:
                read += 1
                period = row[columns.period].strip()
                if not is_year_of(period, PeriodType.ACADEMIC_YEAR):
                    problems.add(table.problem(number, columns.period, "not an academic year",
                                               expected="an academic year such as 2007/08",
                                               found=period or "(blank)"))
                    continue
                child = _child(row, columns, period, lsoas, postcodes)
                upn = row[columns.upn].strip().upper() if columns.upn else ""
                if isinstance(child, Child) and upn and (period, upn) in counted:
                    child = "duplicate"
                if isinstance(child, Child):
                    children.append(child)
                    if upn:
                        counted.add((period, upn))
                else:
                    left_out.add(child, Path(table.file).name, number)
            problems.extend(table.problems)
            if read == read_before and not table.problems:  # a file of no children is a mistake
                problems.add(table.problem(2, None, "no children in the file", expected="a row "
                                           "per child below the header", found="header only"))
    if problems.total:
        raise InputError(problems)
    return ChildRecords(tuple(str(p) for p in paths), tuple(children), read, left_out,
                        tuple(unchecked))


@dataclass(frozen=True)
class _Columns:
    period: str
    lsoa: str | None
    postcode: str | None
    scales: tuple[str, ...]  # the header of each scale, in profile order
    upn: str | None = None


def _titled(header: list[str], name: str) -> str | None:
    """The header title that is ``name`` but for case, spaces and punctuation."""
    return next((title for title in header if _key(title) == name), None)


def _columns(table, have_lookup: bool) -> _Columns | list[Problem]:
    """Which header holds what; or the problems with the header."""
    scales: dict[int, str] = {}
    period = _titled(table.header, "period")
    problems = [] if period else [table.problem(1, "period", "missing column 'period'",
                                                expected="a column 'period' (e.g. 2007/08)",
                                                found=", ".join(table.header))]
    for title in table.header:
        index = _SCALE_KEYS.get(_key(title))
        if index is None:
            continue
        if index in scales:
            problems.append(table.problem(1, title, f"second column for the scale "
                                          f"{SCALES[index]!r}", expected="one column per scale",
                                          found=f"{scales[index]!r} and {title!r}"))
        scales[index] = title
    missing = [f"{SCALES[i]} ({SCALE_CODES[i]})" for i in range(len(SCALES)) if i not in scales]
    if missing:
        problems.append(table.problem(1, None, f"missing scale column(s): {', '.join(missing)}",
                                      expected="the 13 EYFSP scales by name or code",
                                      found=f"{len(scales)} of the 13"))
    lsoa, postcode = _titled(table.header, "lsoa"), _titled(table.header, "postcode")
    if lsoa is None and postcode is None:
        problems.append(table.problem(1, None, "no column placing the child",
                                      expected="a column 'lsoa' or 'postcode'",
                                      found=", ".join(table.header)))
    elif lsoa is None and not have_lookup:
        problems.append(table.problem(1, postcode, "no 'lsoa' column, and no postcode lookup "
                                      "to place the postcodes",
                                      expected="the build setting 'eyfsp_postcodes' (a CSV of "
                                               "postcode,lsoa)", found="no lookup"))
    if problems:
        return problems
    upn = next((t for t in table.header if _key(t) in UPN_TITLES), None)
    return _Columns(period, lsoa, postcode, tuple(scales[i] for i in range(len(SCALES))), upn)


def _child(row: dict[str, str], columns: _Columns, period: str, lsoas: set[str],
           postcodes: dict[str, str] | None) -> Child | str:
    """The child of a row, or the reason it is left out (a key of REASONS)."""
    lsoa = row[columns.lsoa].strip() if columns.lsoa else ""
    if not lsoa:
        postcode = _postcode(row[columns.postcode]) if columns.postcode else ""
        if not postcode:
            return "no_area"
        if postcodes is None:
            return "no_lookup"
        if postcode not in postcodes:
            return "unknown_postcode"
        lsoa = postcodes[postcode]
    if lsoa not in lsoas:
        return "outside"
    points = [_point(row[title]) for title in columns.scales]
    if any(p is False for p in points):
        return "bad_points"
    if any(p is None for p in points):
        return "not_assessed"
    return Child(period, lsoa, tuple(points))


def _point(text: str) -> int | None | bool:
    """A scale point: 0-9; None when blank (not assessed); False when anything else."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return False
    return int(value) if value.is_integer() and 0 <= value <= 9 else False

