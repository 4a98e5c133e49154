"""The regional view: ranking, change and its significance, IMD quintiles, the workbook."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest

from xl_profile.demo.region import write_demo_region
from xl_profile.errors import ConfigError
from xl_profile.models import Level
from xl_profile.region import (load_region_config, national_quintile, region_view)
from xl_profile.stats import StatisticsError, two_proportion_test

BUILD = """region: Test region
authority_of_interest: A3
authorities:
  - {code: A1, name: Alpha, centres: 4}
  - {code: A2, name: Beta, centres: 2}
  - {code: A3, name: Gamma}
  - {code: A4, name: Delta, centres: 1}
indicators_file: figures.csv
indicators:
  - {id: GLD, title: Good level, unit: percentage}
compare: {from_period: 2007, to_period: 2008}
"""
FIGURES = """indicator_id,area_code,period,numerator,denominator,value
GLD,A1,2007,40,100,
GLD,A1,2008,50,100,
GLD,A2,2007,30,60,
GLD,A2,2008,36,60,
GLD,A3,2007,,,52
GLD,A3,2008,,,60
GLD,A4,2007,10,20,
OTHER,A1,2008,1,2,
GLD,Z9,2008,1,2,
"""


def region(tmp_path: Path, build: str = BUILD, figures: str = FIGURES):
    (tmp_path / "region.yaml").write_text(build)
    (tmp_path / "figures.csv").write_text(figures)
    return load_region_config(tmp_path / "region.yaml")


def test_two_proportion_test_against_a_hand_computed_value():
    # p = 110/200 = 0.55; se = sqrt(0.55 * 0.45 * (1/100 + 1/100)) = 0.0703562;
    # z = (0.60 - 0.50) / 0.0703562 = 1.42134; two-sided p = 2 * (1 - Phi(1.42134)) = 0.15522
    z, p = two_proportion_test(50, 100, 60, 100)
    assert z == pytest.approx(1.42134, abs=1e-5)
    assert p == pytest.approx(0.15522, abs=1e-5)
    assert two_proportion_test(0, 10, 0, 20) == (0.0, 1.0)
    with pytest.raises(StatisticsError, match="x2 must be a count from 0 to its denominator"):
        two_proportion_test(1, 10, 11, 10)


def test_latest_period_ranked_with_ties_and_missing_figures(tmp_path):
    view = region_view(region(tmp_path))
    block = view.indicators[0]
    assert block.latest == "2008"
    # 2008: Gamma 60, Beta 36/60 = 60, Alpha 50, Delta none: Beta and Gamma share rank 1.
    assert [(r.name, r.rank, r.value) for r in block.ranked] == [
        ("Beta", 1, 60.0), ("Gamma", 1, 60.0), ("Alpha", 3, 50.0), ("Delta", None, None)]
    assert view.rows_left_out == 2  # another indicator; an area outside the region


def test_change_ranked_with_its_significance(tmp_path):
    changes = region_view(region(tmp_path)).indicators[0].changes
    by_name = {c.name: c for c in changes}
    assert [c.name for c in changes] == ["Alpha", "Beta", "Gamma", "Delta"]
    assert (by_name["Alpha"].change, by_name["Alpha"].rank) == (pytest.approx(10.0), 1)
    # Beta 30/60 = 50% to 36/60 = 60%: +10 too, so the same rank.
    assert (by_name["Beta"].change, by_name["Beta"].rank) == (pytest.approx(10.0), 1)
    assert (by_name["Gamma"].change, by_name["Gamma"].rank) == (pytest.approx(8.0), 3)
    # Alpha 40/100 to 50/100: pooled 0.45, se = sqrt(0.45 * 0.55 * 0.02) = 0.0703562,
    # z = 0.1 / 0.0703562 = 1.42134, p = 0.15522: not significant.
    assert by_name["Alpha"].z == pytest.approx(1.42134, abs=1e-5)
    assert by_name["Alpha"].p_value == pytest.approx(0.15522, abs=1e-5)
    assert by_name["Alpha"].significant is False
    assert by_name["Gamma"].p_value is None  # values only: no counts to test
    assert by_name["Delta"].change is None and by_name["Delta"].rank is None


def test_national_quintile_boundaries():
    assert [national_quintile(r, 10) for r in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert national_quintile(1, 32482) == 1 and national_quintile(32482, 32482) == 5


def test_imd_quintile_shares(tmp_path):
    (tmp_path / "imd.csv").write_text("authority_code,lsoa_code,imd_rank\n"
                                      "A1,L1,1\nA1,L2,2\nA1,L3,10\nA1,L4,6\nA2,L5,9\n")
    view = region_view(region(tmp_path, BUILD + "imd: {file: imd.csv, national_lsoas: 10}\n"))
    assert view.imd_shares["A1"] == [0.5, 0, 0.25, 0, 0.25]
    assert view.imd_shares["A2"] == [0, 0, 0, 0, 1]
    assert view.imd_shares["A3"] == []  # no LSOAs given: shown as such, not as zeros


@pytest.mark.parametrize("old, new, message", [
    ("authority_of_interest: A3", "authority_of_interest: A9",
     "setting 'authority_of_interest': not one of the region's authorities (allowed: A1, A2, "
     "A3, A4; found 'A9')"),
    ("{code: A2, name: Beta", "{code: A1, name: Beta",
     "setting 'authorities': each code once (expected distinct codes; found A1 more than once)"),
    ("centres: 2", "centres: -2",
     "setting 'authorities.1.centres': Input should be greater than or equal to 0 (settings "
     "allowed: region, fictional, authority_of_interest, authorities, indicators_file, "
     "indicators, compare, imd; found -2)"),
    ("region: Test region", "regoin: Test region",
     "unknown setting 'regoin'; allowed: region, fictional, authority_of_interest, authorities, "
     "indicators_file, indicators, compare, imd; did you mean 'region'?"),
    ("authority_of_interest: A3", "authority_of_intrest: A3",
     "unknown setting 'authority_of_intrest'; allowed: region, fictional, authority_of_interest, "
     "authorities, indicators_file, indicators, compare, imd; did you mean "
     "'authority_of_interest'?"),
    ("to_period: 2008", "to_perod: 2008",
     "unknown setting 'compare.to_perod'; allowed in 'compare': from_period, to_period; did you "
     "mean 'to_period'?"),
    ("region: Test region\n", "",
     "setting 'region': Field required (settings allowed: region, fictional, "
     "authority_of_interest, authorities, indicators_file, indicators, compare, imd; found no "
     "such setting)"),
    ("to_period: 2008", "to_period: 2007",
     "setting 'compare': two different periods expected (found '2007' twice)"),
])
def test_each_build_file_error_names_the_setting(tmp_path, old, new, message):
    assert old in BUILD
    with pytest.raises(ConfigError) as caught:
        region(tmp_path, BUILD.replace(old, new))
    assert str(caught.value).startswith(f"{tmp_path / 'region.yaml'}: {message}")


def test_workbook_values_formulas_and_highlight(tmp_path):
    from workbooks.region_profile import write_region_profile

    view = region_view(region(tmp_path))
    (tmp_path / "out").mkdir()
    path = write_region_profile(view, tmp_path / "out", dt.date(2008, 6, 30))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["About", "Ranked", "Change", "IMD quintiles", "Centres"]
    change = book["Change"]
    rows = [[c.value for c in row] for row in change.iter_rows(min_row=6, max_row=9, max_col=8)]
    assert rows[0][:5] == [1, "Alpha", 40, 50, "=D6-C6"]
    assert rows[2][1] == "Gamma ●"
    assert rows[3][4] == "no change: a period has no figure"
    assert "two-proportion z-test" in change["A2"].value
    assert book["IMD quintiles"]["A3"].value.startswith("Not shown: the region build file "
                                                        "names no 'imd' input")
    assert book["Centres"]["C8"].value == "=SUM(C4:C7)"
    assert "30/06/2008" in [c.value for c in book["About"]["B"]]
    chart = change._charts[0]
    fills = [str(p.graphicalProperties.solidFill.srgbClr) for p in chart.series[0].dPt]
    assert fills == ["BFBFBF", "BFBFBF", "262626"]  # Alpha, Beta, then Gamma dark


def test_demo_region_is_fictional_and_deterministic(tmp_path):
    first = write_demo_region(tmp_path / "a")
    second = write_demo_region(tmp_path / "b")
    for name in ("region.yaml", "region-indicators.csv", "lsoa-imd.csv"):
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes()
    config = load_region_config(first)
    assert config.fictional and len(config.authorities) == 10
    assert all("(fictional)" in a.name for a in config.authorities)
    assert "X09000001" in {a.code for a in config.authorities}
    periods = {line.split(",")[2] for line in
               (first.parent / "region-indicators.csv").read_text().splitlines()[1:]}
    assert len(periods) >= 2


def test_demo_region_opens_in_libreoffice_without_error_values(tmp_path):
    from realclient import PDF_FILTER, convert, error_cells, recalculated, require_soffice

    require_soffice()
    from workbooks.region_profile import write_region_profile

    view = region_view(load_region_config(write_demo_region(tmp_path / "data")))
    (tmp_path / "out").mkdir()
    path = write_region_profile(view, tmp_path / "out", dt.date(2008, 6, 30))
    copy = recalculated([path], tmp_path / "lo")[0]
    assert error_cells(copy) == []
    values = openpyxl.load_workbook(copy, data_only=True)["Change"]
    formulas = openpyxl.load_workbook(path)["Change"]
    checked = 0
    for row in range(6, 16):
        if str(formulas.cell(row, 5).value).startswith("="):
            expected = values.cell(row, 4).value - values.cell(row, 3).value
            assert math.isclose(values.cell(row, 5).value, expected, abs_tol=1e-9)
            checked += 1
    assert checked == 10
    assert convert([path], PDF_FILTER, tmp_path / "pdf")[0].exists()


def test_lower_is_better_ranks_the_lowest_and_the_largest_fall_first(tmp_path):
    build = BUILD.replace("unit: percentage}", "unit: percentage, higher_is_better: false}")
    block = region_view(region(tmp_path, build)).indicators[0]
    # 2008: Alpha 50 first, then Beta and Gamma at 60; Delta has no figure.
    assert [(r.name, r.rank) for r in block.ranked] == [
        ("Alpha", 1), ("Beta", 2), ("Gamma", 2), ("Delta", None)]
    # Changes +10, +10, +8: the smallest rise ranks first.
    assert [(c.name, c.rank) for c in block.changes] == [
        ("Gamma", 1), ("Alpha", 2), ("Beta", 2), ("Delta", None)]


def test_region_command_writes_the_workbook(tmp_path, capsys):
    from xl_profile.cli import main

    config = write_demo_region(tmp_path / "data")
    assert main(["region", str(config), "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'out' / 'region-profile.xlsx'}\n"
    about = openpyxl.load_workbook(tmp_path / "out" / "region-profile.xlsx")["About"]
    assert about["B3"].value == ("Demoshire (fictional region) — fictional data for "
                                 "demonstration")


def test_demo_writes_the_region_and_its_workbook(tmp_path, capsys):
    from xl_profile.cli import main

    assert main(["demo", "--out", str(tmp_path)]) == 0
    assert f"{tmp_path / 'region-profile.xlsx'}" in capsys.readouterr().out.splitlines()
    assert (tmp_path / "data" / "region" / "region.yaml").is_file()
    assert "FICTIONAL DATA" in (tmp_path / "data" / "region" / "README.txt").read_text()
    # The demo borough's row is its own build's: NI 72 counts as its profile sums them, its
    # centres, and its small areas in England's most deprived 30% exactly where the profile's
    # IMD30 says so.
    from xl_profile.config import load_config
    from xl_profile.pipeline import load_inputs, quiet

    inputs = load_inputs(load_config(tmp_path / "data" / "build.yaml"), progress=quiet)
    ni72 = inputs.profile.results["NI72"]
    rows = (tmp_path / "data" / "region" / "region-indicators.csv").read_text().splitlines()
    assert f"NI72,X09000001,{ni72.period},{ni72.authority.numerator:.0f}," \
           f"{ni72.authority.denominator:.0f}," in rows
    config = load_region_config(tmp_path / "data" / "region" / "region.yaml")
    borough = next(a for a in config.authorities if a.code == "X09000001")
    assert borough.centres == len(inputs.profile.geography.at_level(Level.CENTRE))
    ranks = {line.split(",")[1]: int(line.split(",")[2]) for line in
             (tmp_path / "data" / "region" / "lsoa-imd.csv").read_text().splitlines()[1:]
             if line.startswith("X09000001,")}
    imd30 = {v.area_code: bool(v.numerator or v.value) for v in inputs.values
             if v.indicator_id == "IMD30" and v.area_code in ranks}
    assert imd30 and set(imd30) == set(ranks)
    assert all((rank <= int(0.3 * 32482)) == imd30[code] for code, rank in ranks.items())


def test_a_percentage_over_100_is_refused_with_its_row(tmp_path):
    from xl_profile.errors import InputError

    with pytest.raises(InputError) as caught:
        region_view(region(tmp_path, figures=FIGURES.replace("GLD,A3,2008,,,60",
                                                             "GLD,A3,2008,,,160")))
    assert str(caught.value.problems[0]) == ("figures.csv, row 7, column value: percentage "
                                             "outside 0 to 100 (expected 0 to 100; found 160)")


@pytest.mark.parametrize("old, new, row, column, message", [
    # A decimal comma is refused, never read as 605 or 3.
    ("GLD,A3,2008,,,60", "GLD,A3,2008,,,\"60,5\"", 7, "value",
     "decimal comma in a number (expected a decimal point: write 60.5; found '60,5')"),
    # Refused before the percentage range check, which would report 445 and not the comma.
    ("GLD,A3,2007,,,52", "GLD,A3,2007,,,\"44,5\"", 6, "value",
     "decimal comma in a number (expected a decimal point: write 44.5; found '44,5')"),
    # As the tidy reader: in a value 1,234 may be a thousands separator or a decimal comma.
    ("GLD,A3,2008,,,60", "GLD,A3,2008,,,\"1,234\"", 7, "value",
     "comma in a value: thousands separator or decimal comma? (expected no comma: write 1234 "
     "or 1.234; found '1,234')"),
    ("GLD,A1,2008,50,100,", "GLD,A1,2008,\"5,0\",100,", 3, "numerator",
     "decimal comma in a number (expected a decimal point: write 5.0; found '5,0')"),
])
def test_a_comma_in_a_number_is_refused_with_its_row(tmp_path, old, new, row, column, message):
    from xl_profile.errors import InputError

    assert old in FIGURES
    with pytest.raises(InputError) as caught:
        region_view(region(tmp_path, figures=FIGURES.replace(old, new)))
    assert str(caught.value.problems[0]) == f"figures.csv, row {row}, column {column}: {message}"


def test_counts_with_thousands_separators_are_read_as_the_tidy_reader_reads_them(tmp_path):
    figures = FIGURES.replace("GLD,A1,2008,50,100,", "GLD,A1,2008,\"1,000\",\"2,000\",")
    ranked = region_view(region(tmp_path, figures=figures)).indicators[0].ranked
    assert {r.name: r.value for r in ranked}["Alpha"] == pytest.approx(50.0)


@pytest.mark.parametrize("old, new, message", [
    ("to_period: 2008", "to_period: 2009",
     "setting 'compare.to_period': no figures for this period in figures.csv (expected a period "
     "the file has: 2007, 2008; found '2009')"),
    ("from_period: 2007", "from_period: 2006",
     "setting 'compare.from_period': no figures for this period in figures.csv (expected a "
     "period the file has: 2007, 2008; found '2006')"),
])
def test_a_compared_period_the_data_lacks_is_refused(tmp_path, old, new, message):
    assert old in BUILD
    with pytest.raises(ConfigError) as caught:
        region_view(region(tmp_path, BUILD.replace(old, new)))
    assert str(caught.value) == f"{tmp_path / 'region.yaml'}: {message}"


def test_a_compared_period_one_indicator_lacks_is_refused(tmp_path):
    build = BUILD.replace("unit: percentage}\n",
                          "unit: percentage}\n  - {id: GAP, title: Gap, unit: value}\n")
    figures = FIGURES + "GAP,A1,2008,,,3.5\nGAP,A2,2008,,,4\n"
    with pytest.raises(ConfigError) as caught:
        region_view(region(tmp_path, build, figures))
    assert str(caught.value) == (
        f"{tmp_path / 'region.yaml'}: setting 'compare.from_period': no figures for GAP in this "
        "period in figures.csv (expected a period GAP has: 2008; found '2007')")


def test_an_indicator_listed_with_no_figures_is_refused(tmp_path):
    # Every sheet of it would be blank: a typing error in its id, or a file without it.
    build = BUILD.replace("unit: percentage}\n",
                          "unit: percentage}\n  - {id: GAP, title: Gap, unit: value}\n")
    with pytest.raises(ConfigError) as caught:
        region_view(region(tmp_path, build))
    assert str(caught.value) == (
        f"{tmp_path / 'region.yaml'}: setting 'indicators': no figures for GAP in figures.csv "
        "(expected rows of GAP for the authorities; found none with a value)")


def test_a_signed_number_is_read_once_by_the_tidy_readers_rules():
    from xl_profile.region import _number

    assert [_number(t, "f.csv", 2, "value") for t in ("-5", "- 5", "+3.5", "-1,234.5")] \
        == [-5.0, -5.0, 3.5, -1234.5]
