"""Best fit of small areas (OAs, LSOAs) to larger areas (centres, wards): the ONS method.

``pwc``: a small area goes whole to the target containing its population-weighted centroid (ONS
geography policy); without centroids a representative point inside the polygon stands in.
``overlap``: whole, to the target with the largest share of its area. ``apportion``: split by area
share of each overlap, for estimates (counts are split; rates are recomputed from the split
numerators and denominators; ranks are never split).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely

from .errors import GeometryError
from .geometry import Layer
from .models import Membership

METHODS = ("pwc", "overlap", "apportion")
SPLIT_TOLERANCE = 0.01  # a small area is "split" when a second target holds over 1% of it


@dataclass(frozen=True)
class TargetFit:
    """How well a target's best-fitted small areas match it."""

    code: str
    small_areas: int
    quality: float | None  # share of its population its best-fitted small areas really hold


@dataclass(frozen=True)
class BestFit:
    """Result of a best fit: memberships plus what a user must know about the fit."""

    method: str
    memberships: list[Membership]
    targets: list[TargetFit] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    empty_targets: list[str] = field(default_factory=list)
    note: str = ""

    def lookup(self) -> dict[str, str]:
        """small area -> target for whole allocations (the largest share for apportionment)."""
        best: dict[str, tuple[float, str]] = {}
        for m in self.memberships:
            if m.child not in best or m.share > best[m.child][0]:
                best[m.child] = (m.share, m.parent)
        return {child: parent for child, (_, parent) in best.items()}

    def summary(self) -> str:
        """A few lines for people: method, counts, worst fits and problems."""
        placed = len({m.child for m in self.memberships})
        lines = [f"Best fit ({self.method}): {placed} small areas placed in "
                 f"{len(self.targets) - len(self.empty_targets)} of {len(self.targets)} targets."]
        if self.note:
            lines.append(self.note)
        rated = sorted((t for t in self.targets if t.quality is not None), key=lambda t: t.quality)
        if rated:
            lines.append("Lowest fit quality: " + ", ".join(
                f"{t.code} {t.quality:.1%}" for t in rated[:5]))
        for label, items in (("Outside every target", self.outside),
                             ("Split across targets", self.split),
                             ("Targets with no small area", self.empty_targets)):
            if items:
                shown = ", ".join(items[:10]) + (f" and {len(items) - 10} more" if len(items) > 10
                                                 else "")
                lines.append(f"{label} ({len(items)}): {shown}")
        return "\n".join(lines)


