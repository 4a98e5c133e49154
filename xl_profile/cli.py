"""Command-line interface: ``xl-profile COMMAND ...``.

A thin shell over the library: each command lives in ``xl_profile.commands.<name>`` and exposes
``register(subparsers)``.

Every failure ends in exactly one ``Error: ...`` line on standard error and a non-zero exit status,
never a traceback:

- library errors (:class:`~xl_profile.errors.XlProfileError`) print their message; an
  :class:`~xl_profile.errors.InputError` with several problems lists the others first, indented,
  and ends with the ``Error:`` line;
- operating-system errors (a folder where a file was expected, permission denied, disk full...)
  print what went wrong and the path, exit status 1;
- anything else is a defect in xl-profile: ``Error: internal error (Type: message); please report
  it ...``, exit status 3. Setting ``XL_PROFILE_DEBUG=1`` shows the full traceback instead, for the
  report.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .errors import InputError, XlProfileError

#: Command modules, in the order ``--help`` lists them.
COMMAND_MODULES = ("demo", "build", "validate", "bestfit", "geography", "reach", "sef", "intake",
                   "catalogue", "export", "region")

#: Exit status for a defect in xl-profile itself (not the user's input).
INTERNAL_ERROR = 3
DEBUG_VARIABLE = "XL_PROFILE_DEBUG"

_OS_REASONS = {
    errno.EISDIR: "is a folder, expected a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "already exists",
    errno.ENOENT: "not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.ENAMETOOLONG: "file name too long",
}


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in the CLI's one-line form (``Error: ...``, exit 2)."""

    def error(self, message: str) -> NoReturn:
        _error(f"{self.prog}: {message} (see {self.prog} --help)")
        sys.exit(2)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): unwound like Ctrl-C, so that no temporary file
    or folder is left behind."""


def _stop_on_sigterm() -> None:
    """Raise :class:`Terminated` on SIGTERM in this process; worker processes forked from it
    keep the default (they are stopped by their pool, which cleans up after them)."""
    if threading.current_thread() is not threading.main_thread():
        return
    main_pid = os.getpid()

    def stop(signum: int, _frame: object) -> None:
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    signal.signal(signal.SIGTERM, stop)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available command registered."""
    parser = _Parser(
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


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: the path(s) and what went wrong, in plain words."""
    reason = _OS_REASONS.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    where = " -> ".join(paths)
    return f"{where}: {reason}" if where else reason


def _error(text: str) -> None:
    print(f"Error: {' '.join(text.split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    _stop_on_sigterm()
    try:
        # Checked first: libraries the commands import read it too, and fail on a bad value
        # with a message about themselves.
        from .config import resolve_built_on

        resolve_built_on()
        return int(args.func(args) or 0)
    except InputError as exc:
        if exc.total > 1:  # repeats beyond the first 20 of a kind are counted, not listed
            for line in exc.summary_lines():
                print(f"  {line}", file=sys.stderr)
        _error(f"{exc.problems[0]}" + (f" (and {exc.total - 1:,} more above)"
                                       if exc.total > 1 else ""))
        return 1
    except XlProfileError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Terminated:
        _error("stopped (SIGTERM); nothing was left half-written")
        return 143
    except OSError as exc:
        _error(os_error_line(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - the last guard: a defect, reported in one line
        if os.environ.get(DEBUG_VARIABLE):
            raise
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it with the "
               f"command you ran (set {DEBUG_VARIABLE}=1 to see the traceback)")
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
