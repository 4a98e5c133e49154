"""Cluster board reach reports: ``reach-report-<cluster>.xlsx``, one per cluster.

Local 0-4 demographics, services by centre, reach and volume over 12 and 24 months with charts,
ethnicity, target groups and data quality. Counts of 1-4 are suppressed before anything is written
(shown as ``<5``), and wherever a reader can see a total and its parts anywhere in the workbook
(a centre's attendances and its services, the ethnic groups and the children seen, a month's new
families and the cluster's, the attendance rows read and what became of them) further cells are
hidden (shown as ``hidden``) until no hidden count can be worked out from what is shown. No name,
date of birth, address or postcode is ever available here. Every text cell is written as a
literal string, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xl_profile.models import Area, Geography, Level
from xl_profile.reach.extract import WHITE_BRITISH, Extract
from xl_profile.reach.measures import WINDOWS, ReachResults
from xl_profile.reach.people import NOT_RECORDED
from xl_profile.reach.quality import completeness
from xl_profile.suppression import Relation

from .common import (cluster_file_name, note_across, print_setup, saved_workbook,
                     standard_formats, write_table)
from .reach_sheets import (
    MARKS_NOTE,
    is_hidden,
    primary_only,
    protected_counts,
    write_demographics_sheet,
    write_quality_sheet,
)


def report_file_name(cluster_name: str) -> str:
    """``reach-report-<slug>.xlsx``; a trailing word 'cluster' is dropped."""
    return cluster_file_name("reach-report", cluster_name)


def write_reach_reports(results: ReachResults, extract: Extract, geography: Geography,
                        out_dir: Path, *, built_on: dt.date | None = None) -> list[Path]:
    """Write ``reach-report-<cluster>.xlsx`` for each cluster into ``out_dir``; return the paths.

    Args:
        results: measures from :func:`xl_profile.reach.compute_reach` (or ``run_reach``).
        extract: the privacy-reduced extract the results came from (data-quality section).
        built_on: date printed as the build date (default today).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    quality = completeness(extract.children, extract.carers, extract.families)
    written = []
    for cluster in geography.at_level(Level.CLUSTER):
        path = out_dir / report_file_name(cluster.name)
        centres = geography.children(cluster.code, Level.CENTRE)
        _write(path, cluster, centres, results, extract, quality, geography,
               built_on or dt.date.today())
        written.append(path)
    return written


def _write(path: Path, cluster: Area, centres: list[Area], results: ReachResults,
           extract: Extract, quality: pd.DataFrame, geography: Geography,
           built_on: dt.date) -> None:
    title = f"Children's centre reach report: {cluster.name}"
    codes = [c.code for c in centres]
    names = {c.code: c.name for c in centres}
    with saved_workbook(path, title, subject=geography.authority.name) as workbook:
        formats = standard_formats(workbook)
        demographics = workbook.add_worksheet("Demographics")
        summary = workbook.add_worksheet("Reach and volume")
        services = workbook.add_worksheet("Services")
        groups = workbook.add_worksheet("Target groups")
        ethnicity = workbook.add_worksheet("Ethnicity")
        new = workbook.add_worksheet("New families")
        dq = workbook.add_worksheet("Data quality")
        rows = service_rows(codes, names, results)
        volume, attendances = protected_attendances(codes, names, results, rows)
        for row, shown in zip(rows, attendances):
            row[4] = shown
        write_demographics_sheet(workbook, demographics, codes, names, results, formats)
        _summary(workbook, summary, title, cluster, codes, names, results, formats, built_on,
                 volume)
        _services(services, rows, formats)
        _groups(workbook, groups, codes, names, results, formats)
        _ethnicity(ethnicity, cluster, results, formats)
        _new_families(workbook, new, codes, names, results, formats)
        write_quality_sheet(dq, codes, names, extract, quality, results, formats)


#: The 12-month attendance columns of "Reach and volume" that the Services sheet breaks down.
VOLUME_KEYS = {"attendances": None, "outreach_attendances": "Outreach",
               "on-site_attendances": "On-site"}


