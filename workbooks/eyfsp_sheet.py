"""The "EYFSP by area" sheet of ``outcomes-duty.xlsx``: NI 72 and NI 92 by year for the
authority, clusters, centres, wards and small areas, from the authority's own child-level EYFSP
results.

Only figures that passed disclosure control are written (``EYFSPSummary.shown``); the account
of children left out is given as counts by reason, never as anything about a child.
"""

from __future__ import annotations

import datetime as dt

from xl_profile.eyfsp_areas import AreaEYFSP, EYFSPSummary
from xl_profile.eyfsp_feed import REASONS
from xl_profile.models import Level
from xl_profile.suppression import HIDDEN_MARK
from .common import fit_columns, print_setup, uk_day, write_value

EYFSP_SHEET = "EYFSP by area"
COLUMNS = ["Area", "Level", "Year", "Children assessed", "At a good level", "NI 72 (%)",
           "Lower 95%", "Upper 95%", "NI 92 (% gap)"]
LEVELS = {Level.AUTHORITY: "Authority", Level.CLUSTER: "Cluster", Level.CENTRE: "Centre",
          Level.WARD: "Ward", Level.LSOA: "LSOA"}


def eyfsp_sheet(wb, formats, summary: EYFSPSummary, built_on: dt.date) -> None:
    """Write the sheet: the method, the children left out, then a table per level."""
    ws = wb.add_worksheet(EYFSP_SHEET)
    ws.write_string(0, 0, "NI 72 and NI 92 by area, from the authority's own EYFSP results",
                    formats["title"])
    records = summary.records
    notes = [
        f"{records.read:,} children read; {len(records.children):,} with a complete profile "
        f"placed in a small area of the authority are counted; {records.left_out.total:,} left "
        "out" + (": " + "; ".join(f"{n:,} with {REASONS[k]}"
                                  for k, n in records.left_out.counts.items() if n)
                 if records.left_out.total else ".")
        + "".join(f" Not checked for children listed twice: {f} has no pupil number column."
                  for f in records.unchecked),
        "Each child counts in the small area of their home, its ward and cluster, the centre "
        "that small area is best-fitted to, and the authority. NI 92 is worked out from each "
        "area's own children.",
        f"{HIDDEN_MARK} hidden before circulation: fewer than {summary.threshold} children "
        "reaching, or not reaching, a good level, or hidden so that such a figure cannot be "
        "worked out from a total. NI 92 is blank where the lowest-achieving 20% holds fewer "
        f"than {summary.threshold} children."]
    for i, note in enumerate(notes):  # wrapped within the table's width, so it prints
        ws.merge_range(1 + i, 0, 1 + i, len(COLUMNS) - 1, note, formats["note"])
        ws.set_row(1 + i, 40)
    formats = {**formats, "mark": wb.add_format({"font_name": "Calibri", "font_size": 10,
                                                 "valign": "top", "align": "right"})}
    row = 5
    for col, header in enumerate(COLUMNS):
        ws.write_string(row, col, header, formats["heading"])
    ws.set_row(row, 30)
    for level in LEVELS:
        for period in sorted(summary.by_period, reverse=True):
            for area in summary.shown(period):
                if area.level is level:
                    row += 1
                    _area_row(ws, formats, row, period, area)
    fit_columns(ws, {0: 30, 1: 10, 2: 9, 3: 10, 4: 10, 5: 10, 6: 10, 7: 10, 8: 10})
    ws.freeze_panes(6, 0)
    print_setup(ws, EYFSP_SHEET, repeat_rows=(5, 5), printed=f"Built on {uk_day(built_on)}")


def _area_row(ws, formats, r: int, period: str, area: AreaEYFSP) -> None:
    num = formats["dec1"]
    ws.write_string(r, 0, area.name, formats["text"])
    ws.write_string(r, 1, LEVELS[area.level], formats["text"])
    ws.write_string(r, 2, period, formats["text"])
    if area.hidden:
        for col in range(3, 8):
            ws.write_string(r, col, HIDDEN_MARK, formats["mark"])
    else:
        write_value(ws, r, 3, area.children, formats["int"])
        write_value(ws, r, 4, area.good, formats["int"])
        write_value(ws, r, 5, area.ni72, num)
        write_value(ws, r, 6, area.lower95, num)
        write_value(ws, r, 7, area.upper95, num)
    write_value(ws, r, 8, area.ni92, num)
