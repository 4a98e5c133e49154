"""The regional workbook (``region-profile.xlsx``): a region's authorities ranked on each
indicator, their change between two periods ranked and charted with its significance, the share
of each authority's LSOAs in each national IMD quintile, and centres per authority."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from xl_profile.layout import ChartOptions
from xl_profile.region import SIGNIFICANCE_METHOD, ChangeRow, IndicatorView, RegionView

from .common import fit_columns, print_setup, saved_workbook, standard_formats, uk_day, write_value

FILE_NAME = "region-profile.xlsx"
MARK = " ●"  # after the authority of interest's name, as a cluster's wards are marked
CHART_WIDTH, ROW_HEIGHT_PX = 560, 20


def write_region_profile(view: RegionView, out_dir: Path, built_on: dt.date,
                         options: ChartOptions | None = None) -> Path:
    """Write ``region-profile.xlsx`` into ``out_dir`` (atomically) and return its path."""
    options = options or ChartOptions()
    path = Path(out_dir) / FILE_NAME
    title = f"{view.config.region}: regional profile"
    with saved_workbook(path, title, subject="Regional view") as workbook:
        formats = _formats(workbook)
        _about(workbook, view, formats, title, built_on)
        _ranked(workbook, view, formats, built_on)
        _changes(workbook, view, formats, options, built_on)
        _imd(workbook, view, formats, built_on)
        _centres(workbook, view, formats, built_on)
    return path


def _formats(workbook) -> dict:
    formats = standard_formats(workbook)
    formats["interest"] = workbook.add_format({"font_name": "Calibri", "font_size": 10,
                                               "valign": "top", "bold": True})
    formats["pct0"] = workbook.add_format({"font_name": "Calibri", "font_size": 10,
                                           "valign": "top", "num_format": "0%"})
    formats["p"] = workbook.add_format({"font_name": "Calibri", "font_size": 10,
                                        "valign": "top", "num_format": "0.000"})
    return formats


def _about(workbook, view: RegionView, formats: dict, title: str, built_on: dt.date) -> None:
    sheet = workbook.add_worksheet("About")
    config = view.config
    interest = _name(view, config.authority_of_interest)
    lines = [
        ("Region", config.region + (" — fictional data for demonstration" if config.fictional
                                    else "")),
        ("Authority of interest", f"{interest} ({config.authority_of_interest}), marked ● and "
                                  "drawn dark in the change charts"),
        ("Authorities", str(len(config.authorities))),
        ("Change compared", f"{config.compare.from_period} to {config.compare.to_period}"),
        ("Significance of change", SIGNIFICANCE_METHOD + "; percentages only, where both "
                                   "periods give numerator and denominator"),
        ("Ranks", "1 = the highest value or the largest rise; where lower is better (each "
                  "table says), the lowest value or the largest fall; equal values share a rank "
                  "(as RANK.EQ)"),
        ("IMD quintiles", "quintile 1 = the most deprived fifth of England's LSOAs, by national "
                          "IMD rank"),
        ("Rows left out", f"{view.rows_left_out} row(s) of the indicator file are for another "
                          "indicator or an area outside the region"),
        ("Built on", uk_day(built_on)),
    ]
    sheet.write_string(0, 0, title, formats["title"])
    for r, (label, text) in enumerate(lines, start=2):
        sheet.write_string(r, 0, label, formats["bold"])
        sheet.write_string(r, 1, text, formats["wrap"])
    fit_columns(sheet, {0: 24, 1: 100})
    print_setup(sheet, title, printed=uk_day(built_on))


def _name(view: RegionView, code: str) -> str:
    return next(a.name for a in view.config.authorities if a.code == code)


def _label(view: RegionView, code: str, name: str) -> tuple[str, str]:
    """The name as shown, and the format key: the authority of interest marked and bold."""
    if code == view.config.authority_of_interest:
        return name + MARK, "interest"
    return name, "text"


def _ranked(workbook, view: RegionView, formats: dict, built_on: dt.date) -> None:
    sheet = workbook.add_worksheet("Ranked")
    sheet.write_string(0, 0, "Authorities ranked on each indicator, latest period",
                       formats["title"])
    row = 2
    for block in view.indicators:
        heading = f"{block.indicator.title} ({_unit(block)}, 1 = the " \
                  f"{'highest' if block.indicator.higher_is_better else 'lowest'})"
        heading += f", {block.latest}" if block.latest else ": no figures in the indicator file"
        sheet.write_string(row, 0, heading, formats["subtitle"])
        row += 1
        for c, text in enumerate(("Rank", "Authority", "Code", "Value")):
            sheet.write_string(row, c, text, formats["heading"])
        for r in block.ranked:
            row += 1
            name, fmt = _label(view, r.code, r.name)
            write_value(sheet, row, 0, r.rank, formats["int"])
            sheet.write_string(row, 1, name, formats[fmt])
            sheet.write_string(row, 2, r.code, formats["text"])
            _figure(sheet, row, 3, r.value, formats)
        row += 2
    fit_columns(sheet, {0: 8, 1: 34, 2: 12, 3: 12})
    print_setup(sheet, "Ranked", printed=uk_day(built_on), landscape=False)


def _figure(sheet, row: int, col: int, value: float | None, formats: dict) -> None:
    if value is None:
        sheet.write_string(row, col, "no figure", formats["note_line"])
    else:
        sheet.write_number(row, col, value, formats["dec1"])


def _better_change(block: IndicatorView) -> str:
    return "rise" if block.indicator.higher_is_better else "fall (lower is better)"


def _unit(block: IndicatorView) -> str:
    return {"percentage": "%", "rate": "rate"}.get(block.indicator.unit, block.indicator.unit)


CHANGE_COLUMNS = ("Rank", "Authority", "From", "To", "Change", "z", "p-value",
                  "Significant at 5%")


def _changes(workbook, view: RegionView, formats: dict, options: ChartOptions,
             built_on: dt.date) -> None:
    sheet = workbook.add_worksheet("Change")
    compare = view.config.compare
    sheet.write_string(0, 0, f"Change from {compare.from_period} to {compare.to_period}, "
                             "ranked", formats["title"])
    sheet.write_string(1, 0, f"Significance: {SIGNIFICANCE_METHOD}.", formats["note_line"])
    row, page_top, breaks = 3, 0, []
    for block in view.indicators:
        rows = _block_rows(block)
        if row - page_top + rows > PAGE_ROWS and row > page_top + 3 and rows <= PAGE_ROWS:
            breaks.append(row)  # a block and its chart are never split over two pages
            page_top = row
        sheet.write_string(row, 0, f"{block.indicator.title} ({_unit(block)}): 1 = the "
                                   f"largest {_better_change(block)}", formats["subtitle"])
        row += 1
        for c, text in enumerate(CHANGE_COLUMNS):
            sheet.write_string(row, c, text, formats["heading"])
        first = row + 1
        for change in block.changes:
            row += 1
            _change_row(sheet, row, view, change, formats)
        charted = _charted(block)
        if charted:
            sheet.insert_chart(row - len(block.changes) - 1, 9, _change_chart(
                workbook, block, options, first, first + charted - 1, view))
        row += max(3, _chart_rows(charted) - len(block.changes))
    fit_columns(sheet, {0: 6, 1: 30, 2: 8, 3: 8, 4: 9, 5: 7, 6: 8, 7: 17})
    print_setup(sheet, "Change", printed=uk_day(built_on))
    sheet.set_h_pagebreaks(breaks)


def _block_rows(block: IndicatorView) -> int:
    """Rows an indicator's change block takes: heading, table header, a row per authority and
    the chart's overhang below the table."""
    return 2 + len(block.changes) + max(3, _chart_rows(_charted(block)) - len(block.changes))


