"""Checking a large tidy CSV a block of rows at a time, with the row-by-row checks' results.

Most rows of a large file are clean, and most cell texts repeat. A block of plain lines is split
into columns, each distinct cell text is read once (by the functions the row-by-row reader uses),
and the unit checks run on arrays with the same arithmetic. A row is accepted here only when every
check passes (with a margin where a value is compared with the one its counts make); every other
row goes through the row-by-row reader, so each problem is found and worded exactly as it would be
and reported in row order. A block that is not plain comma-separated lines (a quote, a line of
another width, a lone carriage return, a NUL, a very long line), and everything after it, is read
row by row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import Problem, ProblemLog, UnknownNameError
from .models import Geography, Unit, ValueNote
from .tabular import MAX_CELL_CHARS, TableStream
from .tidy import (_DATA_DATE, _canonical_code, _check_period, _first_of_key, _level, _parse_row)
from .tidy_checks import _FLOAT_SLACK, parse_number, places_written

#: Share of the tolerance a value may use up and still be accepted here (closer calls are
#: decided by the row-by-row check).
_MARGIN = 0.999
#: Characters of the file read as one block.
BLOCK_CHARS = 1 << 22
#: Bits of a row key given to the indicator, the area and the period.
_AREA_BITS, _PERIOD_BITS = 22, 21
_UNITS = list(Unit)


class _Collected(list):
    """Problems gathered for one row instead of logged at once."""

    def add(self, problem: Problem) -> None:
        self.append(problem)


@dataclass
class _Keys:
    """Indicator, area and period of every accepted row so far, as sorted integer keys."""

    names: tuple[dict[str, int], dict[str, int], dict[str, int]] = field(
        default_factory=lambda: ({}, {}, {}))
    texts: tuple[list[str], list[str], list[str]] = field(default_factory=lambda: ([], [], []))
    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def code(self, part: int, text: str) -> int:
        names = self.names[part]
        if text not in names:
            names[text] = len(names)
            self.texts[part].append(text)
        return names[text]

    def fits(self) -> bool:
        return (len(self.names[1]) < 1 << _AREA_BITS and len(self.names[2]) < 1 << _PERIOD_BITS
                and len(self.names[0]) < 1 << (63 - _AREA_BITS - _PERIOD_BITS))

    def key(self, indicator: int, area: int, period: int):
        return (indicator << (_AREA_BITS + _PERIOD_BITS)) | (area << _PERIOD_BITS) | period

    def first_rows(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The first row of each key (in row order, earlier blocks first); records new keys."""
        unique, first_at = np.unique(keys, return_index=True)
        first = rows[first_at]
        at = np.searchsorted(self.keys, unique)
        known = at < len(self.keys)
        known[known] = self.keys[at[known]] == unique[known]
        first[known] = self.rows[at[known]]
        self.keys = np.insert(self.keys, at[~known], unique[~known])
        self.rows = np.insert(self.rows, at[~known], first[~known])
        return first[np.searchsorted(unique, keys)]

    def as_dict(self) -> dict[tuple[str, str, str], int]:
        """Key text -> first row, for the row-by-row reader to carry on from."""
        texts = self.texts
        mask = (1 << _PERIOD_BITS) - 1, (1 << _AREA_BITS) - 1
        return {(texts[0][k >> (_AREA_BITS + _PERIOD_BITS)],
                 texts[1][(k >> _PERIOD_BITS) & mask[1]], texts[2][k & mask[0]]): int(row)
                for k, row in zip(self.keys.tolist(), self.rows.tolist())}


@dataclass
class BulkResult:
    """What the blocks gave: rows read, values accepted, and the rows still to read one by one."""

    rows: int
    values: int
    rest: Iterator[tuple[int, dict[str, str]]]
    first_row: dict[tuple[str, str, str], int]  # for the rows still to read (none: empty)


def check_blocks(table: TableStream, catalogue, geography: Geography,
                 log: ProblemLog) -> BulkResult:
    """Check a tidy CSV's rows block by block (see the module docstring)."""
    keys, rows, values, parsed = _Keys(), 0, 0, {}
    number, line = 2, table.header_lines + 1
    for text in table.text_blocks(BLOCK_CHARS):
        cells = _plain_cells(text, len(table.header))
        if cells is None:
            return BulkResult(rows, values, table.rows_from(text, number, line), keys.as_dict())
        block = _Block(table, cells, number, catalogue, geography)
        found = block.check(keys, parsed)
        if found is None:
            return BulkResult(rows, values, table.rows_from(text, number, line), keys.as_dict())
        for row_problems in found[2]:
            log.extend(row_problems)
        rows, values = rows + found[0], values + found[1]
        table.blank_rows += len(cells) - found[0]
        number, line = number + len(cells), line + len(cells)
    return BulkResult(rows, values, iter(()), {})


