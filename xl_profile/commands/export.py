"""``xl-profile export CONFIG --format fingertips --out FILE.csv``: a built profile's values."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("fingertips",)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write a built profile's values in another tool's layout",
        description="Compute the profile a build file describes and write every value (England, "
                    "authority, clusters, centres, wards) with its limits, count, denominator, "
                    "note, trend and comparison with England, in Fingertips' CSV layout.")
    parser.add_argument("config", type=Path, help="YAML build file")
    parser.add_argument("--format", required=True, choices=FORMATS, help="layout to write")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="CSV file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..atomic import check_output_folder
    from ..config import load_config
    from ..errors import OutputError
    from ..fingertips import COLUMNS
    from ..fingertips_export import export_rows
    from ..intake import write_csv_files
    from ..pipeline import load_profile

    if args.out.is_dir():
        raise OutputError(f"--out '{args.out}' is a folder; expected a file name such as "
                          "fingertips.csv")
    check_output_folder(args.out.parent, "--out folder")
    profile = load_profile(load_config(args.config))
    rows = export_rows(profile)
    write_csv_files((args.out, COLUMNS, rows))
    print(f"{len(rows):,} values of {len(profile.results)} indicators written to {args.out}",
          file=sys.stderr)
    print(args.out)
    return 0
