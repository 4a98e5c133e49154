"""SEF round trip: generate for the demo, fill as managers would, save one through LibreOffice,
collect, and compare every value; regenerating keeps filled forms byte-identical."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from sef_fill import (LONG_TEXT, YEAR, copy_forms, demo_forms, destination, expected_text, fill,
                      insert_row_above, manager_values)
from workbooks.sef_generate import generate_forms
from workbooks.sef_collect import collect
from xl_profile.pipeline import quiet
from xl_profile.sef import model
from xl_profile.sef.review import SefProblem

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"  # filled, one grade typed, one blank, row inserted
BLUEBELL = "sef-bluebell-children-s-centre.xlsx"  # filled, then saved by LibreOffice
FOXGLOVE = "sef-foxglove-children-s-centre.xlsx"  # filled, saved by openpyxl


def _larkspur_values() -> dict[str, object]:
    values = manager_values("Larkspur")
    values["C_StaySafe_Grade"] = "2 - good"
    values["C_Leadership_Grade"] = None
    return values


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> dict[str, object]:
    """Every demo form in one folder; three filled as managers would, one via LibreOffice."""
    from realclient import convert, require_soffice

    require_soffice()
    folder = tmp_path_factory.mktemp("sef-filled")
    copy_forms(folder)
    values = {LARKSPUR: _larkspur_values(), BLUEBELL: manager_values("Bluebell"),
              FOXGLOVE: manager_values("Foxglove")}
    for name, form_values in values.items():
        fill(folder / name, form_values)
    insert_row_above(folder / LARKSPUR, model.SHEET_C, 3)
    saved = convert([folder / BLUEBELL], "xlsx", tmp_path_factory.mktemp("libreoffice"))[0]
    shutil.copyfile(saved, folder / BLUEBELL)
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    result = collect(folder, folder.parent / "sef-summary.xlsx")
    return {"folder": folder, "values": values, "result": result, "bytes": before}


def _form(filled, name):
    return next(f for f in filled["result"].summary.forms if f.file == name)


@pytest.mark.realclient
@pytest.mark.parametrize("name", [LARKSPUR, BLUEBELL, FOXGLOVE])
def test_every_value_reads_back_as_written(filled, name):
    form = _form(filled, name)
    for field in model.FIELDS:
        written = filled["values"][name][field.name]
        if field.kind is model.Kind.GRADE:
            expected = 2 if written == "2 - good" else written
            assert form.grades[field.name] == expected, field.name
        else:
            assert form.texts[field.name] == expected_text(written), field.name


@pytest.mark.realclient
def test_long_texts_survive_in_full_through_libreoffice(filled):
    form = _form(filled, BLUEBELL)
    evidence = form.texts["C_BeHealthy_Evidence"]
    assert evidence.endswith(LONG_TEXT) and len(evidence) > 10_000
    assert "£1.50" in evidence and "Père" in evidence and "\n\n" in evidence


@pytest.mark.realclient
def test_libreoffice_copy_keeps_identity_and_part_b(filled):
    form = _form(filled, BLUEBELL)
    assert (form.centre_code, form.year, form.cluster) == ("CC02", YEAR, "North")
    assert form.problems == []
    assert len(form.figures) == len(_form(filled, FOXGLOVE).figures)


@pytest.mark.realclient
def test_typed_grade_blank_grade_and_moved_cells_are_exact_problem_rows(filled):
    problems = [p for p in filled["result"].summary.problems if p.file == LARKSPUR]
    sheet = model.SHEET_C
    assert SefProblem(LARKSPUR, sheet, "B10", "C_StaySafe_Grade", "text in grade cell",
                      "typed '2 - good'; read as 2 (good)") in problems
    assert SefProblem(LARKSPUR, sheet, "B16", "C_Leadership_Grade", "grade missing",
                      "no grade given") in problems
    assert SefProblem(LARKSPUR, sheet, "C9", "C_BeHealthy_Evidence", "named cell moved",
                      f"expected at {sheet}!C8, found at {sheet}!C9 (rows inserted or cells "
                      "moved); read through its name") in problems
    moved = [p for p in problems if p.problem == "named cell moved"]
    assert len(moved) == 2 * len(model.AREAS) and len(problems) == len(moved) + 2


@pytest.mark.realclient
def test_unfilled_forms_are_kept_in_the_summary_with_missing_grades(filled):
    summary = filled["result"].summary
    assert len(summary.forms) == 12 and summary.year == YEAR
    snowdrop = _form(filled, "sef-snowdrop-children-s-centre.xlsx")
    assert set(snowdrop.grades.values()) == {None}
    missing = [p for p in summary.problems if p.file == snowdrop.file]
    assert [p.problem for p in missing] == ["grade missing"] * len(model.AREAS)


@pytest.mark.realclient
def test_summary_texts_sheet_holds_every_text_in_full(filled):
    book = openpyxl.load_workbook(filled["result"].path, read_only=True)
    rows = [r for r in book["Texts"].iter_rows(values_only=True) if r and r[1]]
    book.close()
    by_name: dict[tuple[str, str], str] = {}
    for code, item, text in rows[1:]:  # under the header; a long text continues ('part 2 of 7')
        name = item.rsplit("\n", 1)[1]
        by_name[(code, name)] = by_name.get((code, name), "") + text
    assert any("(part 2 of" in r[1] for r in rows)
    for name, code in ((LARKSPUR, "CC01"), (BLUEBELL, "CC02")):
        for field in model.FIELDS:
            written = filled["values"][name][field.name]
            if field.kind in (model.Kind.TEXT, model.Kind.LINE):
                assert by_name[(code, field.name)] == written
    assert by_name[("CC01", "C_StaySafe_Grade")] == "2 - good"


@pytest.mark.realclient
def test_regenerating_keeps_filled_forms_byte_identical(filled, capsys):
    config, _fresh = demo_forms()
    folder = filled["folder"]
    result = generate_forms(config, folder, YEAR, progress=quiet)
    kept = sorted(p.name for p, _reason in result.kept)
    assert kept == sorted([LARKSPUR, BLUEBELL, FOXGLOVE])
    for name, data in filled["bytes"].items():
        assert (folder / name).read_bytes() == data, name
    beside = generate_forms(config, folder, YEAR, beside=True, progress=quiet)
    assert (folder / "sef-larkspur-children-s-centre-2008-09.xlsx") in beside.written
    assert (folder / LARKSPUR).read_bytes() == filled["bytes"][LARKSPUR]


def test_demo_run_again_keeps_a_filled_form(tmp_path, capsys):
    from xl_profile.cli import main

    assert main(["demo", "--out", str(tmp_path)]) == 0
    form = tmp_path / "sef" / LARKSPUR
    fill(form, {"A_Manager": "Ana Núñez"})
    data = form.read_bytes()
    capsys.readouterr()
    assert main(["demo", "--out", str(tmp_path)]) == 0
    assert form.read_bytes() == data
    assert f"Kept {form}: filled in (2008/09 form); left untouched" in capsys.readouterr().err


def test_carry_forward_copies_part_a_and_d_texts_and_last_year_figures(tmp_path):
    config, _fresh = demo_forms()
    last = tmp_path / "2008-09"
    copy_forms(last, LARKSPUR)
    values = manager_values("Larkspur")
    fill(last / LARKSPUR, values)
    result = generate_forms(config, tmp_path / "2009-10", "2009/10", carry_forward=last,
                            progress=quiet)
    new = tmp_path / "2009-10" / LARKSPUR
    assert new in result.written
    book = openpyxl.load_workbook(new)
    for field in model.FIELDS:
        sheet, cell = destination(book, field.name)
        value = book[sheet][cell].value
        carried = field.part in ("A", "D") and field.kind in (model.Kind.TEXT, model.Kind.LINE)
        assert value == (values[field.name] if carried else None), field.name
    figures = book[model.SHEET_B]
    first = [c.value for c in figures[7]]  # first figure row, under the header on row 6
    assert first[11] == first[4] and first[4] is not None  # last year's figure = that form's
