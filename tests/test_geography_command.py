"""``xl-profile geography`` on the demo borough's own files: centres as polygons reproduce the
demo's geography; every bad input is one precise error and nothing is written."""

from __future__ import annotations

import csv
import errno
import json
import re
import shutil
from pathlib import Path

import pytest

from xl_profile.cli import main
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.geography_io import load_geography
from xl_profile.models import Level


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    write_demo_inputs(root / "data")
    return root / "data" / "geography"


@pytest.fixture
def geo(demo, tmp_path) -> Path:
    """A copy of the demo geography, with a clusters CSV of its wards by name."""
    shutil.copytree(demo, tmp_path / "in")
    geography = load_geography(demo)
    names = {a.code: a.name for a in geography.areas}
    with open(tmp_path / "in" / "clusters.csv", "w", newline="") as f:
        csv.writer(f).writerows([["ward", "cluster"]] + [
            [w.name, names[geography.cluster_of_ward(w.code)]]
            for w in geography.at_level(Level.WARD)])
    return tmp_path / "in"


def argv(geo: Path, out: Path, *extra: str, centres: str = "boundaries/centre.geojson"):
    return ["geography", "--wards", f"{geo}/boundaries/ward.geojson", "--ward-code", "code",
            "--ward-name", "name", "--small-areas", f"{geo}/boundaries/lsoa.geojson",
            "--small-area-code", "code", "--small-area-name", "name",
            "--centroids", f"{geo}/lsoa_centroids.csv", "--population", f"{geo}/areas.csv",
            "--clusters", f"{geo}/clusters.csv", "--centres", f"{geo}/{centres}",
            "--centre-name", "name", "--authority", "X09000001:Demo Borough", "--out", str(out),
            *extra]


