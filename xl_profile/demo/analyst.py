"""The analyst workbook's content: the demo's data as worksheet ranges, and one worked example of
every worksheet function with the value it must give, computed here by the core.

Each example's formula refers to the data sheets by the names and columns laid out here, and
:class:`Example.call` holds the same arguments as values, so a test can check that the formula,
the data and the expected value agree. Nothing here writes a workbook (see
``workbooks/analyst_workbook.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from openpyxl.utils import get_column_letter

from .. import stats
from ..bestfit import fit_point_rows
from ..compare import deprived_gap_by_rank, rank_eq
from ..eyfsp import ni72, ni92
from ..geometry import read_boundaries, read_points
from ..models import Level, Polarity
from ..pipeline import Inputs
from ..reach.cells import area_rows, extract_rows, reach_cells
from ..reach.table import table_reach
from ..suppression import suppressed_values

#: IMD ranks are fictional, like the borough: the demo's IMD score mapped onto England's 32,844.
ENGLAND_LSOAS = 32_844
SCORE_RANGE = (8.0, 63.0)  # the demo's least and most deprived IMD scores


@dataclass(frozen=True)
class DataSheet:
    """A sheet of data: a header row, then rows; ``note`` is shown above it."""

    name: str
    rows: list[list[object]]
    note: str = ""


@dataclass(frozen=True)
class Example:
    """One worked example: the formula to type, the arguments as values, the expected answer."""

    function: str
    formula: str
    call: tuple
    expected: list[list[object]]  # as the cells show it: rows of values
    what: str


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    return get_column_letter(index + 1)


def as_rows(value: object) -> list[list[object]]:
    """A function's answer as the rows of cells it spills into."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return value
    return [value] if isinstance(value, list) else [[value]]


def _dated(rows: list[list[object]]) -> list[list[object]]:
    """Attendance rows with their ISO dates as dates (date cells in the workbook)."""
    return [rows[0]] + [[row[0], dt.date.fromisoformat(row[1]), *row[2:]] for row in rows[1:]]


def _small_areas(data_dir: Path) -> tuple[list[list[object]], int]:
    """LSOA rows of NI 72 counts with a fictional IMD rank; and how many LSOAs were left out
    because their count is suppressed in the source."""
    rows, left_out = [["lsoa", "ni72_numerator", "ni72_denominator", "imd_rank"]], 0
    with open(data_dir / "indicators.csv", encoding="utf-8") as file:
        records = list(csv.DictReader(file))
    scores = {r["area_code"]: float(r["value"]) for r in records
              if r["indicator_id"] == "IMD_SCORE" and r["level"] == "lsoa" and r["value"]}
    low, high = SCORE_RANGE
    for r in records:
        if r["indicator_id"] != "NI72" or r["level"] != "lsoa":
            continue
        if not (r["numerator"].isdigit() and r["denominator"].isdigit()) \
                or r["area_code"] not in scores:
            left_out += 1
            continue
        share = min(max((high - scores[r["area_code"]]) / (high - low), 0.0), 1.0)
        rows.append([r["area_code"], float(r["numerator"]), float(r["denominator"]),
                     float(1 + round(share * (ENGLAND_LSOAS - 1)))])
    return rows, left_out


def _eyfsp_scores() -> list[list[object]]:
    """Thirty fictional children's 13 EYFSP scale points (seeded, so the same every time)."""
    rng = np.random.default_rng(72)
    header = [f"scale_{i}" for i in range(1, 14)]
    return [header] + rng.integers(4, 10, size=(30, 13)).astype(float).tolist()


def data_sheets(build_file: Path, inputs: Inputs) -> list[DataSheet]:
    """The demo's data as the analyst would paste it: attendances (pseudonymous ids, no names,
    dates of birth or postcodes), reach areas, populations, centroids, small areas, scores."""
    geography_dir = build_file.parent / "geography"
    points = read_points(geography_dir / "lsoa_centroids.csv", "code", "x", "y")
    populations = inputs.reach.results.populations
    centres = [c.code for c in inputs.profile.geography.at_level(Level.CENTRE)]
    small, left_out = _small_areas(build_file.parent)
    return [
        DataSheet("Attendances", _dated(extract_rows(inputs.reach.extract)),
                  "One row per attendance, from the demo's centre extract."),
        DataSheet("Reach areas", area_rows(inputs.profile.geography),
                  "Small areas in each centre's reach area, with the best-fit share."),
        DataSheet("Populations", [["centre", "population_0_4"]] + [
            [c, populations.get(c, {}).get("all")] for c in centres],
            "Children aged 0-4 in each reach area (the reach reports' denominators)."),
        DataSheet("Centroids", [["lsoa", "x", "y"]] + [
            [code, float(p.x), float(p.y)] for code, p in zip(points.codes, points.geometries)],
            "Population-weighted centroids of the small areas (British National Grid)."),
        DataSheet("Small areas", small,
                  f"NI 72 counts per small area with a fictional IMD rank; {left_out} small "
                  f"area(s) whose count is suppressed in the source are not listed."),
        DataSheet("EYFSP scores", _eyfsp_scores(), "Fictional EYFSP scale points, one row per "
                                                   "child, 13 scales in profile order."),
    ]


