"""Every command, over a corpus of broken inputs: one ``Error:`` line, exit non-zero, no traceback,
nothing written.

Each case starts from the demo borough's own inputs (written once, copied per case) and changes one
thing. A case is one line of the table below: an id, the command line, the change, and the exact
``Error:`` line expected. Placeholders: ``{data}`` the copied demo input folder, ``{geo}`` its
geography folder, ``{out}`` a fresh output folder, ``{file}`` an existing ordinary file.
"""

from __future__ import annotations

import errno
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from xl_profile.cli import main
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.demo.region import write_demo_region

Change = Callable[[Path], None]


# --- changes to the demo inputs, one thing at a time ----------------------------------------------

def nothing(_data: Path) -> None:
    """Leave the inputs as they are (the command line is what is broken)."""


def yaml_setting(key: str, value: str) -> Change:
    """Set ``key: value`` in build.yaml (replacing the line when it is there)."""
    def change(data: Path) -> None:
        path = data / "build.yaml"
        lines = [ln for ln in path.read_text().splitlines() if not ln.startswith(f"{key}:")]
        path.write_text("\n".join(lines + [f"{key}: {value}"]) + "\n")
    return change


def yaml_text(text: str) -> Change:
    def change(data: Path) -> None:
        (data / "build.yaml").write_text(text)
    return change


def coordinate(relative: str, feature: int, value: float) -> Change:
    """Put ``value`` (NaN or Infinity) as the x of the third vertex of a feature's first ring."""
    def change(data: Path) -> None:
        path = data / relative
        collection = json.loads(path.read_text())
        collection["features"][feature - 1]["geometry"]["coordinates"][0][2][0] = value
        path.write_text(json.dumps(collection))  # writes NaN / Infinity as Python's json does
    return change


def property_value(relative: str, feature: int, key: str, value: object) -> Change:
    def change(data: Path) -> None:
        path = data / relative
        collection = json.loads(path.read_text())
        collection["features"][feature - 1]["properties"][key] = value
        path.write_text(json.dumps(collection))
    return change


def crs_member(relative: str, member: object) -> Change:
    def change(data: Path) -> None:
        path = data / relative
        collection = json.loads(path.read_text())
        collection["crs"] = member
        path.write_text(json.dumps(collection))
    return change


def csv_cell(relative: str, row: int, column: str, value: str) -> Change:
    """Set a cell of a CSV, ``row`` numbered as a spreadsheet shows it (header is row 1)."""
    def change(data: Path) -> None:
        path = data / relative
        lines = path.read_text().splitlines()
        header = lines[0].split(",")
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n")
    return change


def text(relative: str, content: str) -> Change:
    def change(data: Path) -> None:
        (data / relative).write_text(content)
    return change


def replace_text(relative: str, old: str, new: str, encoding: str = "utf-8") -> Change:
    """Replace ``old`` (which must be there) by ``new`` in a text file."""
    def change(data: Path) -> None:
        path = data / relative
        content = path.read_bytes().decode(encoding)
        assert old in content
        path.write_bytes(content.replace(old, new).encode(encoding))
    return change


def remove(relative: str) -> Change:
    def change(data: Path) -> None:
        target = data / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return change


def folder_in_place_of(relative: str) -> Change:
    def change(data: Path) -> None:
        remove(relative)(data)
        (data / relative).mkdir()
    return change


def only_cluster_memberships(data: Path) -> None:
    path = data / "geography" / "memberships.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(ln for ln in lines if ",CL-" in ln or ln.startswith("child")) + "\n")


def second_indicators_file(data: Path) -> None:
    """A second indicators file in build.yaml repeating NI53's row for X05000002 in 2006/07
    with another figure (as when an agency's corrected return is added beside the first)."""
    lines = (data / "indicators.csv").read_text().splitlines()
    (data / "extra.csv").write_text(lines[0] + "\n" + lines[2].replace("69,91,75.8", "20,91,22.0")
                                    + "\n")
    replace_text("build.yaml", "  - indicators.csv\n", "  - indicators.csv\n  - extra.csv\n")(data)


def header_only(relative: str) -> Change:
    def change(data: Path) -> None:
        path = data / relative
        path.write_text(path.read_text().splitlines()[0] + "\n")
    return change


def both(*changes: Change) -> Change:
    def change(data: Path) -> None:
        for c in changes:
            c(data)
    return change


# --- the corpus ---------------------------------------------------------------------------------

BUILD = ["build", "{data}/build.yaml", "--out", "{out}"]
LSOA_JSON, CENTRE_JSON = "geography/boundaries/lsoa.geojson", "geography/boundaries/centre.geojson"
BESTFIT = ["bestfit", "--small-areas", f"{{data}}/{LSOA_JSON}", "--small-area-code", "code",
           "--targets", f"{{data}}/{CENTRE_JSON}", "--target-code", "code"]
