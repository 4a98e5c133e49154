"""``xl-profile reach``: reach reports from a centre database extract.

Either from a build file (``xl-profile reach build.yaml --out DIR``, populations from the profile's
best-fitted indicators) or directly (``xl-profile reach --extract DIR --geography DIR --out DIR``,
populations from an optional LSOA CSV).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

KEY_VARIABLE = "XL_PROFILE_PSEUDONYM_KEY"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reach", help="reach and volume reports from a centre database extract",
        description="Load a centre database extract (personal data is reduced at the door to "
                    "ages, LSOAs and keyed pseudonymous ids), compute reach and volume for the "
                    "12 and 24 months to the as-of date, and write reach-report-<cluster>.xlsx "
                    "for each cluster's board and reach-quality.xlsx (record-level data-quality "
                    "lists, for analysts only).")
    parser.add_argument("config", type=Path, nargs="?",
                        help="YAML build file naming extract, reach_as_of and pseudonym_key")
    parser.add_argument("--extract", type=Path, metavar="DIR",
                        help="extract folder or workbook (instead of a build file)")
    parser.add_argument("--geography", type=Path, metavar="DIR", help="geography folder")
    parser.add_argument("--populations", type=Path, metavar="CSV",
                        help="lsoa,population_0_4[,<target group>...] for reach %%")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="last day of the 12 and 24 month windows (default: today)")
    parser.add_argument("--key-file", type=Path, metavar="FILE",
                        help=f"file holding the secret pseudonym key (or set {KEY_VARIABLE})")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbooks.build import publish, staged_output

    from ..atomic import make_output_folder
    from ..errors import ConfigError

    if args.config is not None and args.extract is not None:
        raise ConfigError("reach: give either a build file or --extract, not both")
    if args.config is None and (args.extract is None or args.geography is None):
        raise ConfigError("reach: give a build file, or both --extract DIR and --geography DIR")
    if args.config is not None and args.as_of is not None:
        raise ConfigError("reach: --as-of goes with --extract; with a build file the date is its "
                          "reach_as_of setting")
    make_output_folder(args.out)
    with staged_output(args.out) as staging:  # all reports or none
        paths = _from_config(args, staging) if args.config is not None \
            else _from_extract(args, staging)
        paths = publish(paths, staging, args.out)
    for path in paths:
        print(path)
    return 0


def _from_config(args: argparse.Namespace, out_dir: Path) -> list[Path]:
    from workbooks.build import reach_reports

    from ..config import load_config
    from ..errors import ConfigError
    from ..pipeline import load_inputs

    config = load_config(args.config)
    if config.extract is None:
        raise ConfigError(f"{args.config}: no 'extract' folder is named in the build file")
    # The progress lines include the account of attendance rows read, left out and used.
    return reach_reports(config, load_inputs(config), out_dir, dt.date.today())


def _key(args: argparse.Namespace) -> bytes:
    from ..errors import ConfigError

    if args.key_file is not None:
        if args.key_file.is_dir():
            raise ConfigError(f"--key-file {args.key_file}: is a folder; expected a file holding "
                              f"the key")
        if not args.key_file.is_file():
            raise ConfigError(f"--key-file {args.key_file}: file not found")
        key = args.key_file.read_bytes().strip()
    else:
        key = os.environ.get(KEY_VARIABLE, "").encode()
    if not key:
        raise ConfigError(f"reach: no pseudonym key; expected --key-file FILE or {KEY_VARIABLE} "
                          "set to a secret of your own")
    return key


def _from_extract(args: argparse.Namespace, out_dir: Path) -> list[Path]:
    from workbooks.reach_quality import write_reach_quality
    from workbooks.reach_report import write_reach_reports

    from ..config import parse_date
    from ..geography_io import load_geography
    from ..pipeline import stderr_progress
    from ..reach.run import load_lsoa_populations, run_reach

    as_of = dt.date.today() if args.as_of is None else parse_date(args.as_of, "--as-of")
    geography = load_geography(args.geography)
    all_ages, groups = load_lsoa_populations(args.populations) if args.populations else ({}, {})
    setting = "--as-of" if args.as_of is not None else "--as-of (not given: today)"
    run = run_reach(args.extract, geography, all_ages, as_of, _key(args), groups, setting=setting)
    for line in [f"warning: {w}" for w in run.warnings] + run.centre_names \
            + run.results.records.lines():
        stderr_progress(line)
    return write_reach_reports(run.results, run.extract, geography, out_dir) \
        + [write_reach_quality(run.results, run.extract, geography, out_dir)]
