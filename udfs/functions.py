"""Worksheet functions (``=CC_...``) for analysts, through the xlwings add-in.

Each function is a thin wrapper over the core: decorators, a one-sentence docstring (shown in
Excel's function wizard, at most 255 characters) and a short body. Our own errors come back as a
short cell message starting ``#XLP:``, never a traceback. These functions are for the analyst's
own workbooks: circulated workbooks never call them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import xlwings as xw

from xl_profile import stats
from xl_profile.eyfsp import ni72, ni92
from xl_profile.errors import XlProfileError
from xl_profile.models import Polarity

from .lookups import profile_value, reach_value

F = TypeVar("F", bound=Callable[..., Any])


def cell_errors(func: F) -> F:
    """Return our own errors as a short '#XLP: ...' cell message instead of raising."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (XlProfileError, ValueError, TypeError) as exc:
            return f"#XLP: {str(exc)[:200]}"

    return wrapper  # type: ignore[return-value]


@xw.func
@xw.arg("confidence", numbers=float)
@xw.ret(expand="right")
@cell_errors
def CC_WILSON(numerator: float, denominator: float, confidence: float = 0.95) -> list[float | None]:
    """Wilson score limits of a percentage numerator/denominator*100 as [lower, upper] (PHE method)."""
    lower, upper = stats.wilson_interval(numerator, denominator, confidence)
    return [None if lower is None else lower * 100, None if upper is None else upper * 100]


@xw.func
@xw.ret(expand="right")
@cell_errors
def CC_RATE_CI(events: float, population: float, multiplier: float = 100000,
               confidence: float = 0.95) -> list[float | None]:
    """Limits of a crude rate per multiplier as [lower, upper]: exact Poisson below 10 events, else Byar."""
    return list(stats.rate_interval(events, population, multiplier, confidence))


@xw.func
@xw.ret(expand="right")
@cell_errors
def CC_BYAR(count: float, confidence: float = 0.95) -> list[float | None]:
    """Byar's confidence limits of a count as [lower, upper] (PHE method)."""
    return list(stats.byar_interval(count, confidence))


@xw.func
@cell_errors
def CC_COMPARE(value: float, lower95: float, upper95: float, benchmark: float,
               polarity: str = "high is good") -> str:
    """Fingertips comparison of a value and its 95% limits with a benchmark: Better, Similar, Worse, Higher, Lower."""
    return stats.compare_to_benchmark(value, lower95, upper95, benchmark, Polarity(polarity)).label


@xw.func
@xw.arg("values", ndim=1)
@cell_errors
def CC_QUINTILE(value: float, values: list[float], polarity: str = "high is good") -> int | str:
    """Fingertips quintile (1-5) of a value among a range of area values; blank under 5 values."""
    result = stats.quintile(value, [v for v in values if v is not None], Polarity(polarity))
    return "" if result is None else result


@xw.func
@xw.arg("scores", ndim=2)
@cell_errors
def CC_NI72(scores: list[list[float | None]]) -> float | None:
    """NI 72 from a range of EYFSP scale points (one row per child, 13 scales in profile order): % with 78+ and 6+ in PSED and CLL."""
    return ni72(scores).value


@xw.func
@xw.arg("scores", ndim=2)
@cell_errors
def CC_NI92(scores: list[list[float | None]]) -> float | None:
    """NI 92 from a range of EYFSP scale points (one row per child, 13 scales): gap between the median and the lowest 20%, %."""
    return ni92(scores).value


@xw.func
@cell_errors
def CC_VALUE(indicator: str, area_code: str, build_file: str, field: str = "value") -> Any:
    """A value of an indicator for an area from a build file's profile: field value, numerator, denominator, lower95, upper95, rank, quintile or comparison."""
    return profile_value(build_file, indicator, area_code, field)


@xw.func
@cell_errors
def CC_REACH(build_file: str, centre: str, months: int = 12, field: str = "reach_pct") -> Any:
    """Reach of a centre over the 12 or 24 months to the build's reach_as_of: reach %, limits, children seen, attendances and more."""
    return reach_value(build_file, centre, int(months), field)
