"""Agency spreadsheets into tidy indicator rows, through source mappings.

:func:`intake` reads every file a mapping's pattern names in a folder, finds the header, and turns
each data row into one tidy row per mapped indicator (see :mod:`xl_profile.intake_mapping`), with
the file, sheet and cell of every figure. Rows are skipped only for a reason, and counted: blank
rows, footnote rows, totals rows, and an indicator's blank cells on a row. Every problem (a sheet
or column not found, a name not in the geography, a cell that is not a number) is collected; any
problem stops the intake with an :class:`~xl_profile.errors.InputError` listing them all.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from .errors import ConfigError, InputError, Problem, ProblemLog
from .fingertips import FingertipsMapping, read_fingertips
from .intake_cells import (AGENCY_SUFFIXES, Sheet, UnreadableFile, cell_problem, cell_text,
                           encoding_problem, header_titles, parse_cell, pick_sheet,
                           pooled_period, read_sheet, sheet_names)
from .intake_mapping import UNITS, LoadedMapping, SourceMapping, ValueColumns, column_letters
from .intake_names import NameMatcher
from .models import Geography, Level
from .tidy_checks import SUPPRESSION_MARKER

PROVENANCE_COLUMNS = ["indicator_id", "area_code", "period", "column", "file", "sheet", "cell"]
#: How far down a sheet to look for a header that has moved.
_HEADER_SEARCH_ROWS = 60


@dataclass
class IntakeResult:
    """Tidy rows, where each figure came from, and what was skipped (by reason)."""

    rows: list[dict[str, str]] = field(default_factory=list)
    provenance: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Place:
    file: str
    sheet: str | None


def intake(mappings: list[LoadedMapping], folder: Path, geography: Geography,
           catalogue) -> IntakeResult:
    """Read the agency files in ``folder`` through ``mappings``; InputError on any problem."""
    for loaded in mappings:
        check_against_catalogue(loaded, catalogue)
    result, log = IntakeResult(), ProblemLog()
    matchers: dict[Level, NameMatcher] = {}
    for loaded in mappings:
        mapping = loaded.mapping
        if isinstance(mapping, FingertipsMapping):
            for path in _files_for(loaded, folder):
                result.files.append(path.name)
                read_fingertips(path, mapping, geography, result, log)
            continue
        if mapping.area.by == "name" and mapping.level not in matchers:
            matchers[mapping.level] = NameMatcher(geography.at_level(mapping.level))
        for path in _files_for(loaded, folder):
            result.files.append(path.name)
            _read_file(path, mapping, geography, matchers.get(mapping.level), result, log)
    if log.total:
        raise InputError(log)
    return result


def check_against_catalogue(loaded: LoadedMapping, catalogue) -> None:
    """Each mapped indicator is in the catalogue and its unit is the catalogue's."""
    if isinstance(loaded.mapping, FingertipsMapping):
        for fingertips_id, indicator in loaded.mapping.indicators.items():
            if indicator not in catalogue:
                raise ConfigError(f"{loaded.path}: field 'indicators.{fingertips_id}': "
                                  f"{indicator!r} is not in the catalogue (expected a "
                                  f"catalogue id)")
        return
    for index, columns in enumerate(loaded.mapping.values):
        where = f"{loaded.path}: field 'values.{index}"
        if columns.indicator not in catalogue:
            raise ConfigError(f"{where}.indicator': {columns.indicator!r} is not in the "
                              f"catalogue (expected a catalogue id; draft an entry with "
                              f"'xl-profile catalogue new')")
        definition = catalogue.get(columns.indicator)
        unit, multiplier = UNITS[columns.unit]
        if unit != definition.unit.value or (unit == "rate" and
                                              multiplier != definition.multiplier):
            expected = next(word for word, (u, m) in UNITS.items()
                            if u == definition.unit.value
                            and (u != "rate" or m == definition.multiplier))
            raise ConfigError(f"{where}.unit': {columns.indicator} is "
                              f"{expected!r} in the catalogue; found {columns.unit!r}")


