"""The analysts' reach data-quality workbook: ``reach-quality.xlsx``, one per build, borough-wide.

Record-level lists that a cluster board has no use for and should not be handed: likely
duplicate registrations (pairs of keyed pseudonymous ids, for the database administrator to look
up with the extract key), every activity's service name and category exactly as typed in the
database with the kind it maps to, and the account of attendance rows read, left out and used.
Like every generated workbook it holds no name, date of birth, address or postcode, writes extract
text as text (never a formula) and shows counts of 1-4 (of attendances, children, families, record
pairs) as <5; where such a count is part of a total shown in this workbook (the attendance rows
read, the attendances at unrecognised activities), a second count is hidden and shown as
``hidden``. Counts of categories and centres are not counts of people and are shown in full.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xl_profile.models import Geography, Level
from xl_profile.reach.extract import Extract
from xl_profile.reach.measures import ReachResults
from xl_profile.suppression import Relation

from .common import print_setup, saved_workbook, standard_formats, write_table
from .reach_report import KIND_NAMES
from .reach_sheets import (
    MARKS_NOTE,
    QUALITY_FILE,
    primary_only,
    protected_counts,
    write_records_table,
)

TITLE = "Reach data quality: for analysts and the database administrator"


def write_reach_quality(results: ReachResults, extract: Extract, geography: Geography,
                        out_dir: Path, *, built_on: dt.date | None = None) -> Path:
    """Write ``reach-quality.xlsx`` into ``out_dir`` and return its path."""
    path = Path(out_dir) / QUALITY_FILE
    built_on = built_on or dt.date.today()
    with saved_workbook(path, TITLE, subject=geography.authority.name) as workbook:
        formats = standard_formats(workbook)
        about = workbook.add_worksheet("About")
        duplicates = workbook.add_worksheet("Likely duplicates")
        services = workbook.add_worksheet("Activities as typed")
        records = workbook.add_worksheet("Attendance records")
        activities, unmapped_total = protected_activity_rows(results, extract, geography)
        _about(about, results, extract, geography, formats, built_on, unmapped_total)
        _duplicates(duplicates, extract, geography, formats)
        _activities(services, activities, formats)
        records.write_string(0, 0, "Attendance records", formats["title"])
        records.write_string(1, 0, f"The rows read are the rows used plus those left out. "
                                   f"{MARKS_NOTE}", formats["note_line"])
        write_records_table(records, 2, results.records, formats, widths=(70, 24))
        records.set_column(0, 0, 70)
        records.set_column(1, 2, 24)
        print_setup(records, "Attendance records", landscape=False)
    return path


def _about(sheet, results: ReachResults, extract: Extract, geography: Geography, formats,
           built_on: dt.date, unmapped_total) -> None:
    sheet.write_string(0, 0, TITLE, formats["title"])
    lines = [f"{geography.authority.name}, whole authority. Attendances in the 12 months to "
             f"{results.as_of:%d/%m/%Y}; built on {built_on:%d/%m/%Y}.",
             "Not for circulation: this workbook lists record ids (keyed pseudonyms) and "
             "activities exactly as typed in the centre database, for correcting the database. "
             "Cluster boards get the reach reports, which count these without listing them.",
             (f"Counts of attendances, children, families and record pairs: {MARKS_NOTE} "
              "Counts of categories and centres are not counts of people and are shown in full.")]
    for row, text in enumerate(lines, start=1):
        sheet.merge_range(row, 0, row, 2, text, formats["note"])
        sheet.set_row(row, 13 * -(-len(text) // 95) + 3)
    people = primary_only([float(len(extract.duplicates)), float(extract.unplaced_families)])
    checks = [["Likely duplicate registrations (pairs)", people[0], "Likely duplicates"],
              ["Activity categories that map to no kind of service",
               len(extract.unmapped_categories), "Activities as typed"],
              ["Attendances at those activities (12 months, in the totals)", unmapped_total,
               "Activities as typed"],
              ["Families whose postcode cannot be placed in an LSOA", people[1], ""],
              ["Centres named in activities but not in the geography",
               len(results.unknown_centres), "Attendance records"]]
    write_table(sheet, 5, 0, ["Check", "Count", "Listed on"], checks, name="T_quality_checks",
                formats=[formats["wrap"], formats["int"], formats["text"]])
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 22)
    print_setup(sheet, "Reach data quality", landscape=False)


def _registered_at(extract: Extract, geography: Geography) -> dict[str, str]:
    """Child pseudonym -> name of the centre the child's family registered at."""
    names = {c.code: c.name for c in geography.at_level(Level.CENTRE)}
    centre = extract.families.drop_duplicates("family").set_index("family")["centre"]
    return {pid: names.get(code, code) for pid, code in
            zip(extract.children["pid"], extract.children["family"].map(centre))
            if isinstance(code, str)}


