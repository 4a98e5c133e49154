"""One indicator's block on a section sheet of the cluster profile.

Blocks are laid out two side by side, so that a landscape page holds two indicators with ward
data, or four compact ones (figures published for the authority or for centres only: no ward
chart, no table of 20 empty wards). Each block spans ``BLOCK_SPAN`` columns; the last three are
hidden and hold the figures the ward chart draws (the authority line and whisker lengths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook

from xl_profile.compare import Trend
from xl_profile.layout import (MARK_SHORT, NOTE_KEY, NOTE_SHORT, SUPPRESSED_MARK, IndicatorBlock,
                               basis_lines, display_name,
                               level_words, note_text, uk_dates)
from xl_profile.models import Level, Polarity, Unit
from xl_profile.stats import Comparison

from . import charts
from .common import write_value

#: Column widths of one block (characters); the last four columns are hidden. The visible
#: ones are narrow enough for two blocks to print across a landscape page at 80% or more, so
#: that 10 pt text prints at 8 pt or larger.
BLOCK_WIDTHS = [18.5, 6, 5.5, 5.5, 11.5, 8.5, 10, 6, 9.5, 6, 6, 6, 4.5]
VISIBLE = 9
BLOCK_SPAN = len(BLOCK_WIDTHS)
GAP_WIDTH = 2
ROW = 12.0  # points: every row of a section sheet unless set otherwise
HEADER_ROW = 26.0  # table headers wrap onto two lines
CHART_ROWS = 10
COMPACT_CHART_ROWS = 9  # four compact blocks a page
AREA_HEADERS = ["Area", "Value", "Lower 95%", "Upper 95%", "Compared with benchmark"]
#: The rank is kept for analysts in a hidden column: the rows are printed in rank order.
WARD_HEADERS = ["Ward", "Value", "Lower 95%", "Upper 95%", "Compared with authority",
                "Numerator", "Denominator", "Quintile", "Note", "Authority value", "Whisker up",
                "Whisker down", "Rank"]
COMPARISON_NOTE = ("Clusters are compared with the authority, and the authority with England "
                   "(the benchmark column).")


def px(widths: list[float]) -> int:
    """Pixel width of columns as spreadsheet applications draw them (Calibri 11)."""
    return sum(int(w * 7 + 0.5) + 5 for w in widths)


def lines(text: str, width_chars: float, per_unit: float = 1.45) -> int:
    """Lines a wrapped cell of ``width_chars`` needs (10 pt text: about 1.45 characters a unit
    across a wide merged cell, fewer in a narrow one, where words wrap early)."""
    per_line = max(10, int(width_chars * per_unit))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


@dataclass
class Place:
    """Where a block is drawn and the row heights set so far (points, by row)."""

    sheet: object
    sheet_title: str
    row: int
    col: int
    heights: dict[int, float]
    cluster_code: str  # the profile's own cluster, bold in the area table
    #: Rows kept for every area table of the sheet (clusters, authority, England), so that the
    #: two blocks of a pair, which share rows, start their ward tables on the same row.
    area_rows: int

    def height(self, row: int, points: float) -> None:
        self.heights[row] = max(points, self.heights.get(row, ROW))
        self.sheet.set_row(row, self.heights[row])


def write_block(workbook: Workbook, place: Place, block: IndicatorBlock, layout, formats,
                data_row: int) -> tuple[int, str | None]:
    """Draw one block at ``place``; return (first row after it, first row of its ward table as
    a range for the workbook names, or None)."""
    row = _heading(place, block, formats)
    if block.has_ward_data:
        return _full(workbook, place, row, block, layout, formats, data_row)
    return _compact(workbook, place, row, block, layout, formats, data_row), None


def _merge(place: Place, row: int, first: int, last: int, text: str, fmt) -> None:
    c = place.col
    if first == last:
        place.sheet.write_string(row, c + first, text, fmt)
    else:
        place.sheet.merge_range(row, c + first, row, c + last, text, fmt)


def _heading(place: Place, block: IndicatorBlock, formats) -> int:
    """Title, definition, source line and recent trend; return the next row."""
    r, d = block.result, block.result.definition
    row = place.row
    full = sum(BLOCK_WIDTHS[:VISIBLE])
    _merge(place, row, 0, VISIBLE - 1, d.title, formats["block_title"])
    place.height(row, 16.0 * lines(d.title, full * 0.8))
    text = d.definition or d.title
    _merge(place, row + 1, 0, VISIBLE - 1, text, formats["wrap"])
    place.height(row + 1, 12.75 * lines(text, full))
    source = (f"Source: {', '.join(r.sources) or d.source}. Period: {r.period}. Date of data: "
              f"{uk_dates(r.data_dates) or 'not stated'}. Published for: "
              f"{level_words(r.published_level)}.")
    _merge(place, row + 2, 0, 5, source, formats["note"])
    word, comparison = trend_words(r.trend, d.polarity)
    _merge(place, row + 2, 6, VISIBLE - 1, f"Recent trend (authority): {word}",
           formats[f"trend_{comparison.name}"])
    place.height(row + 2, 12.75 * max(2, lines(source, sum(BLOCK_WIDTHS[:6]))))
    return row + 3


#: Arrow for each recent trend: the direction, coloured by whether it is getting better.
ARROWS = {Trend.INCREASING: "↑", Trend.DECREASING: "↓", Trend.NO_CHANGE: "→",
          Trend.CANNOT_CALCULATE: "–"}


def trend_words(trend: Trend, polarity: Polarity) -> tuple[str, Comparison]:
    """'↑ increasing, getting better' and the comparison whose colour it takes."""
    arrow = ARROWS[trend]
    if trend in (Trend.NO_CHANGE, Trend.CANNOT_CALCULATE):
        return f"{arrow} {trend.value}", Comparison.NOT_COMPARED
    up = trend is Trend.INCREASING
    if polarity is Polarity.NO_JUDGEMENT:
        return f"{arrow} {trend.value}", Comparison.HIGHER if up else Comparison.LOWER
    better = up == (polarity is Polarity.HIGH_IS_GOOD)
    return (f"{arrow} {trend.value}, getting {'better' if better else 'worse'}",
            Comparison.BETTER if better else Comparison.WORSE)


def _full(workbook, place: Place, row: int, block, layout, formats, data_row: int):
    """Area chart and ward chart side by side, the area table with its notes, the ward table."""
    options = layout.template.charts
    chart_h = int(CHART_ROWS * ROW * 4 / 3)
    table_row = row + CHART_ROWS
    area_w = px(BLOCK_WIDTHS[:3])
    place.sheet.insert_chart(row, place.col, charts.area_chart(
        workbook, block, options, sheet=place.sheet_title, first_row=table_row + 1,
        first_col=place.col, data_sheet="Chart data", data_row=data_row,
        cluster_code=layout.cluster.code, width=area_w, height=chart_h, horizontal=True,
        category_labels=False),
        {"description": _area_alt(block, layout)})
    ward_row = table_row + place.area_rows + 2
    place.sheet.insert_chart(row, place.col + 3, charts.ward_chart(
        workbook, block, options, sheet=place.sheet_title, first_row=ward_row + 1,
        name_col=place.col, value_col=place.col + 1, authority_col=place.col + VISIBLE,
        whisker_col=place.col + VISIBLE + 1, width=px(BLOCK_WIDTHS[3:VISIBLE]), height=chart_h),
        {"description": _ward_alt(block)})
    _area_table(place, table_row, block, formats)
    _side_notes(place, table_row, block, formats)
    end = _ward_table(place, ward_row, block, formats)
    return end + 2, (ward_row, end)


def _side_notes(place: Place, table_row: int, block, formats) -> None:
    """Beside the area table: what is compared with what, the suppression markers, and how the
    figures were made; the table's last row grows when the notes need more height."""
    text = _side_note(block) + "\nHow these figures were made: " + " ".join(basis_lines(block))
    words = _note_words(block)
    if words:
        text += " Notes: " + "; ".join(f"{w} = {NOTE_SHORT[w]}" for w in words) + "."
    if charts.has_inexact_bars(block):  # their bars are hatched
        text += " Hatched bars: figures so marked."
    last = table_row + place.area_rows + 1  # the notes run into the row under the table
    place.sheet.merge_range(table_row, place.col + 5, last, place.col + VISIBLE - 1, text,
                            formats["note"])
    needed = 12.2 * lines(text, sum(BLOCK_WIDTHS[5:VISIBLE]), per_unit=1.5)
    available = HEADER_ROW + ROW * (place.area_rows + 1)
    if needed > available:
        place.height(last, ROW + needed - available)


