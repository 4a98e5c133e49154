"""The authority's SEF summary: opens in LibreOffice without error values, shows grades as a
heat map with numbers, and lists what changed since the previous summary."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sef_fill import copy_forms, fill, manager_values
from workbooks.sef_collect import collect
from xl_profile.sef import model

LARKSPUR = "sef-larkspur-children-s-centre.xlsx"
BLUEBELL = "sef-bluebell-children-s-centre.xlsx"


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sef-summary") / "forms"
    copy_forms(folder)
    fill(folder / LARKSPUR, manager_values("Larkspur"))
    fill(folder / BLUEBELL, {**manager_values("Bluebell"), "C_StaySafe_Grade": "2 - good"})
    _text_starting_with_equals(folder / BLUEBELL)
    result = collect(folder, folder.parent / "sef-summary.xlsx")
    return result.path


def _text_starting_with_equals(path: Path) -> None:
    """As typed in Excel after an apostrophe: text, not a formula."""
    book = openpyxl.load_workbook(path)
    cell = book[model.SHEET_C][model.FIELDS_BY_NAME["C_BeHealthy_Evidence"].cell]
    cell.value = "=SUM(A1:A9) is how we count; +44 20"
    cell.data_type = "s"
    book.save(path)


def test_summary_sheets_and_grade_heat_map(collected):
    book = openpyxl.load_workbook(collected)
    assert book.sheetnames == ["Grades", "Texts", "Key figures", "Changes", "Problems"]
    grades = book["Grades"]
    rows = list(grades.iter_rows(values_only=True))
    keys = next(r for r in rows if r[2] == "centre code")
    assert list(keys[3:12]) == [f.name for f in model.GRADE_FIELDS]
    larkspur = next(r for r in rows if r[2] == "CC01")
    assert list(larkspur[3:12]) == [manager_values("x")[f.name] for f in model.GRADE_FIELDS]
    cell = next(c for c in grades[rows.index(larkspur) + 1] if c.value == 1)
    assert cell.fill.fgColor.rgb.endswith("1E7B34")  # colour and the number itself
    snowdrop = next(r for r in rows if r[2] == "CC09")
    assert set(snowdrop[3:12]) == {"missing"}


def test_formula_like_text_stays_text(collected):
    book = openpyxl.load_workbook(collected)
    texts = [r for r in book["Texts"].iter_rows(values_only=True)
             if r[1] and r[1].endswith("\nC_BeHealthy_Evidence")]
    assert ("CC02", "=SUM(A1:A9) is how we count; +44 20") in {(r[0], r[2]) for r in texts}
    assert all(c.data_type == "s" for row in book["Texts"].iter_rows() for c in row if c.value)


def test_key_figures_by_centre(collected):
    book = openpyxl.load_workbook(collected)
    rows = list(book["Key figures"].iter_rows(values_only=True))
    keys = next(r for r in rows if r[2] == "centre code")
    larkspur = dict(zip(keys, next(r for r in rows if r[2] == "CC01")))
    from sef_fill import demo_forms
    from xl_profile.pipeline import load_inputs, quiet

    profile = load_inputs(demo_forms()[0], quiet).profile
    reach = profile.results["REACH_ALL"].area("CC01")  # the same number the profile prints
    assert larkspur["REACH_ALL"] == pytest.approx(reach.value)
    assert larkspur["TEMP_ACC"] is None
    assert larkspur["VOLUME_ATTENDANCES"] > 0


@pytest.mark.realclient
def test_summary_opens_in_libreoffice_with_no_error_values(collected, tmp_path):
    from realclient import PDF_FILTER, convert, error_cells, to_png

    copy = convert([collected], "xlsx", tmp_path / "lo")[0]
    assert error_cells(copy) == []
    book = openpyxl.load_workbook(copy, data_only=True)
    assert [r[2] for r in book["Grades"].iter_rows(values_only=True)].count("CC01") == 1
    pdf = convert([collected], PDF_FILTER, tmp_path / "pdf")[0]
    (tmp_path / "png").mkdir()
    pages = to_png(pdf, tmp_path / "png" / "summary", first=1, last=2)
    assert pages and all(p.stat().st_size > 5_000 for p in pages)


def test_changes_from_the_previous_summary(tmp_path):
    folder = tmp_path / "forms"
    path = copy_forms(folder, LARKSPUR)[0]
    fill(path, {**manager_values("Larkspur"), "C_BeHealthy_Grade": 3, "C_StaySafe_Grade": 2})
    first = collect(folder, tmp_path / "2008-09.xlsx")
    fill(path, {"C_BeHealthy_Grade": 1, "C_StaySafe_Grade": None})
    book = openpyxl.load_workbook(path)
    before = book[model.SHEET_B]["E8"].value
    book[model.SHEET_B]["E8"] = 12.5
    book.save(path)
    second = collect(folder, tmp_path / "2009-10.xlsx", previous=first.path)
    head = ["North", "Larkspur Children's Centre", "CC01"]
    assert second.summary.changes == [
        head + ["Grade: Be healthy", 3, 1, "better"],
        head + ["Grade: Stay safe", 2, None, "no grade this year"],
        head + ["Obesity in reception year", before, 12.5, 12.5 - before]]
    rows = list(openpyxl.load_workbook(second.path)["Changes"].iter_rows(values_only=True))
    assert tuple(head + ["Grade: Be healthy", 3, 1, "better"]) in rows


def test_previous_that_is_not_a_summary_is_one_clear_error(tmp_path):
    from xl_profile.errors import InputError

    folder = tmp_path / "forms"
    copy_forms(folder, LARKSPUR)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(InputError, match="not a SEF summary"):
        collect(folder, tmp_path / "out.xlsx", previous=other)
    assert not (tmp_path / "out.xlsx").exists()


def test_cli_generates_and_collects(tmp_path, capsys):
    from sef_fill import demo_forms

    from xl_profile.cli import main

    config, _fresh = demo_forms()
    config_file = tmp_path / "build.yaml"
    config_file.write_text(config.model_dump_json(), encoding="utf-8")  # JSON is YAML
    forms = tmp_path / "forms"
    assert main(["sef", "generate", str(config_file), "--out", str(forms), "--year", "2009/10"]) == 0
    out = capsys.readouterr()
    assert len(out.out.split()) == 12 and "12 form(s) written, 0 form(s) kept" in out.err
    summary = tmp_path / "sef-summary.xlsx"
    assert main(["sef", "collect", str(forms), "--out", str(summary)]) == 0
    assert "12 file(s) read, 12 form(s) for 2009/10 summarised" in capsys.readouterr().err
    assert main(["sef", "collect", str(forms), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"Error: --out {str(tmp_path)!r} is a folder")


@pytest.mark.parametrize("text", ["", "short", "a" * 2_500, "a" * 2_501, "word " * 2_000,
                                  ("line\n" * 700) + "x" * 6_000, "£é\n" * 3_000])
def test_long_texts_split_into_printable_parts_that_join_back_exactly(text):
    from xl_profile.sef.summary import TEXT_CHUNK, split_text

    parts = split_text(text)
    assert "".join(parts) == text
    assert all(len(p) <= TEXT_CHUNK for p in parts)
    for part in parts[:-1]:  # broken after a space or line break; mid-word only in a long word
        tail = part[TEXT_CHUNK // 2:]
        assert part[-1] in " \n" or (len(part) == TEXT_CHUNK and " " not in tail
                                      and "\n" not in tail)
