"""The reach benchmark's DuckDB SQL computes the same measures as the core.

The benchmark's ratio means something only if its peer counts what we count: the 12-month volume,
children and families seen (by centre and cluster, by kind), repeat children, reach by centre and
services must agree on the demo extract and on random extracts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xl_profile.reach import compute_reach, load_extract

duckdb = pytest.importorskip("duckdb")  # the benchmarks' extra
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_reach  # noqa: E402

AS_OF_KEY = b"test key"


def _compare(extract, geography):
    results = compute_reach(extract, geography, {})
    _seconds, theirs = bench_reach.duckdb_peer(extract, geography)
    ours = bench_reach.ours_for_comparison(results)
    assert set(theirs) == set(ours)
    for name in theirs:
        assert ours[name] == theirs[name], name
    return ours


def test_demo_extract(tmp_path):
    from xl_profile.demo.borough import generate_demo_borough
    from xl_profile.demo.extract import generate_demo_extract, write_extract

    demo = generate_demo_borough()
    write_extract(generate_demo_extract(demo, families=600), tmp_path / "ex")
    extract = load_extract(tmp_path / "ex", bench_reach.AS_OF, AS_OF_KEY)
    ours = _compare(extract, demo.geography)
    assert sum(v[0] for v in ours["volume by centre"].values()) > 1000
    assert ours["reach by centre"] and ours["services"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_extracts(seed):
    extract, geography, _populations = bench_reach.synthetic(2_000, 20_000, centres=9, seed=seed)
    ours = _compare(extract, geography)
    assert len(ours["volume by centre"]) == 9 and len(ours["volume by cluster"]) == 3
    assert any(v[7] for v in ours["volume by centre"].values())  # unmapped activities counted
