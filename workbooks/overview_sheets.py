"""The cluster profile's Overview (key findings, spine chart table) and Tartan rug sheets.

Drawn from :mod:`xl_profile.overview` with cell formats only: the spine chart is a row of narrow
cells per indicator (the range of ward values filled grey, the middle half darker, the authority a
vertical line, the cluster a filled marker cell with a symbol), so it prints, survives any
spreadsheet application and needs no add-in. Every colour has a symbol or word beside it, so the
sheets read in grey print too. The two trend columns at the right (the cluster's and the
authority's figures over time) are drawn by :mod:`workbooks.overview_trends`.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook

from xl_profile.compare import Comparison
from xl_profile.overview import (SPINE_CELLS, Overview, OverviewRow, RugCell, build_overview,
                                 spine_cell)
from xl_profile.layout import NOTE_WORDS, ProfileTemplate
from xl_profile.models import Unit, ValueNote
from xl_profile.profile import ProfileData

from .common import HEADER_COLOUR, print_setup, sheet_name
from .textfit import word_lines
from .overview_trends import (TREND_DATA, TREND_KEY, TREND_WIDTH, trend_words, write_trend_cells,
                              write_trend_data)

OVERVIEW, RUG = "Overview", "Tartan rug"
# A4 landscape less the margins set in _page_setup, in points.
PRINTABLE_WIDTH, PRINTABLE_HEIGHT = (11.69 - 0.8) * 72, (8.27 - 1.2) * 72
DEFAULT_HEIGHT, SECTION_HEIGHT = 15.0, 14.0
#: The tartan rug prints unscaled on a portrait page, so its font is its printed size; its rows
#: and columns are sized for it.
RUG_FONT, RUG_ROW, RUG_SECTION_ROW = 8.5, 11.5, 12.0
RUG_WIDTHS = (28, 6, 6.5, 7)  # indicator, period, England, authority
RUG_AREA_WIDTH = 6.5  # each cluster and centre
#: Words a rug cell shows by a shorter mark (the key under the title says what each means).
RUG_MARKS = {"suppressed": "*", "no data": "–"}
FONT = {"font_name": "Calibri", "font_size": 9, "valign": "vcenter"}
RANGE_FILL, MIDDLE_FILL, LINE_COLOUR = "#D9D9D9", "#A6A6A6", "#1F4E79"
SECTION_FILL, RULE = "#DDEBF7", "#D9D9D9"
DARK = {Comparison.WORSE, Comparison.WORST, Comparison.LOWER, Comparison.BEST}
#: A figure placed on the spine but not compared (no confidence limits, or an authority figure
#: that is itself an estimate) is a grey diamond.
UNCOMPARED_MARKER = "◆"
# Overview columns: indicator, period, count, value, authority, England, ward lowest, the spine
# cells, ward highest, comparison, the cluster's trend and the authority's.
SPINE_FROM = 7
HIGHEST_COL = SPINE_FROM + SPINE_CELLS
COMPARE_COL = HIGHEST_COL + 1
TREND_COL = COMPARE_COL + 1
LAST_COL = TREND_COL + 1
OVERVIEW_WIDTHS = [34, 7.5, 7, 8.5, 8, 8, 8] + [1.0] * SPINE_CELLS + [8, 12.5] + [TREND_WIDTH] * 2
KEY_TEXT = (
    "Similar: the authority's value lies within the cluster's 95% confidence limits; Better or "
    "Worse: it lies outside them, in the better or the worse direction; Higher or Lower where "
    "neither direction is better. A cluster figure marked withheld (a part missing or suppressed "
    "at source), est. (an estimate), suppressed (a small count hidden) or unreliable is neither "
    "placed on the spine nor compared. Counts (people, births) are totals and have no spine. "
    "Where a direction is good the spine runs from worse to better (a low-is-good indicator's "
    "highest ward is on the left), otherwise from lower to higher. – : not published.")


class _Formats:
    """Cell formats made once per combination of properties (xlsxwriter keeps every one)."""

    def __init__(self, workbook: Workbook, font_size: float = 9) -> None:
        self.workbook = workbook
        self.font = {**FONT, "font_size": font_size}
        self.made: dict[tuple, Any] = {}
        self.printed: str | None = None  # the build's date for page headers
        self.trend_data = TREND_DATA  # the sheet the trend sparklines draw, and their blocks
        self.trend_blocks: dict[str, tuple[int, int]] = {}
        self.heights: dict[str, dict[int, float]] = {}

    def __call__(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.workbook.add_format({**self.font, **props})
        return self.made[key]

    def height(self, sheet, row: int, points: float) -> None:
        """Set a row's height and remember it (for the page breaks between sections)."""
        sheet.set_row(row, points)
        self.heights.setdefault(sheet.name, {})[row] = points

    def comparison(self, comparison: Comparison, **props: Any) -> Any:
        if comparison is Comparison.NOT_COMPARED:
            return self(font_color="#595959", **props)
        return self(bg_color=comparison.colour, bold=True,
                    font_color="#FFFFFF" if comparison in DARK else "#000000", **props)