CENTROIDS = ["--centroids", "{geo}/lsoa_centroids.csv"]
REACH_DIRECT = ["reach", "--extract", "{data}/extract", "--geography", "{geo}", "--as-of", "2008-03-31",
                "--out", "{out}"]
GEOGRAPHY = ["geography", "--wards", "{geo}/boundaries/ward.geojson", "--ward-code", "code",
             "--ward-name", "name", "--small-areas", f"{{data}}/{LSOA_JSON}", "--small-area-code",
             "code", "--clusters", "{data}/clusters.csv", "--centres", f"{{data}}/{CENTRE_JSON}",
             "--authority", "X09000001:Demo"]
INTAKE = ["intake", "{data}/mappings", "{data}/agency", "--out", "{out}/tidy.csv"]
DLA_CSV, DLA_MAPPING = "agency/dwp-dla-2007.csv", "mappings/dwp-dla.yaml"
REGION = ["region", "{data}/region/region.yaml", "--out", "{out}"]
REGION_YAML = "region/region.yaml"
REGION_SETTINGS = ("region, fictional, authority_of_interest, authorities, indicators_file, "
                   "indicators, compare, imd")
SETTINGS = ("geography, indicators, catalogue, template, extract, reach_as_of, pseudonym_key, "
            "suppression_threshold, centre_fit, built_on, mappings, agency, targets, eyfsp, "
            "eyfsp_postcodes")
EYFSP, POSTCODES = "eyfsp.csv", "eyfsp-postcodes.csv"


@dataclass(frozen=True)
class Case:
    id: str
    argv: list[str]
    change: Change
    error: str  # the exact last line of standard error, after "Error: "


