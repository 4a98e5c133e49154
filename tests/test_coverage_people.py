"""Coverage by people, blanks for unknown figures, and the centre_fit setting."""

from __future__ import annotations

import shutil

import numpy as np
import openpyxl
import pytest
import shapely

from demo_build import BUILT_ON
from workbooks.build import build_all
from workbooks.coverage_profile import _class_rows, write_coverage_profile
from xl_profile.config import load_config
from xl_profile.coverage import CoverageBasis, CoverageClass, aligned_proposals, ward_coverage
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.geometry import Layer
from xl_profile.pipeline import load_inputs, quiet


def layer(items):
    return Layer([c for c, _ in items], [c for c, _ in items],
                 np.array([shapely.box(*b) for _, b in items]), "test")


# A riverside ward: its boundary runs to mid-river (y 60-100); its people live on land (y 0-60),
# all inside the centre reach area, which stops at the bank like the small areas do.
RIVERSIDE = layer([("W1", (0, 0, 100, 100)), ("W2", (100, 0, 200, 100))])
CENTRES = layer([("C1", (0, 0, 100, 60)), ("C2", (100, 0, 150, 100))])
SMALL = layer([("L1", (0, 0, 100, 60)), ("L2", (100, 0, 150, 100)), ("L3", (150, 0, 200, 100))])


def test_riverside_ward_is_wholly_covered_by_people_partly_by_area():
    result = {w.code: w for w in ward_coverage(RIVERSIDE, CENTRES, SMALL,
                                               {"L1": 1500, "L2": 900, "L3": 100})}
    riverside = result["W1"]
    assert riverside.area_share == pytest.approx(0.6)
    assert riverside.population_share == pytest.approx(1.0)
    assert riverside.coverage is CoverageClass.WHOLLY
    assert riverside.basis is CoverageBasis.POPULATION
    assert riverside.population == pytest.approx(1500)
    assert result["W2"].population_share == pytest.approx(0.9)  # 900 of 1,000 people
    assert result["W2"].coverage is CoverageClass.PARTLY


def test_unknown_population_falls_back_to_area_for_that_ward_only():
    result = {w.code: w for w in ward_coverage(RIVERSIDE, CENTRES, SMALL,
                                               {"L1": 1500, "L2": 900, "L3": None})}
    assert result["W1"].basis is CoverageBasis.POPULATION
    ward = result["W2"]  # L3 has no population: no population share, never a guess
    assert ward.basis is CoverageBasis.AREA and ward.population_share is None
    assert ward.population is None and ward.coverage is CoverageClass.PARTLY
    assert ward.area_share == pytest.approx(0.5)
    without = ward_coverage(RIVERSIDE, CENTRES, SMALL, None)
    assert [w.coverage for w in without] == [CoverageClass.PARTLY, CoverageClass.PARTLY]
    assert all(w.basis is CoverageBasis.AREA for w in without)


def test_aligned_proposals_leave_unknown_populations_blank():
    centres = layer([("C1", (0, 0, 160, 100))])
    small = layer([("L1", (0, 0, 100, 100)), ("L2", (100, 0, 200, 100))])
    (proposal,) = aligned_proposals(centres, small, {"L1": 100})
    assert proposal.small_areas == ("L1", "L2")
    assert proposal.population_now is None and proposal.population_gained is None
    (known,) = aligned_proposals(centres, small, {"L1": 100, "L2": 50})
    assert known.population_now == pytest.approx(130) and known.population_gained == 20


def test_class_totals_are_blank_not_zero_when_a_ward_has_no_population():
    from xl_profile.coverage import WardCoverage

    wards = [WardCoverage("A", "Alder", 1, 1, 10, CoverageClass.WHOLLY, ()),
             WardCoverage("B", "Beech", 1, 1, 10, CoverageClass.WHOLLY, ()),
             WardCoverage("C", "Cedar", 0, 0, 10, CoverageClass.NOT, ())]
    rows, notes = _class_rows(wards, {"A": 300, "B": None, "C": 100})
    assert rows[0] == ["Wholly covered", 2, None, None]
    assert rows[2] == ["Not covered", 1, 100, None]  # % needs the authority total: blank too
    assert notes == ["Wholly covered: children aged 0-4 left blank because 1 ward(s) have no "
                     "figure (Beech)."]
    rows, notes = _class_rows(wards, {"A": 300, "B": 100, "C": 100})
    assert rows[0][2:] == [400, 80.0] and notes == []


