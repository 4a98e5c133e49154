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


def test_the_unstyled_build_writes_the_same_values_without_formats_or_tables(tmp_path):
    import zipfile

    from xlsxwriter.worksheet import Worksheet

    import bench_profile as bench

    originals = {n: getattr(Worksheet, n) for n in ("_write_number", "add_table")}
    for kind in ("styled", "plain"):
        (tmp_path / kind).mkdir()
    bench.build_one(bench.authority_task(0, tmp_path / "styled"))
    with bench.unstyled():
        bench.build_one(bench.authority_task(0, tmp_path / "plain"))
    assert {n: getattr(Worksheet, n) for n in originals} == originals  # xlsxwriter as it was
    styled = sorted((tmp_path / "styled" / "la0").glob("*.xlsx"))
    plain = sorted((tmp_path / "plain" / "la0").glob("*.xlsx"))
    assert [p.name for p in styled] == [p.name for p in plain] and len(styled) == 3
    assert content_counts(styled) == content_counts(plain)

    def parts(path, prefix):
        with zipfile.ZipFile(path) as z:
            return [n for n in z.namelist() if n.startswith(prefix)]

    def styled_cells(path):  # cells (and rows) that name a style
        with zipfile.ZipFile(path) as z:
            return sum(z.read(n).count(b' s="') for n in z.namelist()
                       if n.startswith("xl/worksheets/sheet"))

    for with_formats, without in zip(styled, plain):
        assert len(parts(with_formats, "xl/tables/")) > 50 and parts(without, "xl/tables/") == []
        assert styled_cells(with_formats) > 10_000 and styled_cells(without) == 0
