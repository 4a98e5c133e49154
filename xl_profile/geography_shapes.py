"""Polygons made for a geography folder: centres dissolved from small areas, and GeoJSON output.

Generalised boundaries (ONS "generalised" and "super generalised" files, and files clipped to the
coastline) leave hairline gaps between neighbouring small areas; dissolved, they become slivers
and pinholes inside a centre that a map would draw as boundaries. They are closed here: gaps
narrower than twice :data:`SLIVER_WIDTH_M` are filled (a morphological closing) and holes that no
other small area covers are filled, while anything belonging to a small area outside the centre
is cut away again, so centres never take in a neighbour's ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .geometry import Layer

#: Gaps up to twice this wide between a centre's small areas are slivers (metres).
SLIVER_WIDTH_M = 5.0
#: A hole is left open when other small areas cover more than this share of it.
COVERED_SHARE = 0.5
#: Coordinates of written boundaries are rounded to this grid (metres).
PRECISION_M = 0.1
#: Pieces smaller than this (square metres) left by cutting are dropped.
CRUMB_M2 = 1.0


@dataclass(frozen=True)
class Dissolved:
    """A centre's polygon and what closing its slivers added."""

    geometry: object
    holes_filled: int
    area_added: float  # square metres


def dissolve(members: np.ndarray, others: np.ndarray) -> Dissolved:
    """The union of ``members`` with slivers closed, cut back where ``others`` lie."""
    union = shapely.union_all(members)
    closed = shapely.buffer(shapely.buffer(union, SLIVER_WIDTH_M, join_style="mitre"),
                            -SLIVER_WIDTH_M, join_style="mitre")
    closed = shapely.union(closed, union)  # the closing never loses ground either
    tree = shapely.STRtree(others)
    filled = _fill_open_holes(closed, others, tree)
    near = _near(others, tree, filled)
    if len(near):
        filled = shapely.difference(filled, shapely.union_all(near))
    result = _polygonal(shapely.union(filled, union))
    return Dissolved(result, max(0, _hole_count(union) - _hole_count(result)),
                     float(shapely.area(result) - shapely.area(union)))


def _near(geometries: np.ndarray, tree: shapely.STRtree, target) -> np.ndarray:
    """The ``geometries`` (indexed by ``tree``) that meet ``target``."""
    if not len(geometries):
        return geometries
    return geometries[tree.query(target, predicate="intersects")]


def _hole_count(geometry) -> int:
    return sum(len(p.interiors) for p in getattr(geometry, "geoms", [geometry])
               if p.geom_type == "Polygon")


def _fill_open_holes(geometry, others: np.ndarray, tree: shapely.STRtree):
    """``geometry`` with every hole no other small area covers filled."""
    parts = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type != "Polygon":
            continue
        kept = []
        for ring in part.interiors:
            hole = shapely.Polygon(ring)
            covering = _near(others, tree, hole)
            covered = shapely.area(shapely.intersection(shapely.union_all(covering), hole)) \
                if len(covering) else 0.0
            if covered > COVERED_SHARE * hole.area:
                kept.append(ring)
        parts.append(shapely.Polygon(part.exterior, kept))
    return shapely.union_all(parts)


def _polygonal(geometry):
    """Only the polygon parts of ``geometry`` (a collection's lines and points dropped), without
    crumbs, valid."""
    if shapely.get_type_id(geometry) == 3 and shapely.is_valid(geometry):
        return geometry  # the usual case, kept as it is
    parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(geometry)))
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= CRUMB_M2)
    return shapely.union_all(parts[keep]) if keep.any() else geometry


def feature_collection(items: list[tuple[str, str, object]]) -> dict:
    """A GeoJSON FeatureCollection in EPSG:27700 with ``code`` and ``name`` properties."""
    features = []
    for code, name, geometry in items:
        rounded = shapely.make_valid(shapely.set_precision(geometry, PRECISION_M))
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": plain_geometry(shapely.geometry.mapping(_polygonal(rounded)))})
    return {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
            "features": features}


def plain_geometry(geometry: dict) -> dict:
    """GeoJSON mapping with lists instead of tuples, coordinates rounded to the grid."""
    def fix(obj):
        if isinstance(obj, (tuple, list)):
            if obj and isinstance(obj[0], (int, float)):
                return [round(float(v), 1) for v in obj]
            return [fix(o) for o in obj]
        return obj

    return {"type": geometry["type"], "coordinates": fix(geometry["coordinates"])}


def layer_items(layer: Layer, codes: list[str] | None = None) -> list[tuple[str, str, object]]:
    """(code, name, geometry) for the features of ``layer`` (those in ``codes``, in its order)."""
    wanted = None if codes is None else set(codes)
    return [(c, n, g) for c, n, g in zip(layer.codes, layer.names, layer.geometries)
            if wanted is None or c in wanted]
