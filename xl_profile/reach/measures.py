"""Reach and volume measures from a privacy-reduced extract.

Definitions:

- *window*: the ``months`` ending on ``as_of``, both edges included (12 months to 31 March 2008
  is 1 April 2007 to 31 March 2008).
- *volume*: attendances at a centre's activities in the window.
- *children / families seen*: distinct children (families) with at least one attendance at the
  centre's activities.
- *reach*: distinct children living in the centre's reach area (their family's LSOA, weighted by
  the LSOA's best-fit share) with at least one attendance at any centre, as a % of the area's
  0-4 population, with Wilson limits. Without a population (missing, or incomplete) the % is
  withheld with a note saying why; above the population it is flagged, with no limits.
- Attendances at centres outside the geography are left out of every measure and counted.
- *target groups*: the same, for teenage parents, lone parents, children in workless households,
  BME children, disabled children, children of disabled parents and fathers, over the group's
  population in the reach area where one is published.
- *representation ratio*: share of BME children among children reached / share among the area's
  0-4 population, with a 95% interval on the log scale (Katz).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..models import Geography, Level
from ..stats import Z95, wilson_interval
from .coded import (KINDS, CodedAttendances, code_attendances, distinct_per_key, first_by_family,
                    pairs_present, repeated_per_key)
from .extract import Extract
from .people import NOT_RECORDED, People, describe_people, not_placed
from .quality import AFTER_AS_OF, UNKNOWN_CENTRE, RecordCounts

Populations = Mapping[str, Mapping[str, float | None]]
#: centre -> group -> why its population is missing (see ``reach.populations``).
PopulationNotes = Mapping[str, Mapping[str, str]]
WINDOWS = (12, 24)
#: group -> (label, catalogue indicator whose centre numerator is the group's population)
GROUPS: dict[str, tuple[str, str | None]] = {
    "all": ("All children aged 0-4", "POP_0_4"),
    "teenage_parents": ("Teenage parents", "TEEN_MOTHERS"),
    "lone_parents": ("Lone parents", "LONE_PARENTS"),
    "workless": ("Children in workless households", "NI116"),
    "bme": ("BME children", "BME_0_4"),
    "disabled_children": ("Disabled children", "DLA_0_4"),
    "disabled_parents": ("Children of disabled parents", None),
    "fathers": ("Fathers", None),
}
#: Why a reach % is blank when nothing more specific is known.
NO_POPULATION = "no population for the reach area"
#: The flag on a reach % computed over a population smaller than the number reached.
OVER_POPULATION = ("flagged: more reached than the population estimate (over 100%), so the "
                   "estimate is too low or out of date")
#: Prefix of population keys holding an ethnic group's 0-4 population ("ethnicity:Indian").
ETHNICITY_PREFIX = "ethnicity:"


def window(as_of: dt.date, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of the ``months`` ending on ``as_of``."""
    end = pd.Timestamp(as_of)
    start = end + pd.Timedelta(days=1) - pd.DateOffset(months=months)
    return start, end


@dataclass(frozen=True)
class PeriodMeasures:
    """Every measure for one period (both edges included)."""

    start: dt.date
    end: dt.date
    by_centre: pd.DataFrame  # per centre: volume, seen, outreach/on-site, repeat, reach
    by_cluster: pd.DataFrame  # per cluster: volume, seen, outreach/on-site, repeat
    by_service: pd.DataFrame  # centre, service, provider, kind, attendances, children
    target_groups: pd.DataFrame  # centre, group, label, reached, population, %, limits
    new_families: pd.DataFrame  # month x centre: families whose first attendance it was
    ethnicity: pd.DataFrame  # cluster, ethnicity, children seen (+ area share where known)
    representation: pd.DataFrame  # cluster: BME ratio and limits


@dataclass(frozen=True)
class ReachResults:
    """Every standard measure for the 12 and 24 months to ``as_of``.

    ``by_centre``/``by_cluster`` are keyed by months; ``by_service``, ``target_groups``,
    ``ethnicity`` and ``representation`` are for 12 months (``periods[24]`` has them for 24).
    """

    as_of: dt.date
    by_centre: dict[int, pd.DataFrame]
    by_cluster: dict[int, pd.DataFrame]
    by_service: pd.DataFrame
    target_groups: pd.DataFrame
    new_families: pd.DataFrame
    ethnicity: pd.DataFrame
    representation: pd.DataFrame
    periods: dict[int, PeriodMeasures] = field(default_factory=dict)
    populations: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)
    unknown_centres: list[str] = field(default_factory=list)
    records: RecordCounts | None = None  # attendance rows read, excluded per reason, used
    population_notes: PopulationNotes = field(default_factory=dict)


