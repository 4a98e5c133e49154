"""Reach and volume: hand-checked numbers, window edges, privacy, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from workbooks.reach_report import write_reach_reports
from workbooks.reach_sheets import protected_counts
from xl_profile.errors import InputError
from xl_profile.models import Area, Geography, Level, Membership
from xl_profile.reach import compute_reach, load_extract, pseudonym, window
from xl_profile.reach.extract import FILES
from xl_profile.reach.measures import representation_ratio
from xl_profile.reach.quality import AFTER_AS_OF

AS_OF = dt.date(2008, 3, 31)
KEY = b"test-key"


def tiny_geography() -> Geography:
    areas = [Area(code="A", name="Authority", level=Level.AUTHORITY),
             Area(code="K", name="North", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="Centre One", level=Level.CENTRE, parent="K"),
             Area(code="C2", name="Centre Two", level=Level.CENTRE, parent="K"),
             Area(code="W", name="Ward", level=Level.WARD, parent="A")]
    areas += [Area(code=f"L{i}", name=f"L{i}", level=Level.LSOA, parent="W", population=1000)
              for i in (1, 2)]
    members = [Membership(child="W", parent="K", share=1),
               Membership(child="L1", parent="C1", share=1),
               Membership(child="L2", parent="C2", share=1)]
    return Geography(areas=tuple(areas), memberships=tuple(members))


def tiny_tables() -> dict[str, list[dict[str, str]]]:
    """Three families: F1 (L1, two children, lone mother), F2 (L2, father), F3 (out of area)."""
    child = dict(sex="F", ethnicity="White British", disability="N", special_needs="N")
    carer = dict(lone_parent="N", teenage_parent="N", disabled_parent="N",
                 employment_status="employed", language="English", relationship="mother")
    return {
        "families": [dict(family_id=f, registered_on="2006-01-01", centre="C1") for f in ("F1", "F2", "F3")],
        "addresses": [dict(family_id="F1", address="1 Lark Road", postcode="DB1 1AA"),
                      dict(family_id="F2", address="2 Wren Road", postcode="db1 2aa"),
                      dict(family_id="F3", address="3 Far Road", postcode="ZZ99 1ZZ")],
        "children": [dict(child, child_id="K1", family_id="F1", first_name="Amara", last_name="Okafor",
                          date_of_birth="2005-06-01", ethnicity="Black African"),
                     dict(child, child_id="K2", family_id="F1", first_name="Bilal", last_name="Okafor",
                          date_of_birth="2007-02-01", disability="Y"),
                     dict(child, child_id="K3", family_id="F2", first_name="Chloe", last_name="Novak",
                          date_of_birth="2004-04-01", ethnicity=""),
                     dict(child, child_id="K4", family_id="F3", first_name="Dylan", last_name="Eze",
                          date_of_birth="2006-09-09")],
        "carers": [dict(carer, carer_id="P1", family_id="F1", first_name="Esme", last_name="Okafor",
                        date_of_birth="1990-01-01", lone_parent="Y", employment_status="unemployed"),
                   dict(carer, carer_id="P2", family_id="F2", first_name="Gideon", last_name="Novak",
                        date_of_birth="1975-01-01", relationship="father")],
        "activities": [dict(activity_id="A1", centre="C1", service="Stay and play",
                            category="on-site session", provider="=SUM(1,2)"),
                       dict(activity_id="A2", centre="C2", service="@Home visits",
                            category="outreach home visit", provider="Centre staff"),
                       dict(activity_id="A3", centre="C2", service="Drop in", category="mystery",
                            provider="Centre staff")],
        "attendances": [
            dict(attendance_id="1", date="2007-04-01", activity_id="A1", person_id="K1"),  # first day
            dict(attendance_id="2", date="2007-03-31", activity_id="A1", person_id="K2"),  # day before
            dict(attendance_id="3", date="2008-03-31", activity_id="A2", person_id="K3"),  # last day
            dict(attendance_id="4", date="2008-04-01", activity_id="A2", person_id="K1"),  # after
            dict(attendance_id="5", date="2007-10-10", activity_id="A1", person_id="K1"),
            dict(attendance_id="6", date="2007-10-10", activity_id="A1", person_id="P1"),
            dict(attendance_id="7", date="2007-11-11", activity_id="A2", person_id="P2"),
            dict(attendance_id="8", date="2007-12-12", activity_id="A3", person_id="K4")],
        "postcode_lsoa": [dict(postcode="DB1 1AA", lsoa="L1"), dict(postcode="DB1 2AA", lsoa="L2")],
    }


def write_tables(directory: Path, tables) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns in FILES.items():
        with open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(tables[name])
    return directory


POPULATIONS = {"C1": {"all": 10, "lone_parents": 4, "bme": 5, "disabled_children": 2},
               "C2": {"all": 20, "fathers": None}}


@pytest.fixture()
def results(tmp_path):
    extract = load_extract(write_tables(tmp_path / "ex", tiny_tables()), AS_OF, KEY)
    return extract, compute_reach(extract, tiny_geography(), POPULATIONS)


def test_window_edges():
    start, end = window(AS_OF, 12)
    assert (start.date(), end.date()) == (dt.date(2007, 4, 1), dt.date(2008, 3, 31))
    assert window(AS_OF, 24)[0].date() == dt.date(2006, 4, 1)
    assert window(dt.date(2008, 2, 29), 12)[0].date() == dt.date(2007, 3, 1)


def test_hand_checked_reach_and_volume(results):
    _, r = results
    c1, c2 = r.by_centre[12].loc["C1"], r.by_centre[12].loc["C2"]
    # C1 in 12 months: K1 twice (first day, Oct), P1 once; K2's visit is the day before.
    assert (c1["attendances"], c1["children_seen"], c1["families_seen"]) == (3, 1, 1)
    assert c1["repeat_children"] == 1 and c1["on-site_attendances"] == 3
    # C2: K3 on the last day (outreach), P2 (outreach), K4 at an unmapped activity.
    assert (c2["attendances"], c2["children_seen"], c2["outreach_attendances"]) == (3, 2, 2)
    # Reach counts children living in the reach area seen anywhere: C1 area (L1) holds K1, K2.
    assert c1["reach_children"] == 1 and c1["reach_pct"] == pytest.approx(10.0)
    assert c2["reach_children"] == 1  # K3 lives in L2; K4 is out of area
    assert r.by_centre[24].loc["C1", "children_seen"] == 2  # K2's visit is inside 24 months
    assert r.by_cluster[12].loc["K", "children_seen"] == 3


def test_target_groups_and_new_families(results):
    _, r = results
    groups = r.target_groups.set_index(["centre", "group"])
    assert groups.loc[("C1", "lone_parents"), "reached"] == 1
    assert groups.loc[("C1", "lone_parents"), "reach_pct"] == pytest.approx(25.0)
    assert groups.loc[("C1", "workless"), "reached"] == 1  # K1: only carer unemployed
    assert groups.loc[("C2", "fathers"), "reached"] == 1
    assert pd.isna(groups.loc[("C2", "fathers"), "reach_pct"])  # no published population
    # F1 first came the day before the window; F2 first in November (P2), F3 in December.
    assert r.new_families["C1"].sum() == 0
    assert r.new_families.loc["2007-11", "C2"] == 1 and r.new_families.loc["2007-12", "C2"] == 1
    assert r.new_families.values.sum() == 2


def test_privacy_at_the_door(results):
    extract, _ = results
    frames = [extract.children, extract.carers, extract.families, extract.attendances]
    text = " ".join(f.astype(str).to_csv() for f in frames)
    for personal in ("Amara", "Okafor", "2005-06-01", "Lark Road", "DB1 1AA", "K1", "F1"):
        assert personal not in text
    assert pseudonym(KEY, "child", "K1") in set(extract.children["pid"])
    assert pseudonym(b"other", "child", "K1") != pseudonym(KEY, "child", "K1")
    assert extract.unplaced_families == 1 and extract.unmapped_categories == ["mystery"]


def test_report_has_no_personal_data_and_no_formula_from_extract_text(results, tmp_path):
    extract, r = results
    paths = write_reach_reports(r, extract, tiny_geography(), tmp_path, built_on=AS_OF)
    assert [p.name for p in paths] == ["reach-report-north.xlsx"]
    with zipfile.ZipFile(paths[0]) as z:
        xml = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    for personal in ("Amara", "Okafor", "Novak", "2005-06-01", "Lark Road", "DB1", "ZZ99"):
        assert personal not in xml
    assert "<f>" not in xml and "@Home visits" in xml


def test_small_counts_are_hidden_with_a_secondary_marked_as_such():
    # Parts of a total shown beside them (last): the 3 is small; the 12 is hidden only so that
    # the 3 cannot be worked out from the total, and says so rather than claiming to be 1-4.
    assert protected_counts([3, 40, 12, 0, 55], [(4, [0, 1, 2, 3])]) \
        == ["<5", 40, "hidden", 0, 55]
    assert protected_counts([3, 40, 12, 0]) == ["<5", 40, 12, 0]  # no total: nothing to protect


def test_representation_ratio_katz():
    ratio, low, high = representation_ratio(60, 100, 300, 1000)
    assert ratio == pytest.approx(2.0)
    assert low < 2.0 < high
    assert representation_ratio(0, 100, 300, 1000) == (None, None, None)


@pytest.mark.parametrize("change, where", [
    # Every date in another format is a file problem (a stray bad date is counted instead).
    (lambda t: [a.update(date="31/03/2008") for a in t["attendances"]],
     ("attendances.csv", 2, "date")),
    (lambda t: t["attendances"].append(dict(attendance_id="9", date="2007-05-01",
                                             activity_id="A1", person_id="NOBODY")),
     ("attendances.csv", 10, "person_id")),
    (lambda t: t["attendances"].append(dict(attendance_id="9", date="2007-05-01",
                                             activity_id="A9", person_id="K1")),
     ("attendances.csv", 10, "activity_id")),
    (lambda t: t["families"].append(dict(family_id="F9", registered_on="last year", centre="C1")),
     ("families.csv", 5, "registered_on")),
])
def test_bad_input_is_located(tmp_path, change, where):
    tables = tiny_tables()
    change(tables)
    with pytest.raises(InputError) as err:
        load_extract(write_tables(tmp_path / "ex", tables), AS_OF, KEY)
    p = err.value.problems[0]
    assert (Path(p.file).name, p.row, p.column) == where


def test_missing_file_and_column(tmp_path):
    directory = write_tables(tmp_path / "ex", tiny_tables())
    (directory / "carers.csv").unlink()
    with pytest.raises(InputError, match="missing extract file carers.csv"):
        load_extract(directory, AS_OF, KEY)
    write_tables(directory, tiny_tables())
    text = (directory / "children.csv").read_text().replace("date_of_birth", "dob")
    (directory / "children.csv").write_text(text)
    with pytest.raises(InputError, match="missing column 'date_of_birth'"):
        load_extract(directory, AS_OF, KEY)


def test_demo_extract_mess_is_found(tmp_path):
    from xl_profile.demo.borough import generate_demo_borough
    from xl_profile.demo.extract import generate_demo_extract, write_extract

    demo = generate_demo_borough()
    raw = generate_demo_extract(demo, families=600)
    write_extract(raw, tmp_path / "ex")
    extract = load_extract(tmp_path / "ex", AS_OF, KEY)
    injected = sum(1 for c in raw.tables["children"] if c["child_id"].endswith("D"))
    found = {(p.first, p.second) for p in extract.duplicates}
    assert injected and len(found) >= 0.8 * injected
    assert extract.unplaced_families > 0 and extract.unmapped_categories
    # Every kind of record that is left out occurs, and every row read is accounted for.
    results = compute_reach(extract, demo.geography, {})
    records = results.records
    # (The demo injects no attendance dated after the as-of date: that reason may be 0.)
    assert all(n for reason, n in records.excluded.items() if reason != AFTER_AS_OF), \
        records.excluded
    assert records.read == len(raw.tables["attendances"])
    assert records.used + sum(records.excluded.values()) == records.read
    assert any(re.match(r"[=+\-@]", a["provider"] + a["service"][:1])
               for a in raw.tables["activities"])
