"""Regenerating never overwrites a manager's work, wherever it is (D1, D5); text inputs are Text
cells and carried-forward texts are written as the manager saw them (D3)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from sef_fill import YEAR, copy_forms, demo_forms, destination, fill

from workbooks.sef_generate import generate_forms
from xl_profile.pipeline import quiet
from xl_profile.sef import model

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"
BLUEBELL = "sef-bluebell-children-s-centre.xlsx"


def _edit(path: Path, change) -> bytes:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path.read_bytes()


def _regenerated(folder: Path, year: str = YEAR, **options):
    config, _fresh = demo_forms()
    return generate_forms(config, folder, year, progress=quiet, **options)


EDITS = {
    "text in another cell": lambda b: b[model.SHEET_C].__setitem__("D8", "Evidence, wrong cell"),
    "added sheet": lambda b: b.create_sheet("Evidence notes").__setitem__("A1", "Four pages"),
    "edited label": lambda b: b[model.SHEET_A].__setitem__("A9", "Phase (we are phase 2)"),
    "comment": lambda b: setattr(b[model.SHEET_C]["B8"], "comment",
                                 Comment("Grade pending governors", "Manager")),
    "saved, nothing typed": lambda b: None,
}
REASONS = {"text in another cell": "text outside the form's inputs at 'C Self-evaluation'!D8",
           "added sheet": "sheet(s) added: 'Evidence notes'",
           "edited label": "text outside the form's inputs at 'A Facts'!A9",
           "comment": "comment at 'C Self-evaluation'!B8",
           "saved, nothing typed": "saved since it was generated"}


@pytest.mark.parametrize("edit", list(EDITS))
def test_any_work_outside_the_inputs_keeps_the_form(tmp_path, edit):
    folder = tmp_path / "forms"
    path = copy_forms(folder, LARKSPUR)[0]
    data = _edit(path, EDITS[edit])
    result = _regenerated(folder)
    assert path.read_bytes() == data
    (_kept, reason), = [k for k in result.kept if k[0] == path]
    assert REASONS[edit] in reason
    assert path not in result.written


def test_untouched_forms_are_updated_and_identical_when_nothing_changed(tmp_path):
    from workbooks.sef_form import is_as_generated

    folder = tmp_path / "forms"
    paths = copy_forms(folder)
    before = {p.name: p.read_bytes() for p in paths}
    assert all(is_as_generated(p) for p in paths)
    again = _regenerated(folder)
    assert not again.kept and {p.name: p.read_bytes() for p in paths} == before
    newer = _regenerated(folder, "2009/10")  # new figures and year: a blank form is replaced
    assert not newer.kept and len(newer.written) == len(paths)
    book = openpyxl.load_workbook(folder / LARKSPUR)
    assert book[model.SHEET_IDENTITY]["B4"].value == "2009/10"


def test_a_form_without_fingerprint_is_kept(tmp_path):
    import zipfile

    folder = tmp_path / "forms"
    path = copy_forms(folder, LARKSPUR)[0]
    with zipfile.ZipFile(path, "a") as archive:  # as an earlier xl-profile wrote it
        archive.comment = b""
    data = path.read_bytes()
    result = _regenerated(folder)
    assert path.read_bytes() == data and [k[0] for k in result.kept] == [path]


def test_renamed_form_of_the_centre_is_kept_instead_of_writing_a_blank(tmp_path):
    folder = tmp_path / "forms"
    path = copy_forms(folder, LARKSPUR)[0]
    fill(path, {"A_Manager": "Ana"})
    renamed = path.rename(folder / "Larkspur SEF final.xlsx")
    result = _regenerated(folder)
    assert not (folder / LARKSPUR).exists()
    (kept, reason), = result.kept
    assert kept == renamed and "this centre's 2008/09 form under another file name" in reason
    beside = _regenerated(folder, beside=True)
    assert folder / LARKSPUR in beside.written  # asked for: the new form beside the kept one


@pytest.mark.realclient
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_form_saved_as_ods_or_xls_is_kept_and_named(tmp_path, target):
    from realclient import convert, require_soffice

    require_soffice()
    folder = tmp_path / "forms"
    path = copy_forms(folder, LARKSPUR)[0]
    fill(path, {"A_Manager": "Ana"})
    saved = convert([path], target, tmp_path / "converted")[0]
    path.unlink()
    shutil.copy2(saved, folder)
    result = _regenerated(folder)
    assert not (folder / LARKSPUR).exists()
    (kept, reason), = result.kept
    assert kept.suffix == f".{target}" and "Save As Excel Workbook (.xlsx)" in reason


def test_text_inputs_are_formatted_as_text():
    _config, folder = demo_forms()
    book = openpyxl.load_workbook(folder / LARKSPUR)
    for field in model.FIELDS:
        sheet, cell = destination(book, field.name)
        text = field.kind in (model.Kind.TEXT, model.Kind.LINE)
        assert (book[sheet][cell].number_format == "@") == text, field.name


def test_carry_forward_writes_numbers_and_dates_as_the_manager_saw_them(tmp_path):
    last = tmp_path / "2008-09"
    path = copy_forms(last, LARKSPUR)[0]
    fill(path, {"A_Phase": 1, "A_Manager": 1234567890, "A_OpeningHours": dt.time(9, 0),
                "D_Priorities": dt.datetime(2008, 4, 1)})
    config, _fresh = demo_forms()
    generate_forms(config, tmp_path / "2009-10", "2009/10", carry_forward=last, progress=quiet)
    book = openpyxl.load_workbook(tmp_path / "2009-10" / LARKSPUR)
    found = {name: book[destination(book, name)[0]][destination(book, name)[1]].value
             for name in ("A_Phase", "A_Manager", "A_OpeningHours", "D_Priorities")}
    assert found == {"A_Phase": "1", "A_Manager": "1234567890", "A_OpeningHours": "09:00",
                     "D_Priorities": "01/04/2008"}
