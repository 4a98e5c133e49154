"""Benchmark: ``xl-profile validate`` on a 1,000,000-row tidy indicator file.

The file is made against the demo borough's geography and the shipped catalogue: every indicator
(except census ones) for every area for as many years as it takes, with suppression markers on 2% of
rows and a decimal comma in the value of one row in a thousand (so the run also shows repeated
problems summarised, not printed one per row). Validation runs in a child process, as a user runs
it; peak memory is that child's maximum resident set (``getrusage(RUSAGE_CHILDREN)`` read by a
fresh intermediate process, so each figure is its own run's).

Peer: ``pandas.read_csv`` of the same file with typed columns (text columns as categories, the
three number columns as floats, suppression markers and unreadable numbers as NaN), in a child
process the same way: a read with no checking at all. Prints the figures last as one JSON line.
``--quick`` runs 100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from xl_profile.catalogue import load_catalogue
from xl_profile.demo.borough import generate_demo_borough
from xl_profile.geography_io import write_geography
from xl_profile.models import PeriodType, Unit
from xl_profile.tidy import COLUMNS

YEARS = range(1900, 2100)
#: Targets for the full run.
TARGET_MB, TARGET_SECONDS = 1024, 10.0
#: The peer: pandas reading the file into typed columns.
_PEER = """
import sys
import pandas as pd
numbers = ["numerator", "denominator", "value"]
texts = ["indicator_id", "area_code", "period", "note", "source", "data_date", "level"]
frame = pd.read_csv(sys.argv[1], dtype={**{c: "category" for c in texts},
                                        **{c: "str" for c in numbers}}, keep_default_na=False)
for column in numbers:
    frame[column] = pd.to_numeric(frame[column], errors="coerce")
"""
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
lines = done.stdout.splitlines()
print(repr((done.returncode, seconds, peak, len(lines), lines[-3:], done.stderr[-300:])))
"""


def measure(argv: list[str]) -> dict:
    """Run ``argv`` under a fresh intermediate process; its exit code, seconds and peak RSS MB."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True,
                         check=True)
    code, seconds, peak, lines, tail, stderr = eval(out.stdout)  # our own repr, just above
    return {"exit": code, "seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
            "stdout_lines": lines, "tail": tail, "stderr": stderr.strip()}


def _periods(period_type: PeriodType) -> list[str]:
    if period_type is PeriodType.CALENDAR_YEAR:
        return [str(y) for y in YEARS]
    return [f"{y}/{(y + 1) % 100:02d}" for y in YEARS]


def write_tidy(path: Path, rows: int, seed: int = 8) -> int:
    """Write ``rows`` tidy rows against the demo geography; return how many carry a decimal comma."""
    rng = np.random.default_rng(seed)
    geography = generate_demo_borough().geography
    codes = [a.code for a in geography.areas]
    definitions = [d for d in load_catalogue() if d.period_type in (
        PeriodType.CALENDAR_YEAR, PeriodType.FINANCIAL_YEAR, PeriodType.ACADEMIC_YEAR)]
    broken = written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for d in definitions:
            for period in _periods(d.period_type):
                if written >= rows:
                    return broken
                batch = codes[: rows - written]
                for row in _rows(d, batch, period, rng):
                    written += 1
                    if written % 1000 == 0 and "." in row[5]:
                        row[5] = row[5].replace(".", ",")
                        broken += 1
                    writer.writerow(row)
    raise SystemExit(f"cannot make {rows} distinct rows from the demo geography and catalogue")


def _rows(d, codes: list[str], period: str, rng: np.random.Generator):
    n = len(codes)
    den = rng.integers(20, 5000, n)
    num = rng.binomial(den, rng.uniform(0.02, 0.9, n))
    suppressed = rng.random(n) < 0.02
    for i, code in enumerate(codes):
        numerator, denominator, value = str(num[i]), str(den[i]), ""
        if d.unit is Unit.SCORE:
            numerator, denominator, value = "", "", f"{rng.uniform(5, 60):.2f}"
        elif d.unit is Unit.COUNT:
            denominator = ""
        else:
            value = f"{num[i] / den[i] * d.multiplier:.1f}"
        if suppressed[i] and d.unit is not Unit.SCORE:
            numerator, value = "*", "*"
        yield [d.id, code, period, numerator, denominator, value, "", d.source, "", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows instead of 1,000,000")
    args = parser.parse_args()
    rows = 100_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_geography(folder / "geography", generate_demo_borough().geography)
        path = folder / "indicators.csv"
        start = time.perf_counter()
        broken = write_tidy(path, rows)
        print(f"wrote {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB, {broken:,} with a "
              f"decimal comma) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        ours = measure([sys.executable, "-m", "xl_profile", "validate", str(path),
                        "--geography", str(folder / "geography")])
        peer = measure([sys.executable, "-c", _PEER, str(path)])
    for name, result in (("validate", ours), ("pandas.read_csv", peer)):
        print(f"{name}: {result}", file=sys.stderr)
    if peer["exit"] != 0:
        raise SystemExit(f"the peer failed: {peer['stderr']}")
    sys.stderr.flush()
    problems_reported = ours["exit"] == 1 and f"{broken:,} problem(s)" in ours["stderr"]
    print(json.dumps({
        "benchmark": "validate", "rows": rows, "seconds": ours["seconds"],
        "peak_rss_mb": ours["peak_rss_mb"], "rows_per_second": round(rows / ours["seconds"]),
        "lines_printed": ours["stdout_lines"], "problems_found": broken,
        "problems_reported": problems_reported,
        "peer": "pandas.read_csv, typed columns", "peer_seconds": peer["seconds"],
        "peer_peak_rss_mb": peer["peak_rss_mb"],
        "time_ratio_to_peer": round(ours["seconds"] / peer["seconds"], 2),
        "memory_ratio_to_peer": round(ours["peak_rss_mb"] / peer["peak_rss_mb"], 2),
        "target_seconds": TARGET_SECONDS, "target_peak_rss_mb": TARGET_MB,
        "under_target": ours["seconds"] < TARGET_SECONDS and ours["peak_rss_mb"] < TARGET_MB}))


if __name__ == "__main__":
    main()
