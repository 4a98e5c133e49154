"""``xl-profile bestfit``: best-fit small areas to centres or wards and write a lookup CSV."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bestfit", help="best-fit small areas (OA/LSOA) to centres or wards",
        description="Allocate small areas to target areas by the ONS best-fit method (the target "
                    "containing the population-weighted centroid), by largest overlap, or split "
                    "them by area share; write a lookup CSV "
                    "(small_area_code,target_code,share,method) and print the fit quality.")
    parser.add_argument("--small-areas", type=Path, required=True, metavar="A.geojson")
    parser.add_argument("--small-area-code", required=True, metavar="FIELD",
                        help="property holding the small-area code")
    parser.add_argument("--targets", type=Path, required=True, metavar="B.geojson")
    parser.add_argument("--target-code", required=True, metavar="FIELD",
                        help="property holding the target code")
    parser.add_argument("--centroids", type=Path, metavar="C.csv",
                        help="population-weighted centroids (default: a point inside each area)")
    parser.add_argument("--centroid-code", default="code", metavar="COL")
    parser.add_argument("--centroid-x", default="x", metavar="COL")
    parser.add_argument("--centroid-y", default="y", metavar="COL")
    parser.add_argument("--crs", metavar="EPSG",
                        help="CRS of the inputs when the files do not say (27700 or 4326)")
    parser.add_argument("--method", choices=("pwc", "overlap", "apportion"), default="pwc")
    parser.add_argument("--out", type=Path, required=True, metavar="lookup.csv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..atomic import check_output_folder, write_text_atomic
    from ..bestfit import best_fit
    from ..errors import OutputError
    from ..geometry import overlapping_pairs, read_boundaries, read_points

    if args.out.is_dir():
        raise OutputError(f"--out {str(args.out)!r} is a folder; expected a file name such as "
                          f"lookup.csv")
    check_output_folder(args.out.parent, "--out folder")
    small = read_boundaries(args.small_areas, args.small_area_code, crs=args.crs)
    targets = read_boundaries(args.targets, args.target_code, crs=args.crs)
    centroids = None
    if args.centroids:
        centroids = read_points(args.centroids, args.centroid_code, args.centroid_x,
                                args.centroid_y, crs=args.crs)
    fit = best_fit(small, targets, centroids=centroids, method=args.method)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["small_area_code", "target_code", "share", "method"])
    for m in fit.memberships:
        writer.writerow([m.child, m.parent, f"{m.share:.6g}", m.method])
    write_text_atomic(args.out, buffer.getvalue())
    for repair in small.repairs + targets.repairs:
        print(f"Repaired: {repair}")
    for a, b, area in overlapping_pairs(targets):
        print(f"Warning: targets {a} and {b} overlap by {area:,.0f} m2; small areas in the "
              f"overlap go to the first in file order")
    print(fit.summary())
    print(f"Wrote {len(fit.memberships)} rows to {args.out}")
    return 0
