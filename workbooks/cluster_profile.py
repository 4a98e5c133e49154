"""Cluster profile workbooks: ``cluster-profile-<cluster>.xlsx``, one per cluster.

Sheets: Cover (with contents and how to read), one sheet per section with every indicator's
ranked area chart, ranked ward chart and tables, Centres (best-fitted values beside the cluster
and authority), Data sources and quality ("Table 1"), and Chart data. Values and native formulas
only, so cluster boards can read it in any spreadsheet application.
"""

from __future__ import annotations

import textwrap

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook

from xl_profile.layout import (ClusterLayout, IndicatorBlock, ProfileTemplate, basis_lines,
                               display_name, note_text,
                               build_cluster_layout, load_template)
from xl_profile.models import Level, Unit
from xl_profile.profile import AreaResult, ProfileData
from xl_profile.stats import Comparison

from . import charts
from .common import (cluster_file_name, print_setup, saved_workbook, sheet_name, standard_formats,
                     write_value)
from .overview_sheets import add_overview_sheets
from .profile_sheets import (comparison_formats, highlight_formats, write_centres_sheet,
                             write_chart_data_sheet, write_cover, write_quality_sheet)

AREA_HEADERS = ["Area", "Value", "Lower 95%", "Upper 95%", "Compared with authority"]
WARD_HEADERS = ["Rank", "Ward", "In this cluster", "Value", "Numerator", "Denominator",
                "Lower 95%", "Upper 95%", "Quintile", "Compared with authority", "Note",
                "Authority value"]
WARD_COL = 6  # ward table starts in column G
BLOCK_CHART_ROWS = 14
COLUMN_WIDTHS = [24, 9, 9, 9, 15, 2, 6, 18, 8, 9, 11, 12, 9, 9, 8, 15, 11, 10]


def profile_file_name(cluster_name: str) -> str:
    """``cluster-profile-<slug>.xlsx``; a trailing word 'cluster' is dropped ('North cluster' -> north)."""
    return cluster_file_name("cluster-profile", cluster_name)


def write_cluster_profiles(profile: ProfileData, out_dir: Path, *,
                           template: ProfileTemplate | Path | None = None,
                           built_on: dt.date | None = None, pdf: bool = False,
                           spatial=None) -> list[Path]:
    """Write one workbook per cluster (and PDFs when ``pdf``); return the files written.

    ``spatial`` (the geography's boundaries, :class:`xl_profile.spatial.Spatial`) puts a map of
    the cluster on each cover; without it the cover says there is none."""
    if not isinstance(template, ProfileTemplate):
        template = load_template(template)
    built_on = built_on or dt.date.today()
    written = []
    for cluster in profile.geography.at_level(Level.CLUSTER):
        layout = build_cluster_layout(profile, cluster.code, template)
        path = out_dir / profile_file_name(cluster.name)
        _write_workbook(layout, profile, path, built_on, spatial)
        written.append(path)
    if pdf:
        from .pdf import to_pdf

        written += to_pdf(written, out_dir)
    return written


def _write_workbook(layout: ClusterLayout, profile: ProfileData, path: Path,
                    built_on: dt.date, spatial=None) -> None:
    title = f"{layout.template.title}: {layout.cluster.name}"
    with saved_workbook(path, title, subject=profile.geography.authority.name) as workbook:
        formats = standard_formats(workbook)
        formats.update(comparison_formats(workbook))
        formats.update(highlight_formats(workbook, layout.template.charts.highlight_colours))
        used: set[str] = {"Cover", "Centres", "Data sources and quality", "Chart data"}
        # Sheets are created in reading order, then filled: the chart data comes first because
        # the charts on the section sheets refer to it.
        cover = workbook.add_worksheet("Cover")
        add_overview_sheets(workbook, profile, layout.cluster.code, layout.template, used)
        sections = [(section.value, workbook.add_worksheet(sheet_name(section.value, used)), blocks)
                    for section, blocks in layout.sections]
        centres = workbook.add_worksheet("Centres")
        quality = workbook.add_worksheet("Data sources and quality")
        data = workbook.add_worksheet("Chart data")
        data_rows = write_chart_data_sheet(data, layout, formats)
        anchors: dict[str, tuple[str, int]] = {}
        for section, sheet, blocks in sections:
            anchors.update(_write_section(workbook, sheet, section, blocks, layout, formats,
                                          data_rows))
        write_centres_sheet(centres, layout, profile, formats)
        write_quality_sheet(quality, layout, profile, formats)
        write_cover(cover, layout, profile, formats, anchors, built_on, spatial)
        cover.activate()


