"""``xl-profile build CONFIG --out DIR``: build every workbook from a build file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build", help="build cluster profiles, coverage profile and reach reports",
        description="Build every workbook (cluster-profile-<cluster>.xlsx, coverage-profile.xlsx, "
                    "reach-report-<cluster>.xlsx) from a YAML build file naming the geography, "
                    "the tidy indicator files and, optionally, a centre database extract.")
    parser.add_argument("config", type=Path, help="YAML build file")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--pdf", action="store_true",
                        help="also write a PDF of each workbook (needs LibreOffice)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbooks.build import build_all

    from ..config import load_config

    config = load_config(args.config)
    result = build_all(config, args.out, pdf=args.pdf)
    for path in result.files:
        print(path)
    print(f"{len(result.files)} file(s) written to {args.out}", file=sys.stderr)
    return 0