def _bincount(key: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    keep = key >= 0
    return np.bincount(key[keep], weights=None if weights is None else weights[keep],
                       minlength=n)


def _volume(att: CodedAttendances, key: np.ndarray, labels: pd.Index, name: str) -> pd.DataFrame:
    """Attendances, children and families seen, outreach and on-site, activities of a category
    that maps to no kind (``unmapped``: counted in the totals, listed by name only for analysts),
    repeat children."""
    n, people, child = len(labels), len(att.people), att.child
    out = {"attendances": _bincount(key, n),
           "families_seen": distinct_per_key(key, n, att.family, len(att.families)),
           "children_seen": distinct_per_key(key[child], n, att.person[child], people)}
    for kind in ("outreach", "on-site", "unmapped"):
        part = att.kind == KINDS.index(kind)
        out[f"{kind}_attendances"] = _bincount(key[part], n)
        both = part & child
        out[f"{kind}_children"] = distinct_per_key(key[both], n, att.person[both], people)
    out["repeat_children"] = repeated_per_key(key[child], n, att.person[child], people)
    return pd.DataFrame(out, index=pd.Index(labels, name=name)).astype(int)


def _percent(x: float, n: float | None, why_missing: str = "") -> dict:
    """Reach % with Wilson limits; withheld without a population, flagged above it."""
    if not n:
        return {"reach_pct": None, "lower95": None, "upper95": None,
                "note": f"% withheld: {why_missing or NO_POPULATION}"}
    if x > n:
        return {"reach_pct": x / n * 100, "lower95": None, "upper95": None, "note": OVER_POPULATION}
    lower, upper = wilson_interval(x, n)
    return {"reach_pct": x / n * 100, "lower95": lower * 100, "upper95": upper * 100, "note": ""}


def reach_percent(reached: float, population: float | None) -> dict:
    """reach_pct, lower95, upper95 and note for ``reached`` of ``population``, by the reports'
    rule: withheld without a population, flagged (no limits) above it."""
    return _percent(reached, population)


def _reached(people: People, group: str, seen: np.ndarray, n_centres: int) -> np.ndarray:
    """Members of ``group`` seen in the period, per reach area (best-fit shares)."""
    areas = people.groups[group]
    mask = seen[areas.person]
    return np.bincount(areas.centre[mask], weights=areas.share[mask], minlength=n_centres)


def _reach(att: CodedAttendances, people: People, seen: np.ndarray,
           populations: Populations, notes: PopulationNotes) -> pd.DataFrame:
    counts = _reached(people, "all", seen, len(att.centres))
    rows = []
    for i, centre in enumerate(att.centres):
        population = populations.get(centre, {}).get("all")
        percent = _percent(float(counts[i]), population, notes.get(centre, {}).get("all", ""))
        rows.append({"centre": centre, "reach_children": float(counts[i]),
                     "population_0_4": population, **percent,
                     "reach_note": percent.pop("note")})
    return pd.DataFrame(rows).set_index("centre")


def _target_groups(att: CodedAttendances, people: People, seen: np.ndarray,
                   populations: Populations, notes: PopulationNotes) -> pd.DataFrame:
    rows = []
    centres = sorted(set(populations) | set(att.centres))
    position = {c: i for i, c in enumerate(att.centres)}
    for group, (label, _indicator) in GROUPS.items():
        counts = _reached(people, group, seen, len(att.centres))
        for centre in centres:
            x = float(counts[position[centre]]) if centre in position else 0.0
            population = populations.get(centre, {}).get(group)
            why = notes.get(centre, {}).get(group, "")
            rows.append({"centre": centre, "group": group, "label": label, "reached": x,
                         "population": population, **_percent(x, population, why)})
    return pd.DataFrame(rows)


def _services(att: CodedAttendances) -> pd.DataFrame:
    n, child = len(att.services), att.child
    table = att.services.assign(
        attendances=_bincount(att.service, n),
        children=distinct_per_key(att.service[child], n, att.person[child], len(att.people)))
    table = table[table["attendances"] > 0]
    return table.sort_values(["centre", "service", "provider", "kind"]).reset_index(drop=True)


def _new_families(first_day: np.ndarray, first_centre: np.ndarray, centres: pd.Index,
                  start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Families by month and centre of their first attendance ever, for months in the period."""
    lo, hi = (np.datetime64(t.date(), "D").astype(np.int64) for t in (start, end))
    keep = (first_day >= lo) & (first_day <= hi) & (first_centre >= 0)
    months = pd.period_range(start, end, freq="M")
    month = (first_day[keep].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
             - np.datetime64(start.date(), "M").astype(np.int64))
    cells = np.bincount(month * len(centres) + first_centre[keep],
                        minlength=len(months) * len(centres))
    return pd.DataFrame(cells.reshape(len(months), len(centres)),
                        index=pd.Index(months.strftime("%Y-%m"), name="month"),
                        columns=centres)


def representation_ratio(reached: float, reached_total: float, area: float,
                         area_total: float) -> tuple[float | None, float | None, float | None]:
    """Ratio of the group's share among those reached to its share of the area, Katz 95% CI.

    The log of a ratio of two proportions has standard error
    sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2) (Katz et al., 1978); limits are exp(log ratio -/+ z * se).
    """
    if min(reached, reached_total, area, area_total) <= 0:
        return None, None, None
    ratio = (reached / reached_total) / (area / area_total)
    se = math.sqrt(max(0.0, 1 / reached - 1 / reached_total + 1 / area - 1 / area_total))
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


def _cluster_populations(geography: Geography, cluster: str,
                         populations: Populations) -> dict[str, float | None]:
    """Each population summed over the cluster's centres; None where any centre lacks it (a
    missing part is never counted as zero)."""
    centres = [populations.get(c.code, {}) for c in geography.children(cluster, Level.CENTRE)]
    keys = {key for centre in centres for key in centre}
    return {key: (sum(float(c[key]) for c in centres)
                  if centres and all(c.get(key) is not None for c in centres) else None)
            for key in keys}


def _ethnicity(att: CodedAttendances, people: People, geography: Geography,
               populations: Populations) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ethnic mix of children seen per cluster against the area's 0-4 population."""
    child = att.child
    cluster, person = pairs_present(att.cluster[child], len(att.clusters), att.person[child],
                                    len(att.people))
    ethnicity, bme = people.ethnicity[person], people.bme[person]
    mix, ratios = [], []
    for k, code in enumerate(att.clusters):
        mine = cluster == k
        counts = np.bincount(ethnicity[mine & (ethnicity >= 0)], minlength=len(people.ethnicities))
        area = _cluster_populations(geography, code, populations)
        recorded = int(counts.sum() - _count_of(counts, people.ethnicities, NOT_RECORDED))
        by_group = [v for key, v in area.items() if key.startswith(ETHNICITY_PREFIX)]
        area_total = sum(by_group) if None not in by_group else 0.0
        for e in np.flatnonzero(counts):
            label = people.ethnicities[e]
            area_n = area.get(ETHNICITY_PREFIX + label)
            ratio = representation_ratio(counts[e], recorded, area_n or 0, area_total) \
                if label != NOT_RECORDED else (None, None, None)
            mix.append({"cluster": code, "ethnicity": label, "children": int(counts[e]),
                        "area_0_4": area_n, "ratio": ratio[0], "lower95": ratio[1],
                        "upper95": ratio[2]})
        known = mine & (bme >= 0)
        reached = int((bme[known] == 1).sum())
        ratio = representation_ratio(reached, int(known.sum()), area.get("bme") or 0.0,
                                     area.get("all") or 0.0)
        ratios.append({"cluster": code, "bme_reached": reached,
                       "recorded_reached": int(known.sum()), "bme_area": area.get("bme"),
                       "area_0_4": area.get("all"), "ratio": ratio[0],
                       "lower95": ratio[1], "upper95": ratio[2]})
    columns = ["cluster", "ethnicity", "children", "area_0_4", "ratio", "lower95", "upper95"]
    return pd.DataFrame(mix, columns=columns), pd.DataFrame(ratios)


