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
from .textfit import LINE_POINTS, word_lines, wrapped_lines

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
                             year=built_on.year, formats=formats, height_in=3.8,
                             row_points=12.75)  # or one line: no boundaries
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
    """One row per sheet a reader turns to (the Overview lists every indicator, by section,
    with its figures), so the contents fit the cover at a readable size."""
    entries = [("Overview", "Key findings and every indicator against the authority",
                ("Overview", 0)),
               ("Tartan rug", "Clusters and centres by indicator", ("Tartan rug", 0))]
    for section, blocks in layout.sections:
        count = f"{len(blocks)} indicator{'s' if len(blocks) != 1 else ''}"
        entries.append((section.value, f"{count}, each with its charts and tables",
                        (anchors[blocks[0].result.definition.id][0], 0)))
    entries.append(("Data sources and quality", "Table 1: sources, dates, how figures reach "
                    "centres, caveats; how the centres were fitted",
                    ("Data sources and quality", 0)))
    write_table(sheet, row, 0, ["Sheet", "What it holds", "Go to"],
                [[s, t, None] for s, t, _ in entries], name="T_contents",
                formats=[formats["wrap"], formats["wrap"], None])
    for i, (_s, text, (target, target_row)) in enumerate(entries, start=row + 1):
        sheet.set_row(i, 12.75 * _lines(text, 72))
        sheet.write_url(i, 2, f"internal:'{target}'!A{target_row + 1}",
                        formats["link"], string="Go to")


def write_centres_sheet(sheet, layout: ClusterLayout, profile: ProfileData, formats,
                        printed: str | None = None) -> None:
    """Each centre's best-fitted values beside the cluster, authority and England, as numbers
    for analysts' formulas. The sheet is hidden and never printed: the Tartan rug prints the same
    figures for the board."""
    sheet.write_string(0, 0, f"Children's centres in {layout.cluster.name}: values for "
                             "analysts (the Tartan rug shows the same figures)", formats["title"])
    write_table(sheet, 2, 0, ["Centre", "Code", "Small areas in reach area",
                              "Share of population fitted (%)"], _centre_fits(layout, profile),
                name="T_centre_list", formats=[None, None, formats["int"], formats["dec1"]],
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
    sheet.hide()


def _centre_fits(layout: ClusterLayout, profile: ProfileData) -> list[list]:
    """Each centre's name, code, small areas and the share of its population the best fit
    places (%), None where not known."""
    any_result = next(iter(profile.results.values()), None)
    fit = {c.code: c.fit_quality for c in any_result.centres} if any_result else {}
    return [[c.name, c.code, len(profile.geography.members_of(c.code)),
             None if fit.get(c.code) is None else 100 * fit[c.code]] for c in layout.centres]


def _centre_fit_line(layout: ClusterLayout, profile: ProfileData) -> str:
    """One sentence on how well the best fit places each centre's population."""
    parts = [f"{name} ({areas} small area{'s' if areas != 1 else ''}, "
             + ("share not known)" if share is None else f"{share:.1f}%)")
             for name, _code, areas, share in _centre_fits(layout, profile)]
    return (f"Centres of {layout.cluster.name}, with the share of each one's population the best "
            "fit places: " + "; ".join(parts) + ".")


def _format_centre_rows(sheet, top: int, rows, row_formats, formats) -> None:
    """Numbers to 1 decimal place (whole numbers for counts); text wrapped, rows high enough."""
    for i, (row, fmt) in enumerate(zip(rows, row_formats), start=top + 1):
        for col, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(i, col, value, fmt)
            elif value:
                sheet.write_string(i, col, value, formats["wrap"])
        needed = max([word_lines(row[0], 28)] + [word_lines(v, 13) for v in row[3::2]
                                                     if isinstance(v, str)])
        sheet.set_row(i, 13.0 * max(1, needed))


def _comparison_text(area) -> str:
    """The comparison, or why there is none (a withheld or estimated figure is not compared)."""
    word = NOTE_WORDS.get(area.note) if area.note is not None else None
    if not area.comparable and word:
        return f"{word}: not compared"
    return f"{area.comparison.symbol} {area.comparison.label}"


def _level_and_fitting(level, fitting: str) -> str:
    """'Wards: apportioned from wards by population share (estimate)'."""
    words = level_words(level)
    return f"{words[:1].upper()}{words[1:]}: {fitting[:1].lower()}{fitting[1:]}"


def _source_text(sources) -> str:
    """The sources, each once: one named within another ('... database' and '... database
    extract') is given by the longer name."""
    kept = [s for s in sources if not any(s != other and s in other for other in sources)]
    return ", ".join(dict.fromkeys(kept))


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
    # The recent trend is on each indicator's block and the Overview, not repeated here.
    headers = ["Section", "Id", "Indicator", "Source", "Period", "Date of data",
               "Published for, and how it reaches centres", "Caveats", "Flags"]
    widths = [12, 10, 22, 18, 7, 10.5, 27, 34.5, 28]
    rows = []
    for section, blocks in layout.sections:
        for b in blocks:
            r, d = b.result, b.result.definition
            flags = quality_flags(r, year)
            rows.append([section.value, d.id, d.title, _source_text(r.sources) or d.source,
                         r.period,
                         uk_dates(r.data_dates),
                         _level_and_fitting(r.published_level, b.fitting),
                         d.caveats,
                         ("⚠ " + "; ".join(flags)) if flags else ""])
    write_table(sheet, 3, 0, headers, rows, name="T_quality",
                formats=[formats["wrap"]] * len(headers), header_format=formats["heading"])
    sheet.set_row(3, 28)
    for i, row in enumerate(rows, start=4):
        needed = max(wrapped_lines(str(v), w) for v, w in zip(row, widths))
        sheet.set_row(i, LINE_POINTS * needed + 3)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    fits = _centre_fit_line(layout, profile)
    sheet.merge_range(2, 0, 2, len(headers) - 1, fits, formats["note"])
    sheet.set_row(2, LINE_POINTS * wrapped_lines(fits, sum(widths) + len(widths)) + 3)
    sheet.freeze_panes(4, 0)
    print_setup(sheet, f"Data sources and quality: {layout.cluster.name}", repeat_rows=(3, 3),
                printed=printed, margins=(0.25, 0.25, 0.45, 0.4), header_margin=0.2)
