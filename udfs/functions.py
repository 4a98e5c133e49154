"""Worksheet functions (``=CC_...``) on single figures: limits, comparison, ranks, NI 72/92, and
values from a build file's profile and reach.

Each function is a thin wrapper over the core: decorators, a one-sentence docstring (shown in
Excel's Insert Function dialog, at most 255 characters), a description of every argument and a
short body. Excel passes every number as a float, a blank cell as None and a date as a datetime;
our own errors come back as a short ``#XLP: ...`` cell message (:func:`udfs.common.cell_errors`).
Return annotations are left off: xlwings would take a union type for a converter.
"""

from __future__ import annotations

import xlwings as xw

from xl_profile import stats
from xl_profile.compare import rank_eq
from xl_profile.eyfsp import ni72, ni92

from . import arguments as check
from .common import CATEGORY, cell_errors
from .lookups import FIELDS, REACH_FIELDS, profile_value, reach_value

CONFIDENCE = "Confidence level of the limits, e.g. 0.95 (the default, also when blank) or 0.998."
POLARITY = "high is good (the default, also when blank), low is good or no judgement; any case."


@xw.func(category=CATEGORY)
@xw.arg("numerator", doc="Count with the characteristic (0 or more, at most the denominator).")
@xw.arg("denominator", doc="Count of the whole group (more than 0).")
@xw.arg("confidence", numbers=float, doc=CONFIDENCE)
@xw.ret(expand="right")
@cell_errors
def CC_WILSON(numerator, denominator, confidence=0.95):
    """Wilson score limits of the percentage numerator/denominator*100 as [lower, upper] (PHE method)."""
    figures = check.proportion(numerator, denominator, confidence)
    return stats.proportion_estimate(*figures)[1:]


@xw.func(category=CATEGORY)
@xw.arg("numerator", doc="Count with the characteristic (0 or more, at most the denominator).")
@xw.arg("denominator", doc="Count of the whole group (more than 0).")
@xw.arg("confidence", numbers=float, doc=CONFIDENCE)
@xw.ret(expand="right")
@cell_errors
def CC_PROPORTION(numerator, denominator, confidence=0.95):
    """A percentage with its Wilson score limits, spilled right as [value, lower, upper] (PHE method)."""
    return stats.proportion_estimate(*check.proportion(numerator, denominator, confidence))


@xw.func(category=CATEGORY)
@xw.arg("events", doc="Number of events (0 or more).")
@xw.arg("population", doc="Population at risk (more than 0).")
@xw.arg("multiplier", numbers=float, doc="Rate per this many people (more than 0); 100000 when "
        "left out or blank.")
@xw.arg("confidence", numbers=float, doc=CONFIDENCE)
@xw.ret(expand="right")
@cell_errors
def CC_RATE(events, population, multiplier=100000, confidence=0.95):
    """A crude rate per multiplier with its limits as [value, lower, upper]: exact Poisson below 10 events, Byar above."""
    return stats.rate_estimate(*check.rate(events, population, multiplier, confidence))


@xw.func(category=CATEGORY)
@xw.arg("events", doc="Number of events (0 or more).")
@xw.arg("population", doc="Population at risk (more than 0).")
@xw.arg("multiplier", numbers=float, doc="Rate per this many people (more than 0); 100000 when "
        "left out or blank.")
@xw.arg("confidence", numbers=float, doc=CONFIDENCE)
@xw.ret(expand="right")
@cell_errors
def CC_RATE_CI(events, population, multiplier=100000, confidence=0.95):
    """Limits of a crude rate per multiplier as [lower, upper]: exact Poisson below 10 events, else Byar."""
    return stats.rate_estimate(*check.rate(events, population, multiplier, confidence))[1:]


@xw.func(category=CATEGORY)
@xw.arg("count", doc="The count (0 or more).")
@xw.arg("confidence", numbers=float, doc=CONFIDENCE)
@xw.ret(expand="right")
@cell_errors
def CC_BYAR(count, confidence=0.95):
    """Byar's confidence limits of a count as [lower, upper] (PHE method)."""
    return list(stats.byar_interval(check.number(count, "count", low=0),
                                    check.confidence(confidence)))