def _ref(sheets: dict[str, DataSheet], sheet: str, first: int, last: int | None = None,
         whole: bool = False) -> str:
    """A reference to columns ``first``-``last`` of a data sheet: whole columns, or the data
    rows below the header."""
    rows = len(sheets[sheet].rows)
    name = f"'{sheet}'" if " " in sheet else sheet
    a, b = column_letter(first), column_letter(first if last is None else last)
    return f"{name}!{a}:{b}" if whole else f"{name}!{a}2:{b}{rows}"


def _column(sheet: DataSheet, index: int) -> list[object]:
    return [row[index] for row in sheet.rows[1:]]


def _reach_examples(sheets: dict[str, DataSheet], inputs: Inputs, build: str) -> list[Example]:
    att, areas, pops = sheets["Attendances"], sheets["Reach areas"], sheets["Populations"]
    as_of = inputs.reach.extract.as_of
    date = f"DATE({as_of.year},{as_of.month},{as_of.day})"
    ranges = f"{_ref(sheets, 'Attendances', 0, len(att.rows[0]) - 1, whole=True)}, " \
             f"{_ref(sheets, 'Reach areas', 0, 2, whole=True)}, {date}"
    centre, population = pops.rows[1]
    reach = table_reach(att.rows, areas.rows, as_of, 12)
    reach24 = table_reach(att.rows, areas.rows, as_of, 24)
    report = inputs.reach.results.by_centre[12]
    return [
        Example("CC_REACH", f'=CC_REACH({ranges}, 12, "{centre}", "all", Populations!B2)',
                (att.rows, areas.rows, as_of, 12, centre, "all", population),
                as_rows(reach_cells(reach, centre, "all", population)),
                f"reach % of {centre} with its limits and note, 12 months to {as_of}"),
        Example("CC_REACH", f'=CC_REACH({ranges}, 24, "{centre}", "bme")',
                (att.rows, areas.rows, as_of, 24, centre, "bme"),
                as_rows(reach_cells(reach24, centre, "bme")),
                f"BME children in {centre}'s reach area seen in the 24 months"),
        Example("CC_REACH", f'=CC_REACH({ranges}, 12, , "all", '
                            f'{_ref(sheets, "Populations", 0, 1, whole=True)})',
                (att.rows, areas.rows, as_of, 12, None, "all", pops.rows),
                as_rows(reach_cells(reach, None, "all", pops.rows)),
                "the table of every centre, spilled"),
        Example("CC_REACH_BUILD", f'=CC_REACH_BUILD("{build}", "{centre}")', (build, centre),
                [[float(report.loc[centre, "reach_pct"])]],
                f"reach % of {centre} from the build file's extract: the same figure"),
    ]


def _area_examples(sheets: dict[str, DataSheet], inputs: Inputs, build_file: Path
                   ) -> list[Example]:
    points, small = sheets["Centroids"], sheets["Small areas"]
    boundaries = str((build_file.parent / "geography" / "boundaries" /
                      "centre.geojson").resolve())
    codes, xs, ys = (_column(points, i) for i in range(3))
    fitted = fit_point_rows(codes, xs, ys, read_boundaries(boundaries, "code"))
    ward = inputs.spatial.coverage[0]
    gap = deprived_gap_by_rank(*(_column(small, i) for i in (1, 2, 3)))
    counts = sheets["Counts"].rows
    build = str(build_file.resolve())
    refs = [_ref(sheets, "Small areas", i) for i in (1, 2, 3)]
    point_refs = ", ".join(_ref(sheets, "Centroids", i) for i in range(3))
    return [
        Example("CC_BESTFIT", f'=CC_BESTFIT({point_refs}, "{boundaries}")',
                (codes, xs, ys, boundaries),
                [[t] for t in fitted], "the centre whose reach area holds each centroid"),
        Example("CC_COVERAGE", f'=CC_COVERAGE("{ward.code}", "{build}")', (ward.code, build),
                [ward.as_row()], f"coverage of ward {ward.name}"),
        Example("CC_DEPRIVED_GAP", f"=CC_DEPRIVED_GAP({', '.join(refs)})",
                tuple(_column(small, i) for i in (1, 2, 3)),
                [[gap.deprived, gap.rest, gap.difference, gap.ratio]],
                "NI 72 in the most deprived 30% of small areas against the rest"),
        Example("CC_SUPPRESS", f"=CC_SUPPRESS({_ref(sheets, 'Counts', 1, 3)})",
                ([row[1:] for row in counts[1:]],),
                suppressed_values([row[1:] for row in counts[1:]]),
                "group members reached per centre with small counts hidden"),
    ]


