"""Real client: the demo workbooks open, recalculate and print in LibreOffice Calc."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import openpyxl
import pytest

from demo_build import BUILT_ON
from realclient import (PDF_FILTER, convert, error_cells, printed_font_sizes, recalculated,
                        require_soffice, to_png)
from workbooks.build import build_all
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import quiet

GOLDEN = Path(__file__).parent / "golden" / "north-chart-data.json"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    require_soffice()
    root = tmp_path_factory.mktemp("realclient")
    config = load_config(write_demo_inputs(root / "data"))
    paths = build_all(config, root, built_on=BUILT_ON, progress=quiet).files
    assert {p.name for p in paths} >= {"cluster-profile-north.xlsx", "coverage-profile.xlsx"}
    return root, paths


@pytest.fixture(scope="module")
def recalc(books):
    root, paths = books
    return recalculated(paths, root / "recalculated")


def test_every_workbook_recalculates_without_error_values(recalc):
    for book in recalc:
        assert error_cells(book) == [], book.name


def sheet_values(book: Path, sheet: str) -> list[list]:
    wb = openpyxl.load_workbook(book, data_only=True, read_only=True)
    rows = [[round(v, 6) if isinstance(v, float) else v for v in row]
            for row in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def test_whisker_formulas_agree_with_the_model_after_recalculation(books, recalc):
    rows = sheet_values(recalc[0], "Chart data")
    header, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    checked = 0
    for row in body:
        if isinstance(row[col["Upper 95%"]], float):
            assert row[col["Whisker up"]] == pytest.approx(
                row[col["Upper 95%"]] - row[col["Value"]], abs=2e-6)
            checked += 1
        else:
            assert row[col["Whisker up"]] == 0
    assert checked > 50


def test_golden_chart_data_sheet(recalc):
    rows = sheet_values(recalc[0], "Chart data")
    if os.environ.get("XLP_UPDATE_GOLDEN") == "1":
        lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
        GOLDEN.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    assert rows == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_every_workbook_converts_to_pdf_and_renders(books):
    root, paths = books
    pdfs = convert(paths, PDF_FILTER, root / "pdf")
    for pdf in pdfs:
        assert pdf.stat().st_size > 10_000
        pngs = to_png(pdf, root / "pdf" / f"{pdf.stem}-page", first=1, last=1)
        assert pngs and pngs[0].stat().st_size > 5_000


#: The board pack's target: cover, Overview (2 pages), Tartan rug, section pages and Table 1.
MAX_PROFILE_PAGES = 25


def _pdf_pages(pdf: Path) -> list[str]:
    import subprocess

    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
                           capture_output=True, text=True).stdout for p in range(1, pages + 1)]


def test_each_cluster_profile_prints_in_at_most_25_pages(books):
    from workbooks.pdf import to_pdf
    from xl_profile.catalogue import load_catalogue

    root, paths = books
    profiles = [p for p in paths if p.name.startswith("cluster-profile-")]
    assert len(profiles) == 3
    (root / "board").mkdir(exist_ok=True)
    catalogue = list(load_catalogue())
    ids = {d.id for d in catalogue}
    for pdf in to_pdf(profiles, root / "board"):
        texts = _pdf_pages(pdf)
        assert len(texts) <= MAX_PROFILE_PAGES, f"{pdf.name}: {len(texts)} pages"
        printed = "\n".join(texts)
        assert "Chart data" not in printed, "the chart-data sheet is hidden and not printed"
        assert not {i for i in re.findall(r"\(([A-Z][A-Z0-9_]+)\)", printed) if i in ids}
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", printed), "no US short header date"
        # The contents fit the cover: the Overview, the rug, the eight sections and Table 1.
        assert texts[0].count("Go to") == 12, "the contents (and their heading) fit the cover"
        assert "Centres: " not in printed, "centre values print once, on the Tartan rug"
        # Every printed letter, tables and charts alike, is 8 pt or larger (LibreOffice
        # writes 8.005 for 8).
        assert min(printed_font_sizes(pdf)) >= 7.995, pdf.name
        # Every indicator with data is printed: its title is on some page.
        flat = re.sub(r"\s+", " ", printed)
        assert sum(d.title in flat for d in catalogue) >= 30