# --- centre_fit ---------------------------------------------------------------------------------

def _move_lsoa(data, lsoa: str, centre: str) -> str:
    """Give ``lsoa`` to ``centre`` in memberships.csv; return the centre it had."""
    path = data / "geography" / "memberships.csv"
    lines, old = path.read_text().splitlines(), None
    for i, line in enumerate(lines):
        child, parent, share, method = line.split(",")
        if child == lsoa:
            old, lines[i] = parent, f"{child},{centre},{share},lookup"
    path.write_text("\r\n".join(lines) + "\r\n")
    return old


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """Demo inputs with one LSOA given to another centre than its boundary fit."""
    data = tmp_path_factory.mktemp("fit") / "data"
    config = write_demo_inputs(data)
    old = _move_lsoa(data, "X01000003", "CC05")
    return data, config, old


def _with_setting(config, value, tmp_path):
    text = config.read_text() + f"centre_fit: {value}\n"
    path = config.parent / f"build-{value}.yaml"
    path.write_text(text)
    return load_config(path)


def test_auto_uses_the_boundary_fit_and_reports_the_difference(moved, tmp_path):
    data, config, old = moved
    messages: list[str] = []
    inputs = load_inputs(load_config(config), progress=messages.append)
    fit = inputs.centre_fit
    assert fit.setting == "auto" and fit.used == "boundaries"
    assert [d.small_area for d in fit.differences] == ["X01000003"]
    (difference,) = fit.differences
    assert difference.given == (("CC05", 1.0),) and difference.fitted == ((old, 1.0),)
    assert difference.population is not None and difference.population > 0
    assert ("centre fit (centre_fit: auto): centres are made of a best fit of small areas to "
            "centre boundaries, replacing the 96 given in memberships.csv; 1 small area(s) "
            "placed differently by memberships.csv and the boundary fit") in messages
    assert f"  X01000003: memberships.csv CC05 100%; boundary fit {old} 100%" in messages
    assert inputs.profile.geography.memberships_of("X01000003")[0].parent == old


def test_memberships_setting_keeps_the_given_centres(moved, tmp_path):
    data, config, old = moved
    inputs = load_inputs(_with_setting(config, "memberships", tmp_path), progress=quiet)
    assert inputs.centre_fit.used == "memberships"
    assert inputs.profile.geography.memberships_of("X01000003")[0].parent == "CC05"
    quality = inputs.spatial.fit_quality()
    boundary = {t.code: t.quality for t in inputs.spatial.fit.targets}
    # the centre that lost a small area lying inside it now holds less of its own population
    assert quality[old] < boundary[old] - 0.01
    assert quality["CC05"] == pytest.approx(boundary["CC05"])
    assert len(inputs.centre_fit.differences) == 1


def test_coverage_profile_lists_the_differences(moved, tmp_path):
    data, config, old = moved
    inputs = load_inputs(load_config(config), progress=quiet)
    path = write_coverage_profile(inputs.profile, inputs.spatial, tmp_path, built_on=BUILT_ON)
    sheet = openpyxl.load_workbook(path)["Centre fit"]
    table = sheet.tables["T_centre_fit_differences"]
    rows = [[c.value for c in r] for r in sheet[table.ref]]
    names = {a.code: a.name for a in inputs.profile.geography.areas}
    assert rows[1][0] == "X01000003" and rows[1][1] == f"{names['CC05']} (100%)"
    assert rows[1][2] == f"{names[old]} (100%)" and rows[1][3] > 0
    assert "replacing the 96 given in memberships.csv" in sheet["A2"].value
    wards = openpyxl.load_workbook(path)["Wards"]
    header = [c.value for c in wards[3]]
    assert header[2:6] == ["Coverage", "Judged by", "Population covered %", "Area covered %"]
    assert {wards.cell(r, 4).value for r in range(4, 24)} == {"population share"}


