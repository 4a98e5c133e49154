"""``xl-profile geography`` on Westminster's real public files, then a build on what it wrote.

Wards are the 2017-era wards (the GLA ward boundaries, which spell "St. James's"); small areas
are the 2011 LSOAs with their ONS population-weighted centroids and Census 2011 usual residents.
The clusters CSV names wards as people type them; the centres are made up for the test.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import shapely

from xl_profile.cli import main
from xl_profile.geography_io import load_geography
from xl_profile.models import Level

CLUSTERS = {  # ward as typed -> cluster
    "Abbey Road": "North", "Church Street": "North", "Harrow Road": "North",
    "Little Venice": "North", "Maida Vale": "North", "Queen's Park": "North",
    "Bayswater": "West", "Hyde Park": "West", "Lancaster Gate": "West", "Westbourne": "West",
    "Bryanston and Dorset Square": "Central", "Marylebone High Street": "Central",
    "regent's park": "Central", "West End": "Central",
    "Churchill": "South", "Knightsbridge & Belgravia": "South", "St James's": "South",
    "Tachbrook": "South", "Vincent Square": "South", "Warwick": "South",
}
#: Made-up centres, each the LSOAs of some wards: (code, name, cluster given or "", wards).
CENTRES = [
    ("FC01", "Puffin Lane Children's Centre (fictional)", "", ["E05000630", "E05000640"]),
    ("FC02", "Otter Yard Children's Centre (fictional)", "North", ["E05000634", "E05000635"]),
    ("FC03", "Heron Walk Children's Centre (fictional)", "",
     ["E05000636", "E05000643", "E05000641"]),
    ("FC04", "Badger Row Children's Centre (fictional)", "CL-SOUTH", ["E05000645", "E05000647"]),
]


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], body: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *body])
    return path


@pytest.fixture(scope="module")
def ons(westminster) -> dict[str, str]:
    return {r["LSOA11CD"]: r["WD17CD"]
            for r in rows(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv")}


@pytest.fixture(scope="module")
def made(westminster, ons, tmp_path_factory):
    """The geography folder written by the command, and what it printed."""
    root = tmp_path_factory.mktemp("westminster-geography")
    clusters = write_csv(root / "clusters.csv", ["ward", "cluster"],
                         [[w, c] for w, c in CLUSTERS.items()])
    names = {r["LSOA11CD"]: r["LSOA11NM"]
             for r in rows(westminster / "westminster_lsoa2011_gen_mhw.csv")}
    body = []
    for code, name, cluster, wards in CENTRES:
        for i, lsoa in enumerate(sorted(s for s, w in ons.items() if w in wards)):
            written = names[lsoa] if i % 2 else lsoa  # small areas by name or by code
            body.append([written, code, name if i == 0 else "", cluster])
    centres = write_csv(root / "centres.csv", ["small_area", "centre", "centre_name", "cluster"],
                        body)
    out = root / "geography"
    argv = ["geography", "--wards", str(westminster / "westminster_wards_2002_2022_bng.geojson"),
            "--ward-code", "GSS_CODE", "--ward-name", "NAME",
            "--small-areas", str(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson"),
            "--small-area-code", "LSOA11CD", "--small-area-name", "LSOA11NM",
            "--centroids", str(westminster / "westminster_lsoa2011_pwc.csv"),
            "--centroid-code", "lsoa11cd", "--centroid-x", "easting", "--centroid-y", "northing",
            "--population", str(westminster / "westminster_lsoa2011_gen_mhw.csv"),
            "--population-code", "LSOA11CD", "--population-field", "USUALRES",
            "--clusters", str(clusters), "--centres", str(centres),
            "--authority", "E09000033:Westminster", "--out", str(out)]
    return root, out, argv


@pytest.fixture(scope="module")
def printed(made):
    import subprocess
    import sys

    _root, _out, argv = made
    done = subprocess.run([sys.executable, "-m", "xl_profile", *argv], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_small_areas_fit_the_ons_ward_lookup_128_of_128(made, printed, ons):
    geography = load_geography(made[1])
    lsoas = {a.code: a.parent for a in geography.at_level(Level.LSOA)}
    assert len(ons) == 128 and lsoas == ons
    assert "20 wards in 4 clusters, 128 small areas, 4 centres" in printed


def test_wards_named_as_typed_are_matched_and_reported(made, printed, westminster):
    geography = load_geography(made[1])
    assert geography.cluster_of_ward("E05000644") == "CL-SOUTH"  # "St James's"
    assert geography.cluster_of_ward("E05000637") == "CL-SOUTH"  # "Knightsbridge & Belgravia"
    assert geography.by_code["E05000644"].name == "St. James's"
    report = (made[1] / "geography-report.txt").read_text()
    clusters = made[0] / "clusters.csv"
    assert (f"  {clusters}, row 17: 'Knightsbridge & Belgravia' is 'Knightsbridge and "
            f"Belgravia' (E05000637)") in report
    assert f"  {clusters}, row 18: \"St James's\" is \"St. James's\" (E05000644)" in report
    assert f"  {clusters}, row 14: \"regent's park\" is \"Regent's Park\" (E05000643)" in report
    assert "Matched ignoring case and punctuation: 3 name(s)" in printed


def test_populations_come_from_the_census_and_wards_are_summed(made, westminster, ons):
    geography = load_geography(made[1])
    people = {r["LSOA11CD"]: float(r["USUALRES"])
              for r in rows(westminster / "westminster_lsoa2011_gen_mhw.csv")}
    for ward in geography.at_level(Level.WARD):
        assert ward.population == sum(p for s, p in people.items() if ons[s] == ward.code)
    assert all(a.population == people[a.code] for a in geography.at_level(Level.LSOA))


def test_centres_get_their_small_areas_and_the_cluster_of_most_people(made, westminster, ons):
    geography = load_geography(made[1])
    people = {r["LSOA11CD"]: float(r["USUALRES"])
              for r in rows(westminster / "westminster_lsoa2011_gen_mhw.csv")}
    cluster_of_ward = {m.child: m.parent for m in geography.memberships
                       if m.parent.startswith("CL-")}
    for code, name, given, wards in CENTRES:
        centre = geography.by_code[code]
        members = {m.child for m in geography.members_of(code)}
        assert members == {s for s, w in ons.items() if w in wards} and centre.name == name
        held: dict[str, float] = {}
        for lsoa in members:
            held[cluster_of_ward[ons[lsoa]]] = held.get(cluster_of_ward[ons[lsoa]], 0) + \
                people[lsoa]
        expected = {"North": "CL-NORTH", "CL-SOUTH": "CL-SOUTH"}.get(given) or \
            max(held, key=held.get)
        assert centre.parent == expected, code
    assert geography.by_code["FC03"].parent == "CL-CENTRAL"  # 2 of its 3 wards are Central


def test_centre_polygons_are_dissolved_from_their_small_areas(made, ons, westminster):
    from xl_profile.geometry import read_boundaries

    centres = read_boundaries(made[1] / "boundaries" / "centre.geojson", "code")
    lsoas = read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson", "LSOA11CD")
    assert centres.codes == [c for c, *_ in CENTRES]
    index = lsoas.index()
    for (code, _name, _cluster, wards), polygon in zip(CENTRES, centres.geometries):
        parts = shapely.union_all([lsoas.geometries[index[s]] for s, w in ons.items()
                                   if w in wards])
        pieces = shapely.get_parts(polygon)
        assert len(pieces) == len(shapely.get_parts(parts)), code  # wards apart stay apart
        assert all(not p.interiors for p in pieces), code  # no pinholes
        lost = shapely.area(shapely.difference(parts, polygon))
        assert lost < 1e-5 * parts.area, code  # nothing lost but rounding to 0.1 m
        assert polygon.area - parts.area < 20.0, code  # slivers only were added
    collection = json.loads((made[1] / "boundaries" / "centre.geojson").read_text())
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::27700"
    report = (made[1] / "geography-report.txt").read_text()
    assert "4 centre polygons dissolved from their small areas; slivers closed:" in report


def test_build_runs_on_the_geography(made, westminster, tmp_path, capsys):
    root, out, _argv = made
    imd = rows(westminster / "westminster_imd2015_2019_lsoa2011.csv")
    write_csv(root / "indicators.csv", ["indicator_id", "area_code", "period", "numerator",
                                        "denominator", "value", "level"],
              [["IMD_SCORE", r["lsoa11_code"], "2015", "", "", r["imd2015_score"], "lsoa"]
               for r in imd])
    config = root / "build.yaml"
    config.write_text(f"geography: {out.name}\nindicators: [indicators.csv]\n", encoding="utf-8")
    assert main(["build", str(config), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "memberships.csv and the boundary fit agree" in err
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "cluster-profile-central.xlsx", "cluster-profile-north.xlsx",
        "cluster-profile-south.xlsx", "cluster-profile-west.xlsx", "coverage-profile.xlsx"]


def test_each_file_is_read_in_its_own_crs(made, westminster, ons, tmp_path, capsys):
    """Super generalised LSOAs in longitude/latitude (CRS84) with wards in British National
    Grid: the same fit; a hint contradicting the file's own CRS is an error."""
    argv = list(made[2])
    at = argv.index("--small-areas") + 1
    argv[at] = str(westminster / "westminster_lsoa2011_boundaries_bsc.geojson")
    argv[argv.index("--out") + 1] = str(tmp_path / "geo")
    assert main(argv) == 0
    geography = load_geography(tmp_path / "geo")
    assert {a.code: a.parent for a in geography.at_level(Level.LSOA)} == ons
    report = (tmp_path / "geo" / "geography-report.txt").read_text()
    assert "westminster_lsoa2011_boundaries_bsc.geojson: 128 polygons, CRS EPSG:4326 (stated in " \
           "the file)" in report
    capsys.readouterr()
    assert main([*argv[:-1], str(tmp_path / "geo2"), "--small-areas-crs", "27700"]) == 1
    assert capsys.readouterr().err == (
        f"Error: {argv[at]}: the file states its CRS is EPSG:4326 but --small-areas-crs says "
        f"EPSG:27700; leave --small-areas-crs out for a file that states its CRS\n")
    assert not (tmp_path / "geo2").exists()
