"""A fictional region of ten authorities, one of them the demo borough, for the regional view.

Every name, code and figure is made up (codes start X09, as the demo borough's) and the files
say so. The same seed always gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..atomic import write_text_atomic
from .borough import AUTHORITY_CODE

REGION_NAME = "Demoshire (fictional region)"
NOTICE = ("FICTIONAL DATA: the region, its authorities and every figure here are made up for "
          "demonstration. They describe no real place.")
AUTHORITY_NAMES = ("Demo Borough (fictional)", "Ashcombe (fictional)", "Brackenfold (fictional)",
                   "Cinderford Vale (fictional)", "Dunmere (fictional)", "Eastwick Moor (fictional)",
                   "Fallowfield (fictional)", "Greystone (fictional)", "Harrowden (fictional)",
                   "Ivybridge Marsh (fictional)")
YEARS = ("2006", "2007", "2008")
NATIONAL_LSOAS = 32482
#: id, title, unit, typical percentage (the NI 92 gap is in points and has no counts).
INDICATORS = (("NI72", "Good level of development (NI 72)", "percentage", 48.0),
              ("BF68", "Breastfeeding at 6-8 weeks", "percentage", 42.0),
              ("NI92", "Gap, lowest 20% to median (NI 92)", "value", 34.0))


def authority_codes() -> list[str]:
    return [AUTHORITY_CODE] + [f"X09{n:06d}" for n in range(101, 110)]


def write_demo_region(folder: Path, seed: int = 2008) -> Path:
    """Write the region's indicator file, IMD ranks and build file; return the build file."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    write_text_atomic(folder / "README.txt", NOTICE + "\n")
    write_text_atomic(folder / "region-indicators.csv", _indicator_csv(rng))
    write_text_atomic(folder / "lsoa-imd.csv", _imd_csv(rng))
    path = folder / "region.yaml"
    write_text_atomic(path, _build_text(rng))
    return path


def _indicator_csv(rng: random.Random) -> str:
    lines = ["indicator_id,area_code,period,numerator,denominator,value"]
    for code in authority_codes():
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
    return "\n".join(lines) + "\n"


def _imd_csv(rng: random.Random) -> str:
    lines = ["authority_code,lsoa_code,imd_rank"]
    serial = 0
    for code in authority_codes():
        skew = rng.uniform(0.4, 2.5)  # above 1: more of the authority's LSOAs are deprived
        for _ in range(rng.randint(70, 140)):
            serial += 1
            rank = 1 + int((NATIONAL_LSOAS - 1) * rng.random() ** skew)
            lines.append(f"{code},X01{serial:06d},{rank}")
    return "\n".join(lines) + "\n"


def _build_text(rng: random.Random) -> str:
    authorities = "\n".join(f"  - {{code: {code}, name: \"{name}\", centres: {rng.randint(6, 22)}}}"
                            for code, name in zip(authority_codes(), AUTHORITY_NAMES))
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
            "compare: {from_period: \"2007\", to_period: \"2008\"}\n"
            f"imd: {{file: lsoa-imd.csv, national_lsoas: {NATIONAL_LSOAS}}}\n")
