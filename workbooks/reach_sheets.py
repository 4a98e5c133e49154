"""Sheets of the reach report: local 0-4 demographics, and data quality (why figures may be low)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from xl_profile.reach.extract import Extract
from xl_profile.reach.measures import GROUPS, ReachResults
from xl_profile.reach.quality import EXCLUSIONS, RecordCounts
from xl_profile.suppression import Relation, suppress_related

from .common import note_across, print_setup, write_table

#: The analysts' workbook of record-level data-quality lists, written beside the reach reports.
QUALITY_FILE = "reach-quality.xlsx"

LOW_COMPLETENESS = 80.0
NEW_CENTRE_MONTHS = 12
#: The last 3 months below this share of the 9 before suggest registers not yet entered.
BACKLOG_SHARE = 0.5


#: What a count of 1-4 shows (primary suppression).
SUPPRESSED = "<5"
#: What a count shows that is hidden only so that a count of 1-4 cannot be worked out from a
#: total (secondary suppression). The count itself is not small, so it never shows as "<5".
SECONDARY = "hidden"
#: The sheets' explanation of the two marks.
MARKS_NOTE = (f"{SUPPRESSED} marks a count of 1-4; '{SECONDARY}' marks a count that is not small, "
              "hidden so that a count of 1-4 cannot be worked out from a total shown in this "
              "workbook.")

def protected_counts(counts: Sequence[float | None], relations: Sequence[Relation] = (),
                     threshold: int = 5) -> list[float | str | None]:
    """Counts with the small ones shown as '<5' and the secondary ones as 'hidden'."""
    primary, secondary = suppress_related(counts, relations, threshold)
    return [SUPPRESSED if p else SECONDARY if s else c
            for c, p, s in zip(counts, primary, secondary)]


def is_hidden(value: object) -> bool:
    """True for a cell shown as '<5' or 'hidden'."""
    return isinstance(value, str) and value in (SUPPRESSED, SECONDARY)


def primary_only(values: Sequence[float | None]) -> list[float | str | None]:
    """Counts of 1-4 shown as '<5': for counts that add up to no total shown anywhere."""
    return protected_counts(values)


def explanations(code: str, row: pd.Series, first_seen: pd.Timestamp | None,
                 as_of: pd.Timestamp, monthly: pd.Series | None = None) -> list[str]:
    """Plain reasons why a centre's figures may be low, from its completeness and activity.

    Args:
        row: field -> % complete for the centre.
        first_seen: the centre's first recorded attendance.
        monthly: attendances a month over the 12 months to ``as_of`` (oldest first).
    """
    reasons = []
    weak = [field for field, share in row.items() if share < LOW_COMPLETENESS]
    if len(weak) >= 3:
        reasons.append("several fields under 80% complete: staff may need training in "
                       "recording, or registration forms are only partly entered")
    elif weak:
        reasons.append(f"{', '.join(weak).lower()} under 80% complete: target-group reach is "
                       f"undercounted")
    if first_seen is not None and (as_of - first_seen).days < NEW_CENTRE_MONTHS * 30.5:
        reasons.append("new centre: under a year of activity, so 12-month reach is still building")
    elif monthly is not None and len(monthly) == 12 and monthly.iloc[:9].mean() > 0:
        recent, before = monthly.iloc[9:].mean(), monthly.iloc[:9].mean()
        if recent < BACKLOG_SHARE * before:
            reasons.append(f"the last 3 months average {recent:.0f} attendances a month against "
                           f"{before:.0f} before: probably a backlog of registers to enter")
    return reasons


def _monthly(extract: Extract, as_of: pd.Timestamp) -> pd.DataFrame:
    """Attendances a month per centre over the 12 months to ``as_of`` (months x centres)."""
    att = extract.attendances[["date", "activity_id"]].merge(
        extract.activities[["activity_id", "centre"]], on="activity_id")
    months = pd.period_range(end=as_of, periods=12, freq="M")
    att = att[att["date"].dt.to_period("M").isin(months)]
    table = att.groupby([att["date"].dt.to_period("M"), "centre"], observed=True).size()
    return table.unstack(fill_value=0).reindex(months, fill_value=0)


def write_quality_sheet(sheet, codes: list[str], names: dict[str, str], extract: Extract,
                        quality: pd.DataFrame, results: ReachResults, formats) -> None:
    """Completeness per centre with explanations, extract-wide checks and the attendance
    account, with counts of records suppressed like every other count of the report."""
    sheet.write_string(0, 0, "Data quality", formats["title"])
    sheet.write_string(1, 0, "Share of records with each field filled in (%), by registering "
                             "centre, and what that means for the figures.", formats["note_line"])
    att = extract.attendances.merge(extract.activities[["activity_id", "centre"]], on="activity_id")
    first = att.groupby("centre")["date"].min()
    as_of = pd.Timestamp(results.as_of)
    monthly = _monthly(extract, as_of)
    fields = list(quality.columns)
    rows = []
    for code in codes:
        row = quality.loc[code] if code in quality.index else pd.Series(dtype=float)
        reasons = explanations(code, row, first.get(code), as_of,
                               monthly.get(code))
        rows.append([names[code]] + [None if pd.isna(row.get(f)) else float(row.get(f))
                                     for f in fields] + ["; ".join(reasons) or "no concerns"])
    write_table(sheet, 3, 0, ["Centre"] + fields + ["Why figures may be low"], rows,
                name="T_completeness",
                formats=[formats["text"]] + [formats["dec1"]] * len(fields) + [formats["wrap"]])
    sheet.set_row(3, 30, formats["wrap"])
    for r, cells in enumerate(rows, start=4):
        sheet.set_row(r, 15 * max(1, -(-len(cells[-1]) // 70)))  # wrapped reasons need lines
    row = len(rows) + 6
    sheet.write_string(row, 0, "Checks (the rest across the whole extract)",
                       formats["subtitle"])
    # Pairs of records and families are counts of people: small ones are hidden. Categories and
    # centres are not people and are counted in full.
    people = primary_only([float(len(duplicates_at(extract, set(codes)))),
                           float(extract.unplaced_families)])
    checks = [[("Likely duplicate registrations at these centres (same date of birth, similar "
                "name)"), people[0]],
              ["Families whose postcode cannot be placed in an LSOA (out of area or missing)",
               people[1]],
              ["Activity categories that do not map to outreach / on-site / commissioned",
               len(extract.unmapped_categories)],
              [("Centres named in activities but not in the geography (their attendances are "
                "left out: see below)"), len(results.unknown_centres)]]
    write_table(sheet, row + 1, 0, ["Check", "Count"], checks, name="T_extract_checks",
                formats=[formats["wrap"], formats["int"]])
    for r in range(row + 2, row + 2 + len(checks)):
        sheet.set_row(r, 28)
    note_across(sheet, row + 7, [44, 18] + [12] * (len(fields) - 1),
                f"The records behind these counts (duplicate pairs, "
                f"activities as typed in the database) are listed for analysts in "
                f"{QUALITY_FILE}, which is not for circulation. Counts of pairs, families and "
                f"attendance rows: {MARKS_NOTE}", formats["note"])
    write_records_table(sheet, row + 9, results.records, formats)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, len(fields), 12)
    sheet.set_column(len(fields) + 1, len(fields) + 1, 60)
    print_setup(sheet, "Data quality")
    sheet.fit_to_pages(1, 1)  # one page: a board reads the account of records whole


def record_rows(records: RecordCounts) -> list[list]:
    """Rows of the attendance account: read, each reason left out, used, and of those used the
    rows counted in volume only (family in no reach area). Used + left out = read."""
    rows: list[list] = [["Attendance rows read from the extract", records.read, ""]]
    rows += [[f"Left out: {reason}", records.excluded.get(reason, 0), "every figure"]
             for reason in EXCLUSIONS if reason in records.excluded]
    rows.append(["Used", records.used, ""])
    rows += [[f"Of those used: {reason}", count, "reach (still counted in volume)"]
             for reason, count in records.not_placed.items()]
    return rows


def protected_record_rows(records: RecordCounts) -> list[list]:
    """The attendance account (:func:`~workbooks.reach_sheets.record_rows`) with its counts
    suppressed: the rows read are the rows used plus those left out for each reason."""
    rows = record_rows(records)
    parts = [i for i, r in enumerate(rows) if r[0] == "Used" or r[0].startswith("Left out: ")]
    shown = protected_counts([float(r[1]) for r in rows], [(0, parts)])
    return [[label, value, where] for (label, _count, where), value in zip(rows, shown)]


def write_records_table(sheet, row: int, records: RecordCounts | None, formats,
                        widths: tuple[int, int] = (44, 12)) -> int:
    """The attendance account (whole extract), from ``row``, suppressed; returns the next free
    row. ``widths``: characters in the first and third columns, for rows tall enough to wrap."""
    if records is None:
        return row
    sheet.write_string(row, 0, "Attendance records: what was read, left out (and why) and used",
                       formats["subtitle"])
    rows = protected_record_rows(records)
    write_table(sheet, row + 1, 0, ["Attendance rows", "Count", "Left out of"], rows,
                name="T_attendance_records",
                formats=[formats["wrap"], formats["int"], formats["wrap"]])
    for r, (label, _count, where) in enumerate(rows, start=row + 2):
        lines = max(-(-len(label) // widths[0]), -(-len(where) // widths[1]), 1)
        sheet.set_row(r, 13 * lines + 2)
    return row + len(rows) + 4


def duplicates_at(extract: Extract, centres: set[str]) -> list:
    """Likely duplicate pairs where either child's family registered at one of ``centres``."""
    centre = extract.families.drop_duplicates("family").set_index("family")["centre"]
    child_centre = dict(zip(extract.children["pid"], extract.children["family"].map(centre)))
    return [p for p in extract.duplicates
            if child_centre.get(p.first) in centres or child_centre.get(p.second) in centres]


