"""Best fit reproduces the official ONS best-fit lookups for Westminster exactly."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from xl_profile.bestfit import best_fit
from xl_profile.geometry import read_boundaries, read_points


def rows(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def wards(westminster):
    return read_boundaries(westminster / "westminster_wards_2002_2022_bng.geojson", "GSS_CODE",
                           name_field="NAME")


@pytest.fixture(scope="module")
def old_to_new(westminster):
    return {r["ward_code_old"]: r["ward_code"] for r in rows(westminster / "westminster_ward_codes.csv")}


def test_lsoa2011_pwc_reproduces_ons_lsoa11_to_ward17(westminster, wards):
    lsoas = read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson", "LSOA11CD")
    pwc = read_points(westminster / "westminster_lsoa2011_pwc.csv", "lsoa11cd", "easting",
                      "northing")
    fit = best_fit(lsoas, wards, centroids=pwc)
    ons = {r["LSOA11CD"]: r["WD17CD"]
           for r in rows(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv")}
    assert len(ons) == 128
    assert fit.lookup() == ons
    assert fit.outside == [] and fit.empty_targets == []
    assert all(t.quality > 0.95 for t in fit.targets)


@pytest.mark.parametrize("lookup, column", [
    ("ons_bestfit_lsoa2001_to_ward2002_westminster.csv", "WD02CD"),
    ("ons_bestfit_lsoa2001_to_ward2008_westminster.csv", "WD08CD"),
    ("ons_bestfit_lsoa2001_to_ward2011_westminster.csv", "WD11CD"),
])
def test_lsoa2001_representative_points_reproduce_ons(westminster, wards, old_to_new, lookup,
                                                       column):
    lsoas = read_boundaries(westminster / "westminster_lsoa2001_with_stward_bng.geojson",
                            "LSOA_CODE")
    fit = best_fit(lsoas, wards)  # no centroids published for 2001: representative points
    assert "representative point" in fit.note
    ons = {r["LSOA01CD"]: old_to_new.get(r[column], r[column])
           for r in rows(westminster / lookup)}
    assert len(ons) == 120 and fit.lookup() == ons


def test_wgs84_input_gives_the_same_answer(westminster, wards):
    bng = best_fit(read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson",
                                   "LSOA11CD"), wards,
                   centroids=read_points(westminster / "westminster_lsoa2011_pwc.csv",
                                         "lsoa11cd", "easting", "northing"))
    wgs = best_fit(read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_wgs84.geojson",
                                   "LSOA11CD"),
                   read_boundaries(westminster / "westminster_wards_2002_2022_wgs84.geojson",
                                   "GSS_CODE"),
                   centroids=read_points(westminster / "westminster_lsoa2011_pwc.csv", "lsoa11cd",
                                         "lon", "lat", crs=4326))
    assert wgs.lookup() == bng.lookup()


def test_overlap_and_apportion_methods(westminster, wards):
    lsoas = read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson", "LSOA11CD")
    overlap = best_fit(lsoas, wards, method="overlap")
    ons = {r["LSOA11CD"]: r["WD17CD"]
           for r in rows(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv")}
    assert overlap.lookup() == ons  # Westminster LSOAs nest in wards (largest overlap >= 0.96)
    apportion = best_fit(lsoas, wards, method="apportion")
    totals: dict[str, float] = {}
    for m in apportion.memberships:
        totals[m.child] = totals.get(m.child, 0) + m.share
    # Shares add to at most 1; generalised LSOA edges stray a little outside the ward polygons.
    assert all(0.95 < t <= 1 + 1e-9 for t in totals.values())
    assert len(apportion.split) == 8 and max(len(m.child) for m in apportion.memberships) == 9


def test_cli_writes_the_lookup_and_summary(westminster, tmp_path):
    out = tmp_path / "lookup.csv"
    result = subprocess.run([sys.executable, "-m", "xl_profile", "bestfit",
                             "--small-areas", str(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson"),
                             "--small-area-code", "LSOA11CD",
                             "--targets", str(westminster / "westminster_wards_2002_2022_bng.geojson"),
                             "--target-code", "GSS_CODE",
                             "--centroids", str(westminster / "westminster_lsoa2011_pwc.csv"),
                             "--centroid-code", "lsoa11cd", "--centroid-x", "easting",
                             "--centroid-y", "northing", "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "128 small areas placed in 20 of 20 targets" in result.stdout
    lines = out.read_text().splitlines()
    assert lines[0] == "small_area_code,target_code,share,method"
    assert len(lines) == 129 and lines[1].endswith(",1,pwc")
