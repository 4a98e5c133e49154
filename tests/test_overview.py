"""The cluster overview: its pure data (rows, spine, key findings, tartan rug) and its sheets."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from demo_build import BUILT_ON, demo_profile
from realclient import PDF_FILTER, convert, error_cells, recalculated, to_png
from workbooks.cluster_profile import write_cluster_profiles
from workbooks.overview_sheets import (COMPARE_COL, PRINTABLE_HEIGHT, SPINE_FROM,
                                       cluster_title, section_breaks)
from xl_profile import stats
from xl_profile.catalogue import Catalogue
from xl_profile.compare import Comparison
from xl_profile.layout import ProfileTemplate, load_template
from xl_profile.models import (Area, Geography, IndicatorDefinition, IndicatorValue, Level,
                               Membership, PeriodType, Provenance, ValueNote)
from xl_profile.overview import (SPINE_CELLS, build_overview, key_findings, period_label,
                                 spine_cell)
from xl_profile.profile import compute_profile

# Westminster's real public data, built as tests/test_westminster_profile.py builds it.
from test_westminster_profile import data, inputs  # noqa: F401  (fixtures)
from test_westminster_profile import profile as westminster_profile  # noqa: F401


def geography() -> Geography:
    """Westminster with clusters North (wards W1, W2) and South (W3, W4); one LSOA per ward,
    1,000 people each; centre C1 holds L1 and L2, centre C2 holds L3 and L4."""
    areas = [Area(code="A", name="Westminster", level=Level.AUTHORITY),
             Area(code="K1", name="North", level=Level.CLUSTER, parent="A"),
             Area(code="K2", name="South", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="Centre one", level=Level.CENTRE, parent="K1"),
             Area(code="C2", name="Centre two", level=Level.CENTRE, parent="K2")]
    areas += [Area(code=f"W{i}", name=f"Ward {i}", level=Level.WARD, parent="A")
              for i in range(1, 5)]
    areas += [Area(code=f"L{i}", name=f"LSOA {i}", level=Level.LSOA, parent=f"W{i}",
                   population=1000) for i in range(1, 5)]
    members = [Membership(child=f"W{i}", parent="K1" if i <= 2 else "K2", share=1)
               for i in range(1, 5)]
    members += [Membership(child=f"L{i}", parent="C1" if i <= 2 else "C2", share=1)
                for i in range(1, 5)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


def definition(id, title, **kw) -> IndicatorDefinition:
    base = dict(id=id, title=title, section="Be healthy", unit="percentage",
                polarity="high is good", numerator="n", denominator="d", ci_method="wilson",
                multiplier=100, source="PCT", native_level="lsoa", period_type="financial year")
    return IndicatorDefinition(**{**base, **kw})


def rows(indicator_id, counts, authority=None, period="2007/08"):
    """LSOA rows L1..L4 from (numerator, denominator) pairs (None: no row; a number: value only),
    and the authority's own published row when given."""
    out = []
    for i, pair in enumerate(counts, start=1):
        if pair is None:
            continue
        num, den = pair if isinstance(pair, tuple) else (None, None)
        out.append(IndicatorValue(indicator_id=indicator_id, area_code=f"L{i}", period=period,
                                  numerator=num, denominator=den,
                                  value=None if num is not None else pair,
                                  provenance=Provenance(level=Level.LSOA)))
    if authority:
        out.append(IndicatorValue(indicator_id=indicator_id, area_code="A", period=period,
                                  numerator=authority[0], denominator=authority[1],
                                  provenance=Provenance(level=Level.AUTHORITY)))
    return out


DEFINITIONS = [
    definition("BF", "Breastfeeding at 6-8 weeks"),
    definition("OB", "Obesity in reception year", polarity="low is good"),
    definition("BME", "Children from minority ethnic groups", polarity="no judgement"),
    definition("EST", "Estimated take-up"),
    definition("GAP", "Withheld take-up"),
    definition("POP", "Population aged 0-4", unit="count", polarity="no judgement",
               ci_method="byar", multiplier=1, denominator=""),
]
VALUES = (rows("BF", [(60, 100), (70, 100), (40, 100), (30, 100)])
          # North 30/400 = 7.5% against 27.5% (obesity: low is good), far outside its limits.
          + rows("OB", [(15, 200), (15, 200), (100, 200), (90, 200)])
          # North 390/400 = 97.5% against 50%: the largest difference, but no direction is better.
          + rows("BME", [(195, 200), (195, 200), (5, 200), (5, 200)])
          # L1 is published as a value only: North's total is an estimate.
          + rows("EST", [60.0, (70, 100), (40, 100), (30, 100)], authority=(200, 400))
          # L2 is missing: North's total is withheld.
          + rows("GAP", [(60, 100), None, (40, 100), (30, 100)], authority=(200, 400))
          + [IndicatorValue(indicator_id="POP", area_code=f"L{i}", period="2007", value=v,
                            numerator=v, provenance=Provenance(level=Level.LSOA))
             for i, v in enumerate([500, 600, 700, 800], start=1)])


