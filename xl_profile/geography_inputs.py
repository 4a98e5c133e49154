"""The tables an authority writes for ``xl-profile geography``: clusters, centres and populations.

- clusters CSV: ``ward,cluster[,cluster_name]``, one row per ward. ``ward`` is a ward code or
  name; ``cluster`` is the cluster's name (its code is made from it, ``North`` -> ``CL-NORTH``) or,
  with a ``cluster_name`` column, its code.
- centres CSV: ``small_area,centre[,centre_name,cluster]``, one row per small area in a centre.
  ``small_area`` is a code or name; ``centre`` the centre's code; ``cluster`` a cluster code or
  name (blank: the cluster holding most of the centre's population).
- population CSV: one row per area code with a number of people (census usual residents).

Names are matched to codes by :mod:`xl_profile.names`; every row that cannot be used is reported
with its row and column, all at once.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .names import NameIndex
from .tabular import Table, read_table

_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def cluster_code(name: str) -> str:
    """The code made for a cluster named ``name``: 'North West' -> 'CL-NORTH-WEST'."""
    return "CL-" + (re.sub(r"[^0-9A-Z]+", "-", name.upper()).strip("-") or "X")


@dataclass
class Matched:
    """Written names matched to codes other than exactly: (file, row, written, code)."""

    rows: list[tuple[str, int, str, str]] = field(default_factory=list)


def match_cell(table: Table, number: int, column: str, written: str, index: NameIndex,
               where: str, problems: list[Problem], matched: Matched) -> str | None:
    """The code ``written`` names, or None after adding a problem naming the closest match."""
    if not written.strip():
        problems.append(table.problem(number, column, f"blank {index.kind}",
                                      expected=f"a {index.kind} code or name", found="(blank)"))
        return None
    match = index.match(written)
    if match.code is None:
        problems.append(table.problem(number, column, index.problem_text(written, match),
                                      expected=f"a {index.kind} code or name from {where}",
                                      found=written.strip()))
    elif match.how != "code" and written.strip() != index.name_of(match.code):
        matched.rows.append((table.file, number, written.strip(), match.code))
    return match.code


@dataclass(frozen=True)
class Clusters:
    """Clusters and their wards, from the clusters CSV."""

    names: dict[str, str]  # cluster code -> name, in the order first listed
    of_ward: dict[str, str]  # ward code -> cluster code


def read_clusters(path: Path, wards: NameIndex, wards_file: str, matched: Matched) -> Clusters:
    """Read the clusters CSV: every ward of ``wards`` in exactly one cluster.

    Raises:
        InputError: every unmatched ward (with the closest name), blank cell, ward listed twice,
            cluster named two ways, and ward of the ward file in no row.
    """
    table = read_table(path)
    problems = table.require_columns(["ward", "cluster"])
    if problems:
        raise InputError(problems)
    coded = "cluster_name" in table.header
    names: dict[str, str] = {}
    of_ward: dict[str, str] = {}
    row_of: dict[str, int] = {}
    for number, row in table.rows:
        ward = match_cell(table, number, "ward", row["ward"], wards, wards_file, problems,
                          matched)
        cluster = _cluster_of_row(table, number, row, coded, names, problems)
        if ward is None or cluster is None:
            continue
        if ward in row_of:
            problems.append(table.problem(number, "ward", "ward listed more than once",
                                          expected="one row per ward",
                                          found=f"{row['ward'].strip()} (also on row "
                                                f"{row_of[ward]})"))
            continue
        row_of[ward], of_ward[ward] = number, cluster
    if not problems:
        problems += [table.problem(None, "ward", "ward in no cluster",
                                   expected=f"a row for every ward in {wards_file}",
                                   found=wards.describe(code))
                     for code in wards.codes if code not in of_ward]
    if problems:
        raise InputError(problems)
    return Clusters(names, of_ward)


def _cluster_of_row(table: Table, number: int, row: dict[str, str], coded: bool,
                    names: dict[str, str], problems: list[Problem]) -> str | None:
    """The cluster code of a row (recording its name), or None after adding a problem."""
    written = row["cluster"].strip()
    if not written:
        problems.append(table.problem(number, "cluster", "blank cluster",
                                      expected="the name of the ward's cluster", found="(blank)"))
        return None
    code, name = (written, row["cluster_name"].strip() or written) if coded \
        else (cluster_code(written), written)
    if names.setdefault(code, name) != name:
        column = "cluster_name" if coded else "cluster"
        problems.append(table.problem(number, column, "cluster named two ways",
                                      expected=f"{names[code]!r} as on the first row of {code}",
                                      found=name))
        return None
    return code


@dataclass(frozen=True)
class CentreRows:
    """Centres made of small areas, from the centres CSV."""

    names: dict[str, str]  # centre code -> name, in the order first listed
    clusters: dict[str, str]  # centre code -> cluster code, where the file gives one
    of_small_area: dict[str, str]  # small-area code -> centre code


@dataclass
class _CentreState:
    names: dict[str, str] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def read_centre_rows(path: Path, small: NameIndex, small_file: str, clusters: NameIndex,
                     outside: set[str], matched: Matched) -> CentreRows:
    """Read the centres CSV; ``outside`` holds the small areas in no ward of the authority.

    Raises:
        InputError: every unmatched small area or cluster (with the closest name), blank centre,
            small area listed twice or outside the authority, centre named or clustered two ways.
    """
    table = read_table(path)
    problems = table.require_columns(["small_area", "centre"])
    if problems:
        raise InputError(problems)
    state = _CentreState()
    for number, row in table.rows:
        area = match_cell(table, number, "small_area", row["small_area"], small, small_file,
                          problems, matched)
        centre = _centre_of_row(table, number, row, state, problems)
        if "cluster" in table.header and row["cluster"].strip() and centre is not None:
            _cluster_of_centre(table, number, row, centre, clusters, state, problems, matched)
        if area is None or centre is None:
            continue
        if area in outside:
            problems.append(table.problem(number, "small_area", "small area outside the "
                                          "authority: its centroid is in none of its wards",
                                          expected="a small area of the authority",
                                          found=small.describe(area)))
        elif area in state.rows:
            problems.append(table.problem(number, "small_area", "small area listed more than once",
                                          expected="one row per small area (a small area is in "
                                                   "one centre)",
                                          found=f"{row['small_area'].strip()} (also on row "
                                                f"{state.rows[area]})"))
        else:
            state.rows[area], state.members[area] = number, centre
    if problems:
        raise InputError(problems)
    return CentreRows(state.names, state.clusters, state.members)


def _centre_of_row(table: Table, number: int, row: dict[str, str], state: _CentreState,
                   problems: list[Problem]) -> str | None:
    code = row["centre"].strip()
    if not code:
        problems.append(table.problem(number, "centre", "blank centre",
                                      expected="the code of the small area's centre",
                                      found="(blank)"))
        return None
    name = (row.get("centre_name") or "").strip()
    known = state.names.get(code)
    if name and known is not None and known != code and known != name:
        problems.append(table.problem(number, "centre_name", "centre named two ways",
                                      expected=f"{known!r} as on the first row of {code}",
                                      found=name))
        return None
    if name or known is None:
        state.names[code] = name or code
    return code


def _cluster_of_centre(table: Table, number: int, row: dict[str, str], centre: str,
                       clusters: NameIndex, state: _CentreState, problems: list[Problem],
                       matched: Matched) -> None:
    cluster = match_cell(table, number, "cluster", row["cluster"], clusters, "the clusters CSV",
                         problems, matched)
    if cluster is None:
        return
    if state.clusters.setdefault(centre, cluster) != cluster:
        problems.append(table.problem(number, "cluster", "centre placed in two clusters",
                                      expected=f"{clusters.name_of(state.clusters[centre])!r} as "
                                               f"on the first row of {centre}",
                                      found=row["cluster"].strip()))


@dataclass(frozen=True)
class Populations:
    """People per area code, from a census CSV."""

    file: str
    values: dict[str, float]
    blank_rows: int  # rows with no population given


def read_populations(path: Path, code_column: str, value_column: str) -> Populations:
    """Read ``code_column`` -> ``value_column`` (thousands commas allowed).

    Raises:
        InputError: a missing column, a code given twice, a population that is not a number of
            people (negative, not finite, not a number).
    """
    table = read_table(path)
    problems = table.require_columns([code_column, value_column])
    if problems:
        raise InputError(problems)
    values: dict[str, float] = {}
    rows: dict[str, int] = {}
    blank = 0
    for number, row in table.rows:
        code, text = row[code_column].strip(), row[value_column].strip()
        if not text:
            blank += 1
            continue
        value = _people(text)
        if value is None:
            problems.append(table.problem(number, value_column, "population is not a number of "
                                          "people", expected="a number, 0 or more", found=text))
        elif code in rows:
            problems.append(table.problem(number, code_column, "area given more than once",
                                          expected="one row per area",
                                          found=f"{code} (also on row {rows[code]})"))
        else:
            rows[code], values[code] = number, value
    if problems:
        raise InputError(problems)
    return Populations(table.file, values, blank)


def _people(text: str) -> float | None:
    cleaned = text.replace(",", "") if _THOUSANDS.match(text) else text
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def feature_values(path: Path, key: str) -> list[str]:
    """The text of property ``key`` of each feature of a GeoJSON file ('' where it has none).

    Call after the file has been read as boundaries (so it is known to be a FeatureCollection).
    """
    features = json.loads(Path(path).read_text(encoding="utf-8-sig"))["features"]
    values = []
    for feature in features:
        value = (feature.get("properties") or {}).get(key)
        values.append("" if value is None else str(value).strip())
    return values
