"""Read CSV or XLSX tables as text rows that remember where they came from.

Every row keeps its spreadsheet row number (the header is row 1) so that problems can be reported as
an analyst would look for them. :func:`open_table` streams rows (constant memory for any file size);
:func:`read_table` reads them all.

A CSV must be well formed: every quote closed, every row with as many cells as the header, no cell
longer than :data:`MAX_CELL_CHARS`. A row that breaks these rules is reported with its row number,
never padded, cut or merged into the next; after a quote that is never closed nothing further is
read, as the rest of the file cannot be trusted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem

ENCODINGS = ("utf-8-sig", "cp1252")
#: Longest cell accepted: Excel's limit for the text of one cell.
MAX_CELL_CHARS = 32_767
_CHUNK = 1 << 20


class _Located:
    file: str
    sheet: str | None
    header: list[str]

    def problem(self, row: int | None, column: str | None, message: str, expected: str = "",
                found: str = "") -> Problem:
        """A Problem located in this table."""
        return Problem(self.file, row, column, message, expected, found, self.sheet)

    def require_columns(self, required: list[str]) -> list[Problem]:
        """One problem per required column missing from the header."""
        return [self.problem(1, col, f"missing column {col!r}", expected=", ".join(required),
                             found=", ".join(self.header) or "(empty header)")
                for col in required if col not in self.header]


@dataclass(frozen=True)
class Table(_Located):
    """A table read from a file: header and text rows keyed by header name."""

    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class TableStream(_Located):
    """A table being read: its header, an iterator over ``(row number, row)`` and the problems
    with the file's structure (ragged rows, unbalanced quotes) found so far while iterating."""

    file: str
    sheet: str | None
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]] = field(default_factory=lambda: iter(()))
    problems: list[Problem] = field(default_factory=list)
    #: A CSV's open file, positioned after the header until ``rows`` or ``text_blocks`` reads on.
    handle: io.TextIOBase | None = None
    #: Lines the header took (a quoted heading may hold a line break).
    header_lines: int = 1
    single_line_rows: bool = False
    #: Rows with no text in any cell, skipped (and counted, so that a reader can say so).
    blank_rows: int = 0

    def text_blocks(self, size: int = 1 << 22) -> Iterator[str]:
        """The rest of a CSV as text in blocks of about ``size`` characters, each ending at a
        line break (the last at the end of the file); an alternative to ``rows``, not both."""
        while block := self.handle.read(size):
            if not block.endswith("\n"):  # a block ending in "\r" may split a "\r\n"
                block += self.handle.readline()
            yield block

    def rows_from(self, text: str, number: int, line: int) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of ``text`` and everything after it in the file, read and checked as
        ``rows`` reads them; ``text`` starts row ``number`` on line ``line`` of the file."""
        lines = itertools.chain(io.StringIO(text, newline=""), self.handle)
        return _csv_rows(self, csv.reader(lines, strict=True), self.single_line_rows,
                         number - 1, line - 1)


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a CSV (utf-8, utf-8-sig or cp1252) or XLSX sheet into a :class:`Table`.

    Raises:
        InputError: the file is missing, empty, not a table, not in a supported encoding, or
            badly formed (a quote never closed, a row with more or fewer cells than the header).
    """
    with open_table(path, sheet) as stream:
        rows = list(stream.rows)
        if stream.problems:
            raise InputError(stream.problems)
        return Table(stream.file, stream.sheet, stream.header, rows)


@contextmanager
def open_table(path: str | Path, sheet: str | None = None, *,
               single_line_rows: bool = False) -> Iterator[TableStream]:
    """Open a CSV or XLSX sheet for streaming; structural problems go to ``stream.problems``.

    Args:
        single_line_rows: report a CSV row whose quoted cell runs over several lines (in a file
            that never needs line breaks in a cell, this is a quote opened by mistake).

    Raises:
        InputError: the file is missing, empty, unreadable or not in a supported encoding.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(_not_a_file(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        with _open_xlsx(path, sheet) as stream:
            yield stream
        return
    encoding = _check_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        yield _csv_stream(path, handle, single_line_rows)


def _not_a_file(path: Path) -> Problem:
    if path.is_dir():
        return Problem(str(path), None, None, "not a file",
                       expected="a CSV or XLSX file", found="a folder")
    return Problem(str(path), None, None, "file not found")


def _check_encoding(path: Path) -> str:
    """The first of :data:`ENCODINGS` that decodes the whole file, read in chunks."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise InputError(Problem(str(path), None, None, "file is not readable text",
                                 expected="CSV in utf-8, utf-8-sig or cp1252",
                                 found="UTF-16 or binary data (NUL bytes)"))
    for encoding in ENCODINGS:
        if _decodes(path, encoding):
            return encoding
    data = path.read_bytes()  # only to say where the bad byte is
    try:
        data.decode(ENCODINGS[-1])
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(Problem(str(path), line, None, "file is not in a supported encoding",
                                 expected="utf-8, utf-8-sig or cp1252",
                                 found=f"byte 0x{bad}")) from None
    return ENCODINGS[-1]


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_stream(path: Path, handle, single_line_rows: bool) -> TableStream:
    reader = csv.reader(handle, strict=True)
    stream = TableStream(str(path), None, [])
    try:
        first = next(reader)
    except StopIteration:
        raise InputError(Problem(str(path), 1, None, "file is empty", expected="a header row",
                                 found="nothing")) from None
    except csv.Error as exc:
        raise InputError(_csv_error(stream, 1, 1, 0, exc)) from None
    stream.header = [h.strip() for h in first]
    stream.problems += _header_problems(stream)
    stream.handle, stream.header_lines = handle, reader.line_num
    stream.single_line_rows = single_line_rows
    stream.rows = _csv_rows(stream, reader, single_line_rows, 1, 0)
    return stream


