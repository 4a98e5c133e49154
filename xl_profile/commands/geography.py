"""``xl-profile geography``: make the geography folder a build reads from an authority's files."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "geography", help="make a geography folder from ward and small-area boundaries",
        description="Make the geography folder a build reads (areas.csv, memberships.csv, "
                    "boundaries/, lsoa_centroids.csv) from ward and small-area (LSOA) "
                    "boundaries, population-weighted centroids, census populations, a clusters "
                    "CSV (ward,cluster) and the centres as polygons (GeoJSON) or as a CSV of "
                    "small_area,centre[,centre_name,cluster]; write a one-page report of what "
                    "was done (geography-report.txt). Each file's CRS is the one it states; "
                    "give --<input>-crs only for a file that states none.")
    _layer(parser, "wards", "ward", "W.geojson")
    _layer(parser, "small-areas", "small-area", "S.geojson")
    parser.add_argument("--centroids", type=Path, metavar="C.csv",
                        help="population-weighted centroids of the small areas (default: a "
                             "point inside each small area)")
    parser.add_argument("--centroid-code", default="code", metavar="COL")
    parser.add_argument("--centroid-x", default="x", metavar="COL")
    parser.add_argument("--centroid-y", default="y", metavar="COL")
    parser.add_argument("--centroids-crs", metavar="EPSG",
                        help="CRS of the centroid columns (27700 or 4326; default: judged from "
                             "the numbers)")
    parser.add_argument("--population", type=Path, metavar="P.csv",
                        help="census populations by small-area (and optionally ward) code")
    parser.add_argument("--population-code", default="code", metavar="COL")
    parser.add_argument("--population-field", default="population", metavar="COL")
    parser.add_argument("--clusters", type=Path, required=True, metavar="CLUSTERS.csv",
                        help="columns ward,cluster[,cluster_name]; ward by code or name")
    parser.add_argument("--centres", type=Path, required=True, metavar="CENTRES",
                        help="centre polygons (.geojson) or a CSV of "
                             "small_area,centre[,centre_name,cluster]")
    parser.add_argument("--centre-code", default="code", metavar="FIELD",
                        help="property holding a centre polygon's code")
    parser.add_argument("--centre-name", metavar="FIELD",
                        help="property holding a centre polygon's name")
    parser.add_argument("--centre-cluster", metavar="FIELD",
                        help="property holding a centre polygon's cluster (default: the cluster "
                             "holding most of its people)")
    parser.add_argument("--centres-crs", metavar="EPSG")
    parser.add_argument("--method", choices=("pwc", "overlap", "apportion"), default="pwc",
                        help="best fit of small areas to centre polygons (default pwc)")
    parser.add_argument("--authority", required=True, metavar="CODE:NAME",
                        help="the authority's code and name, e.g. E09000033:Westminster")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.set_defaults(func=run)


def _layer(parser: argparse.ArgumentParser, option: str, field: str, metavar: str) -> None:
    parser.add_argument(f"--{option}", type=Path, required=True, metavar=metavar)
    parser.add_argument(f"--{field}-code", required=True, metavar="FIELD",
                        help=f"property holding the {field.replace('-', ' ')} code")
    parser.add_argument(f"--{field}-name", metavar="FIELD",
                        help=f"property holding the {field.replace('-', ' ')} name")
    parser.add_argument(f"--{option}-crs", metavar="EPSG",
                        help="CRS of a file that states none (27700 or 4326)")


def sources(args: argparse.Namespace):
    """The inputs named on the command line."""
    from ..geography_build import (CentreSource, GeographySources, LayerSource, PointSource,
                                   PopulationSource)

    centroids = population = None
    if args.centroids:
        centroids = PointSource(args.centroids, args.centroid_code, args.centroid_x,
                                args.centroid_y, args.centroids_crs, "--centroids-crs")
    if args.population:
        population = PopulationSource(args.population, args.population_code,
                                      args.population_field)
    return GeographySources(
        authority=args.authority,
        wards=LayerSource(args.wards, args.ward_code, args.ward_name, args.wards_crs,
                          "--wards-crs"),
        small_areas=LayerSource(args.small_areas, args.small_area_code, args.small_area_name,
                                args.small_areas_crs, "--small-areas-crs"),
        clusters=args.clusters,
        centres=CentreSource(args.centres, args.centre_code, args.centre_name,
                             args.centre_cluster, args.centres_crs, "--centres-crs",
                             args.method),
        centroids=centroids, population=population)


def run(args: argparse.Namespace) -> int:
    from workbooks.build import publish, staged_output

    from ..atomic import make_output_folder, write_text_atomic
    from ..geography_build import build_geography, parse_authority
    from ..geography_io import write_geography
    from ..geography_report import REPORT_NAME, report_lines, summary_lines

    parse_authority(args.authority)  # a mistyped option is reported before any file is read
    built = build_geography(sources(args))
    make_output_folder(args.out)
    with staged_output(args.out) as staging:  # every file or none
        files = write_geography(staging, built.geography, boundaries=built.boundaries,
                                centroids=built.centroids)
        names = [str(p.relative_to(staging)) for p in files] + [REPORT_NAME]
        report = "\n".join(report_lines(built.facts, built.geography, names)) + "\n"
        write_text_atomic(staging / REPORT_NAME, report)
        (args.out / "boundaries").mkdir(exist_ok=True)
        publish([*files, staging / REPORT_NAME], staging, args.out)
    for line in summary_lines(built.facts, built.geography):
        print(line)
    _earlier_files(args.out, built.centroids is not None)
    print(f"Wrote {len(names)} files to {args.out}; what was done: {args.out / REPORT_NAME}")
    return 0


def _earlier_files(out: Path, centroids_written: bool) -> None:
    """Deal with files of an earlier geography in ``out`` that this one did not replace."""
    stale = out / "lsoa_centroids.csv"
    if not centroids_written and stale.exists():
        stale.unlink()  # a build would fit small areas by another geography's centroids
        print(f"Removed {stale}: centroids of an earlier geography (none were given this time)")
    attribution = out / "boundaries" / "attribution.txt"
    if attribution.exists():
        print(f"Kept {attribution}: the maps' attribution; check that it fits these boundaries")
