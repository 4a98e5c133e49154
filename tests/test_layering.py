"""The core never imports xlwings, xlsxwriter or matplotlib (it must run anywhere, and in tests on
Linux; maps are drawn in ``workbooks/maps.py`` from data the core prepares)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import xl_profile


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(xl_profile.__path__, "xl_profile.")]
    # The CLI commands are the application shell: they import workbooks lazily, inside commands.
    return [n for n in names if n != "xl_profile.__main__"]


def test_importing_every_core_module_loads_no_excel_writer_or_plotting_library():
    code = ("import importlib, sys\n"
            f"for name in {core_modules()!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = [m for m in ('xlsxwriter', 'xlwings', 'matplotlib') if m in sys.modules]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