def cluster_title(name: str) -> str:
    """'North' -> 'North cluster'; a name that already says so is kept ('North cluster')."""
    return name if name.lower().endswith("cluster") else f"{name} cluster"


def number_format(unit: Unit) -> str:
    return "#,##0" if unit is Unit.COUNT else "0.0"


def comparison_text(comparison: Comparison) -> str:
    if comparison is Comparison.NOT_COMPARED:
        return "– Not compared"
    return f"{comparison.symbol} {comparison.label}"


def add_overview_sheets(workbook: Workbook, profile: ProfileData, cluster_code: str,
                        template: ProfileTemplate, used: set[str] | None = None,
                        printed: str | None = None) -> list[str]:
    """Add the Overview and Tartan rug sheets, and the hidden Trend data sheet the Overview's
    sparklines draw (call right after the cover is added, so they follow it); return their
    names. ``printed`` is the UK date for the page headers."""
    overview = build_overview(profile, cluster_code, template)
    fmt, rug_fmt = _Formats(workbook), _Formats(workbook, font_size=RUG_FONT)
    fmt.printed = rug_fmt.printed = printed
    names = [sheet_name(OVERVIEW, used), sheet_name(RUG, used), sheet_name(TREND_DATA, used)]
    sheets = [workbook.add_worksheet(name) for name in names]
    fmt.trend_data = names[2]
    fmt.trend_blocks = write_trend_data(sheets[2], overview, fmt)
    sheets[2].hide()  # the sparklines' figures, for analysts; never printed
    write_overview(sheets[0], overview, template.title, fmt)
    write_rug(sheets[1], overview, template.title, rug_fmt)
    return names


def _section_heading(sheet, row: int, last: int, title: str, fmt: _Formats) -> int:
    """A section's heading band across the table; return the next row."""
    sheet.merge_range(row, 0, row, last, title,
                      fmt(bold=True, bg_color=SECTION_FILL, font_color=HEADER_COLOUR))
    fmt.height(sheet, row, SECTION_HEIGHT)
    return row + 1


def _page_setup(sheet, title: str, header_row: tuple[int, int], last_row: int,
                last_col: int, printed: str | None = None) -> None:
    """A4 landscape, one page wide; the header carries the title and the build's date."""
    print_setup(sheet, title, repeat_rows=header_row, printed=printed)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.hide_gridlines(2)


