"""The rules a geography folder must keep, checked with the row of ``areas.csv`` or
``memberships.csv`` that breaks them.

Areas (``areas.csv``) form a tree under the one authority, each parent one level up:

=========  =====================================================================
level      parent
=========  =====================================================================
authority  none
cluster    the authority
centre     a cluster (or the authority, where it has no clusters)
ward       the authority (or a cluster)
lsoa       a ward
oa         an LSOA
=========  =====================================================================

Memberships (``memberships.csv``) are ward -> cluster (share 1; where any ward is placed in a
cluster, every ward is in exactly one) and LSOA or OA -> centre (shares of one small area add up to
at most 1, with :data:`SHARE_TOLERANCE` for shares written rounded).
"""

from __future__ import annotations

from .errors import Problem
from .models import Area, Level, Membership
from .tabular import Table

PARENT_LEVELS: dict[Level, tuple[Level, ...]] = {
    Level.AUTHORITY: (), Level.CLUSTER: (Level.AUTHORITY,),
    Level.CENTRE: (Level.CLUSTER, Level.AUTHORITY), Level.WARD: (Level.AUTHORITY, Level.CLUSTER),
    Level.LSOA: (Level.WARD,), Level.OA: (Level.LSOA,),
}
MEMBERSHIP_LEVELS: dict[Level, Level] = {Level.WARD: Level.CLUSTER, Level.LSOA: Level.CENTRE,
                                         Level.OA: Level.CENTRE}
#: Shares of one small area may add up to this much over 1 (three shares written to 3 places).
SHARE_TOLERANCE = 0.001
_PAIRS = "ward -> cluster, lsoa -> centre or oa -> centre"


def area_problems(table: Table, areas: list[tuple[int, Area]]) -> list[Problem]:
    """Duplicate codes, unknown parents, cycles and parents at the wrong level in areas.csv."""
    problems: list[Problem] = []
    by_code: dict[str, tuple[int, Area]] = {}
    for number, area in areas:
        if area.code in by_code:
            problems.append(table.problem(number, "code", "area code appears more than once",
                                          expected="each code once",
                                          found=f"{area.code} (also on row {by_code[area.code][0]})"))
        else:
            by_code[area.code] = (number, area)
    in_cycle = _cycle_problems(table, areas, by_code, problems)
    for number, area in areas:
        if area.code not in in_cycle:
            problem = _parent_problem(table, number, area, by_code)
            if problem is not None:
                problems.append(problem)
    return problems


def _cycle_problems(table: Table, areas: list[tuple[int, Area]],
                    by_code: dict[str, tuple[int, Area]], problems: list[Problem]) -> set[str]:
    """Report each cycle of parents once, at its first row; return the codes in cycles."""
    in_cycle: set[str] = set()
    for number, area in areas:
        chain, code = [], area.code
        while code in by_code and code not in chain and code not in in_cycle:
            chain.append(code)
            code = by_code[code][1].parent
        if code in chain and code == area.code:
            in_cycle.update(chain)
            problems.append(table.problem(number, "parent", "parents form a cycle",
                                          expected="a chain of parents ending at the authority",
                                          found=" -> ".join([*chain, code])))
    return in_cycle


def _parent_problem(table: Table, number: int, area: Area,
                    by_code: dict[str, tuple[int, Area]]) -> Problem | None:
    allowed = PARENT_LEVELS.get(area.level)
    if allowed is None:
        return table.problem(number, "level", "level not part of an authority's geography",
                             expected=", ".join(lv.value for lv in PARENT_LEVELS),
                             found=area.level.value)
    wanted = " or ".join(f"the {lv.value}" if lv is Level.AUTHORITY else f"a {lv.value}"
                         for lv in allowed)
    if area.parent is None:
        if not allowed:
            return None
        return table.problem(number, "parent", f"{area.level.value} has no parent",
                             expected=wanted, found="(blank)")
    if not allowed:
        return table.problem(number, "parent", "the authority has a parent",
                             expected="blank", found=area.parent)
    if area.parent not in by_code:
        return table.problem(number, "parent", "unknown parent",
                             expected="a code in areas.csv", found=area.parent)
    parent_level = by_code[area.parent][1].level
    if parent_level not in allowed:
        return table.problem(number, "parent", f"parent of a {area.level.value} at the wrong level",
                             expected=wanted, found=f"{area.parent} ({parent_level.value})")
    return None


