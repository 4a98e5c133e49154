"""Benchmark: the regional view at England scale.

A synthetic region of 150 authorities, 5 years and 40 percentage indicators (30,000 rows) with
about 100 LSOAs an authority: read, check, rank, test the change and write ``region-profile.xlsx``
(40 ranked tables, 40 change tables with 40 charts of 150 bars). Peer, in the same run: the bare
floor of the same work, the csv module reading the same indicator and IMD files and bare
xlsxwriter writing the same number of cells and the same charts (no checks, no formats, no
arithmetic).
Targets: at most 2x the floor, and within the profile benchmark's England time (120 s).
Prints the figures last as one JSON line. ``--quick`` runs 15 authorities, 3 years, 8 indicators.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import tempfile
import time
from pathlib import Path

import xlsxwriter

from workbooks.region_profile import write_region_profile
from xl_profile.region import load_region_config, region_view


def make_region(folder: Path, authorities: int, years: int, indicators: int) -> Path:
    """Write a synthetic region build file with its indicator and IMD files; return its path."""
    rng = random.Random(150)
    codes = [f"X09{n:06d}" for n in range(1, authorities + 1)]
    periods = [str(2004 + y) for y in range(years)]
    rows = ["indicator_id,area_code,period,numerator,denominator,value"]
    for ind in range(indicators):
        for code in codes:
            for period in periods:
                den = rng.randint(500, 4000)
                rows.append(f"I{ind:02d},{code},{period},{rng.randint(0, den)},{den},")
    (folder / "figures.csv").write_text("\n".join(rows) + "\n")
    imd = ["authority_code,lsoa_code,imd_rank"]
    imd += [f"{code},L{i:06d},{rng.randint(1, 32482)}" for i, code in
            enumerate(c for c in codes for _ in range(100))]
    (folder / "imd.csv").write_text("\n".join(imd) + "\n")
    listed = "\n".join(f"  - {{code: {c}, name: Authority {c}, centres: {rng.randint(5, 40)}}}"
                       for c in codes)
    inds = "\n".join(f"  - {{id: I{i:02d}, title: Indicator {i}}}" for i in range(indicators))
    path = folder / "region.yaml"
    path.write_text(f"region: Synthetic\nauthority_of_interest: {codes[0]}\n"
                    f"authorities:\n{listed}\nindicators_file: figures.csv\nindicators:\n{inds}\n"
                    f"compare: {{from_period: '{periods[-2]}', to_period: '{periods[-1]}'}}\n"
                    "imd: {file: imd.csv, national_lsoas: 32482}\n")
    return path


def build(config_path: Path, out: Path) -> float:
    start = time.perf_counter()
    write_region_profile(region_view(load_region_config(config_path)), out, dt.date(2008, 6, 30))
    return time.perf_counter() - start


def floor(folder: Path, out: Path, authorities: int, indicators: int) -> float:
    """The csv module reading the inputs, then bare xlsxwriter writing the same tables' cells
    and the same charts; nothing checked or computed."""
    start = time.perf_counter()
    for name in ("figures.csv", "imd.csv"):
        with (folder / name).open(newline="") as handle:
            rows = list(csv.reader(handle))
    del rows
    book = xlsxwriter.Workbook(str(out / "floor.xlsx"), {"constant_memory": False})
    ranked, change = book.add_worksheet("Ranked"), book.add_worksheet("Change")
    row = 0
    for ind in range(indicators):
        for a in range(authorities):
            ranked.write_row(row + a, 0, [a + 1, f"Authority {a}", f"X{a}", 50.5])
            change.write_row(row + a, 0, [a + 1, f"Authority {a}", 40.1, 50.2, 10.1, 1.2,
                                          0.05, "yes"])
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"categories": ["Change", row, 1, row + authorities - 1, 1],
                          "values": ["Change", row, 4, row + authorities - 1, 4],
                          "points": [{"fill": {"color": "#BFBFBF"}}] * authorities})
        change.insert_chart(row, 9, chart)
        row += authorities + 3
    book.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    authorities, years, indicators = (15, 3, 8) if args.quick else (150, 5, 40)
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        config = make_region(folder, authorities, years, indicators)
        runs = [(build(config, out), floor(folder, out, authorities, indicators)) for _ in range(3)]
        size_kb = (out / "region-profile.xlsx").stat().st_size // 1024
    seconds = min(r[0] for r in runs)
    floor_seconds = min(r[1] for r in runs)
    figures = {"authorities": authorities, "years": years, "indicators": indicators,
               "build_seconds": round(seconds, 3), "floor_seconds": round(floor_seconds, 3),
               "ratio_to_floor": round(seconds / floor_seconds, 2), "workbook_kb": size_kb,
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
               "target_ratio": 2.0, "target_seconds": 120}
    print(f"region build {seconds:.2f} s against a floor of {floor_seconds:.2f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
