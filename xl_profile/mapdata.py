"""What a map of centre reach areas over wards shows, ready to draw (no plotting here).

The core turns boundary layers and the geography into plain drawing data: rings of coordinates
(metres, EPSG:27700) oriented so that holes stay holes, a label point inside each shape, the
cluster outlines, the extent to show, the attribution the boundaries' licence asks for and alt
text. ``workbooks/maps.py`` renders it. Keeping the plotting library out of the core means the
core still runs (and is tested) without it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from .geometry import Layer
from .models import Geography, Level

#: Boundary licence wording for Ordnance Survey and ONS boundaries (Open Government Licence v3.0).
OS_ONS_ATTRIBUTION = ("Contains OS data © Crown copyright and database right {year}. "
                      "Source: Office for National Statistics licensed under the Open Government "
                      "Licence v3.0.")
#: A geography folder's own attribution (for boundaries under another licence, or fictional ones).
ATTRIBUTION_FILE = Path("boundaries") / "attribution.txt"
#: Share of the shown extent added round a cluster, so its neighbours give it context.
CLUSTER_MARGIN = 0.12
LABEL_WIDTH = 16  # characters a line of a centre's label holds before it wraps
SLIVER_SHARE = 0.005  # holes and fragments of a cluster outline smaller than this are gaps
LABEL_GRID = 7  # lattice of candidate label points tried inside each area
CENTRE_SUFFIXES = (" children's centre", " children’s centre")


@dataclass(frozen=True)
class MapShape:
    """One area to draw: its rings (exterior counter-clockwise, holes clockwise) and label."""

    code: str
    name: str
    rings: tuple[np.ndarray, ...]
    label_at: tuple[float, float]
    in_focus: bool = True
    #: Other places inside the area a label can go, best first (where ``label_at`` is taken).
    label_options: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class MapPlan:
    """Everything a renderer needs to draw one map, with nothing left to decide but style."""

    title: str
    wards: tuple[MapShape, ...]
    centres: tuple[MapShape, ...]
    outlines: tuple[MapShape, ...]  # cluster boundaries
    extent: tuple[float, float, float, float]  # minx, miny, maxx, maxy in metres
    attribution: str
    alt_text: str
    focus_outline: str | None = None  # the cluster the map is about, drawn strongest
    legend: dict[str, str] = field(default_factory=dict)


def attribution_text(geography_dir: str | Path | None, year: int) -> str:
    """The boundary attribution: the folder's ``boundaries/attribution.txt`` when it has one
    (fictional or differently licensed boundaries), else the OS/ONS wording for ``year``."""
    if geography_dir is not None:
        path = Path(geography_dir) / ATTRIBUTION_FILE
        if path.is_file():
            text = " ".join(path.read_text(encoding="utf-8-sig").split())
            if text:
                return text.replace("{year}", str(year))
    return OS_ONS_ATTRIBUTION.format(year=year)


def _rings(geometry) -> tuple[np.ndarray, ...]:
    """Coordinate rings of a (multi)polygon: each exterior counter-clockwise, holes clockwise."""
    parts = getattr(geometry, "geoms", [geometry])
    rings = []
    for part in parts:
        if part.geom_type != "Polygon" or part.is_empty:
            continue  # a repaired polygon can carry stray lines or points: nothing to fill
        part = orient(part, 1.0)
        rings.append(np.asarray(part.exterior.coords))
        rings.extend(np.asarray(hole.coords) for hole in part.interiors)
    return tuple(rings)


def _largest_part(geometry):
    parts = [p for p in getattr(geometry, "geoms", [geometry]) if p.geom_type == "Polygon"]
    return max(parts, key=lambda p: p.area) if parts else geometry


def label_points(geometry, grid: int = LABEL_GRID, keep: int = 24) -> list[tuple[float, float]]:
    """Places for a label inside ``geometry``, those farthest from its edge first.

    The first is the pole of inaccessibility of the largest part (the point deepest inside);
    the rest are points of a ``grid`` x ``grid`` lattice inside the area, for a renderer to try
    when the first is taken by another label.
    """
    part = _largest_part(geometry)
    if part.geom_type != "Polygon" or part.is_empty:
        point = shapely.point_on_surface(geometry)
        return [(float(point.x), float(point.y))]
    pole = polylabel(part, tolerance=max(1.0, math.sqrt(part.area) / 200))
    minx, miny, maxx, maxy = part.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, grid + 2)[1:-1],
                         np.linspace(miny, maxy, grid + 2)[1:-1])
    points = shapely.points(xs.ravel(), ys.ravel())
    inside = points[shapely.contains(part, points)]
    depth = shapely.distance(part.exterior, inside)
    order = np.lexsort((shapely.get_x(inside), -np.round(depth, 3)))
    options = [(float(pole.x), float(pole.y))]
    options += [(float(p.x), float(p.y)) for p in inside[order][: keep - 1]]
    return options


def _shape(code: str, name: str, geometry, in_focus: bool = True) -> MapShape:
    options = label_points(geometry)
    return MapShape(code, name, _rings(geometry), options[0], in_focus, tuple(options))


def _names(geography: Geography, layer: Layer) -> list[str]:
    known = geography.by_code
    return [known[c].name if c in known else n for c, n in zip(layer.codes, layer.names)]


def ward_shapes(geography: Geography, wards: Layer, focus: set[str] | None = None
                ) -> tuple[MapShape, ...]:
    """Every ward, named from the geography; ``focus`` (None: all) marks the ones to stress."""
    return tuple(_shape(c, n, g, focus is None or c in focus)
                 for c, n, g in zip(wards.codes, _names(geography, wards), wards.geometries))


def centre_shapes(geography: Geography, centres: Layer, focus: set[str] | None = None
                  ) -> tuple[MapShape, ...]:
    """Every centre reach area, named from the geography without the "Children's Centre"
    ending they all share (see :func:`centre_legend`)."""
    names, _ = short_centre_names(_names(geography, centres))
    return tuple(_shape(c, n, g, focus is None or c in focus)
                 for c, n, g in zip(centres.codes, names, centres.geometries))


def centre_legend(geography: Geography, centres: Layer) -> str:
    """The legend's words for a centre's shaded area, saying how centres are named on it."""
    _, shortened = short_centre_names(_names(geography, centres))
    return ("Centre reach area (names shortened)" if shortened
            else "Children's centre reach area")


def cluster_outlines(geography: Geography, wards: Layer) -> tuple[MapShape, ...]:
    """Each cluster's boundary: the union of its wards' boundaries."""
    index = wards.index()
    outlines = []
    for cluster in geography.at_level(Level.CLUSTER):
        parts = [wards.geometries[index[w.code]] for w in geography.wards_of_cluster(cluster.code)
                 if w.code in index]
        if parts:
            outlines.append(_shape(cluster.code, cluster.name,
                                   without_slivers(shapely.union_all(parts))))
    return tuple(outlines)


def without_slivers(geometry, share: float = SLIVER_SHARE):
    """``geometry`` without holes and parts smaller than ``share`` of its area.

    Ward boundaries from different sources (or generalised ones) leave hairline gaps between
    neighbours; their union then has tiny holes and fragments that would be drawn as a cluster
    boundary running through the middle of the cluster.
    """
    least = share * geometry.area
    kept = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type != "Polygon" or part.area < least:
            continue
        holes = [h for h in part.interiors if shapely.Polygon(h).area >= least]
        kept.append(shapely.Polygon(part.exterior, holes))
    return shapely.MultiPolygon(kept) if len(kept) > 1 else (kept[0] if kept else geometry)


def label_lines(name: str, width: int = LABEL_WIDTH) -> str:
    """A label wrapped on word boundaries, so a long centre name stays inside its area."""
    return "\n".join(textwrap.wrap(name, width)) or name


def cluster_label(name: str) -> str:
    """'North' -> 'North cluster'; a name already ending in 'cluster' is kept."""
    return name if name.lower().endswith("cluster") else f"{name} cluster"


def short_centre_names(names: list[str]) -> tuple[list[str], bool]:
    """Centre names without a "Children's Centre" ending every one of them shares (the legend
    then says so), and whether it was dropped."""
    lowered = [n.lower() for n in names]
    for suffix in CENTRE_SUFFIXES:
        if names and all(n.endswith(suffix) and len(n) > len(suffix) for n in lowered):
            return [n[: -len(suffix)] for n in names], True
    return list(names), False


def _extent(geometries, margin: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(geometries, dtype=object))
    pad = margin * max(maxx - minx, maxy - miny)
    return (float(minx - pad), float(miny - pad), float(maxx + pad), float(maxy + pad))


def borough_map(geography: Geography, wards: Layer, centres: Layer, attribution: str) -> MapPlan:
    """All centre reach areas over all wards, with every cluster's boundary."""
    authority = geography.authority.name
    outlines = cluster_outlines(geography, wards)
    alt = (f"Map of {authority}: {len(centres)} children's centre reach areas "
           f"({', '.join(_names(geography, centres))}) shaded over {len(wards)} ward boundaries"
           + (f", with the boundaries of {len(outlines)} clusters "
              f"({', '.join(o.name for o in outlines)})" if outlines else "") + ".")
    return MapPlan(f"Children's centre reach areas and wards: {authority}",
                   ward_shapes(geography, wards), centre_shapes(geography, centres), outlines,
                   _extent(list(wards.geometries) + list(centres.geometries), 0.02),
                   attribution, alt, None,
                   {"centre": centre_legend(geography, centres), "ward": "Ward boundary",
                    "outline": "Cluster boundary"})