def _plain_cells(text: str, width: int) -> np.ndarray | None:
    """The block's cells as an array of lines x columns, or None unless every line is one whole
    row: no NUL or lone carriage return, as many cells as the header, none too long, and quotes
    (read as the csv module reads them) closed on the line they open."""
    if "\x00" in text:
        return None
    flat = text.replace("\r\n", "\n")
    if "\r" in flat:
        return None
    flat = flat[:-1] if flat.endswith("\n") else flat
    raw = np.frombuffer(flat.encode("utf-8"), dtype=np.uint8)
    ends = np.append(np.flatnonzero(raw == 10), len(raw))
    commas = np.diff(np.searchsorted(np.flatnonzero(raw == 44), ends), prepend=0)
    lengths = np.diff(ends, prepend=-1) - 1
    quoted = np.zeros(len(ends), dtype=bool)
    quoted[np.unique(np.searchsorted(ends, np.flatnonzero(raw == 34)))] = True
    if (commas[~quoted] != width - 1).any() or lengths[~quoted].max(initial=0) > MAX_CELL_CHARS:
        return None
    records, flat = _quoted_rows(flat, len(raw), ends, np.flatnonzero(quoted), width)
    if records is None:
        return None
    cells = np.array(flat.replace("\n", ",").split(","), dtype=object).reshape(len(ends), width)
    for i, record in records.items():
        cells[i] = record
    return cells


def _quoted_rows(flat: str, size: int, ends: np.ndarray, quoted: np.ndarray, width: int
                 ) -> tuple[dict[int, list[str]] | None, str]:
    """The cells of each line with quotes (None if one is not a whole row), and the text with
    those lines blanked to bare commas so that the rest splits on commas alone."""
    if not len(quoted):
        return {}, flat
    if size != len(flat):  # not ASCII: byte offsets are not character offsets
        lines = flat.split("\n")
    else:
        starts = np.append(0, ends[:-1] + 1)
        lines = {i: flat[starts[i]:ends[i]] for i in quoted.tolist()}
    records = {i: _one_row(lines[i], width) for i in quoted.tolist()}
    if any(record is None for record in records.values()):
        return None, flat
    if isinstance(lines, list):
        for i in records:
            lines[i] = "," * (width - 1)
        return records, "\n".join(lines)
    pieces, at = [], 0
    for i in quoted.tolist():
        pieces += [flat[at:starts[i]], "," * (width - 1)]
        at = int(ends[i])
    pieces.append(flat[at:])
    return records, "".join(pieces)


def _one_row(line: str, width: int) -> list[str] | None:
    """The cells of a line with quotes, if it is one whole row of the right width."""
    try:
        cells = next(csv.reader([line], strict=True))
    except (csv.Error, StopIteration):
        return None
    if len(cells) != width or max(map(len, cells)) > MAX_CELL_CHARS:
        return None
    return cells


