"""Cluster profile workbooks checked from the saved files, part by part."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from demo_build import BUILT_ON, demo_profile
from workbooks.cluster_profile import profile_file_name, write_cluster_profiles
from xl_profile.models import Level, ValueNote
from xl_profile.stats import Comparison

ALLOWED_FUNCTIONS = {"IF", "AND", "ISNUMBER", "SUM", "RANK.EQ", "IFERROR", "INDEX", "MATCH"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("profiles")
    profile = demo_profile(root / "data")
    paths = write_cluster_profiles(profile, root, built_on=BUILT_ON)
    return profile, paths


def test_one_workbook_per_cluster_with_contract_names(built):
    profile, paths = built
    clusters = profile.geography.at_level(Level.CLUSTER)
    assert [p.name for p in paths] == [profile_file_name(c.name) for c in clusters]
    assert [p.name for p in paths] == ["cluster-profile-north.xlsx", "cluster-profile-central.xlsx",
                                       "cluster-profile-south.xlsx"]
    assert profile_file_name("North cluster") == "cluster-profile-north.xlsx"


def test_sheets_tables_and_names(built):
    profile, paths = built
    book = openpyxl.load_workbook(paths[0])
    names = book.sheetnames
    assert names[0] == "Cover" and names[-3:] == ["Centres", "Data sources and quality", "Chart data"]
    assert {"Be healthy", "Stay safe", "Enjoy and achieve", "Economic well-being",
            "Demographics", "Access-reach"} <= set(names)
    assert book["Chart data"].sheet_state == "hidden"
    tables = {t for ws in book.worksheets for t in ws.tables}
    for indicator_id, result in profile.results.items():
        assert f"T_{indicator_id}_areas" in tables
        if _has_ward_data(result):
            assert f"T_{indicator_id}_wards" in tables
            assert f"ind_{indicator_id}_ward_values" in book.defined_names
        else:  # a compact block: no table of empty wards
            assert f"T_{indicator_id}_wards" not in tables
    assert {"T_contents", "T_quality", "T_centre_spine", "T_chart_data"} <= tables


def _has_ward_data(result) -> bool:
    return any(w.value is not None or w.note is ValueNote.SUPPRESSED for w in result.wards)


def ward_name(label: str) -> str:
    """A ward's name without its suppression marker."""
    return label.rstrip(" *")


def ward_table(book, indicator_id):
    for ws in book.worksheets:
        if f"T_{indicator_id}_wards" in ws.tables:
            table = ws.tables[f"T_{indicator_id}_wards"]
            rows = list(ws[table.ref])
            header = [c.value for c in rows[0]]
            return ws, [dict(zip(header, (c.value for c in row))) for row in rows[1:]]
    raise AssertionError(indicator_id)


def test_ward_table_values_equal_the_model(built):
    profile, paths = built
    book = openpyxl.load_workbook(paths[0])
    for indicator_id, result in profile.results.items():
        if not _has_ward_data(result):
            continue
        _, rows = ward_table(book, indicator_id)
        by_name = {w.name: w for w in result.wards}
        assert len(rows) == len(result.wards)
        for row in rows:
            ward = by_name[ward_name(row["Ward"])]
            if ward.note is ValueNote.SUPPRESSED:
                assert row["Ward"].endswith("*"), "a hidden ward is marked, never an empty slot"
            assert row["Value"] == (pytest.approx(ward.value) if ward.value is not None else None)
            assert row["Numerator"] == ward.numerator and row["Rank"] == ward.rank
            assert row["Compared with authority"].endswith(ward.comparison.label)
        values = [r["Value"] for r in rows if r["Value"] is not None]
        assert values == sorted(values, reverse=True), "ward table and chart are ranked"


def test_suppressed_wards_show_no_count(built):
    profile, paths = built
    book = openpyxl.load_workbook(paths[0])
    hidden = [(i, w) for i, r in profile.results.items() for w in r.wards
              if w.note is ValueNote.SUPPRESSED]
    assert hidden, "the demo has small counts"
    for indicator_id, ward in hidden:
        _, rows = ward_table(book, indicator_id)
        row = next(r for r in rows if ward_name(r["Ward"]) == ward.name)
        assert row["Value"] is None and row["Numerator"] is None and row["Note"] == "suppressed"


def chart_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")}


def test_ward_chart_highlights_exactly_the_cluster_wards(built):
    profile, paths = built
    for path, cluster in zip(paths, profile.geography.at_level(Level.CLUSTER)):
        cluster_wards = {w.name for w in profile.geography.wards_of_cluster(cluster.code)}
        book = openpyxl.load_workbook(path)
        ws, rows = ward_table(book, "NI72")
        charts = chart_xml(path)
        first = ws.tables["T_NI72_wards"].ref.split(":")[0]
        col, row = re.match(r"([A-Z]+)(\d+)", first).groups()
        xml = next(x for x in charts.values() if "All wards" in x
                   and f"'{ws.title}'!${col}${int(row) + 1}:" in x)
        colours = re.findall(r'<c:dPt><c:idx val="(\d+)"/>.*?<a:srgbClr val="([0-9A-F]{6})"/>', xml)
        grey = "BFBFBF"
        highlighted = {ward_name(rows[int(i)]["Ward"]) for i, colour in colours if colour != grey}
        assert highlighted == cluster_wards
        # One treatment for every ward of the cluster, in no comparison colour.
        assert {c for _, c in colours if c != grey} == {"262626"}
        assert "#262626" not in {c.colour for c in Comparison}


def test_charts_have_titles_axis_titles_and_alt_text(built):
    _, paths = built
    charts = chart_xml(paths[0])
    assert charts
    for xml in charts.values():
        if "<c:barChart>" in xml:
            assert "<c:title>" in xml and xml.count("<c:title>") >= 2
    with zipfile.ZipFile(paths[0]) as z:
        drawings = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing")]
    assert all('descr="' in d for d in drawings)


def test_formulas_only_use_functions_every_client_computes(built):
    _, paths = built
    with zipfile.ZipFile(paths[0]) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    formulas = [f for s in sheets for f in re.findall(r"<f>(.*?)</f>", s)]
    assert formulas, "whisker lengths are native formulas"
    used = {name for f in formulas for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", f)}
    assert used <= ALLOWED_FUNCTIONS


def test_print_setup(built):
    _, paths = built
    with zipfile.ZipFile(paths[0]) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet
    assert 'fitToHeight="0"' in sheet and "<rowBreaks" in sheet and "&amp;P of &amp;N" in sheet
    assert "_xlnm.Print_Titles" in workbook


def test_builds_are_byte_identical(built, tmp_path):
    profile, paths = built
    again = write_cluster_profiles(profile, tmp_path, built_on=BUILT_ON)
    for first, second in zip(paths, again):
        assert first.read_bytes() == second.read_bytes()


def test_failed_build_leaves_no_partial_file(built, tmp_path, monkeypatch):
    profile, _ = built
    import workbooks.cluster_profile as module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "write_quality_sheet", boom)
    with pytest.raises(RuntimeError):
        write_cluster_profiles(profile, tmp_path, built_on=BUILT_ON)
    assert list(tmp_path.iterdir()) == []