def _duplicates(sheet, extract: Extract, geography: Geography, formats) -> None:
    at = _registered_at(extract, geography)
    rows = [[p.first, at.get(p.first, ""), p.second, at.get(p.second, ""), p.score,
             ", ".join(p.matched)] for p in extract.duplicates]
    sheet.write_string(0, 0, "Likely duplicate registrations, whole authority", formats["title"])
    sheet.write_string(1, 0, "Same date of birth and similar names (score = 0.8 x name "
                             "similarity, + 20 for a shared postcode). Ids are keyed pseudonyms: "
                             "look them up with the extract key.", formats["note_line"])
    write_table(sheet, 3, 0, ["Record", "Record registered at", "Possible duplicate",
                              "Duplicate registered at",
                              "Score", "Matched on"], rows, name="T_duplicates",
                formats=[formats["text"]] * 4 + [formats["dec1"], formats["text"]])
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 20)
    sheet.set_column(3, 3, 30)
    sheet.set_column(4, 5, 14)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, "Likely duplicates", repeat_rows=(3, 3))


def activity_rows(results: ReachResults, extract: Extract, geography: Geography) -> list[list]:
    """[centre, service as typed, category as typed, provider, kind, attendances, children] for
    every activity of the extract, the unrecognised categories first; 12 months."""
    names = {c.code: c.name for c in geography.at_level(Level.CENTRE)}
    used = results.by_service.groupby(["centre", "service", "provider", "kind"],
                                      sort=False)[["attendances", "children"]].sum()
    categories = extract.activities.groupby(["centre", "service", "provider", "kind"],
                                            sort=False)["category"].agg(
        lambda typed: "; ".join(sorted(set(typed))))
    rows = []
    for (centre, service, provider, kind), typed in categories.items():
        key = (centre, service, provider, kind)
        counts = used.loc[key] if key in used.index else pd.Series({"attendances": 0,
                                                                     "children": 0})
        rows.append([names.get(centre, f"{centre} (not in the geography: left out)"), service,
                     typed, provider, KIND_NAMES.get(kind, "Not classified"),
                     float(counts["attendances"]), float(counts["children"])])
    return sorted(rows, key=lambda r: (r[4] != "Not classified", r[0], r[1], r[2], r[3]))


def protected_activity_rows(results: ReachResults, extract: Extract,
                            geography: Geography) -> tuple[list[list], object]:
    """:func:`activity_rows` with counts suppressed, and the attendances at unrecognised
    activities (the About sheet's total of the not-classified rows' attendances), suppressed
    together with those rows. Children are added up nowhere: only small counts are hidden."""
    rows = activity_rows(results, extract, geography)
    unmapped = results.by_service[results.by_service["kind"] == "unmapped"]
    counts = [r[5] for r in rows] + [float(unmapped["attendances"].sum())]
    relation: Relation = (len(rows), [i for i, r in enumerate(rows) if r[4] == "Not classified"])
    shown = protected_counts(counts, [relation])
    children = primary_only([r[6] for r in rows])
    for r, attendances, child_count in zip(rows, shown, children):
        r[5], r[6] = attendances, child_count
    return rows, shown[-1]


def _activities(sheet, rows: list[list], formats) -> None:
    sheet.write_string(0, 0, "Activities as typed in the centre database", formats["title"])
    sheet.write_string(1, 0, "Categories map to a kind: outreach home visit and outreach event "
                             "to Outreach, on-site session to On-site, commissioned service to "
                             "Commissioned; any other is not classified (listed first). Counts "
                             "are for the last 12 months; the not-classified rows' attendances "
                             f"add up to the total on About. {MARKS_NOTE}", formats["note_line"])
    write_table(sheet, 3, 0, ["Centre", "Service (as typed)", "Category (as typed)", "Provider",
                              "Kind", "Attendances", "Children"], rows, name="T_activities",
                formats=[formats["text"]] * 5 + [formats["int"], formats["int"]])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 3, 26)
    sheet.set_column(4, 6, 13)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, "Activities as typed", repeat_rows=(3, 3))