def _files_for(loaded: LoadedMapping, folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(f"{folder}: folder of agency files not found")
    found = sorted(p for p in folder.iterdir() if p.is_file()
                   and p.suffix.lower() in AGENCY_SUFFIXES and fnmatch(p.name, loaded.mapping.file))
    if not found:
        names = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file())) or "no files"
        raise ConfigError(f"{loaded.path}: field 'file': no file in {folder} matches "
                          f"{loaded.mapping.file!r} (found {names})")
    return found


def _read_file(path: Path, mapping: SourceMapping, geography: Geography, matcher,
               result: IntakeResult, log: ProblemLog) -> None:
    try:
        sheet = _sheet(path, mapping, log)
    except UnicodeDecodeError as exc:
        log.add(encoding_problem(path, mapping.encoding, exc))
        return
    except (UnreadableFile, csv.Error) as exc:
        log.add(Problem(path.name, None, None, "cannot be read as a spreadsheet",
                        expected=f"an {path.suffix.lower().lstrip('.')} file",
                        found=" ".join(str(exc).split())))
        return
    if sheet is None:
        return
    place = _Place(path.name, sheet.name)
    columns = _locate_columns(sheet, mapping, place, log)
    if columns is not None:
        _read_rows(sheet, mapping, columns, place, geography, matcher, result, log)


def _sheet(path: Path, mapping: SourceMapping, log: ProblemLog) -> Sheet | None:
    """The mapped sheet of ``path``, or None after logging that it is not there."""
    sheet_name = None
    if path.suffix.lower() != ".csv":
        names = sheet_names(path)
        sheet_name = pick_sheet(names, mapping.sheet)
        if sheet_name is None:
            log.add(Problem(path.name, None, None, f"sheet {mapping.sheet!r} not found",
                            expected=f"a sheet named {mapping.sheet!r}",
                            found=", ".join(names)))
            return None
    return read_sheet(path, sheet_name, mapping.encoding)


def _wanted_titles(mapping: SourceMapping) -> list[str]:
    titles = [mapping.area.column] + ([mapping.period_column] if mapping.period_column else [])
    for columns in mapping.values:
        titles += [t for t in (columns.numerator, columns.denominator, columns.value) if t]
    return titles


def _locate_columns(sheet: Sheet, mapping: SourceMapping, place: _Place,
                    log: ProblemLog) -> dict[str, int] | None:
    """Column index of every title the mapping names, or None after logging those missing."""
    first, last, _top, _bottom = mapping.bounds()
    titles = header_titles(sheet.grid, mapping.title_row, mapping.header_rows, first, last)
    index = {_norm(t): i for i, t in enumerate(titles) if t and i >= first}
    missing = [t for t in dict.fromkeys(_wanted_titles(mapping)) if _norm(t) not in index]
    if not missing:
        return {t: index[_norm(t)] for t in _wanted_titles(mapping)}
    found = "titles " + ", ".join(repr(t) for t in titles if t) if any(titles) else "no titles"
    moved = _moved_header(sheet, mapping, first, last)
    if moved is not None:
        log.add(Problem(place.file, mapping.title_row, None, "header not on the mapped row",
                        sheet=place.sheet, expected=f"header_row: {moved} (the mapped titles "
                        f"are on row {moved})", found=found))
        return None
    for title in missing:
        log.add(Problem(place.file, mapping.title_row, None, f"column {title!r} not found in "
                        "the header", sheet=place.sheet,
                        expected=f"a column titled {title!r}{_closest(title, titles)}",
                        found=found))
    return None


def _closest(title: str, titles: list[str]) -> str:
    from rapidfuzz import fuzz, process

    best = process.extractOne(title, [t for t in titles if t], scorer=fuzz.ratio)
    return f" (closest title: {best[0]!r})" if best else ""


