"""Cover, centres, data quality and chart-data sheets of the cluster profile."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

from xl_profile.layout import NOTE_WORDS, ClusterLayout, display_name, modal_year, quality_flags
from xl_profile.models import Unit
from xl_profile.profile import ProfileData
from xl_profile.stats import Comparison

from .common import print_setup, write_table, write_value
from .maps import insert_cluster_map

DARK = {Comparison.WORSE, Comparison.WORST, Comparison.LOWER, Comparison.BEST}


def comparison_formats(workbook: Workbook) -> dict:
    """One cell format per comparison: Fingertips colour, with readable text on it."""
    return {f"cmp_{c.name}": workbook.add_format({
        "font_name": "Calibri", "font_size": 10, "bg_color": c.colour, "border": 1,
        "border_color": "#FFFFFF", "font_color": "#FFFFFF" if c in DARK else "#000000"})
        for c in Comparison}


def highlight_formats(workbook: Workbook, colours: list[str]) -> dict:
    """Bold white text on each highlight colour, for the cluster's ward names."""
    return {f"hl_{c}": workbook.add_format({"font_name": "Calibri", "font_size": 10, "bold": True,
                                            "bg_color": c, "font_color": "#FFFFFF"})
            for c in colours}


def write_chart_data_sheet(sheet, layout: ClusterLayout, formats) -> dict[str, int]:
    """Area values, whisker lengths (as formulas) and the authority line for every area chart.

    Returns the first data row (0-based) of each indicator.
    """
    headers = ["Indicator", "Area", "Value", "Lower 95%", "Upper 95%", "Whisker up",
               "Whisker down", "Authority"]
    rows_at: dict[str, int] = {}
    row = 1
    for block in layout.blocks:
        rows_at[block.result.definition.id] = row
        for area in block.areas:
            sheet.write_string(row, 0, block.result.definition.id)
            sheet.write_string(row, 1, display_name(area))
            for col, v in enumerate((area.value, area.lower95, area.upper95), start=2):
                write_value(sheet, row, col, v, formats["dec2"])
            _whisker(sheet, row, 5, upper=True, area=area)
            _whisker(sheet, row, 6, upper=False, area=area)
            write_value(sheet, row, 7, block.result.authority.value, formats["dec2"])
            row += 1
    sheet.add_table(0, 0, max(row - 1, 1), len(headers) - 1, {
        "name": "T_chart_data", "style": "Table Style Light 1", "autofilter": False,
        "columns": [{"header": h} for h in headers]})
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 7, 11)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, f"Chart data: {layout.cluster.name}", repeat_rows=(0, 0))
    return rows_at


def _whisker(sheet, row: int, col: int, *, upper: bool, area) -> None:
    """Whisker length as a native formula with its cached result (0 where no limits exist)."""
    value, limit = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, 4 if upper else 3)
    diff = f"{limit}-{value}" if upper else f"{value}-{limit}"
    cached = 0.0
    if area.value is not None and area.lower95 is not None:
        cached = (area.upper95 - area.value) if upper else (area.value - area.lower95)
    sheet.write_formula(row, col, f"=IF(AND(ISNUMBER({value}),ISNUMBER({limit})),{diff},0)",
                        None, cached)


