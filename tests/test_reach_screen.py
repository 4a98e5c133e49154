"""Activity names typed with a family's details never reach a workbook (xl_profile/reach/screen.py)."""

from __future__ import annotations

import zipfile

import pytest

from test_reach import AS_OF, KEY, POPULATIONS, tiny_geography, tiny_tables, write_tables
from workbooks.reach_quality import write_reach_quality
from workbooks.reach_report import write_reach_reports
from xl_profile.reach.extract import load_extract
from xl_profile.reach.measures import compute_reach
from xl_profile.reach.run import run_reach
from xl_profile.reach.screen import PersonalNames, holds_personal_details

NAMES = PersonalNames({"okafor": frozenset({"amara", "esme"}), "green": frozenset({"amy"})},
                      frozenset({"okafor"}))


@pytest.mark.parametrize("text, personal", [
    ("Home visit Amara Okafor", True),  # a child's full name
    ("Okafor family support", True),  # a surname few families share
    ("Visit to DB1 1AA", True), ("Call 07700 900123", True), ("Session 01/04/2008", True),
    ("mum: esme@example.org", True),
    ("Green Park stay and play", False),  # a shared surname alone is a place or a word
    ("Amy Green 1:1", True),  # but a person's first and last name are that person
    ("Stay and play", False), ("Speech and language (SALT)", False), ("Room 12", False),
    ("Bookstart 2008", False), ("Messy play 0-4s", False),
])
def test_what_counts_as_personal_details(text, personal):
    assert holds_personal_details(text, NAMES) is personal


def test_a_name_holding_a_familys_details_is_withheld_from_every_workbook(tmp_path):
    tables = tiny_tables()
    tables["activities"][0]["service"] = "Home visit Amara Okafor DB1 1AA"
    tables["activities"][1]["provider"] = "Esme Okafor (volunteer)"
    source = write_tables(tmp_path / "ex", tables)
    extract = load_extract(source, AS_OF, KEY)
    assert extract.withheld_names == ("A1", "A2")
    services = dict(zip(extract.activities["activity_id"], extract.activities["service"]))
    assert services["A1"] == "Activity A1 (name withheld: it held personal details)"
    assert services["A3"] == "Drop in"  # others as typed
    results = compute_reach(extract, tiny_geography(), POPULATIONS)
    paths = write_reach_reports(results, extract, tiny_geography(), tmp_path, built_on=AS_OF)
    paths.append(write_reach_quality(results, extract, tiny_geography(), tmp_path,
                                     built_on=AS_OF))
    for path in paths:
        with zipfile.ZipFile(path) as z:
            text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        for personal in ("Okafor", "Amara", "Esme", "DB1"):
            assert personal not in text, (path.name, personal)
    run = run_reach(source, tiny_geography(), {}, AS_OF, KEY)
    assert any("2 activity name(s) withheld" in w and "A1, A2" in w for w in run.warnings)