def cluster_map(geography: Geography, wards: Layer, centres: Layer, cluster_code: str,
                attribution: str) -> MapPlan:
    """The cluster's centre reach areas over its wards (neighbours faint), its boundary strong."""
    cluster = geography.area(cluster_code)
    in_cluster = {w.code for w in geography.wards_of_cluster(cluster_code)}
    own_centres = {c.code for c in geography.children(cluster_code, Level.CENTRE)}
    index, centre_index = wards.index(), centres.index()
    focus = [wards.geometries[index[c]] for c in sorted(in_cluster) if c in index]
    focus += [centres.geometries[centre_index[c]] for c in sorted(own_centres)
              if c in centre_index]
    if not focus:
        raise ValueError(f"cluster {cluster_code!r} has no ward or centre boundary to draw")
    # The cluster's own boundary last, so it is drawn over its neighbours' where they meet.
    outlines = tuple(sorted(cluster_outlines(geography, wards),
                            key=lambda o: o.code == cluster_code))
    shown = [n for c, n in zip(centres.codes, _names(geography, centres)) if c in own_centres]
    ward_names = sorted(geography.by_code[c].name for c in in_cluster if c in geography.by_code)
    alt = (f"Map of the {cluster.name} cluster: the reach areas of {len(shown)} children's "
           f"centre(s) ({', '.join(shown) or 'none with a boundary'}) over the boundaries of its "
           f"{len(ward_names)} ward(s) ({', '.join(ward_names)}), the cluster's boundary drawn "
           f"thick; neighbouring wards and centres are shown faint.")
    return MapPlan(f"{cluster.name} cluster: centre reach areas and wards",
                   ward_shapes(geography, wards, in_cluster),
                   centre_shapes(geography, centres, own_centres), outlines,
                   _extent(focus, CLUSTER_MARGIN), attribution, alt, cluster_code,
                   {"centre": centre_legend(geography, centres), "ward": "Ward boundary",
                    "outline": f"{cluster.name} cluster boundary"})
