"""One number for one thing: the profile's reach indicators are the reach report's figures."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from demo_build import BUILT_ON
from workbooks.build import build_all
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.errors import ConfigError
from xl_profile.models import Level
from xl_profile.pipeline import load_inputs


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("reach-profile")
    messages: list[str] = []
    config = load_config(write_demo_inputs(root / "data"))
    result = build_all(config, root, built_on=BUILT_ON, progress=messages.append)
    return root, result, messages


def report_rows(root) -> dict[str, tuple]:
    """Centre name -> (0-4 population, children reached, reach %) from every reach report's
    12-month table, as written."""
    rows = {}
    for path in sorted(root.glob("reach-report-*.xlsx")):
        sheet = openpyxl.load_workbook(path, read_only=True)["Reach and volume"]
        values = list(sheet.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(values) if r[0] == "Last 12 months") + 2
        for r in values[start:]:
            if not r[0]:
                break
            rows[r[0]] = (r[1], r[2], r[3])
    return rows


def test_profile_reach_equals_the_reach_report_for_every_centre(demo_build):
    root, result, _ = demo_build
    reach = result.profile.results["REACH_ALL"]
    written = report_rows(root)
    centres = result.profile.geography.at_level(Level.CENTRE)
    assert len(centres) == 12 and set(written) == {c.name for c in centres}
    for centre in reach.centres:
        population, reached, percent = written[centre.name]
        assert centre.numerator == pytest.approx(reached), centre.name
        assert centre.denominator == pytest.approx(population), centre.name
        assert centre.value == pytest.approx(percent), centre.name
    assert reach.period == "2007/08"
    assert reach.england is not None and reach.england.value == pytest.approx(60.8)


def test_build_says_where_reach_comes_from_and_counts_records(demo_build):
    _, _, messages = demo_build
    assert any(m.startswith("reach indicators (REACH_ALL, REACH_TEEN") and
               "12 months to 2008-03-31 (period 2007/08)" in m for m in messages)
    assert any(m.startswith("attendance rows read: ") for m in messages)
    assert not any("the extract wins" in m for m in messages)


def test_tidy_reach_rows_lose_to_the_extract_and_this_is_said(tmp_path):
    config_path = write_demo_inputs(tmp_path / "data")
    with open(tmp_path / "data" / "indicators.csv", "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(["REACH_ALL", "CC01", "2007/08", "700", "769", "91.0", "",
                                "Centre returns", "2008-03", "centre"])
    messages: list[str] = []
    inputs = load_inputs(load_config(config_path), messages.append)
    assert ("the extract wins: 1 tidy row(s) of REACH_ALL not used (England or region rows of "
            "period 2007/08 are kept as benchmarks)") in messages
    cc01 = inputs.profile.results["REACH_ALL"].area("CC01")
    by_centre = inputs.reach.results.by_centre[12]
    assert cc01.numerator == by_centre.loc["CC01", "reach_children"] != 700


def test_reach_as_of_not_a_real_date_is_one_error_line(tmp_path, capsys):
    from xl_profile.cli import main

    path = tmp_path / "build.yaml"
    path.write_text("geography: g\nindicators: [a.csv]\nextract: ex\nreach_as_of: 2008-02-30\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (f"{path}: setting 'reach_as_of': not a real date (expected a real "
                              "date YYYY-MM-DD, e.g. 2008-03-31; found '2008-02-30')")
    assert main(["build", str(path), "--out", str(tmp_path / "out")]) == 1
    err_text = capsys.readouterr().err
    assert err_text == f"Error: {err.value}\n"
    assert main(["reach", "--extract", "ex", "--geography", "g", "--as-of", "2008-02-30",
                 "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == ("Error: --as-of: not a real date (expected a real date "
                                       "YYYY-MM-DD, e.g. 2008-03-31; found '2008-02-30')\n")


def test_extract_without_reach_as_of_is_named(tmp_path):
    path = tmp_path / "build.yaml"
    path.write_text("geography: g\nindicators: [a.csv]\nextract: ex\n")
    with pytest.raises(ConfigError, match=r"build.yaml: setting 'reach_as_of' missing"):
        load_config(path)
