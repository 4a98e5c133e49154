"""Every kind of problem a collected form can have gives one exact row on the Problems sheet,
and no problem removes a form from the summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sef_fill import YEAR, copy_forms, demo_forms, fill
from workbooks.sef_generate import generate_forms
from workbooks.sef_collect import collect
from xl_profile.pipeline import quiet
from xl_profile.sef import model
from xl_profile.sef.review import SefProblem

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"
BLUEBELL = "sef-bluebell-children-s-centre.xlsx"
GRADES = {f.name: 2 for f in model.GRADE_FIELDS}


def _collected(folder: Path):
    result = collect(folder, folder.parent / "summary.xlsx")
    return result.summary


def _one_graded_form(tmp_path: Path, **values: object) -> Path:
    """Larkspur's form with every grade 2, then ``values`` written over it."""
    path = copy_forms(tmp_path / "forms", LARKSPUR)[0]
    fill(path, {**GRADES, **values})
    return path


def test_clean_form_has_no_problem(tmp_path):
    _one_graded_form(tmp_path)
    summary = _collected(tmp_path / "forms")
    assert summary.problems == [] and len(summary.forms) == 1


@pytest.mark.parametrize("value, problem, detail", [
    (None, "grade missing", "no grade given"),
    (5, "grade not 1-4", "found 5; expected 1, 2, 3 or 4"),
    ("0", "grade not 1-4", "found 0; expected 1, 2, 3 or 4"),
    ("very good", "text in grade cell",
     "typed 'very good'; not read as a grade (expected 1, 2, 3 or 4)"),
    ("Outstanding", "text in grade cell", "typed 'Outstanding'; read as 1 (outstanding)"),
])
def test_grade_problems(tmp_path, value, problem, detail):
    _one_graded_form(tmp_path, C_Leadership_Grade=value)
    summary = _collected(tmp_path / "forms")
    assert summary.problems == [SefProblem(LARKSPUR, model.SHEET_C, "B15", "C_Leadership_Grade",
                                           problem, detail)]
    assert len(summary.forms) == 1


def test_changed_protected_figure(tmp_path):
    path = _one_graded_form(tmp_path)
    book = openpyxl.load_workbook(path)
    book[model.SHEET_B]["E8"] = 99.9  # second figure row, the centre's value
    book.save(path)
    summary = _collected(tmp_path / "forms")
    assert summary.problems == [SefProblem(
        LARKSPUR, model.SHEET_B, "A8:O8", "B_Figures", "protected figure changed",
        "row 8 (NI55) differs from the figures the form was made with; the summary shows the "
        "form's figures as found")]


def test_rows_inserted_among_the_figures(tmp_path):
    path = _one_graded_form(tmp_path)
    book = openpyxl.load_workbook(path)
    book[model.SHEET_B].insert_rows(9)
    reference = book.defined_names["B_Figures"].attr_text
    start, end = reference.split(":")
    last = int(end.rsplit("$", 1)[1])
    book.defined_names["B_Figures"].attr_text = f"{start}:{end.rsplit('$', 1)[0]}${last + 1}"
    book.save(path)
    summary = _collected(tmp_path / "forms")
    rows = len(summary.forms[0].figures)
    assert summary.problems == [SefProblem(
        LARKSPUR, model.SHEET_B, f"A7:O{6 + rows}", "B_Figures", "protected figure changed",
        f"part B has {rows} rows where the form was made with {rows - 1}: rows inserted or "
        "deleted among the figures")]


def test_deleted_defined_name(tmp_path):
    path = _one_graded_form(tmp_path)
    book = openpyxl.load_workbook(path)
    del book.defined_names["A_Staffing"]
    book.save(path)
    summary = _collected(tmp_path / "forms")
    assert summary.problems == [SefProblem(
        LARKSPUR, model.SHEET_A, "B14", "A_Staffing", "named cell missing",
        "the defined name was deleted or its cell removed; nothing could be read for it")]


def test_form_of_another_year(tmp_path):
    config, _fresh = demo_forms()
    folder = tmp_path / "forms"
    for path in copy_forms(folder, LARKSPUR, BLUEBELL):
        fill(path, GRADES)
    old = tmp_path / "old"
    generate_forms(config, old, "2007/08", progress=quiet)
    shutil.copy2(old / "sef-foxglove-children-s-centre.xlsx", folder)
    fill(folder / "sef-foxglove-children-s-centre.xlsx", GRADES)
    summary = _collected(folder)
    assert summary.problems == [SefProblem(
        "sef-foxglove-children-s-centre.xlsx", "Identity", "B4", "SEF_Year",
        "form of another year", f"form is for 2007/08; collecting {YEAR}")]
    assert len(summary.forms) == 3


