"""Ward coverage by centre reach areas, and SOA-aligned reach-area proposals.

A ward is *wholly* covered when centre reach areas cover all but a sliver of it, *not* covered when
they cover no more than a sliver, and *partly* covered otherwise.

The share that decides the class is the share of the ward's **people** living inside centre reach
areas wherever small-area (LSOA) populations are known for every small area in the ward (each small
area's population spread evenly over its land); only where they are not does the share of the
ward's **area** decide, and the ward says so (``basis``). Area alone misleads: a riverside ward
whose boundary runs to the middle of the river is "partly covered" by area although all its people
live inside centre reach areas. Both shares are kept so the workbook can show them side by side.
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
#: A small area overlapping a ward by less than this share of its own area (digitising
#: slivers along a shared boundary) does not need a known population for the ward.
SMALL_AREA_SLIVER = 0.001


class CoverageClass(StrEnum):
    WHOLLY = "wholly covered"
    PARTLY = "partly covered"
    NOT = "not covered"


class CoverageBasis(StrEnum):
    POPULATION = "population"
    AREA = "area"


@dataclass(frozen=True)
class WardCoverage:
    """How much of a ward lies in centre reach areas.

    Attributes:
        area_share: share of the ward's area inside centre reach areas (0-1).
        population_share: share of its people inside them, None where small-area populations
            are not known for every small area in the ward.
        population: the ward's population from its small areas, None when not known.
        coverage: the class, from ``population_share`` when known, else from ``area_share``.
        basis: which share decided the class.
        centres: centres holding more than a sliver of the ward.
    """

    code: str
    name: str
    area_share: float
    population_share: float | None
    population: float | None
    coverage: CoverageClass
    centres: tuple[str, ...]
    basis: CoverageBasis = CoverageBasis.AREA

    def as_row(self) -> list[str | float | None]:
        """[class, % of the people inside reach areas (None where not known), % of the area]."""
        share = self.population_share
        return [self.coverage.value, None if share is None else share * 100,
                self.area_share * 100]


@dataclass(frozen=True)
class AlignedProposal:
    """The set of small areas that best fits a centre, and how much population would move."""

    centre: str
    small_areas: tuple[str, ...]
    population_now: float | None
    population_gained: float | None
    population_lost: float | None


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


def _population_share(small: Layer | None, pops: np.ndarray | None, ward, inside
                      ) -> tuple[float | None, float | None]:
    """(share of the ward's people inside ``inside``, ward population), or (None, None) when a
    small area overlapping the ward has no known population or the ward has no people."""
    if small is None or pops is None:
        return None, None
    overlap = shapely.area(shapely.intersection(small.geometries, ward))
    touching = overlap > SMALL_AREA_SLIVER * shapely.area(small.geometries)
    if not touching.any() or np.isnan(pops[touching]).any():
        return None, None
    known = np.where(np.isnan(pops), 0.0, pops)
    ward_pop = _population_in(small, known, ward)
    if ward_pop <= 0:
        return None, None
    return min(1.0, _population_in(small, known, inside) / ward_pop), ward_pop


def ward_coverage(wards: Layer, centres: Layer, small: Layer | None = None,
                  populations: Mapping[str, float | None] | None = None,
                  sliver: float = DEFAULT_SLIVER) -> list[WardCoverage]:
    """Coverage of every ward by the union of centre reach areas.

    ``populations`` maps small-area codes to populations; a code missing or None is unknown, and a
    ward touching such a small area is classed by area.
    """
    covered = shapely.union_all(centres.geometries)
    pops = None
    if small is not None and populations:
        pops = np.array([np.nan if populations.get(c) is None else float(populations[c])
                         for c in small.codes])
    tree = shapely.STRtree(centres.geometries)
    result = []
    for code, name, ward in zip(wards.codes, wards.names, wards.geometries):
        inside = shapely.intersection(ward, covered)
        area_share = float(shapely.area(inside) / shapely.area(ward))
        pop_share, ward_pop = _population_share(small, pops, ward, inside)
        basis = CoverageBasis.AREA if pop_share is None else CoverageBasis.POPULATION
        hits = tree.query(ward, predicate="intersects")
        touching = tuple(centres.codes[i] for i in sorted(hits)
                         if shapely.area(shapely.intersection(ward, centres.geometries[i]))
                         > sliver * shapely.area(ward) / 10)
        share = area_share if pop_share is None else pop_share
        result.append(WardCoverage(code, name, area_share, pop_share, ward_pop,
                                   classify(share, sliver), touching, basis))
    return result


def _or_none(total: float) -> float | None:
    return None if np.isnan(total) else float(total)


def aligned_proposals(centres: Layer, small: Layer,
                      populations: Mapping[str, float | None] | None = None
                      ) -> list[AlignedProposal]:
    """For each centre, the small areas with most of their area inside it (SOA-aligned boundary).

    Population gained: people in the proposed small areas who are outside the current reach area;
    lost: people inside the current reach area but in small areas not proposed. A population
    figure that would need an unknown small-area population is None, never a guess.
    """
    pops = np.array([np.nan if (populations or {}).get(c) is None else float(populations[c])
                     for c in small.codes], dtype=float)
    s_idx, t_idx, shares = overlap_shares(small, centres)
    proposals = []
    for t, code in enumerate(centres.codes):
        mine = t_idx == t
        chosen = mine & (shares > 0.5)
        now = _or_none(np.sum(pops[s_idx[mine]] * shares[mine]))
        gained = _or_none(np.sum(pops[s_idx[chosen]] * (1 - shares[chosen])))
        lost = _or_none(np.sum(pops[s_idx[mine & ~chosen]] * shares[mine & ~chosen]))
        proposals.append(AlignedProposal(code, tuple(small.codes[i] for i in s_idx[chosen]),
                                         now, gained, lost))
    return proposals