def protected_attendances(codes: list[str], names: dict[str, str], results: ReachResults,
                          rows: list[list]) -> tuple[dict[tuple[str, str], object], list]:
    """12-month attendances per centre ("Reach and volume") and per service row ("Services"),
    suppressed together.

    A centre's service rows add up to its attendances, its outreach rows to its outreach
    attendances and its on-site rows to its on-site attendances: each is one relation, so a
    secondary cell is always found within the same centre. Returns ((centre, column) -> shown
    value, the service rows' shown attendances).
    """
    volume = results.by_centre[12].reindex(codes)
    counts: list[float | None] = []
    where: dict[tuple[str, str], int] = {}
    for code in codes:
        for key in VOLUME_KEYS:
            value = volume[key].get(code) if key in volume.columns else None
            where[(code, key)] = len(counts)
            counts.append(None if value is None or pd.isna(value) else float(value))
    first = len(counts)
    counts += [r[4] for r in rows]
    relations: list[Relation] = []
    for code in codes:
        mine = [first + i for i, r in enumerate(rows) if r[0] == names[code]]
        for key, kind in VOLUME_KEYS.items():
            relations.append((where[(code, key)],
                              [i for i in mine if kind is None or rows[i - first][3] == kind]))
    shown = protected_counts(counts, relations)
    return {key: shown[i] for key, i in where.items()}, shown[first:]


def _summary(workbook, sheet, title, cluster, codes, names, results: ReachResults, formats,
             built_on, volume: dict[tuple[str, str], object]) -> None:
    sheet.write_string(0, 0, title, formats["title"])
    note_across(sheet, 1, [30] + [12] * 11,
                f"12 and 24 months to {results.as_of.isoformat()}. Built on "
                f"{built_on.isoformat()}. {MARKS_NOTE} A reach % is blank where the 0-4 "
                "population is missing or incomplete (see Note), or its count is hidden.",
                formats["note"])
    row, table_rows = 3, {}
    for months in WINDOWS:
        table = results.by_centre[months].reindex(codes)
        sheet.write_string(row, 0, f"Last {months} months", formats["subtitle"])
        rows = [[names[c]] + _row(table, c) for c in codes]
        columns = list(zip(*rows)) if rows else []
        # Counts of people and attendances. No total of a column is shown, so only small counts
        # are hidden, except the 12-month attendances, which the Services sheet breaks down.
        for col in (1, 2, 6, 7, 8, 9, 10, 11):
            if months == 12 and col in (8, 9, 10):
                key = list(VOLUME_KEYS)[col - 8]
                shown = [volume[(c, key)] for c in codes]
            else:
                shown = primary_only(list(columns[col]))
            for r, value in zip(rows, shown):
                r[col] = value
        for r in rows:  # a hidden count or population hides its percentage and limits too
            if is_hidden(r[1]) or is_hidden(r[2]):
                r[3:6] = [None, None, None]
        write_table(sheet, row + 1, 0, SUMMARY_HEADERS, rows, name=f"T_reach_{months}m",
                    formats=[None, formats["int"], formats["int"], formats["dec1"],
                             formats["dec1"], formats["dec1"]] + [formats["int"]] * 6 + [None])
        sheet.set_row(row + 1, 42, formats["wrap"])
        table_rows[months] = row + 2
        row += len(codes) + 4
    _reach_chart(workbook, sheet, table_rows[12], len(codes), row + 1)
    _volume_chart(workbook, sheet, table_rows, len(codes), row + 1)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 11, 12)
    sheet.set_column(12, 12, 50)
    sheet.freeze_panes(0, 1)
    print_setup(sheet, title)


SUMMARY_HEADERS = ["Centre", "0-4 population (reach area)", "Children reached (reach area)",
                   "Reach %", "Lower 95%", "Upper 95%", "Children seen", "Families seen",
                   "Attendances", "Outreach attendances", "On-site attendances",
                   "Children attending twice or more", "Note"]


def _row(table: pd.DataFrame, code: str) -> list:
    if code not in table.index:
        return [None] * 11 + [""]
    r = table.loc[code]
    keys = ["population_0_4", "reach_children", "reach_pct", "lower95", "upper95",
            "children_seen", "families_seen", "attendances", "outreach_attendances",
            "on-site_attendances", "repeat_children"]
    note = r.get("reach_note")
    return [None if pd.isna(r.get(k)) else float(r.get(k)) for k in keys] + [
        note if isinstance(note, str) else ""]