def test_form_of_another_centre_and_a_copy(tmp_path):
    folder = tmp_path / "forms"
    bluebell = copy_forms(folder, BLUEBELL)[0]
    fill(bluebell, GRADES)
    shutil.copy2(bluebell, folder / LARKSPUR)  # Bluebell's form saved under Larkspur's name
    summary = _collected(folder)
    assert summary.problems == [
        SefProblem(LARKSPUR, "Identity", "B1", "SEF_CentreCode", "form of another centre",
                   "the file name is not this centre's; the form is Bluebell Children's "
                   "Centre's (CC02)"),
        SefProblem(LARKSPUR, "Identity", "B1", "SEF_CentreCode",
                   "another copy of this centre's form",
                   f"{BLUEBELL} is also the {YEAR} form of Bluebell Children's Centre (CC02); "
                   f"the summary takes {BLUEBELL} (it is under the centre's own file name) as "
                   "the centre's form; both are kept")]
    assert sorted(f.file for f in summary.forms) == [BLUEBELL, LARKSPUR]


def test_file_that_is_not_a_sef(tmp_path):
    folder = tmp_path / "forms"
    _one_graded_form(tmp_path)
    book = openpyxl.Workbook()
    book.active["A1"] = "Budget 2008/09"
    book.save(folder / "budget.xlsx")
    summary = _collected(folder)
    assert summary.problems == [SefProblem(
        "budget.xlsx", "", "", "SEF_CentreCode", "not a SEF",
        "no form identity (defined names SEF_CentreCode and SEF_Year) and no form inputs; the "
        "file was not made by 'xl-profile sef generate'")]
    assert len(summary.forms) == 1


def test_form_whose_identity_sheet_was_deleted_is_kept(tmp_path):
    path = _one_graded_form(tmp_path, A_Manager="Ana Núñez")
    book = openpyxl.load_workbook(path)
    del book[model.SHEET_IDENTITY]
    for name in model.IDENTITY_FIELDS:
        del book.defined_names[name]
    book.save(path)
    summary = _collected(path.parent)
    assert summary.problems == [SefProblem(
        LARKSPUR, "Identity", "", "SEF_CentreCode", "form identity missing",
        "the hidden Identity sheet or its names were removed: centre, year and part B cannot "
        "be checked; the inputs were read through their names")]
    assert summary.forms[0].texts["A_Manager"] == "Ana Núñez"
    assert summary.forms[0].grades == GRADES


def test_corrupt_file(tmp_path):
    folder = tmp_path / "forms"
    _one_graded_form(tmp_path)
    (folder / "sef-teasel-children-s-centre.xlsx").write_bytes(b"PK\x03\x04 truncated")
    summary = _collected(folder)
    assert summary.problems == [SefProblem(
        "sef-teasel-children-s-centre.xlsx", "", "", "", "file cannot be read",
        "not a readable .xlsx workbook (corrupt or another format): BadZipFile: File is not a "
        "zip file")]


def test_form_open_in_another_program(tmp_path):
    path = _one_graded_form(tmp_path)
    (path.parent / f".~lock.{path.name}#").write_text("manager,pc,2008-05-01;", encoding="utf-8")
    summary = _collected(path.parent)
    assert summary.problems == [SefProblem(
        LARKSPUR, "", "", "", "file open or locked",
        f".~lock.{LARKSPUR}# beside the file says it was open when collected; the last saved "
        "version was read")]
    assert len(summary.forms) == 1


def test_file_locked_by_another_program(tmp_path, monkeypatch):
    """Windows refuses to open a file another program holds open; the reader says so."""
    from workbooks import sef_reader

    path = _one_graded_form(tmp_path)
    shutil.copy2(path, path.parent / BLUEBELL)
    real = sef_reader.names_and_comments

    def held_open(target: Path):
        if target.name == BLUEBELL:
            raise PermissionError(13, "Permission denied", str(target))
        return real(target)

    monkeypatch.setattr(sef_reader, "names_and_comments", held_open)
    summary = _collected(path.parent)
    assert summary.problems == [SefProblem(
        BLUEBELL, "", "", "", "file cannot be read",
        "locked: the file cannot be opened (open in another program, or no permission to read "
        "it)")]
    assert [f.file for f in summary.forms] == [LARKSPUR]
