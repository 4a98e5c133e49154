"""``xl-profile catalogue new MAPPINGS --out local.yaml``: draft entries for mapped indicators."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalogue", help="draft catalogue entries for indicators the source mappings name",
        description="Indicator catalogue tools: 'new' drafts a local catalogue file with an "
                    "entry for every indicator id the source mappings name that the catalogue "
                    "lacks, valid as it stands, with TODO marks for the analyst to finish.")
    commands = parser.add_subparsers(dest="catalogue_command", metavar="SUBCOMMAND",
                                     required=True)
    new = commands.add_parser(
        "new", help="draft entries for mapped indicators the catalogue lacks",
        description="Write a local catalogue file (use it with --catalogue, or the build file's "
                    "catalogue setting) drafting every mapped indicator the catalogue lacks.")
    new.add_argument("mappings", type=Path, help="folder of source mapping files (.yaml)")
    new.add_argument("--out", type=Path, required=True, metavar="FILE",
                     help="local catalogue file to write (.yaml)")
    new.add_argument("--catalogue", type=Path, action="append", default=[], metavar="YAML",
                     help="local catalogue file whose entries are already written (repeatable)")
    new.set_defaults(func=run_new)


def run_new(args: argparse.Namespace) -> int:
    from ..atomic import write_text_atomic
    from ..catalogue import load_catalogue
    from ..catalogue_draft import draft_catalogue
    from ..errors import OutputError
    from ..intake_mapping import load_mappings

    if args.out.is_dir():
        raise OutputError(f"--out '{args.out}' is a folder; expected a file name such as "
                          "local.yaml")
    catalogue = load_catalogue(extra_paths=args.catalogue)
    text, drafted = draft_catalogue(load_mappings(args.mappings), set(catalogue.ids))
    if not drafted:
        print("every mapped indicator is in the catalogue: nothing to draft")
        return 0
    write_text_atomic(args.out, text)
    print(f"{len(drafted)} draft entr{'y' if len(drafted) == 1 else 'ies'} written to "
          f"{args.out} ({', '.join(drafted)}); finish every TODO")
    return 0
