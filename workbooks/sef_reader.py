"""Read SEF workbooks back, fast: defined names from the workbook part, values with calamine.

python-calamine reads cell values (as Excel and LibreOffice saved them, dates as dates) far
faster than openpyxl, but does not expose defined names; those are read from ``xl/workbook.xml``
directly, which is small. Nothing here judges the form: see :mod:`xl_profile.sef.review`.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from xl_profile.sef import model
from xl_profile.sef.review import NamedValue, RawForm

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REFERENCE = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)"
                        r"(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def defined_names(path: Path) -> dict[str, str]:
    """Workbook-level defined names and what they refer to, from the file's workbook part."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("xl/workbook.xml")
    root = ElementTree.fromstring(data)
    names = {}
    for element in root.iter(f"{_MAIN}definedName"):
        if element.get("localSheetId") is None and element.text:
            names[element.get("name", "")] = element.text.strip()
    return names


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
        names = defined_names(path)
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
        return _read(path, names, book)
    except Exception as exc:  # a damaged sheet part: say so rather than stop the collection
        return RawForm(path.name, unreadable=f"corrupt: {type(exc).__name__}: {exc}"[:300])
    finally:
        book.close()


def _read(path: Path, names: dict[str, str], book: CalamineWorkbook) -> RawForm:
    sheets: dict[str, list[list[object]]] = {}
    available = set(book.sheet_names)

    def grid(sheet: str) -> list[list[object]]:
        if sheet not in sheets:
            sheets[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return sheets[sheet]

    values: dict[str, NamedValue] = {}
    figures: list[tuple[object, ...]] = []
    figures_at = None
    for name, reference in names.items():
        target = parse_reference(reference)
        if target is None or target[0] not in available:
            values[name] = NamedValue("", None, None)
            continue
        sheet, row, col, last_row, last_col = target
        if name == model.FIGURES_NAME:
            rows, width = grid(sheet), last_col + 1 - col
            figures = [_padded(rows[r][col:last_col + 1] if r < len(rows) else [], width)
                       for r in range(row, last_row + 1)]
            figures_at = (sheet, row, col)
        else:
            values[name] = NamedValue(sheet, row, col, _cell(grid(sheet), row, col))
    return RawForm(path.name, values, figures, figures_at, open_by=lock_note(path))


def _padded(cells: list[object], width: int) -> tuple[object, ...]:
    return tuple(cells) + ("",) * (width - len(cells))


def _cell(rows: list[list[object]], row: int, col: int) -> object:
    if row < len(rows) and col < len(rows[row]):
        value = rows[row][col]
        return None if value == "" else value
    return None
