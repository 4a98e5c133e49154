"""Who belongs to each target group, where they live, and their ethnicity, as code arrays.

Built once per extract and reused for every period: a period only decides who was seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..models import Geography, Level
from .coded import CodedAttendances
from .extract import Extract
from .quality import LSOA_OUTSIDE, NO_LSOA

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class GroupAreas:
    """Members of one group placed in reach areas: person code, centre code and LSOA share."""

    person: np.ndarray
    centre: np.ndarray
    share: np.ndarray


@dataclass(frozen=True)
class People:
    """Static facts about the people in the attendances, indexed by person code."""

    groups: dict[str, GroupAreas]
    ethnicity: np.ndarray  # code into ``ethnicities`` (children only; -1 for carers)
    bme: np.ndarray  # 1 BME, 0 White British, -1 not recorded or not a child
    ethnicities: pd.Index


def area_weights(geography: Geography) -> pd.DataFrame:
    """LSOA -> centre best-fit shares (the reach areas)."""
    rows = [(m.child, m.parent, m.share) for m in geography.memberships
            if m.parent in geography.by_code and geography.by_code[m.parent].level is Level.CENTRE]
    return pd.DataFrame(rows, columns=["lsoa", "centre", "share"])


def group_members(extract: Extract) -> dict[str, pd.DataFrame]:
    """For each target group, the people (``pid``, ``lsoa``) who belong to it.

    Children in workless households: every carer's employment status is recorded and none is
    employed. Children of disabled parents: any carer recorded as disabled.
    """
    kids, carers = extract.children, extract.carers
    lsoa = extract.families.drop_duplicates("family").set_index("family")["lsoa"]
    carers = carers.assign(lsoa=carers["family"].map(lsoa))
    flags = pd.DataFrame({"family": carers["family"], "known": carers["employed"].notna(),
                          "employed": carers["employed"].fillna(False).astype(bool),
                          "disabled": carers["disabled_parent"].fillna(False).astype(bool)})
    by_family = flags.groupby("family").agg(known=("known", "all"), employed=("employed", "any"),
                                            disabled=("disabled", "any"))
    workless = by_family["known"] & ~by_family["employed"]

    def kids_where(mask: pd.Series) -> pd.DataFrame:
        return kids[mask.eq(True).to_numpy()]  # blank (no carer recorded) is not a member

    return {
        "all": kids,
        "teenage_parents": carers[carers["teenage_parent"].fillna(False).astype(bool)],
        "lone_parents": carers[carers["lone_parent"].fillna(False).astype(bool)],
        "workless": kids_where(kids["family"].map(workless)),
        "bme": kids_where(kids["bme"]),
        "disabled_children": kids_where(kids["disabled"]),
        "disabled_parents": kids_where(kids["family"].map(by_family["disabled"])),
        "fathers": carers[carers["father"].astype(bool)],
    }


def describe_people(extract: Extract, att: CodedAttendances, geography: Geography) -> People:
    """Group membership, reach-area placement and ethnicity of everyone who attended."""
    weights = area_weights(geography)
    groups = {}
    for group, members in group_members(extract).items():
        placed = members[["pid", "lsoa"]].merge(weights, on="lsoa")
        person = att.people.get_indexer(placed["pid"])
        keep = person >= 0  # people never seen cannot count in any period
        groups[group] = GroupAreas(person[keep], att.centres.get_indexer(placed["centre"])[keep],
                                   placed["share"].to_numpy(dtype=float)[keep])
    kids = extract.children
    person = att.people.get_indexer(kids["pid"])
    keep = person >= 0
    labels = kids["ethnicity"].fillna(NOT_RECORDED)
    eth_code, ethnicities = pd.factorize(labels, sort=True)
    ethnicity = np.full(len(att.people), -1, dtype=np.int64)
    ethnicity[person[keep]] = eth_code[keep]
    bme = np.full(len(att.people), -1, dtype=np.int64)
    flag = kids["bme"].map({True: 1, False: 0}).fillna(-1).to_numpy(dtype=np.int64)
    bme[person[keep]] = flag[keep]
    return People(groups, ethnicity, bme, pd.Index(ethnicities))


def not_placed(att: CodedAttendances, extract: Extract, geography: Geography) -> dict[str, int]:
    """Attendance rows of people whose family's home is in no reach area, per reason."""
    lsoa_of = pd.concat([extract.families[["family", "lsoa"]],
                         extract.children[["family", "lsoa"]]]).dropna()
    lsoa_of = lsoa_of.drop_duplicates("family").set_index("family")["lsoa"]
    family_lsoa = att.families.map(lsoa_of).to_numpy(dtype=object)
    # Decided once per family, then looked up per attendance by family code.
    in_areas = pd.Index(area_weights(geography)["lsoa"].unique())
    known = pd.notna(family_lsoa)
    placed = np.zeros(len(family_lsoa), dtype=bool)
    placed[known] = in_areas.get_indexer(family_lsoa[known]) >= 0
    row_known, row_placed = known[att.family], placed[att.family]
    return {NO_LSOA: int((~row_known).sum()), LSOA_OUTSIDE: int((row_known & ~row_placed).sum())}
