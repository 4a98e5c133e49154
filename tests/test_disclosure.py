"""Small-number suppression: primary 1-4, zeros visible, secondary so nothing can be recovered."""

from __future__ import annotations

import itertools
import random

import pytest

from xl_profile.suppression import (SuppressionRule, round_count, suppress_series,
                                    suppress_table)


def test_series_primary_and_secondary():
    assert suppress_series([3, 0, 12, 40, 9]) == [True, False, False, False, True]
    assert suppress_series([3, 2, 12, 40]) == [True, True, False, False]  # already two
    assert suppress_series([0, 0, 12]) == [False, False, False]  # true zeros stay visible
    assert suppress_series([None, 3, 12]) == [False, True, True]
    assert suppress_series([3, 12], secondary=False) == [True, False]


def test_threshold_is_configurable():
    assert suppress_series([6, 8, 30, 30], threshold=8) == [True, False, False, True] or \
        suppress_series([6, 8, 30, 30], threshold=8) == [True, True, False, False]


def recoverable(table, hidden) -> bool:
    """True when some hidden cell is the only hidden cell in its row or column."""
    rows = any(sum(h) == 1 for h in hidden)
    cols = any(sum(col) == 1 for col in zip(*hidden))
    return rows or cols


def test_table_secondary_leaves_no_line_with_one_hidden_cell():
    rng = random.Random(7)
    for _ in range(200):
        table = [[rng.choice([0, 1, 2, 3, 6, 9, 15, 40]) for _ in range(4)] for _ in range(5)]
        result = suppress_table(table)
        hidden = result.hidden
        lines_with_candidates = all(
            sum(v > 0 for v in line) >= 2 for line in itertools.chain(table, zip(*table)))
        if lines_with_candidates:
            assert not recoverable(table, hidden), table
        for r, row in enumerate(table):
            for c, v in enumerate(row):
                if v == 0:
                    assert not hidden[r][c], "a true zero stays visible"
                if 0 < v < 5:
                    assert result.primary[r][c]


def test_subtraction_attack_fails():
    table = [[2, 10, 20], [15, 30, 25], [12, 11, 40]]
    hidden = suppress_table(table).hidden
    assert hidden[0][0] and sum(hidden[0]) >= 2 and sum(r[0] for r in hidden) >= 2
    # From row and column totals, the hidden cells of row 0 are only known as a sum.
    row_total = sum(table[0])
    visible = sum(v for v, h in zip(table[0], hidden[0]) if not h)
    assert row_total - visible != table[0][0]


def test_rule_and_rounding():
    assert round_count(12, 5) == 10 and round_count(12.5, 5) == 15 and round_count(7, None) == 7
    with pytest.raises(ValueError, match="threshold"):
        SuppressionRule(threshold=0)