@xw.func(category=CATEGORY)
@xw.arg("value", doc="The area's value.")
@xw.arg("lower95", doc="Lower 95% limit of the value.")
@xw.arg("upper95", doc="Upper 95% limit of the value.")
@xw.arg("benchmark", doc="The benchmark value, e.g. England's.")
@xw.arg("polarity", doc=POLARITY)
@cell_errors
def CC_COMPARE(value, lower95, upper95, benchmark, polarity="high is good"):
    """Fingertips comparison of a value and its 95% limits with a benchmark: Better, Similar, Worse, Higher, Lower, or Not compared when a figure is blank."""
    figures = check.comparison(value, lower95, upper95, benchmark)
    return stats.compare_to_benchmark(*figures, check.polarity(polarity)).label


@xw.func(category=CATEGORY)
@xw.arg("value", doc="The area's value.")
@xw.arg("values", ndim=2, doc="Range of every area's value (blanks and a header at the top "
        "are skipped).")
@xw.arg("polarity", doc=POLARITY)
@cell_errors
def CC_QUINTILE(value, values, polarity="high is good"):
    """Fingertips quintile (1-5) of a value among a range of area values; blank under 5 values."""
    result = stats.quintile(check.number(value, "value", default=None),
                            check.numbers_in(values, "values"), check.polarity(polarity))
    return "" if result is None else result


@xw.func(category=CATEGORY)
@xw.arg("value", doc="The value to rank (one of values).")
@xw.arg("values", ndim=2, doc="Range of values to rank among (blanks and a header at the top "
        "are skipped).")
@xw.arg("order", doc="0, descending or blank: largest is 1 (as RANK.EQ); 1 or ascending: "
        "smallest is 1.")
@cell_errors
def CC_RANK(value, values, order=0):
    """Rank of a value among a range as Excel's RANK.EQ: tied values share the best rank."""
    return rank_eq(check.number(value, "value"), check.numbers_in(values, "values"),
                   descending=check.rank_order(order))


@xw.func(category=CATEGORY)
@xw.arg("scores", ndim=2, doc="EYFSP scale points: one row per child, 13 scales in profile order.")
@cell_errors
def CC_NI72(scores):
    """NI 72 from a range of EYFSP scale points (one row per child, 13 scales in profile order): % with 78+ and 6+ in PSED and CLL."""
    return ni72(check.score_rows(scores)).value


@xw.func(category=CATEGORY)
@xw.arg("scores", ndim=2, doc="EYFSP scale points: one row per child, 13 scales in profile order.")
@cell_errors
def CC_NI92(scores):
    """NI 92 from a range of EYFSP scale points (one row per child, 13 scales): gap between the median and the lowest 20%, %."""
    return ni92(check.score_rows(scores)).value


@xw.func(category=CATEGORY)
@xw.arg("indicator", doc="Indicator id from the catalogue, e.g. NI116.")
@xw.arg("area_code", doc="Code of the area (ward, centre, cluster or authority).")
@xw.arg("build_file", doc="Full path of the build file (build.yaml).")
@xw.arg("field", doc="value (default), numerator, denominator, lower95, upper95, lower998, "
                     "upper998, rank, quintile, comparison or note.")
@cell_errors
def CC_VALUE(indicator, area_code, build_file, field="value"):
    """A value of an indicator for an area from a build file's profile: field value, numerator, denominator, lower95, upper95, rank, quintile or comparison."""
    build_file = check.existing_file(build_file, "build_file", "a build file (build.yaml)")
    return profile_value(build_file, indicator, area_code, check.choice(field, "field", FIELDS,
                                                                        "value"))


@xw.func(category=CATEGORY)
@xw.arg("build_file", doc="Full path of a build file that names an extract and reach_as_of.")
@xw.arg("centre", doc="Centre code, e.g. CC01.")
@xw.arg("months", doc="12 (the default) or 24 months to the build's reach_as_of.")
@xw.arg("field", doc="reach_pct (default), lower95, upper95, reach_children, population_0_4, "
                     "children_seen, families_seen, attendances, repeat_children and more.")
@cell_errors
def CC_REACH_BUILD(build_file, centre, months=12, field="reach_pct"):
    """Reach of a centre over the 12 or 24 months to a build's reach_as_of, from its extract: reach %, limits, children seen, attendances and more."""
    build_file = check.existing_file(build_file, "build_file", "a build file (build.yaml)")
    months = check.choice(months, "months", (12, 24), 12)
    return reach_value(build_file, centre, months, check.choice(field, "field", REACH_FIELDS,
                                                                "reach_pct"))
