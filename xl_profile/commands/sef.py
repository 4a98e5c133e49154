"""``xl-profile sef generate|collect``: centre self-evaluation forms, out and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sef", help="generate centre self-evaluation forms and collect them back",
        description="Self-evaluation forms (SEF): 'generate' writes one sef-<centre>.xlsx per "
                    "centre with part B filled from the computed profile; 'collect' reads every "
                    "form in a folder, checks it and writes the authority's summary.")
    commands = parser.add_subparsers(dest="sef_command", metavar="SUBCOMMAND", required=True)
    generate = commands.add_parser(
        "generate", help="one form per centre from a build file",
        description="Write sef-<centre>.xlsx for every centre. A form a manager has filled in "
                    "is never overwritten; with --beside the new form is written next to it.")
    generate.add_argument("config", type=Path, help="YAML build file")
    generate.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    generate.add_argument("--year", metavar="YYYY/YY",
                          help="year of the forms, e.g. 2008/09 (default: the financial year "
                               "after the build's reach_as_of date, or the current one)")
    generate.add_argument("--carry-forward", type=Path, metavar="PREVIOUS_DIR",
                          help="folder of last year's forms: copy their part A and D texts and "
                               "show their figures as 'Last year'")
    generate.add_argument("--beside", action="store_true",
                          help="where a filled form is in the way, write the new one beside it "
                               "(sef-<centre>-<year>.xlsx)")
    generate.set_defaults(func=run_generate)
    collect = commands.add_parser(
        "collect", help="read every form in a folder into an authority summary",
        description="Read every form in DIR, check each (grades 1-4, protected figures, moved "
                    "cells, year and centre) and write the summary: grades heat map, every text "
                    "in full, key figures, changes from the previous summary, and Problems.")
    collect.add_argument("folder", type=Path, metavar="DIR", help="folder of filled forms")
    collect.add_argument("--out", type=Path, required=True, metavar="sef-summary.xlsx")
    collect.add_argument("--previous", type=Path, metavar="LAST_SUMMARY",
                         help="last year's summary, to show what changed")
    collect.add_argument("--year", metavar="YYYY/YY",
                         help="year being collected (default: the year most forms are for)")
    collect.set_defaults(func=run_collect)


def _year(text: str | None) -> str | None:
    from ..errors import ConfigError
    from ..sef.model import check_year

    if text is None:
        return None
    try:
        return check_year(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def run_generate(args: argparse.Namespace) -> int:
    from workbooks.sef_generate import default_year, generate_forms

    from ..config import load_config

    year = _year(args.year)
    config = load_config(args.config)
    year = year or default_year(config)
    result = generate_forms(config, args.out, year, carry_forward=args.carry_forward,
                            beside=args.beside)
    report_generated(result)
    return 0


def report_generated(result) -> None:
    """Print the forms written and say which forms were left untouched, and why."""
    for path in result.written:
        print(path)
    hint = "" if result.beside else " (use --beside to write the new form next to it)"
    for path, reason in result.kept:
        print(f"Kept {path}: {reason}; left untouched{hint}", file=sys.stderr)
    print(f"{len(result.written)} form(s) written, {len(result.kept)} form(s) kept",
          file=sys.stderr)


def run_collect(args: argparse.Namespace) -> int:
    from workbooks.sef_collect import collect

    result = collect(args.folder, args.out, previous=args.previous, year=_year(args.year))
    summary = result.summary
    print(args.out)
    print(f"{result.files_read} file(s) read, {len(summary.forms)} form(s) for {summary.year} "
          f"summarised, {len(summary.problems)} problem(s) listed on the Problems sheet",
          file=sys.stderr)
    return 0
