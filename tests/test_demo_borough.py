"""The fictional demo borough: deterministic, nested, cut across by centres, realistic data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from xl_profile.catalogue import load_catalogue
from xl_profile.demo import DEMO_NOTICE, DemoBorough, generate_demo_borough
from xl_profile.demo.values import FROM_EXTRACT
from xl_profile.models import Level, Unit

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["indicator_id", "area_code", "period", "numerator", "denominator", "value", "note",
           "source", "data_date", "level"]
MARKERS = {"*", "x", "c", "..", "-", "<5"}
ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def demo() -> DemoBorough:
    return generate_demo_borough()


@pytest.fixture(scope="module")
def shapes(demo) -> dict[str, dict[str, object]]:
    """Boundary polygons by level and code."""
    return {level: {f["properties"]["code"]: shape(f["geometry"])
                    for f in collection["features"]}
            for level, collection in demo.boundaries.items()}


@pytest.fixture(scope="module")
def pwc(demo) -> dict[str, Point]:
    return {code: Point(x, y) for code, x, y in demo.centroids}


def digest(demo: DemoBorough) -> str:
    """A hash of everything the demo holds, GeoJSON included."""
    payload = {"areas": [a.model_dump(mode="json") for a in demo.geography.areas],
               "memberships": [m.model_dump(mode="json") for m in demo.geography.memberships],
               "boundaries": demo.boundaries, "centroids": demo.centroids,
               "rows": demo.tidy_rows, "pop04": demo.populations_0_4}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def numeric(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def rows_of(demo: DemoBorough, indicator_id: str, level: str) -> list[dict[str, str]]:
    return [r for r in demo.tidy_rows if r["indicator_id"] == indicator_id and r["level"] == level]


# --- determinism --------------------------------------------------------------------------------

def test_generating_twice_gives_identical_boroughs(demo):
    again = generate_demo_borough()
    assert again.boundaries == demo.boundaries
    assert again.tidy_rows == demo.tidy_rows
    assert digest(again) == digest(demo)
    assert digest(generate_demo_borough(seed=7)) != digest(demo)


def test_output_does_not_depend_on_the_hash_seed(demo):
    code = ("import sys; sys.path[:0] = sys.argv[1:3]\n"
            "from test_demo_borough import digest\n"
            "from xl_profile.demo import generate_demo_borough\n"
            "print(digest(generate_demo_borough()))")
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code, str(ROOT / "tests"), str(ROOT)],
                             env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == digest(demo)


# --- geography ----------------------------------------------------------------------------------

def test_counts_codes_and_fictional_labels(demo):
    geo = demo.geography
    assert geo.authority.code == "X09000001" and "fictional" in geo.authority.name
    assert "fictional" in DEMO_NOTICE
    assert [c.code for c in geo.at_level(Level.CLUSTER)] == ["CL-N", "CL-C", "CL-S"]
    centres = geo.at_level(Level.CENTRE)
    assert [c.code for c in centres] == [f"CC{i:02d}" for i in range(1, 13)]
    assert all(c.name.endswith("Children's Centre") for c in centres)
    assert Counter(c.parent for c in centres) == {"CL-N": 4, "CL-C": 4, "CL-S": 4}
    wards, lsoas = geo.at_level(Level.WARD), geo.at_level(Level.LSOA)
    assert 18 <= len(wards) <= 22 and 110 <= len(lsoas) <= 130
    assert all(re.fullmatch(r"X05\d{6}", w.code) and w.vintage == "2002" for w in wards)
    assert all(re.fullmatch(r"X01\d{6}", a.code) and a.vintage == "2001" for a in lsoas)
    assert all(4 <= n <= 8 for n in Counter(a.parent for a in lsoas).values())


def test_populations_are_realistic(demo):
    lsoas = demo.geography.at_level(Level.LSOA)
    assert all(1400 <= a.population <= 2000 for a in lsoas)
    assert set(demo.populations_0_4) == {a.code for a in lsoas}
    assert all(40 <= n <= 180 for n in demo.populations_0_4.values())
    assert 90 <= np.mean(list(demo.populations_0_4.values())) <= 130


def test_geojson_is_bng_rounded_and_labelled(demo):
    for level in ("ward", "lsoa", "centre", "cluster"):
        collection = demo.boundaries[level]
        assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::27700"
        coords = np.array([xy for f in collection["features"]
                           for ring in f["geometry"]["coordinates"] for xy in ring])
        assert np.allclose(coords * 10, np.round(coords * 10), atol=1e-6)
        assert coords[:, 0].min() > 525000 and coords[:, 0].max() < 540000
        assert coords[:, 1].min() > 175000 and coords[:, 1].max() < 190000
        for feature in collection["features"]:
            assert set(feature["properties"]) == {"code", "name"}
            assert feature["properties"]["code"] in demo.geography.by_code


def test_every_lsoa_nests_in_its_ward(demo, shapes, pwc):
    geo = demo.geography
    assert [c for c, _x, _y in demo.centroids] == [a.code for a in geo.at_level(Level.LSOA)]
    for ward in geo.at_level(Level.WARD):
        ward_poly = shapes["ward"][ward.code]
        lsoas = geo.children(ward.code, Level.LSOA)
        assert sum(shapes["lsoa"][a.code].area for a in lsoas) == pytest.approx(ward_poly.area,
                                                                                 rel=1e-4)
        for lsoa in lsoas:
            poly = shapes["lsoa"][lsoa.code]
            assert ward_poly.contains(pwc[lsoa.code]) and poly.contains(pwc[lsoa.code])
            assert poly.difference(ward_poly).area < 1e-3 * poly.area  # 0.1 m rounding only
            others = [w for w in geo.at_level(Level.WARD) if w.code != ward.code]
            assert not any(shapes["ward"][w.code].contains(pwc[lsoa.code]) for w in others)


def test_pwc_is_not_simply_the_geometric_centroid(demo, shapes, pwc):
    gaps = [pwc[c].distance(shapes["lsoa"][c].centroid) for c in pwc]
    assert np.median(gaps) > 20


def test_clusters_are_unions_of_whole_wards(demo, shapes):
    geo = demo.geography
    for ward in geo.at_level(Level.WARD):
        links = geo.memberships_of(ward.code)
        assert [(m.share, m.method) for m in links] == [(1, "lookup")]
    for cluster, poly in shapes["cluster"].items():
        wards = unary_union([shapes["ward"][w.code] for w in geo.wards_of_cluster(cluster)])
        assert wards.symmetric_difference(poly).area < 1e-4 * poly.area
    for centre in geo.at_level(Level.CENTRE):
        reach = shapes["centre"][centre.code]
        assert reach.difference(shapes["cluster"][centre.parent]).area < 1e-3 * reach.area


def test_lsoas_belong_to_the_centre_holding_their_pwc(demo, shapes, pwc):
    geo = demo.geography
    assigned = 0
    for lsoa in geo.at_level(Level.LSOA):
        links = [m for m in geo.memberships_of(lsoa.code) if m.method == "pwc"]
        holders = [c for c, poly in shapes["centre"].items() if poly.contains(pwc[lsoa.code])]
        assert [m.parent for m in links] == holders
        assert all(m.share == 1 for m in links)
        assigned += bool(links)
    assert 60 <= assigned < len(pwc)  # most LSOAs have a centre, some have none


def ward_coverage(demo, shapes) -> dict[str, list[float]]:
    """Ward code -> share of its area in each centre (centres with any real overlap)."""
    cover = {}
    for ward in demo.geography.at_level(Level.WARD):
        poly = shapes["ward"][ward.code]
        shares = [poly.intersection(c).area / poly.area for c in shapes["centre"].values()]
        cover[ward.code] = [s for s in shares if s > 0.01]
    return cover


def test_centres_cut_across_wards_leaving_some_uncovered(demo, shapes):
    cover = ward_coverage(demo, shapes)
    assert sum(1 for shares in cover.values() if not shares) >= 2
    assert sum(1 for shares in cover.values() if shares and sum(shares) < 0.95) >= 3
    assert any(len(shares) > 1 for shares in cover.values())
    wards_per_centre = [sum(1 for w in shapes["ward"].values()
                            if c.intersection(w).area > 0.01 * c.area)
                        for c in shapes["centre"].values()]
    assert max(wards_per_centre) > 1
    lsoas_split = sum(1 for poly in shapes["lsoa"].values()
                      if 0.02 < sum(poly.intersection(c).area for c in shapes["centre"].values())
                      / poly.area < 0.98
                      or sum(poly.intersection(c).area > 0.02 * poly.area
                             for c in shapes["centre"].values()) > 1)
    assert lsoas_split >= 10  # reach areas do not follow LSOA boundaries either


# --- indicator rows -----------------------------------------------------------------------------

def test_rows_are_tidy_strings(demo):
    for row in demo.tidy_rows:
        assert list(row) == COLUMNS
        assert all(isinstance(v, str) for v in row.values())
        assert row["area_code"] in demo.geography.by_code or row["area_code"] == ENGLAND
        assert row["source"] and re.fullmatch(r"\d{4}-\d{2}", row["data_date"])
    for row in demo.tidy_rows:
        if row["area_code"] == ENGLAND:
            assert row["level"] == "england"
        else:
            assert demo.geography.area(row["area_code"]).level.value == row["level"]


def test_every_catalogue_indicator_has_rows_at_its_native_level(demo):
    geo = demo.geography
    for d in load_catalogue():
        native = rows_of(demo, d.id, d.native_level.value)
        expected = len(geo.at_level(d.native_level))
        if d.id in FROM_EXTRACT:  # centre figures come from the extract, England stays
            assert native == [] and rows_of(demo, d.id, "england"), d.id
        elif d.native_level is Level.WARD:
            assert expected - 3 <= len({r["area_code"] for r in native}) <= expected, d.id
        else:
            assert len({r["area_code"] for r in native}) == expected, d.id
    england = {r["indicator_id"] for r in demo.tidy_rows if r["level"] == "england"}
    assert {"NI72", "NI116", "NI53", "NI55", "IMD30"} <= england


def test_some_wards_are_missing_from_some_indicators(demo):
    wards = len(demo.geography.at_level(Level.WARD))
    short = [d.id for d in load_catalogue() if d.native_level is Level.WARD
             and len(rows_of(demo, d.id, "ward")) < wards]
    assert len(short) >= 2


def test_counts_are_consistent_with_values(demo):
    multipliers = {d.id: d.multiplier for d in load_catalogue()}
    checked = 0
    for row in demo.tidy_rows:
        num, den, value = (numeric(row[k]) for k in ("numerator", "denominator", "value"))
        if num is not None and den is not None:
            assert 0 <= num <= den, row
            if value is not None:
                expected = num / den * multipliers[row["indicator_id"]]
                assert value == pytest.approx(round(expected, 1), abs=0.051), row
                checked += 1
    assert checked > 600


def test_values_are_in_realistic_ranges(demo):
    for d in load_catalogue():
        values = [v for r in demo.tidy_rows if r["indicator_id"] == d.id
                  and (v := numeric(r["value"])) is not None]
        if d.unit is Unit.PERCENTAGE:
            assert all(0 <= v <= 100 for v in values), d.id
    ni72 = [numeric(r["value"]) for r in rows_of(demo, "NI72", "england")]
    assert 30 <= ni72[0] <= 70


def test_suppressed_cells_are_written_as_published_spreadsheets_do(demo):
    marked = [r for r in demo.tidy_rows if r["value"] in MARKERS or r["numerator"] in MARKERS]
    assert len({r["value"] for r in marked}) >= 4
    assert all(r["numerator"] == r["value"] and numeric(r["denominator"]) for r in marked)
    assert all(r["level"] not in ("authority", "england") for r in marked)


def test_periods_levels_and_notes_are_mixed_as_real_data_is(demo):
    periods = {r["period"] for r in demo.tidy_rows}
    assert {"2001", "2006/07", "2007/08"} <= periods
    assert {r["level"] for r in demo.tidy_rows} == {"lsoa", "ward", "centre", "authority",
                                                    "england"}
    notes = Counter(r["note"] for r in demo.tidy_rows)
    assert notes["estimated"] > 0 and notes["unreliable"] > 0


def test_deprivation_drives_need(demo):
    dep = demo.deprivation
    ward_dep = defaultdict(list)
    for lsoa in demo.geography.at_level(Level.LSOA):
        ward_dep[lsoa.parent].append(dep[lsoa.code])

    def correlation(indicator_id: str, level: str) -> float:
        pairs = [(np.mean(ward_dep[r["area_code"]]) if level == "ward" else dep[r["area_code"]],
                  numeric(r["value"])) for r in rows_of(demo, indicator_id, level)]
        x, y = np.array([p for p in pairs if p[1] is not None]).T
        return float(np.corrcoef(np.argsort(np.argsort(x)), np.argsort(np.argsort(y)))[0, 1])

    assert correlation("NI116", "lsoa") > 0.6  # worklessness up with deprivation
    assert correlation("NI72", "lsoa") < -0.2  # good development down
    assert correlation("CIN", "ward") > 0.5
    assert correlation("NI53", "ward") < -0.5
    pops = demo.populations_0_4
    assert np.corrcoef([dep[c] for c in pops], list(pops.values()))[0, 1] > 0.5
    # Deprived south-east: the south cluster is the most deprived.
    south = [dep[a.code] for a in demo.geography.at_level(Level.LSOA)
             if demo.geography.cluster_of_ward(a.parent) == "CL-S"]
    north = [dep[a.code] for a in demo.geography.at_level(Level.LSOA)
             if demo.geography.cluster_of_ward(a.parent) == "CL-N"]
    assert np.mean(south) > np.mean(north) + 0.15


def test_share_of_lsoas_in_the_most_deprived_30_percent_is_a_count_of_areas(demo):
    rows = rows_of(demo, "IMD30", "lsoa")
    assert {(r["numerator"], r["denominator"]) for r in rows} <= {("0", "1"), ("1", "1")}
    assert 0.15 < sum(r["numerator"] == "1" for r in rows) / len(rows) < 0.85