def _reach_chart(workbook, sheet, first_row: int, n: int, at_row: int) -> None:
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"name": "Reach % (12 months)",
                      "categories": ["Reach and volume", first_row, 0, first_row + n - 1, 0],
                      "values": ["Reach and volume", first_row, 3, first_row + n - 1, 3],
                      "fill": {"color": "#2E75B6"}, "data_labels": {"value": True,
                                                                   "num_format": "0"}})
    chart.set_title({"name": "Children aged 0-4 reached in the last 12 months, %"})
    chart.set_x_axis({"name": "% of the reach area's children aged 0-4", "min": 0, "max": 100})
    chart.set_y_axis({"name": "Centre", "reverse": True, "interval_unit": 1})
    chart.set_legend({"none": True})
    chart.set_size({"width": 560, "height": 140 + 40 * n})
    sheet.insert_chart(at_row, 0, chart, {
        "description": "Bar chart: % of each centre's reach-area children aged 0-4 seen in the "
                       "last 12 months."})


def _volume_chart(workbook, sheet, table_rows: dict[int, int], n: int, at_row: int) -> None:
    """Outreach and on-site attendances per centre, 12 and 24 months side by side."""
    chart = workbook.add_chart({"type": "column"})
    colours = {(12, 9): "#2E75B6", (12, 10): "#9DC3E6", (24, 9): "#C55A11", (24, 10): "#F4B183"}
    for months, first in table_rows.items():
        for col, label in ((9, "Outreach"), (10, "On-site")):
            chart.add_series({"name": f"{label}, {months} months",
                              "categories": ["Reach and volume", first, 0, first + n - 1, 0],
                              "values": ["Reach and volume", first, col, first + n - 1, col],
                              "fill": {"color": colours[(months, col)]}})
    chart.set_title({"name": "Attendances: outreach and on-site"})
    chart.set_x_axis({"name": "Centre"})
    chart.set_y_axis({"name": "Attendances", "min": 0, "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 140 + 40 * n})
    sheet.insert_chart(at_row, 5, chart, {
        "description": "Column chart: outreach and on-site attendances per centre over the last "
                       "12 and 24 months."})


#: How each kind of activity is named to boards (the extract's categories map to these).
KIND_NAMES = {"outreach": "Outreach", "on-site": "On-site", "commissioned": "Commissioned"}
UNMAPPED_ROW = "Activities of an unrecognised category"


def service_rows(codes: list[str], names: dict[str, str], results: ReachResults) -> list[list]:
    """Rows [centre, service, provider, type, attendances, children] for the board, last 12
    months: services whose category maps to a kind, by name; then, per centre, one row counting
    the attendances and children at activities whose category maps to none (not listed by name).
    """
    data = results.by_service[results.by_service["centre"].isin(codes)
                              & results.by_service["kind"].isin(list(KIND_NAMES))].copy()
    data["centre_order"] = data["centre"].map({c: i for i, c in enumerate(codes)})
    data = data.sort_values(["centre_order", "service", "provider"])
    rows = [[names[c], service, provider, KIND_NAMES[kind], float(a), float(ch)]
            for c, service, provider, kind, a, ch in data[
                ["centre", "service", "provider", "kind", "attendances", "children"]
            ].itertuples(index=False)]
    volume = results.by_centre[12]
    for code in codes:
        count = volume["unmapped_attendances"].get(code, 0) if len(volume) else 0
        if count:
            at = max((i for i, r in enumerate(rows) if r[0] == names[code]), default=len(rows) - 1)
            rows.insert(at + 1, [names[code], UNMAPPED_ROW, "", "Not classified", float(count),
                                 float(volume["unmapped_children"].get(code, 0))])
    return rows


def _services(sheet, rows: list[list], formats) -> None:
    """``rows`` from :func:`service_rows` with attendances already suppressed
    (:func:`protected_attendances`). Children are not added up anywhere (a child may come to
    several services), so only their small counts are hidden."""
    for r, shown in zip(rows, primary_only([r[5] for r in rows])):
        r[5] = shown
    unmapped = [r for r in rows if r[1] == UNMAPPED_ROW]
    sheet.write_string(0, 0, "Services by centre, last 12 months", formats["title"])
    note = ("Type: outreach (home visits and events), on-site sessions or commissioned "
            "services. A centre's attendances here add up to its attendances on Reach and volume "
            f"(12 months). {MARKS_NOTE} " + (
                f"{len(unmapped)} centre(s) also ran activities whose category in the database "
                f"is none of these: each centre's are counted in one row ({UNMAPPED_ROW.lower()})"
                f" and included in its totals; analysts find them by name in reach-quality.xlsx."
                if unmapped else "Every activity's category is recognised."))
    sheet.merge_range(1, 0, 1, 5, note, formats["note"])
    sheet.set_row(1, 13 * max(1, -(-len(note) // 120)) + 2)
    write_table(sheet, 2, 0, ["Centre", "Service", "Provider", "Type", "Attendances", "Children"],
                rows, name="T_services",
                formats=[formats["text"]] * 4 + [formats["int"], formats["int"]])
    sheet.set_column(0, 2, 30)
    sheet.set_column(3, 5, 13)
    sheet.freeze_panes(3, 0)
    print_setup(sheet, "Services by centre", repeat_rows=(2, 2))


def _groups(workbook, sheet, codes, names, results: ReachResults, formats) -> None:
    data = results.target_groups[results.target_groups["centre"].isin(codes)]
    rows = []
    for label, part in data.groupby("label", sort=False):
        part = part.set_index("centre").reindex(codes)
        # No total of a group over the centres is shown: only small counts are hidden.
        reached = primary_only([_num(v) for v in part["reached"]])
        populations = primary_only([_num(v) for v in part["population"]])
        for c, shown, population in zip(codes, reached, populations):
            r = part.loc[c]
            hidden = is_hidden(shown) or is_hidden(population)
            rows.append([label, names[c], shown, population,
                         None if hidden else _num(r["reach_pct"]),
                         None if hidden else _num(r["lower95"]),
                         None if hidden else _num(r["upper95"]),
                         r["note"] if isinstance(r["note"], str) else ""])
    sheet.write_string(0, 0, "Target groups reached, last 12 months", formats["title"])
    sheet.write_string(1, 0, "Populations are best-fitted estimates for each reach area from the "
                             "profile's data; a blank % has no complete published population "
                             "(the note says why) or a hidden count. Counts of 1-4 are shown as "
                             "<5.", formats["note_line"])
    write_table(sheet, 3, 0, ["Group", "Centre", "Reached", "Population (estimate)", "Reach %",
                              "Lower 95%", "Upper 95%", "Note"], rows, name="T_target_groups",
                formats=[None, None, formats["int"], formats["int"], formats["dec1"],
                         formats["dec1"], formats["dec1"], None])
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 6, 12)
    sheet.set_column(7, 7, 50)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, "Target groups", repeat_rows=(3, 3))


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _ethnicity(sheet, cluster: Area, results: ReachResults, formats) -> None:
    mix = results.ethnicity[results.ethnicity["cluster"] == cluster.code].sort_values(
        ["children", "ethnicity"], ascending=[False, True])
    ratio = results.representation.set_index("cluster").loc[cluster.code]
    shown, hidden = ethnicity_counts(list(mix["ethnicity"]), [float(v) for v in mix["children"]],
                                     _num(ratio["recorded_reached"]), _num(ratio["bme_reached"]))
    n = len(mix)
    # A percentage of a known total (or a ratio using the recorded total) gives its count away.
    no_share, no_ratio = hidden[n], hidden[n + 1]
    total = float(mix["children"].sum()) or 1.0
    area_total = float(mix["area_0_4"].fillna(0).sum()) if "area_0_4" in mix else 0.0
    rows = []
    for i, (_, r) in enumerate(mix.iterrows()):
        area = _num(r.get("area_0_4"))
        rows.append([r["ethnicity"], shown[i],
                     None if hidden[i] or no_share else r["children"] / total * 100,
                     None if area is None or not area_total else area / area_total * 100]
                    + [None if hidden[i] or no_ratio else _num(r.get(k))
                       for k in ("ratio", "lower95", "upper95")])
    sheet.write_string(0, 0, f"Ethnicity of children seen, {cluster.name}, last 12 months",
                       formats["title"])
    note_across(sheet, 1, [30] + [16] * 6,
                "Area shares and ratios appear where the area's 0-4 population by ethnic group "
                "was supplied; ratio = share among children seen / share of the area's children "
                "(Katz 95% limits). The groups add up to the children seen, and all but Not "
                f"recorded to those with ethnicity recorded. {MARKS_NOTE} A hidden count's % and "
                "ratio are blank." + (" The number of children seen would give a hidden count "
                                      "away, so every % of children seen is blank."
                                      if no_share else ""), formats["note"])
    write_table(sheet, 2, 0, ["Ethnicity", "Children", "% of children seen", "% of area 0-4",
                              "Representation ratio", "Lower 95%", "Upper 95%"], rows,
                name="T_ethnicity", formats=[None, formats["int"], formats["dec1"],
                                             formats["dec1"]] + [formats["dec2"]] * 3)
    sheet.set_row(2, 30, formats["wrap"])
    row = len(rows) + 5
    sheet.write_string(row, 0, "Representation of BME children", formats["subtitle"])
    withheld = hidden[n + 1] or hidden[n + 2]
    write_table(sheet, row + 1, 0, ["BME children seen", "Children seen (ethnicity recorded)",
                                    "BME children aged 0-4 (area estimate)", "Children aged 0-4",
                                    "Representation ratio", "Lower 95%", "Upper 95%"],
                [[shown[n + 2], shown[n + 1], _num(ratio["bme_area"]),
                  _num(ratio["area_0_4"])] + [None if withheld else _num(ratio[k])
                                              for k in ("ratio", "lower95", "upper95")]],
                name="T_representation", formats=[formats["int"]] * 4 + [formats["dec2"]] * 3)
    sheet.set_row(row + 1, 30, formats["wrap"])
    sheet.write_string(row + 4, 0, "A ratio above 1 means BME children are a larger share of "
                                   "children seen than of the area's children aged 0-4.",
                       formats["note_line"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 6, 16)
    sheet.freeze_panes(3, 1)
    print_setup(sheet, "Ethnicity", repeat_rows=(2, 2))


def ethnicity_counts(labels: list[str], children: list[float], recorded: float | None,
                     bme: float | None) -> tuple[list, list[bool]]:
    """Suppressed counts of the ethnicity table: the groups' counts, then the children seen (which
    the percentages give away), those with ethnicity recorded and the BME children seen.

    Three totals can be seen: every group adds up to the children seen; all but Not recorded to
    those recorded; the groups other than White British and Not recorded to the BME children.
    Returns (shown values, hidden flags), in that order.
    """
    n = len(children)
    counts = children + [float(sum(children)), recorded, bme]
    recorded_rows = [i for i, label in enumerate(labels) if label != NOT_RECORDED]
    relations = [(n, list(range(n))), (n + 1, recorded_rows),
                 (n + 2, [i for i in recorded_rows if labels[i].lower() not in WHITE_BRITISH])]
    shown = protected_counts(counts, relations)
    return shown, [is_hidden(v) for v in shown]


def _new_families(workbook, sheet, codes, names, results: ReachResults, formats) -> None:
    table = results.new_families.reindex(columns=codes, fill_value=0)
    sheet.write_string(0, 0, "New families a month, last 12 months", formats["title"])
    note_across(sheet, 1, [14] * (len(codes) + 2),
                f"Each month's centres add up to the cluster. {MARKS_NOTE}", formats["note"])
    headers = ["Month"] + [names[c] for c in codes] + ["Cluster"]
    n = len(codes)
    rows = [[month] + protected_counts([int(v) for v in table.loc[month]] + [int(total)],
                                       [(n, list(range(n)))])
            for month, total in zip(table.index, table.sum(axis=1))]
    write_table(sheet, 2, 0, headers, rows, name="T_new_families",
                formats=[None] + [formats["int"]] * (len(codes) + 1))
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"name": "New families (cluster)",
                      "categories": ["New families", 3, 0, 2 + len(rows), 0],
                      "values": ["New families", 3, len(codes) + 1, 2 + len(rows), len(codes) + 1],
                      "marker": {"type": "circle"}})
    chart.set_title({"name": "New families a month"})
    chart.set_x_axis({"name": "Month of first attendance"})
    chart.set_y_axis({"name": "Families", "min": 0})
    chart.set_legend({"none": True})
    sheet.insert_chart(len(rows) + 5, 0, chart, {"description": "Line chart of new families a "
                                                                 "month in the cluster."})
    sheet.set_row(2, 30, formats["wrap"])
    sheet.set_column(0, len(headers), 14)
    sheet.freeze_panes(3, 1)
    print_setup(sheet, "New families", repeat_rows=(2, 2))
    sheet.fit_to_pages(1, 1)  # twelve months and their chart: one page, never a split chart