def membership_problems(table: Table, members: list[tuple[int, Membership]],
                        levels: dict[str, Level]) -> list[Problem]:
    """Unknown codes, unused level pairs, repeats, wards not in exactly one cluster and small-area
    shares over 1 in memberships.csv (``levels`` maps each area code to its level)."""
    problems: list[Problem] = []
    known: list[tuple[int, Membership]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, m in members:
        problem = _pair_problem(table, number, m, levels, seen)
        if problem is not None:
            problems.append(problem)
        else:
            known.append((number, m))
    problems += _cluster_problems(table, known, levels)
    problems += _share_problems(table, known, levels)
    return problems


def _pair_problem(table: Table, number: int, m: Membership, levels: dict[str, Level],
                  seen: dict[tuple[str, str], int]) -> Problem | None:
    for column, code in (("child", m.child), ("parent", m.parent)):
        if code not in levels:
            return table.problem(number, column, "unknown area code",
                                 expected="a code in areas.csv", found=code)
    child, parent = levels[m.child], levels[m.parent]
    if MEMBERSHIP_LEVELS.get(child) is not parent:
        return table.problem(number, None, "membership between levels that do not nest this way",
                             expected=_PAIRS, found=f"{child.value} -> {parent.value}")
    if (m.child, m.parent) in seen:
        return table.problem(number, None, "membership appears more than once",
                             expected="one row per child and parent",
                             found=f"{m.child} -> {m.parent} (also on row {seen[m.child, m.parent]})")
    seen[m.child, m.parent] = number
    return None


def _cluster_problems(table: Table, members: list[tuple[int, Membership]],
                      levels: dict[str, Level]) -> list[Problem]:
    problems: list[Problem] = []
    cluster_of: dict[str, tuple[int, str]] = {}
    for number, m in members:
        if levels[m.child] is not Level.WARD:
            continue
        if m.share != 1:
            problems.append(table.problem(number, "share", "a ward belongs wholly to one cluster",
                                          expected="1", found=f"{m.share:g}"))
        if m.child in cluster_of:
            first_row, first = cluster_of[m.child]
            problems.append(table.problem(number, "parent", "ward in more than one cluster",
                                          expected="one cluster per ward",
                                          found=f"{m.parent} (and {first} on row {first_row})"))
        else:
            cluster_of[m.child] = (number, m.parent)
    if cluster_of:
        problems += [table.problem(None, "child", "ward in no cluster",
                                   expected="a ward -> cluster row for every ward", found=code)
                     for code, level in levels.items()
                     if level is Level.WARD and code not in cluster_of]
    return problems


def _share_problems(table: Table, members: list[tuple[int, Membership]],
                    levels: dict[str, Level]) -> list[Problem]:
    totals: dict[str, tuple[float, list[int]]] = {}
    for number, m in members:
        if levels[m.parent] is Level.CENTRE:
            total, rows = totals.get(m.child, (0.0, []))
            totals[m.child] = (total + m.share, [*rows, number])
    return [table.problem(rows[-1], "share", "shares of one small area add up to more than 1",
                          expected=f"at most 1 (+{SHARE_TOLERANCE:g} for rounding)",
                          found=f"{total:.6g} for {child} (rows {', '.join(map(str, rows))})")
            for child, (total, rows) in totals.items() if total > 1 + SHARE_TOLERANCE + 1e-9]