def _compact(workbook, place: Place, row: int, block, layout, formats, data_row: int) -> int:
    """How the figures were made, then the area table (and the cluster's centres for
    centre-level figures) beside one chart. The notes come first so that the two blocks of a
    pair, which share rows, grow the same row."""
    options = layout.template.charts
    row = _notes(place, row, block, formats) - 1
    _area_table(place, row, block, formats)
    end = row + len(block.areas)
    centre_row = None
    if block.centre_level and block.centres:
        centre_row = row  # in the block's hidden columns; the Tartan rug prints the values
        _centre_chart_data(place, centre_row, block)
    height = max(sum(place.heights.get(r, ROW) for r in range(row, end + 1)),
                 COMPACT_CHART_ROWS * ROW)
    width = px(BLOCK_WIDTHS[5:VISIBLE])
    chart, alt = None, ""
    if centre_row is not None and any(c.value is not None for c in block.centres):
        chart = charts.centre_chart(workbook, block, options, sheet=place.sheet_title,
                                    first_row=centre_row + 1, first_col=place.col + VISIBLE,
                                    width=width, height=int(height * 4 / 3))
        alt = f"{block.result.definition.title}: this cluster's centres ranked by value."
    elif any(a.value is not None for a in block.areas):
        chart = charts.area_chart(workbook, block, options, sheet=place.sheet_title,
                                  first_row=row + 1, first_col=place.col,
                                  data_sheet="Chart data", data_row=data_row,
                                  cluster_code=layout.cluster.code, width=width,
                                  height=int(height * 4 / 3), horizontal=True)
        alt = _area_alt(block, layout)
    if chart is not None:
        place.sheet.insert_chart(row, place.col + 5, chart, {"description": alt})
    else:
        _merge(place, row, 5, VISIBLE - 1, "No figures to chart: none was published or all "
                                           "were withheld.", formats["note"])
    return max(end, row + COMPACT_CHART_ROWS - 1) + 2


