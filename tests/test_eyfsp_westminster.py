"""The child-level EYFSP feed on Westminster's real small areas: 2001 LSOAs best-fitted to the
2008 wards by the ONS lookup, the most deprived 30% by the real IMD 2007 ranks; the children are
made up (seeded), their points falling with the real deprivation score of their small area."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from xl_profile.catalogue import load_catalogue
from xl_profile.eyfsp import ni72
from xl_profile.eyfsp_areas import profile_values, summarise
from xl_profile.eyfsp_feed import SCALE_CODES, read_children
from xl_profile.models import Area, Geography, IndicatorValue, Level, Membership
from xl_profile.outcomes import deprivation_flags, narrowing_gap

ENGLAND_LSOAS_2007 = 32482
YEARS = ("2006/07", "2007/08")


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_children(path, geography, scores, years, rng):
    """Twenty made-up children per small area and year, points lower where the area's IMD
    score is higher; returns the file and each year's children (points) by ward."""
    by_ward: dict[str, dict[str, list]] = {y: {} for y in years}
    rows = [["lsoa", "period", *SCALE_CODES]]
    for year, period in enumerate(years):
        for lsoa in geography.at_level(Level.LSOA):
            mean = 7.4 - scores[lsoa.code] / 25 + 0.2 * year
            ability = rng.normal(mean, 1.5, size=(20, 1))
            points = np.clip(np.rint(ability + rng.normal(0, 0.9, size=(20, 13))), 0, 9)
            for child in points.astype(int).tolist():
                rows.append([lsoa.code, period, *child])
                by_ward[period].setdefault(lsoa.parent, []).append(child)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path, by_ward


@pytest.fixture(scope="module")
def setting(westminster):
    lookup = _rows(westminster / "ons_bestfit_lsoa2001_to_ward2008_westminster.csv")
    imd = {r["lsoa01_code"]: r for r in _rows(
        westminster / "westminster_imd2004_2007_2010_lsoa2001.csv")}
    wards = sorted({(r["WD08CD"], r["WD08NM"]) for r in lookup})
    areas = [Area(code="E09000033", name="Westminster", level=Level.AUTHORITY),
             Area(code="K-N", name="North (fictional)", level=Level.CLUSTER, parent="E09000033"),
             Area(code="K-S", name="South (fictional)", level=Level.CLUSTER, parent="E09000033")]
    areas += [Area(code=code, name=name, level=Level.WARD, parent="E09000033")
              for code, name in wards]
    areas += [Area(code=r["LSOA01CD"], name=r["LSOA01NM"], level=Level.LSOA,
                   parent=r["WD08CD"]) for r in lookup]
    members = [Membership(child=code, parent="K-N" if i < len(wards) // 2 else "K-S", share=1)
               for i, (code, _name) in enumerate(wards)]
    geography = Geography(areas=tuple(areas), memberships=tuple(members))
    scores = {code: float(r["imd2007_score"]) for code, r in imd.items()}
    flags = [IndicatorValue(indicator_id="IMD30", area_code=code, period="2007",
                            numerator=int(int(r["imd2007_rank"]) <= 0.3 * ENGLAND_LSOAS_2007),
                            denominator=1) for code, r in imd.items()]
    return geography, scores, flags


def test_real_small_areas_summarised_to_wards_and_the_gap_by_imd_2007(setting, tmp_path):
    geography, scores, flags = setting
    rng = np.random.default_rng(2007)
    path, by_ward = write_children(tmp_path / "eyfsp.csv", geography, scores, YEARS, rng)
    records = read_children([path], geography)
    assert records.read == len(records.children) and records.left_out.total == 0
    summary = summarise(records, geography, 5)
    latest = {a.code: a for a in summary.by_period["2007/08"]}
    for ward, children in by_ward["2007/08"].items():  # each ward's NI 72 from its own children
        own = ni72(children)
        assert (latest[ward].good, latest[ward].children) == (own.numerator, own.denominator)
    assert latest["E09000033"].children == sum(a.children for a in latest.values()
                                               if a.level is Level.WARD)
    assert not [a for a in latest.values() if a.level is Level.WARD and a.hidden]
    deprivation = deprivation_flags(flags, geography)
    assert deprivation.vintage == "2007" and 0 < sum(deprivation.flags.values()) < 120
    rows = narrowing_gap(load_catalogue().get("NI72"), profile_values(summary, geography),
                         geography, deprivation)
    authority = [r for r in rows if r.area_code == "E09000033"]
    assert [r.period for r in authority] == list(YEARS)
    assert all(r.gap < 0 for r in authority)  # points fall with deprivation
    assert authority[1].change in ("narrowed", "widened") and 0 < authority[1].p <= 1
