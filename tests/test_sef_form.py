"""The generated SEF: named inputs, protection, validation, identity, print setup and part B."""

from __future__ import annotations

import openpyxl
import pytest

from sef_fill import YEAR, demo_forms, destination
from workbooks.common import slug
from xl_profile.sef import model
from xl_profile.sef.part_b import COLUMNS, figure_rows
from xl_profile.sef.values import read_grade

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"


@pytest.fixture(scope="module")
def book():
    _config, folder = demo_forms()
    workbook = openpyxl.load_workbook(folder / LARKSPUR)
    yield workbook
    workbook.close()


def test_one_form_per_centre_named_by_the_cluster_slug_rule():
    _config, folder = demo_forms()
    names = sorted(p.name for p in folder.glob("*.xlsx"))
    assert len(names) == 12 and LARKSPUR in names
    assert model.form_file_name("Larkspur Children's Centre") == \
        f"sef-{slug('Larkspur Children' + chr(39) + 's Centre')}.xlsx"


def test_every_input_has_a_workbook_name_at_its_home_cell_unlocked(book):
    for field in model.FIELDS:
        sheet, cell = destination(book, field.name)
        assert (sheet, cell) == (field.sheet, field.cell), field.name
        assert book[sheet][cell].protection.locked is False, field.name


def test_every_sheet_is_protected_without_a_password_and_prints_on_a4(book):
    for ws in book.worksheets:
        assert ws.protection.sheet is True and not ws.protection.password, ws.title
        if ws.sheet_state == "visible":
            assert ws.page_setup.paperSize == 9, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title  # one page wide
    assert book[model.SHEET_B]["E7"].protection.locked is True


def test_guidance_on_every_visible_sheet(book):
    for name in (model.SHEET_A, model.SHEET_B, model.SHEET_C, model.SHEET_D):
        assert book[name]["A2"].value and len(book[name]["A2"].value) > 40, name


def test_grade_cells_have_a_1_to_4_drop_down_with_messages(book):
    validations = book[model.SHEET_C].data_validations.dataValidation
    by_cell = {str(v.sqref): v for v in validations}
    for field in model.GRADE_FIELDS:
        rule = by_cell[field.cell]
        assert rule.type == "list" and rule.formula1 == '"1,2,3,4"'
        assert "2 good" in rule.prompt and rule.showErrorMessage and rule.errorStyle in (None, "stop")  # absent means stop
        assert "Please pick a grade" in rule.error


def test_evidence_cells_are_large_and_wrapped(book):
    ws = book[model.SHEET_C]
    for field in model.FIELDS:
        if field.kind is model.Kind.TEXT and field.sheet == model.SHEET_C:
            assert ws[field.cell].alignment.wrap_text
            assert ws.row_dimensions[field.row + 1].height >= 100
    assert ws.column_dimensions["C"].width >= 90


def test_identity_sheet_is_hidden_protected_and_names_the_form(book):
    ws = book[model.SHEET_IDENTITY]
    assert ws.sheet_state == "hidden" and ws.protection.sheet
    values = {name: ws[destination(book, name)[1]].value for name in model.IDENTITY_FIELDS}
    assert values["SEF_CentreCode"] == "CC01" and values["SEF_Year"] == YEAR
    assert values["SEF_FormVersion"] == model.FORM_VERSION and len(values["SEF_PartBHash"]) == 32


def test_part_b_shows_withheld_figures_blank_with_the_reason_and_marks_estimates():
    config, _folder = demo_forms()
    from xl_profile.pipeline import load_inputs, quiet

    profile = load_inputs(config, quiet).profile
    rows = {r[0]: dict(zip(COLUMNS, r)) for r in figure_rows(profile, "CC01")}
    temp = profile.results["TEMP_ACC"].area("CC01")
    assert not temp.shown and rows["TEMP_ACC"]["Centre"] is None
    assert "Centre withheld: 1 of 3 wards suppressed at source" in rows["TEMP_ACC"]["Notes"]
    ni53 = profile.results["NI53"].area("CC01")
    assert ni53.estimated and rows["NI53"]["Centre"] == ni53.value
    assert rows["NI53"]["Notes"].startswith("Centre estimated: apportioned")
    assert rows["NI53"]["Compared with authority"] == "not compared"
    reach = profile.results["REACH_ALL"].area("CC01")
    assert rows["REACH_ALL"]["Centre"] == reach.value
    assert rows["REACH_ALL"]["Figure"] == f"Children aged 0-4 reached ({reach.numerator:,.0f} of " \
                                          f"{reach.denominator:,.0f})"
    assert all(rows[k]["Source"] and rows[k]["Data date"] for k in rows)


def test_part_b_of_the_form_has_volume_from_the_extract(book):
    ws = book[model.SHEET_B]
    codes = {ws.cell(r, 1).value: ws.cell(r, 5).value for r in range(7, ws.max_row + 1)}
    assert codes["VOLUME_ATTENDANCES"] > codes["VOLUME_CHILDREN_SEEN"] > 0


@pytest.mark.parametrize("value, grade, problem", [
    (1, 1, ""), (4.0, 4, ""), ("3", 3, ""), (" 2 - Good ", 2, "text in grade cell"),
    ("satisfactory", 3, "text in grade cell"), ("2 - outstanding", None, "text in grade cell"),
    (2.5, None, "grade not 1-4"), (True, None, "grade not 1-4"), ("", None, "grade missing"),
])
def test_read_grade(value, grade, problem):
    reading = read_grade(value)
    assert (reading.grade, reading.problem) == (grade, problem)


@pytest.mark.parametrize("argv, message", [
    (["sef", "generate", "missing.yaml", "--out", "x"], "Error: missing.yaml: build file not found"),
    (["sef", "generate", "missing.yaml", "--out", "x", "--year", "2008"],
     "Error: --year must be a financial year written as 2008/09; found '2008'"),
    (["sef", "collect", "no-such-folder", "--out", "s.xlsx"],
     "Error: no-such-folder: folder of forms not found (expected a folder holding "
     "sef-<centre>.xlsx files; found no such folder)"),
])
def test_cli_errors_are_one_line(argv, message, capsys, tmp_path, monkeypatch):
    from xl_profile.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    assert capsys.readouterr().err.strip() == message
    assert not (tmp_path / "s.xlsx").exists()


def test_docs_list_every_defined_name_at_its_home_cell():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "sef.md").read_text(encoding="utf-8")
    for field in model.FIELDS:
        assert f"| `{field.name}` | {field.part} | {field.label} | {field.kind.value} | " \
               f"`'{field.sheet}'!{field.cell}` |" in doc
    for name in model.IDENTITY_FIELDS:
        assert f"`{name}`" in doc