def _area_alt(block, layout) -> str:
    return (f"{block.result.definition.title}: clusters, authority and England ranked by "
            f"value, with 95% limits; {layout.cluster.name} is the dark bar.")


def _ward_alt(block) -> str:
    wards = ", ".join(w.result.name for w in block.wards if w.in_cluster)
    return (f"{block.result.definition.title}: every ward ranked by value; this cluster's wards "
            f"({wards}) are the dark bars" + ("." if charts.is_count(block)
                                              else ", the authority value is the dashed line.")
            + (" Hatched bars are figures that are not exact (estimated, unreliable or "
               "modelled)." if charts.has_inexact_wards(block) else ""))


def _side_note(block) -> str:
    """Beside the area table: what the comparisons mean and what the markers say."""
    text = COUNT_NOTE if charts.is_count(block) else COMPARISON_NOTE
    marks = sorted({w.marker for w in block.wards if w.marker})
    for mark in marks:
        text += f"\n{mark} {MARK_SHORT[mark]}."
    return text


def _notes(place: Place, row: int, block, formats) -> int:
    """'How these figures were made' and a key to every note word the block shows."""
    text = "How these figures were made: " + " ".join(basis_lines(block))
    words = _note_words(block)
    if words:
        text += " Notes: " + "; ".join(f"{w} = {NOTE_SHORT[w]}" for w in words) + "."
    if not block.has_ward_data:
        text += "\nNo ward figures: published for " + \
            f"{level_words(block.result.published_level)}."
    _merge(place, row, 0, VISIBLE - 1, text, formats["note"])
    place.height(row, 12.5 * lines(text, sum(BLOCK_WIDTHS[:VISIBLE])))
    return row + 2


def _note_words(block) -> list[str]:
    shown = [display_name(a) for a in block.areas] + [note_text(c) for c in block.centres]
    if block.has_ward_data:
        shown += [note_text(w.result) for w in block.wards]
    # A note word is shown alone or at the end of a name in brackets ("Ashby (est.)").
    found = set(shown) | {s[s.rfind("(") + 1:-1] for s in shown if s.endswith(")")}
    return [w for w in NOTE_KEY if w in found]


def _value_format(formats, block: IndicatorBlock):
    return formats["int"] if block.result.definition.unit is Unit.COUNT else formats["dec1"]


def _table(place: Place, row: int, n_rows: int, headers: list[str], name: str, formats,
           header_height: float = HEADER_ROW) -> None:
    c = place.col
    place.sheet.add_table(row, c, row + n_rows, c + len(headers) - 1, {
        "name": name, "style": "Table Style Light 1", "autofilter": False,
        "columns": [{"header": h, "header_format": formats["heading"]} for h in headers]})
    place.height(row, header_height)


#: In place of a comparison for a count: a part is always fewer than its total.
COUNT_NOT_COMPARED = "– Not compared"
COUNT_NOTE = "Counts are not compared: a part is always fewer than its total."


#: Each comparison's cell text and the key of its format.
_COMPARISON_CELLS = {c: (f"{c.symbol} {c.label}", f"cmp_{c.name}") for c in Comparison}


