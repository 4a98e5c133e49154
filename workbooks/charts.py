"""Charts of the cluster profile: ranked area chart and ranked ward chart with highlights."""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook

from xl_profile.layout import ChartOptions, IndicatorBlock
from xl_profile.models import Unit


def unit_label(block: IndicatorBlock) -> str:
    """Axis title for the indicator's unit, e.g. '%' or 'per 10,000'."""
    d = block.result.definition
    if d.unit is Unit.PERCENTAGE:
        return "%"
    if d.unit is Unit.RATE:
        return f"per {d.multiplier:,.0f}"
    return d.unit.value


def _ref(sheet: str, first_row: int, col: int, last_row: int | None = None) -> list:
    return [sheet, first_row, col, first_row if last_row is None else last_row, col]


def _range_formula(sheet: str, first_row: int, col: int, last_row: int) -> str:
    """A range as a formula string (error bars read a list as literal values, not a range)."""
    return f"={quote_sheetname(sheet)}!{xl_range_abs(first_row, col, last_row, col)}"


def area_chart(workbook: Workbook, block: IndicatorBlock, options: ChartOptions, *, sheet: str,
               first_row: int, data_sheet: str, data_row: int):
    """Clusters, authority and England ranked, with 95% whiskers and the authority as a line.

    Args:
        sheet: sheet of the area table; ``first_row`` is its first data row (0-based), with area
            names in column 0 and values in column 1.
        data_sheet: chart-data sheet; ``data_row`` is the first row of this block's whisker
            lengths (plus in column 5, minus in column 6) and authority value (column 7).
    """
    last = first_row + len(block.areas) - 1
    dlast = data_row + len(block.areas) - 1
    chart = workbook.add_chart({"type": "column"})
    points = [{"fill": {"color": _area_colour(a.level.value, options)}} for a in block.areas]
    series = {
        "name": block.result.definition.title,
        "categories": _ref(sheet, first_row, 0, last),
        "values": _ref(sheet, first_row, 1, last),
        "points": points, "gap": 60,
    }
    if options.ci_whiskers and any(a.lower95 is not None for a in block.areas):
        series["y_error_bars"] = {
            "type": "custom", "end_style": 1,
            "plus_values": _range_formula(data_sheet, data_row, 5, dlast),
            "minus_values": _range_formula(data_sheet, data_row, 6, dlast),
            "line": {"color": "#404040"}}
    chart.add_series(series)
    chart.combine(_authority_line(workbook, _ref(sheet, first_row, 0, last),
                                  _ref(data_sheet, data_row, 7, dlast), options))
    _style(chart, "Clusters, authority and England", "Area (ranked)", unit_label(block),
           options.width * 0.55, options.height)
    return chart


def _area_colour(level: str, options: ChartOptions) -> str:
    return {"authority": options.authority_colour,
            "england": options.england_colour}.get(level, options.bar_colour)


def ward_chart(workbook: Workbook, block: IndicatorBlock, options: ChartOptions, *, sheet: str,
               first_row: int, name_col: int, value_col: int, authority_col: int):
    """Every ward ranked, the cluster's wards individually coloured, the authority as a line."""
    last = first_row + len(block.wards) - 1
    chart = workbook.add_chart({"type": "column"})
    points = [{"fill": {"color": w.highlight or options.other_ward_colour}} for w in block.wards]
    chart.add_series({"name": block.result.definition.title,
                      "categories": _ref(sheet, first_row, name_col, last),
                      "values": _ref(sheet, first_row, value_col, last),
                      "points": points, "gap": 40})
    chart.combine(_authority_line(workbook, _ref(sheet, first_row, name_col, last),
                                  _ref(sheet, first_row, authority_col, last), options))
    _style(chart, "All wards: this cluster's coloured", "Ward (ranked)", unit_label(block),
           options.width * 1.3, options.height)
    return chart


def _authority_line(workbook: Workbook, categories: list, values: list, options: ChartOptions):
    """The authority value as a dashed line across the categories of a column chart."""
    line = workbook.add_chart({"type": "line"})
    line.add_series({"name": "Authority", "categories": categories, "values": values,
                     "line": {"color": options.authority_colour, "dash_type": "dash", "width": 1.5},
                     "marker": {"type": "none"}})
    return line


def _style(chart, title: str, x_title: str, y_title: str, width: float, height: float) -> None:
    chart.set_title({"name": title, "name_font": {"size": 10, "bold": True}})
    chart.set_x_axis({"name": x_title, "name_font": {"size": 9, "bold": False},
                      "num_font": {"size": 8, "rotation": -45}})
    chart.set_y_axis({"name": y_title, "name_font": {"size": 9, "bold": False},
                      "num_font": {"size": 8}, "min": 0, "major_gridlines": {"visible": True,
                                                                   "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}, "delete_series": [0]})
    chart.set_size({"width": int(width), "height": int(height)})
