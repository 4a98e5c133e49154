"""Read and write a geography directory.

A geography directory holds:

- ``areas.csv``: ``code,name,level,parent,vintage,population`` (one authority; clusters and wards
  under it; centres under clusters; LSOAs under wards)
- ``memberships.csv``: ``child,parent,share,method`` (LSOA -> centre shares from a best fit or a
  supplied lookup; ward -> cluster with share 1)
- ``boundaries/<level>.geojson`` (optional): ward, lsoa, centre, cluster polygons in EPSG:27700
- ``lsoa_centroids.csv`` (optional): ``code,x,y`` population-weighted centroids in EPSG:27700
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .atomic import write_text_atomic
from .errors import InputError, Problem
from .geography_checks import area_problems, membership_problems
from .models import Area, Geography, Membership
from .tabular import Table, read_table

AREA_COLUMNS = ["code", "name", "level", "parent", "vintage", "population"]
MEMBERSHIP_COLUMNS = ["child", "parent", "share", "method"]


def load_geography(directory: str | Path) -> Geography:
    """Load ``areas.csv`` and ``memberships.csv`` from ``directory`` into a validated Geography.

    Raises:
        InputError: every row that breaks a rule of :mod:`xl_profile.geography_checks` (a tree of
            areas, wards in one cluster each, small-area shares at most 1), with file and row.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(Problem(str(directory), None, None, "geography folder not found",
                                 expected="a folder with areas.csv and memberships.csv",
                                 found="a file" if directory.exists() else "no such folder"))
    areas_table = read_table(directory / "areas.csv")
    areas = _parse_rows(areas_table, AREA_COLUMNS, Area, _area_fields)
    problems = area_problems(areas_table, areas)
    members_path = directory / "memberships.csv"
    memberships: list[tuple[int, Membership]] = []
    if members_path.exists():
        members_table = read_table(members_path)
        memberships = _parse_rows(members_table, MEMBERSHIP_COLUMNS, Membership, dict)
        levels = {area.code: area.level for _, area in areas}
        problems += membership_problems(members_table, memberships, levels)
    if problems:
        raise InputError(problems)
    try:
        return Geography(areas=tuple(a for _, a in areas),
                         memberships=tuple(m for _, m in memberships))
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise InputError(Problem(str(directory), None, None, f"inconsistent geography: {message}")) \
            from None


def _area_fields(row: dict[str, str]) -> dict[str, object]:
    fields: dict[str, object] = {k: v for k, v in row.items() if k in AREA_COLUMNS and v != ""}
    return fields


#: Columns every row must fill in, of the columns a geography file may have.
_REQUIRED = 3


def _parse_rows(table: Table, columns: list[str], model: type, convert) -> list[tuple[int, Any]]:
    """``(row number, model)`` for every row; InputError listing every row that does not parse.

    ``columns`` are those the file may have, the first three required; any other column is a
    problem (a renamed ``population`` would otherwise be dropped without a word)."""
    problems = table.require_columns(columns[:_REQUIRED]) + _unknown_columns(table, columns)
    if problems:
        raise InputError(problems)
    parsed = []
    for number, row in table.rows:
        fields = {k: v for k, v in convert(row).items() if v != ""}
        try:
            parsed.append((number, model(**fields)))
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else None
                what = err["msg"].removeprefix("Value error, ")
                problems.append(table.problem(number, column, f"not a valid {column or 'row'}",
                                              expected=what[:1].lower() + what[1:],
                                              found=str(row.get(column or "", ""))))
    if problems:
        raise InputError(problems)
    return parsed


def _unknown_columns(table: Table, columns: list[str]) -> list:
    problems = []
    for heading in table.header:
        if heading and heading not in columns:
            close = difflib.get_close_matches(heading, columns, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(table.problem(1, heading, f"unknown column{hint}",
                                          expected=f"columns {', '.join(columns)}",
                                          found=repr(heading)))
    return problems


def _csv_text(columns: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(round(float(x), 6))


def write_geography(directory: str | Path, geography: Geography, *,
                    boundaries: dict[str, dict] | None = None,
                    centroids: list[tuple[str, float, float]] | None = None) -> list[Path]:
    """Write a geography directory (see module docstring); return the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "areas.csv", directory / "memberships.csv"]
    write_text_atomic(written[0], _csv_text(AREA_COLUMNS, [
        [a.code, a.name, a.level.value, a.parent or "", a.vintage or "", _fmt(a.population)]
        for a in geography.areas]))
    write_text_atomic(written[1], _csv_text(MEMBERSHIP_COLUMNS, [
        [m.child, m.parent, _fmt(m.share), m.method] for m in geography.memberships]))
    if boundaries:
        (directory / "boundaries").mkdir(exist_ok=True)
        for level, collection in sorted(boundaries.items()):
            path = directory / "boundaries" / f"{level}.geojson"
            write_text_atomic(path, json.dumps(collection, separators=(",", ":"), sort_keys=True))
            written.append(path)
    if centroids:
        path = directory / "lsoa_centroids.csv"
        write_text_atomic(path, _csv_text(["code", "x", "y"],
                                          [[c, _fmt(x), _fmt(y)] for c, x, y in centroids]))
        written.append(path)
    return written
