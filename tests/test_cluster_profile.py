"""Cluster profile workbooks checked from the saved files, part by part."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from demo_build import BUILT_ON, demo_profile
from workbooks.cluster_profile import profile_file_name, write_cluster_profiles
from xl_profile.models import Level, Unit, ValueNote
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
    # The centre values print once, on the Tartan rug; the Centres sheet keeps them as numbers.
    assert book["Centres"].sheet_state == "hidden"
    assert {"T_centre_list", "T_centre_spine"} <= set(book["Centres"].tables)
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
    """A ward's name without its cluster and suppression markers."""
    return label.rstrip(" *●")


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
            if result.definition.unit is Unit.COUNT:  # a part is always fewer than its total
                assert row["Compared with authority"] == "– Not compared"
            else:
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
        xml = next(x for x in charts.values() if "Wards in the table's order: " in x
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
        if '<c:barDir val="col"/>' in xml:  # a chart title and a value axis title
            assert xml.count("<c:title>") >= 2
        elif '<c:barDir val="bar"/>' in xml:  # a small chart: the unit is in its title
            assert xml.count("<c:title>") >= 1 and re.search(r"<a:t>[^<]*\([^<]+\)</a:t>", xml)
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
        workbook = z.read("xl/workbook.xml").decode()
        # The first section sheet, found by name (xlsxwriter numbers sheet files in tab order).
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        sheet = z.read(f"xl/worksheets/sheet{names.index('Be healthy') + 1}.xml").decode()
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


def _charted_values(book, xml: str) -> list:
    """The cells a chart's first series draws, read from the saved workbook."""
    ref = re.search(r"<c:val><c:numRef><c:f>(.*?)</c:f>", xml).group(1)
    sheet, cells = ref.rsplit("!", 1)
    ws = book[sheet.strip("'").replace("''", "'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def test_no_chart_is_drawn_without_data(built):
    _, paths = built
    for path in paths:
        book = openpyxl.load_workbook(path)
        charts = chart_xml(path)
        assert len(charts) > 40
        for name, xml in charts.items():
            values = _charted_values(book, xml)
            assert any(isinstance(v, (int, float)) for v in values), f"{path.name} {name}"


def _reader_texts(path: Path) -> dict[str, list[str]]:
    """Text of the cover and section sheets (what a board member reads), by sheet."""
    book = openpyxl.load_workbook(path)
    skip = {"Centres", "Data sources and quality", "Chart data"}
    out = {}
    for ws in book.worksheets:
        if ws.title in skip:
            continue
        hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
        out[ws.title] = [c.value for row in ws.iter_rows() for c in row
                         if isinstance(c.value, str) and c.column_letter not in hidden]
    return out


def test_reader_facing_text_has_no_codes_enum_values_or_iso_dates(built):
    from xl_profile.layout import NOTE_KEY
    from xl_profile.models import Polarity

    profile, paths = built
    ids = {d.id for d in profile.catalogue}
    # Note words that share an enum value ("suppressed") are words with a key on the cover.
    enum_values = {v.value for e in (Level, Unit, ValueNote, Polarity) for v in e} - set(NOTE_KEY)
    for path in paths:
        for sheet, texts in _reader_texts(path).items():
            assert texts, sheet
            for text in texts:
                assert not {i for i in re.findall(r"\(([A-Za-z0-9_]+)\)", text) if i in ids}, text
                assert text.strip() not in enum_values, (sheet, text)
                assert not re.search(r"Published for: (lsoa|oa|ward|centre|authority)\b", text)
                assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", text), (sheet, text)
    cover = _reader_texts(paths[0])["Cover"]
    assert "30/06/2008" in cover  # Built on, in UK order
    assert any(re.fullmatch(r"[A-Z][a-z]+ \d{4} to ([A-Z][a-z]+ \d{4}|\d{2}/\d{2}/\d{4})", t)
               for t in cover)


def test_page_headers_print_a_literal_uk_date(built):
    _, paths = built
    with zipfile.ZipFile(paths[0]) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    headers = [h for s in sheets for h in re.findall(r"<oddHeader>(.*?)</oddHeader>", s)]
    assert headers and all("&amp;D" not in h for h in headers)
    assert all(h.endswith("&amp;R30/06/2008") for h in headers), headers


def test_key_on_the_cover_explains_every_note_and_marker(built):
    from xl_profile.layout import MARK_KEY, NOTE_KEY, NOTE_WORDS

    _, paths = built
    cover = "\n".join(_reader_texts(paths[0])["Cover"])
    assert set(NOTE_WORDS.values()) <= set(NOTE_KEY)
    for word in NOTE_KEY:
        assert f"{word}: " in cover
    for mark in MARK_KEY:
        assert f"{mark} after a name: " in cover
    assert "dark" in cover and "Similar" in cover


def test_secondary_suppression_has_its_own_marker(tmp_path):
    from xl_profile.config import load_config
    from xl_profile.demo.inputs import write_demo_inputs
    from xl_profile.pipeline import load_profile, quiet

    threshold = 10  # hides more counts than the default, so secondary suppression happens
    config = load_config(write_demo_inputs(tmp_path / "data")).model_copy(
        update={"suppression_threshold": threshold})
    profile = load_profile(config, progress=quiet)
    (path, *_) = write_cluster_profiles(profile, tmp_path, built_on=BUILT_ON,
                                        suppression_threshold=threshold)
    book = openpyxl.load_workbook(path)
    marks = set()
    for indicator_id, result in profile.results.items():
        if not _has_ward_data(result):
            continue
        _, rows = ward_table(book, indicator_id)
        true = {w.name: w.numerator for w in result.unsuppressed_wards}
        for row in rows:
            if row["Ward"].endswith(" **"):
                assert true[ward_name(row["Ward"])] >= threshold, "** hides a count not small"
                marks.add("**")
            elif row["Ward"].endswith(" *") and true.get(ward_name(row["Ward"])) is not None:
                assert true[ward_name(row["Ward"])] < threshold
                marks.add("*")
            if row["Ward"].endswith("*"):
                assert row["Value"] is None and row["Numerator"] is None
    assert marks == {"*", "**"}


def test_count_indicators_have_no_quintiles_and_no_authority_line(built):
    profile, paths = built
    book = openpyxl.load_workbook(paths[0])
    ws, rows = ward_table(book, "POP_0_4")
    assert all(r["Quintile"] is None for r in rows)
    ward_charts = [x for x in chart_xml(paths[0]).values() if "Wards in the table's order: " in x
                   and re.search(rf"<c:f>'?{re.escape(ws.title)}'?!", x)]
    lines = sum("<c:lineChart>" in x for x in ward_charts)
    assert lines < len(ward_charts), "a count's ward chart has no authority line"


def test_source_date_epoch_makes_rebuilds_byte_identical(built, tmp_path, monkeypatch):
    import datetime as dt

    import xl_profile.config as config_module

    profile, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1214784000")  # 2008-06-30
    (tmp_path / "a").mkdir()
    first = write_cluster_profiles(profile, tmp_path / "a", built_on=None)

    class OtherDay(dt.date):
        """A rebuild on another day."""

        @classmethod
        def today(cls):
            return cls(2011, 5, 17)

    monkeypatch.setattr(config_module.dt, "date", OtherDay)
    (tmp_path / "b").mkdir()
    second = write_cluster_profiles(profile, tmp_path / "b", built_on=None)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    cover = _reader_texts(first[0])["Cover"]
    assert "30/06/2008" in cover


def test_built_on_setting_reaches_the_cover(tmp_path):
    from workbooks.build import build_all
    from xl_profile.config import load_config
    from xl_profile.demo.inputs import write_demo_inputs
    from xl_profile.pipeline import quiet

    build_file = write_demo_inputs(tmp_path / "data")
    build_file.write_text(build_file.read_text() + "built_on: 2009-01-02\n")
    paths = build_all(load_config(build_file), tmp_path, progress=quiet).files
    cover = _reader_texts(next(p for p in paths if p.name == "cluster-profile-north.xlsx"))
    assert "02/01/2009" in cover["Cover"]


def test_ward_charts_have_whiskers_and_an_axis_above_the_highest_limit(built):
    profile, paths = built
    book = openpyxl.load_workbook(paths[0])
    charts = chart_xml(paths[0])
    for indicator_id in ("NI53", "NI55", "CIN"):
        ws, rows = ward_table(book, indicator_id)
        first = ws.tables[f"T_{indicator_id}_wards"].ref.split(":")[0]
        col, row = re.match(r"([A-Z]+)(\d+)", first).groups()
        xml = next(x for x in charts.values() if "Wards in the table's order: " in x and re.search(
            rf"<c:f>'?{re.escape(ws.title)}'?!\${col}\${int(row) + 1}:", x))
        assert "<c:errBars>" in xml
        top = max(r["Upper 95%"] for r in rows if r["Upper 95%"] is not None)
        maximum = float(re.search(r'<c:max val="([\d.]+)"/>', xml).group(1))
        assert top < maximum <= top * 1.4


def test_axis_max_is_a_round_number_above_the_top():
    from workbooks.charts import axis_max

    assert axis_max(85.3) == 100 and axis_max(20.5) == 25 and axis_max(3240) == 4000
    assert axis_max(12.7) == 15 and axis_max(0.5) == 0.6
    assert axis_max(None) is None and axis_max(0) is None


def test_trend_is_an_arrow_coloured_better_or_worse():
    from workbooks.profile_blocks import trend_words
    from xl_profile.compare import Trend
    from xl_profile.models import Polarity

    assert trend_words(Trend.INCREASING, Polarity.HIGH_IS_GOOD) == (
        "↑ increasing, getting better", Comparison.BETTER)
    assert trend_words(Trend.INCREASING, Polarity.LOW_IS_GOOD)[1] is Comparison.WORSE
    assert trend_words(Trend.DECREASING, Polarity.NO_JUDGEMENT) == (
        "↓ decreasing", Comparison.LOWER)


def test_ni92_is_labelled_a_percentage_gap(built):
    profile, paths = built
    assert profile.catalogue.get("NI92").unit_label == "% gap"
    ws = openpyxl.load_workbook(paths[0])["Centres"]
    units = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert units[profile.catalogue.get("NI92").title] == "% gap"


def test_table_one_says_how_well_each_centre_is_fitted(built):
    profile, paths = built
    ws = openpyxl.load_workbook(paths[0])["Data sources and quality"]
    line = ws["A3"].value
    any_result = next(iter(profile.results.values()))
    north = [c for c in profile.geography.children("CL-N", Level.CENTRE)]
    for centre in north:
        share = next(c.fit_quality for c in any_result.centres if c.code == centre.code)
        areas = len(profile.geography.members_of(centre.code))
        assert f"{centre.name} ({areas} small area" in line
        assert f"{100 * share:.1f}%)" in line
    headers = [c.value for c in ws[4]]
    assert "Published for, and how it reaches centres" in headers
    levels = [r[6] for r in ws.iter_rows(min_row=5, values_only=True) if r[1]]
    assert "Small areas (LSOA): best fit by population-weighted centroids" in levels
    assert "Wards: apportioned by population share (estimate)" in levels


def test_tartan_rug_marks_hidden_and_estimated_figures(built):
    _profile, paths = built
    ws = openpyxl.load_workbook(paths[0])["Tartan rug"]
    assert ws.page_setup.orientation == "portrait"
    cells = [c for row in ws.iter_rows(min_row=7) for c in row[4:]]
    assert any(c.value == "*" for c in cells), "a small count hidden is marked *"
    assert "suppressed" not in {c.value for c in cells}
    estimates = [c for c in cells if isinstance(c.value, float) and c.font.i]
    assert estimates, "centre estimates are grey italic numbers"
    assert all(c.font.color.rgb.endswith("595959") for c in estimates)


def test_a_ward_bar_that_is_not_exact_is_hatched(built):
    # An estimated, unreliable or modelled ward figure is drawn, but never as a counted one.
    profile, paths = built
    inexact = {i: {w.name for w in r.wards if w.shown and not w.comparable}
               for i, r in profile.results.items()}
    assert any(inexact.values()), "the demo has a ward figure that is not exact"
    book = openpyxl.load_workbook(paths[0])
    charts = chart_xml(paths[0])
    hatched_charts = 0
    tables = {t for ws in book.worksheets for t in ws.tables}
    for indicator_id, names in inexact.items():
        if not names or f"T_{indicator_id}_wards" not in tables:
            continue
        ws, rows = ward_table(book, indicator_id)
        first = ws.tables[f"T_{indicator_id}_wards"].ref.split(":")[0]
        col, row = re.match(r"([A-Z]+)(\d+)", first).groups()
        ref = re.compile(rf"'?{re.escape(ws.title)}'?!\${col}\${int(row) + 1}:")
        xml = next(x for x in charts.values() if "Wards in the table's order: " in x
                   and ref.search(x))
        points = re.findall(r'<c:dPt><c:idx val="(\d+)"/>(.*?)</c:dPt>', xml)
        hatched = {ward_name(rows[int(i)]["Ward"]) for i, body in points if "pattFill" in body}
        assert hatched == names, indicator_id
        hatched_charts += 1
    assert hatched_charts
