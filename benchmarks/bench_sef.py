"""Benchmark: collecting 3,500 filled self-evaluation forms (England scale) into a summary.

Peer: the bare floor of the same reader on the same files: open each workbook, read its defined
names and the value of every named cell (python-calamine for values, the workbook part for
names), with no checking and no summary. Target: collecting in under 60 s on 2 cores and at most
1.5x that floor. Forms are generated filled (every grade; evidence of 1,500 characters for each
area with £ and accents; part A and D texts; some 18,000 characters a form) with the project's own
form writer, as carry-forward fills a form. Prints the figures last as one JSON line.
``--quick`` runs a tenth of the size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from workbooks.sef_form import write_sef_form
from workbooks.sef_reader import defined_names, parse_reference
from workbooks.sef_collect import read_all, collect, form_files
from xl_profile.sef import model
from xl_profile.sef.model import FormSpec

YEAR = "2008/09"
PARAGRAPH = ("Stay and Play runs four mornings a week; the café charges £1.50 and the fathers' "
             "group (Père et fils) meets monthly. Naïve targets were revised after the survey. ")
#: Characters a manager writes in each kind of text, about as much as a full SEF holds (some
#: 20,000 characters a form: several paragraphs of evidence for each area).
TEXT_SIZES = {"C": 1_500, "D": 1_000, "A": 400}
SHORT = {"A_MainSiteAddress": "1 Larkspur Road, Demo Borough", "A_OpeningHours": "Mon-Fri 8-6"}


def _figures() -> tuple[tuple, ...]:
    """Part B rows as the demo borough's first centre has them."""
    from xl_profile.config import load_config
    from xl_profile.demo.inputs import write_demo_inputs
    from xl_profile.pipeline import load_inputs, quiet
    from xl_profile.sef.part_b import figure_rows

    with tempfile.TemporaryDirectory() as tmp:
        profile = load_inputs(load_config(write_demo_inputs(Path(tmp))), quiet).profile
    return tuple(figure_rows(profile, "CC01"))


def _values(n: int) -> tuple[tuple[str, object], ...]:
    values: list[tuple[str, object]] = []
    for i, field in enumerate(model.FIELDS):
        if field.kind is model.Kind.GRADE:
            values.append((field.name, 1 + (n + i) % 4))
        elif field.kind is model.Kind.DATE:
            values.append((field.name, dt.date(2008, 5, 1 + i % 28)))
        elif field.kind is model.Kind.LINE or field.name in SHORT:
            values.append((field.name, SHORT.get(field.name, f"Centre {n}: {field.label}")))
        elif field.name.startswith("D_Action"):
            values.append((field.name, f"{field.label}: " + PARAGRAPH[:100]))
        else:
            text = f"Centre {n}, {field.label}.\n" + PARAGRAPH * 20
            values.append((field.name, text[:TEXT_SIZES[field.part]]))
    return tuple(values)


def _write(args: tuple[Path, int, tuple]) -> None:
    folder, n, figures = args
    spec = FormSpec(f"CC{n:05d}", f"Centre {n:05d}", f"Cluster {n % 40}", YEAR, figures,
                    _values(n))
    write_sef_form(folder / model.form_file_name(spec.centre_name), spec)


def make_forms(folder: Path, count: int) -> None:
    """``count`` filled forms in ``folder`` (kept between runs while the forms would not change)."""
    stamp = hashlib.sha256(repr((model.FORM_VERSION, model.FIELDS, _values(0))).encode()).hexdigest()
    stamp_file = folder / ".forms-stamp"
    if len(list(folder.glob("sef-*.xlsx"))) == count and stamp_file.is_file() \
            and stamp_file.read_text() == stamp:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    figures = _figures()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(_write, [(folder, n, figures) for n in range(count)], chunksize=50))
    stamp_file.write_text(stamp)


def floor(folder: Path) -> tuple[float, int]:
    """Seconds to open every form and read every named cell; and how many cells were read."""
    from python_calamine import CalamineWorkbook

    start, cells = time.perf_counter(), 0
    for path in sorted(folder.glob("*.xlsx")):
        targets = [parse_reference(ref) for ref in defined_names(path).values()]
        book = CalamineWorkbook.from_path(str(path))
        grids: dict[str, list[list[object]]] = {}
        for sheet, row, col, last_row, last_col in filter(None, targets):
            if sheet not in grids:
                grids[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            cells += sum(len(r[col:last_col + 1]) for r in grids[sheet][row:last_row + 1])
        book.close()
    return time.perf_counter() - start, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="350 forms instead of 3,500")
    parser.add_argument("--dir", type=Path, help="folder for the generated forms (kept)")
    args = parser.parse_args()
    count = 350 if args.quick else 3500
    folder = args.dir or Path(tempfile.gettempdir()) / f"xl-profile-bench-sef-{count}"
    start = time.perf_counter()
    make_forms(folder, count)
    made = time.perf_counter() - start
    floors, collects, checks = [], [], []
    files = form_files(folder)
    with tempfile.TemporaryDirectory() as out:
        for _ in range(2):  # alternate, best of two each: all see a warm file cache
            floors.append(floor(folder))
            start = time.perf_counter()
            result = collect(folder, Path(out) / "sef-summary.xlsx")
            collects.append(time.perf_counter() - start)
            start = time.perf_counter()
            outcomes = list(read_all(files, None))  # reading and checking, no summary
            checks.append(time.perf_counter() - start)
        size = (Path(out) / "sef-summary.xlsx").stat().st_size
    assert len(outcomes) == count
    summary = result.summary
    assert len(summary.forms) == count and not summary.problems, summary.problems[:3]
    floor_s, cells = min(f[0] for f in floors), floors[0][1]
    collect_s, check_s = min(collects), min(checks)
    print(f"{count} forms ({made:.1f} s to make); floor {floor_s:.2f} s for {cells:,} named "
          f"cells; read and check only {check_s:.2f} s; collect {collect_s:.2f} s; summary "
          f"{size / 1e6:.1f} MB")
    print(json.dumps({"forms": count, "collect_s": round(collect_s, 2),
                      "floor_s": round(floor_s, 2), "ratio_to_floor": round(collect_s / floor_s, 2),
                      "read_check_s": round(check_s, 2),
                      "read_check_ratio": round(check_s / floor_s, 2),
                      "ms_per_form": round(collect_s / count * 1000, 2),
                      "named_cells_read": cells, "cores": os.cpu_count(),
                      "target_s": 60, "target_ratio": 1.5}))


if __name__ == "__main__":
    main()