CASES = [
    # intake: mappings, agency files and the output
    Case("intake-unknown-column", INTAKE,
         replace_text(DLA_MAPPING, "denominator: Children 0-4", "denominator: Children aged 0-4"),
         "dwp-dla-2007.csv, row 3: column 'Children aged 0-4' not found in the header (expected "
         "a column titled 'Children aged 0-4' (closest title: 'Children 0-4'); found titles "
         "'Area code', 'Area name', 'Claimants 0-4', 'Children ...)"),
    Case("intake-not-a-number", INTAKE,
         replace_text(DLA_CSV, "Alder Park,<5,427,", "Alder Park,<5,427 (est),", "cp1252"),
         "dwp-dla-2007.csv, cell D5, column Children 0-4: not a number (expected a number "
         "(1,234, 62.3%, £5 allowed), blank or a suppression marker (*, x, c, .., -, <5); found "
         "'427 (est)')"),
    Case("intake-percentage-over-100", INTAKE,
         replace_text(DLA_CSV, "Alder Park,<5,427,<5,", "Alder Park,3,427,101.5,", "cp1252"),
         "dwp-dla-2007.csv, cell E5, column value: percentage over 100 (expected 0 to 100; found "
         "101.5)"),
    Case("intake-unknown-code", INTAKE, replace_text(DLA_CSV, "X05000001,Alder", "X05000099,Alder",
                                                     "cp1252"),
         "dwp-dla-2007.csv, cell A5, column Area code: area code not in the geography (expected "
         "a code in the geography of Demo Borough (fictional); found X05000099)"),
    Case("intake-mapping-field-unknown", INTAKE, replace_text(DLA_MAPPING, "header_row: 3",
                                                              "header_row: 3\nheader: 3"),
         "{data}/mappings/dwp-dla.yaml: unknown field 'header' (found 3); allowed fields: "
         "source, data_date, file, sheet, header_row, header_rows, range, encoding, area, level, "
         "period, period_column, suppression, missing, totals, footnotes, benchmarks, values"),
    Case("intake-mappings-missing", [*INTAKE[:1], "{data}/none", *INTAKE[2:]], nothing,
         "{data}/none: mappings folder not found (expected a folder of source mapping files, "
         "one .yaml per source)"),
    Case("intake-out-is-a-folder", [*INTAKE[:4], "{out}"], nothing,
         "--out '{out}' is a folder; expected a file name such as tidy.csv"),
    # export
    Case("export-build-file-missing", ["export", "{data}/missing.yaml", "--format", "fingertips",
                                       "--out", "{out}/fingertips.csv"], nothing,
         "{data}/missing.yaml: build file not found"),
    Case("export-out-is-a-folder", ["export", "{data}/build.yaml", "--format", "fingertips",
                                    "--out", "{out}"], nothing,
         "--out '{out}' is a folder; expected a file name such as fingertips.csv"),
    Case("export-out-folder-missing", ["export", "{data}/build.yaml", "--format", "fingertips",
                                       "--out", "{out}/no/fingertips.csv"], nothing,
         "--out folder '{out}/no' does not exist"),
    Case("export-indicators-missing", ["export", "{data}/build.yaml", "--format", "fingertips",
                                       "--out", "{out}/fingertips.csv"], remove("indicators.csv"),
         "{data}/indicators.csv: file not found"),
    # catalogue new
    Case("catalogue-new-mappings-missing", ["catalogue", "new", "{data}/none", "--out",
                                            "{out}/local.yaml"], nothing,
         "{data}/none: mappings folder not found (expected a folder of source mapping files, "
         "one .yaml per source)"),
    Case("catalogue-new-mapping-unit-unknown", ["catalogue", "new", "{data}/mappings", "--out",
                                                "{out}/local.yaml"],
         replace_text(DLA_MAPPING, "unit: '%'", "unit: percent"),
         "{data}/mappings/dwp-dla.yaml: field 'values.0.unit': expected 'count', '%', "
         "'per 1,000', 'per 10,000', 'per 100,000', 'ratio' or 'score'; found 'percent'"),
    # sef: build file, output folder and folder of forms
    Case("sef-generate-build-file-is-a-folder", ["sef", "generate", "{data}", "--out", "{out}"],
         nothing, "{data}: is a folder, expected a file"),
    Case("sef-generate-out-is-a-file", ["sef", "generate", "{data}/build.yaml", "--out", "{file}"],
         nothing, "--out '{file}' is a file; expected a folder (it is created when missing)"),
    Case("sef-collect-folder-missing", ["sef", "collect", "{data}/missing", "--out",
                                        "{out}/sef-summary.xlsx"], nothing,
         "{data}/missing: folder of forms not found (expected a folder holding "
         "sef-<centre>.xlsx files; found no such folder)"),
    Case("sef-collect-no-forms", ["sef", "collect", "{data}/geography", "--out",
                                  "{out}/sef-summary.xlsx"], remove("geography/boundaries"),
         "{data}/geography: no self-evaluation forms in the folder: areas.csv (file cannot be "
         "read); lsoa_centroids.csv (file cannot be read); memberships.csv (file cannot be read) "
         "(expected sef-<centre>.xlsx files written by 'xl-profile sef generate'; found 3 "
         "file(s), none a form)"),
    # demo: only the output folder can be wrong
    Case("demo-out-is-a-file", ["demo", "--out", "{file}"], nothing,
         "--out '{file}' is a file; expected a folder (it is created when missing)"),
    Case("demo-out-under-a-file", ["demo", "--out", "{file}/sub"], nothing,
         "--out '{file}/sub' cannot be created: '{file}' is a file, not a folder"),
    # build: the build file
    Case("build-file-is-a-folder", ["build", "{data}", "--out", "{out}"], nothing,
         "{data}: is a folder, expected a file"),
    Case("build-file-missing", ["build", "{data}/missing.yaml", "--out", "{out}"], nothing,
         "{data}/missing.yaml: build file not found"),
    Case("build-file-a-list", BUILD, yaml_text("- geography\n"), "{data}/build.yaml: expected a "
         "mapping of settings, found list"),
    Case("build-unknown-setting", BUILD, yaml_setting("centre_fitt", "auto"),
         "{data}/build.yaml: setting 'centre_fitt': Extra inputs are not permitted (settings "
         f"allowed: {SETTINGS}; found 'auto')"),
    Case("build-reach-as-of-after-the-extract", BUILD, yaml_setting("reach_as_of", "2030-03-31"),
         "{data}/build.yaml: setting 'reach_as_of' 2030-03-31: no attendance in the 12 months to "
         "it (the extract's attendances run from 2005-10-27 to 2008-04-01); expected a date on "
         "or soon after the last attendance"),
    Case("build-indicator-in-two-files", BUILD, second_indicators_file,
         "{data}/extra.csv, row 2: the same indicator, area and period in two files (expected each "
         "indicator_id, area_code, period in one indicators file; found NI53/X05000002/2006/07 "
         "also in indicators.csv, row 3)"),
    Case("build-areas-column-renamed", BUILD,
         replace_text("geography/areas.csv", "vintage,population", "vintage,pop"),
         "{geo}/areas.csv, row 1, column pop: unknown column (expected columns code, name, "
         "level, parent, vintage, population; found 'pop')"),
    Case("build-areas-negative-population", BUILD,
         replace_text("geography/areas.csv", "Demo 001A,lsoa,X05000001,2001,1887",
                      "Demo 001A,lsoa,X05000001,2001,-5"),
         "{geo}/areas.csv, row 38, column population: not a valid population (expected input "
         "should be greater than or equal to 0; found -5)"),
    Case("build-eyfsp-header-only", BUILD, header_only(EYFSP),
         "{data}/eyfsp.csv, row 2: no children in the file (expected a row per child below the "
         "header; found header only)"),
    Case("build-indicators-file-twice", BUILD,
         replace_text("build.yaml", "  - indicators.csv\n", "  - indicators.csv\n  - indicators.csv\n"),
         "{data}/build.yaml: setting 'indicators' lists indicators.csv more than once (expected "
         "each file once)"),
    Case("build-centre-fit-unknown", BUILD, yaml_setting("centre_fit", "nearest"),
         "{data}/build.yaml: setting 'centre_fit': Input should be 'auto', 'boundaries' or "
         f"'memberships' (settings allowed: {SETTINGS}; found 'nearest')"),
    Case("build-out-is-a-file", [*BUILD[:2], "--out", "{file}"], nothing,
         "--out '{file}' is a file; expected a folder (it is created when missing)"),
    Case("build-out-under-a-file", [*BUILD[:2], "--out", "{file}/x/y"], nothing,
         "--out '{file}/x/y' cannot be created: '{file}' is a file, not a folder"),
    # build: the geography
    Case("build-geography-missing", BUILD, remove("geography"),
         "{geo}: geography folder not found (expected a folder with areas.csv and "
         "memberships.csv; found no such folder)"),
    Case("build-areas-missing", BUILD, remove("geography/areas.csv"),
         "{geo}/areas.csv: file not found"),
    Case("build-nan-in-lsoa-boundary", BUILD, coordinate(LSOA_JSON, 3, float("nan")),
         "{geo}/boundaries/lsoa.geojson: feature 3 (code X01000003): geometry "
         "coordinates[0][2][0] is nan; expected a finite number"),
    Case("build-infinity-in-centre-boundary", BUILD, coordinate(CENTRE_JSON, 2, float("inf")),
         "{geo}/boundaries/centre.geojson: feature 2 (code CC02): geometry "
         "coordinates[0][2][0] is inf; expected a finite number"),
    Case("build-coordinate-off-the-grid", BUILD, coordinate(CENTRE_JSON, 2, 1e300),
         "{geo}/boundaries/centre.geojson: coordinates (x 529800 to 1e+300, y 178020 to 186000) "
         "lie outside the British National Grid (x 0 to 700000, y 0 to 1300000 metres)"),
    Case("build-nan-code-in-boundary", BUILD, property_value(LSOA_JSON, 4, "code", float("nan")),
         "{geo}/boundaries/lsoa.geojson: feature 4: property 'code' is nan; expected an area "
         "code"),
    Case("build-boundary-not-json", BUILD, text("geography/boundaries/ward.geojson", "{"),
         "{geo}/boundaries/ward.geojson: not valid GeoJSON (Expecting property name enclosed in "
         "double quotes: line 1 column 2 (char 1))"),
    Case("build-boundary-is-a-list", BUILD, text("geography/boundaries/ward.geojson", "[1, 2]"),
         "{geo}/boundaries/ward.geojson: expected a GeoJSON FeatureCollection with features"),
    Case("build-nan-in-centroid", BUILD, csv_cell("geography/lsoa_centroids.csv", 5, "y", "NaN"),
         "{geo}/lsoa_centroids.csv, row 5, column y: coordinate is not a finite number "
         "(expected a number; found 533210.5, NaN)"),
    Case("build-infinity-in-centroid", BUILD,
         csv_cell("geography/lsoa_centroids.csv", 2, "x", "inf"),
         "{geo}/lsoa_centroids.csv, row 2, column x: coordinate is not a finite number "
         "(expected a number; found inf, 185750.2)"),
    Case("build-crs-member-not-an-object", BUILD, crs_member("geography/boundaries/ward.geojson",
                                                             "EPSG:27700"),
         "{geo}/boundaries/ward.geojson: crs member 'EPSG:27700' has no properties.name"),
    Case("build-crs-unrecognised", BUILD, crs_member("geography/boundaries/ward.geojson",
                                                     {"properties": {"name": "OSGB"}}),
         "{geo}/boundaries/ward.geojson: unrecognised CRS 'OSGB'; expected an EPSG code such as "
         "27700 or 4326"),
    Case("build-code-not-text", BUILD, property_value(LSOA_JSON, 2, "code", [1, 2]),
         "{geo}/boundaries/lsoa.geojson: feature 2: property 'code' is [1, 2]; expected an area "
         "code"),
    Case("build-centroids-header-only", BUILD, text("geography/lsoa_centroids.csv", "code,x,y\n"),
         "{geo}/lsoa_centroids.csv, row 2: no points in the file (expected one row per area with "
         "code, x, y; found a header only)"),
    Case("build-centroid-twice", BUILD,
         csv_cell("geography/lsoa_centroids.csv", 3, "code", "X01000001"),
         "{geo}/lsoa_centroids.csv, row 3, column code: code 'X01000001' appears more than once "
         "(expected one row per code; found )"),
    Case("build-infinite-population", BUILD, csv_cell("geography/areas.csv", 40, "population",
                                                      "inf"),
         "{geo}/areas.csv, row 40, column population: not a valid population (expected input "
         "should be a finite number; found inf)"),
    Case("build-nan-share", BUILD, csv_cell("geography/memberships.csv", 3, "share", "NaN"),
         "{geo}/memberships.csv, row 3, column share: not a valid share (expected input should "
         "be a finite number; found NaN)"),
    Case("build-fit-boundaries-without-boundaries",
         BUILD, both(remove("geography/boundaries"), yaml_setting("centre_fit", "boundaries")),
         "centre_fit: boundaries needs the centre, ward and LSOA boundary files; missing: "
         "{geo}/boundaries/ward.geojson, {geo}/boundaries/lsoa.geojson, "
         "{geo}/boundaries/centre.geojson"),
    Case("build-fit-memberships-without-memberships",
         BUILD, both(only_cluster_memberships, yaml_setting("centre_fit", "memberships")),
         "centre_fit: memberships, but {geo}/memberships.csv places no small area in a centre"),
    Case("build-indicators-missing", BUILD, remove("indicators.csv"),
         "{data}/indicators.csv: file not found"),
    # validate
    Case("validate-file-is-a-folder", ["validate", "{data}/geography"], nothing,
         "{data}/geography: not a file (expected a CSV or XLSX file; found a folder)"),
    Case("validate-geography-is-a-file", ["validate", "{data}/indicators.csv", "--geography",
                                          "{file}"], nothing,
         "{file}: geography folder not found (expected a folder with areas.csv and "
         "memberships.csv; found a file)"),
    # bestfit
    Case("bestfit-nan-in-small-areas", [*BESTFIT, "--out", "{out}/lookup.csv"],
         coordinate(LSOA_JSON, 7, float("nan")),
         "{geo}/boundaries/lsoa.geojson: feature 7 (code X01000007): geometry "
         "coordinates[0][2][0] is nan; expected a finite number"),
    Case("bestfit-infinity-in-targets", [*BESTFIT, "--out", "{out}/lookup.csv"],
         coordinate(CENTRE_JSON, 1, float("-inf")),
         "{geo}/boundaries/centre.geojson: feature 1 (code CC01): geometry "
         "coordinates[0][2][0] is -inf; expected a finite number"),
    Case("bestfit-nan-in-centroids", [*BESTFIT, *CENTROIDS, "--out", "{out}/lookup.csv"],
         csv_cell("geography/lsoa_centroids.csv", 3, "x", "nan"),
         "{geo}/lsoa_centroids.csv, row 3, column x: coordinate is not a finite number "
         "(expected a number; found nan, 185681.7)"),
    Case("bestfit-out-is-a-folder", [*BESTFIT, "--out", "{data}"], nothing,
         "--out '{data}' is a folder; expected a file name such as lookup.csv"),
    Case("bestfit-out-under-a-file", [*BESTFIT, "--out", "{file}/lookup.csv"], nothing,
         "--out folder '{file}' is a file, not a folder"),
    Case("bestfit-out-folder-missing", [*BESTFIT, "--out", "{out}/no/lookup.csv"], nothing,
         "--out folder '{out}/no' does not exist"),
    Case("bestfit-wrong-code-field", [*BESTFIT[:3], "--small-area-code", "lsoa11cd",
                                      *BESTFIT[5:], "--out", "{out}/lookup.csv"], nothing,
         "{geo}/boundaries/lsoa.geojson: feature 1 has no 'lsoa11cd' property (properties: "
         "code, name)"),
    Case("bestfit-crs-contradicts", [*BESTFIT, "--crs", "4326", "--out", "{out}/lookup.csv"],
         nothing, "{geo}/boundaries/lsoa.geojson: coordinates (x 529800 to 536000) are not "
                  "degrees but the CRS is EPSG:4326; give --crs 27700"),
    # geography
    Case("geography-clusters-missing", [*GEOGRAPHY, "--out", "{out}"], nothing,
         "{data}/clusters.csv: file not found"),
    Case("geography-ward-unmatched", [*GEOGRAPHY, "--out", "{out}"],
         text("clusters.csv", "ward,cluster\nAlder Prak,North\n"),
         "{data}/clusters.csv, row 2, column ward: no ward has this name or code; closest: "
         "'Alder Park' (X05000001) (expected a ward code or name from "
         "{geo}/boundaries/ward.geojson; found Alder Prak)"),
    Case("geography-authority-without-name", [*GEOGRAPHY[:-1], "X09000001", "--out", "{out}"],
         nothing, "--authority 'X09000001': expected CODE:NAME, e.g. E09000033:Westminster"),
    Case("geography-out-is-a-file", [*GEOGRAPHY, "--out", "{file}"],
         text("clusters.csv", "ward,cluster\n" + "".join(
             f"X05{n:06d},{'North' if n < 8 else 'South'}\n" for n in range(1, 21))),
         "--out '{file}' is a file; expected a folder (it is created when missing)"),
    # reach
    Case("reach-out-is-a-file", ["reach", "{data}/build.yaml", "--out", "{file}"], nothing,
         "--out '{file}' is a file; expected a folder (it is created when missing)"),
    Case("reach-build-file-is-a-folder", ["reach", "{data}", "--out", "{out}"], nothing,
         "{data}: is a folder, expected a file"),
    Case("reach-both-forms", ["reach", "{data}/build.yaml", *REACH_DIRECT[1:]], nothing,
         "reach: give either a build file or --extract, not both"),
    Case("reach-key-file-missing", [*REACH_DIRECT, "--key-file", "{data}/none.key"], nothing,
         "--key-file {data}/none.key: file not found"),
    Case("reach-key-file-is-a-folder", [*REACH_DIRECT, "--key-file", "{data}"], nothing,
         "--key-file {data}: is a folder; expected a file holding the key"),
    Case("reach-nan-in-boundary", ["reach", "{data}/build.yaml", "--out", "{out}"],
         coordinate(LSOA_JSON, 3, float("nan")),
         "{geo}/boundaries/lsoa.geojson: feature 3 (code X01000003): geometry "
         "coordinates[0][2][0] is nan; expected a finite number"),
    # region: the region build file and its inputs
    Case("region-build-file-missing", [*REGION[:1], "{data}/region/nothing.yaml", *REGION[2:]],
         nothing, "{data}/region/nothing.yaml: region build file not found"),
    Case("region-authority-of-interest-unknown", REGION,
         replace_text(REGION_YAML, "authority_of_interest: X09000001",
                      "authority_of_interest: X09999999"),
         "{data}/region/region.yaml: setting 'authority_of_interest': not one of the region's "
         "authorities (allowed: X09000001, X09000101, X09000102, X09000103, X09000104, "
         "X09000105, X09000106, X09000107, X09000108, X09000109; found 'X09999999')"),
    Case("region-unit-unknown", REGION, replace_text(REGION_YAML, "unit: value", "unit: score"),
         "{data}/region/region.yaml: setting 'indicators.2.unit': Input should be 'percentage', "
         "'rate', 'count' or 'value' (settings allowed: " + REGION_SETTINGS + "; found 'score')"),
    Case("region-same-periods", REGION,
         replace_text(REGION_YAML, 'to_period: "2007/08"', 'to_period: "2006/07"'),
         "{data}/region/region.yaml: setting 'compare': two different periods expected (found "
         "'2006/07' twice)"),
    Case("region-numerator-over-denominator", REGION,
         csv_cell("region/region-indicators.csv", 2, "numerator", "5000"),
         "region-indicators.csv, row 2, column numerator: numerator outside 0 to the denominator "
         "(expected 0 to 1097; found 5000)"),
    Case("region-value-not-a-number", REGION,
         csv_cell("region/region-indicators.csv", 4, "value", "n/a"),
         "region-indicators.csv, row 4, column value: not a number (expected a number or blank; "
         "found 'n/a')"),
    Case("region-imd-rank-outside", REGION, csv_cell("region/lsoa-imd.csv", 3, "imd_rank", "0"),
         "lsoa-imd.csv, row 3, column imd_rank: not a national rank (expected a whole number from "
         "1 to 32482; found '0')"),
    # build: the child-level EYFSP results and their postcode lookup
    Case("build-eyfsp-missing", BUILD, remove(EYFSP), "{data}/eyfsp.csv: file not found"),
    Case("build-eyfsp-a-folder", BUILD, folder_in_place_of(EYFSP),
         "{data}/eyfsp.csv: is a folder, expected a file (expected a CSV or XLSX file; "
         "found a folder)"),
    Case("build-eyfsp-setting-a-number", BUILD, yaml_setting("eyfsp", "3"),
         "{data}/build.yaml: setting 'eyfsp': Input should be a valid list (settings "
         f"allowed: {SETTINGS}; found 3)"),
    Case("build-eyfsp-scale-column-missing", BUILD, replace_text(EYFSP, ",CLL_R,", ",CLL_RR,"),
         "{data}/eyfsp.csv, row 1: missing scale column(s): Reading (CLL_R) (expected "
         "the 13 EYFSP scales by name or code; found 12 of the 13)"),
    Case("build-eyfsp-scale-column-twice", BUILD, replace_text(EYFSP, "upn,", "Reading,"),
         "{data}/eyfsp.csv, row 1, column CLL_R: second column for the scale 'Reading' "
         "(expected one column per scale; found 'Reading' and 'CLL_R')"),
    Case("build-eyfsp-no-place-column", BUILD,
         replace_text(EYFSP, "postcode,lsoa,", "home,area,"),
         "{data}/eyfsp.csv, row 1: no column placing the child (expected a column 'lsoa' "
         "or 'postcode'; found upn, date_of_birth, home, area, period, PSE_DA, PSE_SD ...)"),
    Case("build-eyfsp-period-not-a-year", BUILD, csv_cell(EYFSP, 40, "period", "2008"),
         "{data}/eyfsp.csv, row 40, column period: not an academic year (expected an "
         "academic year such as 2007/08; found 2008)"),
    Case("build-eyfsp-ragged-row", BUILD, replace_text(EYFSP, "Z20080000005,", "Z20080000005,x,"),
         "{data}/eyfsp.csv, row 6: row has a different number of cells from the header "
         "(expected 18 cells, as in the header; found 19 cells)"),
    Case("build-eyfsp-postcode-column-without-lookup", BUILD,
         both(remove(POSTCODES), yaml_setting("eyfsp_postcodes", "null"),
              replace_text(EYFSP, "postcode,lsoa,", "postcode,small_area,")),
         "{data}/eyfsp.csv, row 1, column postcode: no 'lsoa' column, and no postcode "
         "lookup to place the postcodes (expected the build setting 'eyfsp_postcodes' (a CSV "
         "of postcode,lsoa); found no lookup)"),
    Case("build-eyfsp-lookup-without-eyfsp", BUILD, yaml_setting("eyfsp", "[]"),
         "{data}/build.yaml: setting 'eyfsp_postcodes' names a postcode lookup but no "
         "'eyfsp' file is named to use it"),
    Case("build-eyfsp-lookup-column-missing", BUILD,
         replace_text(POSTCODES, "postcode,lsoa", "postcode,small_area"),
         "{data}/eyfsp-postcodes.csv, row 1, column lsoa: missing column 'lsoa' (expected "
         "postcode, lsoa; found postcode, small_area)"),
    Case("build-eyfsp-lookup-postcode-twice", BUILD, csv_cell(POSTCODES, 5, "postcode", "DB1 1AB"),
         "{data}/eyfsp-postcodes.csv, row 5, column lsoa: postcode given two small areas "
         "(expected X01000001 as on an earlier row; found X01000002)"),
    Case("region-imd-file-missing", REGION, remove("region/lsoa-imd.csv"),
         "{data}/region/lsoa-imd.csv: file not found"),
]


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo-inputs")
    write_demo_inputs(root / "data")
    write_demo_region(root / "data" / "region")
    return root / "data"


