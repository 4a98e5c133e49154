"""Values as Excel hands them to a worksheet function: 2-D lists, floats, None, datetimes."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import Inputs, load_inputs, quiet
from xl_profile.reach.cells import area_rows, extract_rows


def excel_cell(value: object) -> object:
    """A cell's value as Excel passes it: numbers as floats, blanks as None, dates as datetimes."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def excel_range(rows: list[list[object]], trailing_blank_rows: int = 0) -> list[list[object]]:
    """A 2-D range as Excel passes it, with blank rows at its end as a whole-column reference
    (A:M) brings."""
    width = len(rows[0])
    return [[excel_cell(v) for v in row] for row in rows] + [[None] * width] * trailing_blank_rows


@lru_cache(maxsize=None)
def demo_inputs(data_dir: Path) -> tuple[Path, Inputs]:
    """The demo's build file and its loaded inputs (profile, boundaries, reach)."""
    build = write_demo_inputs(data_dir)
    return build, load_inputs(load_config(build), progress=quiet)


def reach_ranges(inputs: Inputs, trailing_blank_rows: int = 0):
    """The demo extract's attendances and reach areas as worksheet ranges, and the reach-area
    0-4 populations the reach reports use."""
    attendances = excel_range(extract_rows(inputs.reach.extract), trailing_blank_rows)
    areas = excel_range(area_rows(inputs.profile.geography))
    populations = {centre: groups.get("all")
                   for centre, groups in inputs.reach.results.populations.items()}
    return attendances, areas, populations