def _moved_header(sheet: Sheet, mapping: SourceMapping, first: int,
                  last: int | None) -> int | None:
    """The row holding every mapped title when it is not the mapped one, or None."""
    wanted = {_norm(t) for t in _wanted_titles(mapping)}
    for row in range(mapping.header_rows, min(len(sheet.grid), _HEADER_SEARCH_ROWS) + 1):
        titles = header_titles(sheet.grid, row, mapping.header_rows, first, last)
        if row != mapping.title_row and wanted <= {_norm(t) for t in titles}:
            return row
    return None


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def _read_rows(sheet: Sheet, mapping: SourceMapping, columns: dict[str, int], place: _Place,
               geography: Geography, matcher, result: IntakeResult, log: ProblemLog) -> None:
    bottom = mapping.bounds()[3]
    end = len(sheet.grid) if bottom is None else min(len(sheet.grid), bottom + 1)
    for r in range(mapping.title_row, end):
        row = sheet.grid[r]
        reason = _skip_reason(row, mapping, columns)
        if reason:
            result.skipped[reason] += 1
            continue
        area = _area(row, r, mapping, columns, place, geography, matcher, log)
        period = _period(row, mapping, columns)
        if area is None:
            continue
        for value_columns in mapping.values:
            _value_row(row, r, mapping, value_columns, columns, place, area, period, result, log)


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else ""


def _skip_reason(row: list[object], mapping: SourceMapping, columns: dict[str, int]) -> str:
    texts = [cell_text(c) for c in row if cell_text(c)]
    if not texts:
        return "blank rows"
    if any(texts[0].casefold().startswith(f.casefold()) for f in mapping.footnotes):
        return "footnote rows"
    area_text = cell_text(_cell(row, columns[mapping.area.column]))
    if _norm(area_text) in {_norm(t) for t in mapping.totals}:
        return "totals rows"
    if not area_text and not any(cell_text(_cell(row, i)) for i in columns.values()):
        return "rows without figures"
    return ""


def _area(row, r: int, mapping: SourceMapping, columns, place: _Place, geography: Geography,
          matcher, log: ProblemLog) -> tuple[str, str] | None:
    """(code, level) of the row's area, or None after logging why it is not known."""
    index = columns[mapping.area.column]
    text = cell_text(_cell(row, index))
    benchmarks = {_norm(k): b for k, b in mapping.benchmarks.items()}
    if _norm(text) in benchmarks:
        benchmark = benchmarks[_norm(text)]
        return benchmark.code, benchmark.level
    cell = f"{column_letters(index)}{r + 1}"
    if mapping.area.by == "code":
        area = geography.by_code.get(text)
        if area is None:
            log.add(Problem(place.file, None, mapping.area.column, "area code not in the "
                            "geography", expected=f"a code in the geography of "
                            f"{geography.authority.name}", found=text or "(blank)",
                            sheet=place.sheet, cell=cell))
            return None
        return area.code, area.level.value
    code, closest = matcher.match(text)
    if code is None:
        log.add(Problem(place.file, None, mapping.area.column, f"{mapping.level.value} name "
                        f"not in the geography", expected=f"a {mapping.level.value} of "
                        f"{geography.authority.name}" + (f", closest {closest!r}" if closest
                                                         else ""),
                        found=text or "(blank)", sheet=place.sheet, cell=cell))
        return None
    return code, mapping.level.value


def _period(row, mapping: SourceMapping, columns) -> str:
    if mapping.period is not None:
        return pooled_period(mapping.period)
    return pooled_period(cell_text(_cell(row, columns[mapping.period_column])))


