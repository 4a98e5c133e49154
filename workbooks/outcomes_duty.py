"""``outcomes-duty.xlsx``: the authority's Early Years outcomes duty targets, trajectories and
the gap between children in England's most deprived small areas and the rest.

A cover with one sentence per indicator, a sheet per indicator (actual values with 95% limits,
the trajectory and the target, gaps as formulas, and a chart), a "Narrowing the gap" sheet (the
authority, clusters and centres, with the test of each change in the gap) and, where the build
reads child-level EYFSP results, "EYFSP by area" (NI 72 and NI 92 by year for the authority,
clusters, centres, wards and small areas, small counts hidden).
The figures are computed in :mod:`xl_profile.outcomes`; this module only writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from xl_profile.eyfsp_areas import EYFSPSummary
from xl_profile.models import Geography, Unit
from xl_profile.outcomes import (GAP_TEST, Deprivation, GapRow, Outcome, indicator_label,
                                 percent_sign)
from xl_profile.suppression import HIDDEN_MARK
from .common import (fit_columns, print_setup, saved_workbook, sheet_name, standard_formats,
                     uk_day, write_value)
from .eyfsp_sheet import EYFSP_SHEET, eyfsp_sheet

FILE_NAME = "outcomes-duty.xlsx"
TABLE_ROW = 5  # 0-based row of each indicator table's header
COLUMNS = ["Year", "Actual", "Lower 95% limit", "Upper 95% limit", "Trajectory", "Target",
           "Gap to trajectory (points)", "Gap to target (points)", "Judged", "Whisker up",
           "Whisker down"]
ON_TRACK_NOTE = ("On track: the trajectory is within or below the upper 95% limit of the actual "
                 "value when high is good (within or above the lower limit when low is good); "
                 "a value without limits is judged on the value. The trajectory runs straight "
                 "from the baseline (the last result before the target was set) to the target, "
                 "through any yearly steps the targets file gives.")


def write_outcomes_duty(outcomes: list[Outcome], gaps: dict[str, list[GapRow]],
                        deprivation: Deprivation | None, geography: Geography, out_dir: Path,
                        *, built_on: dt.date, eyfsp: EYFSPSummary | None = None) -> Path:
    """Write the workbook atomically into ``out_dir``; return its path.

    Args:
        gaps: per indicator title shown, the narrowing-the-gap rows (authority, clusters,
            centres).
        eyfsp: NI 72 and NI 92 by area from the child-level EYFSP file, when the build has one.
    """
    path = out_dir / FILE_NAME
    title = f"{geography.authority.name}: Early Years outcomes duty"
    with saved_workbook(path, title, subject="Targets, trajectories and narrowing the gap") as wb:
        formats = standard_formats(wb)
        _cover(wb, formats, outcomes, title, built_on)
        used = {"Cover", "Narrowing the gap", EYFSP_SHEET}
        for result in outcomes:
            _indicator_sheet(wb, formats, result, sheet_name(indicator_label(result.definition),
                                                             used), built_on)
        _gap_sheet(wb, formats, gaps, deprivation, built_on,
                   {a.code: a.level.value for a in geography.areas})
        if eyfsp is not None:
            eyfsp_sheet(wb, formats, eyfsp, built_on)
    return path


def _cover(wb, formats, outcomes: list[Outcome], title: str, built_on: dt.date) -> None:
    ws = wb.add_worksheet("Cover")
    ws.write_string(0, 0, title, formats["title"])
    ws.write_string(1, 0, f"Built on {uk_day(built_on)}", formats["text"])
    ws.write_string(3, 0, "Where each indicator stands", formats["subtitle"])
    row = 4
    for result in outcomes:
        ws.write_string(row, 0, result.sentence, formats["wrap"])
        ws.set_row(row, 28)
        row += 1
    ws.write_string(row + 1, 0, ON_TRACK_NOTE, formats["note"])
    ws.set_row(row + 1, 56)
    fit_columns(ws, {0: 110})
    print_setup(ws, title, printed=f"Built on {uk_day(built_on)}")


def _indicator_sheet(wb, formats, result: Outcome, name: str, built_on: dt.date) -> None:
    ws = wb.add_worksheet(name)
    d = result.definition
    ws.write_string(0, 0, f"{indicator_label(d)}: {d.title}", formats["title"])
    ws.write_string(1, 0, result.sentence, formats["text"])
    ws.write_string(2, 0, _target_line(result), formats["note_line"])
    ws.write_string(3, 0, ON_TRACK_NOTE, formats["note_line"])
    for col, header in enumerate(COLUMNS):
        ws.write_string(TABLE_ROW, col, header, formats["heading"])
    for i, row in enumerate(result.rows):
        _period_row(ws, formats, result, TABLE_ROW + 1 + i, row)
    fit_columns(ws, {0: 10, **{c: 12 for c in range(1, 8)}, 8: 11, 9: 10, 10: 10})
    ws.set_row(TABLE_ROW, 42)
    if result.rows:
        chart = _chart(wb, result, name, TABLE_ROW + 1, TABLE_ROW + len(result.rows))
        ws.insert_chart(TABLE_ROW + len(result.rows) + 2, 0, chart)
    print_setup(ws, f"{indicator_label(d)}: targets and trajectory",
                printed=f"Built on {uk_day(built_on)}")


def _target_line(result: Outcome) -> str:
    final = result.final
    if final is None:
        return "No target in the targets file."
    kind = "statutory" if final.statutory else "local (not statutory)"
    steps = len(result.targets) - 1
    extra = f", through {steps} yearly step(s)" if steps else ""
    return (f"Target: {final.target:g}{percent_sign(result.definition)} by {final.period}, "
            f"{kind}, set on {uk_day(final.set_on)}{extra}.")


def _period_row(ws, formats, result: Outcome, r: int, row) -> None:
    num = formats["dec1"]
    actual = row.actual
    ws.write_string(r, 0, row.period, formats["text"])
    write_value(ws, r, 1, actual.value if actual else None, num)
    write_value(ws, r, 2, actual.lower95 if actual else None, num)
    write_value(ws, r, 3, actual.upper95 if actual else None, num)
    write_value(ws, r, 4, row.trajectory, num)
    write_value(ws, r, 5, row.target, num)
    _gap_formula(ws, r, 6, 1, 4, row.gap_to_trajectory, num)
    _gap_formula(ws, r, 7, 1, None, result.gap_to_target(row), num, result)
    ws.write_string(r, 8, row.status, formats["text"])
    has_limits = actual is not None and actual.upper95 is not None
    write_value(ws, r, 9, actual.upper95 - actual.value if has_limits else None, num)
    write_value(ws, r, 10, actual.value - actual.lower95 if has_limits else None, num)


def _gap_formula(ws, r: int, col: int, actual_col: int, other_col: int | None,
                 value: float | None, fmt, result: Outcome | None = None) -> None:
    """actual - trajectory (or - target) as a formula, blank when either is missing."""
    if value is None:
        return
    a = xl_rowcol_to_cell(r, actual_col)
    other = xl_rowcol_to_cell(r, other_col) if other_col is not None \
        else f"{result.final.target!r}"
    ws.write_formula(r, col, f"={a}-{other}", fmt, value)


def _chart(wb, result: Outcome, sheet: str, first: int, last: int):
    """Actual values with 95% whiskers, the trajectory line and the target marker."""
    chart = wb.add_chart({"type": "line"})
    categories = [sheet, first, 0, last, 0]
    actual = {"name": "Actual", "categories": categories, "values": [sheet, first, 1, last, 1],
              "line": {"none": True},
              "marker": {"type": "circle", "size": 7, "fill": {"color": "#1F4E79"},
                         "border": {"color": "#1F4E79"}}}
    if any(r.actual is not None and r.actual.upper95 is not None for r in result.rows):
        quoted = f"'{sheet}'"
        actual["y_error_bars"] = {
            "type": "custom", "end_style": 1, "line": {"color": "#404040"},
            "plus_values": f"={quoted}!$J${first + 1}:$J${last + 1}",
            "minus_values": f"={quoted}!$K${first + 1}:$K${last + 1}"}
    chart.add_series(actual)
    chart.add_series({"name": "Trajectory", "categories": categories,
                      "values": [sheet, first, 4, last, 4],
                      "line": {"color": "#C55A11", "dash_type": "dash", "width": 1.75},
                      "marker": {"type": "none"}})
    chart.add_series({"name": "Target", "categories": categories,
                      "values": [sheet, first, 5, last, 5], "line": {"none": True},
                      "marker": {"type": "diamond", "size": 10, "fill": {"color": "#C00000"},
                                 "border": {"color": "#C00000"}}})
    d = result.definition
    unit = "%" if d.unit is Unit.PERCENTAGE else (d.unit_label or d.unit.value)
    chart.set_title({"name": f"{indicator_label(d)}: actual, trajectory and target",
                     "name_font": {"size": 11}})
    chart.set_y_axis({"name": unit, "min": _axis_floor(result),
                      "major_gridlines": {"visible": True,
                                                        "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"name": "Year"})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": 640, "height": 320})
    return chart


def _axis_floor(result: Outcome) -> float:
    """A y-axis start below the lowest limit, actual or trajectory value, in steps of 10, so
    that changes of a few points show."""
    lows = [v for r in result.rows for v in (r.trajectory, r.target,
                                              r.actual and (r.actual.lower95 or r.actual.value))
            if v is not None]
    return max(0.0, (min(lows) // 10 - 1) * 10) if lows else 0.0


GAP_COLUMNS = ["Area", "Level", "Year", "Most deprived 30%", "Lower 95%", "Upper 95%", "Rest",
               "Lower 95%", "Upper 95%", "Gap (points)", "Since the year before",
               "Change in the gap (points)", "z", "p-value", "Change significant (95%)",
               "Small areas counted", "Small areas left out"]
LEVEL_WORDS = {"authority": "Authority", "cluster": "Cluster", "centre": "Centre"}


def _gap_sheet(wb, formats, gaps: dict[str, list[GapRow]], deprivation: Deprivation | None,
               built_on: dt.date, levels: dict[str, str]) -> None:
    ws = wb.add_worksheet("Narrowing the gap")
    ws.write_string(0, 0, "Narrowing the gap", formats["title"])
    if deprivation is None:
        ws.write_string(2, 0, "The gap cannot be shown: the tidy data has no small-area flags "
                              "of the most deprived 30% (IMD or IDACI).", formats["text"])
        return
    notes = [f"Children in {deprivation.description} against the rest, from summed counts; the "
             "gap is the most deprived minus the rest, in points. Narrowed: the gap is smaller "
             "than the year before. By the authority, each cluster and each centre.",
             GAP_TEST,
             "Small areas left out have no counts (withheld at source) or no deprivation flag; "
             "their children are in neither group. * marks a group hidden because its children "
             "reaching, or not reaching, the indicator are a small count."]
    for i, note in enumerate(notes):  # wrapped within the table's width, so it prints
        ws.merge_range(1 + i, 0, 1 + i, len(GAP_COLUMNS) - 1, note, formats["note"])
        ws.set_row(1 + i, 27)
    formats = {**formats, **_gap_formats(wb)}
    row = 5
    for title, rows in gaps.items():
        ws.write_string(row, 0, title, formats["subtitle"])
        for col, header in enumerate(GAP_COLUMNS):
            ws.write_string(row + 1, col, header, formats["heading"])
        ws.set_row(row + 1, 30)
        for i, g in enumerate(rows):
            _gap_row(ws, formats, row + 2 + i, g, levels.get(g.area_code, ""))
        row += len(rows) + 4
    fit_columns(ws, {0: 26, 1: 9, 2: 8, **{c: 8 for c in range(3, 10)}, 10: 20, 11: 9,
                     12: 6, 13: 8, 14: 10, 15: 8, 16: 8})
    print_setup(ws, "Narrowing the gap", printed=f"Built on {uk_day(built_on)}",
                repeat_rows=(6, 6) if gaps else None)


def _gap_formats(wb) -> dict:
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
    return {"p": wb.add_format({**base, "num_format": "0.0000"}),
            "mark": wb.add_format({**base, "align": "right"}),
            "words": wb.add_format({**base, "indent": 1})}


def _gap_row(ws, formats, r: int, g: GapRow, level: str) -> None:
    num = formats["dec1"]
    ws.write_string(r, 0, g.area_name, formats["text"])
    ws.write_string(r, 1, LEVEL_WORDS.get(level, level), formats["text"])
    ws.write_string(r, 2, g.period, formats["text"])
    if g.hidden:
        for col in (3, 6, 9):
            ws.write_string(r, col, HIDDEN_MARK, formats["mark"])
        ws.write_string(r, 10, "hidden: small numbers", formats["words"])
    else:
        for col, group in ((3, g.deprived), (6, g.rest)):
            write_value(ws, r, col, group.value if group else None, num)
            write_value(ws, r, col + 1, group.lower95 if group else None, num)
            write_value(ws, r, col + 2, group.upper95 if group else None, num)
        if g.gap is not None:
            ws.write_formula(r, 9, f"={xl_rowcol_to_cell(r, 3)}-{xl_rowcol_to_cell(r, 6)}",
                             num, g.gap)
        ws.write_string(r, 10, g.change or ("no earlier year" if g.gap is not None else
                                            "no small areas in one group"), formats["words"])
    write_value(ws, r, 11, g.change_points, num)
    write_value(ws, r, 12, None if g.z is None else round(g.z, 2), formats["dec2"])
    if g.p is not None:
        write_value(ws, r, 13, round(g.p, 4) if g.p >= 0.0001 else "< 0.0001", formats["p"])
    if g.change_points is not None:
        ws.write_string(r, 14, {True: "yes", False: "no", None: "cannot be tested"}[
            g.significant], formats["words"])
    write_value(ws, r, 15, g.areas_used, formats["int"])
    write_value(ws, r, 16, g.areas_left_out, formats["int"])


def _hidden_elsewhere(eyfsp: EYFSPSummary | None, indicator_id: str) -> set[tuple[str, str]]:
    """(area, year) whose NI 72 the EYFSP sheet hides: the gap must not give them away."""
    if eyfsp is None or indicator_id != "NI72":
        return set()
    return {(a.code, period) for period, areas in eyfsp.by_period.items() for a in areas
            if a.hidden}


def outcomes_duty_step(config, inputs, out_dir: Path, built_on: dt.date) -> list[Path]:
    """Build step: the outcomes duty workbook when the build file names a targets file or the
    authority's own EYFSP results (then NI 72 and NI 92 without targets, and by area)."""
    if config.targets is None and not config.eyfsp:
        return []
    from xl_profile.outcomes import deprivation_flags, duty_outcomes, narrowing_gap
    from xl_profile.targets import read_targets

    profile = inputs.profile
    targets = read_targets(config.targets, profile.catalogue, profile.geography) \
        if config.targets is not None else []
    outcomes = duty_outcomes(profile.catalogue, targets, inputs.values, profile.geography)
    deprivation = deprivation_flags(inputs.values, profile.geography)
    gaps = {}
    if deprivation is not None:
        for result in outcomes:
            d = result.definition
            if d.unit is Unit.PERCENTAGE and d.ci_method.value == "wilson":
                rows = narrowing_gap(d, inputs.values, profile.geography, deprivation,
                                     config.suppression_threshold,
                                     _hidden_elsewhere(inputs.eyfsp, d.id))
                if rows:
                    gaps[f"{indicator_label(d)}: {d.title}"] = rows
    return [write_outcomes_duty(outcomes, gaps, deprivation, profile.geography, out_dir,
                                built_on=built_on, eyfsp=inputs.eyfsp)]