def _charted(block: IndicatorView) -> int:
    """Authorities with a change to chart."""
    return sum(1 for c in block.changes if c.change is not None)


def _change_row(sheet, row: int, view: RegionView, change: ChangeRow, formats: dict) -> None:
    name, fmt = _label(view, change.code, change.name)
    write_value(sheet, row, 0, change.rank, formats["int"])
    sheet.write_string(row, 1, name, formats[fmt])
    _figure(sheet, row, 2, change.before and change.before.value, formats)
    _figure(sheet, row, 3, change.after and change.after.value, formats)
    if change.change is None:
        sheet.write_string(row, 4, "no change: a period has no figure", formats["note_line"])
        return
    sheet.write_formula(row, 4, f"={xl_rowcol_to_cell(row, 3)}-{xl_rowcol_to_cell(row, 2)}",
                        formats["dec1"], change.change)
    if change.p_value is None:
        sheet.write_string(row, 5, "not tested (no counts)", formats["note_line"])
        return
    sheet.write_number(row, 5, change.z, formats["dec2"])
    sheet.write_number(row, 6, change.p_value, formats["p"])
    sheet.write_string(row, 7, "yes" if change.significant else "no", formats["text"])


#: Default-height rows a landscape page of the Change sheet holds at the scale that fits its
#: tables and charts across the page (about 75%).
PAGE_ROWS = 36


