"""Benchmark: cluster profile workbooks against a bare-xlsxwriter floor of the same content.

1. Demo: the cluster profiles of the demo build (with their maps, Overview and Tartan rug sheets)
   against the floor replaying the same cells, charts and map pictures (``profile_floor``).
2. Scale: a synthetic England (150 authorities, 7,500 wards, 33,000 LSOAs, 3,500 centres,
   40 indicators), every cluster profile (450), on both cores: inputs made, profile computed,
   workbooks written. Targets: under 60 s and 4 GB in all, and at most 1.5x the floor: the same
   450 workbooks' cells, charts and pictures written with bare xlsxwriter on both cores.
   Also how time grows with wards and indicators, and, in one process, how much of the build's
   time over the floor is xlsxwriter writing cell formats and tables (the build run again with
   both left out) and how much is the build's own work.
Wall seconds move with other work on the machine, so the CPU seconds of both sides (summed over
the workers) and their ratio are given beside them, with the load average at start and end.
Prints the figures last as one JSON line. ``--quick`` runs 6 authorities instead of 150.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from profile_floor import BookRecord, content_counts, recording, replay  # noqa: E402
from xlsxwriter.worksheet import Worksheet  # noqa: E402

from workbooks.cluster_profile import write_cluster_profiles  # noqa: E402
from xl_profile.catalogue import Catalogue, load_catalogue  # noqa: E402
from xl_profile.config import load_config  # noqa: E402
from xl_profile.demo.inputs import write_demo_inputs  # noqa: E402
from xl_profile.layout import ProfileTemplate, load_template  # noqa: E402
from xl_profile.models import (Area, Geography, IndicatorValue, Level, Membership,  # noqa: E402
                               Provenance, Unit)
from xl_profile.pipeline import load_inputs, quiet  # noqa: E402
from xl_profile.profile import compute_profile  # noqa: E402

BUILT_ON = dt.date(2008, 6, 30)
#: Recorded workbooks of one authority of each shape, replayed by the scale floor (set in the
#: parent before the pool forks, so the workers share them).
SHAPES: dict[int, list[BookRecord]] = {}


def replay_all(records: list[BookRecord], out: Path) -> list[Path]:
    paths = [out / f"floor-{record.name}" for record in records]
    for record, path in zip(records, paths):
        replay(record, path)
    return paths


def demo_ratio(tmp: Path) -> dict:
    """The demo's cluster profiles (maps included) against the floor of the same content."""
    inputs = load_inputs(load_config(write_demo_inputs(tmp / "data")), progress=quiet)
    (tmp / "ours").mkdir()
    (tmp / "floor").mkdir()
    with recording() as records:
        write_cluster_profiles(inputs.profile, tmp, built_on=BUILT_ON, spatial=inputs.spatial)
    start = time.perf_counter()
    paths = write_cluster_profiles(inputs.profile, tmp / "ours", built_on=BUILT_ON,
                                   spatial=inputs.spatial)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    floor_paths = replay_all(records, tmp / "floor")
    bare = time.perf_counter() - start
    counts, floor_counts = content_counts(paths), content_counts(floor_paths)
    return {"demo_seconds": round(ours, 3), "demo_floor_seconds": round(bare, 3),
            "demo_ratio_to_floor": round(ours / bare, 2),
            **{f"demo_{k}": v for k, v in counts.items()},
            **{f"demo_floor_{k}": v for k, v in floor_counts.items()}}


def synthetic_authority(index: int, wards: int, lsoas: int, centres: int,
                        catalogue: Catalogue) -> tuple[Geography, list[IndicatorValue]]:
    """An authority without polygons: areas, memberships and LSOA-level values."""
    rng = np.random.default_rng(index)
    la = f"X{index:08d}"
    areas = [Area(code=la, name=f"Authority {index}", level=Level.AUTHORITY)]
    areas += [Area(code=f"{la}K{k}", name=f"Cluster {k}", level=Level.CLUSTER, parent=la)
              for k in range(3)]
    areas += [Area(code=f"{la}C{c:03d}", name=f"Centre {c}", level=Level.CENTRE,
                   parent=f"{la}K{c % 3}") for c in range(centres)]
    areas += [Area(code=f"{la}W{w:03d}", name=f"Ward {w}", level=Level.WARD, parent=la)
              for w in range(wards)]
    members = [Membership(child=f"{la}W{w:03d}", parent=f"{la}K{w * 3 // wards}", share=1)
               for w in range(wards)]
    for s in range(lsoas):
        code, ward = f"{la}L{s:04d}", s * wards // lsoas
        areas.append(Area(code=code, name=code, level=Level.LSOA, parent=f"{la}W{ward:03d}",
                          population=1500))
        members.append(Membership(child=code, parent=f"{la}C{s * centres // lsoas:03d}", share=1))
    values = []
    for d in catalogue:
        # Made without validation: every figure here is finite and in range by construction.
        provenance = Provenance(level=Level.LSOA, source=d.source, data_date="2008-03")
        dens = rng.integers(50, 400, size=lsoas).astype(float)
        nums = np.floor(rng.random(lsoas) * dens)
        scores = rng.uniform(5, 60, size=lsoas)
        score = d.unit is Unit.SCORE
        for s, (den, num, value) in enumerate(zip(dens.tolist(), nums.tolist(), scores.tolist())):
            values.append(IndicatorValue.model_construct(
                indicator_id=d.id, area_code=f"{la}L{s:04d}", period="2008",
                numerator=None if score else num, denominator=den,
                value=value if score else None, lower95=None, upper95=None, lower998=None,
                upper998=None, note=None, provenance=provenance))
    return Geography(areas=tuple(areas), memberships=tuple(members)), values


