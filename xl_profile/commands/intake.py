"""``xl-profile intake MAPPINGS DIR --out tidy.csv``: agency spreadsheets into the tidy format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "intake", help="read agency spreadsheets through source mappings into a tidy file",
        description="Read every agency file (xlsx, xls, ods, csv) in DIR that a source mapping in "
                    "MAPPINGS names, and write the tidy indicator file plus "
                    "<out>.provenance.csv giving the file, sheet and cell of every figure. A "
                    "mapping of kind 'fingertips' reads a Fingertips CSV download. Nothing is "
                    "written when any cell, name or column is wrong: every problem is listed.")
    parser.add_argument("mappings", type=Path, help="folder of source mapping files (.yaml)")
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder of agency files")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="tidy indicator file to write (.csv)")
    parser.add_argument("--geography", type=Path, metavar="DIR",
                        help="geography folder (areas.csv, memberships.csv); default: the demo "
                             "borough")
    parser.add_argument("--catalogue", type=Path, action="append", default=[], metavar="YAML",
                        help="extra catalogue file of local indicators (repeatable)")
    parser.set_defaults(func=run)


def provenance_path(out: Path) -> Path:
    """``tidy.csv`` -> ``tidy.provenance.csv``."""
    return out.with_name(f"{out.stem}.provenance{out.suffix or '.csv'}")


def run(args: argparse.Namespace) -> int:
    from ..catalogue import load_catalogue
    from ..errors import InputError, OutputError, ProblemLog
    from ..intake import PROVENANCE_COLUMNS, checked_values, intake, write_csv_files
    from ..intake_mapping import load_mappings
    from ..tidy import COLUMNS
    from .common import load_geography_or_demo

    if args.out.is_dir():
        raise OutputError(f"--out '{args.out}' is a folder; expected a file name such as tidy.csv")
    catalogue = load_catalogue(extra_paths=args.catalogue)
    geography = load_geography_or_demo(args.geography)
    result = intake(load_mappings(args.mappings), args.folder, geography, catalogue)
    log = ProblemLog()
    checked_values(result, catalogue, geography, log)  # what a build would reject, caught now
    if log.total:
        raise InputError(log)
    provenance = provenance_path(args.out)
    write_csv_files((args.out, COLUMNS, result.rows),
                   (provenance, PROVENANCE_COLUMNS, result.provenance))
    skipped = ", ".join(f"{n:,} {reason}" for reason, n in sorted(result.skipped.items()))
    print(f"  {len(result.files)} file(s) read; skipped: {skipped or 'nothing'}", file=sys.stderr)
    print(f"{len(result.rows):,} tidy rows written to {args.out}; sources of every figure in "
          f"{provenance}")
    return 0