def _value_row(row, r: int, mapping: SourceMapping, value_columns: ValueColumns, columns,
               place: _Place, area: tuple[str, str], period: str, result: IntakeResult,
               log: ProblemLog) -> None:
    figures: dict[str, str] = {}
    cells: dict[str, str] = {}
    for role in ("numerator", "denominator", "value"):
        title = getattr(value_columns, role)
        if not title:
            continue
        index = columns[title]
        cells[role] = f"{column_letters(index)}{r + 1}"
        raw = _cell(row, index)
        if mapping.missing and _norm(cell_text(raw)) in {_norm(m) for m in mapping.missing}:
            result.skipped[f"cells marked missing ({cell_text(raw)})"] += 1
            raw = ""
        number, marker, ok = parse_cell(raw, mapping.suppression)
        if not ok:
            log.add(cell_problem(place.file, place.sheet, cells[role], title, raw,
                                 mapping.suppression))
            return
        figures[role] = _figure_text(role, raw, number, marker, value_columns)
    if not any(figures.values()):
        result.skipped[f"blank {value_columns.indicator} cells"] += 1
        return
    code, level = area
    result.rows.append({
        "indicator_id": value_columns.indicator, "area_code": code, "period": period,
        "numerator": figures.get("numerator", ""), "denominator": figures.get("denominator", ""),
        "value": figures.get("value", ""), "note": "",
        "source": value_columns.source or mapping.source,
        "data_date": value_columns.data_date or mapping.data_date, "level": level})
    result.provenance += [{"indicator_id": value_columns.indicator, "area_code": code,
                           "period": period, "column": role, "file": place.file,
                           "sheet": place.sheet or "", "cell": cell}
                          for role, cell in cells.items() if figures.get(role)]


def _figure_text(role: str, raw: object, number: float | None, marker: str | None,
                 columns: ValueColumns) -> str:
    """A figure as the tidy file writes it (a marker the tidy format does not know is ``*``)."""
    if marker is not None:
        return marker if SUPPRESSION_MARKER.match(marker) else "*"
    if number is None:
        return ""
    if role != "value":
        return str(int(number)) if number.is_integer() else repr(number)
    scaled = number * columns.scale
    if columns.decimals is not None:
        return f"{scaled:.{columns.decimals}f}"
    if isinstance(raw, str) and columns.scale == 1:
        return re.sub(r"[£%,\s\u00a0]", "", raw)
    return repr(round(scaled, 10))


def write_csv_files(*tables: tuple[Path, list[str], list[dict[str, str]]]) -> None:
    """Write each (path, columns, rows) as CSV; all of them are published or none."""
    import contextlib
    import csv

    from .atomic import atomic_output

    with contextlib.ExitStack() as stack:
        for path, columns, rows in tables:
            tmp = stack.enter_context(atomic_output(path))
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows({c: row.get(c, "") for c in columns} for row in rows)


def agency_values(mappings: Path, folder: Path, catalogue, geography: Geography,
                  log: ProblemLog) -> list:
    """The tidy values of the agency files, checked as a tidy file is; a problem is logged at
    the file, sheet and cell its figure came from."""
    from .intake_mapping import load_mappings

    result = intake(load_mappings(mappings), folder, geography, catalogue)
    return checked_values(result, catalogue, geography, log)


def checked_values(result: IntakeResult, catalogue, geography: Geography,
                   log: ProblemLog) -> list:
    """The values of ``result``'s rows after the tidy checks; problems logged at source cells."""
    import tempfile

    from .tidy import COLUMNS, check_tidy

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "agency.csv"
        write_csv_files((path, COLUMNS, result.rows))
        own = ProblemLog()
        values = check_tidy(path, catalogue, geography, log=own).values
    cells = {(p["indicator_id"], p["area_code"], p["period"], p["column"]): p
             for p in result.provenance}
    for problem in own.kept:
        log.add(_at_source(problem, result.rows, cells))
    return values


def _at_source(problem: Problem, rows: list[dict[str, str]], cells: dict) -> Problem:
    """A problem in the tidy rows, placed at the agency file's cell where that can be said."""
    row = rows[problem.row - 2] if problem.row and 2 <= problem.row < len(rows) + 2 else None
    if row is None:
        return problem
    key = (row["indicator_id"], row["area_code"], row["period"])
    source = cells.get((*key, problem.column)) or next(
        (cells[(*key, c)] for c in ("value", "numerator", "denominator") if (*key, c) in cells),
        None)
    if source is None:
        return problem
    return Problem(source["file"], None, problem.column, problem.message, problem.expected,
                   problem.found, sheet=source["sheet"] or None, cell=source["cell"])
