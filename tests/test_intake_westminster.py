"""Westminster's real GLA ward profiles (a 67-column wide table with '2,000', '£750,000' and a
pooled period) through a mapping, a drafted catalogue and intake, into a tidy file that passes
the tidy checks. Skipped only when the shared real data folder is absent."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from xl_profile.catalogue import load_catalogue
from xl_profile.cli import main
from xl_profile.models import Area, Geography, Level
from xl_profile.tidy import check_tidy

WESTMINSTER = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "westminster"
PROFILES = WESTMINSTER / "westminster_ward_profiles_gla.csv"
pytestmark = pytest.mark.skipif(not PROFILES.exists(), reason="real Westminster data absent")

MAPPING = {
    "source": "GLA ward profiles", "data_date": "2015", "file": "westminster_ward_profiles_*.csv",
    "header_row": 1, "area": {"column": "New code"}, "level": "ward",
    "period": "2011/12 to 2013/14", "missing": ["n/a"],
    "values": [{"indicator": "OBESE_RECEPTION",
                "value": "% children in reception year who are obese - 2011/12 to 2013/14",
                "unit": "%"},
               {"indicator": "OBESE_YEAR6",
                "value": "% children in year 6 who are obese- 2011/12 to 2013/14", "unit": "%"}]}
HOUSE_PRICES = {
    "source": "GLA ward profiles", "data_date": "2014", "file": "westminster_ward_profiles_*.csv",
    "header_row": 1, "area": {"column": "Ward name", "by": "name"}, "level": "ward",
    "period": "2014", "totals": ["Westminster"],
    "values": [{"indicator": "CHILDREN_0_15", "value": "Children aged 0-15 - 2015",
                "unit": "count", "data_date": "2015"},
               {"indicator": "HOUSE_PRICE", "value": "Median House Price (£) - 2014",
                "unit": "score"}]}


def westminster_geography() -> Geography:
    with (WESTMINSTER / "westminster_ward_codes.csv").open(encoding="utf-8") as handle:
        wards = list(csv.DictReader(handle))
    areas = [Area(code="E09000033", name="Westminster", level=Level.AUTHORITY)]
    areas += [Area(code=w["ward_code"], name=f"Westminster - {w['ward_name']}", level=Level.WARD,
                   parent="E09000033") for w in wards]
    return Geography(areas=tuple(areas), memberships=())


def test_gla_ward_profiles_through_a_mapping(tmp_path, monkeypatch, capsys):
    agency, mappings = tmp_path / "agency", tmp_path / "mappings"
    agency.mkdir()
    mappings.mkdir()
    shutil.copy(PROFILES, agency)
    (mappings / "gla-health.yaml").write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    (mappings / "gla-housing.yaml").write_text(yaml.safe_dump(HOUSE_PRICES, allow_unicode=True),
                                               encoding="utf-8")
    local = tmp_path / "local.yaml"
    assert main(["catalogue", "new", str(mappings), "--out", str(local)]) == 0
    catalogue = load_catalogue(extra_paths=[local])
    assert catalogue.get("OBESE_RECEPTION").period_type.value == "financial year"
    geography = westminster_geography()
    monkeypatch.setattr("xl_profile.commands.common.load_geography_or_demo",
                        lambda _folder: geography)
    out = tmp_path / "tidy.csv"
    assert main(["intake", str(mappings), str(agency), "--out", str(out), "--catalogue",
                 str(local)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    obese = {r["area_code"]: r for r in rows if r["indicator_id"] == "OBESE_RECEPTION"}
    assert len(obese) == 19  # 18 wards and the borough: two wards have n/a
    assert obese["E05000630"]["period"] == "2011/12-2013/14"
    assert (obese["E05000630"]["value"], obese["E09000033"]["level"]) == ("8.5", "authority")
    prices = {r["area_code"]: r["value"] for r in rows if r["indicator_id"] == "HOUSE_PRICE"}
    assert len(prices) == 20 and prices["E05000630"] == "750000"
    children = {r["area_code"]: r["value"] for r in rows if r["indicator_id"] == "CHILDREN_0_15"}
    assert children["E05000630"] == "2000"
    err = capsys.readouterr().err
    assert "1 totals rows" in err and "4 cells marked missing (n/a)" in err
    assert check_tidy(out, catalogue, geography).problems == []


def test_the_same_file_read_as_latin_1_names_the_cell(tmp_path):
    from xl_profile.errors import InputError
    from xl_profile.intake import intake
    from xl_profile.intake_mapping import load_mappings

    (tmp_path / "agency").mkdir()
    (tmp_path / "mappings").mkdir()
    shutil.copy(PROFILES, tmp_path / "agency")
    mapping = dict(HOUSE_PRICES, encoding="latin-1")
    mapping["values"] = [dict(HOUSE_PRICES["values"][1], value="Median House Price (Â£) - 2014")]
    (tmp_path / "mappings" / "gla.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True),
                                                    encoding="utf-8")
    catalogue_file = tmp_path / "local.yaml"
    assert main(["catalogue", "new", str(tmp_path / "mappings"), "--out",
                 str(catalogue_file)]) == 0
    with pytest.raises(InputError) as caught:
        intake(load_mappings(tmp_path / "mappings"), tmp_path / "agency",
               westminster_geography(), load_catalogue(extra_paths=[catalogue_file]))
    assert str(caught.value.problems[0]) == (
        "westminster_ward_profiles_gla.csv, cell AE2, column Median House Price (Â£) - 2014: not "
        "a number (expected a number (1,234, 62.3%, £5 allowed), blank or a suppression marker "
        "(*, x, c, .., -, <5); found 'Â£750,000')")
