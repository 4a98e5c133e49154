"""Attendances as integer codes, so every reach measure is a numpy count over small integers.

Text columns (people, families, centres, services) are factorised once; each later measure marks or
counts pairs of codes with ``np.bincount`` instead of hashing strings or sorting again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..models import Geography, Level
from .extract import Extract

#: Above this many (key, value) cells, distinct pairs are found by sorting rather than marking.
MARK_LIMIT = 1 << 26
#: The same for finding repeated pairs (9 bytes a cell rather than 1).
COUNT_LIMIT = 1 << 23
KINDS = ("outreach", "on-site", "commissioned", "unmapped")


def codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels; categoricals are used as they are (no hashing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), pd.Index(values.cat.categories)
    codes, labels = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(labels)


@dataclass(frozen=True)
class CodedAttendances:
    """Attendances and their activities as aligned integer arrays."""

    day: np.ndarray  # days since 1970-01-01
    person: np.ndarray  # code into ``people``
    family: np.ndarray  # code into ``families``
    child: np.ndarray  # bool: the person is a child
    centre: np.ndarray  # code into ``centres`` (-1: none)
    cluster: np.ndarray  # code into ``clusters`` (-1: centre not in the geography)
    kind: np.ndarray  # index into KINDS
    service: np.ndarray  # code into ``services``
    people: pd.Index
    families: pd.Index
    centres: pd.Index
    clusters: pd.Index
    services: pd.DataFrame  # centre, service, provider, kind for each service code

    def select(self, mask: np.ndarray) -> CodedAttendances:
        """The attendances where ``mask`` is true (labels unchanged)."""
        arrays = {name: getattr(self, name)[mask] for name in
                  ("day", "person", "family", "child", "centre", "cluster", "kind", "service")}
        return CodedAttendances(**arrays, people=self.people, families=self.families,
                                centres=self.centres, clusters=self.clusters,
                                services=self.services)


def code_attendances(extract: Extract, geography: Geography) -> CodedAttendances:
    """Integer codes of every attendance, with its activity's centre, cluster, service and kind."""
    acts = extract.activities.reset_index(drop=True)
    att = extract.attendances
    geo_centres = [c.code for c in geography.at_level(Level.CENTRE)]
    centres = pd.Index(geo_centres + sorted(set(acts["centre"]) - set(geo_centres)))
    clusters = pd.Index([c.code for c in geography.at_level(Level.CLUSTER)])
    parent = {c.code: c.parent for c in geography.at_level(Level.CENTRE)}
    act_centre = centres.get_indexer(acts["centre"])
    act_cluster = clusters.get_indexer(acts["centre"].map(parent).fillna(""))
    act_kind = pd.Index(KINDS).get_indexer(acts["kind"])
    keys = ["centre", "service", "provider", "kind"]
    act_service, service_rows = pd.MultiIndex.from_frame(acts[keys]).factorize()
    activity_code, activity_labels = codes_of(att["activity_id"])
    row_of = pd.Index(acts["activity_id"]).get_indexer(activity_labels)[activity_code]
    person, people = codes_of(att["pid"])
    family, families = codes_of(att["family"])
    return CodedAttendances(
        day=att["date"].to_numpy("datetime64[D]").astype(np.int64),
        person=person, family=family, child=(att["person"] == "child").to_numpy(),
        centre=act_centre[row_of], cluster=act_cluster[row_of], kind=act_kind[row_of],
        service=np.asarray(act_service)[row_of], people=people, families=families,
        centres=centres, clusters=clusters,
        services=pd.DataFrame(list(service_rows), columns=keys))


def distinct_per_key(key: np.ndarray, n_keys: int, value: np.ndarray,
                     n_values: int) -> np.ndarray:
    """For each key, how many distinct values occur with it (keys < 0 are ignored)."""
    keep = key >= 0
    key, value = key[keep], value[keep]
    if n_keys * n_values <= MARK_LIMIT:
        seen = np.zeros(n_keys * n_values, dtype=bool)
        seen[key * n_values + value] = True
        return seen.reshape(n_keys, n_values).sum(axis=1)
    pairs = _distinct(key * n_values + value)
    return np.bincount(pairs // n_values, minlength=n_keys)


def repeated_per_key(key: np.ndarray, n_keys: int, value: np.ndarray,
                     n_values: int) -> np.ndarray:
    """For each key, how many values occur with it twice or more."""
    keep = key >= 0
    cells = key[keep] * n_values + value[keep]
    if n_keys * n_values <= COUNT_LIMIT:
        # Each cell's slot keeps one of its positions (any one); a cell at a position its slot
        # does not keep occurs at least twice.
        slot = np.empty(n_keys * n_values, dtype=np.int64)
        position = np.arange(len(cells))
        slot[cells] = position
        repeated = np.zeros(n_keys * n_values, dtype=bool)
        repeated[cells[slot[cells] != position]] = True
        return repeated.reshape(n_keys, n_values).sum(axis=1)
    cells = np.sort(cells)
    repeated = _distinct(cells[1:][cells[1:] == cells[:-1]])
    return np.bincount(repeated // n_values, minlength=n_keys)


def pairs_present(key: np.ndarray, n_keys: int, value: np.ndarray,
                  n_values: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, value) pairs, as two arrays."""
    keep = key >= 0
    cells = key[keep] * n_values + value[keep]
    if n_keys * n_values <= MARK_LIMIT:
        seen = np.zeros(n_keys * n_values, dtype=bool)
        seen[cells] = True
        pairs = np.flatnonzero(seen)
    else:
        pairs = _distinct(cells)
    return pairs // n_values, pairs % n_values


def first_by_family(att: CodedAttendances) -> tuple[np.ndarray, np.ndarray]:
    """Day and centre code of each family's first attendance (ties: the first row)."""
    n = len(att.families)
    first_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_day, att.family, att.day)
    on_first = np.flatnonzero(att.day == first_day[att.family])
    first_row = np.full(n, len(att.day))
    np.minimum.at(first_row, att.family[on_first], on_first)
    families = np.flatnonzero(first_row < len(att.day))
    return first_day[families], att.centre[first_row[families]]


def _distinct(cells: np.ndarray) -> np.ndarray:
    """The distinct values, sorted. A sort and a comparison: for large arrays of integer codes
    many times faster than ``np.unique``, which hashes."""
    cells = np.sort(cells)
    return cells[np.r_[True, cells[1:] != cells[:-1]]] if len(cells) else cells
