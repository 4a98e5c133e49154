"""Command-line interface: ``xl-profile COMMAND ...``.

A thin shell over the library: each command lives in ``xl_profile.commands.<name>`` and exposes
``register(subparsers)``. Library errors become one ``Error: ...`` line and exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import InputError, XlProfileError

#: Command modules, in the order ``--help`` lists them.
COMMAND_MODULES = ("demo", "build", "validate", "bestfit", "reach", "sef")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available command registered."""
    parser = argparse.ArgumentParser(
        prog="xl-profile",
        description="Children's centre data profiles, coverage and reach workbooks for a local "
                    "authority, from tidy indicator data and a geography.")
    parser.add_argument("--version", action="version", version=f"xl-profile {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"xl_profile.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xl_profile.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        for problem in exc.problems[1:]:
            print(f"  {problem}", file=sys.stderr)
        print(f"Error: {exc.problems[0]}" + (f" (and {len(exc.problems) - 1} more above)"
                                             if len(exc.problems) > 1 else ""), file=sys.stderr)
        return 1
    except XlProfileError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
