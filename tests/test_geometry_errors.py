"""Bad geometry gives a clear error or a stated repair, never a silent wrong answer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import shapely

from xl_profile.bestfit import best_fit
from xl_profile.errors import GeometryError, InputError
from xl_profile.geometry import overlapping_pairs, read_boundaries, read_points


def square(x, y, size=100):
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def write_layer(path, features, crs="urn:ogc:def:crs:EPSG::27700"):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry}
        for props, geometry in features]}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data))
    return path


def poly(coords):
    return {"type": "Polygon", "coordinates": coords}


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path):
    bowtie = [[[530000, 180000], [530100, 180100], [530100, 180000], [530000, 180100],
               [530000, 180000]]]
    layer = read_boundaries(write_layer(tmp_path / "a.geojson", [({"code": "B1"}, poly(bowtie))]),
                            "code")
    assert layer.repairs and "B1" in layer.repairs[0] and "make_valid" in layer.repairs[0]
    assert shapely.is_valid(layer.geometries[0])


def test_empty_geometry_names_the_feature(tmp_path):
    path = write_layer(tmp_path / "a.geojson", [({"code": "A"}, poly(square(530000, 180000))),
                                                ({"code": "E"}, poly([]))])
    with pytest.raises(GeometryError, match=r"feature 2 \(E\) has an empty geometry"):
        read_boundaries(path, "code")


def test_missing_code_property_lists_what_is_there(tmp_path):
    path = write_layer(tmp_path / "a.geojson", [({"name": "x"}, poly(square(530000, 180000)))])
    with pytest.raises(GeometryError, match=r"feature 1 has no 'code' property \(properties: name\)"):
        read_boundaries(path, "code")


def test_duplicate_codes(tmp_path):
    path = write_layer(tmp_path / "a.geojson", [({"code": "A"}, poly(square(530000, 180000))),
                                                ({"code": "A"}, poly(square(531000, 180000)))])
    with pytest.raises(GeometryError, match="feature 2: code 'A' appears more than once"):
        read_boundaries(path, "code")


def test_degrees_declared_as_bng_is_an_error(tmp_path):
    path = write_layer(tmp_path / "a.geojson", [({"code": "A"}, poly(square(-0.18, 51.5, 0.01)))])
    with pytest.raises(GeometryError, match="look like longitude/latitude degrees"):
        read_boundaries(path, "code")
    layer = read_boundaries(path, "code", crs=4326)  # stated correctly: reprojected
    assert 500000 < shapely.total_bounds(layer.geometries)[0] < 540000


def test_metres_declared_as_wgs84_is_an_error(tmp_path):
    path = write_layer(tmp_path / "a.geojson", [({"code": "A"}, poly(square(530000, 180000)))],
                       crs=None)
    with pytest.raises(GeometryError, match="not degrees but the CRS is EPSG:4326"):
        read_boundaries(path, "code", crs="EPSG:4326")


def test_overlapping_targets_are_reported(tmp_path):
    path = write_layer(tmp_path / "c.geojson", [({"code": "C1"}, poly(square(530000, 180000))),
                                                ({"code": "C2"}, poly(square(530050, 180000))),
                                                ({"code": "C3"}, poly(square(531000, 180000)))])
    pairs = overlapping_pairs(read_boundaries(path, "code"))
    assert [(a, b) for a, b, _ in pairs] == [("C1", "C2")] and pairs[0][2] == pytest.approx(5000)


def test_centroid_errors_and_missing_centroids(tmp_path):
    csv_path = tmp_path / "pwc.csv"
    csv_path.write_text("code,x,y\nA,530050,180050\nB,abc,180050\n")
    with pytest.raises(InputError) as err:
        read_points(csv_path, "code", "x", "y")
    assert err.value.problems[0].row == 3 and err.value.problems[0].column == "x"
    csv_path.write_text("code,x,y\nA,530050,180050\n")
    small = read_boundaries(write_layer(tmp_path / "s.geojson", [
        ({"code": "A"}, poly(square(530000, 180000))),
        ({"code": "B"}, poly(square(530200, 180000)))]), "code")
    with pytest.raises(GeometryError, match="no centroid for 1 small area"):
        best_fit(small, small, centroids=read_points(csv_path, "code", "x", "y"))


def test_points_outside_every_target_and_empty_targets_are_listed(tmp_path):
    small = read_boundaries(write_layer(tmp_path / "s.geojson", [
        ({"code": "S1"}, poly(square(530000, 180000))),
        ({"code": "S2"}, poly(square(532000, 180000)))]), "code")
    targets = read_boundaries(write_layer(tmp_path / "t.geojson", [
        ({"code": "T1"}, poly(square(529950, 179950, 200))),
        ({"code": "T2"}, poly(square(535000, 180000)))]), "code")
    fit = best_fit(small, targets)
    assert fit.lookup() == {"S1": "T1"} and fit.outside == ["S2"] and fit.empty_targets == ["T2"]
    summary = fit.summary()
    assert "Outside every target (1): S2" in summary and "no small area (1): T2" in summary


def test_cli_bad_method_and_bad_file_are_one_error_line(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    out = subprocess.run([sys.executable, "-m", "xl_profile", "bestfit", "--small-areas", str(bad),
                          "--small-area-code", "c", "--targets", str(bad), "--target-code", "c",
                          "--out", str(tmp_path / "o.csv")], capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.startswith("Error: ") and "not valid GeoJSON" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "o.csv").exists()
