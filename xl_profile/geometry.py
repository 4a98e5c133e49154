"""Boundaries and points: reading GeoJSON and centroid CSVs in British National Grid.

Everything is held in EPSG:27700 (metres). WGS84 input (EPSG:4326, RFC 7946 GeoJSON) is
reprojected with pyproj. A CRS given by the caller wins over the file's (or, given with the name of
the option it came from, must agree with the file's); a file without one is judged by its
coordinates, and coordinates that contradict the CRS are an error, never a silent wrong answer.
Invalid polygons are repaired with ``make_valid`` and the repair is reported.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from .errors import GeometryError, InputError
from .tabular import read_table

BNG, WGS84 = 27700, 4326
BNG_MARGIN = 100_000  # metres beyond the grid's published extent still accepted
_CRS_CODE = re.compile(r"(?:EPSG)?:*(\d{4,5})$", re.IGNORECASE)


@dataclass(frozen=True)
class Layer:
    """Polygons (or points) with their codes and names, in EPSG:27700."""

    codes: list[str]
    names: list[str]
    geometries: np.ndarray
    source: str
    repairs: list[str] = field(default_factory=list)
    #: The CRS the file was read in and how it was known, e.g. "EPSG:4326 (stated in the file)".
    crs_note: str = ""

    def __len__(self) -> int:
        return len(self.codes)

    def index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}


def parse_crs(text: str | int | None) -> int | None:
    """EPSG code from 27700, 'EPSG:27700', 'urn:ogc:def:crs:EPSG::27700' or '...CRS84'."""
    if text is None or text == "":
        return None
    if isinstance(text, int):
        return text
    if str(text).upper().endswith("CRS84"):
        return WGS84
    match = _CRS_CODE.search(str(text).strip())
    if not match:
        raise GeometryError(f"unrecognised CRS {text!r}; expected an EPSG code such as 27700 or 4326")
    return int(match.group(1))


def _looks_like_degrees(bounds: np.ndarray) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90


def _within_bng(bounds: np.ndarray) -> bool:
    """True when the bounds lie in (a margin round) the British National Grid's extent."""
    minx, miny, maxx, maxy = bounds
    return -BNG_MARGIN <= minx and maxx <= 700_000 + BNG_MARGIN and -BNG_MARGIN <= miny \
        and maxy <= 1_300_000 + BNG_MARGIN


def _check_crs(source: str, crs: int | None, bounds: np.ndarray, option: str = "--crs") -> int:
    degrees = _looks_like_degrees(bounds)
    if crs is None:
        crs = WGS84 if degrees else BNG
    if crs == BNG and degrees:
        raise GeometryError(f"{source}: coordinates look like longitude/latitude degrees "
                            f"(x {bounds[0]:.3f} to {bounds[2]:.3f}) but the CRS is EPSG:27700; "
                            f"give {option} 4326")
    if crs == WGS84 and not degrees:
        raise GeometryError(f"{source}: coordinates (x {bounds[0]:.0f} to {bounds[2]:.0f}) are not "
                            f"degrees but the CRS is EPSG:4326; give {option} 27700")
    if crs not in (BNG, WGS84):
        raise GeometryError(f"{source}: CRS EPSG:{crs} is not supported; expected 27700 or 4326")
    if crs == BNG and not _within_bng(bounds):
        raise GeometryError(f"{source}: coordinates (x {bounds[0]:.6g} to {bounds[2]:.6g}, y "
                            f"{bounds[1]:.6g} to {bounds[3]:.6g}) lie outside the British "
                            f"National Grid (x 0 to 700000, y 0 to 1300000 metres)")
    return crs


def to_bng(geometries: np.ndarray, crs: int) -> np.ndarray:
    """Reproject to EPSG:27700 when needed."""
    if crs == BNG:
        return geometries
    from pyproj import Transformer  # only WGS84 input needs it

    transformer = Transformer.from_crs(crs, BNG, always_xy=True)
    return shapely.transform(geometries, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1])))