def _comparison_cell(place: Place, row: int, col: int, comparison: Comparison, formats,
                     count: bool = False) -> None:
    text, key = (COUNT_NOT_COMPARED, f"cmp_{Comparison.NOT_COMPARED.name}") if count \
        else _COMPARISON_CELLS[comparison]
    place.sheet.write_string(row, place.col + col, text, formats[key])


def _area_table(place: Place, row: int, block, formats) -> None:
    value_fmt = _value_format(formats, block)
    _table(place, row, len(block.areas), AREA_HEADERS, f"T_{block.result.definition.id}_areas",
           formats)
    for i, area in enumerate(block.areas, start=row + 1):
        bold = area.level is Level.AUTHORITY or area.code == place.cluster_code
        _name_cell(place, i, display_name(area), bold=bold, formats=formats)
        for col, v in enumerate((area.value, area.lower95, area.upper95), start=1):
            write_value(place.sheet, i, place.col + col, v, value_fmt)
        _comparison_cell(place, i, 4, area.comparison, formats, charts.is_count(block))


def short_names(names: list[str]) -> list[str]:
    """Names without the words they all end with ('Foxglove Children's Centre' -> 'Foxglove'
    when every centre is a "Children's Centre"), so that chart labels stay short."""
    split = [n.split() for n in names]
    common = 0
    while all(len(w) > common + 1 for w in split) and len({tuple(w[-common - 1:])
                                                           for w in split}) == 1:
        common += 1
    return [" ".join(w[:len(w) - common]) for w in split] if common and len(names) > 1 \
        else list(names)


def _centre_chart_data(place: Place, row: int, block) -> None:
    """The cluster's centres and values in the block's hidden columns, for the centre chart; a
    hidden figure is marked, never an empty slot that reads as zero."""
    names = short_names([c.name for c in block.centres])
    for i, (centre, name) in enumerate(zip(block.centres, names), start=row + 1):
        label = display_name(centre).replace(centre.name, name, 1)
        if centre.value is None and centre.note is not None:
            label = f"{name} {SUPPRESSED_MARK}" if centre.note.value == "suppressed" else label
        place.sheet.write_string(i, place.col + VISIBLE, label)
        write_value(place.sheet, i, place.col + VISIBLE + 1, centre.value)


#: Characters of 10 pt text the name column holds on one line (bold names hold fewer).
NAME_CHARS = 25


def _name_cell(place: Place, row: int, name: str, *, bold: bool, formats) -> None:
    """An area's name in the first column, wrapped onto a second line when it is too long to
    show whole ('Knightsbridge and Belgravia'): a name is never cut short."""
    long = len(name) > NAME_CHARS - (1 if bold else 0)
    fmt = formats[("bold" if bold else "text") + ("_wrap" if long else "")]
    place.sheet.write_string(row, place.col, name, fmt)
    if long:
        place.height(row, 2 * ROW)


def _ward_table(place: Place, row: int, block, formats) -> int:
    value_fmt = _value_format(formats, block)
    c, sheet = place.col, place.sheet
    last = row + len(block.wards)
    _table(place, row, len(block.wards), WARD_HEADERS, f"T_{block.result.definition.id}_wards",
           formats, header_height=26.0)
    authority = block.result.authority.value
    count = charts.is_count(block)
    number, blank = sheet.write_number, sheet.write_blank
    int_fmt, text_fmt = formats["int"], formats["text"]

    # The innermost loop of a profile (every ward of every indicator): numbers or blanks only,
    # so written directly; a blank without a format is no cell at all.
    def put(i: int, col: int, v, fmt=None) -> None:
        if v is not None:
            number(i, c + col, v, fmt)
        elif fmt is not None:
            blank(i, c + col, None, fmt)

    for i, ward in enumerate(block.wards, start=row + 1):
        w = ward.result
        _name_cell(place, i, ward.label, bold=ward.in_cluster, formats=formats)
        put(i, 1, w.value, value_fmt)
        put(i, 2, w.lower95, value_fmt)
        put(i, 3, w.upper95, value_fmt)
        _comparison_cell(place, i, 4, w.comparison, formats, count)
        put(i, 5, w.numerator, int_fmt)
        put(i, 6, w.denominator, int_fmt)
        put(i, 7, None if count else w.quintile, text_fmt)
        sheet.write_string(i, c + 8, note_text(w), text_fmt)
        put(i, 9, authority, value_fmt)
        if w.value is not None and w.lower95 is not None and w.upper95 is not None:
            put(i, 10, w.upper95 - w.value)
            put(i, 11, w.value - w.lower95)
        put(i, 12, w.rank)
    return last