@functools.cache
def catalogue_of(size: int) -> Catalogue:
    """The shipped catalogue cut or padded (copies with ids ending _B) to ``size`` indicators;
    loaded once per process, as a national build would."""
    shipped = list(load_catalogue())
    extra = [d.model_copy(update={"id": f"{d.id}_B"}) for d in shipped]
    return Catalogue(indicators=tuple((shipped + extra)[:size]))


@functools.cache
def template_for(size: int) -> ProfileTemplate:
    """The shipped layout with only the indicators ``catalogue_of(size)`` has."""
    template = load_template()
    known = {d.id for d in catalogue_of(size)}
    sections = [s.model_copy(update={"indicators": [i for i in s.indicators if i in known]})
                for s in template.sections]
    return template.model_copy(update={"sections": sections})


def build_one(task: tuple[int, int, int, int, int, str]) -> tuple[int, float, float, float]:
    """Make one authority's inputs, compute its profile and write its cluster profiles; return
    the workbooks written and the CPU seconds of each step."""
    index, wards, lsoas, centres, indicators, out = task
    clock = time.process_time()
    catalogue = catalogue_of(indicators)
    geography, values = synthetic_authority(index, wards, lsoas, centres, catalogue)
    made = time.process_time()
    profile = compute_profile(geography, catalogue, values)
    computed = time.process_time()
    folder = Path(out) / f"la{index}"
    folder.mkdir()
    books = len(write_cluster_profiles(profile, folder, built_on=BUILT_ON,
                                       template=template_for(indicators)))
    return books, made - clock, computed - made, time.process_time() - computed


def floor_one(task: tuple[int, str]) -> tuple[int, float]:
    """The floor of one authority: its shape's recorded workbooks replayed; return the
    workbooks written and the CPU seconds taken."""
    index, out = task
    clock = time.process_time()
    folder = Path(out) / f"la{index}"
    folder.mkdir()
    return len(replay_all(SHAPES[index % 2], folder)), time.process_time() - clock


def authority_task(index: int, out: Path) -> tuple[int, int, int, int, int, str]:
    return index, 50, 220, 23 + (index % 2), 40, str(out)


def record_shapes(tmp: Path) -> dict:
    """Record one authority of each shape (23 and 24 centres) for the floor; return the content
    of the one with 23 as the build wrote it and as the floor writes it."""
    for index in (0, 1):
        with recording() as records:
            build_one(authority_task(index, tmp))
        SHAPES[index] = list(records)
    ours = content_counts(sorted((tmp / "la0").glob("*.xlsx")))
    (tmp / "floor").mkdir()
    floor = content_counts(replay_all(SHAPES[0], tmp / "floor"))
    return {**{f"authority_{k}": v for k, v in ours.items()},
            **{f"authority_floor_{k}": v for k, v in floor.items()}}


@contextlib.contextmanager
def unstyled() -> Iterator[None]:
    """The build with its cell formats dropped and its tables written as their header cells
    only, as the floor writes them; what then remains over the floor is the build's own work
    (computing, laying out, its Python around xlsxwriter)."""
    def drop_format(original):
        def write(self, row, col, value, cell_format=None, *rest):
            return original(self, row, col, value, None, *rest)
        return write

    def header_cells(self, first_row, first_col, _last_row, _last_col, options=None):
        for i, column in enumerate((options or {}).get("columns", [])):
            self.write_string(first_row, first_col + i, column["header"])

    names = ("_write_number", "_write_string", "_write_blank", "_write_formula", "add_table")
    originals = {name: getattr(Worksheet, name) for name in names}
    for name in names[:-1]:
        setattr(Worksheet, name, drop_format(originals[name]))
    Worksheet.add_table = header_cells
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(Worksheet, name, original)


def overhead_split(tmp: Path, authorities: int) -> dict:
    """CPU seconds an authority, one process: the build, the build unstyled (no cell formats or
    tables) and the floor, over the same authorities; says how much of the build's time over the
    floor is xlsxwriter writing formats and tables and how much is the build's own work."""
    cpu = {"build": 0.0, "unstyled": 0.0, "floor": 0.0}
    (tmp / "warm").mkdir()
    build_one(authority_task(999, tmp / "warm"))  # caches filled as in a worker's later tasks
    for index in range(authorities):
        for kind in cpu:
            folder = tmp / kind
            folder.mkdir(exist_ok=True)
            gc.collect()  # each starts with no garbage left by the one before
            if kind == "floor":
                cpu[kind] += floor_one((index, str(folder)))[1]
                continue
            with unstyled() if kind == "unstyled" else contextlib.nullcontext():
                cpu[kind] += sum(build_one(authority_task(index, folder))[1:])
    each = {k: v / authorities for k, v in cpu.items()}
    return {"split_authorities": authorities,
            "split_cpu_seconds_an_authority": {k: round(v, 3) for k, v in each.items()},
            "split_formats_and_tables_share_of_excess": round(
                (each["build"] - each["unstyled"]) / (each["build"] - each["floor"]), 2),
            "split_unstyled_ratio_to_floor": round(each["unstyled"] / each["floor"], 2)}