def _write_section(workbook: Workbook, sheet, section: str,
                   blocks: tuple[IndicatorBlock, ...], layout: ClusterLayout, formats,
                   data_rows: dict[str, int]) -> dict[str, tuple[str, int]]:
    """Write a section sheet; return {indicator id: (sheet, first row)} for the contents links."""
    name = sheet.name
    for col, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, f"{section} — {layout.cluster.name} cluster", formats["title"])
    sheet.set_row(0, 24)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, f"{layout.template.title}: {layout.cluster.name} — {section}",
                repeat_rows=(0, 0))
    anchors, row, breaks = {}, 2, []
    for block in blocks:
        if row > 2:
            breaks.append(row)
        anchors[block.result.definition.id] = (name, row)
        row = _write_block(workbook, sheet, name, row, block, layout, formats,
                           data_rows[block.result.definition.id])
    sheet.set_h_pagebreaks(breaks)
    sheet.print_area(0, 0, max(row - 1, 1), len(COLUMN_WIDTHS) - 1)
    return anchors


def _value_format(workbook_formats, block: IndicatorBlock):
    unit = block.result.definition.unit
    return workbook_formats["int"] if unit is Unit.COUNT else workbook_formats["dec1"]


def _write_block(workbook: Workbook, sheet, sheet_title: str, row: int, block: IndicatorBlock,
                 layout: ClusterLayout, formats, data_row: int) -> int:
    """Write one indicator: heading, definition, two charts, area and ward tables."""
    result, d = block.result, block.result.definition
    last_col = len(COLUMN_WIDTHS) - 1
    sheet.write_string(row, 0, f"{d.title} ({d.id})", formats["subtitle"])
    sheet.write_url(row, last_col - 2, "internal:'Cover'!A1", formats["link"],
                    string="Back to contents")
    sheet.merge_range(row + 1, 0, row + 1, last_col, d.definition or d.title, formats["wrap"])
    sheet.set_row(row + 1, 27)
    period_note = (f"Source: {', '.join(result.sources) or d.source}. Period: {result.period}. "
                   f"Date of data: {', '.join(result.data_dates) or 'not stated'}. Published for: "
                   f"{result.published_level.value if result.published_level else 'unknown'}. "
                   f"Fitted to centres: {block.fitting}. Recent trend for the authority: "
                   f"{result.trend.label.lower()}.")
    sheet.merge_range(row + 2, 0, row + 2, last_col, period_note, formats["note"])
    sheet.set_row(row + 2, 27)
    top = row + 3
    table_row = top + BLOCK_CHART_ROWS + 1
    area_chart = charts.area_chart(workbook, block, layout.template.charts, sheet=sheet_title,
                                   first_row=table_row + 1, data_sheet="Chart data",
                                   data_row=data_row)
    sheet.insert_chart(top, 0, area_chart, {"description": (
        f"{d.title}: clusters, authority and England ranked by value, with 95% limits.")})
    ward_chart = charts.ward_chart(workbook, block, layout.template.charts, sheet=sheet_title,
                                   first_row=table_row + 1, name_col=WARD_COL + 1,
                                   value_col=WARD_COL + 3, authority_col=WARD_COL + 11)
    highlighted = ", ".join(w.result.name for w in block.wards if w.in_cluster)
    sheet.insert_chart(top, WARD_COL, ward_chart, {"description": (
        f"{d.title}: every ward ranked by value; this cluster's wards ({highlighted}) are "
        f"coloured, the authority value is the dashed line.")})
    sheet.set_row(table_row, 27)
    _area_table(sheet, table_row, block, formats, d.id)
    notes_end = _basis_notes(sheet, table_row + len(block.areas) + 2, block, formats)
    end = _ward_table(sheet, table_row, block, formats, d.id)
    _define_names(workbook, sheet_title, d.id, table_row, end)
    return max(end, notes_end) + 2