def run_failing(args: list[str], out: Path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert "Traceback" not in "\n".join(err) and err[-1].startswith("Error: ")
    assert not out.exists() or not any(out.iterdir())  # nothing written
    return err


def test_centre_polygons_give_the_demo_geography(demo, geo, tmp_path, capsys):
    assert main(argv(geo, tmp_path / "out")) == 0
    made, original = load_geography(tmp_path / "out"), load_geography(demo)
    lsoa_centre = {(m.child, m.parent) for m in made.memberships if m.parent.startswith("CC")}
    assert lsoa_centre == {(m.child, m.parent) for m in original.memberships
                           if m.parent.startswith("CC")}
    for level in (Level.WARD, Level.LSOA, Level.CENTRE):
        assert [(a.code, a.name) for a in made.at_level(level)] == \
            [(a.code, a.name) for a in original.at_level(level)]
    cluster_name = {a.code: a.name for a in original.at_level(Level.CLUSTER)}
    for centre in made.at_level(Level.CENTRE):
        assert made.by_code[centre.parent].name == \
            cluster_name[original.by_code[centre.code].parent]
    assert [a.population for a in made.at_level(Level.LSOA)] == \
        [a.population for a in original.at_level(Level.LSOA)]
    out = capsys.readouterr().out
    assert out.startswith("20 wards in 3 clusters, 120 small areas, 12 centres\n")
    report = (tmp_path / "out" / "geography-report.txt").read_text()
    assert "  Best fit (pwc): 96 small areas placed in 12 of 12 centres." in report
    assert "  Outside every centre (24): X01000007," in report
    assert "CC01 -> North (100% of its people)" in report


def test_every_unmatched_ward_is_named_with_the_closest_name(geo, tmp_path, capsys):
    path = geo / "clusters.csv"
    text = path.read_text().replace("Alder Park,", "Alder Prak,").replace("Foundry,", "Foundery,")
    path.write_text(text)
    err = run_failing(argv(geo, tmp_path / "out"), tmp_path / "out", capsys)
    assert err == [
        f"  {path}, row 2, column ward: no ward has this name or code; closest: 'Alder Park' "
        f"(X05000001) (expected a ward code or name from {geo}/boundaries/ward.geojson; found "
        f"Alder Prak)",
        f"  {path}, row 7, column ward: no ward has this name or code; closest: 'Foundry' "
        f"(X05000006) (expected a ward code or name from {geo}/boundaries/ward.geojson; found "
        f"Foundery)",
        f"Error: {path}, row 2, column ward: no ward has this name or code; closest: 'Alder "
        f"Park' (X05000001) (expected a ward code or name from {geo}/boundaries/ward.geojson; "
        f"found Alder Prak) (and 1 more above)"]


@pytest.mark.parametrize(("change", "error"), [
    (lambda t: t.replace("Alder Park,North\n", ""),
     "{clusters}, column ward: ward in no cluster (expected a row for every ward in "
     "{geo}/boundaries/ward.geojson; found 'Alder Park' (X05000001))"),
    (lambda t: t + "alder park,South\n",
     "{clusters}, row 22, column ward: ward listed more than once (expected one row per ward; "
     "found alder park (also on row 2))"),
    (lambda t: t.replace("Alder Park,North", "Alder Park,"),
     "{clusters}, row 2, column cluster: blank cluster (expected the name of the ward's "
     "cluster; found (blank))"),
    (lambda t: t.replace("ward,cluster", "ward,group"),
     "{clusters}, row 1, column cluster: missing column 'cluster' (expected ward, cluster; "
     "found ward, group)"),
], ids=["ward-left-out", "ward-twice", "blank-cluster", "no-cluster-column"])
def test_clusters_csv_errors(geo, tmp_path, capsys, change, error):
    path = geo / "clusters.csv"
    path.write_text(change(path.read_text()))
    err = run_failing(argv(geo, tmp_path / "out"), tmp_path / "out", capsys)
    assert err[-1] == "Error: " + error.format(clusters=path, geo=geo)


def write_centres(geo: Path, rows: list[str]) -> str:
    (geo / "centres.csv").write_text("small_area,centre,centre_name,cluster\n" +
                                     "\n".join(rows) + "\n")
    return "centres.csv"


@pytest.mark.parametrize(("rows", "error"), [
    (["Demo 001A,CC01,Larkspur,North", "Demo 01B,CC01,,"],
     "{centres}, row 3, column small_area: no small area has this name or code; closest: "
     "'Demo 001B' (X01000002) (expected a small area code or name from "
     "{geo}/boundaries/lsoa.geojson; found Demo 01B)"),
    (["X01000001,CC01,Larkspur,North", "Demo 001A,CC02,Bluebell,North"],
     "{centres}, row 3, column small_area: small area listed more than once (expected one row "
     "per small area (a small area is in one centre); found Demo 001A (also on row 2))"),
    (["X01000001,CC01,Larkspur,North", "X01000002,CC01,,South"],
     "{centres}, row 3, column cluster: centre placed in two clusters (expected 'North' as on "
     "the first row of CC01; found South)"),
    (["X01000001,CC01,Larkspur,Nroth"],
     "{centres}, row 2, column cluster: no cluster has this name or code; closest: 'North' "
     "(CL-NORTH) (expected a cluster code or name from the clusters CSV; found Nroth)"),
    (["X01000001,CC01,Larkspur,North", "X01000002,CC01,Bluebell,"],
     "{centres}, row 3, column centre_name: centre named two ways (expected 'Larkspur' as on "
     "the first row of CC01; found Bluebell)"),
    (["X01000001,X05000001,Larkspur,North"],
     "ward code 'X05000001' is also the code of a centre; every area needs a code of its own"),
], ids=["unknown-small-area", "small-area-twice", "two-clusters", "unknown-cluster",
        "two-names", "code-of-a-ward"])
def test_centres_csv_errors(geo, tmp_path, capsys, rows, error):
    centres = write_centres(geo, rows)
    err = run_failing(argv(geo, tmp_path / "out", centres=centres), tmp_path / "out", capsys)
    assert err[-1] == "Error: " + error.format(centres=geo / centres, geo=geo)


def test_centres_csv_dissolves_polygons_and_derives_clusters(geo, tmp_path, capsys):
    centres = write_centres(geo, ["Demo 001A,CC01,Larkspur,", "Demo 001B,CC01,,",
                                  "X01000120,CC02,Bluebell,CL-NORTH"])
    assert main(argv(geo, tmp_path / "out", centres=centres)) == 0
    made = load_geography(tmp_path / "out")
    assert [(a.code, a.name, a.parent) for a in made.at_level(Level.CENTRE)] == [
        ("CC01", "Larkspur", "CL-NORTH"), ("CC02", "Bluebell", "CL-NORTH")]
    assert [(m.child, m.parent, m.method) for m in made.memberships if m.parent in
            ("CC01", "CC02")] == [("X01000001", "CC01", "lookup"), ("X01000002", "CC01", "lookup"),
                                  ("X01000120", "CC02", "lookup")]
    report = (tmp_path / "out" / "geography-report.txt").read_text()
    assert "CC01 -> North (100% of its people), CC02 -> North (given)" in report


@pytest.mark.parametrize(("extra", "error"), [
    (["--authority", "X09000001"],
     "--authority 'X09000001': expected CODE:NAME, e.g. E09000033:Westminster"),
    (["--wards-crs", "4326"],
     "{geo}/boundaries/ward.geojson: the file states its CRS is EPSG:27700 but --wards-crs says "
     "EPSG:4326; leave --wards-crs out for a file that states its CRS"),
    (["--centroids-crs", "4326"],
     "{geo}/lsoa_centroids.csv: coordinates (x 530041 to 535808) are not degrees but the CRS "
     "is EPSG:4326; give --centroids-crs 27700"),
    (["--population-field", "people"],
     "{geo}/areas.csv, row 1, column people: missing column 'people' (expected code, people; "
     "found code, name, level, parent, vintage, population)"),
], ids=["authority", "crs-contradicts-file", "crs-contradicts-coordinates", "population-column"])
def test_option_errors(geo, tmp_path, capsys, extra, error):
    err = run_failing(argv(geo, tmp_path / "out", *extra), tmp_path / "out", capsys)
    assert err == ["Error: " + error.format(geo=geo)]


def test_population_that_is_not_a_number(geo, tmp_path, capsys):
    path = geo / "areas.csv"
    lines = path.read_text().splitlines()
    lines[40] = lines[40].rsplit(",", 1)[0] + ",about 1500"
    path.write_text("\n".join(lines) + "\n")
    err = run_failing(argv(geo, tmp_path / "out"), tmp_path / "out", capsys)
    assert err == [f"Error: {path}, row 41, column population: population is not a number of "
                   f"people (expected a number, 0 or more; found about 1500)"]


def test_overlapping_centres_and_a_centre_with_no_small_area_are_reported(geo, tmp_path,
                                                                           capsys):
    path = geo / "boundaries" / "centre.geojson"
    collection = json.loads(path.read_text())
    copy = json.loads(json.dumps(collection["features"][0]))
    copy["properties"] = {"code": "CC99", "name": "Copy of Larkspur"}
    collection["features"].append(copy)
    path.write_text(json.dumps(collection))
    assert main(argv(geo, tmp_path / "out")) == 0
    assert "Centres holding no small area: CC99" in capsys.readouterr().out
    report = (tmp_path / "out" / "geography-report.txt").read_text()
    assert "  Centres with no small area (1): CC99" in report
    assert re.search(r"  Centres CC01 and CC99 overlap by [\d,]+ m2: small areas in the overlap "
                     r"go to the first in file order", report)
    assert "CC99 -> North (100% of its land)" in report
    assert load_geography(tmp_path / "out").by_code["CC99"].parent == "CL-NORTH"


def test_a_failure_while_writing_leaves_nothing(geo, tmp_path, capsys, monkeypatch):
    import xl_profile.geography_io as geography_io

    real = geography_io.write_text_atomic

    def disk_full_at_the_centroids(path, text, *args, **kwargs):
        if Path(path).name == "lsoa_centroids.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text, *args, **kwargs)

    monkeypatch.setattr(geography_io, "write_text_atomic", disk_full_at_the_centroids)
    (tmp_path / "out").mkdir()
    err = run_failing(argv(geo, tmp_path / "out"), tmp_path / "out", capsys)
    assert err[-1].startswith("Error: ") and err[-1].endswith(
        "lsoa_centroids.csv: no space left on the device")


def test_centroids_of_an_earlier_geography_are_removed(geo, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(argv(geo, out)) == 0
    assert (out / "lsoa_centroids.csv").exists()
    without = argv(geo, out)
    at = without.index("--centroids")
    capsys.readouterr()
    assert main(without[:at] + without[at + 2:]) == 0
    assert not (out / "lsoa_centroids.csv").exists()
    assert f"Removed {out / 'lsoa_centroids.csv'}: centroids of an earlier geography" in \
        capsys.readouterr().out


def test_small_areas_of_another_place(geo, tmp_path, capsys):
    path = geo / "boundaries" / "lsoa.geojson"
    collection = json.loads(path.read_text())
    for feature in collection["features"]:  # 100 km north: another authority's small areas
        feature["geometry"]["coordinates"] = [[[x, y + 100_000] for x, y in ring]
                                              for ring in feature["geometry"]["coordinates"]]
    path.write_text(json.dumps(collection))
    args = argv(geo, tmp_path / "out")
    at = args.index("--centroids")
    err = run_failing(args[:at] + args[at + 2:], tmp_path / "out", capsys)
    assert err == [f"Error: {path}: none of the 120 small areas lies in a ward of "
                   f"{geo}/boundaries/ward.geojson (expected files of the same place)"]
