"""Cover, centres, data quality and chart-data sheets of the cluster profile."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

from xl_profile.layout import (MARK_KEY, NOTE_KEY, NOTE_WORDS, ClusterLayout, display_name,
                               level_words, modal_year, quality_flags, uk_date, uk_dates)
from xl_profile.models import Unit
from xl_profile.profile import ProfileData
from xl_profile.stats import Comparison

from .common import print_setup, uk_day, write_table, write_value
from .maps import insert_cluster_map

DARK = {Comparison.WORSE, Comparison.WORST, Comparison.LOWER, Comparison.BEST}


def comparison_formats(workbook: Workbook) -> dict:
    """One cell format per comparison: Fingertips colour, with readable text on it."""
    return {f"cmp_{c.name}": workbook.add_format({
        "font_name": "Calibri", "font_size": 10, "bg_color": c.colour, "border": 1,
        "border_color": "#FFFFFF", "font_color": "#FFFFFF" if c in DARK else "#000000"})
        for c in Comparison}


def profile_formats(workbook: Workbook) -> dict:
    """Block titles, and the recent-trend cell in each comparison's colour."""
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top", "text_wrap": True}
    formats = {"block_title": workbook.add_format({**base, "font_size": 12, "bold": True,
                                                   "font_color": "#1F4E79"}),
               "wrap_head": workbook.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                                 "bg_color": "#1F4E79", "border": 1})}
    for c in Comparison:
        formats[f"trend_{c.name}"] = workbook.add_format({
            **base, "bold": True, "bg_color": c.colour,
            "font_color": "#FFFFFF" if c in DARK else "#000000"})
    return formats


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
    """Title, facts about the cluster, a map, how to read it, a key to the notes and a linked
    contents table."""
    results = [b.result for b in layout.blocks]
    periods = sorted(r.period for r in results)
    dates = sorted(d for r in results for d in r.data_dates)
    sheet.set_default_row(12.75)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 54)
    sheet.set_column(2, 3, 9)
    sheet.write_string(0, 0, f"{layout.template.title}: {layout.cluster.name}", formats["title"])
    sheet.set_row(0, 22)
    facts = [("Authority", profile.geography.authority.name),
             ("Cluster", layout.cluster.name),
             ("Wards", ", ".join(w.name for w in layout.wards)),
             ("Children's centres", ", ".join(c.name for c in layout.centres)),
             ("Period covered", f"{periods[0]} to {periods[-1]}" if periods else "no data"),
             ("Date of data", f"{uk_date(dates[0])} to {uk_date(dates[-1])}" if dates
              else "not stated"),
             ("Built on", uk_day(built_on))]
    for i, (label, text) in enumerate(facts, start=2):
        sheet.write_string(i, 0, label, formats["bold"])
        sheet.write_string(i, 1, text, formats["wrap"])
        sheet.set_row(i, 13.5 * _lines(text, 56))
    row = len(facts) + 3
    row = insert_cluster_map(sheet, row, 0, profile, spatial, layout.cluster.code,
                             year=built_on.year, formats=formats)  # or one line: no boundaries
    sheet.write_string(row, 0, "How to read this profile", formats["subtitle"])
    how = layout.template.how_to_read
    sheet.merge_range(row + 1, 0, row + 1, 3, how, formats["wrap"])
    sheet.set_row(row + 1, 13.0 * _lines(how, 135))
    key = cover_key()
    sheet.merge_range(row + 2, 0, row + 2, 3, key, formats["note"])
    sheet.set_row(row + 2, 12.75 * sum(_lines(part, 145) for part in key.split("\n")))
    row += 4
    sheet.write_string(row, 0, "Contents", formats["subtitle"])
    _contents(sheet, row + 1, layout, formats, anchors)
    print_setup(sheet, f"{layout.template.title}: {layout.cluster.name}", landscape=False,
                printed=uk_day(built_on), margins=(0.5, 0.5, 0.5, 0.45),
                header_margin=0.2)
    sheet.fit_to_pages(1, 1)  # the contents fit the cover page


