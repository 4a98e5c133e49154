"""Data quality of centre extracts: likely duplicate registrations, field completeness and the
account of attendance rows excluded (per reason) or used."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .checks import postcode_key

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
            same_postcode = postcode_key(postcodes.get(fam_a) or "") \
                == postcode_key(postcodes.get(fam_b) or "") != ""
            matched = ("date of birth", f"name {similarity:.0f}%") + (
                ("postcode",) if same_postcode else ())
            score = round(min(100.0, similarity * 0.8 + (20 if same_postcode else 0)), 1)
            pairs.append(DuplicatePair(*sorted((pid_a, pid_b)), score, matched))
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))


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


#: Why an attendance row is left out of every figure, in the order the checks are made: each row
#: is counted once, under the first reason that applies.
DUPLICATE = "exact duplicate of an earlier row (removed)"
BAD_DATE = "attendance date missing or not a date (YYYY-MM-DD)"
DOB_FUTURE = "date of birth in the future"
DOB_IMPLAUSIBLE = "date of birth more than 100 years before the as-of date"
DOB_AFTER = "date of birth after the attendance"
OVER_FIVE = "child aged 5 or over at the attendance"
AFTER_AS_OF = "attendance dated after the as-of date"
UNKNOWN_CENTRE = "activity at a centre not in the geography"
EXCLUSIONS = (DUPLICATE, BAD_DATE, AFTER_AS_OF, DOB_FUTURE, DOB_IMPLAUSIBLE, DOB_AFTER,
              OVER_FIVE, UNKNOWN_CENTRE)
#: The reasons the extract loader finds from each row and its person (duplicates are found as
#: rows are read). Rows dated after the as-of date are counted by the measures, with those at
#: unknown centres, so the extract keeps every dated row and the as-of date can be checked
#: against all of them (``run.check_window``).
AT_LOAD = (BAD_DATE, DOB_FUTURE, DOB_IMPLAUSIBLE, DOB_AFTER, OVER_FIVE)
#: Why a used attendance counts in volume but not in reach-area figures.
NO_LSOA = "family's postcode not in the postcode lookup (or no address)"
LSOA_OUTSIDE = "family's LSOA is in no centre's reach area in the geography"
NOT_PLACED = (NO_LSOA, LSOA_OUTSIDE)


@dataclass(frozen=True)
class RecordCounts:
    """What became of every attendance row read: excluded (per reason) or used.

    ``read == used + sum(excluded.values())``. Of the used rows, ``not_placed`` counts (per
    reason) those of people whose home is in no reach area: they count in volume, not in reach.
    """

    read: int
    excluded: dict[str, int]
    not_placed: dict[str, int] = field(default_factory=dict)

    @property
    def used(self) -> int:
        return self.read - sum(self.excluded.values())

    @property
    def placed(self) -> int:
        return self.used - sum(self.not_placed.values())

    def excluding(self, reason: str, rows: int) -> RecordCounts:
        """These counts with ``rows`` more excluded for ``reason``."""
        excluded = dict(self.excluded)
        excluded[reason] = excluded.get(reason, 0) + rows
        return RecordCounts(self.read, excluded, dict(self.not_placed))

    def with_not_placed(self, not_placed: dict[str, int]) -> RecordCounts:
        return RecordCounts(self.read, dict(self.excluded), dict(not_placed))

    def lines(self) -> list[str]:
        """The counts as plain lines for a command's summary."""
        out = [f"attendance rows read: {self.read:,}"]
        out += [f"  excluded, {reason}: {self.excluded.get(reason, 0):,}"
                for reason in EXCLUSIONS if reason in self.excluded]
        out.append(f"  used: {self.used:,}")
        out += [f"    of which in volume but not reach ({reason}): {n:,}"
                for reason, n in self.not_placed.items()]
        return out
