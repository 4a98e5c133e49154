"""Fill SEF forms as a manager would, with openpyxl, and move cells as Excel would."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import openpyxl

from xl_profile.config import BuildConfig, load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import quiet
from xl_profile.sef import model

YEAR = "2008/09"

LONG_TEXT = ("Our Stay and Play sessions cost families nothing; the café charges £1.50.\n"
             "Fathers' group (Père et fils) met 42 times — see the register.\n"
             "Naïve targets were revised: «objectif» 60% ≥ last year's. 日本語 too.\n\n") * 60


def destination(book: openpyxl.Workbook, name: str) -> tuple[str, str]:
    """(sheet, 'B8') of a workbook-level defined name."""
    sheet, coordinate = next(iter(book.defined_names[name].destinations))
    return sheet, coordinate.replace("$", "")


def manager_values(centre: str) -> dict[str, object]:
    """A full set of inputs for one centre: texts with £, accents and line breaks; grades 1-4."""
    values: dict[str, object] = {}
    for i, field in enumerate(model.FIELDS):
        if field.kind is model.Kind.GRADE:
            values[field.name] = 1 + i % 4
        elif field.kind is model.Kind.DATE:
            values[field.name] = dt.date(2008, 5, 1 + i % 28)
        elif field.kind is model.Kind.LINE:
            values[field.name] = f"{centre}: {field.label} — Zoë Brontë, £0"
        else:
            values[field.name] = f"{centre} {field.label}\n" + LONG_TEXT
    return values


def fill(path: Path, values: dict[str, object]) -> None:
    """Write ``values`` into the named cells of the form at ``path`` and save it."""
    book = openpyxl.load_workbook(path)
    for name, value in values.items():
        sheet, coordinate = destination(book, name)
        book[sheet][coordinate].value = value
    book.save(path)


def insert_row_above(path: Path, sheet_name: str, row: int) -> None:
    """Insert a row at ``row`` (1-based) and shift the defined names below it, as Excel does."""
    book = openpyxl.load_workbook(path)
    book[sheet_name].insert_rows(row)
    for name, defined in list(book.defined_names.items()):
        defined.attr_text = _shifted(defined.attr_text, sheet_name, row)
    book.save(path)


def _shifted(reference: str, sheet_name: str, at: int) -> str:
    quoted = "'" + sheet_name.replace("'", "''") + "'!"
    if not (reference.startswith(quoted) or reference.startswith(sheet_name + "!")):
        return reference

    def move(match: re.Match[str]) -> str:
        number = int(match.group(2))
        return f"{match.group(1)}{number + 1 if number >= at else number}"

    head, _, cells = reference.partition("!")
    return head + "!" + re.sub(r"(\$[A-Z]+\$)(\d+)", move, cells)


@lru_cache(maxsize=None)
def demo_forms() -> tuple[BuildConfig, Path]:
    """The demo's build file and its fresh 2008/09 forms, generated once per test session."""
    from workbooks.sef_generate import generate_forms

    base = Path(tempfile.mkdtemp(prefix="sef-demo-"))
    config = load_config(write_demo_inputs(base / "data"))
    generate_forms(config, base / "forms", YEAR, progress=quiet)
    return config, base / "forms"


def copy_forms(target: Path, *names: str) -> list[Path]:
    """Copies of the fresh demo forms (all, or those named) in ``target``."""
    _config, source = demo_forms()
    target.mkdir(parents=True, exist_ok=True)
    paths = sorted(source.glob("sef-*.xlsx")) if not names else [source / n for n in names]
    return [Path(shutil.copy2(p, target / p.name)) for p in paths]


def expected_text(value: object) -> object:
    """What reading back should give for a value written with openpyxl."""
    return value.isoformat() if isinstance(value, dt.date) else value
