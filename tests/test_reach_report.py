"""Reach reports from the demo extract: privacy, text never a formula, structure, real client."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from realclient import PDF_FILTER, convert, error_cells, recalculated, to_png
from workbooks.reach_quality import write_reach_quality
from workbooks.reach_report import UNMAPPED_ROW, write_reach_reports
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.models import Level
from xl_profile.demo.extract import generate_demo_extract, write_extract
from xl_profile.reach import run_reach
from xl_profile.reach.run import DEMO_KEY

AS_OF = dt.date(2008, 3, 31)
SHEETS = ["Demographics", "Reach and volume", "Services", "Target groups", "Ethnicity",
          "New families", "Data quality"]


def reports_of(raw, demo, root):
    """The reach run of the extract ``raw`` of the demo borough, its reports and its quality
    workbook, written under ``root``."""
    write_extract(raw, root / "extract")
    run = run_reach(root / "extract", demo.geography, demo.populations_0_4, AS_OF, DEMO_KEY)
    paths = write_reach_reports(run.results, run.extract, demo.geography, root / "out",
                                built_on=dt.date(2008, 4, 1))
    quality = write_reach_quality(run.results, run.extract, demo.geography, root / "out",
                                  built_on=dt.date(2008, 4, 1))
    return run, paths, quality


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    demo = generate_demo_borough()
    raw = generate_demo_extract(demo, families=800)
    run, paths, quality = reports_of(raw, demo, tmp_path_factory.mktemp("reach"))
    return raw, run, demo, paths, quality


@pytest.fixture(scope="module")
def reports(built):
    """The extract's rows and the board reports."""
    raw, _run, _demo, paths, _quality = built
    return raw, paths


@pytest.fixture(scope="module")
def every_workbook(built):
    """The extract's rows, and the board reports with the analysts' reach-quality.xlsx."""
    raw, _run, _demo, paths, quality = built
    return raw, paths + [quality]


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


def test_no_name_birth_date_address_or_postcode_in_any_report(every_workbook):
    raw, paths = every_workbook
    assert paths[-1].name == "reach-quality.xlsx"
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


def test_extract_text_is_never_a_formula(every_workbook):
    raw, paths = every_workbook
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
    in_quality = {c.value for ws in openpyxl.load_workbook(paths[-1]).worksheets
                  for row in ws.iter_rows() for c in row}
    assert risky <= in_quality  # every activity is listed there as typed


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


def table_rows(sheet, name: str) -> list[dict]:
    rows = list(sheet[sheet.tables[name].ref])
    header = [c.value for c in rows[0]]
    return [dict(zip(header, (c.value for c in row))) for row in rows[1:]]


def all_text(path) -> set[str]:
    return {c.value for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows()
            for c in row if isinstance(c.value, str)}


def test_board_reports_show_services_by_kind_and_count_unrecognised_activities(built):
    raw, run, demo, paths, _quality = built
    typed = {a["category"] for a in raw.tables["activities"]}
    unmapped_services = {a["service"] for a in raw.tables["activities"]
                         if a["category"] == "drop in (old code)"}
    assert unmapped_services == {"Messy play??"}
    volume = run.results.by_centre[12]
    assert volume["unmapped_attendances"].sum() > 0
    names = {c.code: c.name for c in demo.geography.at_level(Level.CENTRE)}
    counted = 0
    for path in paths:
        text = all_text(path)
        assert not text & (unmapped_services | typed | {"unmapped", "on-site", "outreach"})
        services = table_rows(openpyxl.load_workbook(path)["Services"], "T_services")
        assert {r["Type"] for r in services} <= {"Outreach", "On-site", "Commissioned",
                                                 "Not classified"}
        for row in services:
            if row["Service"] == UNMAPPED_ROW:
                code = next(c for c, n in names.items() if n == row["Centre"])
                assert row["Type"] == "Not classified"
                assert row["Attendances"] in ("<5", volume.loc[code, "unmapped_attendances"])
                assert row["Children"] in ("<5", volume.loc[code, "unmapped_children"])
                counted += 1
    assert counted == int((volume["unmapped_attendances"] > 0).sum())


def test_board_reports_no_longer_list_duplicate_pairs(built):
    _raw, run, _demo, paths, quality = built
    pair_ids = {p.first for p in run.extract.duplicates} | {p.second
                                                            for p in run.extract.duplicates}
    assert pair_ids
    for path in paths:
        book = openpyxl.load_workbook(path)
        assert "T_duplicates" not in book["Data quality"].tables
        assert not all_text(path) & pair_ids, path.name
        checks = table_rows(book["Data quality"], "T_extract_checks")
        assert checks[0]["Check"].startswith("Likely duplicate registrations at these centres")
    listed = table_rows(openpyxl.load_workbook(quality)["Likely duplicates"], "T_duplicates")
    assert {(r["Record"], r["Possible duplicate"]) for r in listed} == {
        (p.first, p.second) for p in run.extract.duplicates}
    assert all(r["Record registered at"].endswith("Children's Centre") for r in listed)


def test_quality_workbook_lists_activities_as_typed_with_counts(built):
    raw, run, _demo, _paths, quality = built
    book = openpyxl.load_workbook(quality)
    assert book.sheetnames == ["About", "Likely duplicates", "Activities as typed",
                               "Attendance records"]
    rows = table_rows(book["Activities as typed"], "T_activities")
    messy = [r for r in rows if r["Service (as typed)"] == "Messy play??"]
    assert messy and all(r["Kind"] == "Not classified" and
                         r["Category (as typed)"] == "drop in (old code)" for r in messy)
    assert rows[: len(messy)] == messy  # the unrecognised come first
    shown = [r["Attendances"] for r in messy if r["Attendances"] != "<5"]
    volume = run.results.by_centre[12]
    assert sum(shown) <= volume["unmapped_attendances"].sum()
    numbers = [r[k] for r in rows for k in ("Attendances", "Children")
               if isinstance(r[k], (int, float))]
    assert not [n for n in numbers if 0 < n < 5]
    checks = table_rows(book["About"], "T_quality_checks")
    assert checks[0]["Count"] == len(run.extract.duplicates)


def test_quality_workbook_is_deterministic(built, tmp_path):
    _raw, run, demo, _paths, quality = built
    again = write_reach_quality(run.results, run.extract, demo.geography, tmp_path,
                                built_on=dt.date(2008, 4, 1))
    assert again.read_bytes() == quality.read_bytes()