def _chart_rows(bars: int) -> int:
    return (60 + bars * 22) // ROW_HEIGHT_PX + 1


def _change_chart(workbook, block: IndicatorView, options: ChartOptions, first: int,
                  last: int, view: RegionView):
    """The change ranked as horizontal bars, rank 1 at the top; the authority of interest
    dark (the template's cluster colour), the others the light grey of other wards."""
    interest = view.config.authority_of_interest
    shown = [c for c in block.changes if c.change is not None]
    points = [{"fill": {"color": options.cluster_colour if c.code == interest
                        else options.other_ward_colour}} for c in shown]
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"name": block.indicator.title,
                      "categories": ["Change", first, 1, last, 1],
                      "values": ["Change", first, 4, last, 4], "points": points, "gap": 40,
                      "data_labels": {"value": True, "num_format": "0.0",
                                      "font": {"size": 9}}})
    compare = view.config.compare
    chart.set_title({"name": f"{block.indicator.title}: change {compare.from_period} to "
                             f"{compare.to_period} ({_unit(block)} points); "
                             f"{_name(view, interest)} dark",
                     "name_font": {"size": 11, "bold": True}})
    # Names at the left edge, clear of the bars of a fall.
    chart.set_y_axis({"reverse": True, "num_font": {"size": 10}, "interval_unit": 1,
                      "label_position": "low"})
    chart.set_x_axis({"num_font": {"size": 10},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_WIDTH, "height": 60 + len(shown) * 22})
    return chart


def _imd(workbook, view: RegionView, formats: dict, built_on: dt.date) -> None:
    sheet = workbook.add_worksheet("IMD quintiles")
    sheet.write_string(0, 0, "Share of each authority's LSOAs in each national IMD quintile",
                       formats["title"])
    if view.imd_shares is None:
        sheet.write_string(2, 0, "Not shown: the region build file names no 'imd' input (a CSV "
                                 "of authority_code, lsoa_code, imd_rank with the national IMD "
                                 "rank of each LSOA, and national_lsoas).", formats["note_line"])
        return
    header = ["Authority", "Q1 most deprived", "Q2", "Q3", "Q4", "Q5 least deprived"]
    for c, text in enumerate(header):
        sheet.write_string(2, c, text, formats["heading"])
    for row, authority in enumerate(view.config.authorities, start=3):
        name, fmt = _label(view, authority.code, authority.name)
        sheet.write_string(row, 0, name, formats[fmt])
        shares = view.imd_shares[authority.code]
        if not shares:
            sheet.write_string(row, 1, "no LSOAs in the IMD file", formats["note_line"])
            continue
        for c, share in enumerate(shares, start=1):
            sheet.write_number(row, c, share, formats["pct0"])
    fit_columns(sheet, {0: 34, 1: 16, 2: 8, 3: 8, 4: 8, 5: 16})
    print_setup(sheet, "IMD quintiles", printed=uk_day(built_on))


def _centres(workbook, view: RegionView, formats: dict, built_on: dt.date) -> None:
    sheet = workbook.add_worksheet("Centres")
    sheet.write_string(0, 0, "Children's centres per authority", formats["title"])
    for c, text in enumerate(("Authority", "Code", "Centres")):
        sheet.write_string(2, c, text, formats["heading"])
    row = 2
    for authority in view.config.authorities:
        row += 1
        name, fmt = _label(view, authority.code, authority.name)
        sheet.write_string(row, 0, name, formats[fmt])
        sheet.write_string(row, 1, authority.code, formats["text"])
        if authority.centres is None:
            sheet.write_string(row, 2, "not given", formats["note_line"])
        else:
            sheet.write_number(row, 2, authority.centres, formats["int"])
    if row > 2:
        sheet.write_string(row + 1, 0, "Region", formats["bold"])
        sheet.write_formula(row + 1, 2, f"=SUM(C4:C{row + 1})", formats["int"],
                            sum(a.centres or 0 for a in view.config.authorities))
    fit_columns(sheet, {0: 34, 1: 12, 2: 10})
    print_setup(sheet, "Centres", printed=uk_day(built_on), landscape=False)