def test_demo_riverside_style_wards_are_classed_by_people(tmp_path):
    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), progress=quiet)
    by_name = {w.name: w for w in inputs.spatial.coverage}
    juniper = by_name["Juniper"]  # 96% of its area, 98% of its people inside centre areas
    assert juniper.area_share < 0.98 <= juniper.population_share
    assert juniper.coverage is CoverageClass.WHOLLY
    assert all(w.basis is CoverageBasis.POPULATION for w in inputs.spatial.coverage)


def test_build_says_which_boundary_file_is_missing(tmp_path):
    config = write_demo_inputs(tmp_path / "data")
    (tmp_path / "data" / "geography" / "boundaries" / "centre.geojson").unlink()
    messages: list[str] = []
    result = build_all(load_config(config), tmp_path / "out", built_on=BUILT_ON,
                       progress=messages.append)
    centre = tmp_path / "data" / "geography" / "boundaries" / "centre.geojson"
    assert (f"coverage profile not written: the geography folder lacks the boundary file(s) "
            f"{centre} (ward, LSOA and centre boundaries are all needed)") in messages
    assert "writing coverage profile" not in messages
    assert "coverage-profile.xlsx" not in [p.name for p in result.files]
    assert any(m.startswith("centre fit (centre_fit: auto): centres are made of the "
                            "small-area-to-centre rows of memberships.csv") for m in messages)
    shutil.rmtree(tmp_path / "out")


def test_need_in_a_class_is_blank_when_a_ward_has_no_row_or_no_denominator(tmp_path):
    import dataclasses

    from xl_profile.coverage_need import _class_value

    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), progress=quiet)
    codes = {w.code for w in inputs.spatial.coverage if w.coverage is CoverageClass.WHOLLY}
    result = next(r for r in inputs.profile.in_section_order()
                  if r.definition.unit.value == "percentage" and r.published_level is not None
                  and _class_value(r, codes).value is not None)
    full = _class_value(result, codes)
    assert full.value is not None and full.wards == len(codes)
    kept = tuple(w for w in result.unsuppressed_wards if w.code != min(codes))
    dropped = dataclasses.replace(result, wards=kept, unsuppressed_wards=kept)
    assert _class_value(dropped, codes).value is None  # not the other wards' rate
    no_den = tuple(dataclasses.replace(w, denominator=None) if w.code == min(codes) else w
                   for w in result.unsuppressed_wards)
    no_den = dataclasses.replace(result, wards=no_den, unsuppressed_wards=no_den)
    assert _class_value(no_den, codes).value is None  # not a rate over a too-small denominator


def test_coverage_workbook_leaves_an_unknown_population_blank_with_a_note(tmp_path):
    import dataclasses

    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), progress=quiet)
    profile = inputs.profile
    pop = profile.results["POP_0_4"]
    ward = next(w for w in inputs.spatial.coverage if w.coverage is CoverageClass.PARTLY)
    unknown = dataclasses.replace(pop, wards=tuple(
        dataclasses.replace(w, value=None) if w.code == ward.code else w for w in pop.wards))
    profile = dataclasses.replace(profile, results={**profile.results, "POP_0_4": unknown})
    path = write_coverage_profile(profile, inputs.spatial, tmp_path, built_on=BUILT_ON)
    sheet = openpyxl.load_workbook(path)["Coverage"]
    table = {r[0].value: [c.value for c in r] for r in sheet["A5:D7"]}
    assert table["Partly covered"][2:] == [None, None]  # blank, not 0 and not an undercount
    assert table["Wholly covered"][2] > 0 and table["Wholly covered"][3] is None
    notes = [sheet.cell(r, 1).value for r in range(26, 32)]
    assert (f"Partly covered: children aged 0-4 left blank because 1 ward(s) have no figure "
            f"({ward.name}).") in notes
    wards = openpyxl.load_workbook(path)["Wards"]
    row = next(r for r in wards.iter_rows(min_row=4, values_only=True) if r[0] == ward.name)
    assert row[7] is None
