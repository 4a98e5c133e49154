"""Benchmark: an England-sized agency workbook through a source mapping.

One sheet of 33,000 small areas (title rows, a merged header over three indicators, each with
number, denominator and percentage; thousands written as text "1,234", suppressed cells) read by
``intake`` into tidy rows with the cell of every figure.

Peer, measured in the same run on the same file: pandas ``read_excel(engine="calamine")`` of the
sheet with ``to_numeric`` on the figure columns (reading only: no names, checks or provenance).
Prints the figures last as one JSON line. ``--quick`` runs a tenth of the size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from xl_profile.catalogue import load_catalogue
from xl_profile.intake import intake
from xl_profile.intake_mapping import LoadedMapping, SourceMapping
from xl_profile.models import Area, Geography, Level

INDICATORS = (("IMM_MMR2", "%"), ("LBW", "%"), ("TEEN_MOTHERS", "%"))


def write_workbook(path: Path, codes: list[str], rng: np.random.Generator) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Small areas")
    sheet.write_row(0, 0, ["Benchmark workbook: figures are random"])
    for i, (indicator, _unit) in enumerate(INDICATORS):
        sheet.merge_range(2, 1 + 3 * i, 2, 3 + 3 * i, indicator)
        sheet.write_row(3, 1 + 3 * i, ["Number", "Children", "%"])
    sheet.write(3, 0, "LSOA code")
    for r, code in enumerate(codes, start=4):
        sheet.write(r, 0, code)
        for i in range(len(INDICATORS)):
            den = int(rng.integers(800, 3000))
            num = int(rng.integers(0, den // 4))
            if num < 5:
                sheet.write_row(r, 1 + 3 * i, ["*", f"{den:,}", "*"])
            else:
                sheet.write_row(r, 1 + 3 * i, [num, f"{den:,}", round(100 * num / den, 1)])
    book.close()


def mapping() -> SourceMapping:
    return SourceMapping(
        source="Benchmark", data_date="2008-03", file="bench*.xlsx", sheet="Small areas",
        header_row=4, header_rows=2, area={"column": "LSOA code"}, level="lsoa", period="2007",
        values=[{"indicator": i, "numerator": f"{i} / Number", "denominator": f"{i} / Children",
                 "value": f"{i} / %", "unit": u, "decimals": 1} for i, u in INDICATORS])


def geography(codes: list[str]) -> Geography:
    areas = [Area(code="X09000001", name="Bench", level=Level.AUTHORITY),
             Area(code="X05000001", name="Ward", level=Level.WARD, parent="X09000001")]
    areas += [Area(code=c, name=c, level=Level.LSOA, parent="X05000001") for c in codes]
    return Geography(areas=tuple(areas), memberships=())


def peer(path: Path) -> float:
    import pandas as pd  # imported before the clock starts, as intake's modules are

    start = time.perf_counter()
    frame = pd.read_excel(path, sheet_name="Small areas", header=3, engine="calamine")
    for column in frame.columns[1:]:
        pd.to_numeric(frame[column].astype(str).str.replace(",", ""), errors="coerce")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args()
    n = 3_300 if args.quick else 33_000
    codes = [f"X01{i:06d}" for i in range(n)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        write_workbook(path, codes, np.random.default_rng(1))
        loaded = [LoadedMapping(path=Path("bench.yaml"), mapping=mapping())]
        geo, catalogue = geography(codes), load_catalogue()
        start = time.perf_counter()
        result = intake(loaded, Path(folder), geo, catalogue)
        seconds = time.perf_counter() - start
        peer_seconds = peer(path)
    figures = {"rows": n, "tidy_rows": len(result.rows), "cells": len(result.provenance),
               "intake_s": round(seconds, 3), "rows_per_s": round(n / seconds),
               "peer": "pandas read_excel calamine + to_numeric",
               "peer_s": round(peer_seconds, 3), "ratio_to_peer": round(seconds / peer_seconds, 2)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