def template(ids=None) -> ProfileTemplate:
    shipped = load_template()
    sections = [{"section": "Be healthy", "indicators": ids or [d.id for d in DEFINITIONS]}]
    return ProfileTemplate(title="Profile", sections=sections, charts=shipped.charts,
                           how_to_read="")


@pytest.fixture(scope="module")
def profile():
    return compute_profile(geography(), Catalogue(indicators=tuple(DEFINITIONS)), VALUES)


def overview_rows(profile, cluster="K1"):
    return {r.indicator_id: r for r in build_overview(profile, cluster, template()).rows}


def test_row_values_range_and_spine_are_hand_checkable(profile):
    bf = overview_rows(profile)["BF"]
    # North = L1 + L2 = 130/200 = 65%; authority 200/400 = 50%; wards 60, 70, 40, 30.
    assert (bf.count, bf.value, bf.status) == (130, 65.0, "")
    assert (bf.authority, bf.england, bf.period) == (50.0, None, "2007/08")
    assert (bf.ward_lowest, bf.ward_highest, bf.wards_shown) == (30.0, 70.0, 4)
    lower, upper = stats.wilson_interval(130, 200)
    assert lower * 100 > 50 and bf.comparison is Comparison.BETTER
    # Scaled so the authority is 0 and the furthest point (30 or 70, 20 away) is -1 or 1;
    # quartiles by PERCENTILE.INC of 30, 40, 60, 70: 37.5 and 62.5.
    spine = bf.spine
    assert (spine.lowest, spine.highest, spine.marker) == (-1.0, 1.0, 0.75)
    assert spine.lower_quartile == pytest.approx(-0.625)
    assert spine.upper_quartile == pytest.approx(0.625)
    south = overview_rows(profile, "K2")["BF"]
    assert south.value == 35.0 and south.comparison is Comparison.WORSE
    assert south.spine.marker == -0.75


def test_a_low_is_good_spine_runs_from_worse_to_better_as_fingertips_draws_it(profile):
    ob = overview_rows(profile)["OB"]
    # Wards 7.5, 7.5, 45 and 50 (%), the authority 27.5, North 7.5 (better: low is good).
    # The furthest point is 50 (22.5 away); mirrored, the highest ward is the left end.
    assert ob.spine_reversed and ob.ward_ends == (50.0, 7.5)
    spine = ob.spine
    assert spine.lowest == pytest.approx(-1.0) and spine.highest == pytest.approx(20 / 22.5)
    # PERCENTILE.INC of the wards: 7.5 and 46.25; the worse quartile is on the left.
    assert spine.lower_quartile == pytest.approx(-(46.25 - 27.5) / 22.5)
    assert spine.upper_quartile == pytest.approx(20 / 22.5)
    assert spine.marker == pytest.approx(20 / 22.5) and ob.comparison is Comparison.BETTER
    bme = overview_rows(profile)["BME"]  # no direction is better: lower to higher
    assert not bme.spine_reversed and bme.spine.lowest < bme.spine.highest


def test_spine_cells_put_the_authority_line_between_the_halves():
    half = SPINE_CELLS // 2
    assert spine_cell(0.0) == half and spine_cell(-1e-9) == half - 1
    assert spine_cell(1.0) == SPINE_CELLS - 1 and spine_cell(-1.0) == 0
    assert spine_cell(0.75) == half + 7 and spine_cell(-0.75) == half - 1 - 7


