"""Reach and volume measures from a privacy-reduced extract.

Definitions:

- *window*: the ``months`` ending on ``as_of``, both edges included (12 months to 31 March 2008
  is 1 April 2007 to 31 March 2008).
- *volume*: attendances at a centre's activities in the window.
- *children / families seen*: distinct children (families) with at least one attendance at the
  centre's activities.
- *reach*: distinct children living in the centre's reach area (their family's LSOA, weighted by
  the LSOA's best-fit share) with at least one attendance at any centre, as a % of the area's
  0-4 population, with Wilson limits.
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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..models import Geography, Level
from ..stats import Z95, wilson_interval
from .extract import Extract

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


def window(as_of: dt.date, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of the ``months`` ending on ``as_of``."""
    end = pd.Timestamp(as_of)
    start = end + pd.Timedelta(days=1) - pd.DateOffset(months=months)
    return start, end


@dataclass(frozen=True)
class ReachResults:
    """Every standard measure, as tables keyed by centre (and cluster)."""

    as_of: dt.date
    by_centre: dict[int, pd.DataFrame]  # months -> per centre volume, seen, reach
    by_cluster: dict[int, pd.DataFrame]
    by_service: pd.DataFrame  # 12 months: centre, service, provider, kind, attendances, children
    target_groups: pd.DataFrame  # 12 months: centre, group, reached, population, %, limits
    new_families: pd.DataFrame  # month x centre
    ethnicity: pd.DataFrame  # 12 months: cluster, ethnicity, children
    representation: pd.DataFrame  # cluster: BME ratio and limits


def _area_weights(geography: Geography) -> pd.DataFrame:
    rows = [(m.child, m.parent, m.share) for m in geography.memberships
            if geography.by_code[m.parent].level is Level.CENTRE]
    return pd.DataFrame(rows, columns=["lsoa", "centre", "share"])


def _attendance_frame(extract: Extract, geography: Geography) -> pd.DataFrame:
    """Attendances with their activity's centre, cluster, service and kind.

    Text columns become categoricals once here, so every later group-by and de-duplication works
    on integer codes rather than hashing strings again.
    """
    clusters = {c.code: c.parent for c in geography.at_level(Level.CENTRE)}
    acts = extract.activities.assign(cluster=extract.activities["centre"].map(clusters))
    acts = acts[["activity_id", "centre", "cluster", "service", "provider", "kind"]]
    att = extract.attendances.astype({"pid": "category", "family": "category",
                                      "person": "category", "activity_id": "category"})
    index = pd.Index(acts["activity_id"]).get_indexer(att["activity_id"].cat.categories)
    rows = index[att["activity_id"].cat.codes.to_numpy()]
    for column in ("centre", "cluster", "service", "provider", "kind"):
        values = acts[column].astype("category")
        codes = values.cat.codes.to_numpy()[rows]
        att[column] = pd.Categorical.from_codes(codes, categories=values.cat.categories)
    return att


def _volume(att: pd.DataFrame, key: str) -> pd.DataFrame:
    """Attendances, children and families seen, outreach and on-site, per ``key``."""
    kids = att[att["person"] == "child"]
    out = pd.DataFrame({"attendances": att.groupby(key).size(),
                        "families_seen": att.drop_duplicates([key, "family"]).groupby(key).size(),
                        "children_seen": kids.drop_duplicates([key, "pid"]).groupby(key).size()})
    for kind in ("outreach", "on-site"):
        part = att[att["kind"] == kind]
        out[f"{kind}_attendances"] = part.groupby(key).size()
        out[f"{kind}_children"] = part[part["person"] == "child"].drop_duplicates(
            [key, "pid"]).groupby(key).size()
    repeat = kids.groupby([key, "pid"]).size()
    out["repeat_children"] = (repeat >= 2).groupby(level=0).sum()
    return out.fillna(0).astype(int)


