"""Charts of the cluster profile: ranked area, ward and centre charts.

The cluster's own wards (and the cluster itself in the area chart) have one treatment that no
comparison colour uses: a dark neutral fill. Printed fonts are at least 10 pt before the page is
scaled to fit (at least 8 pt on paper).
"""

from __future__ import annotations

import math

from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook

from xl_profile.layout import ChartOptions, IndicatorBlock
from xl_profile.models import Level, Unit

#: Chart text size: LibreOffice draws a small chart's text smaller than set, and the page is
#: scaled to about 80%, so 12 pt prints at 8 pt or more.
CHART_FONT = 12


def unit_label(block: IndicatorBlock) -> str:
    """Axis title for the indicator's unit, e.g. '%', 'per 10,000' or the catalogue's label."""
    d = block.result.definition
    if d.unit_label:
        return d.unit_label
    if d.unit is Unit.PERCENTAGE:
        return "%"
    if d.unit is Unit.RATE:
        return f"per {d.multiplier:,.0f}"
    return d.unit.value


def is_count(block: IndicatorBlock) -> bool:
    """Counts are drawn without the authority line (a total would squash the bars)."""
    return block.result.definition.unit is Unit.COUNT


def axis_max(highest: float | None) -> float | None:
    """A value axis maximum: the smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
    times a power of ten) at least 8% above ``highest`` (the top of the highest whisker), so no
    whisker is cut off; None lets the application choose."""
    if highest is None or highest <= 0:
        return None
    target = highest * 1.08
    step = 10 ** math.floor(math.log10(target))
    for multiple in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if multiple * step >= target:
            return round(multiple * step, 10)
    return round(10 * step, 10)  # not reached: 10 x step is above any target


def _top(results) -> float | None:
    tops = [max(v for v in (r.value, r.upper95) if v is not None)
            for r in results if r.value is not None]
    return max(tops) if tops else None


def _ref(sheet: str, first_row: int, col: int, last_row: int | None = None) -> list:
    return [sheet, first_row, col, first_row if last_row is None else last_row, col]


def _range_formula(sheet: str, first_row: int, col: int, last_row: int) -> str:
    """A range as a formula string (error bars read a list as literal values, not a range)."""
    return f"={quote_sheetname(sheet)}!{xl_range_abs(first_row, col, last_row, col)}"


def _whiskers(sheet: str, first_row: int, last_row: int, plus_col: int, minus_col: int) -> dict:
    return {"type": "custom", "end_style": 1,
            "plus_values": _range_formula(sheet, first_row, plus_col, last_row),
            "minus_values": _range_formula(sheet, first_row, minus_col, last_row),
            "line": {"color": "#404040"}}


def area_chart(workbook: Workbook, block: IndicatorBlock, options: ChartOptions, *, sheet: str,
               first_row: int, first_col: int, data_sheet: str, data_row: int,
               cluster_code: str, width: int, height: int, horizontal: bool = False,
               category_labels: bool = True):
    """Clusters, authority and England ranked, with 95% whiskers; the profile's own cluster in
    the cluster colour. ``horizontal`` bars read their names across and have no authority line:
    the authority is one of the bars. Without ``category_labels`` (a chart too small to name
    every bar at a printable size) the bars run top to bottom in the table's order.

    Args:
        sheet: sheet of the area table; ``first_row`` is its first data row (0-based), with area
            names in ``first_col`` and values in the next column.
        data_sheet: chart-data sheet; ``data_row`` is the first row of this block's whisker
            lengths (plus in column 5, minus in column 6) and authority value (column 7).
    """
    areas = list(block.areas)
    skip = _totals_first(block)
    areas, first_row, data_row = areas[skip:], first_row + skip, data_row + skip
    last = first_row + len(areas) - 1
    dlast = data_row + len(areas) - 1
    chart = workbook.add_chart({"type": "bar" if horizontal else "column"})
    points = [_bar_point(_area_colour(a, options, cluster_code), a) for a in areas]
    series = {"name": block.result.definition.title,
              "categories": _ref(sheet, first_row, first_col, last),
              "values": _ref(sheet, first_row, first_col + 1, last),
              "points": points, "gap": 60}
    if options.ci_whiskers and any(a.lower95 is not None for a in areas):
        series["x_error_bars" if horizontal else "y_error_bars"] = _whiskers(
            data_sheet, data_row, dlast, 5, 6)
    chart.add_series(series)
    if not is_count(block) and not horizontal:
        chart.combine(_authority_line(workbook, _ref(sheet, first_row, first_col, last),
                                      _ref(data_sheet, data_row, 7, dlast), options))
    title = "Clusters" if skip else "Areas"
    title += ", as in the table: this " + ("one" if skip else "cluster") + " dark" \
        if not category_labels else ": this " + ("one" if skip else "cluster") + " dark"
    _style(chart, title, unit_label(block), width, height,
           axis_max(_top(areas)), horizontal=horizontal, category_labels=category_labels)
    return chart


def _totals_first(block: IndicatorBlock) -> int:
    """For a count, how many leading rows of the ranked area table are totals (authority,
    England) to leave out of the chart: a total beside its parts would squash them."""
    if not is_count(block):
        return 0
    skip = 0
    while skip < len(block.areas) - 1 and block.areas[skip].level is not Level.CLUSTER:
        skip += 1
    return skip


def _area_colour(area, options: ChartOptions, cluster_code: str) -> str:
    if area.code == cluster_code:
        return options.cluster_colour
    return {Level.AUTHORITY: options.authority_colour,
            Level.ENGLAND: options.england_colour}.get(area.level, options.bar_colour)


