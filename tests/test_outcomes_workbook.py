"""The outcomes duty workbook: written from the demo's targets, opens in LibreOffice without
error values, and its trajectory chart prints."""

from __future__ import annotations

import openpyxl
import pytest

from demo_build import BUILT_ON
from realclient import PDF_FILTER, convert, error_cells, recalculated, require_soffice, to_png
from workbooks.outcomes_duty import outcomes_duty_step
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import load_inputs, quiet


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("outcomes")
    config = load_config(write_demo_inputs(root / "data"))
    assert config.targets == root / "data" / "targets.csv"
    [path] = outcomes_duty_step(config, load_inputs(config, quiet), root, BUILT_ON)
    return path


def test_sheets_sentences_and_no_catalogue_ids(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Cover", "NI 72", "NI 92", "Narrowing the gap"]
    cover = [c.value for c in wb["Cover"]["A"] if c.value]
    assert cover[1] == f"Built on {BUILT_ON:%d/%m/%Y}"
    assert cover[3].startswith("NI 72 is ") and "to the 2010/11 target of 57%" in cover[3]
    assert cover[4] == "NI 92 was 34.5% in 2007/08, the baseline for the 2010/11 target of 30%; " \
                       "no later result yet."
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and not c.value.startswith("=")]
    assert not [t for t in texts if "(NI72)" in t or "(NI92)" in t or "(IMD30)" in t]
    ni72 = wb["NI 72"]
    header = [c.value for c in ni72[6]]
    assert header[:6] == ["Year", "Actual", "Lower 95% limit", "Upper 95% limit", "Trajectory",
                          "Target"]
    years = [ni72.cell(r, 1).value for r in range(7, ni72.max_row + 1) if ni72.cell(r, 1).value]
    assert years[-1] == "2010/11" and "2006/07" in years
    assert len(ni72._charts) == 1
    gap = wb["Narrowing the gap"]
    assert "Index of Multiple Deprivation 2007" in gap["A2"].value


def test_opens_in_libreoffice_without_error_values_and_gaps_agree(book, tmp_path):
    require_soffice()
    [copy] = recalculated([book], tmp_path / "recalc")
    assert error_cells(copy) == []
    ws = openpyxl.load_workbook(copy, data_only=True)["NI 72"]
    judged = [r for r in range(7, ws.max_row + 1) if ws.cell(r, 9).value in ("on track",
                                                                            "off track")]
    assert judged
    for r in judged:
        actual, line = ws.cell(r, 2).value, ws.cell(r, 5).value
        assert ws.cell(r, 7).value == pytest.approx(actual - line)
        assert ws.cell(r, 8).value == pytest.approx(actual - 57)


def test_trajectory_chart_prints(book, tmp_path):
    require_soffice()
    [pdf] = convert([book], PDF_FILTER, tmp_path / "pdf")
    (tmp_path / "png").mkdir()
    pngs = to_png(pdf, tmp_path / "png" / "page", first=2, last=2, dpi=70)
    assert pngs and pngs[0].stat().st_size > 10_000


def test_a_bad_targets_file_stops_the_build_and_writes_nothing(tmp_path):
    from workbooks.build import build_all
    from xl_profile.errors import InputError

    config = load_config(write_demo_inputs(tmp_path / "data"))
    config.targets.write_text("indicator,area,period,target,set_on,statutory\n"
                              "NI72,X09000001,2010/11,157,2007-06-30,yes\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"row 2, column target: outside 0-100"):
        build_all(config, out, built_on=BUILT_ON, progress=quiet)
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]
