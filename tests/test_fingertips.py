"""Fingertips CSV: a download read into tidy rows through a mapping, and a built profile exported
in the same layout and read back with the same values."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from xl_profile.catalogue import load_catalogue
from xl_profile.cli import main
from xl_profile.config import load_config
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.errors import ConfigError, InputError
from xl_profile.fingertips import COLUMNS, NOTE_TEXT, note_of, tidy_period
from xl_profile.intake import intake
from xl_profile.intake_mapping import load_mappings
from xl_profile.models import ValueNote
from xl_profile.pipeline import load_profile, quiet


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("fingertips") / "data"
    config = write_demo_inputs(data)
    return data, load_profile(load_config(config), quiet)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fingertips_mapping(folder: Path, indicators: dict, **extra) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "fingertips.yaml"
    path.write_text(yaml.safe_dump({"kind": "fingertips", "file": "*.csv",
                                    "data_date": "2008-03", "indicators": indicators, **extra}))
    return folder


def test_export_of_the_demo_reads_back_with_the_same_values(demo, tmp_path):
    data, profile = demo
    out = tmp_path / "download" / "fingertips.csv"
    out.parent.mkdir()
    assert main(["export", str(data / "build.yaml"), "--format", "fingertips", "--out",
                 str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    exported = read_csv(out)
    levels = {r["Area Type"] for r in exported}
    assert levels == {"England", "Local authority", "Cluster", "Children's centre", "Ward"}
    notes = {r["Value note"] for r in exported}
    assert {NOTE_TEXT[ValueNote.SUPPRESSED], NOTE_TEXT[ValueNote.ESTIMATED],
            NOTE_TEXT[ValueNote.INCOMPLETE]} <= notes
    assert {"Better", "Worse", "Similar"} <= {r["Compared to England value or percentiles"]
                                              for r in exported}
    mappings = fingertips_mapping(tmp_path / "mappings", {i: i for i in profile.results})
    back = intake(load_mappings(mappings), out.parent, profile.geography, profile.catalogue)
    by_key = {(r["indicator_id"], r["area_code"]): r for r in back.rows}
    assert len(back.rows) == len(exported)
    compared = 0
    for result in profile.results.values():
        for area in [a for a in (result.england, result.authority) if a] + [
                *result.clusters, *result.centres, *result.wards]:
            row = by_key[(result.definition.id, area.code)]
            assert row["period"] == result.period
            for column, number in (("value", area.value), ("numerator", area.numerator),
                                   ("denominator", area.denominator)):
                if number is None:
                    assert row[column] in ("", "*")
                else:
                    assert float(row[column]) == number
                    compared += 1
            assert row["note"] == (area.note.value if area.note else "")
    assert compared > 2000
    # the sources of every figure: the export's cells
    first = back.provenance[0]
    assert (first["file"], first["cell"]) == ("fingertips.csv", "R2")


DOWNLOAD = [
    ["90631", "Low birth weight", "", "", "E92000001", "England", "England", "Persons",
     "All ages", "", "", "2017 - 19", "2.9", "2.8", "3.0", "", "", "17400", "600000", "", "", "",
     "", "20170000", "", ""],
    ["90631", "Low birth weight", "E92000001", "England", "E12000007", "London region", "Region",
     "Persons", "All ages", "", "", "2017 - 19", "3.2", "", "", "", "", "4100", "128000", "", "",
     "", "", "20170000", "", ""],
    ["90631", "Low birth weight", "E12000007", "London region", "X05000001", "Alder Park", "Ward",
     "Persons", "All ages", "", "", "2017 - 19", "", "", "", "", "", "", "400",
     "Value suppressed for disclosure control due to small count", "", "", "", "20170000", "",
     ""],
    ["90631", "Low birth weight", "E12000007", "London region", "X05000001", "Alder Park", "Ward",
     "Persons", "All ages", "Deprivation deciles", "Most deprived", "2017 - 19", "3.5", "", "",
     "", "", "7", "200", "", "", "", "", "20170000", "", ""],
    ["92196", "Unmapped", "", "", "E92000001", "England", "England", "Persons", "", "", "",
     "2019/20", "1", "", "", "", "", "1", "100", "", "", "", "", "20190000", "", ""],
]


def write_download(folder: Path, rows: list[list[str]]) -> None:
    folder.mkdir(exist_ok=True)
    with (folder / "download.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def test_a_fingertips_download_becomes_tidy_rows(tmp_path):
    write_download(tmp_path / "in", DOWNLOAD)
    mappings = fingertips_mapping(tmp_path / "mappings", {90631: "LBW"})
    borough = generate_demo_borough()
    result = intake(load_mappings(mappings), tmp_path / "in", borough.geography, load_catalogue())
    assert [(r["area_code"], r["period"], r["numerator"], r["denominator"], r["value"],
             r["note"], r["level"]) for r in result.rows] == [
        ("E92000001", "2017-2019", "17400", "600000", "2.9", "", "england"),
        ("E12000007", "2017-2019", "4100", "128000", "3.2", "", "region"),
        ("X05000001", "2017-2019", "", "400", "*", "suppressed", "ward")]
    assert dict(result.skipped) == {"breakdown rows (category or sex)": 1,
                                    "rows of unmapped Fingertips indicators": 1}


def test_an_area_outside_the_geography_is_reported_with_its_cell(tmp_path):
    other = list(DOWNLOAD[2])
    other[4] = "E09000033"
    write_download(tmp_path / "in", [DOWNLOAD[0], other])
    mappings = fingertips_mapping(tmp_path / "mappings", {90631: "LBW"})
    borough = generate_demo_borough()
    with pytest.raises(InputError) as caught:
        intake(load_mappings(mappings), tmp_path / "in", borough.geography, load_catalogue())
    assert str(caught.value) == (
        "download.csv, cell E3, column Area Code: area not in the geography (expected England, "
        "a region or an area of Demo Borough (fictional) (other_areas: skip to leave the rest "
        "out); found E09000033)")
    fingertips_mapping(tmp_path / "mappings", {90631: "LBW"}, other_areas="skip")
    result = intake(load_mappings(mappings), tmp_path / "in", borough.geography, load_catalogue())
    assert len(result.rows) == 1 and result.skipped["areas outside the geography"] == 1


def test_a_fingertips_mapping_to_an_unknown_indicator(tmp_path):
    write_download(tmp_path / "in", DOWNLOAD)
    mappings = fingertips_mapping(tmp_path / "mappings", {90631: "LBW_3YR"})
    with pytest.raises(ConfigError) as caught:
        intake(load_mappings(mappings), tmp_path / "in", generate_demo_borough().geography,
               load_catalogue())
    assert str(caught.value) == (f"{mappings / 'fingertips.yaml'}: field 'indicators.90631': "
                                 "'LBW_3YR' is not in the catalogue (expected a catalogue id)")


@pytest.mark.parametrize("text, period", [
    ("2017 - 19", "2017-2019"), ("2016/17 - 18/19", "2016/17-2018/19"), ("2019/20", "2019/20"),
    ("2019", "2019"), ("2011/12-2013/14", "2011/12-2013/14")])
def test_fingertips_periods(text, period):
    assert tidy_period(text) == period


@pytest.mark.parametrize("text, note", [
    ("Value suppressed for disclosure control due to small count", ValueNote.SUPPRESSED),
    ("Aggregated from all known lower geography values", ValueNote.AGGREGATED),
    ("Value estimated from partial data", ValueNote.ESTIMATED), ("", None)])
def test_fingertips_value_notes(text, note):
    assert note_of(text) is note