def write_cover(sheet, layout: ClusterLayout, profile: ProfileData, formats,
                anchors: dict[str, tuple[str, int]], built_on: dt.date, spatial=None) -> None:
    """Title, facts about the cluster, how to read it, and a linked contents table."""
    results = [b.result for b in layout.blocks]
    periods = sorted(r.period for r in results)
    dates = sorted(d for r in results for d in r.data_dates)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 3, 14)
    sheet.write_string(0, 0, f"{layout.template.title}: {layout.cluster.name}", formats["title"])
    facts = [("Authority", profile.geography.authority.name),
             ("Cluster", layout.cluster.name),
             ("Wards", ", ".join(w.name for w in layout.wards)),
             ("Children's centres", ", ".join(c.name for c in layout.centres)),
             ("Period covered", f"{periods[0]} to {periods[-1]}" if periods else "no data"),
             ("Date of data", f"{dates[0]} to {dates[-1]}" if dates else "not stated"),
             ("Built on", built_on.isoformat())]
    for i, (label, text) in enumerate(facts, start=2):
        sheet.write_string(i, 0, label, formats["bold"])
        sheet.write_string(i, 1, text, formats["wrap"])
        sheet.set_row(i, 13.5 * _lines(text, 44))
    row = len(facts) + 3
    row = insert_cluster_map(sheet, row, 0, profile, spatial, layout.cluster.code,
                             year=built_on.year, formats=formats)  # or one line: no boundaries
    sheet.write_string(row, 0, "How to read this profile", formats["subtitle"])
    sheet.merge_range(row + 1, 0, row + 1, 3, layout.template.how_to_read, formats["wrap"])
    sheet.set_row(row + 1, 13.5 * _lines(layout.template.how_to_read, 100))
    row += 3
    sheet.write_string(row, 0, "Contents", formats["subtitle"])
    _contents(sheet, row + 1, layout, formats, anchors)
    print_setup(sheet, f"{layout.template.title}: {layout.cluster.name}", landscape=False)


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs (spreadsheets do not grow rows written by a generator)."""
    return max(1, -(-len(text) // width))


def _contents(sheet, row: int, layout: ClusterLayout, formats, anchors) -> None:
    entries = [(section.value, b.result.definition.title, b.result.period,
                anchors[b.result.definition.id])
               for section, blocks in layout.sections for b in blocks]
    entries += [("Centres", "Centre values beside the cluster and authority", "", ("Centres", 0)),
                ("Quality", "Data sources and quality (Table 1)", "",
                 ("Data sources and quality", 0))]
    write_table(sheet, row, 0, ["Section", "Indicator", "Period", "Go to"],
                [[s, t, p, None] for s, t, p, _ in entries], name="T_contents")
    for i, (_s, _t, _p, (target, target_row)) in enumerate(entries, start=row + 1):
        sheet.write_url(i, 3, f"internal:'{target}'!A{target_row + 1}", formats["link"],
                        string="Go to")


def write_centres_sheet(sheet, layout: ClusterLayout, profile: ProfileData, formats) -> None:
    """Each centre's best-fitted values beside the cluster, authority and England."""
    geography = profile.geography
    sheet.write_string(0, 0, f"Children's centres in {layout.cluster.name}", formats["title"])
    any_result = next(iter(profile.results.values()), None)
    fit = {c.code: c.fit_quality for c in any_result.centres} if any_result else {}
    write_table(sheet, 2, 0, ["Centre", "Code", "Small areas in reach area", "Fit quality"],
                [[c.name, c.code, len(geography.members_of(c.code)), fit.get(c.code)]
                 for c in layout.centres], name="T_centre_list",
                formats=[None, None, formats["int"], formats["dec2"]])
    top = len(layout.centres) + 5
    headers = ["Section", "Indicator", "Unit"]
    for c in layout.centres:
        headers += [c.name, f"{c.name}: vs authority"]
    headers += [f"{layout.cluster.name} cluster", "Authority", "England"]
    rows = []
    for section, blocks in layout.sections:
        for b in blocks:
            r = b.result
            centres = {c.code: c for c in r.centres}
            row = [section.value, r.definition.title, _unit_text(r.definition)]
            for c in layout.centres:
                res = centres.get(c.code)
                row += [res.value if res else None, _comparison_text(res) if res else ""]
            cluster = next((c for c in r.clusters if c.code == layout.cluster.code), None)
            row += [cluster.value if cluster else None, r.authority.value,
                    r.england.value if r.england else None]
            rows.append(row)
    write_table(sheet, top, 0, headers, rows, name="T_centre_spine")
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(headers), 13)
    sheet.freeze_panes(top + 1, 2)
    print_setup(sheet, f"Centres: {layout.cluster.name}", repeat_rows=(top, top))


def _comparison_text(area) -> str:
    """The comparison, or why there is none (a withheld or estimated figure is not compared)."""
    word = NOTE_WORDS.get(area.note) if area.note is not None else None
    if not area.comparable and word:
        return f"– {word}, not compared"
    return f"{area.comparison.symbol} {area.comparison.label}"


def _unit_text(definition) -> str:
    if definition.unit is Unit.RATE:
        return f"rate per {definition.multiplier:,.0f}"
    return definition.unit.value


def write_quality_sheet(sheet, layout: ClusterLayout, profile: ProfileData, formats) -> None:
    """Table 1: per indicator source, date, level, fitting, caveats and quality flags."""
    sheet.write_string(0, 0, "Data sources and quality", formats["title"])
    sheet.write_string(1, 0, "Flags mark indicators whose period or level differs from the rest, "
                             "with gaps for wards, unreliable values or suppressed counts.",
                       formats["note_line"])
    year = modal_year(profile)
    headers = ["Section", "Id", "Indicator", "Source", "Period", "Date of data", "Published for",
               "Fitted to centres", "Recent trend (authority)", "Caveats", "Flags"]
    rows = []
    for section, blocks in layout.sections:
        for b in blocks:
            r, d = b.result, b.result.definition
            flags = quality_flags(r, year)
            rows.append([section.value, d.id, d.title, ", ".join(r.sources) or d.source, r.period,
                         ", ".join(r.data_dates),
                         r.published_level.value if r.published_level else "",
                         b.fitting, r.trend.label, d.caveats,
                         ("⚠ " + "; ".join(flags)) if flags else ""])
    write_table(sheet, 3, 0, headers, rows, name="T_quality",
                formats=[formats["wrap"]] * len(headers))
    for col, width in enumerate([16, 12, 30, 24, 9, 12, 11, 30, 14, 36, 36]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, f"Data sources and quality: {layout.cluster.name}", repeat_rows=(3, 3))
