"""Reach reports from the demo extract: privacy, text never a formula, structure, real client."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from realclient import PDF_FILTER, convert, error_cells, recalculated, to_png
from workbooks.reach_report import write_reach_reports
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.demo.extract import generate_demo_extract, write_extract
from xl_profile.reach import run_reach
from xl_profile.reach.run import DEMO_KEY

AS_OF = dt.date(2008, 3, 31)
SHEETS = ["Demographics", "Reach and volume", "Services", "Target groups", "Ethnicity",
          "New families", "Data quality"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("reach")
    demo = generate_demo_borough()
    raw = generate_demo_extract(demo, families=800)
    write_extract(raw, root / "extract")
    run = run_reach(root / "extract", demo.geography, demo.populations_0_4, AS_OF, DEMO_KEY)
    paths = write_reach_reports(run.results, run.extract, demo.geography, root / "out",
                                built_on=dt.date(2008, 4, 1))
    return raw, paths


def xml_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                        if n.endswith((".xml", ".rels")))


def test_one_report_per_cluster_named_by_slug(reports):
    _, paths = reports
    assert [p.name for p in paths] == ["reach-report-north.xlsx", "reach-report-central.xlsx",
                                       "reach-report-south.xlsx"]
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames == SHEETS
    assert book["Reach and volume"].tables.keys() >= {"T_reach_12m", "T_reach_24m"}
    assert len(book["Reach and volume"]._charts) == 2
    setup = book["Services"].page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert book["Services"].freeze_panes == "A4"


def test_no_name_birth_date_address_or_postcode_in_any_report(reports):
    raw, paths = reports
    names = {r[k] for t in ("children", "carers") for r in raw.tables[t]
             for k in ("first_name", "last_name")}
    literal = {r["date_of_birth"] for t in ("children", "carers") for r in raw.tables[t]}
    literal |= {r[k] for r in raw.tables["addresses"] for k in ("address", "postcode")}
    literal |= {r["postcode"].replace(" ", "") for r in raw.tables["addresses"]}
    ids = {r["child_id"] for r in raw.tables["children"]} | {r["family_id"]
                                                            for r in raw.tables["families"]}
    for path in paths:
        text = xml_text(path)
        words = set(re.findall(r"[A-Za-z]+", text))
        assert not names & words, f"{path.name}: {sorted(names & words)[:5]}"
        assert not [v for v in literal if v in text], path.name
        assert not ids & set(re.findall(r"[A-Z]\d{5}\d?D?", text)), path.name


def test_extract_text_is_never_a_formula(reports):
    raw, paths = reports
    risky = {r[k] for r in raw.tables["activities"] for k in ("service", "provider")
             if r[k][:1] in "=+-@"}
    assert risky, "the demo extract should contain text starting with = + - @"
    shown = set()
    for path in paths:
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist()
                      if n.startswith("xl/worksheets/sheet")]
        assert all("<f>" not in s and "<f " not in s for s in sheets), path.name
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value in risky:
                        assert cell.data_type == "s", f"{path.name} {ws.title}!{cell.coordinate}"
                        shown.add(cell.value)
    assert shown, "risky text should appear (as text) in the services table"


def test_small_counts_are_suppressed_in_tables(reports):
    _, paths = reports
    book = openpyxl.load_workbook(paths[0])
    for name in SHEETS[:-1]:  # data quality holds percentages and extract-wide counts
        for row in book[name].iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, (int, float)) and cell.number_format == "#,##0":
                    assert not 0 < round(cell.value) < 5, f"{name}!{cell.coordinate}"


def test_reports_open_recalculate_and_print_in_libreoffice(reports, tmp_path):
    _, paths = reports
    copies = recalculated(paths, tmp_path / "recalc")
    for copy in copies:
        assert error_cells(copy) == []
    north = openpyxl.load_workbook(copies[0], data_only=True)["Reach and volume"]
    assert north["A1"].value.startswith("Children's centre reach report: North")
    pdf = convert(paths[:1], PDF_FILTER, tmp_path / "pdf")[0]
    pngs = to_png(pdf, tmp_path / "pdf" / "page", first=1, last=2)
    assert len(pngs) == 2 and all(p.stat().st_size > 10_000 for p in pngs)


def test_demo_extract_and_reports_are_deterministic(reports, tmp_path):
    raw, paths = reports
    demo = generate_demo_borough()
    assert generate_demo_extract(demo, families=800).tables == raw.tables
    write_extract(raw, tmp_path / "extract")
    run = run_reach(tmp_path / "extract", demo.geography, demo.populations_0_4, AS_OF, DEMO_KEY)
    again = write_reach_reports(run.results, run.extract, demo.geography, tmp_path / "out",
                                built_on=dt.date(2008, 4, 1))
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