def _reach(att: pd.DataFrame, extract: Extract, weights: pd.DataFrame,
           populations: Mapping[str, Mapping[str, float | None]]) -> pd.DataFrame:
    """Children of each reach area seen anywhere, as a % of the area's 0-4 population."""
    seen = extract.children[extract.children["pid"].isin(
        _distinct(att.loc[att["person"] == "child", "pid"]))]
    placed = seen.merge(weights, on="lsoa")
    counts = placed.groupby("centre")["share"].sum()
    rows = []
    for centre, population in sorted((c, p.get("all")) for c, p in populations.items()):
        x = float(counts.get(centre, 0.0))
        rows.append({"centre": centre, "reach_children": x, "population_0_4": population,
                     **_percent(x, population)})
    return pd.DataFrame(rows).set_index("centre")


def _distinct(ids: pd.Series) -> pd.Index:
    """Distinct values of a categorical column, from its codes (no string hashing)."""
    codes = ids.cat.codes.to_numpy()
    return ids.cat.categories[np.unique(codes[codes >= 0])]


def _percent(x: float, n: float | None) -> dict[str, float | None]:
    if not n or x > n:
        return {"reach_pct": (x / n * 100) if n else None, "lower95": None, "upper95": None}
    lower, upper = wilson_interval(x, n)
    return {"reach_pct": x / n * 100, "lower95": lower * 100, "upper95": upper * 100}


def _group_members(extract: Extract) -> dict[str, pd.DataFrame]:
    """For each target group, the people (pid, lsoa) who belong to it."""
    kids, carers = extract.children, extract.carers
    lsoa = extract.families.set_index("family")["lsoa"]
    carers = carers.assign(lsoa=carers["family"].map(lsoa))
    flags = pd.DataFrame({"family": carers["family"], "known": carers["employed"].notna(),
                          "employed": carers["employed"].fillna(False).astype(bool),
                          "disabled": carers["disabled_parent"].fillna(False).astype(bool)})
    by_family = flags.groupby("family").agg(known=("known", "all"), employed=("employed", "any"),
                                            disabled=("disabled", "any"))
    workless = by_family["known"] & ~by_family["employed"]  # every carer's status known: none work
    disabled_parent = by_family["disabled"]
    return {
        "all": kids, "bme": kids[kids["bme"].fillna(False).astype(bool)],
        "disabled_children": kids[kids["disabled"].fillna(False).astype(bool)],
        "workless": kids[kids["family"].map(workless).fillna(False).astype(bool)],
        "disabled_parents": kids[kids["family"].map(disabled_parent).fillna(False).astype(bool)],
        "teenage_parents": carers[carers["teenage_parent"].fillna(False).astype(bool)],
        "lone_parents": carers[carers["lone_parent"].fillna(False).astype(bool)],
        "fathers": carers[carers["father"].astype(bool)],
    }


def _target_groups(att: pd.DataFrame, extract: Extract, weights: pd.DataFrame,
                   populations: Mapping[str, Mapping[str, float | None]]) -> pd.DataFrame:
    seen = _distinct(att["pid"])
    rows = []
    for group, members in _group_members(extract).items():
        reached = members[members["pid"].isin(seen)].merge(weights, on="lsoa")
        counts = reached.groupby("centre")["share"].sum()
        for centre in sorted(populations):
            x = float(counts.get(centre, 0.0))
            population = populations[centre].get(group)
            rows.append({"centre": centre, "group": group, "label": GROUPS[group][0],
                         "reached": x, "population": population, **_percent(x, population)})
    return pd.DataFrame(rows)


def _new_families(att: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                  centres: list[str]) -> pd.DataFrame:
    """Families by month and centre of their first attendance ever, for months in the window."""
    first = att.loc[att.groupby("family", observed=True)["date"].idxmin()]
    first = first[(first["date"] >= start) & (first["date"] <= end)]
    table = first.groupby([first["date"].dt.strftime("%Y-%m"), "centre"]).size().unstack(
        fill_value=0)
    months = pd.period_range(start, end, freq="M").strftime("%Y-%m")
    return table.reindex(index=months, columns=centres, fill_value=0)


