"""The Overview's trend cells: a native sparkline per area where an indicator has three or more
figures to draw, words where it has fewer, and the hidden sheet holding the sparklines' data.

The sparklines are column sparklines (a bar per period, oldest first, the latest dark; an empty
cell is a gap): LibreOffice 7.4 prints the bars of column sparklines where they belong but draws
the line of a line sparkline at the page's corner, out of its cell, so a line would be lost on
paper. The cluster and the authority share one scale per indicator (``OverviewRow.trend_scale``).
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from xl_profile.overview import Overview, OverviewRow, TrendCell
from xl_profile.models import Unit

TREND_DATA = "Trend data"
#: Width of each trend column (cluster, authority).
TREND_WIDTH = 6.5
#: Bars of each area: the earlier periods light, the latest dark.
COLOURS = {"cluster": ("#9DC3E6", "#1F4E79"), "authority": ("#BFBFBF", "#404040")}
#: Trend data columns: indicator, period, then value and note for the cluster and the authority.
DATA_HEADERS = ("Indicator", "Period", "{cluster}", "{cluster}: why no bar", "Authority",
                "Authority: why no bar")
DATA_WIDTHS = (40, 9, 10, 16, 10, 16)
CLUSTER_COL, AUTHORITY_COL = 2, 4
TREND_KEY = ("Trend: each period's figure as a bar, oldest first, the latest dark; the "
             "cluster and the authority on one scale. A period whose figure is withheld, "
             "suppressed, estimated or not published is a gap; an area with fewer than three "
             "figures says how many it has.")


def write_trend_data(sheet, overview: Overview, fmt) -> dict[str, tuple[int, int]]:
    """Every drawn row's periods and figures, one row per period; return, per indicator, the
    first and last rows (0-based) of its block."""
    head = fmt(bold=True, text_wrap=True)
    for col, (text, width) in enumerate(zip(DATA_HEADERS, DATA_WIDTHS)):
        sheet.write_string(0, col, text.format(cluster=overview.cluster_name), head)
        sheet.set_column(col, col, width)
    blocks, row = {}, 1
    for item in overview.rows:
        if not (item.cluster_trend.drawn or item.authority_trend.drawn):
            continue
        periods = item.cluster_trend.periods  # both areas' series share the periods
        blocks[item.indicator_id] = (row, row + len(periods) - 1)
        for i, period in enumerate(periods):
            sheet.write_string(row, 0, item.title, fmt())
            sheet.write_string(row, 1, period, fmt())
            for col, cell in ((CLUSTER_COL, item.cluster_trend),
                              (AUTHORITY_COL, item.authority_trend)):
                _data_cell(sheet, row, col, cell, i, item.unit, fmt)
            row += 1
    sheet.freeze_panes(1, 0)
    return blocks


def _data_cell(sheet, row: int, col: int, cell: TrendCell, i: int, unit: Unit, fmt) -> None:
    """A period's figure (blank where it is a gap, so the sparkline leaves a gap) and why it
    has no bar: its word, or too few figures for the area to be drawn at all."""
    value = cell.values[i]
    if value is not None:
        sheet.write_number(row, col, value, fmt(num_format="#,##0" if unit is Unit.COUNT
                                                else "0.0"))
    why = cell.notes[i] or ("" if cell.drawn else f"too few figures to draw ({cell.words})")
    if why:
        sheet.write_string(row, col + 1, why, fmt(italic=True))


def sparkline_options(data_sheet: str, block: tuple[int, int], col: int,
                      scale: tuple[float, float], colours: tuple[str, str]) -> dict[str, Any]:
    """A column sparkline over ``col`` of the data block, on the row's shared scale."""
    first, last = block
    cells = (f"{quote_sheetname(data_sheet)}!{xl_rowcol_to_cell(first, col, True, True)}:"
             f"{xl_rowcol_to_cell(last, col, True, True)}")
    return {"range": cells, "type": "column", "empty_cells": "gaps",
            "series_color": colours[0], "last_point": True, "last_color": colours[1],
            "min": round(scale[0], 4), "max": round(scale[1], 4)}


def write_trend_cells(sheet, row: int, col: int, item: OverviewRow, data_sheet: str,
                      blocks: dict[str, tuple[int, int]], fmt, **props: Any) -> None:
    """The row's two trend cells from ``col``: the cluster's, then the authority's."""
    cells = (item.cluster_trend, item.authority_trend)
    words = fmt(italic=True, font_color="#595959", align="center", text_wrap=True, **props)
    if not any(c.drawn for c in cells) and cells[0].words == cells[1].words:
        sheet.merge_range(row, col, row, col + 1, cells[0].words, words)
        return
    for offset, (cell, kind, data_col) in enumerate(zip(
            cells, ("cluster", "authority"), (CLUSTER_COL, AUTHORITY_COL))):
        if not cell.drawn:
            sheet.write_string(row, col + offset, cell.words, words)
            continue
        sheet.write_blank(row, col + offset, None, fmt(**props))
        sheet.add_sparkline(row, col + offset, sparkline_options(
            data_sheet, blocks[item.indicator_id], data_col, item.trend_scale, COLOURS[kind]))


def trend_words(item: OverviewRow) -> list[str]:
    """The words the row's trend cells print in a single column (for its height)."""
    cells = (item.cluster_trend, item.authority_trend)
    if not any(c.drawn for c in cells) and cells[0].words == cells[1].words:
        return []  # one merged cell over both columns: always one line
    return [c.words for c in cells if not c.drawn]
