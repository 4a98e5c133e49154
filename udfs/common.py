"""What every worksheet function shares: its category, cell messages for errors, and a cache.

A cell shows our own errors as a short ``#XLP: ...`` message, never a traceback. Excel calls a
function again on every recalculation, often with the same ranges (several cells reading one
attendance range), so results are kept for recent arguments and found again by their contents.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from xl_profile.errors import XlProfileError

F = TypeVar("F", bound=Callable[..., Any])
CATEGORY = "Children's centres"
MESSAGE_LIMIT = 200


def cell_errors(func: F) -> F:
    """Return errors as a short '#XLP: ...' cell message instead of raising."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (XlProfileError, ValueError, TypeError, KeyError) as exc:
            # str() of a KeyError quotes its message; its first argument is the text itself
            text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
            return f"#XLP: {text[:MESSAGE_LIMIT]}"
        except Exception as exc:  # a defect of ours: still a cell message, never a traceback
            return f"#XLP: internal error ({type(exc).__name__}); please report it"

    return wrapper  # type: ignore[return-value]


SCALARS = (str, int, float, bool, dt.date, type(None))


def _summary(value: Any) -> Any:
    """A hashable stand-in for an argument: a range by its size and its first and last rows, a
    cell by its value, anything else (a boundary layer read once) by its identity."""
    if isinstance(value, list):
        if not value:
            return ("range", 0)
        return ("range", len(value), _summary(value[0]), _summary(value[-1]))
    return value if isinstance(value, SCALARS) else ("object", id(value))


def _same(a: Any, b: Any) -> bool:
    """Equal ranges and cells (of the same type: 12 and 12.0 are two calls); other objects only
    when they are the same object."""
    if isinstance(a, list) or isinstance(a, SCALARS):
        return type(a) is type(b) and a == b
    return a is b


def _snapshot(args: tuple) -> tuple:
    """The arguments with each range copied row by row (cells are immutable and shared), so a
    list changed in place after the call is never mistaken for the one the result came from.

    The collector is paused meanwhile: a hundred thousand new rows would otherwise set off
    full collections over every cell of the ranges, costing ten times the copy itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return tuple([list(row) if isinstance(row, list) else row for row in arg]
                     if isinstance(arg, list) else arg for arg in args)
    finally:
        if was_enabled:
            gc.enable()


class CallCache:
    """Results of the last ``size`` calls of one computation, by argument contents.

    A call is looked up by a cheap summary of its arguments and served only when the arguments
    are equal in full, so a changed cell anywhere in a range is a new computation.
    """

    def __init__(self, compute: Callable[..., Any], size: int = 8):
        self.compute = compute
        self.size = size
        self._entries: OrderedDict[Any, tuple[tuple, Any]] = OrderedDict()

    def __call__(self, *args: Any) -> Any:
        key = tuple(_summary(arg) for arg in args)
        hit = self._entries.get(key)
        if hit is not None and all(_same(a, b) for a, b in zip(hit[0], args)):
            self._entries.move_to_end(key)
            return hit[1]
        result = self.compute(*args)
        self._entries[key] = (_snapshot(args), result)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        self._entries.clear()