def _shown(values: list[float | None]) -> list[float | str | None]:
    """A column of centres' populations: no total of them is shown, so only 1-4 is hidden."""
    return primary_only([None if v is None else float(round(v)) for v in values])


def write_demographics_sheet(workbook, sheet, codes: list[str], names: dict[str, str],
                             results: ReachResults, formats) -> None:
    """Each centre's reach-area populations (0-4 and target groups), with a chart."""
    sheet.write_string(0, 0, "Local 0-4 demographics", formats["title"])
    note_across(sheet, 1, [30] + [13] * len(GROUPS),
                "Estimated populations of each centre's reach area (best fit of published "
                "small-area figures); blank where none is published or part of the reach area "
                f"has no figure. {MARKS_NOTE}", formats["note"])
    groups = list(GROUPS)
    columns = []
    for group in groups:
        values = [results.populations.get(code, {}).get(group) for code in codes]
        columns.append(_shown([None if v is None else float(v) for v in values]))
    rows = [[names[code]] + [column[i] for column in columns] for i, code in enumerate(codes)]
    headers = ["Centre"] + [GROUPS[g][0] for g in groups]
    write_table(sheet, 3, 0, headers, rows, name="T_demographics",
                formats=[None] + [formats["int"]] * len(groups))
    sheet.set_row(3, 42, formats["wrap"])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"name": "Children aged 0-4",
                      "categories": [sheet.name, 4, 0, 3 + len(codes), 0],
                      "values": [sheet.name, 4, 1, 3 + len(codes), 1],
                      "fill": {"color": "#2E75B6"}})
    chart.set_title({"name": "Children aged 0-4 in each reach area"})
    chart.set_x_axis({"name": "Centre"})
    chart.set_y_axis({"name": "Children aged 0-4", "min": 0, "num_format": "#,##0"})
    chart.set_legend({"none": True})
    sheet.insert_chart(len(codes) + 6, 0, chart, {
        "description": "Column chart of the estimated number of children aged 0-4 in each "
                       "centre's reach area."})
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, len(groups), 13)
    sheet.freeze_panes(4, 1)
    print_setup(sheet, "Local 0-4 demographics", repeat_rows=(3, 3))
