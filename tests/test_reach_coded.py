"""Distinct and repeated pairs of codes: the sorting path (large extracts) and the marking path
(small ones) give the same counts, and so the same reach measures."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xl_profile.reach import coded
from xl_profile.reach.measures import compute_reach

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_reach  # noqa: E402


def _plainly(key, n_keys, value):
    """The counts spelled out with Python sets and a Counter."""
    from collections import Counter

    pairs = Counter((k, v) for k, v in zip(key.tolist(), value.tolist()) if k >= 0)
    distinct = np.bincount([k for k, _v in pairs], minlength=n_keys)
    repeated = np.bincount([k for (k, _v), n in pairs.items() if n >= 2], minlength=n_keys)
    return distinct, repeated, sorted(pairs)


@pytest.mark.parametrize("limits", [(1 << 26, 1 << 23), (0, 0)])
def test_counts_on_both_paths(monkeypatch, limits):
    monkeypatch.setattr(coded, "MARK_LIMIT", limits[0])
    monkeypatch.setattr(coded, "COUNT_LIMIT", limits[1])
    rng = np.random.default_rng(2)
    key, value = rng.integers(-1, 12, 5_000), rng.integers(0, 700, 5_000)
    distinct, repeated, pairs = _plainly(key, 12, value)
    assert coded.distinct_per_key(key, 12, value, 700).tolist() == distinct.tolist()
    assert coded.repeated_per_key(key, 12, value, 700).tolist() == repeated.tolist()
    found = coded.pairs_present(key, 12, value, 700)
    assert list(zip(*(a.tolist() for a in found))) == pairs
    empty = np.zeros(0, dtype=np.int64)
    assert coded.distinct_per_key(empty, 3, empty, 5).tolist() == [0, 0, 0]
    assert coded.repeated_per_key(empty, 3, empty, 5).tolist() == [0, 0, 0]


def test_reach_measures_on_both_paths(monkeypatch):
    extract, geography, populations = bench_reach.synthetic(3_000, 30_000, centres=12, seed=5)
    marked = compute_reach(extract, geography, populations)
    monkeypatch.setattr(coded, "MARK_LIMIT", 0)
    monkeypatch.setattr(coded, "COUNT_LIMIT", 0)
    sorted_ = compute_reach(extract, geography, populations)
    for months in (12, 24):
        pd.testing.assert_frame_equal(marked.by_centre[months], sorted_.by_centre[months])
        pd.testing.assert_frame_equal(marked.by_cluster[months], sorted_.by_cluster[months])
    for name in ("by_service", "target_groups", "new_families", "ethnicity", "representation"):
        pd.testing.assert_frame_equal(getattr(marked, name), getattr(sorted_, name))
    assert marked.by_centre[12]["repeat_children"].sum() > 0


def test_first_attendance_of_each_family():
    extract, geography, _populations = bench_reach.synthetic(500, 4_000, centres=6, seed=8)
    att = coded.code_attendances(extract, geography)
    day, centre = coded.first_by_family(att)
    frame = pd.DataFrame({"family": att.family, "day": att.day, "centre": att.centre})
    first = frame.sort_values(["family", "day"], kind="stable").groupby("family").first()
    assert day.tolist() == first["day"].tolist()
    assert centre.tolist() == first["centre"].tolist()