def _figure_examples(sheets: dict[str, DataSheet], inputs: Inputs, build: str
                     ) -> list[Example]:
    pops = _column(sheets["Populations"], 1)
    pop_ref = _ref(sheets, "Populations", 1)
    scores = sheets["EYFSP scores"].rows[1:]
    score_ref = _ref(sheets, "EYFSP scores", 0, 12)
    shown = next(w for w in inputs.profile.results["NI116"].wards if w.value is not None)
    polarity = Polarity.HIGH_IS_GOOD
    return [
        Example("CC_PROPORTION", "=CC_PROPORTION(65,100)", (65, 100),
                [stats.proportion_estimate(65, 100)], "65% with its Wilson limits"),
        Example("CC_WILSON", "=CC_WILSON(65,100)", (65, 100),
                [stats.proportion_estimate(65, 100)[1:]], "the limits alone"),
        Example("CC_RATE", "=CC_RATE(5,100)", (5, 100), [stats.rate_estimate(5, 100)],
                "5 events in 100 people per 100,000 (exact Poisson limits)"),
        Example("CC_RATE_CI", "=CC_RATE_CI(25,1000,1000)", (25, 1000, 1000),
                [stats.rate_estimate(25, 1000, 1000)[1:]], "Byar limits of 25 per 1,000"),
        Example("CC_BYAR", "=CC_BYAR(65)", (65,), [list(stats.byar_interval(65))],
                "limits of a count of 65"),
        Example("CC_COMPARE", "=CC_COMPARE(30,25,35,20)", (30, 25, 35, 20),
                [[stats.compare_to_benchmark(30, 25, 35, 20, polarity).label]],
                "30 (25 to 35) against a benchmark of 20"),
        Example("CC_QUINTILE", f"=CC_QUINTILE(Populations!B2, {pop_ref})", (pops[0], pops),
                [[stats.quintile(pops[0], pops, polarity)]],
                "quintile of the first centre's 0-4 population"),
        Example("CC_RANK", f"=CC_RANK(Populations!B2, {pop_ref})", (pops[0], pops),
                [[rank_eq(pops[0], pops)]], "rank of the first centre's 0-4 population"),
        Example("CC_NI72", f"=CC_NI72({score_ref})", (scores,), [[ni72(scores).value]],
                "NI 72 of the thirty children"),
        Example("CC_NI92", f"=CC_NI92({score_ref})", (scores,), [[ni92(scores).value]],
                "NI 92 of the thirty children"),
        Example("CC_VALUE", f'=CC_VALUE("NI116", "{shown.code}", "{build}")',
                ("NI116", shown.code, build), [[shown.value]],
                f"NI 116 for ward {shown.code} from the build's profile"),
    ]


def _counts_sheet(sheets: list[DataSheet], as_of: dt.date) -> DataSheet:
    by_name = {s.name: s for s in sheets}
    reach = table_reach(by_name["Attendances"].rows, by_name["Reach areas"].rows, as_of, 12)
    groups = ["teenage_parents", "lone_parents", "disabled_children"]
    rows = [["centre", *groups]] + [[centre, *(float(reach.reached.loc[centre, g])
                                               for g in groups)]
                                    for centre in reach.reached.index]
    return DataSheet("Counts", rows, "Group members reached per centre, 12 months (from the "
                                     "Attendances sheet).")


def analyst_book(build_file: Path, inputs: Inputs) -> tuple[list[DataSheet], list[Example]]:
    """The data sheets and one worked example (or more) of every worksheet function."""
    sheets = data_sheets(build_file, inputs)
    sheets.append(_counts_sheet(sheets, inputs.reach.extract.as_of))
    by_name = {s.name: s for s in sheets}
    build = str(build_file.resolve())
    examples = (_reach_examples(by_name, inputs, build)
                + _area_examples(by_name, inputs, build_file)
                + _figure_examples(by_name, inputs, build))
    return sheets, examples