def peak_mb() -> tuple[int, int]:
    """Peak resident memory of this process and of the largest worker, in MB."""
    return (round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


def pool_run(work, tasks: list, processes: int) -> tuple[list, float]:
    """Run ``tasks`` on ``processes`` forked workers; return the results and the seconds taken.

    The parent's objects are frozen first, so the workers' collectors do not walk them."""
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        done = list(pool.imap_unordered(work, tasks))
    seconds = time.perf_counter() - start
    gc.unfreeze()
    return done, seconds


def scale_run(tmp: Path, authorities: int, processes: int = 2) -> dict:
    """Ours, then the floor, each on ``processes`` workers, in the same run."""
    for folder in ("ours", "floor", "shapes"):
        (tmp / folder).mkdir()
    done, seconds = pool_run(build_one, [authority_task(i, tmp / "ours")
                                         for i in range(authorities)], processes)
    figures = record_shapes(tmp / "shapes")
    floor_done, floor_seconds = pool_run(floor_one, [(i, str(tmp / "floor"))
                                                     for i in range(authorities)], processes)
    parent_mb, worker_mb = peak_mb()
    cpu = {"inputs": sum(d[1] for d in done), "compute": sum(d[2] for d in done),
           "write": sum(d[3] for d in done)}
    floor_cpu = sum(d[1] for d in floor_done)
    return {**figures, "authorities": authorities, "workbooks": sum(d[0] for d in done),
            "floor_workbooks": sum(d[0] for d in floor_done), "scale_seconds": round(seconds, 1),
            "scale_floor_seconds": round(floor_seconds, 1),
            "scale_ratio_to_floor": round(seconds / floor_seconds, 2),
            "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
            "floor_cpu_seconds": round(floor_cpu, 1),
            # CPU seconds are less moved by other work on the machine than wall seconds.
            "scale_cpu_ratio_to_floor": round(sum(cpu.values()) / floor_cpu, 2),
            "peak_rss_mb_parent": parent_mb, "peak_rss_mb_per_worker": worker_mb,
            "peak_rss_mb_in_all": parent_mb + processes * worker_mb, "processes": processes}


def growth(tmp: Path) -> dict:
    """Seconds for one authority as wards and indicators grow."""
    out = {}
    for wards, indicators in ((25, 40), (50, 40), (100, 40), (50, 10), (50, 20)):
        folder = tmp / f"g{wards}-{indicators}"
        folder.mkdir()
        catalogue_of(indicators)  # loaded once per process, not timed here
        start = time.perf_counter()
        build_one((999, wards, wards * 44 // 10, 23, indicators, str(folder)))
        out[f"wards{wards}_ind{indicators}"] = round(time.perf_counter() - start, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="6 authorities instead of 150")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        tmp_path = Path(tmp)
        for folder in ("demo", "growth", "scale"):
            (tmp_path / folder).mkdir()
        # Other work on the machine slows both sides alike; the load says how much there was.
        figures = {"benchmark": "profile", "load_average_at_start": os.getloadavg()[0],
                   **demo_ratio(tmp_path / "demo")}
        print(f"demo cluster profiles {figures['demo_seconds']} s vs bare xlsxwriter floor "
              f"{figures['demo_floor_seconds']} s: {figures['demo_ratio_to_floor']}x")
        figures["growth_seconds"] = growth(tmp_path / "growth")
        print(f"growth (one authority): {figures['growth_seconds']}")
        figures.update(scale_run(tmp_path / "scale", 6 if args.quick else 150))
        print(f"scale: {figures['workbooks']} workbooks for {figures['authorities']} authorities "
              f"in {figures['scale_seconds']} s (target 60 s) vs floor "
              f"{figures['scale_floor_seconds']} s: {figures['scale_ratio_to_floor']}x (target "
              f"1.5x); CPU s {figures['cpu_seconds']} vs floor {figures['floor_cpu_seconds']}: "
              f"{figures['scale_cpu_ratio_to_floor']}x; peak {figures['peak_rss_mb_in_all']} MB "
              f"in all (target 4 GB)")
        (tmp_path / "split").mkdir()
        figures.update(overhead_split(tmp_path / "split", 2 if args.quick else 10))
        print(f"one process, CPU s an authority: {figures['split_cpu_seconds_an_authority']}; "
              f"cell formats and tables are {figures['split_formats_and_tables_share_of_excess']:.0%} "
              f"of the build's time over the floor")
    figures["load_average_at_end"] = os.getloadavg()[0]
    figures.update(target_ratio=1.5, target_scale_seconds=60, target_memory_mb=4096)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