def ward_chart(workbook: Workbook, block: IndicatorBlock, options: ChartOptions, *, sheet: str,
               first_row: int, name_col: int, value_col: int, authority_col: int,
               whisker_col: int, width: int, height: int):
    """Every ward ranked, the cluster's wards in the cluster colour, 95% whiskers where limits
    exist, and the authority as a dashed line (not for counts).

    ``whisker_col`` and the next column hold the whisker lengths up and down.
    """
    last = first_row + len(block.wards) - 1
    chart = workbook.add_chart({"type": "column"})
    points = [_bar_point(w.highlight or options.other_ward_colour, w.result)
              for w in block.wards]
    series = {"name": block.result.definition.title,
              "categories": _ref(sheet, first_row, name_col, last),
              "values": _ref(sheet, first_row, value_col, last), "points": points, "gap": 40}
    if options.ci_whiskers and any(w.result.lower95 is not None for w in block.wards):
        series["y_error_bars"] = _whiskers(sheet, first_row, last, whisker_col, whisker_col + 1)
    chart.add_series(series)
    if not is_count(block):
        chart.combine(_authority_line(workbook, _ref(sheet, first_row, name_col, last),
                                      _ref(sheet, first_row, authority_col, last), options))
    chart.show_hidden_data()  # the authority and whisker columns are hidden
    # Twenty names cannot be read under twenty bars at a printable size; the bars are in the
    # ward table's order, which names them.
    title = "Wards in the table's order: this cluster's dark" + (
        "" if is_count(block) else ", dashes = authority")
    _style(chart, title, unit_label(block), width, height,
           axis_max(_top([w.result for w in block.wards])), category_labels=False)
    return chart


def _bar_point(colour: str, area) -> dict:
    """An area's bar: solid for an exact figure, hatched in the same colour for one shown but not
    exact (estimated, unreliable or modelled), so that it never reads as a counted figure."""
    if area.shown and not area.comparable:
        return {"pattern": {"pattern": "wide_upward_diagonal", "fg_color": colour,
                            "bg_color": "#FFFFFF"}, "border": {"color": colour}}
    return {"fill": {"color": colour}}


def has_inexact_wards(block: IndicatorBlock) -> bool:
    """True when a ward's figure is shown but is not exact (estimated, unreliable, modelled)."""
    return any(w.result.shown and not w.result.comparable for w in block.wards)


def has_inexact_bars(block: IndicatorBlock) -> bool:
    """True when a bar of the block's area or ward chart is hatched (see :func:`_bar_point`)."""
    return has_inexact_wards(block) or any(a.shown and not a.comparable for a in block.areas)


def centre_chart(workbook: Workbook, block: IndicatorBlock, options: ChartOptions, *,
                 sheet: str, first_row: int, first_col: int, width: int, height: int):
    """The cluster's centres ranked (figures published for centres only, such as reach)."""
    last = first_row + len(block.centres) - 1
    # Horizontal bars: centre names read across, however long.
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"name": block.result.definition.title,
                      "categories": _ref(sheet, first_row, first_col, last),
                      "values": _ref(sheet, first_row, first_col + 1, last),
                      "fill": {"color": options.cluster_colour}, "gap": 40,
                      "data_labels": {"value": True, "num_format": "0.0",
                                      "font": {"size": CHART_FONT}}})
    chart.show_hidden_data()  # the centres' figures are in hidden columns
    _style(chart, "This cluster's centres", unit_label(block), width, height,
           axis_max(_top(block.centres)), horizontal=True, value_axis=False)
    return chart


def _authority_line(workbook: Workbook, categories: list, values: list, options: ChartOptions):
    """The authority value as a dashed line across the categories of a column chart."""
    line = workbook.add_chart({"type": "line"})
    line.add_series({"name": "Authority", "categories": categories, "values": values,
                     "line": {"color": options.authority_colour, "dash_type": "dash", "width": 1.5},
                     "marker": {"type": "none"}})
    return line


def _style(chart, title: str, y_title: str, width: float, height: float,
           maximum: float | None, *, horizontal: bool = False,
           category_labels: bool = True, value_axis: bool = True) -> None:
    """Fonts of 12 pt (at least 8 pt once the page is scaled to fit and the spreadsheet
    application has scaled the chart's text to its size), no legend: the title
    says what the dark bars and the dashed line are, and the height goes to the bars. The
    category axis has no title (the table beside the chart names it): it would take the room
    the bars need. ``horizontal`` bars list the first-ranked at the top."""
    if horizontal:  # the unit joins the title: an axis title would take the bars' room
        title, y_title = f"{title} ({y_title})", None
    chart.set_title({"name": title, "name_font": {"size": CHART_FONT, "bold": True}})
    # In a bar chart the y axis is the category axis and the x axis holds the values.
    categories = {"num_font": {"size": CHART_FONT}, "reverse": True, "interval_unit": 1} \
        if horizontal else {"num_font": {"size": CHART_FONT, "rotation": -45}}
    if not category_labels:
        categories = {"label_position": "none", "major_tick_mark": "none",
                      "reverse": horizontal}
    values = {"name_font": {"size": CHART_FONT, "bold": False},
              "num_font": {"size": CHART_FONT}, "min": 0,
              "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if y_title:
        values["name"] = y_title
    if not value_axis:  # the bars carry their values: the room goes to the names
        values.update({"visible": False, "major_gridlines": {"visible": False}})
    if maximum is not None:
        values["max"] = maximum
    chart.set_x_axis(values if horizontal else categories)
    chart.set_y_axis(categories if horizontal else values)
    chart.set_legend({"none": True})
    chart.set_size({"width": int(width), "height": int(height)})
