"""No personal data from the demo extract reaches any generated file, and no extract text is a formula."""

from __future__ import annotations

import csv
import zipfile

import pytest

from demo_build import BUILT_ON
from workbooks.build import build_all
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import quiet


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    config = load_config(write_demo_inputs(root / "data"))
    return root, build_all(config, root / "out", built_on=BUILT_ON, progress=quiet).files


def personal_values(extract_dir) -> set[str]:
    values: set[str] = set()
    for name, columns in (("children", ("first_name", "last_name", "date_of_birth")),
                          ("carers", ("first_name", "last_name", "date_of_birth")),
                          ("addresses", ("address", "postcode"))):
        with open(extract_dir / f"{name}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if "first_name" in columns:
                    values.add(f"{row['first_name']} {row['last_name']}")
                values.update(row[c] for c in columns if c not in ("first_name", "last_name"))
    return {v for v in values if v}


def test_every_output_is_free_of_extract_personal_data(demo):
    root, files = demo
    assert {f.name for f in files} >= {"reach-report-north.xlsx", "coverage-profile.xlsx",
                                       "reach-quality.xlsx"}
    personal = personal_values(root / "data" / "extract")
    assert len(personal) > 1000
    assert_not_in_any(files, personal)


def test_no_child_of_the_eyfsp_results_is_named_in_any_output(demo):
    root, files = demo
    with open(root / "data" / "eyfsp.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    personal = {row[c] for row in rows for c in ("upn", "date_of_birth", "postcode") if row[c]}
    assert len(personal) > 5000
    assert_not_in_any(files, personal)


def test_extract_text_that_looks_like_a_formula_stays_text(demo):
    root, files = demo
    literal = 0
    for path in files:
        if not path.name.startswith(("reach-report", "reach-quality")):
            continue
        with zipfile.ZipFile(path) as z:
            sheets = " ".join(z.read(n).decode() for n in z.namelist()
                              if n.startswith("xl/worksheets/sheet"))
            strings = z.read("xl/sharedStrings.xml").decode()
        assert "<f>" not in sheets
        literal += '<t>=HYPERLINK("http://example.invalid","click")</t>' in strings
        literal += "<t>@Library partners</t>" in strings or "<t>+44 outreach team</t>" in strings
    assert literal >= 4  # in the board reports and in the analysts' workbook


def assert_not_in_any(files, personal: set[str]) -> None:
    """None of the ``personal`` values appears in any part of any workbook in ``files``."""
    for path in files:
        with zipfile.ZipFile(path) as z:
            text = " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                            if n.endswith((".xml", ".rels")))
        leaked = [v for v in personal if v in text]
        assert leaked == [], f"{path.name}: {leaked[:5]}"