class _Block:
    """One block of plain lines: its columns as codes into distinct (stripped) texts."""

    def __init__(self, table: TableStream, cells: np.ndarray, number: int, catalogue,
                 geography: Geography):
        self.table, self.cells, self.catalogue, self.geography = table, cells, catalogue, geography
        self.numbers = number + np.arange(len(cells))
        self.columns: dict[str, tuple[np.ndarray, list[str]]] = {}
        blank = np.ones(len(cells), dtype=bool)
        for j, name in enumerate(table.header):
            codes, uniques = pd.factorize(cells[:, j])
            texts = [u.strip() for u in uniques]
            blank &= ~np.array([bool(t) for t in texts], dtype=bool)[codes]
            if name:
                self.columns[name] = codes, texts
        self.blank = blank

    def column(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Codes and distinct texts of a column; a missing column is blank on every row."""
        return self.columns.get(name) or (np.zeros(len(self.cells), dtype=np.int64), [""])

    def check(self, keys: _Keys, parsed: dict) -> tuple[int, int, list[list[Problem]]] | None:
        """Rows read, values accepted and problems in row order; None if the keys overflow.

        ``parsed`` keeps each number cell's reading from block to block."""
        definitions, indicator = self._definitions()
        accepted = (~self.blank & (indicator >= 0) & self._places_ok() & self._periods_ok(
            definitions, indicator) & self._notes_and_dates_ok())
        numbers, numbers_ok = self._numbers(parsed)
        accepted &= numbers_ok & self._units_ok(definitions, indicator, numbers)
        key_parts, problems = self._keys(keys, definitions, indicator, accepted)
        if not keys.fits():
            return None
        valid = key_parts[0] >= 0
        key = keys.key(*(part[valid] for part in key_parts))
        first = keys.first_rows(key, self.numbers[valid])
        repeat = first != self.numbers[valid]
        duplicate = np.flatnonzero(valid)[repeat]
        for i, first_row in zip(duplicate.tolist(), first[repeat].tolist()):
            problems.append((i, self._duplicate(i, key_parts, keys, first_row)))
        problems.sort(key=lambda item: item[0])
        return (int((~self.blank).sum()), int(valid.sum()) - len(duplicate),
                [p for _i, p in problems])

    def _definitions(self) -> tuple[list, np.ndarray]:
        codes, texts = self.column("indicator_id")
        found = []
        for text in texts:
            try:
                found.append(self.catalogue.get(text))
            except UnknownNameError:  # the row-by-row check words the problem
                found.append(None)
        index = np.array([-1 if d is None else i for i, d in enumerate(found)], dtype=np.int64)
        return found, index[codes]

    def _places_ok(self) -> np.ndarray:
        """The area code and level are known and agree."""
        area, area_texts = self.column("area_code")
        level, level_texts = self.column("level")
        pair, pair_index = np.unique(area * len(level_texts) + level, return_inverse=True)
        ok = []
        for value in pair.tolist():
            row = {"area_code": area_texts[value // len(level_texts)],
                   "level": level_texts[value % len(level_texts)]}
            problems: list[Problem] = []
            _level(self.table, 0, row, self.geography, problems)
            ok.append(not problems)
        return np.array(ok, dtype=bool)[pair_index.ravel()]

    def _periods_ok(self, definitions: list, indicator: np.ndarray) -> np.ndarray:
        period, period_texts = self.column("period")
        known = np.maximum(indicator, 0)
        pair, pair_index = np.unique(known * len(period_texts) + period, return_inverse=True)
        ok = []
        for value in pair.tolist():
            definition = definitions[value // len(period_texts)]
            problems: list[Problem] = []
            if definition is not None:
                _check_period(self.table, 0, period_texts[value % len(period_texts)], definition,
                              problems)
            ok.append(not problems)
        return np.array(ok, dtype=bool)[pair_index.ravel()]

    def _notes_and_dates_ok(self) -> np.ndarray:
        notes, note_texts = self.column("note")
        dates, date_texts = self.column("data_date")
        allowed = {n.value for n in ValueNote}
        note_ok = np.array([not t or t.lower() in allowed for t in note_texts], dtype=bool)
        date_ok = np.array([not t or bool(_DATA_DATE.match(t)) for t in date_texts], dtype=bool)
        return note_ok[notes] & date_ok[dates]

    def _numbers(self, parsed: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Numerator, denominator and value (NaN for blank or suppressed), and where all parse;
        ``half_unit`` is half a unit in the last place the value is written to."""
        numbers, ok = {}, np.ones(len(self.cells), dtype=bool)
        for column in ("numerator", "denominator", "value"):
            codes, texts = self.column(column)
            book = parsed.setdefault(column, _Readings(column))
            at = book.positions(texts)[codes]
            numbers[column], readable, half_unit = book.arrays()
            numbers[column] = numbers[column][at]
            ok &= readable[at]
            if column == "value":
                numbers["half_unit"] = half_unit[at]
        return numbers, ok

    def _units_ok(self, definitions: list, indicator: np.ndarray,
                  numbers: dict[str, np.ndarray]) -> np.ndarray:
        """Rows that pass every unit check of :func:`tidy_checks.unit_problems`."""
        unit = np.array([_UNITS.index(d.unit) if d else -1 for d in definitions] or [-1])[
            np.maximum(indicator, 0)]
        multiplier = np.array([float(d.multiplier) if d else np.nan for d in definitions]
                              or [np.nan])[np.maximum(indicator, 0)]
        is_unit = {u: unit == _UNITS.index(u) for u in _UNITS}
        num, den, value = numbers["numerator"], numbers["denominator"], numbers["value"]
        with np.errstate(invalid="ignore", divide="ignore"):
            bad = is_unit[Unit.PERCENTAGE] & ((num > den) | (value > 100))
            bad |= (is_unit[Unit.PERCENTAGE] | is_unit[Unit.RATE]) & (den == 0)
            bad |= is_unit[Unit.COUNT] & ~(_blank_or_whole(num) & _blank_or_whole(value))
            expected = np.where(is_unit[Unit.RATIO], num / den, num / den * multiplier)
            expected[(den == 0) | np.isnan(den) | is_unit[Unit.SCORE]] = np.nan
            expected[is_unit[Unit.COUNT]] = num[is_unit[Unit.COUNT]]
            tolerance = numbers["half_unit"] + _FLOAT_SLACK * np.maximum(1.0, np.abs(expected))
            compared = ~np.isnan(expected) & ~np.isnan(value)
            bad |= compared & ~(np.abs(value - expected) <= tolerance * _MARGIN)
        return ~bad

    def _keys(self, keys: _Keys, definitions: list, indicator: np.ndarray, accepted: np.ndarray
              ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], list[tuple[int, list]]]:
        """Key codes of each valid row (-1 for the rest) and the problems of rows checked one by
        one, each with its position in the block."""
        parts = tuple(np.full(len(self.cells), -1, dtype=np.int64) for _ in range(3))
        area, area_texts = self.column("area_code")
        period, period_texts = self.column("period")
        id_code = np.array([keys.code(0, d.id) if d else -1 for d in definitions] or [-1])
        area_code = np.array([keys.code(1, _canonical_code(t, self.geography))
                              for t in area_texts])
        period_code = np.array([keys.code(2, t) for t in period_texts])
        parts[0][accepted] = id_code[indicator[accepted]]
        parts[1][accepted] = area_code[area[accepted]]
        parts[2][accepted] = period_code[period[accepted]]
        problems = []
        named = [(j, h) for j, h in enumerate(self.table.header) if h]
        for i in np.flatnonzero(~accepted & ~self.blank).tolist():
            row = {h: self.cells[i, j].strip() for j, h in named}
            found = _Collected()
            key = _parse_row(self.table, int(self.numbers[i]), row, self.catalogue,
                             self.geography, found, False)
            if found:
                problems.append((i, found))
            if key is not None:
                for part, text in enumerate(key):
                    parts[part][i] = keys.code(part, text)
        return parts, problems

    def _duplicate(self, i: int, parts, keys: _Keys, first: int) -> list[Problem]:
        texts = tuple(keys.texts[p][parts[p][i]] for p in range(3))
        found = _Collected()
        _first_of_key(self.table, int(self.numbers[i]), texts, {texts: first}, found)
        return found


class _Readings:
    """Each distinct text of a number column read once for the whole file: the number (NaN when
    blank or suppressed), whether it reads without a problem, and half a unit in the last place
    it is written to."""

    def __init__(self, column: str):
        self.column, self.position, self.values = column, {}, []
        self._arrays = None

    def positions(self, texts: list[str]) -> np.ndarray:
        """Where each text's reading is in :meth:`arrays` (new texts are read now)."""
        found = []
        for text in texts:
            at = self.position.get(text)
            if at is None:
                at = self.position[text] = len(self.values)
                self.values.append(_reading(self.column, text))
                self._arrays = None
            found.append(at)
        return np.array(found, dtype=np.int64)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            table = np.array(self.values, dtype=float).reshape(-1, 3)
            self._arrays = table[:, 0], table[:, 1] == 1, table[:, 2]
        return self._arrays


def _reading(column: str, text: str) -> tuple[float, float, float]:
    """(number or NaN, 1 if the cell reads without a problem else 0, half a unit in its last
    written place or NaN)."""
    number, _suppressed, problem = parse_number(column, text)
    if number is None:
        return np.nan, float(problem is None), np.nan
    return number, 1.0, 0.5 * 10.0 ** -places_written(text)


def _blank_or_whole(numbers: np.ndarray) -> np.ndarray:
    return np.isnan(numbers) | (numbers == np.floor(numbers))