def section_breaks(heights: dict[int, float], starts: list[int], end: int, repeat_from: int,
                   repeat_to: int, widths: list[float]) -> list[int]:
    """Rows to break the page before, so that no section is split over two pages.

    Heights are estimated at the largest print scale a client may use (Excel's column widths;
    LibreOffice draws columns about 6% wider and so scales further down), so an estimated page
    is never fuller than the printed one. A section taller than a page is left to flow.
    """
    width_points = _columns_points(widths)
    scale = min(1.0, PRINTABLE_WIDTH / width_points)
    capacity = PRINTABLE_HEIGHT / scale

    def tall(first: int, stop: int) -> float:
        return sum(heights.get(r, DEFAULT_HEIGHT) for r in range(first, stop))

    repeated = tall(repeat_from, repeat_to + 1)
    breaks, used = [], tall(0, starts[0]) if starts else 0.0
    for first, stop in zip(starts, [*starts[1:], end]):
        size = tall(first, stop)
        if used + size > capacity and used > repeated and size <= capacity - repeated:
            breaks.append(first)
            used = repeated
        used += size
        if used > capacity:  # a section that flowed over: what is left of it on the last page
            used = repeated + (used - capacity) % (capacity - repeated)
    return breaks


def _back_link(sheet, col: int, fmt: _Formats) -> None:
    sheet.write_url(0, col, "internal:'Cover'!A1", fmt(font_color="#0563C1", underline=1),
                    string="Back to contents")


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` characters needs for ``text`` at 9 pt."""
    return max(1, -(-len(text) // int(width * 1.4)))


def write_overview(sheet, overview: Overview, title: str, fmt: _Formats) -> None:
    """Title, key findings, the key, and the table with a spine per indicator."""
    for col, width in enumerate(OVERVIEW_WIDTHS):
        sheet.set_column(col, col, width)
    last = LAST_COL
    sheet.write_string(0, 0, f"Overview — {cluster_title(overview.cluster_name)}",
                       fmt(bold=True, font_size=14, font_color=HEADER_COLOUR))
    _back_link(sheet, last - 1, fmt)
    fmt.height(sheet, 0, 21)
    sheet.merge_range(1, 0, 1, last, (
        f"Where {overview.cluster_name} stands against {overview.authority_name} on every "
        "indicator of this profile, for the latest period of each. Each indicator has a page of "
        "charts and tables in its section's sheet; the Tartan rug sheet sets every cluster and "
        f"{overview.cluster_name}'s centres side by side."), fmt(italic=True, text_wrap=True))
    fmt.height(sheet, 1, 25)
    row = _findings(sheet, 3, overview, fmt)
    row = _key(sheet, row + 1, overview, fmt)
    header = row + 1
    _table_header(sheet, header, overview, fmt)
    row, starts = header + 1, []
    for section, rows in overview.sections:
        starts.append(row)
        row = _section_heading(sheet, row, last, section.value, fmt)
        for item in rows:
            _overview_row(sheet, row, item, fmt)
            row += 1
    _page_setup(sheet, f"{title}: {overview.cluster_name} — Overview", (header, header), row - 1,
                last, fmt.printed)
    sheet.set_h_pagebreaks(section_breaks(fmt.heights[sheet.name], starts, row, header, header,
                                          OVERVIEW_WIDTHS))


def _findings(sheet, row: int, overview: Overview, fmt: _Formats) -> int:
    """The key findings block; returns the row after it."""
    sheet.write_string(row, 0, "Key findings",
                       fmt(bold=True, font_size=12, font_color=HEADER_COLOUR))
    row += 1
    if not overview.findings:
        sheet.merge_range(row, 0, row, LAST_COL, (
            f"On no indicator that can be compared does {overview.cluster_name} differ "
            f"significantly from {overview.authority_name}."), fmt(text_wrap=True))
        return row + 1
    for finding in overview.findings:
        sheet.merge_range(row, 0, row, HIGHEST_COL, finding.sentence, fmt(text_wrap=True))
        sheet.write_string(row, COMPARE_COL, comparison_text(finding.comparison),
                           fmt.comparison(finding.comparison, align="center"))
        fmt.height(sheet, row, 12.5 * _lines(finding.sentence, sum(OVERVIEW_WIDTHS[:COMPARE_COL])))
        row += 1
    return row


def _key(sheet, row: int, overview: Overview, fmt: _Formats) -> int:
    """Two rows of real cells showing the spine's parts and markers, then the words; returns the
    last row used."""
    bold = fmt(bold=True)
    sheet.write_string(row, 0, "Key: the comparison with the authority", bold)
    for col, comparison in enumerate((Comparison.BETTER, Comparison.SIMILAR, Comparison.WORSE,
                                      Comparison.HIGHER, Comparison.LOWER), start=1):
        sheet.write_string(row, col, comparison_text(comparison),
                           fmt.comparison(comparison, align="center"))
    sheet.write_string(row, 6, UNCOMPARED_MARKER, fmt(bg_color=Comparison.NOT_COMPARED.colour,
                                                      align="center"))
    placed = ("placed on the spine, not compared: no confidence limits, or the authority's "
              "figure is an estimate")
    sheet.merge_range(row, 7, row, LAST_COL, placed, fmt(text_wrap=True))
    fmt.height(sheet, row, 12.5 * _lines(placed, sum(OVERVIEW_WIDTHS[7:])))
    row += 1
    sheet.write_string(row, 0, "Key: spine", bold)
    sheet.write_blank(row, 1, None, fmt(bg_color=RANGE_FILL))
    sheet.merge_range(row, 2, row, 3, "ward range", fmt())
    sheet.write_blank(row, 4, None, fmt(bg_color=MIDDLE_FILL))
    sheet.merge_range(row, 5, row, SPINE_FROM + 5, "middle half of wards", fmt())
    sheet.write_blank(row, SPINE_FROM + 6, None, fmt(left=5, left_color=LINE_COLOUR))
    sheet.merge_range(row, SPINE_FROM + 7, row, LAST_COL,
                      "authority value; the marker is the cluster", fmt())
    row += 1
    text = f"{KEY_TEXT} {TREND_KEY}"
    sheet.merge_range(row, 0, row, LAST_COL, text, fmt(text_wrap=True, font_color="#404040"))
    fmt.height(sheet, row, 12.5 * _lines(text, sum(OVERVIEW_WIDTHS)))
    return row + 1


def _table_header(sheet, row: int, overview: Overview, fmt: _Formats) -> None:
    head = fmt(bold=True, font_color="#FFFFFF", bg_color=HEADER_COLOUR, text_wrap=True,
               align="center", border=1, border_color="#FFFFFF")
    name = overview.cluster_name
    for col, text in enumerate(["Indicator", "Period", "Count", f"{name} value", "Authority",
                                "England", "Ward worst or lowest"]):
        sheet.write_string(row, col, text, head)
    sheet.merge_range(row, SPINE_FROM, row, HIGHEST_COL - 1,
                      "◄ worse or lower     authority     better or higher ►", head)
    sheet.write_string(row, HIGHEST_COL, "Ward best or highest", head)
    sheet.write_string(row, COMPARE_COL, f"{name} compared with authority", head)
    sheet.write_string(row, TREND_COL, f"{name} trend", head)
    sheet.write_string(row, TREND_COL + 1, "Authority trend", head)
    fmt.height(sheet, row, 26)


def _worded(value: float | None, status: str, unit: Unit) -> str:
    """The text of a figure with a word ('3,391 est.'), '' for an ordinary number."""
    if value is None or not status:
        return ""
    number = f"{value:,.0f}" if unit is Unit.COUNT else f"{value:,.1f}"
    return f"{number} {status}"


def _shown(sheet, row: int, col: int, value: float | None, status: str, unit: Unit,
           fmt: _Formats, **props: Any) -> None:
    """A figure with its word: a number when ordinary, '62.0 est.' or 'withheld' otherwise,
    '–' where nothing is published."""
    props = {"align": "right", **props}
    if value is not None and not status:
        sheet.write_number(row, col, value, fmt(num_format=number_format(unit), **props))
    elif value is not None:
        sheet.write_string(row, col, _worded(value, status, unit), fmt(italic=True,
                                                                       text_wrap=True, **props))
    elif status and status != "no data":
        sheet.write_string(row, col, status, fmt(italic=True, font_color="#595959",
                                                 text_wrap=True, **props))
    else:
        sheet.write_string(row, col, "–", fmt(font_color="#595959", **props))


def _overview_row(sheet, row: int, item: OverviewRow, fmt: _Formats) -> None:
    rule = {"bottom": 1, "bottom_color": RULE}
    sheet.write_string(row, 0, item.title, fmt(text_wrap=True, **rule))
    sheet.write_string(row, 1, item.period, fmt(align="center", **rule))
    if item.count is None:
        sheet.write_blank(row, 2, None, fmt(**rule))
    else:
        sheet.write_number(row, 2, item.count, fmt(num_format="#,##0", **rule))
    _shown(sheet, row, 3, item.value, item.status, item.unit, fmt, bold=True, **rule)
    _shown(sheet, row, 4, item.authority, item.authority_status, item.unit, fmt, **rule)
    _shown(sheet, row, 5, item.england, "", item.unit, fmt, **rule)
    for col, value, status in zip((6, HIGHEST_COL), item.ward_ends, item.ward_end_statuses):
        _shown(sheet, row, col, value, status, item.unit, fmt, **rule)
    _spine(sheet, row, item, fmt)
    sheet.write_string(row, COMPARE_COL, comparison_text(item.comparison),
                       fmt.comparison(item.comparison, align="center", **rule))
    write_trend_cells(sheet, row, TREND_COL, item, fmt.trend_data, fmt.trend_blocks, fmt,
                      **rule)
    worded = [(text, width) for text, width in (
        (_worded(item.value, item.status, item.unit), OVERVIEW_WIDTHS[3]),
        (_worded(item.authority, item.authority_status, item.unit), OVERVIEW_WIDTHS[4]))]
    worded += [(text, TREND_WIDTH) for text in trend_words(item)]
    fmt.height(sheet, row, 12.5 * max(_lines(item.title, OVERVIEW_WIDTHS[0]),
                                  *(_lines(t, w) for t, w in worded)))


def _spine(sheet, row: int, item: OverviewRow, fmt: _Formats) -> None:
    """The spine's cells: range, middle half, authority line and the cluster's marker."""
    spine = item.spine
    if spine is None:
        sheet.merge_range(row, SPINE_FROM, row, HIGHEST_COL - 1, item.no_spine_reason,
                          fmt(italic=True, font_color="#595959", align="center",
                              bottom=1, bottom_color=RULE))
        return
    low, high = spine_cell(spine.lowest), spine_cell(spine.highest)
    q1, q3 = spine_cell(spine.lower_quartile), spine_cell(spine.upper_quartile)
    marker = None if spine.marker is None else spine_cell(spine.marker)
    for i in range(SPINE_CELLS):
        props: dict[str, Any] = {"align": "center"}
        if i == SPINE_CELLS // 2:
            props.update(left=5, left_color=LINE_COLOUR)
        if i == marker:
            comparison = item.comparison
            text = comparison.symbol if comparison is not Comparison.NOT_COMPARED \
                else UNCOMPARED_MARKER
            sheet.write_string(row, SPINE_FROM + i, text, fmt.comparison(
                comparison, **props) if comparison is not Comparison.NOT_COMPARED
                else fmt(bg_color=comparison.colour, **props))
            continue
        if low <= i <= high:
            # White top and bottom edges make the bar thinner than the row, as in Fingertips.
            props.update(bg_color=MIDDLE_FILL if q1 <= i <= q3 else RANGE_FILL, top=2,
                         bottom=2, top_color="#FFFFFF", bottom_color="#FFFFFF")
        sheet.write_blank(row, SPINE_FROM + i, None, fmt(**props))


def write_rug(sheet, overview: Overview, title: str, fmt: _Formats) -> None:
    """Indicators by clusters and the cluster's centres, each cell coloured by its comparison
    with the authority and printed with its value and symbol."""
    columns = overview.rug_columns
    first = len(RUG_WIDTHS)  # first area column: indicator, period, England, authority before
    widths = [*RUG_WIDTHS] + [RUG_AREA_WIDTH] * len(columns)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    last = len(widths) - 1
    _back_link(sheet, last - 1, fmt)
    sheet.write_string(0, 0, f"Tartan rug — {overview.cluster_name} beside the other clusters "
                             "and its centres", fmt(bold=True, font_size=13,
                                                    font_color=HEADER_COLOUR))
    fmt.height(sheet, 0, 19)
    _rug_key(sheet, widths, fmt)
    header = 5
    _rug_header(sheet, header, overview, first, fmt)
    row = header + 1
    for section, rows in overview.rug:
        row = _section_heading(sheet, row, last, section.value, fmt)
        fmt.height(sheet, row - 1, RUG_SECTION_ROW)
        for item in rows:
            sheet.write_string(row, 0, item.title, fmt(text_wrap=True))
            sheet.write_string(row, 1, item.period, fmt(align="center"))
            _rug_cell(sheet, row, 2, RugCell("England", item.england, "", Comparison.NOT_COMPARED),
                      item.unit, fmt, False)
            _rug_cell(sheet, row, 3, item.authority, item.unit, fmt, False)
            for col, cell in enumerate(item.cells, start=first):
                own = cell.name == overview.cluster_name and col < first + \
                    overview.rug_centres_from
                _rug_cell(sheet, row, col, cell, item.unit, fmt, own)
            fmt.height(sheet, row, RUG_ROW * _rug_lines(item.title, widths[0]))
            row += 1
    _page_setup(sheet, f"{title}: {overview.cluster_name} — Tartan rug", (header - 1, header),
                row - 1, last, fmt.printed)
    if _printed_width(widths) <= (8.27 - 0.7) * 72 * RUG_FONT / 8.0:
        sheet.set_portrait()  # else landscape (print_setup's), where more centres fit
    sheet.set_margins(left=0.35, right=0.35, top=0.6, bottom=0.6)
    sheet.freeze_panes(header + 1, 1)


def _printed_width(widths: list[float]) -> float:
    """Points the columns take unscaled in LibreOffice, which draws columns about 7% wider
    than their Excel width."""
    return _columns_points(widths) * 1.07


def _columns_points(widths: list[float]) -> float:
    """Points columns of these Excel widths take (a narrow spine cell is its own case)."""
    return sum(int(w * 7 + 5) if w >= 1 else int(w * 12 + 0.5) for w in widths) * 0.75


def _rug_lines(text: str, width: float) -> int:
    """Lines an indicator title wraps onto in the rug's first column (8.5 pt text)."""
    return max(1, -(-len(text) // int(width * 1.6)))


def _rug_key(sheet, widths: list[float], fmt: _Formats) -> None:
    """What the cells mean (rows 1 to 3): the words, one cell of each comparison, the marks."""
    text = ("Each cell gives the area's value, coloured and marked by its comparison with the "
            "authority (the authority's own with England). " + KEY_TEXT.split(". A cluster")[0]
            + ".")
    last = len(widths) - 1
    sheet.merge_range(1, 0, 1, last, text, fmt(italic=True, text_wrap=True))
    fmt.height(sheet, 1, RUG_ROW * _rug_lines(text, sum(widths)))
    sheet.write_string(2, 0, "Key", fmt(bold=True))
    for col, comparison in enumerate((Comparison.BETTER, Comparison.SIMILAR, Comparison.WORSE,
                                      Comparison.HIGHER, Comparison.LOWER,
                                      Comparison.NOT_COMPARED), start=1):
        sheet.write_string(2, col, comparison_text(comparison),
                           fmt.comparison(comparison, align="center", text_wrap=True, border=1,
                                          border_color="#FFFFFF"))
    fmt.height(sheet, 2, 2 * RUG_ROW)
    marks = ("Grey italics: an estimate (est.), not compared.   withheld: a part missing or "
             "suppressed at source.   *: a small count hidden.   –: not published.")
    sheet.merge_range(3, 0, 3, last, marks, fmt(italic=True, text_wrap=True))
    fmt.height(sheet, 3, RUG_ROW * _rug_lines(marks, sum(widths)))


def _band(sheet, row: int, first: int, last: int, text: str, fmt) -> None:
    """A heading over columns ``first``..``last`` (one cell when they are one column)."""
    if first == last:
        sheet.write_string(row, first, text, fmt)
    else:
        sheet.merge_range(row, first, row, last, text, fmt)


def _rug_header(sheet, row: int, overview: Overview, first: int, fmt: _Formats) -> None:
    head = fmt(bold=True, font_color="#FFFFFF", bg_color=HEADER_COLOUR, text_wrap=True,
               align="center", border=1, border_color="#FFFFFF")
    n_clusters, columns = overview.rug_centres_from, overview.rug_columns
    _band(sheet, row - 1, first, first + n_clusters - 1,
          "Clusters, compared with the authority", head)
    if len(columns) > n_clusters:
        _band(sheet, row - 1, first + n_clusters, first + len(columns) - 1,
              f"{overview.cluster_name}'s centres, compared with the authority", head)
    fmt.height(sheet, row - 1, 2 * RUG_ROW)
    for col, text in enumerate(["Indicator", "Period", "England", "Authority, compared with "
                                                                   "England"]):
        sheet.write_string(row, col, text, head)
    for col, name in enumerate(columns, start=first):
        own = name == overview.cluster_name and col < first + n_clusters
        sheet.write_string(row, col, f"{name} (this cluster)" if own else name,
                           fmt(bold=True, font_color="#000000" if own else "#FFFFFF",
                               bg_color="#FFFFFF" if own else HEADER_COLOUR, text_wrap=True,
                               align="center", border=2 if own else 1,
                               border_color="#000000" if own else "#FFFFFF"))
    longest = max(word_lines(name, RUG_AREA_WIDTH, per_unit=1.3) for name in [*columns, "Authority, compared "
                                                                 "with England"])
    fmt.height(sheet, row, RUG_ROW * max(2, longest))





def _rug_cell(sheet, row: int, col: int, cell: RugCell, unit: Unit, fmt: _Formats,
              own: bool) -> None:
    """Value with the comparison's symbol in its number format, on the comparison's colour; an
    estimate in grey italics and a hidden or withheld figure by its mark, so cells stay narrow."""
    edge = {"left": 2, "right": 2, "left_color": "#000000", "right_color": "#000000"} \
        if own else {"border": 1, "border_color": "#FFFFFF"}
    grey = {"align": "center", "font_color": "#595959", **edge}
    if cell.value is not None and cell.status == NOTE_WORDS[ValueNote.ESTIMATED]:
        sheet.write_number(row, col, cell.value, fmt(num_format=number_format(unit),
                                                     italic=True, **grey))
    elif cell.value is None or cell.status:
        mark = RUG_MARKS.get(cell.status, cell.status) if cell.status else "–"
        sheet.write_string(row, col, mark, fmt(italic=bool(cell.status), text_wrap=True,
                                               **grey))
    elif cell.comparison is Comparison.NOT_COMPARED:
        sheet.write_number(row, col, cell.value, fmt(num_format=number_format(unit),
                                                     align="center", **edge))
    else:
        symbol = cell.comparison.symbol.replace('"', "")
        sheet.write_number(row, col, cell.value, fmt.comparison(
            cell.comparison, num_format=f'{number_format(unit)}" {symbol}"', align="center",
            **edge))
