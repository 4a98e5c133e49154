"""Benchmark: an authority's geography made from a national small-area file.

An analyst downloads the national LSOA boundaries (33,000 polygons), centroids and census
populations and gives them to ``xl-profile geography`` with the authority's 40 wards, a clusters
CSV and a centres CSV of 25 centres; everything outside the wards is left out.

Peer, measured in the same run on the same files: the bare work with no checks, names or report
(json + shapely reading, STRtree point-in-ward, one ``union_all`` per centre). Prints the figures
last as one JSON line. ``--quick`` runs a tenth of the national size.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from xl_profile.bestfit import assign_points
from xl_profile.geography_build import (CentreSource, GeographySources, LayerSource, PointSource,
                                        PopulationSource, build_geography)

BOX = shapely.box(100_000, 0, 650_000, 650_000)  # roughly England in BNG metres
AUTHORITY = shapely.box(400_000, 300_000, 430_000, 330_000)  # a 30 km square authority
LOCAL = 700  # small areas of the authority (a city's worth), among the national ones


def cells(sites: np.ndarray, clip) -> np.ndarray:
    parts = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(sites), extend_to=clip))
    return shapely.intersection(parts, clip)


def feature_file(path: Path, geoms: np.ndarray, prefix: str) -> list[str]:
    codes = [f"{prefix}{i:06d}" for i in range(len(geoms))]
    features = [{"type": "Feature", "properties": {"code": c, "name": f"Area {c}"},
                 "geometry": json.loads(shapely.to_geojson(g))} for c, g in zip(codes, geoms)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name",
                                        "properties": {"name": "EPSG:27700"}}}))
    return codes


def write_inputs(folder: Path, n_small: int, rng: np.random.Generator) -> dict:
    national = n_small - LOCAL
    sites = np.concatenate([
        shapely.points(rng.uniform(100_000, 650_000, national), rng.uniform(0, 650_000, national)),
        shapely.points(rng.uniform(400_000, 430_000, LOCAL), rng.uniform(300_000, 330_000, LOCAL))])
    small = cells(sites, BOX)
    small = small[shapely.get_type_id(small) == 3]
    wards = cells(shapely.points(rng.uniform(400_000, 430_000, 40),
                                 rng.uniform(300_000, 330_000, 40)), AUTHORITY)
    small_codes = feature_file(folder / "lsoa.geojson", small, "E01")
    ward_codes = feature_file(folder / "ward.geojson", wards, "E05")
    points = shapely.point_on_surface(small)
    with open(folder / "pwc.csv", "w", newline="") as f:
        csv.writer(f).writerows([["code", "x", "y"]] + [
            [c, f"{x:.1f}", f"{y:.1f}"] for c, (x, y) in zip(small_codes,
                                                            shapely.get_coordinates(points))])
    with open(folder / "people.csv", "w", newline="") as f:
        csv.writer(f).writerows([["code", "population"]] + [
            [c, int(rng.integers(1000, 3000))] for c in small_codes])
    with open(folder / "clusters.csv", "w", newline="") as f:
        csv.writer(f).writerows([["ward", "cluster"]] + [
            [f"Area {w}", f"Cluster {i % 5 + 1}"] for i, w in enumerate(ward_codes)])
    inside = sorted(((p.x, c) for c, p in zip(small_codes, points) if AUTHORITY.contains(p)))
    stripe = -(-len(inside) // 25)  # centres are stripes of neighbouring small areas
    with open(folder / "centres.csv", "w", newline="") as f:
        csv.writer(f).writerows([["small_area", "centre"]] + [
            [c, f"CC{i // stripe + 1:02d}"] for i, (_x, c) in enumerate(inside)])
    return {"small": len(small_codes), "inside": len(inside), "wards": len(ward_codes),
            "points": points, "small_geoms": small, "ward_geoms": wards, "inside_codes": [c for _x, c in inside]}


def ours(folder: Path):
    return build_geography(GeographySources(
        authority="E09000099:Bench", wards=LayerSource(folder / "ward.geojson", "code", "name"),
        small_areas=LayerSource(folder / "lsoa.geojson", "code", "name"),
        clusters=folder / "clusters.csv", centres=CentreSource(folder / "centres.csv"),
        centroids=PointSource(folder / "pwc.csv"),
        population=PopulationSource(folder / "people.csv")))


def peer(folder: Path, n_centres: int = 25) -> int:
    """Read both files, place each small area's point in a ward, dissolve each centre."""
    small = [shapely.geometry.shape(f["geometry"]) for f in
             json.loads((folder / "lsoa.geojson").read_text())["features"]]
    wards = [shapely.geometry.shape(f["geometry"]) for f in
             json.loads((folder / "ward.geojson").read_text())["features"]]
    small, wards = np.array(small, dtype=object), np.array(wards, dtype=object)
    assigned = assign_points(shapely.point_on_surface(small), wards)
    kept = small[assigned >= 0]
    for k in range(n_centres):
        shapely.union_all(kept[k::n_centres])
    return int((assigned >= 0).sum())


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the national size")
    args = parser.parse_args()
    n_small = 3_300 if args.quick else 33_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        facts = write_inputs(folder, n_small, np.random.default_rng(12))
        our_seconds, built = timed(lambda: ours(folder))
        peer_seconds, placed = timed(lambda: peer(folder))
    kept = len(built.geography.at_level("lsoa"))
    print(f"geography: {facts['small']:,} small areas, {kept:,} in {facts['wards']} wards, "
          f"25 centres dissolved, in {our_seconds:.2f} s; bare json + shapely: "
          f"{peer_seconds:.2f} s ({placed:,} placed)")
    print(json.dumps({
        "benchmark": "geography", "small_areas": facts["small"], "kept": kept,
        "wards": facts["wards"], "centres": 25, "seconds": round(our_seconds, 2),
        "peer_seconds": round(peer_seconds, 2),
        "ratio_to_peer": round(our_seconds / peer_seconds, 2),
        "peer": "json + shapely, no checks", "target_seconds": 30.0}))


if __name__ == "__main__":
    main()