def _basis_notes(sheet, row: int, block: IndicatorBlock, formats) -> int:
    """'How these figures were made' under the area table: one wrapped line per figure."""
    sheet.write_string(row, 0, "How these figures were made", formats["bold"])
    # One short row per wrapped piece: these rows are shared with the ward table beside them,
    # so they keep the standard height.
    for line in basis_lines(block):
        for piece in textwrap.wrap(line, 84, subsequent_indent="   "):
            row += 1
            sheet.merge_range(row, 0, row, 4, piece, formats["note_line"])
    return row


def _define_names(workbook: Workbook, sheet_title: str, indicator_id: str, header_row: int,
                  last_row: int) -> None:
    """Workbook names for an indicator's ward values and authority value, for analysts' formulas."""
    quoted = quote_sheetname(sheet_title)
    values = xl_range_abs(header_row + 1, WARD_COL + 3, last_row, WARD_COL + 3)
    authority = xl_range_abs(header_row + 1, WARD_COL + 11, header_row + 1, WARD_COL + 11)
    workbook.define_name(f"ind_{indicator_id}_ward_values", f"={quoted}!{values}")
    workbook.define_name(f"ind_{indicator_id}_authority", f"={quoted}!{authority}")


def _comparison_cell(sheet, row: int, col: int, comparison: Comparison, formats) -> None:
    sheet.write_string(row, col, f"{comparison.symbol} {comparison.label}",
                       formats[f"cmp_{comparison.name}"])


def _area_table(sheet, row: int, block: IndicatorBlock, formats, indicator_id: str) -> None:
    value_fmt = _value_format(formats, block)
    sheet.add_table(row, 0, row + len(block.areas), len(AREA_HEADERS) - 1, {
        "name": f"T_{indicator_id}_areas", "style": "Table Style Light 1", "autofilter": False,
        "columns": [{"header": h, "header_format": formats["heading"]} for h in AREA_HEADERS]})
    for i, area in enumerate(block.areas, start=row + 1):
        sheet.write_string(i, 0, display_name(area), formats["bold"]
                           if area.level is Level.AUTHORITY else None)
        for col, v in enumerate((area.value, area.lower95, area.upper95), start=1):
            write_value(sheet, i, col, v, value_fmt)
        _comparison_cell(sheet, i, 4, area.comparison, formats)


def _ward_table(sheet, row: int, block: IndicatorBlock, formats, indicator_id: str) -> int:
    value_fmt = _value_format(formats, block)
    c0 = WARD_COL
    last = row + len(block.wards)
    sheet.add_table(row, c0, last, c0 + len(WARD_HEADERS) - 1, {
        "name": f"T_{indicator_id}_wards", "style": "Table Style Light 1", "autofilter": False,
        "columns": [{"header": h, "header_format": formats["heading"]} for h in WARD_HEADERS]})
    authority = block.result.authority.value
    for i, ward in enumerate(block.wards, start=row + 1):
        w: AreaResult = ward.result
        write_value(sheet, i, c0, w.rank)
        name_fmt = formats.get(f"hl_{ward.highlight}") if ward.highlight else None
        sheet.write_string(i, c0 + 1, w.name, name_fmt)
        sheet.write_string(i, c0 + 2, "● yes" if ward.in_cluster else "")
        for col, v in enumerate((w.value, w.numerator, w.denominator, w.lower95, w.upper95),
                                start=c0 + 3):
            write_value(sheet, i, col, v, formats["int"] if col in (c0 + 4, c0 + 5) else value_fmt)
        write_value(sheet, i, c0 + 8, w.quintile)
        _comparison_cell(sheet, i, c0 + 9, w.comparison, formats)
        sheet.write_string(i, c0 + 10, note_text(w))
        write_value(sheet, i, c0 + 11, authority, value_fmt)
    return last
