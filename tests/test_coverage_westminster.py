"""Real data: Westminster's riverside wards, and broken coordinates in its boundary files."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import shapely

from xl_profile.cli import main
from xl_profile.coverage import CoverageBasis, CoverageClass, ward_coverage
from xl_profile.geometry import Layer, read_boundaries

RIVERSIDE = {"Churchill", "St. James's", "Tachbrook", "Vincent Square"}  # NONLD_AREA > 0


def rows(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_riverside_wards_are_wholly_covered_by_people(westminster):
    """Reach areas drawn round each ward's LSOAs (clipped at mean high water) cover all its people
    but not the river inside the ward boundary: by area four wards would be "partly covered"."""
    wards = read_boundaries(westminster / "westminster_wards_2002_2022_bng.geojson", "GSS_CODE",
                            name_field="NAME")
    lsoas = read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson", "LSOA11CD")
    people = {r["LSOA11CD"]: float(r["USUALRES"])
              for r in rows(westminster / "westminster_lsoa2011_gen_mhw.csv")}
    fit = {r["LSOA11CD"]: r["WD17CD"]
           for r in rows(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv")}
    index, codes = lsoas.index(), sorted(set(fit.values()))
    areas = [shapely.union_all([lsoas.geometries[index[s]] for s, w in fit.items() if w == code])
             for code in codes]
    centres = Layer(codes, codes, np.array(areas), "reach areas round each ward's LSOAs")
    coverage = {w.name: w for w in ward_coverage(wards, centres, lsoas, people)}
    assert len(coverage) == 20
    for name in RIVERSIDE:
        ward = coverage[name]
        assert ward.area_share < 0.95, name
        assert ward.population_share == pytest.approx(1.0, abs=1e-6), name
        assert ward.coverage is CoverageClass.WHOLLY and ward.basis is CoverageBasis.POPULATION
    assert all(w.coverage is CoverageClass.WHOLLY for w in coverage.values())


@pytest.mark.parametrize(("stem", "crs", "value", "shown"), [
    ("westminster_lsoa2011_gen_mhw_bng", "27700", float("nan"), "nan"),
    ("westminster_lsoa2011_gen_mhw_wgs84", "4326", float("nan"), "nan"),
    ("westminster_lsoa2011_gen_mhw_wgs84", "4326", float("inf"), "inf"),
])
def test_bestfit_names_a_non_finite_coordinate(westminster, tmp_path, capsys, stem, crs, value,
                                               shown):
    collection = json.loads((westminster / f"{stem}.geojson").read_text())
    feature = collection["features"][41]
    ring = feature["geometry"]["coordinates"][0]
    ring = ring[0] if feature["geometry"]["type"] == "MultiPolygon" else ring
    ring[5][1] = value
    broken = tmp_path / f"{stem}.geojson"
    broken.write_text(json.dumps(collection))
    where = "[0][0][5][1]" if feature["geometry"]["type"] == "MultiPolygon" else "[0][5][1]"
    targets = westminster / f"westminster_wards_2002_2022_{stem.rsplit('_', 1)[1]}.geojson"
    status = main(["bestfit", "--small-areas", str(broken), "--small-area-code", "LSOA11CD",
                   "--targets", str(targets),
                   "--target-code", "GSS_CODE", "--crs", crs, "--out", str(tmp_path / "l.csv")])
    err = capsys.readouterr().err.splitlines()
    assert status == 1 and not (tmp_path / "l.csv").exists()
    code = feature["properties"]["LSOA11CD"]
    assert err == [f"Error: {broken}: feature 42 (LSOA11CD {code}): geometry coordinates{where} "
                   f"is {shown}; expected a finite number"]
