"""Ward coverage by centre reach areas, and SOA-aligned reach-area proposals.

A ward is *wholly* covered when centre reach areas cover all but a sliver of it, *not* covered when
they cover no more than a sliver, and *partly* covered otherwise. Shares are given for area and for
population (small-area populations spread evenly over each small area's land).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely

from .bestfit import overlap_shares
from .geometry import Layer

DEFAULT_SLIVER = 0.02


class CoverageClass(StrEnum):
    WHOLLY = "wholly covered"
    PARTLY = "partly covered"
    NOT = "not covered"


@dataclass(frozen=True)
class WardCoverage:
    code: str
    name: str
    area_share: float
    population_share: float
    population: float
    coverage: CoverageClass
    centres: tuple[str, ...]


@dataclass(frozen=True)
class AlignedProposal:
    """The set of small areas that best fits a centre, and how much population would move."""

    centre: str
    small_areas: tuple[str, ...]
    population_now: float
    population_gained: float
    population_lost: float


def classify(share: float, sliver: float = DEFAULT_SLIVER) -> CoverageClass:
    """Coverage class of a covered share, ignoring slivers up to ``sliver``."""
    if not 0 <= sliver < 0.5:
        raise ValueError(f"sliver must be between 0 and 0.5; got {sliver!r}")
    if share >= 1 - sliver:
        return CoverageClass.WHOLLY
    if share <= sliver:
        return CoverageClass.NOT
    return CoverageClass.PARTLY


def _population_in(small: Layer, pops: np.ndarray, area) -> float:
    """Population of the small areas lying inside ``area``, by area share."""
    if area is None or area.is_empty:
        return 0.0
    inter = shapely.area(shapely.intersection(small.geometries, area))
    return float(np.sum(pops * inter / shapely.area(small.geometries)))


def ward_coverage(wards: Layer, centres: Layer, small: Layer | None = None,
                  populations: Mapping[str, float] | None = None,
                  sliver: float = DEFAULT_SLIVER) -> list[WardCoverage]:
    """Coverage of every ward by the union of centre reach areas."""
    covered = shapely.union_all(centres.geometries)
    pops = np.array([(populations or {}).get(c, 0.0) for c in small.codes]) if small else None
    tree = shapely.STRtree(centres.geometries)
    result = []
    for code, name, ward in zip(wards.codes, wards.names, wards.geometries):
        inside = shapely.intersection(ward, covered)
        area_share = float(shapely.area(inside) / shapely.area(ward))
        pop_share, ward_pop = area_share, 0.0
        if small is not None and pops is not None and pops.sum():
            ward_pop = _population_in(small, pops, ward)
            pop_share = _population_in(small, pops, inside) / ward_pop if ward_pop else 0.0
        hits = tree.query(ward, predicate="intersects")
        touching = tuple(centres.codes[i] for i in sorted(hits)
                         if shapely.area(shapely.intersection(ward, centres.geometries[i]))
                         > sliver * shapely.area(ward) / 10)
        result.append(WardCoverage(code, name, area_share, pop_share, ward_pop,
                                   classify(area_share, sliver), touching))
    return result


def aligned_proposals(centres: Layer, small: Layer,
                      populations: Mapping[str, float] | None = None) -> list[AlignedProposal]:
    """For each centre, the small areas with most of their area inside it (SOA-aligned boundary).

    Population gained: people in the proposed small areas who are outside the current reach area;
    lost: people inside the current reach area but in small areas not proposed.
    """
    pops = np.array([(populations or {}).get(c, 1.0) for c in small.codes], dtype=float)
    s_idx, t_idx, shares = overlap_shares(small, centres)
    proposals = []
    for t, code in enumerate(centres.codes):
        mine = t_idx == t
        chosen = mine & (shares > 0.5)
        now = float(np.sum(pops[s_idx[mine]] * shares[mine]))
        gained = float(np.sum(pops[s_idx[chosen]] * (1 - shares[chosen])))
        lost = float(np.sum(pops[s_idx[mine & ~chosen]] * shares[mine & ~chosen]))
        proposals.append(AlignedProposal(code, tuple(small.codes[i] for i in s_idx[chosen]),
                                         now, gained, lost))
    return proposals