def cover_key() -> str:
    """The key to every note word and suppression marker the tables use."""
    parts = ["Key to the notes in the tables:"]
    parts += [f"{word}: {meaning}." for word, meaning in NOTE_KEY.items()]
    parts += [f"{mark} after a name: {meaning}." for mark, meaning in MARK_KEY.items()]
    return "\n".join(parts)


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs (spreadsheets do not grow rows written by a generator)."""
    return max(1, -(-len(text) // width))


def _contents(sheet, row: int, layout: ClusterLayout, formats, anchors) -> None:
    entries = [("Overview", "Key findings and every indicator against the authority", "",
                ("Overview", 0)),
               ("Overview", "Tartan rug: clusters and centres by indicator", "", ("Tartan rug", 0))]
    entries += [(section.value, b.result.definition.title, b.result.period,
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


def write_centres_sheet(sheet, layout: ClusterLayout, profile: ProfileData, formats,
                        printed: str | None = None) -> None:
    """Each centre's best-fitted values beside the cluster, authority and England."""
    geography = profile.geography
    sheet.write_string(0, 0, f"Children's centres in {layout.cluster.name}", formats["title"])
    any_result = next(iter(profile.results.values()), None)
    fit = {c.code: c.fit_quality for c in any_result.centres} if any_result else {}
    write_table(sheet, 2, 0, ["Centre", "Code", "Small areas in reach area",
                              "Share of population fitted (%)"],
                [[c.name, c.code, len(geography.members_of(c.code)),
                  None if fit.get(c.code) is None else 100 * fit[c.code]]
                 for c in layout.centres], name="T_centre_list",
                formats=[None, None, formats["int"], formats["dec1"]],
                header_format=formats["heading"])
    sheet.set_row(2, 40)
    top = len(layout.centres) + 5
    headers = ["Indicator", "Unit"]  # in section order, as on the cover
    for c in layout.centres:
        headers += [c.name, f"{c.name}: compared with authority"]
    headers += [f"{layout.cluster.name} cluster", "Authority", "England"]
    rows, row_formats = [], []
    for _section, blocks in layout.sections:
        for b in blocks:
            r = b.result
            centres = {c.code: c for c in r.centres}
            row = [r.definition.title, _unit_text(r.definition)]
            for c in layout.centres:
                res = centres.get(c.code)
                row += [res.value if res else None, _comparison_text(res) if res else ""]
            cluster = next((c for c in r.clusters if c.code == layout.cluster.code), None)
            row += [cluster.value if cluster else None, r.authority.value,
                    r.england.value if r.england else None]
            rows.append(row)
            row_formats.append(formats["int"] if r.definition.unit is Unit.COUNT
                               else formats["dec1"])
    write_table(sheet, top, 0, headers, rows, name="T_centre_spine",
                header_format=formats["heading"])
    _format_centre_rows(sheet, top, rows, row_formats, formats)
    sheet.set_row(top, 13.5 * 4)
    widths = [28, 10] + [9, 15] * len(layout.centres) + [8, 9, 8]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(top + 1, 1)
    print_setup(sheet, f"Centres: {layout.cluster.name}", repeat_rows=(top, top),
                printed=printed)


def _format_centre_rows(sheet, top: int, rows, row_formats, formats) -> None:
    """Numbers to 1 decimal place (whole numbers for counts); text wrapped, rows high enough."""
    for i, (row, fmt) in enumerate(zip(rows, row_formats), start=top + 1):
        for col, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(i, col, value, fmt)
            elif value:
                sheet.write_string(i, col, value, formats["wrap"])
        needed = max([_wrapped_lines(row[0], 28)] + [_wrapped_lines(v, 13) for v in row[3::2]
                                                     if isinstance(v, str)])
        sheet.set_row(i, 13.0 * max(1, needed))


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a cell of ``width`` characters wraps ``text`` onto, word by word (10 pt text)."""
    per_line, count, used = width * 1.2, 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            count, used = count + 1, len(word)
        else:
            used += need
    return count


def _comparison_text(area) -> str:
    """The comparison, or why there is none (a withheld or estimated figure is not compared)."""
    word = NOTE_WORDS.get(area.note) if area.note is not None else None
    if not area.comparable and word:
        return f"{word}: not compared"
    return f"{area.comparison.symbol} {area.comparison.label}"


def _unit_text(definition) -> str:
    if definition.unit_label:
        return definition.unit_label
    if definition.unit is Unit.RATE:
        return f"rate per {definition.multiplier:,.0f}"
    return {Unit.PERCENTAGE: "%", Unit.COUNT: "number", Unit.SCORE: "score",
            Unit.RATIO: "ratio"}.get(definition.unit, definition.unit.value)


def write_quality_sheet(sheet, layout: ClusterLayout, profile: ProfileData, formats,
                        printed: str | None = None) -> None:
    """Table 1: per indicator source, date, level, fitting, caveats and quality flags."""
    sheet.write_string(0, 0, "Data sources and quality", formats["title"])
    sheet.write_string(1, 0, "Flags mark indicators whose period or level differs from the rest, "
                             "with gaps for wards, unreliable values or suppressed counts.",
                       formats["note_line"])
    year = modal_year(profile)
    headers = ["Section", "Id", "Indicator", "Source", "Period", "Date of data", "Published for",
               "Fitted to centres", "Recent trend (authority)", "Caveats", "Flags"]
    widths = [11, 10, 22, 18, 7, 9, 10, 20, 11, 28, 27]
    rows = []
    for section, blocks in layout.sections:
        for b in blocks:
            r, d = b.result, b.result.definition
            flags = quality_flags(r, year)
            rows.append([section.value, d.id, d.title, ", ".join(r.sources) or d.source, r.period,
                         uk_dates(r.data_dates), level_words(r.published_level),
                         b.fitting, r.trend.label, d.caveats,
                         ("⚠ " + "; ".join(flags)) if flags else ""])
    write_table(sheet, 3, 0, headers, rows, name="T_quality",
                formats=[formats["wrap"]] * len(headers), header_format=formats["heading"])
    sheet.set_row(3, 28)
    for i, row in enumerate(rows, start=4):
        needed = max(_wrapped_lines(str(v), w) for v, w in zip(row, widths))
        sheet.set_row(i, 13.0 * needed + 1)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, f"Data sources and quality: {layout.cluster.name}", repeat_rows=(3, 3),
                printed=printed)
