"""Profiles built from Westminster's real public data, checked against sums made here.

IDACI 2019 is mixed as published: the numerator (children in income-deprived families) is given
for 103 LSOAs and only the rate for the other 25. LSOAs nest in 2017 wards by the ONS best fit;
wards are grouped into three clusters. Populations are Census 2011 usual residents.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from xl_profile.catalogue import load_catalogue
from xl_profile.cli import main
from xl_profile.geography_io import load_geography
from xl_profile.models import ValueNote
from xl_profile.profile import compute_profile
from xl_profile.stats import Comparison
from xl_profile.tidy import check_tidy

AUTHORITY = "E09000033"
LOCAL_CATALOGUE = """indicators:
- id: IDACI_RATE
  title: Children in income-deprived families (IDACI)
  section: Economic well-being
  unit: percentage
  polarity: low is good
  numerator: Children aged 0-15 in income-deprived families
  denominator: Children aged 0-15
  ci_method: wilson
  multiplier: 100
  source: MHCLG (English Indices of Deprivation 2019)
  native_level: lsoa
  period_type: calendar year
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data(westminster):
    ward_of = {r["LSOA11CD"]: (r["WD17CD"], r["WD17NM"]) for r in
               _rows(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv")}
    population = {r["LSOA11CD"]: float(r["USUALRES"])
                  for r in _rows(westminster / "westminster_lsoa2011_gen_mhw.csv")}
    rate = {r["lsoa11cd"]: float(r["idaci_score"]) for r in
            _rows(westminster / "westminster_iod2019_income_idaci_ew_combined.csv")}
    imd = _rows(westminster / "westminster_imd2015_2019_lsoa2011.csv")
    count = {r["lsoa11_code"]: float(r["idaci2019_numerator_children_in_income_deprived_families"])
             for r in imd if r["idaci2019_numerator_children_in_income_deprived_families"]}
    score = {r["lsoa11_code"]: float(r["imd2015_score"]) for r in imd}
    wards = sorted(set(ward_of.values()))
    cluster_of = {code: ("North", "Central", "South")[i * 3 // len(wards)]
                  for i, (code, _) in enumerate(wards)}
    return dict(ward_of=ward_of, population=population, rate=rate, count=count, score=score,
                wards=wards, cluster_of=cluster_of)


@pytest.fixture(scope="module")
def inputs(data, tmp_path_factory):
    """Geography, tidy indicators and a local catalogue written as an authority would write them."""
    root = tmp_path_factory.mktemp("westminster")
    geo = root / "geography"
    geo.mkdir()
    areas = [[AUTHORITY, "Westminster", "authority", "", "", ""]]
    areas += [[f"CL-{c}", c, "cluster", AUTHORITY, "", ""] for c in ("North", "Central", "South")]
    areas += [[code, name, "ward", AUTHORITY, "2017", ""] for code, name in data["wards"]]
    areas += [[lsoa, lsoa, "lsoa", ward, "2011", f"{data['population'][lsoa]:.0f}"]
              for lsoa, (ward, _) in sorted(data["ward_of"].items())]
    _write(geo / "areas.csv", ["code", "name", "level", "parent", "vintage", "population"], areas)
    _write(geo / "memberships.csv", ["child", "parent", "share", "method"],
           [[w, f"CL-{c}", "1", "lookup"] for w, c in sorted(data["cluster_of"].items())])
    rows = []
    for lsoa in sorted(data["ward_of"]):
        if lsoa in data["count"]:  # counts published: denominator recovered from the rate
            x = data["count"][lsoa]
            n = round(x / data["rate"][lsoa])
            rows.append(["IDACI_RATE", lsoa, "2019", f"{x:.0f}", f"{n}", "", "", "lsoa"])
        else:  # rate only, as the published file gives it
            rows.append(["IDACI_RATE", lsoa, "2019", "", "", f"{data['rate'][lsoa] * 100:.1f}",
                         "", "lsoa"])
        rows.append(["IMD_SCORE", lsoa, "2015", "", "", f"{data['score'][lsoa]}", "", "lsoa"])
    _write(root / "indicators.csv", ["indicator_id", "area_code", "period", "numerator",
                                     "denominator", "value", "note", "level"], rows)
    (root / "local.yaml").write_text(LOCAL_CATALOGUE, encoding="utf-8")
    return root


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


@pytest.fixture(scope="module")
def profile(inputs):
    geography = load_geography(inputs / "geography")
    catalogue = load_catalogue(extra_paths=[inputs / "local.yaml"])
    tidy = check_tidy(inputs / "indicators.csv", catalogue, geography)
    assert tidy.problems == []
    return compute_profile(geography, catalogue, tidy.values)


def _parts(data, lsoas):
    """Counted (x, n, population) and value-only (rate %, population) parts, as the test sees them."""
    counted, value_only = [], []
    for lsoa in lsoas:
        pop = data["population"][lsoa]
        if lsoa in data["count"]:
            x = data["count"][lsoa]
            counted.append((x, round(x / data["rate"][lsoa]), pop))
        else:
            value_only.append((round(data["rate"][lsoa] * 100, 1), pop))
    return counted, value_only


def _expected_rate(data, lsoas) -> float:
    """The documented ratio estimate, computed independently of the library."""
    counted, value_only = _parts(data, lsoas)
    ratio = (sum(n for _, n, _ in counted) / sum(p for *_, p in counted)) if counted else 1.0
    num = sum(x for x, _, _ in counted) + sum(v / 100 * p * ratio for v, p in value_only)
    den = sum(n for _, n, _ in counted) + sum(p * ratio for _, p in value_only)
    return num / den * 100


def test_mixed_counts_and_rates_give_the_true_scale_marked_estimated(data, profile):
    result = profile.results["IDACI_RATE"]
    everything = sorted(data["ward_of"])
    assert len(data["count"]) == 103 and len(everything) - len(data["count"]) == 25
    authority = result.authority
    assert authority.value == pytest.approx(_expected_rate(data, everything), rel=1e-9)
    assert 15 < authority.value < 22  # about 18%, not the 2.97% of dropping the counted parts
    assert authority.note is ValueNote.ESTIMATED and authority.lower95 is None
    assert authority.comparison is Comparison.NOT_COMPARED
    assert authority.basis.startswith("estimate:")


def test_every_ward_and_cluster_matches_the_sum_made_here(data, profile):
    result = profile.results["IDACI_RATE"]
    lsoas_of = defaultdict(list)
    for lsoa, (ward, _) in data["ward_of"].items():
        lsoas_of[ward].append(lsoa)
    exact = estimated = 0
    for ward in result.wards:
        counted, value_only = _parts(data, lsoas_of[ward.code])
        if value_only:
            estimated += 1
            assert ward.note is ValueNote.ESTIMATED and ward.numerator is None
            assert ward.value == pytest.approx(_expected_rate(data, lsoas_of[ward.code]), rel=1e-9)
        else:
            exact += 1
            assert ward.numerator == sum(x for x, _, _ in counted)
            assert ward.denominator == sum(n for _, n, _ in counted)
            assert ward.comparison is Comparison.NOT_COMPARED  # the authority is an estimate
    assert exact and estimated
    for cluster in result.clusters:
        lsoas = [s for w, c in data["cluster_of"].items() if f"CL-{c}" == cluster.code
                 for s in lsoas_of[w]]
        assert cluster.value == pytest.approx(_expected_rate(data, lsoas), rel=1e-9)


def test_imd_score_is_population_weighted_at_every_level(data, profile):
    result = profile.results["IMD_SCORE"]
    weighted = (sum(data["score"][s] * data["population"][s] for s in data["score"])
                / sum(data["population"].values()))
    plain_mean_of_wards = sum(w.value for w in result.wards) / len(result.wards)
    assert result.authority.value == pytest.approx(weighted, rel=1e-12)
    assert abs(result.authority.value - plain_mean_of_wards) > 0.01  # the weighting matters here
    assert result.authority.basis == "population-weighted mean of 128 LSOA scores"


def test_build_writes_profiles_from_the_real_data(inputs, tmp_path):
    config = inputs / "build.yaml"
    config.write_text("geography: geography\nindicators: [indicators.csv]\n"
                      "catalogue: [local.yaml]\n", encoding="utf-8")
    assert main(["build", str(config), "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert names == ["cluster-profile-central.xlsx", "cluster-profile-north.xlsx",
                     "cluster-profile-south.xlsx"]


def test_workbook_marks_estimates_and_says_how_each_figure_was_made(inputs, tmp_path):
    import openpyxl

    config = inputs / "build.yaml"
    config.write_text("geography: geography\nindicators: [indicators.csv]\n"
                      "catalogue: [local.yaml]\n", encoding="utf-8")
    assert main(["build", str(config), "--out", str(tmp_path)]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "cluster-profile-north.xlsx")["Economic well-being"]
    texts = [c.value for row in sheet.iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    assert "Westminster (est.)" in texts and "North (est.)" in texts
    everywhere = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    notes = next(t for t in everywhere if "How these figures were made: " in t)
    assert "Westminster: estimate: 25 of 128 LSOAs had a rate only" in notes
    assert "Nothing is compared with Westminster: its figure is marked estimated." in notes
