"""No count hidden in a reach report (or in reach-quality.xlsx) can be worked out by subtraction.

A small extract is built from the demo's with planted small counts (a 3-attendance outreach
service, 3 children of North with no ethnicity recorded, a couple of attendance rows left out),
and every written workbook is attacked as a reader would: each total shown with its parts is a
linear equation, and no hidden cell may be determined by those equations taken together. A cell
shown as "<5" must hold 1-4 and one shown as "hidden" (a secondary cell) must not.
"""

from __future__ import annotations


import numpy as np
import openpyxl
import pytest

from test_reach_report import AS_OF, reports_of
from workbooks.reach_report import UNMAPPED_ROW, service_rows
from workbooks.reach_sheets import record_rows
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.demo.extract import generate_demo_extract
from xl_profile.models import Level
from xl_profile.reach.extract import WHITE_BRITISH
from xl_profile.reach.people import NOT_RECORDED
START = "2007-04-01"
MARKS = ("<5", "hidden")


def plant_small_counts(raw, north: set[str]) -> None:
    """A 3-attendance outreach service at CC01, 3 North children with ethnicity not recorded
    (every other blank ethnicity filled in) and 2 attendance rows with no date."""
    t = raw.tables
    t["activities"].append({"activity_id": "CC01-DADS", "centre": "CC01",
                            "service": "Dads' group", "category": "outreach event",
                            "provider": "Centre staff"})
    kids = sorted({r["person_id"] for r in t["attendances"]
                   if r["activity_id"].startswith("CC01-") and r["person_id"].startswith("C")
                   and r["date"] >= START})[:2]
    for i, (person, date) in enumerate([(kids[0], "2008-01-10"), (kids[0], "2008-02-10"),
                                        (kids[1], "2008-03-10")]):
        t["attendances"].append({"attendance_id": f"TDADS{i}", "date": date,
                                 "activity_id": "CC01-DADS", "person_id": person})
    for i in range(2):
        t["attendances"].append({"attendance_id": f"TNODATE{i}", "date": "",
                                 "activity_id": "CC01-DADS", "person_id": kids[0]})
    centre = {r["activity_id"]: r["centre"] for r in t["activities"]}
    seen: dict[str, set[str]] = {}
    for r in t["attendances"]:
        if START <= r["date"] <= AS_OF.isoformat():
            seen.setdefault(r["person_id"], set()).add(centre[r["activity_id"]])
    kept = 0
    for r in t["children"]:
        if not r["ethnicity"].strip():
            where = seen.get(r["child_id"], set())
            if where and where <= north and kept < 3 and r["date_of_birth"] > "2003-06-01":
                kept += 1
                continue
            r["ethnicity"] = "White Other"
    assert kept == 3


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    demo = generate_demo_borough()
    raw = generate_demo_extract(demo, families=800)
    north = {c.code for c in demo.geography.children("CL-N", Level.CENTRE)}
    plant_small_counts(raw, north)
    run, paths, quality = reports_of(raw, demo, tmp_path_factory.mktemp("disclosure"))
    return run, demo, paths, quality


# --- the reader's attack -------------------------------------------------------------------