def places(tmp_path: Path) -> dict[str, str]:
    return {"data": str(tmp_path / "data"), "geo": str(tmp_path / "data" / "geography"),
            "out": str(tmp_path / "out"), "file": str(tmp_path / "afile")}


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


def run_case(case: Case, demo_data: Path, tmp_path: Path, capsys) -> tuple[int, list[str]]:
    shutil.copytree(demo_data, tmp_path / "data")
    (tmp_path / "afile").write_text("an ordinary file\n")
    (tmp_path / "out").mkdir(exist_ok=True)
    case.change(tmp_path / "data")
    where = places(tmp_path)
    before = files_under(tmp_path / "data")
    capsys.readouterr()
    status = main([arg.format(**where) for arg in case.argv])
    stderr = capsys.readouterr().err.splitlines()
    assert files_under(tmp_path / "out") == []  # nothing written, not even a temporary file
    assert files_under(tmp_path / "data") == before
    return status, stderr


def assert_one_error(status: int, stderr: list[str], expected: str) -> None:
    assert status != 0
    assert "Traceback" not in "\n".join(stderr)
    assert stderr, "nothing on standard error"
    assert [ln for ln in stderr if ln.startswith("Error:")] == [stderr[-1]]
    assert all(ln.startswith("  ") for ln in stderr[:-1])  # progress or listed problems
    assert stderr[-1] == f"Error: {expected}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_input_gives_one_error_line(case: Case, demo_data, tmp_path, capsys,
                                           monkeypatch):
    monkeypatch.setenv("XL_PROFILE_PSEUDONYM_KEY", "test-key")
    status, stderr = run_case(case, demo_data, tmp_path, capsys)
    assert_one_error(status, stderr, case.error.format(**places(tmp_path)))


