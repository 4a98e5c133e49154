"""Points into polygons: the bulk query gives what testing each point in turn gives."""

from __future__ import annotations

import numpy as np
import shapely

from xl_profile.bestfit import assign_points


def _one_at_a_time(points: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """The rule spelled out: the first polygon (in order) that the point touches or lies in."""
    found = []
    for point in points:
        hits = [i for i, polygon in enumerate(polygons) if polygon.intersects(point)]
        found.append(hits[0] if hits else -1)
    return np.array(found, dtype=np.int64)


def _grid(n: int) -> np.ndarray:
    """An n x n grid of unit squares: many shared edges and corners."""
    return np.array([shapely.box(x, y, x + 1, y + 1) for y in range(n) for x in range(n)])


def test_random_points_match_a_point_by_point_check():
    rng = np.random.default_rng(3)
    sites = shapely.points(rng.uniform(0, 100, 60), rng.uniform(0, 100, 60))
    box = shapely.box(0, 0, 100, 100)
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(sites), extend_to=box)), box)
    points = shapely.points(rng.uniform(-10, 110, 2000), rng.uniform(-10, 110, 2000))
    assigned = assign_points(points, cells)
    assert (assigned == _one_at_a_time(points, cells)).all()
    assert (assigned == -1).any() and (assigned >= 0).sum() > 1200  # about 69% of the square is inside


def test_boundary_points_go_to_the_first_polygon_in_order():
    squares = _grid(4)
    # corners and edge midpoints shared by two or four squares, plus a point in no square
    xs = np.array([1, 2, 1.5, 0, 4, 3, 9.0])
    ys = np.array([1, 2, 1, 0.5, 4, 2.5, 9.0])
    points = shapely.points(xs, ys)
    assigned = assign_points(points, squares)
    assert assigned.tolist() == _one_at_a_time(points, squares).tolist()
    assert assigned.tolist() == [0, 5, 1, 0, 15, 10, -1]
    reversed_order = assign_points(points, squares[::-1])
    assert reversed_order.tolist() == _one_at_a_time(points, squares[::-1]).tolist()


def test_no_points_or_no_polygons():
    squares = _grid(2)
    assert assign_points(np.array([], dtype=object), squares).tolist() == []
    points = shapely.points([0.5, 5], [0.5, 5])
    assert assign_points(points, np.array([], dtype=object)).tolist() == [-1, -1]


def test_points_of_other_types_and_blanks():
    squares = _grid(2)
    points = np.array([shapely.Point(0.5, 0.5), None, shapely.Point(), shapely.Point(1.5, 0.5),
                       shapely.MultiPoint([(1.5, 1.5), (9, 9)])], dtype=object)
    assert assign_points(points, squares).tolist() == [0, -1, -1, 1, 3]
    assert assign_points(points[[0, 1, 2, 3]], squares).tolist() == [0, -1, -1, 1]
