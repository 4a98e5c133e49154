"""``xl-profile reach CONFIG --out DIR``: reach reports only, from a build file's extract."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reach", help="reach and volume reports from a centre database extract",
        description="Load the centre database extract named in a build file (personal data is "
                    "reduced at the door), compute reach and volume for the 12 and 24 months to "
                    "reach_as_of, and write reach-report-<cluster>.xlsx for each cluster.")
    parser.add_argument("config", type=Path, help="YAML build file with extract and reach_as_of")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from workbooks.build import reach_reports

    from ..config import load_config
    from ..errors import ConfigError
    from ..pipeline import load_inputs

    config = load_config(args.config)
    if config.extract is None:
        raise ConfigError(f"{args.config}: no 'extract' folder is named in the build file")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in reach_reports(config, load_inputs(config), args.out, dt.date.today()):
        print(path)
    return 0
