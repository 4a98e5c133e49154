"""Ward coverage classes, SOA-aligned proposals and the coverage profile workbook."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
import shapely

from demo_build import BUILT_ON
from workbooks.coverage_profile import write_coverage_profile
from xl_profile.config import load_config
from xl_profile.coverage import CoverageClass, aligned_proposals, classify, ward_coverage
from xl_profile.coverage_need import need_by_class
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.geometry import Layer
from xl_profile.pipeline import load_inputs, quiet


def layer(items):
    return Layer([c for c, _ in items], [c for c, _ in items],
                 np.array([shapely.box(*b) for _, b in items]), "test")


def test_classes_with_sliver_tolerance():
    assert classify(1.0) is CoverageClass.WHOLLY and classify(0.985) is CoverageClass.WHOLLY
    assert classify(0.5) is CoverageClass.PARTLY
    assert classify(0.01) is CoverageClass.NOT and classify(0.0) is CoverageClass.NOT
    assert classify(0.01, sliver=0.0) is CoverageClass.PARTLY
    with pytest.raises(ValueError, match="sliver"):
        classify(0.5, sliver=0.6)


def test_ward_coverage_by_area_and_population():
    wards = layer([("W1", (0, 0, 100, 100)), ("W2", (100, 0, 200, 100)), ("W3", (200, 0, 300, 100))])
    centres = layer([("C1", (0, 0, 100, 100)), ("C2", (100, 0, 150, 100))])
    small = layer([("L1", (100, 0, 150, 100)), ("L2", (150, 0, 200, 100)), ("L3", (200, 0, 300, 100))])
    result = {w.code: w for w in ward_coverage(wards, centres, small, {"L1": 300, "L2": 100, "L3": 50})}
    assert result["W1"].coverage is CoverageClass.WHOLLY and result["W1"].centres == ("C1",)
    assert result["W2"].coverage is CoverageClass.PARTLY
    assert result["W2"].area_share == pytest.approx(0.5)
    assert result["W2"].population_share == pytest.approx(0.75)  # 300 of 400 people
    assert result["W3"].coverage is CoverageClass.NOT and result["W3"].centres == ()


def test_aligned_proposal_counts_population_moving():
    centres = layer([("C1", (0, 0, 160, 100))])
    small = layer([("L1", (0, 0, 100, 100)), ("L2", (100, 0, 200, 100))])
    (proposal,) = aligned_proposals(centres, small, {"L1": 100, "L2": 100})
    # C1 holds all of L1 and 60% of L2: both are proposed; L2's other 40% would be gained.
    assert proposal.small_areas == ("L1", "L2")
    assert proposal.population_now == pytest.approx(160)
    assert proposal.population_gained == pytest.approx(40) and proposal.population_lost == 0


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("coverage")
    return root, load_inputs(load_config(write_demo_inputs(root / "data")), progress=quiet)


def test_demo_has_every_coverage_class_and_centre_fit(demo_inputs):
    _, inputs = demo_inputs
    classes = [w.coverage for w in inputs.spatial.coverage]
    assert classes.count(CoverageClass.NOT) >= 2 and classes.count(CoverageClass.PARTLY) >= 3
    assert inputs.spatial.centre_overlaps == []
    fit = inputs.profile.results["NI116"].centres
    assert all(c.fit_quality is not None and 0 < c.fit_quality <= 1 for c in fit)


def test_need_by_class_sums_true_counts_or_withholds(demo_inputs):
    """Class totals sum the wards' true counts (disclosure control applies after); a class with a
    ward that has no complete counts is withheld, never an undercount."""
    _, inputs = demo_inputs
    wholly = {w.code for w in inputs.spatial.coverage if w.coverage is CoverageClass.WHOLLY}
    outcomes = set()
    for result, classes in need_by_class(inputs.profile, inputs.spatial.coverage):
        if result.definition.unit.value != "percentage":
            continue
        wards = [w for w in result.unsuppressed_wards if w.code in wholly]
        got = classes[CoverageClass.WHOLLY]
        if any(w.numerator is None for w in wards):
            assert got.value is None and got.basis.startswith("withheld"), result.definition.id
            outcomes.add("withheld")
        elif got.value is not None:
            expected = sum(w.numerator for w in wards) / sum(w.denominator for w in wards) * 100
            assert got.value == pytest.approx(expected), result.definition.id
            outcomes.add("summed")
    assert outcomes == {"withheld", "summed"}


def test_coverage_workbook_tables(demo_inputs):
    root, inputs = demo_inputs
    path = write_coverage_profile(inputs.profile, inputs.spatial, root, built_on=BUILT_ON)
    assert path.name == "coverage-profile.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Coverage", "Map", "Wards", "Need by coverage", "Centres",
                               "Centre fit"]
    ws = book["Wards"]
    table = ws.tables["T_ward_coverage"]
    rows = list(ws[table.ref])
    header = [c.value for c in rows[0]]
    body = [dict(zip(header, (c.value for c in r))) for r in rows[1:]]
    assert len(body) == 20
    expected = {w.name: w.coverage.value for w in inputs.spatial.coverage}
    assert {r["Ward"]: r["Coverage"] for r in body} == expected
    again = write_coverage_profile(inputs.profile, inputs.spatial, root / "data", built_on=BUILT_ON)
    assert again.read_bytes() == path.read_bytes()
