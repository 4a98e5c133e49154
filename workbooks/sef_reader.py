"""Read SEF workbooks back, fast: defined names from the workbook part, values with calamine.

python-calamine reads cell values (as Excel and LibreOffice saved them, dates as dates) far
faster than openpyxl, but does not expose defined names; those are read from ``xl/workbook.xml``
directly, which is small. Nothing here judges the form: see :mod:`xl_profile.sef.review`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from xl_profile.sef import model
from xl_profile.sef.review import NamedValue, RawForm
from xl_profile.sef.values import read_text

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: What to tell the manager for each format the summary cannot read.
FORMAT_NAMES = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)",
                ".xlsb": "Excel binary (.xlsb)"}
_REFERENCE = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)"
                        r"(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def defined_names(path: Path) -> dict[str, str]:
    """Workbook-level defined names and what they refer to, from the file's workbook part."""
    return names_and_comments(path)[0]


def names_and_comments(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The defined names and the (sheet, cell, text) of every cell comment (a manager's words,
    never dropped), the file opened and its workbook part parsed once (collecting thousands of
    forms reads both of every one)."""
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = {e.get("name", ""): e.text.strip() for e in workbook.iter(f"{_MAIN}definedName")
                 if e.get("localSheetId") is None and e.text}
        # Most forms have no comment part at all: the sheets' relationships are read only
        # when one has.
        noted = any(m.rpartition("/")[2].startswith("comments") for m in members)
        return names, _comments(archive, members, workbook) if noted else []


def _comments(archive: zipfile.ZipFile, members: set[str],
              workbook: ElementTree.Element) -> list[tuple[str, str, str]]:
    found = []
    targets = _relationships(archive, members, "xl/_rels/workbook.xml.rels", "xl/")
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id", ""), ("", ""))[0]
        folder, _, base = part.rpartition("/")
        rels = _relationships(archive, members, f"{folder}/_rels/{base}.rels", folder + "/")
        for target, kind in rels.values():
            if kind.endswith("/comments") and target in members:
                found.extend(_comment_texts(sheet.get("name", ""), archive.read(target)))
    return found


def _relationships(archive: zipfile.ZipFile, members: set[str], rels: str,
                   folder: str) -> dict[str, tuple[str, str]]:
    """Id -> (member path, relationship type) of a part's relationships."""
    if rels not in members:
        return {}
    result = {}
    for rel in ElementTree.fromstring(archive.read(rels)).iter(f"{_PKG}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(folder + target)
        result[rel.get("Id", "")] = (target, rel.get("Type", ""))
    return result


def _comment_texts(sheet: str, data: bytes) -> list[tuple[str, str, str]]:
    root = ElementTree.fromstring(data)
    return [(sheet, c.get("ref", ""), "".join(t.text or "" for t in c.iter(f"{_MAIN}t")))
            for c in root.iter(f"{_MAIN}comment")]


def saved_as(path: Path) -> str:
    """The other format a workbook was saved in ('.xls', '.ods', '.xlsb'), "" for .xlsx or
    anything else: by its first bytes, whatever its name says."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: Excel 97-2003 workbook
        return ".xls"
    if not head.startswith(b"PK"):
        return ""
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "mimetype" in members and b"opendocument.spreadsheet" in archive.read("mimetype"):
                return ".ods"
            return ".xlsb" if "xl/workbook.bin" in members else ""
    except (zipfile.BadZipFile, OSError):
        return ""


def other_format_identity(path: Path) -> tuple[str, str, str]:
    """(centre code, centre name, year) from the Identity sheet of a form saved as .xls, .ods or
    .xlsb (read by position: those formats' defined names are not read); blanks when none."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        try:
            if model.SHEET_IDENTITY not in book.sheet_names:
                return "", "", ""
            rows = book.get_sheet_by_name(model.SHEET_IDENTITY).to_python()
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - calamine errors share no base; no form can be named
        return "", "", ""
    found = {str(r[0]): read_text(r[1]).strip() for r in rows if len(r) > 1}
    return found.get("SEF_CentreCode", ""), found.get("SEF_CentreName", ""), \
        found.get("SEF_Year", "")


@lru_cache(maxsize=4096)  # every form of a year has the same references
def parse_reference(text: str) -> tuple[str, int, int, int, int] | None:
    """'Sheet'!$A$1[:$B$2] as (sheet, first row, first col, last row, last col), 0-based."""
    match = _REFERENCE.match(text.strip())
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    row, col = model.parse_cell(match.group(3) + match.group(4))
    last_row, last_col = (model.parse_cell(match.group(5) + match.group(6))
                          if match.group(5) else (row, col))
    return sheet, row, col, last_row, last_col


def lock_note(path: Path) -> str:
    """A note when Excel's or LibreOffice's lock file says the form is open somewhere."""
    for lock in (path.with_name(f".~lock.{path.name}#"), path.with_name(f"~${path.name}"),
                 path.with_name(f"~${path.name[2:]}")):
        if lock.exists():
            return (f"{lock.name} beside the file says it was open when collected; the last "
                    "saved version was read")
    return ""


def read_form(path: Path) -> RawForm:
    """Read a workbook's names, identity, inputs and part B figures; never raises on bad files."""
    try:
        other = saved_as(path)
        if other:
            return _other_format(path, other)
        names, notes = names_and_comments(path)
        notes = tuple(notes)
        book = CalamineWorkbook.from_path(str(path))
    except PermissionError:
        return RawForm(path.name, unreadable="locked: the file cannot be opened (open in another "
                                             "program, or no permission to read it)")
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError) as exc:
        return RawForm(path.name, unreadable=f"not a readable .xlsx workbook (corrupt or another "
                                             f"format): {type(exc).__name__}: {exc}"[:300])
    except Exception as exc:  # calamine's own errors do not share a base class
        return RawForm(path.name, unreadable=f"corrupt: {type(exc).__name__}: {exc}"[:300])
    try:
        return _read(path, names, book, notes)
    except Exception as exc:  # a damaged sheet part: say so rather than stop the collection
        return RawForm(path.name, unreadable=f"corrupt: {type(exc).__name__}: {exc}"[:300])
    finally:
        book.close()


def _other_format(path: Path, other: str) -> RawForm:
    code, name, year = other_format_identity(path)
    held = f"it holds {name}'s ({code}) {year} form; " if code else ""
    return RawForm(path.name, saved_as=other, unreadable=(
        f"saved as {FORMAT_NAMES[other]}, which cannot be collected: {held}open it and Save As "
        "Excel Workbook (.xlsx), then collect again"))


def _read(path: Path, names: dict[str, str], book: CalamineWorkbook,
          notes: tuple[tuple[str, str, str], ...]) -> RawForm:
    sheets: dict[str, list[list[object]]] = {}
    available = set(book.sheet_names)

    def grid(sheet: str) -> list[list[object]]:
        if sheet not in sheets:
            sheets[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return sheets[sheet]

    values: dict[str, NamedValue] = {}
    figures: list[tuple[object, ...]] = []
    figures_at = None
    named: set[tuple[str, int, int]] = set()
    for name, reference in names.items():
        target = parse_reference(reference)
        if target is None or target[0] not in available:
            values[name] = NamedValue("", None, None)
            continue
        sheet, row, col, last_row, last_col = target
        named.update((sheet, r, c) for r in range(row, last_row + 1)
                     for c in range(col, last_col + 1))
        if name == model.FIGURES_NAME:
            rows, width = grid(sheet), last_col + 1 - col
            figures = [_padded(rows[r][col:last_col + 1] if r < len(rows) else [], width)
                       for r in range(row, last_row + 1)]
            figures_at = (sheet, row, col)
        else:
            values[name] = NamedValue(sheet, row, col, _cell(grid(sheet), row, col))
    others = tuple((sheet, r, c, value) for sheet in book.sheet_names
                   for r, cells in enumerate(grid(sheet)) for c, value in enumerate(cells)
                   if value not in ("", None) and (sheet, r, c) not in named)
    return RawForm(path.name, values, figures, figures_at, open_by=lock_note(path),
                   sheet_names=tuple(book.sheet_names), other_cells=others, comments=notes)


def _padded(cells: list[object], width: int) -> tuple[object, ...]:
    return tuple(cells) + ("",) * (width - len(cells))


def _cell(rows: list[list[object]], row: int, col: int) -> object:
    if row < len(rows) and col < len(rows[row]):
        value = rows[row][col]
        return None if value == "" else value
    return None
