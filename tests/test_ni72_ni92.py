"""NI 72 and NI 92 on hand-checked child-level EYFSP data."""

from __future__ import annotations

import pandas as pd
import pytest

from xl_profile.eyfsp import SCALES, EYFSPError, ni72, ni92
from xl_profile.stats import wilson_interval


def child(psed_cll: int, rest: int) -> list[int]:
    """7 PSED/CLL scales at ``psed_cll`` points and 6 other scales at ``rest``."""
    return [psed_cll] * 7 + [rest] * 6


def test_ni72_threshold_on_total_and_each_scale():
    children = [
        child(6, 6),                    # 78 total, all PSED/CLL at 6 -> good
        child(6, 5),                    # 72 total -> not good
        [5] + [9] * 12,                 # 113 total but one PSED scale at 5 -> not good
        child(9, 9),                    # 117 -> good
        child(7, 5),                    # 49 + 30 = 79 -> good
    ]
    result = ni72(children)
    assert (result.numerator, result.denominator) == (3, 5)
    assert result.value == pytest.approx(60.0)
    lower, upper = wilson_interval(3, 5)
    assert result.lower95 == pytest.approx(lower * 100) and result.upper95 == pytest.approx(upper * 100)


def test_ni72_missing_scale_excludes_the_child():
    incomplete = child(9, 9)
    incomplete[3] = None
    result = ni72([child(9, 9), incomplete, child(1, 1)])
    assert (result.numerator, result.denominator, result.excluded_incomplete) == (1, 2, 1)


def test_ni92_hand_checked_with_ties_at_the_cut():
    # Totals: 20, 30, 30, 50, 60, 70, 80, 90, 100, 110 (10 children; 2nd and 3rd lowest tie).
    totals = [20, 30, 30, 50, 60, 70, 80, 90, 100, 110]
    children = [_spread(t) for t in totals]
    assert [sum(c) for c in children] == totals
    result = ni92(children)
    # median = (60 + 70) / 2 = 65; lowest 20% = ceil(10/5) = 2 children: (20 + 30) / 2 = 25.
    assert result.median == 65 and result.lowest20_count == 2 and result.lowest20_mean == 25
    assert result.value == pytest.approx((65 - 25) / 65 * 100)


def test_ni92_rounds_the_group_up_and_ignores_incomplete():
    totals = [10, 20, 40, 40, 40, 50, 60]  # n=7 -> ceil(1.4) = 2 lowest: mean 15; median 40
    children = [_spread(t) for t in totals]
    missing = _spread(100)
    missing[12] = None
    result = ni92(children + [missing])
    assert result.children == 7 and result.excluded_incomplete == 1
    assert result.lowest20_mean == 15 and result.median == 40
    assert result.value == pytest.approx((40 - 15) / 40 * 100)


def _spread(total: int) -> list[int]:
    points = []
    for _ in SCALES:
        take = min(9, total)
        points.append(take)
        total -= take
    return points


def test_dataframe_and_mapping_input_and_errors():
    frame = pd.DataFrame([dict(zip(SCALES, child(6, 6))), dict(zip(SCALES, child(2, 2)))])
    assert ni72(frame).numerator == 1
    with pytest.raises(EYFSPError, match=r"child 2, scale 'Reading': expected whole points 0-9"):
        bad = child(6, 6)
        bad[5] = 10
        ni72([child(6, 6), bad])
    with pytest.raises(EYFSPError, match="expected 13 scale points"):
        ni72([[1, 2, 3]])
    assert ni72([]).value is None and ni92([]).value is None