def _header_problems(stream: TableStream) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in stream.header:
        if name and name in seen:
            problems.append(stream.problem(1, name, "column heading appears more than once",
                                           expected="each heading once", found=name))
        seen.add(name)
    return problems


def _csv_rows(stream: TableStream, reader, single_line_rows: bool, number: int,
              line_offset: int) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows after row ``number``; the reader starts after line ``line_offset`` of the file."""
    width, last_line = len(stream.header), line_offset + reader.line_num
    named = [(i, h) for i, h in enumerate(stream.header) if h]
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            stream.problems.append(_csv_error(stream, number, last_line + 1,
                                              line_offset + reader.line_num, exc))
            return  # the rest of the file cannot be trusted
        first_line, last_line = last_line + 1, line_offset + reader.line_num
        problem = _row_problem(stream, number, cells, width, first_line, last_line,
                               single_line_rows)
        if problem is not None:
            stream.problems.append(problem)
        elif any(c.strip() for c in cells):
            yield number, {h: cells[i].strip() for i, h in named}
        else:
            stream.blank_rows += 1


def _row_problem(stream: TableStream, number: int, cells: list[str], width: int,
                 first_line: int, last_line: int, single_line_rows: bool) -> Problem | None:
    if single_line_rows and last_line > first_line:
        return stream.problem(number, None, "a quoted cell runs over more than one line "
                              "(is a quote unbalanced?)", expected="each row on one line",
                              found=f"lines {first_line} to {last_line}")
    if len(cells) != width and any(c.strip() for c in cells):
        return stream.problem(number, None, "row has a different number of cells from the header",
                              expected=f"{width} cells, as in the header",
                              found=f"{len(cells)} cells")
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            column = stream.header[i] if i < width else None
            return stream.problem(number, column, "cell too long",
                                  expected=f"at most {MAX_CELL_CHARS:,} characters",
                                  found=f"{len(cell):,} characters")
    return None


def _csv_error(stream: TableStream, number: int, first_line: int, line: int,
               exc: csv.Error) -> Problem:
    """A located problem for a row the csv module cannot parse; nothing after it is read."""
    text = str(exc)
    if "end of data" in text or ("field limit" in text and line > first_line):
        return stream.problem(number, None, "unbalanced quote: a quoted cell is never closed "
                              "(rest of file not read)", expected='a closing " in the same row',
                              found=f"quote opened on line {first_line}, still open at line {line}")
    if "field limit" in text:
        return stream.problem(number, None, "cell too long (rest of file not read)",
                              expected=f"at most {MAX_CELL_CHARS:,} characters",
                              found=f"over {csv.field_size_limit():,} characters")
    if "expected after" in text:
        return stream.problem(number, None, "unbalanced quote: text follows a closing quote "
                              "(rest of file not read)",
                              expected='" then a comma or the end of the line',
                              found=f"line {line}: {text}")
    return stream.problem(number, None, "not a readable CSV row (rest of file not read)",
                          expected="comma-separated cells", found=f"line {line}: {text}")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@contextmanager
def _open_xlsx(path: Path, sheet: str | None) -> Iterator[TableStream]:
    import openpyxl  # imported here: only XLSX input needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(Problem(str(path), None, None, "cannot open as an XLSX workbook",
                                 expected="an .xlsx file", found=type(exc).__name__)) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(Problem(str(path), None, None, f"no sheet named {sheet!r}",
                                     expected=", ".join(book.sheetnames), found=sheet))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = ws.iter_rows(values_only=True)
        header = [_cell_text(h) for h in next(values, ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise InputError(Problem(str(path), 1, None, "sheet is empty", expected="a header row",
                                     found="nothing", sheet=ws.title))
        stream = TableStream(str(path), ws.title, header)
        stream.problems += _header_problems(stream)
        stream.rows = _xlsx_rows(stream, values)
        yield stream
    finally:
        book.close()


def _xlsx_rows(stream: TableStream, values) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(stream.header)
    named = [(i, h) for i, h in enumerate(stream.header) if h]
    for number, cells in enumerate(values, start=2):
        texts = [_cell_text(c) for c in cells]
        beyond = next((t for t in texts[width:] if t), None)
        if beyond is not None:
            stream.problems.append(stream.problem(
                number, None, "cell to the right of the table (no column heading)",
                expected=f"cells only under the {width} headings", found=beyond))
            continue
        if not any(texts):
            stream.blank_rows += 1
            continue
        texts += [""] * (width - len(texts))
        yield number, {h: texts[i] for i, h in named}
