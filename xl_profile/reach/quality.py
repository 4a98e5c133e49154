"""Data quality of centre extracts: likely duplicate registrations and field completeness."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

NAME_THRESHOLD = 85


@dataclass(frozen=True)
class DuplicatePair:
    """Two child records that are probably the same child (pseudonymous ids only)."""

    first: str
    second: str
    score: float
    matched: tuple[str, ...]


def likely_duplicates(children: list[tuple[str, str, str, dt.date | None]],
                      postcodes: dict[str, str], key: bytes) -> list[DuplicatePair]:
    """Pairs with the same date of birth and similar names; a shared postcode raises the score.

    Args:
        children: (pseudonymous id, family id, full name, date of birth) — the names and dates
            stay inside the extract loader, which is the only caller.
        postcodes: family id -> postcode.
    Returns:
        Pairs sorted by score (highest first), carrying pseudonymous ids only.
    """
    by_birth: dict[dt.date, list[tuple[str, str, str]]] = defaultdict(list)
    for pid, family, name, born in children:
        if born is not None and name.strip():
            by_birth[born].append((pid, family, name.strip().lower()))
    pairs = []
    for group in by_birth.values():
        if len(group) < 2:
            continue
        # One C++ call per birthday compares every pair of names (rapidfuzz cdist).
        names = [name for _pid, _fam, name in group]
        scores = process.cdist(names, names, scorer=fuzz.token_sort_ratio,
                               score_cutoff=NAME_THRESHOLD, dtype=np.float32)
        for i, j in zip(*np.nonzero(np.triu(scores, k=1))):
            (pid_a, fam_a, _), (pid_b, fam_b, _) = group[i], group[j]
            similarity = float(scores[i, j])
            if fam_a == fam_b and similarity < 100:
                continue  # twins share a family and a birthday but not a name
            same_postcode = _norm(postcodes.get(fam_a)) == _norm(postcodes.get(fam_b)) != ""
            matched = ("date of birth", f"name {similarity:.0f}%") + (
                ("postcode",) if same_postcode else ())
            score = round(min(100.0, similarity * 0.8 + (20 if same_postcode else 0)), 1)
            pairs.append(DuplicatePair(*sorted((pid_a, pid_b)), score, matched))
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))


def _norm(postcode: str | None) -> str:
    return (postcode or "").replace(" ", "").upper()


def completeness(children: pd.DataFrame, carers: pd.DataFrame,
                 families: pd.DataFrame) -> pd.DataFrame:
    """Share of records with each field recorded, per registering centre (0-100).

    Ethnicity and disability are per child; lone parent and employment per carer; father details
    and address in area per family.
    """
    centre = families.set_index("family")["centre"]
    kids = children.assign(centre=children["family"].map(centre))
    adults = carers.assign(centre=carers["family"].map(centre))
    # Father details are complete when a father is recorded, or a carer is recorded as a lone
    # parent (no father expected in the household).
    known = adults["father"] | adults["lone_parent"].fillna(False).astype(bool)
    fathers = known.groupby(adults["family"]).any()
    fams = families.assign(father_known=families["family"].map(fathers).fillna(False))
    table = pd.DataFrame({
        "Ethnicity": kids.groupby("centre")["ethnicity"].apply(lambda s: s.notna().mean() * 100),
        "Disability": kids.groupby("centre")["disabled"].apply(lambda s: s.notna().mean() * 100),
        "Lone parent": adults.groupby("centre")["lone_parent"].apply(
            lambda s: s.notna().mean() * 100),
        "Employment": adults.groupby("centre")["employed"].apply(lambda s: s.notna().mean() * 100),
        "Father details": fams.groupby("centre")["father_known"].mean() * 100,
        "Address in area": fams.groupby("centre")["lsoa"].apply(lambda s: s.notna().mean() * 100),
    })
    return table.sort_index()
