"""Worksheet functions: thin wrappers giving the core's answers, and short cell messages on error."""

from __future__ import annotations

import pytest

from udfs import functions as f
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import load_profile, quiet


def test_wilson_rate_and_byar_match_published_values():
    lower, upper = f.CC_WILSON(65, 100)
    assert lower == pytest.approx(55.254443296887967, rel=1e-9)
    assert upper == pytest.approx(73.635751756902468, rel=1e-9)
    assert f.CC_RATE_CI(5, 100) == [pytest.approx(1623.4863901184199, rel=1e-9),
                                    pytest.approx(11668.332079322669, rel=1e-9)]
    assert f.CC_BYAR(65)[0] == pytest.approx(50.163187710459454, rel=1e-9)


def test_compare_and_quintile():
    assert f.CC_COMPARE(30, 25, 35, 20, "high is good") == "Better"
    assert f.CC_COMPARE(30, 25, 35, 20, "no judgement") == "Higher"
    assert f.CC_QUINTILE(10, list(range(1, 11)), "low is good") == 5
    assert f.CC_QUINTILE(1, [1, 2, 3], "low is good") == ""


def test_ni72_ni92_from_a_range():
    rows = [[6] * 13, [2] * 13, [9] * 13, [7] * 7 + [5] * 6, [1] * 13]
    assert f.CC_NI72(rows) == pytest.approx(60.0)
    assert f.CC_NI92(rows) == pytest.approx((78 - 13) / 78 * 100)


@pytest.mark.parametrize("call", [
    lambda: f.CC_WILSON(11, 10), lambda: f.CC_BYAR(-1), lambda: f.CC_COMPARE(1, 0, 2, 1, "sideways"),
    lambda: f.CC_NI72([[1, 2]]),
])
def test_errors_are_short_cell_messages(call):
    result = call()
    assert isinstance(result, str) and result.startswith("#XLP: ") and "Traceback" not in result
    assert len(result) <= 210


def test_value_from_a_build_file(tmp_path):
    build = write_demo_inputs(tmp_path / "data")
    profile = load_profile(load_config(build), progress=quiet)
    ward = profile.results["NI116"].wards[0]
    assert f.CC_VALUE("NI116", ward.code, str(build)) == pytest.approx(ward.value)
    assert f.CC_VALUE("NI116", ward.code, str(build), "comparison") == ward.comparison.label
    assert f.CC_VALUE("NOPE", ward.code, str(build)).startswith("#XLP: no data for indicator")
    assert f.CC_VALUE("NI116", ward.code, str(build), "colour").startswith("#XLP: field must be")


def test_reach_from_a_build_file(tmp_path):
    from xl_profile.reach import compute_reach, load_extract, populations_from_profile

    build = write_demo_inputs(tmp_path / "data")
    config = load_config(build)
    profile = load_profile(config, progress=quiet)
    extract = load_extract(config.extract, config.reach_as_of, config.pseudonym_key.encode())
    expected = compute_reach(extract, profile.geography, populations_from_profile(profile))
    table = expected.by_centre[12]
    assert f.CC_REACH_BUILD(str(build), "CC01") == pytest.approx(table.loc["CC01", "reach_pct"])
    assert f.CC_REACH_BUILD(str(build), "CC01", 24, "attendances") == \
        expected.by_centre[24].loc["CC01", "attendances"]
    assert f.CC_REACH_BUILD(str(build), "CC99").startswith("#XLP: no centre")
    assert f.CC_REACH_BUILD(str(build), "CC01", 6).startswith("#XLP: months must be 12 or 24")
