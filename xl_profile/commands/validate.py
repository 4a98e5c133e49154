"""``xl-profile validate FILE [--geography DIR]``: check a tidy indicator file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a tidy indicator file against the catalogue and geography",
        description="Check a tidy indicator file (CSV or XLSX) against the indicator catalogue and "
                    "the geography, printing every problem with file, row and column (the first 20 of "
                    "each kind, then how many more). Exit 0 only when the file is clean.")
    parser.add_argument("file", type=Path, help="tidy indicator file (.csv or .xlsx)")
    parser.add_argument("--geography", type=Path, metavar="DIR",
                        help="geography folder (areas.csv, memberships.csv); default: the demo borough")
    parser.add_argument("--sheet", help="worksheet to read in an XLSX file (default: the first)")
    parser.add_argument("--catalogue", type=Path, action="append", default=[], metavar="YAML",
                        help="extra catalogue file of local indicators (repeatable)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..catalogue import load_catalogue
    from ..errors import summary_lines
    from ..tidy import check_tidy
    from .common import load_geography_or_demo

    catalogue = load_catalogue(extra_paths=args.catalogue)
    geography = load_geography_or_demo(args.geography)
    # Only checking: rows are streamed and no values kept, so any size of file fits in memory.
    data = check_tidy(args.file, catalogue, geography, sheet=args.sheet, keep_values=False)
    for line in summary_lines(data.problems, data.omitted):
        print(line)
    if data.problem_count:
        print(f"Error: {data.problem_count:,} problem(s) in {args.file}", file=sys.stderr)
        return 1
    blank = f"; {data.blank_rows:,} blank row(s) skipped" if data.blank_rows else ""
    print(f"{args.file}: {data.value_count:,} values, no problems found{blank}")
    return 0
