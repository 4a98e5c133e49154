"""Benchmark: cluster profile workbooks.

1. Floor: the full demo build against bare xlsxwriter writing the same number of cells and charts
   (``constant_memory``, no formatting) in the same run. Target: at most 2x the floor.
2. Scale: a synthetic England (150 authorities, 7,500 wards, 33,000 LSOAs, 3,500 centres,
   40 indicators), every cluster profile, on both cores. Targets: under 2 minutes and 4 GB.
   Also how time grows with wards and indicators.
Prints the figures last as one JSON line. ``--quick`` runs 6 authorities instead of 150.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import resource
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import xlsxwriter

from workbooks.cluster_profile import write_cluster_profiles
from xl_profile.catalogue import Catalogue, load_catalogue
from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.models import (Area, Geography, IndicatorValue, Level, Membership, Provenance,
                               Unit)
from xl_profile.pipeline import load_profile, quiet
from xl_profile.profile import compute_profile

BUILT_ON = dt.date(2008, 6, 30)


def count_cells_and_charts(paths: list[Path]) -> tuple[int, int]:
    cells = charts = 0
    for path in paths:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    cells += z.read(name).count(b"<c ")
                elif name.startswith("xl/charts/chart"):
                    charts += 1
    return cells, charts


def floor(out: Path, books: int, cells: int, charts: int) -> None:
    """Bare xlsxwriter: the same numbers of cells and charts, no formatting."""
    per_book_cells, per_book_charts = cells // books, charts // books
    for b in range(books):
        wb = xlsxwriter.Workbook(str(out / f"floor-{b}.xlsx"), {"constant_memory": True})
        ws = wb.add_worksheet()
        rows = per_book_cells // 12 + 1
        for r in range(rows):
            for c in range(12):
                ws.write_number(r, c, r * c)
        for k in range(per_book_charts):
            chart = wb.add_chart({"type": "column"})
            chart.add_series({"values": ["Sheet1", 0, k % 12, 20, k % 12]})
            ws.insert_chart(k * 20, 14, chart)
        wb.close()


def floor_ratio(tmp: Path) -> dict:
    profile = load_profile(load_config(write_demo_inputs(tmp / "data")), progress=quiet)
    start = time.perf_counter()
    paths = write_cluster_profiles(profile, tmp, built_on=BUILT_ON)
    ours = time.perf_counter() - start
    cells, charts = count_cells_and_charts(paths)
    start = time.perf_counter()
    floor(tmp, len(paths), cells, charts)
    bare = time.perf_counter() - start
    return {"demo_seconds": round(ours, 3), "floor_seconds": round(bare, 3),
            "ratio_to_floor": round(ours / bare, 2), "cells": cells, "charts": charts}


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
        for s in range(lsoas):
            den = float(rng.integers(50, 400))
            num = float(rng.integers(0, den)) if d.unit is not Unit.SCORE else None
            values.append(IndicatorValue(
                indicator_id=d.id, area_code=f"{la}L{s:04d}", period="2008", numerator=num,
                denominator=den, value=None if num is not None else float(rng.uniform(5, 60)),
                provenance=Provenance(level=Level.LSOA, source=d.source, data_date="2008-03")))
    return Geography(areas=tuple(areas), memberships=tuple(members)), values


def catalogue_of(size: int) -> Catalogue:
    shipped = list(load_catalogue())
    extra = [d.model_copy(update={"id": f"{d.id}_B"}) for d in shipped]
    return Catalogue(indicators=tuple((shipped + extra)[:size]))


def build_one(task: tuple[int, int, int, int, int, str]) -> int:
    index, wards, lsoas, centres, indicators, out = task
    catalogue = catalogue_of(indicators)
    geography, values = synthetic_authority(index, wards, lsoas, centres, catalogue)
    profile = compute_profile(geography, catalogue, values)
    folder = Path(out) / f"la{index}"
    folder.mkdir()
    return len(write_cluster_profiles(profile, folder, built_on=BUILT_ON))


def scale_run(tmp: Path, authorities: int, processes: int = 2) -> dict:
    tasks = [(i, 50, 220, 23 + (i % 2), 40, str(tmp)) for i in range(authorities)]
    start = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        books = sum(pool.imap_unordered(build_one, tasks))
    seconds = time.perf_counter() - start
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"authorities": authorities, "workbooks": books, "scale_seconds": round(seconds, 1),
            "peak_rss_mb_per_process": round(peak_kb / 1024), "processes": processes}


def growth(tmp: Path) -> dict:
    """Seconds for one authority as wards and indicators grow."""
    out = {}
    for wards, indicators in ((25, 40), (50, 40), (100, 40), (50, 10), (50, 20)):
        folder = tmp / f"g{wards}-{indicators}"
        folder.mkdir()
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
        (tmp_path / "floor").mkdir()
        figures = {"benchmark": "profile", **floor_ratio(tmp_path / "floor")}
        print(f"demo build {figures['demo_seconds']} s vs bare xlsxwriter floor "
              f"{figures['floor_seconds']} s: {figures['ratio_to_floor']}x (target 2x)")
        (tmp_path / "growth").mkdir()
        figures["growth_seconds"] = growth(tmp_path / "growth")
        print(f"growth (one authority): {figures['growth_seconds']}")
        (tmp_path / "scale").mkdir()
        figures.update(scale_run(tmp_path / "scale", 6 if args.quick else 150))
        print(f"scale: {figures['workbooks']} workbooks for {figures['authorities']} authorities "
              f"in {figures['scale_seconds']} s (target 120 s), peak "
              f"{figures['peak_rss_mb_per_process']} MB per process (target 4 GB in all)")
    figures.update(target_ratio=2.0, target_scale_seconds=120, target_memory_mb=4096)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
