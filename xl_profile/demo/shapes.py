"""Synthetic boundaries for the fictional demo borough (British National Grid metres)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.ops import unary_union

from ..geography_shapes import plain_geometry

#: Outline of the fictional borough: an irregular octagon about 6 km by 8 km.
OUTLINE = Polygon([(530400, 178000), (534800, 178300), (536000, 180500), (535800, 184600),
                   (534200, 186000), (531000, 185800), (530000, 183500), (529800, 180200)])


def random_points_in(polygon: Polygon, count: int, rng: np.random.Generator,
                     min_gap: float = 0.0) -> list[Point]:
    """``count`` points inside ``polygon``, at least ``min_gap`` apart where possible."""
    minx, miny, maxx, maxy = polygon.bounds
    points: list[Point] = []
    tries = 0
    while len(points) < count:
        tries += 1
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        gap = min_gap if tries < 20000 else 0.0
        if polygon.contains(p) and all(p.distance(q) >= gap for q in points):
            points.append(p)
    return points


def voronoi_cells(points: list[Point], clip: Polygon) -> list[Polygon]:
    """Voronoi cells of ``points`` clipped to ``clip``, in the order of ``points``."""
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=clip)
    by_point = []
    for p in points:
        cell = next(c for c in cells.geoms if c.contains(p))
        by_point.append(_largest(cell.intersection(clip)))
    return by_point


def _largest(geometry) -> Polygon:
    if geometry.geom_type == "Polygon":
        return geometry
    return max(geometry.geoms, key=lambda g: g.area)


def pwc_point(polygon: Polygon, rng: np.random.Generator) -> Point:
    """A population-weighted centroid stand-in: pulled from the centre towards a dense spot."""
    dense = random_points_in(polygon, 1, rng)[0]
    centre = polygon.representative_point()
    mid = Point((dense.x * 0.6 + centre.x * 0.4), (dense.y * 0.6 + centre.y * 0.4))
    return mid if polygon.contains(mid) else centre


def round_polygon(polygon: Polygon) -> Polygon:
    """Coordinates rounded to 0.1 m so output is identical across platforms."""
    return shapely.set_precision(polygon, 0.1)


def union(polygons: list[Polygon]) -> Polygon:
    return _largest(unary_union(polygons))


def feature_collection(items: list[tuple[str, str, Polygon]]) -> dict:
    """GeoJSON FeatureCollection in EPSG:27700 with ``code`` and ``name`` properties."""
    features = []
    for code, name, polygon in items:
        geometry = shapely.geometry.mapping(round_polygon(polygon))
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": plain_geometry(geometry)})
    return {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
            "features": features}