def test_withheld_and_estimated_figures_are_shown_as_such_with_no_marker(profile):
    by_id = overview_rows(profile)
    est, gap = by_id["EST"], by_id["GAP"]
    assert est.status == "est." and est.value == pytest.approx(65.0)
    assert est.spine is not None and est.spine.marker is None
    assert est.comparison is Comparison.NOT_COMPARED
    assert gap.status == "withheld" and gap.value is None and gap.count is None
    assert gap.spine.marker is None and gap.comparison is Comparison.NOT_COMPARED
    # The model itself compares neither.
    result = compute_profile(geography(), Catalogue(indicators=tuple(DEFINITIONS)), VALUES).results
    assert result["EST"].clusters[0].note is ValueNote.ESTIMATED
    assert result["GAP"].clusters[0].note is ValueNote.INCOMPLETE


def test_counts_are_neither_compared_nor_placed_on_the_ward_range(profile):
    pop = overview_rows(profile)["POP"]
    assert pop.value == 1100 and pop.count is None and pop.authority == 2600
    assert pop.spine is None and pop.no_spine_reason == "a count: no spine"
    assert pop.comparison is Comparison.NOT_COMPARED


def test_key_findings_judged_first_by_significance_then_no_judgement(profile):
    findings = build_overview(profile, "K1", template()).findings
    assert [f.indicator_id for f in findings] == ["OB", "BF", "BME"]
    ob, bf, bme = findings
    assert ob.significance > bf.significance and bme.significance > ob.significance
    # The significance: how far the authority lies beyond the nearest 95% limit, in half-widths.
    lower, upper = (x * 100 for x in stats.wilson_interval(130, 200))
    assert bf.significance == pytest.approx((lower - 50) / ((upper - lower) / 2))
    assert bf.sentence == ("North's breastfeeding at 6-8 weeks, 65.0%, is significantly higher "
                           "(better) than Westminster's 50.0% (2007/08).")
    assert ob.sentence == ("North's obesity in reception year, 7.5%, is significantly lower "
                           "(better) than Westminster's 27.5% (2007/08).")
    assert bme.sentence.startswith("North's children from minority ethnic groups, 97.5%, is "
                                   "significantly higher than Westminster's 50.0%")
    south = [f.sentence for f in build_overview(profile, "K2", template()).findings]
    assert "South's obesity in reception year, 47.5%, is significantly higher (worse)" in south[0]


def test_withheld_and_estimated_figures_never_make_a_key_finding(profile):
    north = {f.indicator_id for f in build_overview(profile, "K1", template()).findings}
    south = {f.indicator_id for f in build_overview(profile, "K2", template()).findings}
    assert not north & {"EST", "GAP", "POP"}
    # South's figures of the same indicators are exact and do differ; a count never does.
    assert {"EST", "GAP"} <= south and "POP" not in south
    results = [profile.results[i] for i in ("EST", "GAP")]
    assert key_findings(results, "K1", "North", "Westminster") == []


def test_at_most_five_findings():
    many = [definition(f"P{i}", f"Take-up {i}") for i in range(7)]
    values = [v for i in range(7) for v in rows(f"P{i}", [(60 + i, 100), (70, 100), (40, 100),
                                                          (30, 100)])]
    result = compute_profile(geography(), Catalogue(indicators=tuple(many)), values)
    found = build_overview(result, "K1", template([d.id for d in many])).findings
    assert len(found) == 5
    assert [f.significance for f in found] == sorted((f.significance for f in found),
                                                     reverse=True)


def test_tartan_rug_has_every_cluster_then_the_clusters_centres(profile):
    overview = build_overview(profile, "K1", template())
    assert overview.rug_columns == ("North", "South", "Centre one")
    assert overview.rug_centres_from == 2
    bf = next(r for _, rows in overview.rug for r in rows if r.indicator_id == "BF")
    assert [(c.value, c.comparison) for c in bf.cells] == [
        (65.0, Comparison.BETTER), (35.0, Comparison.WORSE), (65.0, Comparison.BETTER)]
    assert bf.authority.value == 50.0 and bf.authority.comparison is Comparison.NOT_COMPARED
    gap = next(r for _, rows in overview.rug for r in rows if r.indicator_id == "GAP")
    assert (gap.cells[0].value, gap.cells[0].status) == (None, "withheld")


def test_cluster_titles_say_cluster_once():
    assert cluster_title("North") == "North cluster"
    assert cluster_title("North Cluster") == "North Cluster"


def test_months_print_as_month_and_year():
    assert period_label("2008-04", PeriodType.MONTH) == "April 2008"
    assert period_label("2007/08", PeriodType.FINANCIAL_YEAR) == "2007/08"


