"""The demo borough's fictional child-level EYFSP results for three years, and its postcode
lookup, written as an authority's own results would come: one row per child with a pupil
number, date of birth and home postcode (all made up) that the build must never print.

Children's points follow the deprivation of their small area, improve year by year and improve
faster in the most deprived areas, so that the gap narrows. A few rows cannot be used, as in
real returns: no small area or postcode, a postcode not in the lookup, a small area outside
the borough, a scale point that is not 0-9, a scale not assessed, a child listed twice.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ..atomic import write_text_atomic
from ..eyfsp_feed import SCALE_CODES
from ..models import Level

YEARS = ("2005/06", "2006/07", "2007/08")
COLUMNS = ["upn", "date_of_birth", "postcode", "lsoa", "period", *SCALE_CODES]
#: Share of children whose row gives the postcode but no small area.
BY_POSTCODE = 0.1


def _postcodes(lsoas: list[str]) -> dict[str, str]:
    """Three fictional postcodes per small area (the DB area does not exist)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return {f"DB{1 + i // 20} {1 + i % 9}{letters[i % 20]}{letters[(i * 7 + k) % 20]}": code
            for i, code in enumerate(lsoas) for k in range(3)}


def _points(rng: np.random.Generator, deprivation: float, year: int, n: int) -> np.ndarray:
    """n children's 13 scale points: an ability per child plus scale-to-scale variation."""
    mean = 7.0 - 1.2 * deprivation + (0.10 + 0.16 * deprivation) * year
    ability = rng.normal(mean, 1.5, size=(n, 1))
    return np.clip(np.rint(ability + rng.normal(0, 0.9, size=(n, 13))), 0, 9).astype(int)


def demo_child_rows(demo, seed: int = 2008) -> list[list[str]]:
    """Every child's row (header first), with a few rows that cannot be used."""
    rng = np.random.default_rng(seed + 72)
    lsoas = [a.code for a in demo.geography.at_level(Level.LSOA)]
    by_lsoa = {code: pc for pc, code in _postcodes(lsoas).items()}  # one postcode per area
    rows = [COLUMNS]
    for year, period in enumerate(YEARS):
        start = int(period[:4]) - 5  # born September five years before the year, to August
        for code in lsoas:
            n = max(1, int(rng.poisson(demo.populations_0_4[code] / 4.6 * 0.95)))
            for points in _points(rng, demo.deprivation[code], year, n):
                month = 8 + int(rng.integers(0, 12))  # months after January of ``start``
                born = f"{start + month // 12}-{month % 12 + 1:02d}-{int(rng.integers(1, 29)):02d}"
                # Every row has the home postcode; some returns leave the small area blank.
                lsoa = "" if rng.random() < BY_POSTCODE else code
                rows.append([f"Z{seed}{len(rows):07d}", born, by_lsoa[code], lsoa, period,
                             *(str(p) for p in points)])
    return _with_unusable(rows, rng)


def _with_unusable(rows: list[list[str]], rng: np.random.Generator) -> list[list[str]]:
    """Spoil a few rows as real returns are spoiled (each kind at least once)."""
    first_scale = COLUMNS.index(SCALE_CODES[0])
    picks = rng.choice(np.arange(1, len(rows)), size=14, replace=False)
    for k, r in enumerate(picks):
        row = rows[r]
        if k < 3:
            row[2] = row[3] = ""  # no small area or postcode
        elif k < 5:
            row[2], row[3] = "DB99 9ZZ", ""  # a postcode not in the lookup
        elif k < 7:
            row[2], row[3] = "", "E01099999"  # a small area in another authority
        elif k < 9:
            row[first_scale + k] = ("10", "A")[k - 7]  # not a scale point
        else:
            row[first_scale + int(rng.integers(0, 13))] = ""  # a scale not assessed
    # A child sent twice, as when a school's return is added to the file again: the second
    # row has the same pupil number and year and must not be counted.
    rows += [list(rows[r]) for r in (100, 2000) if r not in picks]
    return rows


def write_demo_eyfsp(data_dir: Path, demo, seed: int = 2008) -> tuple[Path, Path]:
    """Write ``eyfsp.csv`` (the children) and ``eyfsp-postcodes.csv`` (postcode, lsoa)."""
    lsoas = [a.code for a in demo.geography.at_level(Level.LSOA)]
    children, lookup = data_dir / "eyfsp.csv", data_dir / "eyfsp-postcodes.csv"
    write_text_atomic(children, _csv_text(demo_child_rows(demo, seed)))
    write_text_atomic(lookup, _csv_text([["postcode", "lsoa"],
                                         *map(list, _postcodes(lsoas).items())]))
    return children, lookup


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
