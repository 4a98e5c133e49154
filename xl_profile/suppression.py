"""Small-number suppression (statistical disclosure control) before anything is circulated.

Default, following methods.md: hide counts 1-4 (a true zero stays 0) and apply secondary
suppression so that no hidden cell can be recovered from row or column totals: every row and
column with a hidden cell has at least two. Percentages are computed from unrounded counts and are
hidden together with their count. Threshold and rounding are configurable (NHS Digital practice
is to hide 1-7 and round the rest to the nearest 5).

Where a workbook shows several totals over overlapping cells (a centre's attendances, its
outreach and on-site attendances, and its services), :func:`suppress_related` hides cells until
no hidden count follows from all of them taken together, by linear algebra (:func:`derivable`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SuppressionRule:
    """How small counts are hidden: counts 1..threshold-1 are primary suppressions."""

    threshold: int = 5
    round_to: int | None = None
    secondary: bool = True

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError(f"threshold must be 1 or more; got {self.threshold!r}")
        if self.round_to is not None and self.round_to < 1:
            raise ValueError(f"round_to must be 1 or more, or None; got {self.round_to!r}")


@dataclass(frozen=True)
class SuppressedTable:
    """Which cells of a table are hidden, and why."""

    primary: list[list[bool]]
    secondary: list[list[bool]]

    @property
    def hidden(self) -> list[list[bool]]:
        return [[p or s for p, s in zip(pr, sr)] for pr, sr in zip(self.primary, self.secondary)]


def is_small(count: float | None, threshold: int = 5) -> bool:
    """True for a count that must be hidden: 0 < count < threshold."""
    return count is not None and 0 < round(count) < threshold


def round_count(count: float, base: int | None) -> float:
    """Round a count to the nearest ``base`` (halves up); unchanged when base is None."""
    if base is None:
        return count
    return float(int(count / base + 0.5) * base)


def _smallest_visible(values: Sequence[float | None], hidden: Sequence[bool]) -> int | None:
    candidates = [(v, i) for i, (v, h) in enumerate(zip(values, hidden))
                  if not h and v is not None and v > 0]
    return min(candidates)[1] if candidates else None


def suppress_series(counts: Sequence[float | None], threshold: int = 5,
                    secondary: bool = True) -> list[bool]:
    """Hidden flags for a list of counts that add up to a published total.

    If exactly one count is hidden it could be recovered from the total, so the smallest other
    non-zero count is hidden too.
    """
    hidden = [is_small(c, threshold) for c in counts]
    if secondary and sum(hidden) == 1:
        extra = _smallest_visible(counts, hidden)
        if extra is not None:
            hidden[extra] = True
    return hidden


def suppress_groups(counts: Sequence[float | None], groups: Sequence[tuple[int, Sequence[int]]],
                    threshold: int = 5, secondary: bool = True,
                    hidden_already: Sequence[bool] | None = None,
                    public: frozenset[int] = frozenset(),
                    unknown: Sequence[bool] | None = None) -> list[bool]:
    """Hidden flags for cells some of which are totals of others (wards, clusters, authority).

    ``groups`` pairs each total's index with the indexes of the cells it sums. Whenever a shown
    total has exactly one hidden member, that member could be recovered by subtraction: the
    smallest other non-zero member is hidden too, or, where there is none, the total itself.
    This repeats until no shown total has exactly one hidden member. ``hidden_already`` marks
    cells hidden before (suppressed at source by their publisher): they need protecting too.
    A ``public`` total (published by someone else already) is never hidden: a member is. (Where
    only zeros are left beside the hidden one, the total gives it away whatever is hidden.)
    ``unknown`` marks cells a reader cannot see for another reason (no data): they need no
    protecting, but a total with one of them beside a hidden cell gives neither away.
    """
    hidden = [is_small(c, threshold) or bool(hidden_already and hidden_already[i])
              for i, c in enumerate(counts)]
    unseen = [bool(unknown and unknown[i]) for i in range(len(counts))]
    # A total not seen, or with a member not seen, needs nothing hidden beside its members.
    groups = [(t, m) for t, m in groups if not unseen[t] and not any(unseen[i] for i in m)]
    changed = secondary
    while changed:
        changed = False
        for total, members in groups:
            if hidden[total] or sum(hidden[i] for i in members) != 1:
                continue
            pick = _smallest_visible([counts[i] for i in members], [hidden[i] for i in members])
            if pick is None and total in public:
                continue  # only zeros left beside it: hiding one protects nothing
            hidden[total if pick is None else members[pick]] = changed = True
    return hidden


#: A total a reader can see and the cells it adds up: (index of the total, indexes of its parts).
Relation = tuple[int, Sequence[int]]


def suppress_related(counts: Sequence[float | None], relations: Sequence[Relation],
                 threshold: int = 5) -> tuple[list[bool], list[bool]]:
    """(primary, secondary) hidden flags for cells some of which are totals of others.

    ``relations`` are every total a reader can see in the workbook with the cells it sums (a
    total left blank, None, is no relation). Small counts are primary; then
    :func:`~xl_profile.suppression.suppress_groups` (smallest totals first, so that a nested
    total finds its second cell inside itself) hides a second cell in each total with one hidden
    part. Relations taken together can still give a cell away (a centre's attendances less its
    outreach and on-site ones; the children seen less those with ethnicity recorded), so cells
    are hidden until no hidden count is determined by what is shown (:func:`derivable`), and
    secondary cells that turn out not to be needed are shown again (largest first).
    """
    rounded = [None if c is None or math.isnan(c) else round(c) for c in counts]
    primary = [is_small(c, threshold) for c in rounded]
    relations = sorted(((t, list(m)) for t, m in relations if rounded[t] is not None),
                       key=lambda relation: len(relation[1]))
    hidden = suppress_groups(rounded, relations, threshold)
    while found := derivable(relations, hidden):
        extra = _next_secondary(rounded, relations, hidden, found[0])
        if extra is None:
            break
        hidden[extra] = True
    _show_unneeded(rounded, relations, hidden, primary)
    return primary, [h and not p for h, p in zip(hidden, primary)]


def _show_unneeded(counts: Sequence[float | None], relations: Sequence[Relation],
                   hidden: list[bool], primary: Sequence[bool]) -> None:
    """Show again secondary cells (one, else two at a time; largest first) whose hiding no
    hidden cell needs, e.g. two groups hidden for each other once a total hides them both."""
    def unneeded(cells: tuple[int, ...]) -> bool:
        for i in cells:
            hidden[i] = False
        if not derivable(relations, hidden):
            return True
        for i in cells:
            hidden[i] = True
        return False

    changed = True
    while changed:
        extra = sorted((i for i, h in enumerate(hidden) if h and not primary[i]),
                       key=lambda i: (-(counts[i] or 0), i))
        changed = any(unneeded((i,)) for i in extra) or any(
            unneeded((i, j)) for k, i in enumerate(extra) for j in extra[k + 1:])


def derivable(relations: Sequence[Relation], hidden: Sequence[bool]) -> list[int]:
    """Hidden cells whose value follows from the shown cells through ``relations``: those whose
    unit vector lies in the row space of the relations restricted to the hidden cells."""
    unknown = [i for i, h in enumerate(hidden) if h]
    column = {i: k for k, i in enumerate(unknown)}
    rows = []
    for total, members in relations:
        row = np.zeros(len(unknown))
        for i in members:
            if hidden[i]:
                row[column[i]] += 1
        if hidden[total]:
            row[column[total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    _, singular, vh = np.linalg.svd(np.array(rows))
    free = vh[int((singular > 1e-9).sum()):]  # the hidden values the relations leave open
    return [unknown[k] for k in range(len(unknown))
            if not len(free) or np.abs(free[:, k]).max() < 1e-9]


def _next_secondary(counts: Sequence[float | None], relations: Sequence[Relation],
                    hidden: list[bool], cell: int) -> int | None:
    """The cell to hide next because ``cell`` can be worked out: the smallest shown non-zero
    part of a total that involves ``cell`` whose hiding protects it, else such a total, else any
    shown cell of a total with a hidden cell; failing all, the first of those (progress)."""
    def shown(indexes) -> list[int]:
        return sorted((i for i in indexes
                       if not hidden[i] and counts[i] is not None and counts[i] > 0),
                      key=lambda i: (counts[i], i))

    near = [(t, m) for t, m in relations if cell == t or cell in m]
    tiers = [shown({i for _t, m in near for i in m}), shown({t for t, _m in near}),
             shown({i for t, m in relations for i in [t, *m]
                    if hidden[t] or any(hidden[j] for j in m)})]
    for candidate in (i for tier in tiers for i in tier):
        hidden[candidate] = True
        protects = cell not in derivable(relations, hidden)
        hidden[candidate] = False
        if protects:
            return candidate
    return next((i for tier in tiers for i in tier), None)


def suppress_table(table: Sequence[Sequence[float | None]], threshold: int = 5,
                   secondary: bool = True) -> SuppressedTable:
    """Primary and secondary suppression for a table whose rows and columns have totals.

    Secondary cells are chosen as the smallest non-zero visible cell of a row or column that has
    exactly one hidden cell, repeating until no row or column has exactly one.
    """
    primary = [[is_small(v, threshold) for v in row] for row in table]
    extra = [[False] * len(row) for row in table]
    if not secondary:
        return SuppressedTable(primary, extra)
    changed = True
    while changed:
        changed = False
        hidden = [[p or s for p, s in zip(pr, sr)] for pr, sr in zip(primary, extra)]
        lines = [[(r, c) for c in range(len(table[r]))] for r in range(len(table))]
        width = max((len(row) for row in table), default=0)
        lines += [[(r, c) for r in range(len(table)) if c < len(table[r])] for c in range(width)]
        for cells in lines:
            if sum(hidden[r][c] for r, c in cells) != 1:
                continue
            pick = _smallest_visible([table[r][c] for r, c in cells],
                                     [hidden[r][c] for r, c in cells])
            if pick is not None:
                r, c = cells[pick]
                extra[r][c] = changed = True
                break
    return SuppressedTable(primary, extra)


#: What a hidden cell shows.
HIDDEN_MARK = "*"


def suppressed_values(table: Sequence[Sequence[object]], threshold: int = 5,
                      mark: str = HIDDEN_MARK) -> list[list[object]]:
    """The table with primary and secondary suppression applied (:func:`suppress_table`):
    hidden counts replaced by ``mark``; text and blank cells kept as they are and never counted."""
    counts = [[v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
               for v in row] for row in table]
    hidden = suppress_table(counts, SuppressionRule(threshold).threshold).hidden
    return [[mark if h else v for v, h in zip(row, flags)] for row, flags in zip(table, hidden)]