def test_page_breaks_fall_between_sections():
    # A page holds 509 pt (A4 landscape less margins, at full scale with these narrow columns).
    assert 500 < PRINTABLE_HEIGHT < 510
    heights = {0: 100, 1: 50} | {r: 60 for r in range(2, 11)}
    # Title 100 + header 50, then sections of 180 pt at rows 2, 5 and 8: the second would end at
    # 510 pt, so it starts page 2 below the repeated header (50 + 180 + 180 = 410: no more).
    assert section_breaks(heights, [2, 5, 8], 11, 1, 1, [10] * 5) == [5]
    assert section_breaks({r: 20 for r in range(11)}, [2, 5, 8], 11, 1, 1, [10] * 5) == []


def test_real_data_with_an_estimated_authority_compares_nothing(westminster_profile):
    """Westminster's IDACI rate is published partly as rates only, so the authority's figure is
    an estimate: nothing is compared with it, and IMD scores have no limits to compare by."""
    statuses = set()
    for cluster in ("CL-North", "CL-Central", "CL-South"):
        overview = build_overview(westminster_profile, cluster, load_template())
        by_id = {r.indicator_id: r for r in overview.rows}
        idaci, imd = by_id["IDACI_RATE"], by_id["IMD_SCORE"]
        assert idaci.authority_status == "est." and idaci.comparison is Comparison.NOT_COMPARED
        assert idaci.wards_shown > 10 and idaci.spine is not None
        statuses.add(idaci.status)
        if idaci.status == "est.":
            assert idaci.spine.marker is None
        assert imd.status == "" and imd.comparison is Comparison.NOT_COMPARED
        assert imd.spine.marker is not None and -1 <= imd.spine.marker <= 1
        assert overview.findings == ()
    assert "est." in statuses


# --- the sheets, checked from the saved demo workbook -------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("overview")
    profile = demo_profile(root / "data")
    paths = write_cluster_profiles(profile, root, built_on=BUILT_ON)
    return root, profile, paths


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


MARKERS = {"▲", "●", "▼", "↑", "↓", "◆", "▲▲", "▼▼"}


def test_overview_and_rug_follow_the_cover(demo):
    _, _, paths = demo
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames[:3] == ["Cover", "Overview", "Tartan rug"]


def test_overview_rows_are_the_models(demo):
    _, profile, paths = demo
    overview = build_overview(profile, "CL-N", load_template())
    ws = openpyxl.load_workbook(paths[0])["Overview"]
    table = {r[0]: r for r in sheet_rows(ws) if r[0] in {x.title for x in overview.rows}}
    assert len(table) == len(overview.rows) == len(profile.results)
    for item in overview.rows:
        row = table[item.title]
        assert row[1] == item.period
        spine = [v for v in row[SPINE_FROM:SPINE_FROM + SPINE_CELLS] if v in MARKERS]
        compared = row[COMPARE_COL]
        if item.status in ("withheld", "suppressed"):  # no figure: the word alone
            assert row[3] == item.status and spine == [] and compared == "– Not compared"
        elif item.status == "no data":
            assert row[3] == "–" and spine == [] and compared == "– Not compared"
        elif item.status:
            assert row[3].endswith(f" {item.status}") and row[3][0].isdigit()
            assert spine == [] and compared == "– Not compared"
        elif item.value is not None:
            assert row[3] == pytest.approx(item.value)
        if item.spine is not None and item.spine.marker is not None:
            assert len(spine) == 1
            assert compared.endswith(item.comparison.label)
        else:
            assert spine == []
    statuses = {i.status for i in overview.rows}
    assert {"withheld", ""} <= statuses, "the demo exercises withheld figures"


def test_key_findings_on_the_overview(demo):
    _, profile, paths = demo
    overview = build_overview(profile, "CL-N", load_template())
    texts = [r[0] for r in sheet_rows(openpyxl.load_workbook(paths[0])["Overview"])]
    assert 3 <= len(overview.findings) <= 5
    start = texts.index("Key findings")
    assert texts[start + 1:start + 1 + len(overview.findings)] == [
        f.sentence for f in overview.findings]


