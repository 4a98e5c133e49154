"""Worksheet functions over whole ranges: reach from attendances, best fit of points, coverage,
the deprived-areas gap and suppression.

Each returns its whole answer at once (spilled) rather than one call per row, and repeated calls
on unchanged ranges are served from a cache (:class:`udfs.common.CallCache`). A whole-column
reference works: the blank rows at its end are dropped, and a header row at its top skipped.
"""

from __future__ import annotations

import xlwings as xw

from xl_profile.bestfit import fit_point_rows
from xl_profile.compare import ENGLAND_LSOAS_2011, deprived_gap_by_rank
from xl_profile.reach.cells import reach_cells
from xl_profile.reach.measures import GROUPS
from xl_profile.reach.table import table_reach
from xl_profile.suppression import suppressed_values

from . import arguments as check
from .common import CATEGORY, CallCache, cell_errors
from .lookups import boundary_layer, coverage_row

REACH = CallCache(table_reach)
BESTFIT = CallCache(fit_point_rows)
SUPPRESS = CallCache(suppressed_values)


@xw.func(category=CATEGORY)
@xw.arg("attendances", ndim=2, doc="Attendance range with a header row: child_id, date, centre, "
        "lsoa, and optionally family_id, person, ethnicity, disability and the carer flags.")
@xw.arg("areas", ndim=2, doc="Reach areas with a header row: small area (LSOA), centre and "
        "share (1 when left out).")
@xw.arg("as_of", doc="Last day of the reach period: a date cell or YYYY-MM-DD, 1990 to 2100.")
@xw.arg("months", doc="12 (the default) or 24 months to as_of.")
@xw.arg("centre", doc="A centre code for its figure; left out: the table of every centre.")
@xw.arg("group", doc="all (default), teenage_parents, lone_parents, workless, bme, "
        "disabled_children, disabled_parents or fathers.")
@xw.arg("population", doc="The group's population in the reach area: a number for one centre, "
        "or a (centre, population) range for the table; gives reach % and Wilson limits.")
@xw.ret(expand="table")
@cell_errors
def CC_REACH(attendances, areas, as_of, months=12, centre=None, group="all", population=None):
    """Children (or group members) living in a centre's reach area seen in the 12 or 24 months to as_of, with reach % and limits when given a population, as in the reach reports."""
    as_of, months = check.day(as_of, "as_of"), check.choice(months, "months", (12, 24), 12)
    group = check.choice(group, "group", tuple(GROUPS), "all")
    population = check.reach_population(population, centre)
    result = REACH(attendances, areas, as_of, months)
    return reach_cells(result, None if check.blank(centre) else centre, group, population)


@xw.func(category=CATEGORY)
@xw.arg("codes", ndim=2, doc="Small-area codes (one column; a header row is skipped).")
@xw.arg("x", ndim=2, doc="Easting (or longitude) of each small area's population-weighted "
        "centroid.")
@xw.arg("y", ndim=2, doc="Northing (or latitude) of each centroid.")
@xw.arg("boundaries", doc="Full path of the GeoJSON file of the target areas (centres or wards).")
@xw.arg("code_field", doc="Property holding each target's code; code when left out or blank.")
@xw.arg("crs", doc="EPSG code of the points and file, 27700 or 4326; judged from the "
        "coordinates when left out.")
@xw.ret(expand="down", transpose=True)
@cell_errors
def CC_BESTFIT(codes, x, y, boundaries, code_field="code", crs=None):
    """The target area holding each small area's population-weighted centroid (the ONS best-fit rule), spilled down."""
    codes, x, y = check.columns({"codes": codes, "x": x, "y": y}, ("x", "y"))
    crs = check.crs_code(crs)
    targets = boundary_layer(boundaries, code_field, crs)
    return BESTFIT(codes, x, y, targets, crs)


@xw.func(category=CATEGORY)
@xw.arg("ward", doc="Ward code.")
@xw.arg("build_file", doc="Full path of a build file whose geography has ward, LSOA and centre "
        "boundaries.")
@xw.ret(expand="right")
@cell_errors
def CC_COVERAGE(ward, build_file):
    """A ward's coverage by centre reach areas as [class, % of its people covered, % of its area covered]."""
    build_file = check.existing_file(build_file, "build_file", "a build file (build.yaml)")
    return coverage_row(build_file, ward)


@xw.func(category=CATEGORY)
@xw.arg("numerators", ndim=2, doc="Numerator of each small area (one column; a header row is "
        "skipped), at most its denominator.")
@xw.arg("denominators", ndim=2, doc="Denominator of each small area.")
@xw.arg("imd_ranks", ndim=2, doc="IMD rank of each small area in England (1 = most deprived).")
@xw.arg("fraction", numbers=float, doc="Most deprived share of England, above 0 and below 1; "
        "0.3 when left out or blank.")
@xw.arg("national_count", doc="Small areas in England; 32844 (2011 LSOAs) when left out or "
        "blank, 32482 for 2001 LSOAs.")
@xw.ret(expand="right")
@cell_errors
def CC_DEPRIVED_GAP(numerators, denominators, imd_ranks, fraction=0.3, national_count=32844):
    """The % in the most deprived small areas of England, the % in the rest, the gap and the ratio, from summed counts."""
    columns = check.gap_columns(numerators, denominators, imd_ranks)
    fraction = check.number(fraction, "fraction", default=0.3, above=0, below=1)
    national_count = check.number(national_count, "national_count", default=ENGLAND_LSOAS_2011,
                                  low=1, whole=True)
    gap = deprived_gap_by_rank(*columns, fraction, national_count)
    return [gap.deprived, gap.rest, gap.difference, gap.ratio]


@xw.func(category=CATEGORY)
@xw.arg("counts", ndim=2, doc="Table of counts whose rows and columns add up to totals; a "
        "count stored as text is read as a number.")
@xw.arg("threshold", doc="A whole number of 1 or more: counts from 1 to threshold-1 are hidden; "
        "5 when left out or blank.")
@xw.ret(expand="table")
@cell_errors
def CC_SUPPRESS(counts, threshold=5):
    """The table with small counts hidden (*), and a second count hidden wherever one could be worked out from a total."""
    return SUPPRESS(check.count_table(counts), check.threshold(threshold))
