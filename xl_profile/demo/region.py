"""A fictional region of ten authorities, one of them the demo borough, for the regional view.

Every name, code and figure is made up (codes start X09, as the demo borough's) and the files
say so. The same seed always gives the same files. Given the demo borough's own build
(:func:`borough_figures`), the borough's row carries that build's figures — NI 72 from its
child-level EYFSP results, breastfeeding and NI 92 as its profile has them, its centres and its
small areas' deprivation — so that the region and the borough's profiles agree.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text_atomic
from ..models import IndicatorValue, Level
from ..profile import ProfileData, authority_totals
from .borough import AUTHORITY_CODE

REGION_NAME = "Demoshire (fictional region)"
NOTICE = ("FICTIONAL DATA: the region, its authorities and every figure here are made up for "
          "demonstration. They describe no real place.")
AUTHORITY_NAMES = ("Demo Borough (fictional)", "Ashcombe (fictional)", "Brackenfold (fictional)",
                   "Cinderford Vale (fictional)", "Dunmere (fictional)", "Eastwick Moor (fictional)",
                   "Fallowfield (fictional)", "Greystone (fictional)", "Harrowden (fictional)",
                   "Ivybridge Marsh (fictional)")
YEARS = ("2005/06", "2006/07", "2007/08")
NATIONAL_LSOAS = 32482
#: id, title, unit, typical percentage (the NI 92 gap is in points and has no counts).
INDICATORS = (("NI72", "Good level of development (NI 72)", "percentage", 48.0),
              ("BF68", "Breastfeeding at 6-8 weeks", "percentage", 42.0),
              ("NI92", "Gap, lowest 20% to median (NI 92)", "value", 34.0))
#: The region's indicators and the demo borough's catalogue ids they are taken from.
BOROUGH_SOURCES = {"NI72": "NI72", "BF68": "NI53", "NI92": "NI92"}
#: Share of England's small areas in its most deprived 30% (by IMD rank).
DEPRIVED_SHARE = 0.3


@dataclass(frozen=True)
class BoroughFigures:
    """The demo borough's own figures, from its build, for its row of the region.

    Attributes:
        counts: (region indicator, period) -> (numerator, denominator) of the authority.
        values: (region indicator, period) -> the authority's value, where it has no counts.
        centres: how many children's centres the borough has.
        deprived: small area code -> in England's most deprived 30% (the profile's IMD30).
    """

    counts: dict[tuple[str, str], tuple[int, int]]
    values: dict[tuple[str, str], float]
    centres: int
    deprived: dict[str, bool]


def borough_figures(profile: ProfileData, values: Iterable[IndicatorValue]) -> BoroughFigures:
    """The borough's figures as its build made them: each period's authority counts summed as
    the profile sums them (``authority_totals``), else the authority's own published value."""
    geography = profile.geography
    rows: dict[str, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        rows[v.indicator_id].append(v)
    counts, figures = {}, {}
    for ours, theirs in BOROUGH_SOURCES.items():
        for period, (num, den) in authority_totals(rows[theirs], geography).items():
            counts[(ours, period)] = (round(num), round(den))
        for v in rows[theirs]:
            if v.area_code == geography.authority.code and v.value is not None \
                    and (ours, v.period) not in counts:
                figures[(ours, v.period)] = v.value
    lsoas = {a.code for a in geography.at_level(Level.LSOA)}
    deprived = {v.area_code: bool(v.numerator or v.value) for v in rows["IMD30"]
                if v.area_code in lsoas}
    return BoroughFigures(counts, figures, len(geography.at_level(Level.CENTRE)), deprived)


def authority_codes() -> list[str]:
    return [AUTHORITY_CODE] + [f"X09{n:06d}" for n in range(101, 110)]


def write_demo_region(folder: Path, seed: int = 2008,
                      borough: BoroughFigures | None = None) -> Path:
    """Write the region's indicator file, IMD ranks and build file; return the build file.

    With ``borough`` (the demo borough's own build) the borough's row is that build's figures;
    without it the borough is made up like the other nine.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    note = NOTICE + ("\nDemo Borough's figures are those of the demo borough's own build."
                     if borough is not None else "")
    write_text_atomic(folder / "README.txt", note + "\n")
    write_text_atomic(folder / "region-indicators.csv", _indicator_csv(rng, borough))
    write_text_atomic(folder / "lsoa-imd.csv", _imd_csv(rng, borough))
    path = folder / "region.yaml"
    write_text_atomic(path, _build_text(rng, borough))
    return path


def _indicator_csv(rng: random.Random, borough: BoroughFigures | None = None) -> str:
    lines = ["indicator_id,area_code,period,numerator,denominator,value"]
    for code in authority_codes():
        # Drawn for the borough too, so the other authorities' figures are the same with or
        # without the borough's own.
        made = _authority_lines(rng, code)
        lines += _borough_lines(borough) if borough is not None and code == AUTHORITY_CODE \
            else made
    return "\n".join(lines) + "\n"


def _borough_lines(borough: BoroughFigures) -> list[str]:
    """The borough's rows from its own build; a period it has no figure for has no row."""
    lines = []
    for year in YEARS:
        for ind, _title, _unit, _typical in INDICATORS:
            if (ind, year) in borough.counts:
                count, cohort = borough.counts[(ind, year)]
                lines.append(f"{ind},{AUTHORITY_CODE},{year},{count},{cohort},")
            elif (ind, year) in borough.values:
                lines.append(f"{ind},{AUTHORITY_CODE},{year},,,{borough.values[(ind, year)]:.1f}")
    return lines


def _authority_lines(rng: random.Random, code: str) -> list[str]:
    """A made-up authority's rows: a level per indicator drifting over the years."""
    lines = []
    base = {ind: typical + rng.uniform(-8, 8) for ind, _t, _u, typical in INDICATORS}
    children = rng.randint(900, 3500)
    for step, year in enumerate(YEARS):
        for ind, _title, unit, _typical in INDICATORS:
            level = base[ind] + step * rng.uniform(-1.5, 4.0) * (-1 if ind == "NI92" else 1)
            if unit == "percentage":
                cohort = children + rng.randint(-60, 60)
                count = round(cohort * level / 100)
                lines.append(f"{ind},{code},{year},{count},{cohort},")
            else:
                lines.append(f"{ind},{code},{year},,,{level:.1f}")
    return lines


def _imd_csv(rng: random.Random, borough: BoroughFigures | None = None) -> str:
    lines = ["authority_code,lsoa_code,imd_rank"]
    serial = 0
    for code in authority_codes():
        if borough is not None and code == AUTHORITY_CODE and borough.deprived:
            lines += _borough_ranks(rng, borough)
            continue
        skew = rng.uniform(0.4, 2.5)  # above 1: more of the authority's LSOAs are deprived
        for _ in range(rng.randint(70, 140)):
            serial += 1
            rank = 1 + int((NATIONAL_LSOAS - 1) * rng.random() ** skew)
            lines.append(f"{code},X01{serial:06d},{rank}")
    return "\n".join(lines) + "\n"


def _borough_ranks(rng: random.Random, borough: BoroughFigures) -> list[str]:
    """A national IMD rank for each of the borough's small areas, in England's most deprived
    30% exactly where its profile says so (the ranks themselves are made up)."""
    last_deprived = int(NATIONAL_LSOAS * DEPRIVED_SHARE)  # rank 1 is the most deprived
    lines = []
    for lsoa in sorted(borough.deprived):
        low, high = (1, last_deprived) if borough.deprived[lsoa] \
            else (last_deprived + 1, NATIONAL_LSOAS)
        lines.append(f"{AUTHORITY_CODE},{lsoa},{rng.randint(low, high)}")
    return lines


def _build_text(rng: random.Random, borough: BoroughFigures | None = None) -> str:
    centres = [rng.randint(6, 22) for _ in AUTHORITY_NAMES]
    if borough is not None:
        centres[0] = borough.centres
    authorities = "\n".join(f"  - {{code: {code}, name: \"{name}\", centres: {count}}}"
                            for code, name, count in zip(authority_codes(), AUTHORITY_NAMES,
                                                         centres))
    indicators = "\n".join(f"  - {{id: {ind}, title: \"{title}\", unit: {unit}"
                           + (", higher_is_better: false}" if ind == "NI92" else "}")
                           for ind, title, unit, _typical in INDICATORS)
    return (f"# {NOTICE}\n"
            f"region: \"{REGION_NAME}\"\n"
            "fictional: true\n"
            f"authority_of_interest: {AUTHORITY_CODE}\n"
            f"authorities:\n{authorities}\n"
            "indicators_file: region-indicators.csv\n"
            f"indicators:\n{indicators}\n"
            f"compare: {{from_period: \"{YEARS[-2]}\", to_period: \"{YEARS[-1]}\"}}\n"
            f"imd: {{file: lsoa-imd.csv, national_lsoas: {NATIONAL_LSOAS}}}\n")