def read_boundaries(path: str | Path, code_field: str, *, name_field: str | None = None,
                    crs: str | int | None = None, crs_option: str | None = None) -> Layer:
    """Read polygons from GeoJSON, validated and in EPSG:27700.

    Args:
        crs: the CRS to read the file in; it wins over the file's own, unless ``crs_option`` (the
            option it was given by, named in messages) is given: then it is a hint for a file
            that states none, and a file stating another CRS is an error.

    Raises:
        GeometryError: not GeoJSON, a feature without the code field, an empty or duplicate
            feature, coordinates that contradict the CRS, or a CRS hint the file contradicts.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise GeometryError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GeometryError(f"{path}: not valid GeoJSON ({exc})") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features or not isinstance(features, list):
        raise GeometryError(f"{path}: expected a GeoJSON FeatureCollection with features")
    codes, names, geoms, repairs = [], [], [], []
    for i, feature in enumerate(features, start=1):
        code, geom = _feature(path, i, feature, code_field)
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            geom = shapely.make_valid(geom)
            repairs.append(f"feature {i} ({code}): invalid polygon ({reason}) repaired with "
                           f"make_valid")
        codes.append(code)
        names.append(str((feature.get("properties") or {}).get(name_field or "", code) or code))
        geoms.append(geom)
    _no_duplicates(path, codes)
    array = np.array(geoms, dtype=object)
    file_crs, how = _layer_crs(path, crs, data.get("crs"), crs_option)
    checked = _check_crs(str(path), file_crs, shapely.total_bounds(array), crs_option or "--crs")
    return Layer(codes, names, to_bng(array, checked), str(path), repairs,
                 f"EPSG:{checked} ({how})")


def _layer_crs(path: Path, given: str | int | None, member: object,
               option: str | None = None) -> tuple[int | None, str]:
    """The CRS to read a file in and how it is known: the caller's, else the file's legacy ``crs``
    member, else None (judged from the coordinates). With ``option`` the caller's is a hint that
    the file's must not contradict."""
    try:
        stated = None
        if given is None or option is not None:
            properties = member.get("properties") if isinstance(member, dict) else None
            name = properties.get("name") if isinstance(properties, dict) else None
            if member is not None and name is None:
                raise GeometryError(f"crs member {str(member)[:60]!r} has no properties.name")
            stated = parse_crs(name)
        hint = parse_crs(given) if given is not None else None
    except GeometryError as exc:
        raise GeometryError(f"{path}: {exc}") from None
    if hint is not None and stated is not None and hint != stated:
        raise GeometryError(f"{path}: the file states its CRS is EPSG:{stated} but {option} says "
                            f"EPSG:{hint}; leave {option} out for a file that states its CRS")
    if stated is not None:
        return stated, "stated in the file"
    if hint is not None:
        return hint, f"given by {option}" if option else "given"
    return None, "judged from the coordinates"


def _feature(path: Path, i: int, feature: dict, code_field: str):
    if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
        raise GeometryError(f"{path}: feature {i} is not a GeoJSON Feature object with "
                            f"properties (found {str(feature)[:60]})")
    props = feature.get("properties") or {}
    value = props.get(code_field)
    if isinstance(value, float) and not math.isfinite(value):
        raise GeometryError(f"{path}: feature {i}: property {code_field!r} is {value}; expected "
                            f"an area code")
    if code_field not in props or props[code_field] in (None, ""):
        raise GeometryError(f"{path}: feature {i} has no {code_field!r} property (properties: "
                            f"{', '.join(props) or 'none'})")
    if not isinstance(props[code_field], (str, int)):
        raise GeometryError(f"{path}: feature {i}: property {code_field!r} is "
                            f"{str(props[code_field])[:40]}; expected an area code")
    code = str(props[code_field]).strip()
    try:
        with warnings.catch_warnings():  # NaN coordinates warn here; they are reported below
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") \
                else None
    except (ValueError, TypeError, AttributeError) as exc:
        raise GeometryError(f"{path}: feature {i} ({code}): unreadable geometry ({exc})") from None
    if geom is not None and not np.isfinite(shapely.get_coordinates(geom)).all():
        _finite_coordinates(path, i, code_field, code, feature.get("geometry"))
    if geom is None or geom.is_empty:
        raise GeometryError(f"{path}: feature {i} ({code}) has an empty geometry")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"{path}: feature {i} ({code}): expected a Polygon or MultiPolygon, "
                            f"found {geom.geom_type}")
    return code, geom


def _first_non_finite(coordinates, position: tuple[int, ...] = ()):
    """(position, value) of the first NaN or infinite number in nested coordinates, else None."""
    if isinstance(coordinates, (int, float)) and not isinstance(coordinates, bool):
        return None if math.isfinite(coordinates) else (position, coordinates)
    if isinstance(coordinates, list):
        for k, item in enumerate(coordinates):
            found = _first_non_finite(item, (*position, k))
            if found:
                return found
    return None


