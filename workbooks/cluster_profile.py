"""Cluster profile workbooks: ``cluster-profile-<cluster>.xlsx``, one per cluster.

Sheets: Cover (with how to read, a key to the notes and the contents, on one page), one sheet per
section with a block per indicator (drawn by ``profile_blocks``: two blocks side by side, those
with ward figures first, compact ones after), Centres (best-fitted values beside the cluster and
authority), Data sources and quality ("Table 1"), and Chart data (hidden, never printed: whisker
lengths for the area charts). Values and native formulas only, so cluster boards can read it in
any spreadsheet application.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import quote_sheetname, xl_range_abs
from xlsxwriter.workbook import Workbook

from xl_profile.config import resolve_built_on
from xl_profile.layout import (ClusterLayout, IndicatorBlock, ProfileTemplate,
                               build_cluster_layout, load_template)
from xl_profile.models import Level
from xl_profile.profile import ProfileData

from .common import (cluster_file_name, gc_paused, print_setup, saved_workbook, sheet_name,
                     standard_formats, uk_day)
from .overview_sheets import add_overview_sheets
from .profile_blocks import BLOCK_SPAN, BLOCK_WIDTHS, GAP_WIDTH, ROW, VISIBLE, Place, write_block
from .profile_sheets import (comparison_formats, profile_formats, write_centres_sheet,
                             write_chart_data_sheet, write_cover, write_quality_sheet)

#: Sheet height (points) a landscape page holds below the repeated title row, at the scale that
#: fits the two blocks' width to the page (about 81%, measured in LibreOffice's PDF); a page
#: with more is scaled down further to fit, below 8 pt.
PAGE_POINTS = 642.0
TITLE_ROW = 20.0


def profile_file_name(cluster_name: str) -> str:
    """``cluster-profile-<slug>.xlsx``; a trailing word 'cluster' is dropped ('North cluster' -> north)."""
    return cluster_file_name("cluster-profile", cluster_name)


def write_cluster_profiles(profile: ProfileData, out_dir: Path, *,
                           template: ProfileTemplate | Path | None = None,
                           built_on: dt.date | None = None, pdf: bool = False,
                           spatial=None, suppression_threshold: int = 5) -> list[Path]:
    """Write one workbook per cluster (and PDFs when ``pdf``); return the files written.

    ``built_on`` is the date printed on the cover and in the page headers (default: see
    :func:`xl_profile.config.resolve_built_on`); ``spatial`` (the geography's boundaries,
    :class:`xl_profile.spatial.Spatial`) puts a map of the cluster on each cover, without it the
    cover says there is none; ``suppression_threshold`` is the build's, so that a hidden small
    count and a ward hidden to protect one are marked apart.
    """
    if not isinstance(template, ProfileTemplate):
        template = load_template(template)
    built_on = resolve_built_on(built_on)
    written = []
    for cluster in profile.geography.at_level(Level.CLUSTER):
        path = out_dir / profile_file_name(cluster.name)
        with gc_paused():  # the layout's many small objects too (see gc_paused)
            layout = build_cluster_layout(profile, cluster.code, template,
                                          suppression_threshold=suppression_threshold)
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
        formats.update(profile_formats(workbook))
        used: set[str] = {"Cover", "Centres", "Data sources and quality", "Chart data"}
        # Sheets are created in reading order, then filled: the chart data comes first because
        # the charts on the section sheets refer to it.
        cover = workbook.add_worksheet("Cover")
        add_overview_sheets(workbook, profile, layout.cluster.code, layout.template, used,
                            printed=uk_day(built_on))
        sections = [(section.value, workbook.add_worksheet(sheet_name(section.value, used)), blocks)
                    for section, blocks in layout.sections]
        centres = workbook.add_worksheet("Centres")
        quality = workbook.add_worksheet("Data sources and quality")
        data = workbook.add_worksheet("Chart data")
        data_rows = write_chart_data_sheet(data, layout, formats)
        data.hide()  # for the charts and analysts; never printed
        printed = uk_day(built_on)
        anchors: dict[str, tuple[str, int]] = {}
        for section, sheet, blocks in sections:
            anchors.update(_write_section(workbook, sheet, section, blocks, layout, formats,
                                          data_rows, printed))
        write_centres_sheet(centres, layout, profile, formats, printed)
        write_quality_sheet(quality, layout, profile, formats, printed)
        write_cover(cover, layout, profile, formats, anchors, built_on, spatial)
        cover.activate()


def _write_section(workbook: Workbook, sheet, section: str,
                   blocks: tuple[IndicatorBlock, ...], layout: ClusterLayout, formats,
                   data_rows: dict[str, int], printed: str) -> dict[str, tuple[str, int]]:
    """Write a section sheet, two blocks side by side, indicators with ward data first; return
    {indicator id: (sheet, first row)} for the contents links."""
    name = sheet.name
    _section_columns(sheet)
    sheet.set_default_row(ROW)
    sheet.write_string(0, 0, f"{section} — {layout.cluster.name} cluster", formats["title"])
    sheet.write_url(0, BLOCK_SPAN + 8, "internal:'Cover'!A1", formats["link"],
                    string="Back to contents")
    sheet.set_row(0, TITLE_ROW)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, f"{layout.template.title}: {layout.cluster.name} — {section}",
                repeat_rows=(0, 0), printed=printed, margins=(0.25, 0.25, 0.45, 0.4),
                header_margin=0.2)
    ordered = [b for b in blocks if b.has_ward_data] + [b for b in blocks if not b.has_ward_data]
    heights: dict[int, float] = {}
    area_rows = max(len(b.areas) for b in blocks)
    anchors, row, used, breaks = {}, 2, 0.0, []
    for pair in (ordered[i:i + 2] for i in range(0, len(ordered), 2)):
        end, ward_header = row, None
        for side, block in enumerate(pair):
            place = Place(sheet, name, row, side * (BLOCK_SPAN + 1), heights, layout.cluster.code,
                          area_rows)
            anchors[block.result.definition.id] = (name, row)
            block_end, ward_rows = write_block(workbook, place, block, layout, formats,
                                               data_rows[block.result.definition.id])
            if ward_rows is not None:
                _define_names(workbook, name, block.result.definition.id, place.col, ward_rows)
                ward_header = ward_rows[0]
            end = max(end, block_end)
        pair_points = sum(heights.get(r, ROW) for r in range(row, end))
        if used and used + pair_points > PAGE_POINTS:
            breaks.append(row)
            used = 0.0
        if pair_points > PAGE_POINTS and ward_header is not None:
            # Taller than a page: the ward tables go to the next page, rather than the
            # spreadsheet application shrinking the page's print below 8 pt to fit it.
            breaks.append(ward_header)
            used = sum(heights.get(r, ROW) for r in range(ward_header, end))
        else:
            used += pair_points
        row = end
    sheet.set_h_pagebreaks(breaks)
    sheet.print_area(0, 0, max(row - 1, 1), BLOCK_SPAN + VISIBLE)
    return anchors


def _section_columns(sheet) -> None:
    """Two blocks' columns with a narrow gap; each block's last three columns hidden."""
    for side in (0, 1):
        first = side * (BLOCK_SPAN + 1)
        for i, width in enumerate(BLOCK_WIDTHS):
            sheet.set_column(first + i, first + i, width, None, {"hidden": i >= VISIBLE})
    sheet.set_column(BLOCK_SPAN, BLOCK_SPAN, GAP_WIDTH)


def _define_names(workbook: Workbook, sheet_title: str, indicator_id: str, col: int,
                  ward_rows: tuple[int, int]) -> None:
    """Workbook names for an indicator's ward values and authority value, for analysts' formulas."""
    quoted = quote_sheetname(sheet_title)
    header, last = ward_rows
    values = xl_range_abs(header + 1, col + 1, last, col + 1)
    authority = xl_range_abs(header + 1, col + VISIBLE, header + 1, col + VISIBLE)
    workbook.define_name(f"ind_{indicator_id}_ward_values", f"={quoted}!{values}")
    workbook.define_name(f"ind_{indicator_id}_authority", f"={quoted}!{authority}")
