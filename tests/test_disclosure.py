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


def test_a_centre_hidden_under_its_clusters_total_is_not_alone():
    """Figures published for centres (reach) sum to their cluster's total, which the profile
    prints: one hidden centre under a shown total could be worked out by subtraction, so a
    second centre (the smallest other) is hidden too."""
    from xl_profile.catalogue import load_catalogue
    from xl_profile.models import Area, Geography, IndicatorValue, Level, Provenance, ValueNote
    from xl_profile.profile import compute_profile

    areas = [Area(code="LA", name="Borough", level=Level.AUTHORITY),
             Area(code="K1", name="North", level=Level.CLUSTER, parent="LA"),
             Area(code="K2", name="South", level=Level.CLUSTER, parent="LA")]
    areas += [Area(code=f"C{i}", name=f"Centre {i}", level=Level.CENTRE,
                   parent="K1" if i < 3 else "K2") for i in range(5)]
    geography = Geography(areas=tuple(areas), memberships=())
    counts = {"C0": 3, "C1": 20, "C2": 30, "C3": 40, "C4": 50}
    values = [IndicatorValue(indicator_id="REACH_ALL", area_code=code, period="2007/08",
                             numerator=n, denominator=100, value=float(n),
                             provenance=Provenance(level=Level.CENTRE))
              for code, n in counts.items()]
    result = compute_profile(geography, load_catalogue(), values).results["REACH_ALL"]
    north = next(c for c in result.clusters if c.code == "K1")
    hidden = {c.code for c in result.centres
              if c.value is None and c.note is ValueNote.SUPPRESSED}
    assert north.numerator == 53, "the cluster's total is the sum of its centres"
    assert hidden == {"C0", "C1"}, "the small one, and the smallest other in its cluster"


def test_no_centre_hidden_alone_under_a_shown_cluster_total(tmp_path):
    """Figures published for centres (reach) sum to their cluster's total, which the profile
    prints: a cluster showing its total never has exactly one hidden centre, or the hidden one
    could be worked out by subtraction."""
    from demo_build import demo_profile
    from xl_profile.models import Level, ValueNote

    profile = demo_profile(tmp_path / "data")
    geography = profile.geography
    checked = 0
    for result in profile.results.values():
        if result.published_level is not Level.CENTRE:
            continue
        centres = {c.code: c for c in result.centres}
        for cluster in result.clusters:
            if cluster.value is None:
                continue
            members = [centres[c.code] for c in geography.children(cluster.code, Level.CENTRE)]
            hidden = [c for c in members if c.value is None and c.note is ValueNote.SUPPRESSED]
            assert len(hidden) != 1, (result.definition.id, cluster.name, hidden[0].name)
            checked += 1
    assert checked, "the demo prints cluster totals of centre figures"