def assign_points(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Index of the target polygon containing each point (-1 where none), vectorised.

    A point on a shared boundary goes to the first target in file order, so results are stable.
    One bulk query of a tree over the points finds, for every target, the points inside its
    bounding box; each target is then prepared once (in place: it stays prepared) and those
    points are tested against it from their coordinates, without a Python loop per point.
    """
    result = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(targets) == 0:
        return result
    target_idx, point_idx = _points_in_targets(points, targets)
    first = np.full(len(points), len(targets), dtype=np.int64)
    np.minimum.at(first, point_idx, target_idx)  # the first target for boundary points
    placed = first < len(targets)
    result[placed] = first[placed]
    return result


def _points_in_targets(points: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(target index, point index) of every point touching or inside a target."""
    tree = shapely.STRtree(points)
    if not (shapely.get_type_id(points) == 0).all():  # not all plain points: GEOS decides
        return tree.query(targets, predicate="intersects")
    target_idx, point_idx = tree.query(targets)  # bounding boxes only
    shapely.prepare(targets)
    inside = shapely.intersects_xy(targets[target_idx], shapely.get_x(points)[point_idx],
                                   shapely.get_y(points)[point_idx])
    return target_idx[inside], point_idx[inside]


def overlap_shares(small: Layer, targets: Layer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(small index, target index, share of the small area's area) for every overlap."""
    tree = shapely.STRtree(targets.geometries)
    s_idx, t_idx = tree.query(small.geometries, predicate="intersects")
    inter = shapely.area(shapely.intersection(small.geometries[s_idx], targets.geometries[t_idx]))
    shares = inter / shapely.area(small.geometries[s_idx])
    keep = shares > 1e-9
    return s_idx[keep], t_idx[keep], shares[keep]


def best_fit(small: Layer, targets: Layer, *, centroids: Layer | None = None,
             method: str = "pwc", populations: Mapping[str, float] | None = None) -> BestFit:
    """Fit every small area to the targets by ``method`` (pwc, overlap or apportion)."""
    if method not in METHODS:
        raise GeometryError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    overlaps = overlap_shares(small, targets) if len(small.geometries) and _polygons(small) \
        else None
    note = ""
    if method == "pwc":
        points, note = _pwc_points(small, centroids)
        assigned = assign_points(points, targets.geometries)
        pairs = [(i, int(t), 1.0) for i, t in enumerate(assigned) if t >= 0]
    elif method == "overlap":
        pairs = _largest_overlap(overlaps, len(small))
    else:
        pairs = [(int(s), int(t), float(sh)) for s, t, sh in zip(*overlaps)]
    memberships = [Membership(child=small.codes[s], parent=targets.codes[t], share=min(1.0, sh),
                              method=method) for s, t, sh in pairs]
    return _report(method, memberships, small, targets, overlaps, populations, note)


def membership_quality(memberships: list[Membership], small: Layer, targets: Layer,
                       populations: Mapping[str, float] | None = None) -> dict[str, float]:
    """Fit quality (see :func:`_quality`) of memberships made elsewhere, e.g. a supplied lookup.

    Memberships naming a small area or target missing from the layers are left out.
    """
    small_index, target_index = small.index(), targets.index()
    usable = [m for m in memberships if m.child in small_index and m.parent in target_index]
    if not usable or not _polygons(small):
        return {}
    return _quality(usable, small, targets, overlap_shares(small, targets), populations)


def _polygons(layer: Layer) -> bool:
    return shapely.get_type_id(layer.geometries[0]) in (3, 6)


def _pwc_points(small: Layer, centroids: Layer | None) -> tuple[np.ndarray, str]:
    if centroids is None:
        if not _polygons(small):
            return small.geometries, ""
        return shapely.point_on_surface(small.geometries), (
            "No population-weighted centroids given: a representative point inside each small "
            "area was used instead.")
    index = centroids.index()
    missing = [c for c in small.codes if c not in index]
    if missing:
        raise GeometryError(f"{centroids.source}: no centroid for {len(missing)} small area(s), "
                            f"e.g. {', '.join(missing[:5])}")
    return centroids.geometries[[index[c] for c in small.codes]], ""


def _largest_overlap(overlaps, count: int) -> list[tuple[int, int, float]]:
    best: dict[int, tuple[float, int]] = {}
    for s, t, share in zip(*overlaps):
        if int(s) not in best or share > best[int(s)][0]:
            best[int(s)] = (float(share), int(t))
    return [(s, t, 1.0) for s, (_, t) in sorted(best.items())]


def _report(method: str, memberships: list[Membership], small: Layer, targets: Layer, overlaps,
            populations: Mapping[str, float] | None, note: str) -> BestFit:
    placed = {m.child for m in memberships}
    received: dict[str, int] = {}
    for m in memberships:
        received[m.parent] = received.get(m.parent, 0) + 1
    quality = _quality(memberships, small, targets, overlaps, populations) if overlaps else {}
    split = []
    if overlaps is not None:
        counts = np.bincount(overlaps[0][overlaps[2] > SPLIT_TOLERANCE], minlength=len(small))
        split = [small.codes[i] for i in np.flatnonzero(counts > 1)]
    return BestFit(
        method=method, memberships=memberships,
        targets=[TargetFit(code, received.get(code, 0), quality.get(code))
                 for code in targets.codes],
        split=split, outside=[c for c in small.codes if c not in placed],
        empty_targets=[c for c in targets.codes if c not in received], note=note)


def _quality(memberships, small: Layer, targets: Layer, overlaps, populations) -> dict[str, float]:
    """Per target: population of its best-fitted small areas that lies in it / its population.

    Populations inside each target are estimated by area share of each small area's population
    (or of its area when no populations are given).
    """
    pops = np.array([(populations or {}).get(c, 1.0) for c in small.codes], dtype=float)
    if populations is None:
        pops = shapely.area(small.geometries)
    s_idx, t_idx, shares = overlaps
    inside = np.bincount(t_idx, weights=pops[s_idx] * shares, minlength=len(targets))
    small_index, target_index = small.index(), targets.index()  # once, not per membership
    assigned = {(small_index[m.child], target_index[m.parent]): m.share for m in memberships}
    held = np.zeros(len(targets))
    for s, t, share in zip(s_idx, t_idx, shares):
        if (int(s), int(t)) in assigned:
            held[t] += pops[s] * share
    return {code: float(held[i] / inside[i]) for i, code in enumerate(targets.codes)
            if inside[i] > 0}


def fit_points(points: Layer, targets: Layer) -> list[str | None]:
    """The target holding each point (None outside every target): the ``pwc`` rule of
    :func:`best_fit` for centroids given as points."""
    return [None if t < 0 else targets.codes[t]
            for t in assign_points(points.geometries, targets.geometries)]


#: What a point outside every target is given (never a blank that looks like a missing row).
OUTSIDE = "(outside every area)"


def fit_point_rows(codes: list, xs: list, ys: list, targets: Layer,
                   crs: str | int | None = None) -> list[str]:
    """Target code for each (code, x, y) row: trailing blank rows (a whole-column reference)
    are dropped, a blank row inside gives "", a point outside every target :data:`OUTSIDE`."""
    from .geometry import points_layer

    rows = list(zip(codes, xs, ys))
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    filled = [i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)]
    layer = points_layer([str(rows[i][0] or "") for i in filled], [rows[i][1] for i in filled],
                         [rows[i][2] for i in filled], source="points", crs=crs)
    found = dict(zip(filled, fit_points(layer, targets)))
    return [("" if i not in found else OUTSIDE if found[i] is None else found[i])
            for i in range(len(rows))]