def representation_ratio(reached: float, reached_total: float, area: float,
                         area_total: float) -> tuple[float | None, float | None, float | None]:
    """Ratio of the group's share among those reached to its share of the area, Katz 95% CI."""
    if min(reached, reached_total, area, area_total) <= 0:
        return None, None, None
    ratio = (reached / reached_total) / (area / area_total)
    se = math.sqrt(max(0.0, 1 / reached - 1 / reached_total + 1 / area - 1 / area_total))
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


def _ethnicity(att: pd.DataFrame, extract: Extract, geography: Geography,
               populations: Mapping[str, Mapping[str, float | None]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    kids = att[att["person"] == "child"].drop_duplicates(["cluster", "pid"])
    kids = kids.merge(extract.children[["pid", "ethnicity", "bme"]], on="pid", how="left")
    mix = kids.assign(ethnicity=kids["ethnicity"].fillna("Not recorded")).groupby(
        ["cluster", "ethnicity"]).size().rename("children").reset_index()
    rows = []
    for cluster in geography.at_level(Level.CLUSTER):
        centres = [c.code for c in geography.children(cluster.code, Level.CENTRE)]
        area_all = sum(populations.get(c, {}).get("all") or 0 for c in centres)
        area_bme = sum(populations.get(c, {}).get("bme") or 0 for c in centres)
        mine = kids[(kids["cluster"] == cluster.code) & kids["bme"].notna()]
        ratio, low, high = representation_ratio(float(mine["bme"].astype(bool).sum()),
                                                float(len(mine)), area_bme, area_all)
        rows.append({"cluster": cluster.code, "bme_reached": int(mine["bme"].astype(bool).sum()),
                     "recorded_reached": len(mine), "bme_area": area_bme, "area_0_4": area_all,
                     "ratio": ratio, "lower95": low, "upper95": high})
    return mix, pd.DataFrame(rows)


def compute_reach(extract: Extract, geography: Geography,
                  populations: Mapping[str, Mapping[str, float | None]]) -> ReachResults:
    """All standard measures for the 12 and 24 months ending on ``extract.as_of``.

    Args:
        populations: centre -> group (keys of :data:`GROUPS`) -> population in the reach area.
    """
    att = _attendance_frame(extract, geography)
    weights = _area_weights(geography)
    by_centre, by_cluster = {}, {}
    for months in WINDOWS:
        start, end = window(extract.as_of, months)
        part = att[(att["date"] >= start) & (att["date"] <= end)]
        by_centre[months] = _volume(part, "centre").join(
            _reach(part, extract, weights, populations), how="outer")
        by_cluster[months] = _volume(part, "cluster")
    start, end = window(extract.as_of, 12)
    year = att[(att["date"] >= start) & (att["date"] <= end)]
    keys = ["centre", "service", "provider", "kind"]
    services = year.groupby(keys).size().rename("attendances").to_frame().join(
        year[year["person"] == "child"].drop_duplicates(keys + ["pid"]).groupby(keys).size()
        .rename("children")).fillna(0).astype(int)
    mix, ratio = _ethnicity(year, extract, geography, populations)
    return ReachResults(extract.as_of, by_centre, by_cluster, services.reset_index(),
                        _target_groups(year, extract, weights, populations),
                        _new_families(att, start, end,
                                      [c.code for c in geography.at_level(Level.CENTRE)]),
                        mix, ratio)


def populations_from_profile(profile) -> dict[str, dict[str, float | None]]:
    """Each centre's group populations from the profile's best-fitted centre numerators."""
    out: dict[str, dict[str, float | None]] = {}
    for centre in profile.geography.at_level(Level.CENTRE):
        out[centre.code] = {}
        for group, (_label, indicator) in GROUPS.items():
            result = profile.results.get(indicator) if indicator else None
            area = result.area(centre.code) if result else None
            out[centre.code][group] = area.numerator if area and area.numerator else None
    return out


__all__ = ["GROUPS", "WINDOWS", "ReachResults", "compute_reach", "populations_from_profile",
           "representation_ratio", "window"]
