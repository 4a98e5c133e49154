"""Agency spreadsheets through source mappings: the demo's files give back the demo's tidy rows,
and every broken file or mapping gets a precise error naming file, sheet and cell."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from xl_profile.catalogue import load_catalogue
from xl_profile.cli import main
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.errors import ConfigError, InputError
from xl_profile.intake import intake
from xl_profile.intake_cells import parse_cell, pooled_period
from xl_profile.intake_mapping import load_mappings
from xl_profile.models import Level
from xl_profile.tidy import check_tidy

HEALTH = "pct-child-health-2007-08.xlsx"
HEALTH_SHEET = "Ward data 2007-08"


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("intake") / "data"
    write_demo_inputs(data)
    return data


@pytest.fixture()
def data(demo_inputs, tmp_path) -> Path:
    shutil.copytree(demo_inputs / "agency", tmp_path / "agency")
    shutil.copytree(demo_inputs / "mappings", tmp_path / "mappings")
    return tmp_path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def key(row: dict[str, str]) -> tuple:
    return tuple(sorted(row.items()))


def run_intake(data: Path):
    borough = generate_demo_borough()
    return intake(load_mappings(data / "mappings"), data / "agency", borough.geography,
                  load_catalogue())


def test_intake_of_the_demo_agency_files_reproduces_the_demo_tidy_rows(demo_inputs, tmp_path,
                                                                       capsys):
    out = tmp_path / "tidy.csv"
    status = main(["intake", str(demo_inputs / "mappings"), str(demo_inputs / "agency"),
                   "--out", str(out)])
    assert status == 0
    got = read_csv(out)
    mapped = {(r["indicator_id"]) for r in got}
    assert mapped == {"IMM_MMR2", "AE_0_4", "NI70", "BME_0_4", "LONE_PARENTS", "WORKLESS",
                      "DLA_0_4", "IMD_SCORE"}
    expected = [r for r in read_csv(demo_inputs / "indicators.csv") if r["indicator_id"] in mapped]
    assert sorted(map(key, got)) == sorted(map(key, expected))
    assert len(got) == len(expected) == 268
    # suppressed cells, an England row and an authority row are among them
    assert any(r["value"] in ("*", "x", "c", "..", "-", "<5") for r in got)
    assert {r["level"] for r in got} == {"ward", "england", "authority", "lsoa"}
    provenance = read_csv(tmp_path / "tidy.provenance.csv")
    figures = sum(bool(r[c]) for r in got for c in ("numerator", "denominator", "value"))
    assert len(provenance) == figures
    first_ward = next(p for p in provenance if p["file"] == HEALTH and p["column"] == "numerator")
    assert (first_ward["sheet"], first_ward["cell"]) == (HEALTH_SHEET, "B6")
    england_dla = next(p for p in provenance if p["indicator_id"] == "DLA_0_4"
                       and p["area_code"] == "E92000001" and p["column"] == "denominator")
    assert (england_dla["file"], england_dla["sheet"], england_dla["cell"]) == (
        "dwp-dla-2007.csv", "", "D25")
    err = capsys.readouterr().err
    assert "skipped: 1 blank rows, 3 footnote rows, 2 totals rows" in err
    # the written file passes the tidy checks
    borough = generate_demo_borough()
    assert check_tidy(out, load_catalogue(), borough.geography).problems == []


def set_cell(path: Path, sheet: str, cell: str, value) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def edit_mapping(path: Path, **changes) -> None:
    mapping = yaml.safe_load(path.read_text())
    mapping.update(changes)
    path.write_text(yaml.safe_dump(mapping, sort_keys=False))


def only(data: Path, *keep: str) -> None:
    for path in (data / "mappings").iterdir():
        if path.name not in keep:
            path.unlink()


def problems_of(data: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        run_intake(data)
    return [str(p) for p in caught.value.problems]


def test_a_cell_that_is_not_a_number(data):
    only(data, "pct-child-health.yaml")
    set_cell(data / "agency" / HEALTH, HEALTH_SHEET, "C8", "n/a")
    assert problems_of(data) == [
        f"{HEALTH}, sheet {HEALTH_SHEET}, cell C8, column MMR2 by age 5 / Children: not a number "
        "(expected a number (1,234, 62.3%, £5 allowed), blank or a suppression marker "
        "(*, x, c, .., -, <5); found 'n/a')"]


def test_an_unmatched_name_is_reported_with_the_closest(data):
    only(data, "pct-child-health.yaml")
    set_cell(data / "agency" / HEALTH, HEALTH_SHEET, "A7", "Beacon Hil")
    set_cell(data / "agency" / HEALTH, HEALTH_SHEET, "A9", "Dove Cote Estate")
    assert problems_of(data) == [
        f"{HEALTH}, sheet {HEALTH_SHEET}, cell A7, column Ward: ward name not in the geography "
        "(expected a ward of Demo Borough (fictional), closest 'Beacon Hill'; found Beacon Hil)",
        f"{HEALTH}, sheet {HEALTH_SHEET}, cell A9, column Ward: ward name not in the geography "
        "(expected a ward of Demo Borough (fictional), closest 'Dovecote'; found Dove Cote "
        "Estate)"]


def test_a_missing_sheet(data):
    only(data, "pct-child-health.yaml")
    edit_mapping(data / "mappings" / "pct-child-health.yaml", sheet="Wards 2008*")
    assert problems_of(data) == [
        f"{HEALTH}: sheet 'Wards 2008*' not found (expected a sheet named 'Wards 2008*'; found "
        f"Notes, {HEALTH_SHEET})"]


def test_a_moved_header(data):
    only(data, "pct-child-health.yaml")
    edit_mapping(data / "mappings" / "pct-child-health.yaml", header_row=6)
    assert problems_of(data) == [
        f"{HEALTH}, sheet {HEALTH_SHEET}, row 6: header not on the mapped row (expected "
        "header_row: 5 (the mapped titles are on row 5); found titles 'ALDER PARK', "
        "'Number / 77', 'Children / 93', '% / ...)"]


def test_an_unknown_column(data):
    only(data, "dwp-dla.yaml")
    path = data / "mappings" / "dwp-dla.yaml"
    mapping = yaml.safe_load(path.read_text())
    mapping["values"][0]["denominator"] = "Children aged 0-4"
    path.write_text(yaml.safe_dump(mapping))
    assert problems_of(data) == [
        "dwp-dla-2007.csv, row 3: column 'Children aged 0-4' not found in the header (expected "
        "a column titled 'Children aged 0-4' (closest title: 'Children 0-4'); found titles "
        "'Area code', 'Area name', 'Claimants 0-4', 'Children ...)"]


def test_a_csv_in_the_wrong_encoding(data):
    only(data, "dwp-dla.yaml")
    edit_mapping(data / "mappings" / "dwp-dla.yaml", encoding="utf-8")
    assert problems_of(data) == [
        "dwp-dla-2007.csv: text is not in the mapping's encoding (expected utf-8 text (set "
        "encoding: cp1252 for Windows files); found byte 0xa3 at position 200)"]


@pytest.mark.parametrize("change, message", [
    ({"level": "street"}, "field 'level': expected 'england', 'region', 'authority', 'cluster', "
                          "'centre', 'ward', 'lsoa' or 'oa'; found 'street'"),
    ({"header_rows": 9}, "field 'header_rows': expected less than or equal to 4; found 9"),
    ({"sheets": "x"}, "unknown field 'sheets' (found 'x'); allowed fields: source, data_date, "
                      "file, sheet, header_row, header_rows, range, encoding, area, level, "
                      "period, period_column, suppression, missing, totals, footnotes, "
                      "benchmarks, values"),
    ({"period_column": "Year"}, "give either period (fixed) or period_column, exactly one"),
    ({"data_date": "March 2008"}, "field 'data_date': expected a date YYYY, YYYY-MM or "
                                  "YYYY-MM-DD, not 'March 2008'; found 'March 2008'"),
    ({"encoding": "ebcdic"}, "field 'encoding': expected 'utf-8', 'utf-8-sig', 'cp1252' or "
                             "'latin-1'; found 'ebcdic'"),
])
def test_a_broken_mapping_names_file_and_field(data, change, message):
    path = data / "mappings" / "dwp-dla.yaml"
    edit_mapping(path, **change)
    with pytest.raises(ConfigError) as caught:
        load_mappings(data / "mappings")
    assert str(caught.value) == f"{path}: {message}"


def test_a_unit_that_is_not_the_catalogue_s(data):
    path = data / "mappings" / "dwp-dla.yaml"
    mapping = yaml.safe_load(path.read_text())
    mapping["values"][0]["unit"] = "per 1,000"
    path.write_text(yaml.safe_dump(mapping))
    with pytest.raises(ConfigError) as caught:
        run_intake(data)
    assert str(caught.value) == (f"{path}: field 'values.0.unit': DLA_0_4 is '%' in the "
                                 "catalogue; found 'per 1,000'")


def test_an_indicator_not_in_the_catalogue(data):
    path = data / "mappings" / "dwp-dla.yaml"
    mapping = yaml.safe_load(path.read_text())
    mapping["values"][0]["indicator"] = "DLA_UNDER_5"
    path.write_text(yaml.safe_dump(mapping))
    with pytest.raises(ConfigError) as caught:
        run_intake(data)
    assert str(caught.value) == (f"{path}: field 'values.0.indicator': 'DLA_UNDER_5' is not in "
                                 "the catalogue (expected a catalogue id; draft an entry with "
                                 "'xl-profile catalogue new')")


def test_no_file_matches(data):
    (data / "agency" / "dwp-dla-2007.csv").unlink()
    with pytest.raises(ConfigError) as caught:
        run_intake(data)
    assert str(caught.value) == (
        f"{data / 'mappings' / 'dwp-dla.yaml'}: field 'file': no file in {data / 'agency'} "
        "matches 'dwp-dla-*.csv' (found dclg-imd-2007.xlsx, pct-child-health-2007-08.xlsx, "
        "ward-profiles-2001.xlsx)")


@pytest.mark.parametrize("text, number, marker, ok", [
    ("11,500", 11500.0, None, True), ("£1,234.50", 1234.5, None, True),
    ("62.3%", 62.3, None, True), ("1\u00a0234", 1234.0, None, True), (" 7 ", 7.0, None, True),
    ("*", None, "*", True), ("< 5", None, "<5", True), ("", None, None, True),
    (12, 12.0, None, True), ("n/a", None, None, False), ("1,23", None, None, False),
    (float("nan"), None, None, False), (True, None, None, False),
])
def test_cells_as_agencies_write_them(text, number, marker, ok):
    assert parse_cell(text, ("*", "<5")) == (number, marker, ok)


@pytest.mark.parametrize("text, period", [
    ("2011/12 to 2013/14", "2011/12-2013/14"), ("2011/12 – 2013/14", "2011/12-2013/14"),
    ("2011/12-2013/14", "2011/12-2013/14"), ("2008-04", "2008-04"), ("2007", "2007")])
def test_pooled_periods_are_kept_as_ranges(text, period):
    assert pooled_period(text) == period


@pytest.mark.parametrize("period, ok", [
    ("2011/12-2013/14", True), ("2008/09", True), ("2013/14-2011/12", False),
    ("2011/12-2013/15", False), ("2011/12 to 2013/14", False), ("2011-2013", False)])
def test_pooled_financial_years_are_valid_tidy_periods(period, ok):
    from xl_profile.models import PeriodType
    from xl_profile.tidy import period_is_valid

    assert period_is_valid(period, PeriodType.FINANCIAL_YEAR) is ok
    assert period_is_valid("2008-04-2009-03", PeriodType.MONTH)
    assert not period_is_valid("2009-03-2008-04", PeriodType.MONTH)


def test_pooled_periods_from_a_column_reach_the_tidy_file(data, tmp_path):
    """A sheet with the period in a column, written '2011/12 to 2013/14', gives a tidy file whose
    periods are ranges the tidy checks accept."""
    only(data, "dclg-imd.yaml")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ward code", "Period", "Births", "Low weight", "%"])
    borough = generate_demo_borough()
    wards = borough.geography.at_level(Level.WARD)
    for ward in wards[:3]:
        sheet.append([ward.code, "2011/12 to 2013/14", "1,200", 84, "7.0%"])
    book.save(data / "agency" / "pooled-lbw.xlsx")
    (data / "mappings" / "dclg-imd.yaml").unlink()
    (data / "mappings" / "pooled.yaml").write_text(yaml.safe_dump({
        "source": "ONS births", "data_date": "2014-12", "file": "pooled-*.xlsx",
        "header_row": 1, "area": {"column": "Ward code"}, "level": "ward",
        "period_column": "Period", "values": [{"indicator": "NI53", "numerator": "Low weight",
                                               "denominator": "Births", "value": "%",
                                               "unit": "%"}]}))
    result = run_intake(data)
    assert [(r["period"], r["numerator"], r["denominator"], r["value"]) for r in result.rows] == [
        ("2011/12-2013/14", "84", "1200", "7.0")] * 3
    from xl_profile.intake import write_csv_files
    from xl_profile.tidy import COLUMNS

    write_csv_files((tmp_path / "t.csv", COLUMNS, result.rows))
    assert check_tidy(tmp_path / "t.csv", load_catalogue(), borough.geography).problems == []


def test_catalogue_new_drafts_valid_entries_for_unknown_indicators(data, tmp_path, capsys):
    path = data / "mappings" / "dwp-dla.yaml"
    mapping = yaml.safe_load(path.read_text())
    mapping["values"].append({"indicator": "DLA_RATE", "numerator": "Claimants 0-4",
                              "denominator": "Children 0-4", "unit": "per 1,000"})
    path.write_text(yaml.safe_dump(mapping))
    out = tmp_path / "local.yaml"
    assert main(["catalogue", "new", str(data / "mappings"), "--out", str(out)]) == 0
    assert capsys.readouterr().out == (f"1 draft entry written to {out} (DLA_RATE); finish "
                                       "every TODO\n")
    definition = load_catalogue(extra_paths=[out]).get("DLA_RATE")
    assert (definition.unit.value, definition.multiplier, definition.native_level.value,
            definition.period_type.value, definition.source, definition.local) == (
        "rate", 1000.0, "ward", "calendar year", "DWP", True)
    assert definition.title == "TODO: title of DLA_RATE"
    assert definition.denominator == "TODO: what column 'Children 0-4' counts"
    assert "section: Demographics  # TODO: one of Be healthy" in out.read_text()
    # with the draft, the intake reads the new indicator
    borough = generate_demo_borough()
    result = intake(load_mappings(data / "mappings"), data / "agency", borough.geography,
                    load_catalogue(extra_paths=[out]))
    assert sum(r["indicator_id"] == "DLA_RATE" for r in result.rows) == 22
    # nothing left to draft
    assert main(["catalogue", "new", str(data / "mappings"), "--out", str(tmp_path / "b.yaml"),
                 "--catalogue", str(out)]) == 0
    assert not (tmp_path / "b.yaml").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_the_same_workbooks_saved_as_ods_or_xls_give_the_same_rows(data, tmp_path, suffix):
    """The demo's xlsx files converted by LibreOffice: merged headers, names and markers read the
    same from OpenDocument and Excel 97 files."""
    import subprocess

    expected = sorted(map(key, run_intake(data).rows))
    profile = tmp_path / "profile"
    workbooks = sorted((data / "agency").glob("*.xlsx"))
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                           "--norestore", "--convert-to", suffix, "--outdir",
                           str(data / "agency"), *map(str, workbooks)],
                          capture_output=True, text=True, timeout=180, check=False)
    converted = [w.with_suffix(f".{suffix}") for w in workbooks]
    assert all(c.exists() for c in converted), done.stderr
    for workbook in workbooks:
        workbook.unlink()
    for mapping in (data / "mappings").iterdir():
        mapping.write_text(mapping.read_text().replace("*.xlsx", f"*.{suffix}"))
    assert sorted(map(key, run_intake(data).rows)) == expected


def test_a_build_naming_mappings_reads_the_agency_files(demo_inputs, tmp_path):
    """The demo's build with the mapped rows taken out of indicators.csv and the mappings named
    instead computes the same profile."""
    from xl_profile.config import load_config
    from xl_profile.pipeline import load_profile, quiet

    data = tmp_path / "data"
    shutil.copytree(demo_inputs, data)
    mapped = {"IMM_MMR2", "AE_0_4", "NI70", "BME_0_4", "LONE_PARENTS", "WORKLESS", "DLA_0_4",
              "IMD_SCORE"}
    rows = read_csv(data / "indicators.csv")
    from xl_profile.tidy import write_tidy_csv

    write_tidy_csv(data / "indicators.csv", [r for r in rows if r["indicator_id"] not in mapped])
    plain = load_profile(load_config(demo_inputs / "build.yaml"), quiet)
    build = data / "build.yaml"
    build.write_text(build.read_text() + "mappings: mappings\nagency: agency\n")
    through_mappings = load_profile(load_config(build), quiet)
    assert through_mappings.results.keys() == plain.results.keys()
    for indicator in mapped:
        assert through_mappings.results[indicator] == plain.results[indicator]


def test_a_build_reports_a_tidy_problem_at_the_agency_cell(data, tmp_path):
    """A percentage over 100 is caught by the tidy checks and placed at its source cell."""
    from xl_profile.errors import ProblemLog
    from xl_profile.intake import agency_values

    only(data, "dwp-dla.yaml")
    path = data / "agency" / "dwp-dla-2007.csv"
    text = path.read_bytes().decode("cp1252").replace("Beacon Hill,-,417,-,",
                                                      "Beacon Hill,500,417,119.9,")
    path.write_bytes(text.encode("cp1252"))
    log = ProblemLog()
    borough = generate_demo_borough()
    agency_values(data / "mappings", data / "agency", load_catalogue(), borough.geography, log)
    assert [str(p) for p in log.kept] == [
        "dwp-dla-2007.csv, cell C6, column numerator: numerator greater than denominator "
        "(expected at most the denominator 417; found 500)",
        "dwp-dla-2007.csv, cell E6, column value: percentage over 100 (expected 0 to 100; found "
        "119.9)"]


def test_a_build_file_names_both_mappings_and_agency(demo_inputs, tmp_path):
    from xl_profile.config import load_config

    build = tmp_path / "build.yaml"
    build.write_text((demo_inputs / "build.yaml").read_text() + "mappings: mappings\n")
    with pytest.raises(ConfigError) as caught:
        load_config(build)
    assert str(caught.value) == (f"{build}: give both mappings (folder of source mappings) and "
                                 "agency (folder of agency files), or neither")


def test_a_file_that_is_not_a_workbook(data):
    only(data, "pct-child-health.yaml")
    (data / "agency" / HEALTH).write_text("not a workbook")
    assert problems_of(data) == [
        f"{HEALTH}: cannot be read as a spreadsheet (expected an xlsx file; found invalid Zip "
        "archive: Could not find EOCD)"]