def test_reader_facing_text_has_no_ids_enum_values_or_print_date(demo):
    _, profile, paths = demo
    book = openpyxl.load_workbook(paths[0])
    raw = ["incomplete", "aggregated", "lsoa", "high is good", "low is good", "no judgement"]
    for name in ("Overview", "Tartan rug"):
        ws = book[name]
        cells = [str(v) for r in sheet_rows(ws) for v in r if isinstance(v, str)]
        for text in cells:
            assert not any(f"({i})" in text for i in profile.results), text
            assert not any(re.search(rf"\b{w}\b", text) for w in raw), text
        header = (ws.oddHeader.left.text or "") + (ws.oddHeader.right.text or "")
        assert name in header and "&D" not in header


def test_tartan_rug_cells(demo):
    _, profile, paths = demo
    ws = openpyxl.load_workbook(paths[0])["Tartan rug"]
    grid = sheet_rows(ws)
    header = next(r for r in grid if r[0] == "Indicator")
    assert "North (this cluster)" in header and "Central" in header
    centres = [c.name for c in profile.geography.children("CL-N", Level.CENTRE)]
    assert all(c in header for c in centres)
    col = header.index("North (this cluster)")
    by_title = {r[0]: (i, r) for i, r in enumerate(grid, start=1)}
    for result in profile.results.values():
        north = next(c for c in result.clusters if c.code == "CL-N")
        i, row = by_title[result.definition.title]
        if north.shown and north.note not in (ValueNote.ESTIMATED, ValueNote.UNRELIABLE):
            assert row[col] == pytest.approx(north.value)
            cell = ws.cell(i, col + 1)
            if north.comparable and north.comparison is not Comparison.NOT_COMPARED \
                    and result.definition.unit.value != "count":
                assert north.comparison.symbol in cell.number_format
                assert cell.fill.fgColor.rgb.endswith(north.comparison.colour[1:])


def test_real_client_recalculates_and_prints_overview_on_two_pages(demo):
    root, _, paths = demo
    north = paths[0]
    for book in recalculated([north], root / "recalculated"):
        assert error_cells(book) == []
    pdf = convert([north], PDF_FILTER, root / "pdf")[0]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    for sheet in ("Overview", "Tartan rug"):
        pages = [i for i, page in enumerate(text, start=1) if f"— {sheet}" in page[:400]]
        assert 1 <= len(pages) <= 2, (sheet, pages)
    overview_pages = [i for i, page in enumerate(text, start=1) if "— Overview" in page[:400]]
    assert "Key findings" in text[overview_pages[0] - 1]
    # Printed size of every word on the overview: its box height over Carlito's line height
    # (ascent + descent = 1.3 em).
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(overview_pages[0]), "-l",
                            str(overview_pages[-1]), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    heights = [float(b) - float(a) for a, b in
               re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)]
    assert min(heights) / 1.3 >= 8.0
    (png,) = to_png(pdf, root / "pdf" / "overview", overview_pages[0], overview_pages[0])
    # LibreOffice drew the cluster's trend bars (their light blue is used nowhere else on the
    # Overview), and only in the trend columns, right of the comparison.
    first_page = boxes.split("</page>")[0]
    trend_from = min(float(x) for x in re.findall(r'xMin="([\d.]+)"[^>]*>trend<', first_page))
    bars = light_blue_columns(png)
    assert len(bars) >= 3, "North's three years of good level of development"
    assert min(bars) >= (trend_from - 10) * 60 / 72


def light_blue_columns(png) -> set[int]:
    """Pixel columns of a page image holding the cluster's trend colour (#9DC3E6)."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    return {x for x in range(width) for y in range(height)
            if all(abs(a - b) <= 6 for a, b in zip(pixels[x, y], (0x9D, 0xC3, 0xE6)))}


def test_a_ward_figure_at_either_end_that_is_not_exact_says_so():
    # The highest ward (70%) is published as a rate only, so its figure is an estimate: the
    # Overview prints it with its mark, as the ward table does, never as a plain number.
    values = rows("EST", [(60, 100), 70.0, (40, 100), (30, 100)], authority=(200, 400))
    result = compute_profile(geography(), Catalogue(indicators=(DEFINITIONS[3],)), values)
    row = build_overview(result, "K1", template(["EST"])).rows[0]
    assert (row.ward_lowest, row.ward_highest) == (30.0, pytest.approx(70.0))
    assert (row.ward_lowest_status, row.ward_highest_status) == ("", "est.")
    assert row.ward_end_statuses == ("", "est.")  # high is good: lowest on the left
