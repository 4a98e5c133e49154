"""The data-quality sheet of the reach report: why figures may be low."""

from __future__ import annotations

import pandas as pd

from xl_profile.reach.extract import Extract
from xl_profile.reach.measures import ReachResults

from .common import print_setup, write_table

LOW_COMPLETENESS = 80.0
NEW_CENTRE_MONTHS = 12


def explanations(code: str, row: pd.Series, first_seen: pd.Timestamp | None,
                 as_of: pd.Timestamp) -> list[str]:
    """Plain reasons why a centre's figures may be low, from its completeness measures."""
    reasons = []
    weak = [field for field, share in row.items() if share < LOW_COMPLETENESS]
    if len(weak) >= 3:
        reasons.append("several fields under 80% complete: staff may need training in "
                       "recording, or there is a backlog of forms to enter")
    elif weak:
        reasons.append(f"{', '.join(weak).lower()} under 80% complete: target-group reach is "
                       f"undercounted")
    if first_seen is not None and (as_of - first_seen).days < NEW_CENTRE_MONTHS * 30.5:
        reasons.append("new centre: under a year of activity, so 12-month reach is still building")
    return reasons


def write_quality_sheet(sheet, codes: list[str], names: dict[str, str], extract: Extract,
                        quality: pd.DataFrame, results: ReachResults, formats) -> None:
    """Completeness per centre with explanations, plus extract-wide checks."""
    sheet.write_string(0, 0, "Data quality", formats["title"])
    sheet.write_string(1, 0, "Share of records with each field filled in (%), by registering "
                             "centre, and what that means for the figures.", formats["note_line"])
    att = extract.attendances.merge(extract.activities[["activity_id", "centre"]], on="activity_id")
    first = att.groupby("centre")["date"].min()
    as_of = pd.Timestamp(results.as_of)
    fields = list(quality.columns)
    rows = []
    for code in codes:
        row = quality.loc[code] if code in quality.index else pd.Series(dtype=float)
        reasons = explanations(code, row, first.get(code), as_of)
        rows.append([names[code]] + [None if pd.isna(row.get(f)) else float(row.get(f))
                                     for f in fields] + ["; ".join(reasons) or "no concerns"])
    write_table(sheet, 3, 0, ["Centre"] + fields + ["Why figures may be low"], rows,
                name="T_completeness",
                formats=[None] + [formats["dec1"]] * len(fields) + [formats["wrap"]])
    sheet.set_row(3, 30, formats["wrap"])
    row = len(rows) + 6
    sheet.write_string(row, 0, "Across the whole extract", formats["subtitle"])
    checks = [["Likely duplicate registrations (same date of birth, similar name) for review",
               len(extract.duplicates)],
              ["Families whose postcode cannot be placed in an LSOA (out of area or missing)",
               extract.unplaced_families],
              ["Activity categories that do not map to outreach / on-site / commissioned",
               len(extract.unmapped_categories)]]
    write_table(sheet, row + 1, 0, ["Check", "Count"], checks, name="T_extract_checks",
                formats=[formats["wrap"], formats["int"]])
    if extract.unmapped_categories:
        sheet.write_string(row + 6, 0, "Unmapped categories: " +
                           ", ".join(extract.unmapped_categories), formats["note_line"])
    row += 8
    sheet.write_string(row, 0, "Likely duplicates for the database administrator to review "
                               "(pseudonymous ids: look them up with the extract key)",
                       formats["subtitle"])
    pairs = [[p.first, p.second, p.score, ", ".join(p.matched)] for p in extract.duplicates]
    write_table(sheet, row + 1, 0, ["Record", "Possible duplicate", "Score", "Matched on"],
                pairs, name="T_duplicates", formats=[None, None, formats["dec1"], None])
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, len(fields), 12)
    sheet.set_column(len(fields) + 1, len(fields) + 1, 60)
    print_setup(sheet, "Data quality")
