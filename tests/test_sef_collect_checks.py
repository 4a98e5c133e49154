"""Collecting: text outside the inputs (D2), numbers and dates in text cells (D3), .xls/.ods
(D4), which copy of a centre's form counts (D5, D6), a safe --out (D7), full-width grades."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sef_fill import YEAR, copy_forms, fill

from workbooks.sef_collect import collect
from xl_profile.errors import OutputError
from xl_profile.sef import model
from xl_profile.sef.review import SefProblem
from xl_profile.sef.values import read_grade

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"
GRADES = {f.name: 2 for f in model.GRADE_FIELDS}


def _collected(folder: Path, **options):
    return collect(folder, folder.parent / "summary.xlsx", **options).summary


def _graded(tmp_path: Path, **values: object) -> Path:
    path = copy_forms(tmp_path / "forms", LARKSPUR)[0]
    fill(path, {**GRADES, **values})
    return path


def test_text_outside_the_inputs_is_listed_not_dropped(tmp_path):
    path = _graded(tmp_path)
    book = openpyxl.load_workbook(path)
    book[model.SHEET_C]["D8"] = "Evidence typed one column to the right"
    book.create_sheet("My notes")["A1"] = "x" * 150
    book[model.SHEET_C]["B8"].comment = openpyxl.comments.Comment("Pending governors", "M")
    book.save(path)
    problems = _collected(path.parent).problems
    assert problems == [
        SefProblem(LARKSPUR, model.SHEET_C, "D8", "", "text outside the form's inputs",
                   "'Evidence typed one column to the right' (not read into the summary)"),
        SefProblem(LARKSPUR, "My notes", "A1", "", "text outside the form's inputs",
                   repr("x" * 100 + "…") + " (not read into the summary)"),
        SefProblem(LARKSPUR, model.SHEET_C, "B8", "", "comment in the form",
                   "'Pending governors' (not read into the summary)")]


def test_numbers_and_dates_in_text_cells_read_as_shown_with_a_problem(tmp_path):
    path = _graded(tmp_path, C_EnjoyAchieve_Evidence=dt.datetime(2008, 4, 1),
                   A_OpeningHours=dt.time(9, 0), A_Manager=1234567890, A_Phase=1.0)
    summary = _collected(path.parent)
    texts = summary.forms[0].texts
    assert (texts["C_EnjoyAchieve_Evidence"], texts["A_OpeningHours"], texts["A_Manager"],
            texts["A_Phase"]) == ("01/04/2008", "09:00", "1234567890", "1")
    flagged = {(p.cell, p.name) for p in summary.problems
               if p.problem == "number or date in a text cell"}
    assert flagged == {("C10", "C_EnjoyAchieve_Evidence"), ("B13", "A_OpeningHours"),
                       ("B10", "A_Manager"), ("B9", "A_Phase")}


def test_xls_and_ods_files_get_a_clear_problem(tmp_path):
    path = _graded(tmp_path)
    (path.parent / "sef-teasel-children-s-centre.xls").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with zipfile.ZipFile(path.parent / "sef-sorrel-children-s-centre.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    problems = _collected(path.parent).problems
    assert [(p.file, p.problem) for p in problems] == [
        ("sef-sorrel-children-s-centre.ods", "saved as .ods"),
        ("sef-teasel-children-s-centre.xls", "saved as .xls")]
    assert all("open it and Save As Excel Workbook (.xlsx)" in p.detail for p in problems)
    assert "BadZipFile" not in problems[1].detail


def test_filled_form_is_taken_over_a_blank_one_of_the_same_centre(tmp_path):
    blank = copy_forms(tmp_path / "forms", LARKSPUR)[0]
    filled = blank.parent / "Larkspur final.xlsx"
    shutil.copy2(blank, filled)
    fill(filled, {**GRADES, "A_Manager": "Ana"})
    problems = _collected(blank.parent).problems
    copies = [p for p in problems if p.problem == "another copy of this centre's form"]
    assert copies == [SefProblem(
        LARKSPUR, model.SHEET_IDENTITY, "B1", "SEF_CentreCode",
        "another copy of this centre's form",
        f"Larkspur final.xlsx is also the {YEAR} form of Larkspur Children's Centre (CC01); the "
        "summary takes Larkspur final.xlsx (it has entries; the other is blank) as the centre's "
        "form; both are kept")]


def test_changes_and_problems_agree_on_the_centres_form(tmp_path):
    first = _graded(tmp_path / "last")
    previous = collect(first.parent, tmp_path / "last.xlsx").path
    own = _graded(tmp_path, **{f.name: 1 for f in model.GRADE_FIELDS})
    draft = own.parent / "sef-larkspur-children-s-centre (2).xlsx"
    shutil.copy2(own, draft)
    fill(draft, {f.name: 4 for f in model.GRADE_FIELDS})
    summary = _collected(own.parent, previous=previous)
    copy, = [p for p in summary.problems if p.problem.startswith("another copy")]
    assert copy.file == draft.name and copy.detail.startswith(f"{LARKSPUR} is also")
    assert {row[5] for row in summary.changes} == {1}  # the original's grades, not the draft's


def test_out_that_is_a_form_or_inside_the_forms_folder_is_refused(tmp_path):
    path = _graded(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = Path(shutil.copy2(path, elsewhere / "filled.xlsx"))
    data = other.read_bytes()
    with pytest.raises(OutputError, match="not a SEF summary written by xl-profile"):
        collect(path.parent, other)
    assert other.read_bytes() == data
    with pytest.raises(OutputError, match="inside the folder of forms"):
        collect(path.parent, path.parent / "sef-summary.xlsx")
    summary = collect(path.parent, tmp_path / "summary.xlsx").path
    collect(path.parent, summary)  # an earlier summary may be replaced


def test_full_width_digit_grade_is_read():
    assert read_grade("２").grade == 2 and read_grade("２").problem == ""