def _count_of(counts: np.ndarray, labels: pd.Index, label: str) -> int:
    position = labels.get_indexer([label])[0]
    return int(counts[position]) if position >= 0 else 0


def _period(att: CodedAttendances, people: People, first: tuple[np.ndarray, np.ndarray],
            geography: Geography, populations: Populations, notes: PopulationNotes,
            start: pd.Timestamp, end: pd.Timestamp) -> PeriodMeasures:
    lo, hi = (np.datetime64(t.date(), "D").astype(np.int64) for t in (start, end))
    part = att.select((att.day >= lo) & (att.day <= hi))
    seen = np.zeros(len(att.people), dtype=bool)
    seen[part.person] = True
    by_centre = _volume(part, part.centre, att.centres, "centre").join(
        _reach(part, people, seen, populations, notes), how="outer")
    mix, representation = _ethnicity(part, people, geography, populations)
    return PeriodMeasures(start.date(), end.date(), by_centre,
                          _volume(part, part.cluster, att.clusters, "cluster"), _services(part),
                          _target_groups(part, people, seen, populations, notes),
                          _new_families(*first, att.centres, start, end), mix, representation)


def _screened(extract: Extract, geography: Geography) -> tuple[CodedAttendances, RecordCounts]:
    """Attendances on or before the as-of date at centres of the geography, and the account of
    every row read (a row failing both checks is counted once, as dated after the as-of date)."""
    att = code_attendances(extract, geography)
    records = extract.records or RecordCounts(len(att.day), {})
    # A date after the as-of date (a typing error such as 2030, or a register entered early) is
    # in no window ending then; counted, so that no row leaves the figures unreported.
    later = att.day > np.datetime64(extract.as_of, "D").astype(np.int64)
    # The geography's centres come first in ``att.centres``; the rest are unknown to it.
    known = att.centre < len(geography.at_level(Level.CENTRE))
    att = att.select(known & ~later)
    records = records.excluding(AFTER_AS_OF, int(later.sum())).excluding(
        UNKNOWN_CENTRE, int((~known & ~later).sum()))
    return att, records.with_not_placed(not_placed(att, extract, geography))


