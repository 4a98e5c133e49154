"""The profile benchmark's floor writes what the build writes, and a closed workbook is freed
without the cyclic garbage collector."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path

from workbooks.cluster_profile import write_cluster_profiles
from workbooks.common import saved_workbook
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import load_inputs, quiet

from demo_build import BUILT_ON

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from profile_floor import content_counts, recording, replay  # noqa: E402


def test_floor_replays_the_same_cells_charts_and_map_pictures(tmp_path):
    inputs = load_inputs(load_config(write_demo_inputs(tmp_path / "data")), progress=quiet)
    assert inputs.spatial is not None  # the demo's maps are part of what is compared
    with recording() as records:
        built = write_cluster_profiles(inputs.profile, tmp_path, built_on=BUILT_ON,
                                       spatial=inputs.spatial)
    assert len(records) == len(built)
    floor = []
    for record in records:
        floor.append(tmp_path / f"floor-{record.name}")
        replay(record, floor[-1])
    ours, bare = content_counts(built), content_counts(floor)
    assert ours["images"] == len(built) and ours["charts"] > 100 and ours["cells"] > 10_000
    assert bare == ours


def test_a_closed_workbook_is_freed_without_the_cyclic_collector(tmp_path):
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with saved_workbook(tmp_path / "book.xlsx", "title") as workbook:
            sheet = workbook.add_worksheet("Sheet")
            for row in range(100):
                sheet.write_number(row, 0, row)
            alive = weakref.ref(workbook)
            alive_sheet = weakref.ref(sheet)
        del workbook, sheet
        assert alive() is None and alive_sheet() is None
    finally:
        if was_enabled:
            gc.enable()
    assert (tmp_path / "book.xlsx").stat().st_size > 0