def recoverable(values: list, relations: list[tuple[int, list[int]]]) -> list[int]:
    """Hidden cells (a mark or None standing for a hidden total) determined by ``relations``
    (total, parts) over the shown numbers: e_j lies in the row space of the hidden columns."""
    hidden = [i for i, v in enumerate(values) if not isinstance(v, (int, float))]
    col = {i: k for k, i in enumerate(hidden)}
    rows = []
    for total, parts in relations:
        row = np.zeros(len(hidden))
        for i in parts:
            if i in col:
                row[col[i]] += 1
        if total in col:
            row[col[total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    found = []
    for k, i in enumerate(hidden):
        unit = np.zeros(len(hidden))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(i)
    return found


def assert_marks_truthful(shown: list, truth: list, where: str) -> None:
    for i, (s, t) in enumerate(zip(shown, truth)):
        if s == "<5":
            assert 0 < round(t) < 5, f"{where}[{i}]: '<5' for {t}"
        elif s == "hidden":
            assert round(t) >= 5, f"{where}[{i}]: 'hidden' (secondary) for a small count {t}"
        elif isinstance(s, (int, float)):
            assert not 0 < round(s) < 5, f"{where}[{i}]: small count {s} shown"
            assert s == pytest.approx(t), f"{where}[{i}]"


def table_rows(sheet, name: str) -> list[dict]:
    rows = list(sheet[sheet.tables[name].ref])
    header = [c.value for c in rows[0]]
    return [dict(zip(header, (c.value for c in row))) for row in rows[1:]]


def clusters(demo, paths):
    for cluster, path in zip(demo.geography.at_level(Level.CLUSTER), paths):
        centres = demo.geography.children(cluster.code, Level.CENTRE)
        yield cluster, [c.code for c in centres], {c.code: c.name for c in centres}, path


# --- 1. services against each centre's attendances --------------------------------------

VOLUME = (("Attendances", "attendances", None),
          ("Outreach attendances", "outreach_attendances", "Outreach"),
          ("On-site attendances", "on-site_attendances", "On-site"))


def test_no_service_count_can_be_worked_out_from_a_centres_attendances(built):
    run, demo, paths, _quality = built
    small = 0
    for _cluster, codes, names, path in clusters(demo, paths):
        book = openpyxl.load_workbook(path)
        reach = {r["Centre"]: r for r in table_rows(book["Reach and volume"], "T_reach_12m")}
        services = table_rows(book["Services"], "T_services")
        truth_rows = service_rows(codes, names, run.results)
        assert [(r["Centre"], r["Service"]) for r in services] == [(r[0], r[1])
                                                                   for r in truth_rows]
        volume = run.results.by_centre[12]
        values, truth, relations = [], [], []
        for code in codes:
            at = {}
            for header, key, _kind in VOLUME:
                at[header] = len(values)
                values.append(reach[names[code]][header])
                truth.append(float(volume.loc[code, key]))
            mine = [i for i, r in enumerate(services) if r["Centre"] == names[code]]
            first = len(values)
            values += [services[i]["Attendances"] for i in mine]
            truth += [truth_rows[i][4] for i in mine]
            for header, _key, kind in VOLUME:
                relations.append((at[header], [first + k for k, i in enumerate(mine)
                                               if kind is None or services[i]["Type"] == kind]))
        small += values.count("<5")
        assert recoverable(values, relations) == [], path.name
        assert_marks_truthful(values, truth, f"{path.name} attendances")
        assert_marks_truthful([r["Children"] for r in services], [r[5] for r in truth_rows],
                              f"{path.name} children")
        for row in services:
            if row["Service"] == UNMAPPED_ROW:
                assert row["Type"] == "Not classified"
    assert small, "the planted 3-attendance service should be hidden"


# --- 2. ethnicity against the children seen and those recorded ----------------------------

def test_no_ethnic_group_can_be_worked_out_from_the_totals_or_percentages(built):
    run, demo, paths, _quality = built
    not_recorded_small = False
    for cluster, _codes, _names, path in clusters(demo, paths):
        sheet = openpyxl.load_workbook(path)["Ethnicity"]
        rows = table_rows(sheet, "T_ethnicity")
        bme, recorded = (table_rows(sheet, "T_representation")[0][k]
                         for k in ("BME children seen", "Children seen (ethnicity recorded)"))
        labels = [r["Ethnicity"] for r in rows]
        counts = [r["Children"] for r in rows]
        # The percentages give the number of children seen away: count / % x 100.
        totals = {round(r["Children"] / r["% of children seen"] * 100) for r in rows
                  if isinstance(r["Children"], (int, float)) and r["% of children seen"]}
        assert len(totals) <= 1
        seen = totals.pop() if totals else None
        for r in rows:
            if not isinstance(r["Children"], (int, float)):  # a % or ratio would give it away
                assert [r[k] for k in ("% of children seen", "Representation ratio",
                                       "Lower 95%", "Upper 95%")] == [None] * 4
        n = len(rows)
        values = counts + [seen, recorded, bme]
        non_nr = [i for i, label in enumerate(labels) if label != NOT_RECORDED]
        relations = [(n, list(range(n))), (n + 1, non_nr),
                     (n + 2, [i for i in non_nr if labels[i].lower() not in WHITE_BRITISH])]
        assert recoverable(values, relations) == [], path.name
        mix = run.results.ethnicity[run.results.ethnicity["cluster"] == cluster.code]
        truth = dict(zip(mix["ethnicity"], mix["children"].astype(float)))
        ratio = run.results.representation.set_index("cluster").loc[cluster.code]
        assert_marks_truthful(values[:n] + values[n + 1:],
                              [truth[label] for label in labels]
                              + [ratio["recorded_reached"], ratio["bme_reached"]], path.name)
        if seen is not None:
            assert seen == sum(truth.values())
        not_recorded_small |= NOT_RECORDED in labels and counts[labels.index(NOT_RECORDED)] == "<5"
    assert not_recorded_small, "North's 3 children with no ethnicity should be hidden"


# --- 3. data quality: the attendance account and the checks ---------------------------------

def account_is_safe(rows: list[dict], truth: list[list], where: str) -> None:
    values = [r["Count"] for r in rows]
    parts = [i for i, r in enumerate(rows)
             if r["Attendance rows"] == "Used" or r["Attendance rows"].startswith("Left out: ")]
    assert [r["Attendance rows"] for r in rows] == [t[0] for t in truth]
    assert recoverable(values, [(0, parts)]) == [], where
    assert_marks_truthful(values, [float(t[1]) for t in truth], where)


def test_data_quality_counts_are_suppressed_in_reports_and_quality_workbook(built):
    run, _demo, paths, quality = built
    truth = record_rows(run.results.records)
    assert any(0 < count < 5 for _label, count, _where in truth), "a small count to hide"
    people_checks = ("Likely duplicate", "Families whose postcode")
    for path in paths:
        book = openpyxl.load_workbook(path)
        account_is_safe(table_rows(book["Data quality"], "T_attendance_records"), truth,
                        f"{path.name} Data quality")
        for row in table_rows(book["Data quality"], "T_extract_checks"):
            if row["Check"].startswith(people_checks):
                assert not (isinstance(row["Count"], int) and 0 < row["Count"] < 5), row
    book = openpyxl.load_workbook(quality)
    account_is_safe(table_rows(book["Attendance records"], "T_attendance_records"), truth,
                    "reach-quality Attendance records")
    checks = table_rows(book["About"], "T_quality_checks")
    for row in checks:
        if row["Check"].startswith(people_checks + ("Attendances at",)):
            assert not (isinstance(row["Count"], (int, float)) and 0 < row["Count"] < 5), row
    # About's attendances at unrecognised activities are the not-classified rows' total.
    activities = table_rows(book["Activities as typed"], "T_activities")
    unmapped = [i for i, r in enumerate(activities) if r["Kind"] == "Not classified"]
    total = next(r["Count"] for r in checks if r["Check"].startswith("Attendances at"))
    values = [r["Attendances"] for r in activities] + [total]
    assert recoverable(values, [(len(activities), unmapped)]) == []
    assert not [v for v in values if isinstance(v, (int, float)) and 0 < v < 5]


# --- the other sheets with a total: new families a month -------------------------------------

def test_no_new_family_count_can_be_worked_out_from_the_cluster_total(built):
    run, demo, paths, _quality = built
    for _cluster, codes, names, path in clusters(demo, paths):
        rows = table_rows(openpyxl.load_workbook(path)["New families"], "T_new_families")
        table = run.results.new_families.reindex(columns=codes, fill_value=0)
        for row in rows:
            values = [row[names[c]] for c in codes] + [row["Cluster"]]
            truth = [float(v) for v in table.loc[row["Month"]]] + [float(
                table.loc[row["Month"]].sum())]
            assert recoverable(values, [(len(codes), list(range(len(codes))))]) == [], row
            assert_marks_truthful(values, truth, f"{path.name} {row['Month']}")


def test_reach_and_volume_hides_percentages_of_hidden_counts(built):
    _run, demo, paths, _quality = built
    for _cluster, _codes, _names, path in clusters(demo, paths):
        sheet = openpyxl.load_workbook(path)["Reach and volume"]
        for name in ("T_reach_12m", "T_reach_24m"):
            for row in table_rows(sheet, name):
                numbers = [v for k, v in row.items() if k not in ("Centre", "Note")
                           and "%" not in k and isinstance(v, (int, float))]
                assert not [v for v in numbers if 0 < round(v) < 5], row
                if row["Children reached (reach area)"] in MARKS or \
                        row["0-4 population (reach area)"] in MARKS:
                    assert row["Reach %"] is None and row["Lower 95%"] is None
