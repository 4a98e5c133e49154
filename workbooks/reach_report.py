"""Cluster board reach reports: ``reach-report-<cluster>.xlsx``, one per cluster.

Local 0-4 demographics, services by centre, reach and volume over 12 and 24 months with charts,
ethnicity, target groups and data quality. Counts of 1-4 are suppressed (with a secondary cell)
before anything is written; no name, date of birth, address or postcode is ever available here.
Every text cell is written as a literal string, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xl_profile.models import Area, Geography, Level
from xl_profile.reach.extract import Extract
from xl_profile.reach.measures import WINDOWS, ReachResults
from xl_profile.reach.quality import completeness
from xl_profile.suppression import suppress_series

from .common import cluster_file_name, print_setup, saved_workbook, standard_formats, write_table
from .reach_sheets import write_quality_sheet

SUPPRESSED = "<5"


def report_file_name(cluster_name: str) -> str:
    """``reach-report-<slug>.xlsx``; a trailing word 'cluster' is dropped."""
    return cluster_file_name("reach-report", cluster_name)


def shown_counts(counts: list[float | None], threshold: int = 5) -> list[float | str | None]:
    """Counts with small ones (and a secondary one) replaced by '<5'."""
    hidden = suppress_series([None if c is None else round(c) for c in counts], threshold)
    return [SUPPRESSED if h else c for c, h in zip(counts, hidden)]


def write_reach_reports(results: ReachResults, extract: Extract, geography: Geography,
                        out_dir: Path, *, built_on: dt.date | None = None) -> list[Path]:
    """Write one reach report per cluster; return the paths."""
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
        summary = workbook.add_worksheet("Reach and volume")
        services = workbook.add_worksheet("Services")
        groups = workbook.add_worksheet("Target groups")
        ethnicity = workbook.add_worksheet("Ethnicity")
        new = workbook.add_worksheet("New families")
        dq = workbook.add_worksheet("Data quality")
        _summary(workbook, summary, title, cluster, codes, names, results, formats, built_on)
        _services(services, codes, names, results, formats)
        _groups(workbook, groups, codes, names, results, formats)
        _ethnicity(ethnicity, cluster, results, formats)
        _new_families(workbook, new, codes, names, results, formats)
        write_quality_sheet(dq, codes, names, extract, quality, results, formats)


def _summary(workbook, sheet, title, cluster, codes, names, results: ReachResults, formats,
             built_on) -> None:
    sheet.write_string(0, 0, title, formats["title"])
    sheet.write_string(1, 0, f"12 and 24 months to {results.as_of.isoformat()}. Built on "
                             f"{built_on.isoformat()}. Counts of 1-4 are shown as <5.",
                       formats["note_line"])
    row = 3
    for months in WINDOWS:
        table = results.by_centre[months].reindex(codes)
        sheet.write_string(row, 0, f"Last {months} months", formats["subtitle"])
        headers = ["Centre", "0-4 population (reach area)", "Children reached (reach area)",
                   "Reach %", "Lower 95%", "Upper 95%", "Children seen", "Families seen",
                   "Attendances", "Outreach attendances", "On-site attendances",
                   "Children attending twice or more"]
        rows = [[names[c]] + _row(table, c) for c in codes]
        columns = list(zip(*rows)) if rows else []
        for col in (2, 6, 7, 8, 9, 10, 11):  # counts of people and attendances
            shown = shown_counts(list(columns[col]))
            for r, value in zip(rows, shown):
                r[col] = value
        write_table(sheet, row + 1, 0, headers, rows, name=f"T_reach_{months}m",
                    formats=[None, formats["int"], formats["int"], formats["dec1"],
                             formats["dec1"], formats["dec1"]] + [formats["int"]] * 6)
        sheet.set_row(row + 1, 42, formats["wrap"])
        if months == 12:
            _reach_chart(workbook, sheet, row + 2, len(codes))
        row += len(codes) + 4
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 11, 12)
    print_setup(sheet, title)


def _row(table: pd.DataFrame, code: str) -> list:
    if code not in table.index or table.loc[code].isna().all():
        return [None] * 11
    r = table.loc[code]
    keys = ["population_0_4", "reach_children", "reach_pct", "lower95", "upper95",
            "children_seen", "families_seen", "attendances", "outreach_attendances",
            "on-site_attendances", "repeat_children"]
    return [None if pd.isna(r.get(k)) else float(r.get(k)) for k in keys]


def _reach_chart(workbook, sheet, first_row: int, n: int) -> None:
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
    chart.set_size({"width": 640, "height": 110 + 45 * n})
    sheet.insert_chart(first_row + 2 * n + 8, 0, chart, {
        "description": "Bar chart: % of each centre's reach-area children aged 0-4 seen in the "
                       "last 12 months."})


def _services(sheet, codes, names, results: ReachResults, formats) -> None:
    data = results.by_service[results.by_service["centre"].isin(codes)].copy()
    data["centre_order"] = data["centre"].map({c: i for i, c in enumerate(codes)})
    data = data.sort_values(["centre_order", "service"])
    children = shown_counts([float(v) for v in data["children"]])
    attendances = shown_counts([float(v) for v in data["attendances"]])
    rows = [[names[c], service, provider, kind, a, ch] for (c, service, provider, kind), a, ch in
            zip(data[["centre", "service", "provider", "kind"]].itertuples(index=False),
                attendances, children)]
    sheet.write_string(0, 0, "Services by centre, last 12 months", formats["title"])
    write_table(sheet, 2, 0, ["Centre", "Service", "Provider", "Type", "Attendances", "Children"],
                rows, name="T_services",
                formats=[None, None, None, None, formats["int"], formats["int"]])
    sheet.set_column(0, 2, 30)
    sheet.set_column(3, 5, 13)
    sheet.freeze_panes(3, 0)
    print_setup(sheet, "Services by centre", repeat_rows=(2, 2))


def _groups(workbook, sheet, codes, names, results: ReachResults, formats) -> None:
    data = results.target_groups[results.target_groups["centre"].isin(codes)]
    rows = []
    for label, part in data.groupby("label", sort=False):
        part = part.set_index("centre").reindex(codes)
        reached = shown_counts([float(v) for v in part["reached"]])
        for c, shown in zip(codes, reached):
            r = part.loc[c]
            hidden = shown == SUPPRESSED
            rows.append([label, names[c], shown, _num(r["population"]),
                         None if hidden else _num(r["reach_pct"]),
                         None if hidden else _num(r["lower95"]),
                         None if hidden else _num(r["upper95"]),
                         _group_note(_num(r["reached"]), _num(r["population"]))])
    sheet.write_string(0, 0, "Target groups reached, last 12 months", formats["title"])
    sheet.write_string(1, 0, "Populations are best-fitted estimates for each reach area from the "
                             "profile's data; a blank % has no published population.",
                       formats["note_line"])
    write_table(sheet, 3, 0, ["Group", "Centre", "Reached", "Population (estimate)", "Reach %",
                              "Lower 95%", "Upper 95%", "Note"], rows, name="T_target_groups",
                formats=[None, None, formats["int"], formats["int"], formats["dec1"],
                         formats["dec1"], formats["dec1"], None])
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 6, 12)
    sheet.set_column(7, 7, 26)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, "Target groups", repeat_rows=(3, 3))


def _group_note(reached: float | None, population: float | None) -> str:
    if not population:
        return "no published population"
    if reached is not None and reached > population:
        return "more reached than the population estimate, which is too low"
    return ""


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _ethnicity(sheet, cluster: Area, results: ReachResults, formats) -> None:
    mix = results.ethnicity[results.ethnicity["cluster"] == cluster.code].sort_values(
        "children", ascending=False)
    counts = shown_counts([float(v) for v in mix["children"]])
    total = float(mix["children"].sum()) or 1.0
    rows = [[e, c, None if c == SUPPRESSED else n / total * 100]
            for e, c, n in zip(mix["ethnicity"], counts, mix["children"])]
    sheet.write_string(0, 0, f"Ethnicity of children seen, {cluster.name}, last 12 months",
                       formats["title"])
    write_table(sheet, 2, 0, ["Ethnicity", "Children", "% of children seen"], rows,
                name="T_ethnicity", formats=[None, formats["int"], formats["dec1"]])
    ratio = results.representation.set_index("cluster").loc[cluster.code]
    row = len(rows) + 5
    sheet.write_string(row, 0, "Representation of BME children", formats["subtitle"])
    write_table(sheet, row + 1, 0, ["BME children seen", "Children seen (ethnicity recorded)",
                                    "BME children aged 0-4 (area estimate)", "Children aged 0-4",
                                    "Representation ratio", "Lower 95%", "Upper 95%"],
                [[_num(ratio[k]) for k in ("bme_reached", "recorded_reached", "bme_area",
                                            "area_0_4", "ratio", "lower95", "upper95")]],
                name="T_representation", formats=[formats["int"]] * 4 + [formats["dec2"]] * 3)
    sheet.set_row(row + 1, 30, formats["wrap"])
    sheet.write_string(row + 4, 0, "A ratio above 1 means BME children are a larger share of "
                                   "children seen than of the area's children aged 0-4.",
                       formats["note_line"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 6, 16)
    print_setup(sheet, "Ethnicity")


def _new_families(workbook, sheet, codes, names, results: ReachResults, formats) -> None:
    table = results.new_families.reindex(columns=codes, fill_value=0)
    sheet.write_string(0, 0, "New families a month, last 12 months", formats["title"])
    headers = ["Month"] + [names[c] for c in codes] + ["Cluster"]
    rows = [[month] + shown_counts([int(v) for v in table.loc[month]])
            + [int(table.loc[month].sum())] for month in table.index]
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
    sheet.set_column(0, len(headers), 14)
    print_setup(sheet, "New families")
