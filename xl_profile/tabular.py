"""Read CSV or XLSX tables as text rows that remember where they came from.

Every row keeps its spreadsheet row number (the header is row 1) so that problems can be reported as
an analyst would look for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem

ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Table:
    """A table read from a file: header and text rows keyed by header name."""

    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def problem(self, row: int | None, column: str | None, message: str, expected: str = "",
                found: str = "") -> Problem:
        """A Problem located in this table."""
        return Problem(self.file, row, column, message, expected, found, self.sheet)

    def require_columns(self, required: list[str]) -> list[Problem]:
        """One problem per required column missing from the header."""
        return [self.problem(1, col, f"missing column {col!r}", expected=", ".join(required),
                             found=", ".join(self.header) or "(empty header)")
                for col in required if col not in self.header]


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a CSV (utf-8, utf-8-sig or cp1252) or XLSX sheet into a :class:`Table`.

    Raises:
        InputError: the file is missing, empty, not a table, or not in a supported encoding.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(str(path), None, None, "file not found"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    return _read_csv(path)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InputError(Problem(str(path), None, None, "file is not readable text",
                                 expected="CSV in utf-8, utf-8-sig or cp1252",
                                 found="UTF-16 or binary data (NUL bytes)"))
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    bad = data[last.start:last.start + 1].hex()
    line = data[:last.start].count(b"\n") + 1
    raise InputError(Problem(str(path), line, None, "file is not in a supported encoding",
                             expected="utf-8, utf-8-sig or cp1252", found=f"byte 0x{bad}"))


def _read_csv(path: Path) -> Table:
    text = _decode(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(Problem(str(path), 1, None, "file is empty", expected="a header row",
                                 found="nothing")) from None
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        padded = cells + [""] * (len(header) - len(cells))
        rows.append((number, {h: padded[i].strip() for i, h in enumerate(header) if h}))
    return Table(str(path), None, header, rows)


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


def _read_xlsx(path: Path, sheet: str | None) -> Table:
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
        rows = []
        for number, cells in enumerate(values, start=2):
            texts = [_cell_text(c) for c in cells][: len(header)]
            if not any(texts):
                continue
            texts += [""] * (len(header) - len(texts))
            rows.append((number, {h: texts[i] for i, h in enumerate(header) if h}))
        return Table(str(path), ws.title, header, rows)
    finally:
        book.close()