def test_as_a_process_standard_error_is_the_one_line(demo_data, tmp_path):
    """No warning or traceback reaches the terminal around the Error: line."""
    import subprocess
    import sys

    case = next(c for c in CASES if c.id == "bestfit-nan-in-small-areas")
    shutil.copytree(demo_data, tmp_path / "data")
    (tmp_path / "out").mkdir()
    case.change(tmp_path / "data")
    where = places(tmp_path)
    done = subprocess.run([sys.executable, "-m", "xl_profile",
                           *(a.format(**where) for a in case.argv)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"Error: {case.error.format(**where)}\n"


def test_every_command_is_in_the_corpus():
    from xl_profile.cli import COMMAND_MODULES

    assert {c.argv[0] for c in CASES} == set(COMMAND_MODULES)


# --- unwritable output folders (tests run as root, so permissions are simulated) ---------------

def _denied(*_args, **_kwargs):
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize("command", [BUILD, [*BESTFIT, "--out", "{out}/lookup.csv"]],
                         ids=["build", "bestfit"])
def test_unwritable_output_folder(command, demo_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tempfile, "mkstemp", _denied)
    monkeypatch.setattr(tempfile, "mkdtemp", _denied)
    status, stderr = run_case(Case("unwritable", command, nothing, ""), demo_data, tmp_path,
                              capsys)
    assert_one_error(status, stderr, f"cannot write in output folder '{tmp_path / 'out'}' "
                                     f"(Permission denied)")


@pytest.mark.parametrize("command", [["demo", "--out", "{out}/new"],
                                     [*BUILD[:3], "{out}/new"],
                                     ["reach", "{data}/build.yaml", "--out", "{out}/new"]],
                         ids=["demo", "build", "reach"])
def test_output_folder_that_cannot_be_created(command, demo_data, tmp_path, capsys,
                                              monkeypatch):
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name == "new":
            _denied()
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    status, stderr = run_case(Case("no-mkdir", command, nothing, ""), demo_data, tmp_path,
                              capsys)
    out = command[command.index("--out") + 1].format(**places(tmp_path))
    assert_one_error(status, stderr, f"--out '{out}' cannot be created (Permission denied)")


def test_os_error_during_a_build_is_one_line_and_leaves_nothing(demo_data, tmp_path, capsys,
                                                                monkeypatch):
    """A disk filling up while the reach reports are written: the cluster profiles already
    written to the staging folder are not published."""
    import workbooks.reach_report as reach_report

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "reach-report-north.xlsx")

    monkeypatch.setattr(reach_report, "_write", full)
    status, stderr = run_case(Case("disk-full", BUILD, nothing, ""), demo_data, tmp_path, capsys)
    assert_one_error(status, stderr, "reach-report-north.xlsx: no space left on the device")
    assert any("writing cluster profiles" in ln for ln in stderr)


@pytest.mark.parametrize("command", [["reach", "{data}/build.yaml", "--out", "{out}"],
                                     REACH_DIRECT], ids=["build-file", "extract"])
def test_reach_reports_are_all_or_none(command, demo_data, tmp_path, capsys, monkeypatch):
    """The second of three reports fails: the first, already written, is not published."""
    import workbooks.reach_report as reach_report

    monkeypatch.setenv("XL_PROFILE_PSEUDONYM_KEY", "test-key")
    real_write, calls = reach_report._write, []

    def second_fails(path, *args):
        calls.append(path)
        if len(calls) == 2:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_write(path, *args)

    monkeypatch.setattr(reach_report, "_write", second_fails)
    status, stderr = run_case(Case("second-fails", command, nothing, ""), demo_data, tmp_path,
                              capsys)
    assert len(calls) == 2 and calls[0].parent != tmp_path / "out"  # written to staging
    assert_one_error(status, stderr, f"{calls[1]}: permission denied")


def test_a_defect_is_one_line_saying_internal_error(demo_data, tmp_path, capsys, monkeypatch):
    import xl_profile.commands.validate as validate

    monkeypatch.setattr(validate, "run", lambda _args: [][1])
    monkeypatch.delenv("XL_PROFILE_DEBUG", raising=False)
    status = main(["validate", "x.csv"])
    stderr = capsys.readouterr().err.splitlines()
    assert status == 3 and stderr == [
        "Error: internal error (IndexError: list index out of range); please report it with the "
        "command you ran (set XL_PROFILE_DEBUG=1 to see the traceback)"]
    monkeypatch.setenv("XL_PROFILE_DEBUG", "1")
    with pytest.raises(IndexError):
        main(["validate", "x.csv"])


# --- usage errors and being stopped ---------------------------------------------------------------

@pytest.mark.parametrize("argv, expected", [
    (["build", "{data}/build.yaml"], "xl-profile build: the following arguments are required: "
                                     "--out (see xl-profile build --help)"),
    (["build", "{data}/build.yaml", "--out", "{out}", "--pfd"],
     "xl-profile: unrecognized arguments: --pfd (see xl-profile --help)"),
    (["export", "{data}/build.yaml", "--format", "csv", "--out", "{out}/x.csv"],
     "xl-profile export: argument --format: invalid choice: 'csv' (choose from 'fingertips') "
     "(see xl-profile export --help)"),
])
def test_a_usage_error_is_one_error_line_too(argv, expected, demo_data, tmp_path, capsys):
    case = Case("usage", argv, nothing, expected)
    with pytest.raises(SystemExit) as stop:
        run_case(case, demo_data, tmp_path, capsys)
    assert stop.value.code == 2
    stderr = capsys.readouterr().err.splitlines()
    assert_one_error(2, stderr, expected)


def test_stopped_by_sigterm_a_build_leaves_nothing_half_written(demo_data, tmp_path):
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "xl_profile", "build",
                                str(demo_data / "build.yaml"), "--out", str(out)],
                               stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stderr:  # stopped once the build is writing into its output folder
        lines.append(line.rstrip("\n"))
        if "reading centre extract" in line:
            process.send_signal(signal.SIGTERM)
            break
    lines += process.stderr.read().splitlines()
    assert process.wait(timeout=120) == 143
    assert lines[-1] == "Error: stopped (SIGTERM); nothing was left half-written"
    assert "Traceback" not in "\n".join(lines)
    assert files_under(out) == []
