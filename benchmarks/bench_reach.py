"""Benchmark: all standard reach measures on 1,000,000 attendances and 100,000 children.

Peer: the same group-bys written directly in DuckDB SQL (volume, seen, outreach/on-site/unmapped
and repeat children by centre and cluster; reach areas; services; target groups; new families;
ethnicity; for 12 and 24 months), run in the same process on the same data, and checks that the
12-month volume, repeat children, reach by centre and services agree with ours. Prints the
figures last as one JSON line. ``--quick`` runs a tenth of the size; ``--national`` an
England-sized extract (3,000,000 attendances, 300,000 children, 3,500 centres).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time

import numpy as np
import pandas as pd

from xl_profile.models import Area, Geography, Level, Membership
from xl_profile.reach.extract import Extract
from xl_profile.reach.measures import GROUPS, compute_reach, window

AS_OF = dt.date(2008, 3, 31)
KINDS = np.array(["outreach", "on-site", "commissioned", "unmapped"])


def synthetic(children: int, attendances: int, centres: int = 30, seed: int = 1):
    """A privacy-reduced extract and geography of the given size."""
    rng = np.random.default_rng(seed)
    lsoas = [f"L{i:05d}" for i in range(centres * 20)]
    areas = [Area(code="A", name="A", level=Level.AUTHORITY)]
    areas += [Area(code=f"K{k}", name=f"Cluster {k}", level=Level.CLUSTER, parent="A") for k in range(3)]
    areas += [Area(code=f"C{c:03d}", name=f"Centre {c}", level=Level.CENTRE, parent=f"K{c % 3}")
              for c in range(centres)]
    areas.append(Area(code="W", name="W", level=Level.WARD, parent="A"))
    areas += [Area(code=l, name=l, level=Level.LSOA, parent="W", population=1500) for l in lsoas]
    members = [Membership(child=l, parent=f"C{i // 20:03d}", share=1) for i, l in enumerate(lsoas)]
    geography = Geography(areas=tuple(areas), memberships=tuple(members))
    families = children * 7 // 10
    fam_ids = np.array([f"f{i:07d}" for i in range(families)])
    fam_lsoa = rng.choice(lsoas, families)
    kid_family = rng.integers(0, families, children)
    kids = pd.DataFrame({"pid": [f"c{i:07d}" for i in range(children)], "family": fam_ids[kid_family],
                         "age": rng.integers(0, 5, children), "sex": rng.choice(["F", "M"], children),
                         "ethnicity": rng.choice(["White British", "Black African", "Indian", None], children),
                         "disabled": rng.random(children) < 0.04, "sen": rng.random(children) < 0.05,
                         "lsoa": fam_lsoa[kid_family]})
    kids["bme"] = kids["ethnicity"].map(lambda e: None if e is None else e != "White British")
    n_carers = families * 3 // 2
    car_family = rng.integers(0, families, n_carers)
    carers = pd.DataFrame({"pid": [f"p{i:07d}" for i in range(n_carers)], "family": fam_ids[car_family],
                           "father": rng.random(n_carers) < 0.3, "relationship_known": True,
                           "lone_parent": rng.random(n_carers) < 0.3,
                           "teenage_parent": rng.random(n_carers) < 0.04,
                           "disabled_parent": rng.random(n_carers) < 0.05,
                           "employed": rng.choice([True, False, None], n_carers)})
    fams = pd.DataFrame({"family": fam_ids, "lsoa": fam_lsoa,
                         "centre": [f"C{int(l[1:]) // 20:03d}" for l in fam_lsoa],
                         "registered_on": dt.date(2006, 1, 1)})
    acts = pd.DataFrame([{"activity_id": f"C{c:03d}-{s}", "centre": f"C{c:03d}",
                          "service": f"Service {s}", "provider": "Centre staff",
                          "category": str(KINDS[s % 4]), "kind": str(KINDS[s % 4])}
                         for c in range(centres) for s in range(8)])
    is_child = rng.random(attendances) < 0.7
    person_kid = rng.integers(0, children, attendances)
    person_car = rng.integers(0, n_carers, attendances)
    pid = np.where(is_child, kids["pid"].to_numpy()[person_kid], carers["pid"].to_numpy()[person_car])
    family = np.where(is_child, kids["family"].to_numpy()[person_kid],
                      carers["family"].to_numpy()[person_car])
    days = rng.integers(0, 730, attendances)
    att = pd.DataFrame({"date": pd.Timestamp(AS_OF) - pd.to_timedelta(days, unit="D"),
                        "activity_id": acts["activity_id"].to_numpy()[rng.integers(0, len(acts), attendances)],
                        "pid": pid, "family": family, "person": np.where(is_child, "child", "carer")})
    # As load_extract returns them: the text columns of attendances are categoricals.
    att = att.astype({c: "category" for c in ("activity_id", "pid", "family", "person")})
    extract = Extract(kids, carers, fams, acts, att, [], 0, [], AS_OF)
    pops = {c.code: {g: 5000.0 for g in GROUPS} for c in geography.at_level(Level.CENTRE)}
    return extract, geography, pops


def duckdb_peer(extract: Extract, geography: Geography) -> tuple[float, dict]:
    """The same group-bys in DuckDB SQL; returns seconds and the 12-month measures to compare."""
    import duckdb

    con = duckdb.connect()
    centres = {c.code for c in geography.at_level(Level.CENTRE)}
    weights = pd.DataFrame([(m.child, m.parent, m.share) for m in geography.memberships
                            if m.parent in centres], columns=["lsoa", "centre", "share"])
    clusters = pd.DataFrame([(c.code, c.parent) for c in geography.at_level(Level.CENTRE)],
                            columns=["centre", "cluster"])
    for name, frame in (("att", extract.attendances), ("acts", extract.activities),
                        ("kids", extract.children), ("carers", extract.carers),
                        ("weights", weights), ("clusters", clusters)):
        con.register(name, frame)
    start = time.perf_counter()
    con.execute("CREATE TEMP TABLE a AS SELECT att.*, acts.centre, acts.service, acts.provider, "
                "acts.kind, clusters.cluster FROM att JOIN acts USING (activity_id) "
                "JOIN clusters USING (centre)")
    check = {}
    for months in (12, 24):
        lo, hi = (d.date() for d in window(extract.as_of, months))
        w = f"date BETWEEN DATE '{lo}' AND DATE '{hi}'"
        for key in ("centre", "cluster"):
            volume = con.execute(f"""SELECT {key}, count(*), count(DISTINCT family),
                count(DISTINCT CASE WHEN person='child' THEN pid END),
                sum(CASE WHEN kind='outreach' THEN 1 ELSE 0 END),
                count(DISTINCT CASE WHEN kind='outreach' AND person='child' THEN pid END),
                sum(CASE WHEN kind='on-site' THEN 1 ELSE 0 END),
                count(DISTINCT CASE WHEN kind='on-site' AND person='child' THEN pid END),
                sum(CASE WHEN kind='unmapped' THEN 1 ELSE 0 END),
                count(DISTINCT CASE WHEN kind='unmapped' AND person='child' THEN pid END)
                FROM a WHERE {w} GROUP BY {key}""").fetchall()
            repeat = con.execute(f"""SELECT {key}, sum(CASE WHEN n >= 2 THEN 1 ELSE 0 END) FROM
                (SELECT {key}, pid, count(*) n FROM a WHERE {w} AND person='child'
                 GROUP BY {key}, pid) GROUP BY {key}""").fetchall()
            if months == 12:
                check[f"volume by {key}"] = {row[0]: tuple(int(v) for v in row[1:])
                                             for row in volume}
                check[f"repeat children by {key}"] = {row[0]: int(row[1]) for row in repeat}
        reach = con.execute(f"""SELECT weights.centre, sum(share) FROM kids JOIN weights USING (lsoa)
            WHERE pid IN (SELECT pid FROM a WHERE {w} AND person='child')
            GROUP BY weights.centre""").fetchall()
        if months == 12:
            check["reach by centre"] = {row[0]: round(float(row[1]), 6) for row in reach}
    for months in (12, 24):
        lo, hi = (d.date() for d in window(extract.as_of, months))
        w = f"date BETWEEN DATE '{lo}' AND DATE '{hi}'"
        services = con.execute(f"""SELECT centre, service, provider, kind, count(*),
            count(DISTINCT CASE WHEN person='child' THEN pid END) FROM a WHERE {w}
            GROUP BY ALL""").fetchall()
        if months == 12:
            check["services"] = {tuple(row[:4]): (int(row[4]), int(row[5])) for row in services}
        for table, flag in (("kids", "bme"), ("kids", "disabled"), ("carers", "lone_parent"),
                            ("carers", "teenage_parent"), ("carers", "father"), ("kids", "TRUE"),
                            ("kids", "TRUE"), ("kids", "TRUE")):
            con.execute(f"""SELECT weights.centre, sum(share) FROM {table} t
                JOIN (SELECT family, first(lsoa) lsoa FROM kids GROUP BY family) f USING (family)
                JOIN weights ON weights.lsoa = f.lsoa
                WHERE {flag} AND pid IN (SELECT pid FROM a WHERE {w})
                GROUP BY weights.centre""").fetchall()
        con.execute(f"""SELECT strftime(date, '%Y-%m') m, centre, count(*) FROM
            (SELECT family, arg_min(centre, date) centre, min(date) date FROM a GROUP BY family)
            WHERE {w} GROUP BY ALL""").fetchall()
        con.execute(f"""SELECT cluster, coalesce(ethnicity, 'Not recorded'), count(*) FROM
            (SELECT DISTINCT cluster, pid FROM a WHERE {w} AND person='child') JOIN kids USING (pid)
            GROUP BY ALL""").fetchall()
    return time.perf_counter() - start, check


VOLUME = ["attendances", "families_seen", "children_seen", "outreach_attendances",
          "outreach_children", "on-site_attendances", "on-site_children", "unmapped_attendances",
          "unmapped_children"]


def ours_for_comparison(results) -> dict:
    """Our 12-month measures in the shape of the peer's."""
    found = {}
    for key, table in (("centre", results.by_centre[12]), ("cluster", results.by_cluster[12])):
        rows = table[table["attendances"] > 0]
        found[f"volume by {key}"] = {code: tuple(int(rows.loc[code, c]) for c in VOLUME)
                                     for code in rows.index}
        found[f"repeat children by {key}"] = {code: int(rows.loc[code, "repeat_children"])
                                              for code in rows.index}
    reach = results.by_centre[12]["reach_children"]
    found["reach by centre"] = {code: round(float(v), 6) for code, v in reach.items() if v > 0}
    found["services"] = {(r.centre, r.service, r.provider, r.kind): (int(r.attendances),
                                                                     int(r.children))
                         for r in results.by_service.itertuples()}
    return found


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--national", action="store_true",
                        help="England in one extract: 3,000,000 attendances, 300,000 children, "
                             "3,500 centres")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    children, attendances, centres = 100_000 // scale, 1_000_000 // scale, 30
    if args.national:
        children, attendances, centres = 300_000, 3_000_000, 3_500
    extract, geography, pops = synthetic(children, attendances, centres)
    ours, peer = [], []
    loaded_mb = _peak_rss_mb()
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = compute_reach(extract, geography, pops)
        ours.append(time.perf_counter() - start)
        if len(ours) == 1:
            ours_mb = _peak_rss_mb()  # before DuckDB first runs in this process
        seconds, check = duckdb_peer(extract, geography)
        peer.append(seconds)
    best, best_peer = min(ours), min(peer)
    mine = ours_for_comparison(results)
    disagree = [name for name in check if mine[name] != check[name]]
    print(f"reach measures: {best:.2f} s (best of {args.repeat}); DuckDB SQL: {best_peer:.2f} s; "
          f"{len(results.by_centre[12])} centres")
    print(json.dumps({"benchmark": "reach", "attendances": attendances, "children": children,
                      "centres": centres,
                      "seconds": round(best, 3), "duckdb_seconds": round(best_peer, 3),
                      "ratio_to_duckdb": round(best / best_peer, 2),
                      "agrees_with_duckdb": not disagree, "measures_compared": sorted(check),
                      "disagreeing": disagree, "attendances_per_second": round(attendances / best),
                      "peak_rss_mb_extract_loaded": round(loaded_mb),
                      "peak_rss_mb_after_measures": round(ours_mb),
                      "target_seconds": 3.0, "target_ratio": 1.0}))


if __name__ == "__main__":
    main()