def _finite_coordinates(path: Path, i: int, code_field: str, code: str, geometry) -> None:
    """Raise GeometryError naming file, feature and position of a NaN or infinite coordinate.

    JSON has no NaN or Infinity, but Python's reader (and some GIS exports) accept them.
    """
    if not isinstance(geometry, dict):
        return
    found = _first_non_finite(geometry.get("coordinates"))
    if found:
        position, value = found
        where = "".join(f"[{k}]" for k in position)
        raise GeometryError(f"{path}: feature {i} ({code_field} {code}): geometry coordinates"
                            f"{where} is {value}; expected a finite number")


def _no_duplicates(path: Path, codes: list[str]) -> None:
    seen: set[str] = set()
    for i, code in enumerate(codes, start=1):
        if code in seen:
            raise GeometryError(f"{path}: feature {i}: code {code!r} appears more than once")
        seen.add(code)


def read_points(path: str | Path, code_col: str, x_col: str, y_col: str, *,
                crs: str | int | None = None, crs_option: str | None = None) -> Layer:
    """Read points (e.g. population-weighted centroids) from CSV, in EPSG:27700.

    ``crs_option`` names the option ``crs`` came from, for messages.
    """
    table = read_table(path)
    problems = table.require_columns([code_col, x_col, y_col])
    if problems:
        raise InputError(problems)
    codes, xs, ys = [], [], []
    for number, row in table.rows:
        x, y = _number(row.get(x_col)), _number(row.get(y_col))
        if not (math.isfinite(x) and math.isfinite(y)):
            column = x_col if not math.isfinite(x) else y_col
            problems.append(table.problem(number, column, "coordinate is not a finite number",
                                          expected="a number", found=f"{row.get(x_col)}, "
                                                                     f"{row.get(y_col)}"))
            continue
        codes.append(row.get(code_col, ""))
        xs.append(x)
        ys.append(y)
    if problems:
        raise InputError(problems)
    if not codes:
        raise InputError(table.problem(2, None, "no points in the file",
                                       expected=f"one row per area with {code_col}, {x_col}, "
                                                f"{y_col}", found="a header only"))
    _no_duplicate_rows(table, code_col, codes)
    points = shapely.points(np.array(xs), np.array(ys))
    checked = _check_crs(str(path), parse_crs(crs), shapely.total_bounds(points),
                         crs_option or "--crs")
    how = "judged from the coordinates" if crs is None else \
        (f"given by {crs_option}" if crs_option else "given")
    return Layer(codes, codes, to_bng(points, checked), str(path),
                 crs_note=f"EPSG:{checked} ({how})")


def _no_duplicate_rows(table, code_col: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for (number, _row), code in zip(table.rows, codes):
        if code in seen:
            raise InputError(table.problem(number, code_col, f"code {code!r} appears more than "
                                                             f"once", expected="one row per code"))
        seen.add(code)


def _number(text: str | None) -> float:
    """The number in ``text``, NaN when it is not one."""
    try:
        return float(text or "")
    except ValueError:
        return math.nan


def overlapping_pairs(layer: Layer, tolerance_m2: float = 100.0) -> list[tuple[str, str, float]]:
    """Pairs of polygons in a layer that overlap by more than ``tolerance_m2`` square metres.

    The default ignores slivers from digitising and rounding (100 m² is a 10 m square).
    """
    tree = shapely.STRtree(layer.geometries)
    left, right = tree.query(layer.geometries, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    areas = shapely.area(shapely.intersection(layer.geometries[left], layer.geometries[right]))
    return [(layer.codes[a], layer.codes[b], float(area))
            for a, b, area in zip(left, right, areas) if area > tolerance_m2]


def points_layer(codes: list[str], xs: list[float], ys: list[float], *, source: str = "points",
                 crs: str | int | None = None) -> Layer:
    """Points given as values (e.g. centroids pasted in a worksheet), checked and in
    EPSG:27700; ``source`` names them in errors."""
    if not len(codes) == len(xs) == len(ys):
        raise GeometryError(f"{source}: codes, x and y must be the same length; got "
                            f"{len(codes)}, {len(xs)} and {len(ys)}")
    for i, (code, x, y) in enumerate(zip(codes, xs, ys), start=1):
        if not code or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (x, y)):
            raise GeometryError(f"{source}: point {i}: expected a code and finite x and y; "
                                f"found {code!r}, {x!r}, {y!r}")
    if not codes:
        raise GeometryError(f"{source}: no points")
    points = shapely.points(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    checked = _check_crs(source, parse_crs(crs), shapely.total_bounds(points))
    return Layer(list(codes), list(codes), to_bng(points, checked), source)
