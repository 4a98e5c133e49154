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
    assert wb.sheetnames == ["Cover", "NI 72", "NI 92", "Narrowing the gap", "EYFSP by area"]
    cover = [c.value for c in wb["Cover"]["A"] if c.value]
    assert cover[1] == f"Built on {BUILT_ON:%d/%m/%Y}"
    assert cover[3].startswith("NI 72 is ") and "to the 2010/11 target of 57%" in cover[3]
    assert cover[3] == ("NI 72 is 53.9% in 2007/08, 2.8 points above the trajectory to the "
                        "2010/11 target of 57% (on track).")
    assert cover[4] == "NI 92 was 31.3% in 2007/08, the baseline for the 2010/11 target of 30%; " \
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
    assert gap["A3"].value.startswith("Change in the gap tested with a z-test of the difference "
                                      "between two differences of independent proportions")


def _gap_rows(ws) -> list[dict]:
    header = [c.value for c in ws[7]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=8, values_only=True)
            if row[1] in ("Authority", "Cluster", "Centre")]


def test_the_gap_by_centre_changes_from_year_to_year_with_its_test(book):
    rows = _gap_rows(openpyxl.load_workbook(book)["Narrowing the gap"])
    levels = {r["Level"] for r in rows}
    assert levels == {"Authority", "Cluster", "Centre"}
    authority = [r for r in rows if r["Level"] == "Authority"]
    # Three years of child-level results: each year after the first has a change, tested.
    assert [r["Year"] for r in authority] == ["2005/06", "2006/07", "2007/08"]
    assert authority[0]["Since the year before"] == "no earlier year"
    for r in authority[1:]:
        assert r["Since the year before"] in ("narrowed", "widened")
        assert 0 < r["p-value"] <= 1 and r["Change significant (95%)"] in ("yes", "no")
    centres = [r for r in rows if r["Level"] == "Centre"]
    assert any(r["Since the year before"] in ("narrowed", "widened") for r in centres)
    assert any(r["Since the year before"] == "hidden: small numbers" for r in centres)


def test_eyfsp_by_area_hides_small_counts_and_names_no_child(book, tmp_path):
    ws = openpyxl.load_workbook(book)["EYFSP by area"]
    assert ws["A2"].value.startswith("6,843 children read; 6,827 with a complete profile")
    assert "3 with no small area or postcode" in ws["A2"].value
    rows = [row for row in ws.iter_rows(min_row=7, values_only=True)]
    assert {r[1] for r in rows} == {"Authority", "Cluster", "Centre", "Ward", "LSOA"}
    hidden = [r for r in rows if r[3] == "*"]
    assert hidden and all(r[4:8] == ("*",) * 4 for r in hidden)
    shown = [r for r in rows if r[3] != "*"]
    assert all(r[4] >= 5 and r[3] - r[4] >= 5 for r in shown if r[3])
    authority = [r for r in rows if r[1] == "Authority"]
    assert [r[2] for r in authority] == ["2007/08", "2006/07", "2005/06"]
    assert authority[0][3:5] == (2307, 1243)


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


def test_trajectory_chart_and_gap_sheet_print(book, tmp_path):
    require_soffice()
    [pdf] = convert([book], PDF_FILTER, tmp_path / "pdf")
    (tmp_path / "png").mkdir()
    pngs = to_png(pdf, tmp_path / "png" / "page", first=2, last=4, dpi=70)
    assert len(pngs) == 3 and all(p.stat().st_size > 10_000 for p in pngs)


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
