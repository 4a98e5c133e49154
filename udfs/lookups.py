"""Cached access to computed profiles for worksheet functions.

Excel recalculates often; loading and computing a profile per cell would be far too slow, so the
profile for a build file is cached and refreshed when any of its input files change.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from xl_profile.config import load_config
from xl_profile.errors import UnknownNameError
from xl_profile.pipeline import load_profile, quiet
from xl_profile.profile import ProfileData

FIELDS = ("value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998",
          "rank", "quintile", "comparison", "note")


def _input_stamp(build_file: str) -> tuple[float, ...]:
    config = load_config(build_file)
    paths = [Path(build_file), config.geography / "areas.csv",
             config.geography / "memberships.csv", *config.indicators, *config.catalogue]
    return tuple(p.stat().st_mtime if p.exists() else 0.0 for p in paths)


@functools.lru_cache(maxsize=4)
def _cached_profile(build_file: str, stamp: tuple[float, ...]) -> ProfileData:
    return load_profile(load_config(build_file), progress=quiet)


def cached_profile(build_file: str) -> ProfileData:
    """The computed profile of ``build_file``, recomputed only when an input changed."""
    return _cached_profile(build_file, _input_stamp(build_file))


def profile_value(build_file: str, indicator: str, area_code: str, field: str = "value") -> Any:
    """One field of one area's result for one indicator."""
    if field not in FIELDS:
        raise UnknownNameError(f"field must be one of {', '.join(FIELDS)}; got {field!r}")
    profile = cached_profile(build_file)
    result = profile.results.get(indicator)
    if result is None:
        raise UnknownNameError(f"no data for indicator {indicator!r}")
    area = result.area(area_code)
    if area is None:
        raise UnknownNameError(f"no area {area_code!r} in indicator {indicator!r}")
    value = getattr(area, field)
    if field == "comparison":
        return value.label
    if field == "note":
        return "" if value is None else value.value
    return value


REACH_FIELDS = ("reach_pct", "lower95", "upper95", "reach_children", "population_0_4",
                "children_seen", "families_seen", "attendances", "outreach_attendances",
                "on-site_attendances", "repeat_children")


@functools.lru_cache(maxsize=2)
def _cached_reach(build_file: str, stamp: tuple[float, ...]):
    from xl_profile.errors import ConfigError
    from xl_profile.reach import compute_reach, load_extract, populations_from_profile
    from xl_profile.reach.centres import align_centres

    config = load_config(build_file)
    if config.extract is None or config.reach_as_of is None:
        raise ConfigError("the build file names no extract and reach_as_of")
    profile = cached_profile(build_file)
    extract = load_extract(config.extract, config.reach_as_of, config.pseudonym_key.encode())
    extract, _names = align_centres(extract, profile.geography)  # as the build matches them
    return compute_reach(extract, profile.geography, populations_from_profile(profile))


def reach_value(build_file: str, centre: str, months: int = 12, field: str = "reach_pct") -> Any:
    """One reach measure for a centre over the 12 or 24 months to the build's reach_as_of."""
    if field not in REACH_FIELDS:
        raise UnknownNameError(f"field must be one of {', '.join(REACH_FIELDS)}; got {field!r}")
    config = load_config(build_file)
    stamp = _input_stamp(build_file) + tuple(
        p.stat().st_mtime for p in sorted((config.extract or Path(".")).glob("*.csv")))
    table = _cached_reach(build_file, stamp).by_centre.get(int(months))
    if table is None:
        raise UnknownNameError(f"months must be 12 or 24; got {months!r}")
    if centre not in table.index:
        raise UnknownNameError(f"no centre {centre!r} in the reach results")
    value = table.loc[centre, field]
    return None if value != value else float(value)  # NaN -> blank cell


def _file_stamp(path: Path) -> tuple[float, int]:
    stat = path.stat()
    return stat.st_mtime, stat.st_size


@functools.lru_cache(maxsize=4)
def _cached_boundaries(path: str, stamp: tuple[float, int], code_field: str, crs: str):
    from xl_profile.geometry import read_boundaries

    return read_boundaries(path, code_field, crs=crs or None)


def boundary_layer(path: str, code_field: str = "code", crs: object = None):
    """The boundaries of a GeoJSON file, read again only when the file changes."""
    from xl_profile.errors import GeometryError

    file = Path(str(path or ""))
    if not file.is_file():
        raise GeometryError(f"boundaries: no file {str(path)!r}; expected the full path of a "
                            f"GeoJSON file")
    crs_text = "" if crs in (None, "") else str(int(crs) if isinstance(crs, float) else crs)
    field = str(code_field).strip() if code_field is not None else ""
    field = field or "code"  # blank: the default
    return _cached_boundaries(str(file), _file_stamp(file), field, crs_text)


@functools.lru_cache(maxsize=2)
def _cached_coverage(build_file: str, stamp: tuple[float, ...]) -> dict:
    from xl_profile.errors import ConfigError
    from xl_profile.pipeline import load_inputs, missing_boundary_files

    config = load_config(build_file)
    inputs = load_inputs(config, progress=quiet)
    if inputs.spatial is None:
        missing = ", ".join(str(p) for p in missing_boundary_files(config.geography))
        raise ConfigError(f"no coverage: the geography folder lacks {missing}")
    return {ward.code: ward for ward in inputs.spatial.coverage}


def coverage_row(build_file: str, ward: str) -> list:
    """[coverage class, % of the ward's people inside reach areas, % of its area] for a ward."""
    config = load_config(build_file)
    boundaries = sorted((config.geography / "boundaries").glob("*.geojson"))
    stamp = _input_stamp(build_file) + tuple(p.stat().st_mtime for p in boundaries)
    wards = _cached_coverage(build_file, stamp)
    if ward not in wards:
        raise UnknownNameError(f"no ward {ward!r} in the coverage; expected a ward code such as "
                               f"{next(iter(wards), '')}")
    return wards[ward].as_row()
