"""Open generated workbooks in a real spreadsheet application: LibreOffice Calc, headless.

Each call uses its own fresh LibreOffice profile set to recalculate on load, so values read back are
LibreOffice's own results, not the cached values the generator wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
PDF_FILTER = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"false"}}'
ERROR_VALUES = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def soffice() -> str | None:
    """Path of the soffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """soffice, or skip the test — except under CI, where the real client must run."""
    path = soffice()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI; .ci/run installs it")
        pytest.skip("LibreOffice not installed")
    return path


def convert(books: list[Path], target: str, out_dir: Path, timeout: int = 240) -> list[Path]:
    """Convert workbooks with one soffice process and a fresh recalculate-on-load profile.

    Args:
        books: workbooks to convert.
        target: LibreOffice convert-to filter, e.g. "xlsx" or :data:`PDF_FILTER`.
        out_dir: folder for the results.
    Returns:
        The converted files, in the order of ``books``; fails the test if any is missing.
    """
    binary = require_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(_RECALC_PROFILE)
        subprocess.run([binary, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(out_dir),
                        *map(str, books)], check=False, capture_output=True, timeout=timeout)
    ext = target.split(":")[0]
    results = [out_dir / f"{b.stem}.{ext}" for b in books]
    missing = [str(r) for r in results if not r.exists()]
    assert not missing, f"LibreOffice could not convert: {missing}"
    return results


def recalculated(books: list[Path], out_dir: Path) -> list[Path]:
    """LibreOffice's recalculated copies (xlsx) of ``books``."""
    return convert(books, "xlsx", out_dir)


def error_cells(book: Path) -> list[str]:
    """'Sheet!A1: #NAME?' for every cell whose recalculated value is a spreadsheet error."""
    import openpyxl

    found = []
    wb = openpyxl.load_workbook(book, data_only=True, read_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(ERROR_VALUES):
                        found.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    finally:
        wb.close()
    return found


def to_png(pdf: Path, prefix: Path, first: int = 1, last: int = 1, dpi: int = 60) -> list[Path]:
    """Render PDF pages to PNG with pdftoppm; return the files."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last),
                    str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    return sorted(prefix.parent.glob(f"{prefix.name}*.png"))
