"""Benchmark: England-sized best fit and overlaps.

1. 180,000 output-area centroids into 3,500 centre polygons (ONS PWC best fit).
2. 33,000 LSOA polygons overlapped with 7,500 ward polygons (area shares for apportionment).

Peer, measured in the same run on the same data: a plain geopandas spatial join (``sjoin``) for
points (best of the same number of runs as ours, its spatial index built in each) and ``overlay``
for overlaps; without geopandas, a plain shapely STRtree query per point.
Prints the figures last as one JSON line. ``--quick`` runs a tenth of the size.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import shapely

from xl_profile.bestfit import assign_points, overlap_shares
from xl_profile.geometry import Layer

BOX = shapely.box(100_000, 0, 650_000, 650_000)  # roughly England in BNG metres


def tessellation(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` Voronoi cells of random sites, clipped to the box."""
    sites = shapely.points(rng.uniform(100_000, 650_000, n), rng.uniform(0, 650_000, n))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(sites), extend_to=BOX))
    return shapely.intersection(cells, BOX)


def layer(geoms: np.ndarray, prefix: str) -> Layer:
    codes = [f"{prefix}{i:06d}" for i in range(len(geoms))]
    return Layer(codes, codes, geoms, prefix)


def timed(func, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def peer_points(points: np.ndarray, polygons: np.ndarray, repeat: int) -> tuple[float, str]:
    try:
        import geopandas as gpd
    except ImportError:
        tree = shapely.STRtree(polygons)

        def loop():
            return [tree.query(p, predicate="intersects") for p in points]

        return timed(loop, repeat)[0], "shapely STRtree query per point"
    pts = gpd.GeoDataFrame(geometry=points, crs=27700)
    polys = gpd.GeoDataFrame({"code": np.arange(len(polygons))}, geometry=polygons, crs=27700)
    # sjoin indexes the right frame (the polygons); a fresh copy of it each run, so the index is
    # built in every run, as ours is.
    return timed(lambda: gpd.sjoin(pts, polys.copy(), predicate="intersects"),
                 repeat)[0], "geopandas sjoin"


def peer_overlay(small: np.ndarray, wards: np.ndarray) -> tuple[float | None, str]:
    try:
        import geopandas as gpd
    except ImportError:
        return None, "none"
    a = gpd.GeoDataFrame({"s": np.arange(len(small))}, geometry=small, crs=27700)
    b = gpd.GeoDataFrame({"w": np.arange(len(wards))}, geometry=wards, crs=27700)

    def overlay():
        joined = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
        return joined.area / a.area.to_numpy()[joined["s"].to_numpy()]

    return timed(overlay, 1)[0], "geopandas overlay"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of the point query, ours and the peer's (best is reported)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rng = np.random.default_rng(7)
    n_points, n_centres = 180_000 // scale, 3_500 // scale
    n_lsoa, n_wards = 33_000 // scale, 7_500 // scale
    centres = tessellation(n_centres, rng)
    points = shapely.points(rng.uniform(100_000, 650_000, n_points), rng.uniform(0, 650_000, n_points))
    ours_points, assigned = timed(lambda: assign_points(points, centres), args.repeat)
    peer_pts, peer_name = peer_points(points, centres, args.repeat)
    lsoas, wards = layer(tessellation(n_lsoa, rng), "L"), layer(tessellation(n_wards, rng), "W")
    ours_overlap, shares = timed(lambda: overlap_shares(lsoas, wards), 1)
    peer_ov, overlay_name = peer_overlay(lsoas.geometries, wards.geometries)
    placed = int((assigned >= 0).sum())
    print(f"best fit: {n_points:,} points into {n_centres:,} polygons in {ours_points:.3f} s "
          f"({placed:,} placed); {peer_name}: {peer_pts:.3f} s")
    print(f"overlaps: {n_lsoa:,} x {n_wards:,} polygons in {ours_overlap:.2f} s "
          f"({len(shares[0]):,} pieces); {overlay_name}: "
          f"{'n/a' if peer_ov is None else f'{peer_ov:.2f} s'}")
    print(json.dumps({
        "benchmark": "bestfit", "points": n_points, "centres": n_centres,
        "pwc_seconds": round(ours_points, 3), "pwc_peer_seconds": round(peer_pts, 3),
        "pwc_ratio_to_peer": round(ours_points / peer_pts, 2), "pwc_peer": peer_name,
        "pwc_target_seconds": 3.0, "pwc_target_ratio": 0.8, "lsoas": n_lsoa, "wards": n_wards,
        "overlap_seconds": round(ours_overlap, 2),
        "overlap_peer_seconds": None if peer_ov is None else round(peer_ov, 2),
        "overlap_ratio_to_peer": None if peer_ov is None else round(ours_overlap / peer_ov, 2),
        "overlap_peer": overlay_name}))


if __name__ == "__main__":
    main()