def measures_for_period(extract: Extract, geography: Geography, populations: Populations,
                        start: dt.date, end: dt.date,
                        notes: PopulationNotes | None = None) -> PeriodMeasures:
    """Every measure for any period, ``start`` and ``end`` both included.

    Args:
        populations: centre -> group (keys of :data:`GROUPS`, and optionally
            ``"ethnicity:<group>"``) -> population of the centre's reach area.
        notes: centre -> group -> why the population is missing (shown where % is withheld).
    Raises:
        ConfigError: ``start`` is after ``end``.
    """
    if start > end:
        raise ConfigError(f"reach period: start {start.isoformat()} is after end "
                          f"{end.isoformat()}; expected start <= end")
    att, _records = _screened(extract, geography)
    people = describe_people(extract, att, geography)
    return _period(att, people, first_by_family(att), geography, populations, notes or {},
                   pd.Timestamp(start), pd.Timestamp(end))


def compute_reach(extract: Extract, geography: Geography, populations: Populations,
                  notes: PopulationNotes | None = None) -> ReachResults:
    """All standard measures for the 12 and 24 months ending on ``extract.as_of``.

    Attendances at activities of centres not in the geography are left out and counted
    (``ReachResults.records``), with the rows whose family lives in no reach area.

    Args:
        populations: centre -> group (keys of :data:`GROUPS`, and optionally
            ``"ethnicity:<group>"``) -> population of the centre's reach area.
        notes: centre -> group -> why the population is missing (shown where % is withheld).
    """
    att, records = _screened(extract, geography)
    people = describe_people(extract, att, geography)
    first = first_by_family(att)
    periods = {months: _period(att, people, first, geography, populations, notes or {},
                               *window(extract.as_of, months)) for months in WINDOWS}
    year = periods[12]
    geo_centres = {c.code for c in geography.at_level(Level.CENTRE)}
    return ReachResults(extract.as_of, {m: p.by_centre for m, p in periods.items()},
                        {m: p.by_cluster for m, p in periods.items()}, year.by_service,
                        year.target_groups, year.new_families, year.ethnicity,
                        year.representation, periods, populations,
                        [c for c in att.centres if c not in geo_centres], records, notes or {})


__all__ = ["GROUPS", "WINDOWS", "PeriodMeasures", "ReachResults", "compute_reach",
           "measures_for_period", "reach_percent", "representation_ratio", "window"]
