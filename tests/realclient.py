"""Open generated workbooks in a real spreadsheet application: LibreOffice Calc, headless.

Each call uses its own fresh LibreOffice profile set to recalculate on load, so values read back are
LibreOffice's own results, not the cached values the generator wrote.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zlib
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


def _pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of a PDF, decompressed where it is Flate-encoded, sliced by its /Length
    (direct or an indirect object), so binary data cannot end a stream early."""
    numbers = {int(m.group(1)): int(m.group(2)) for m in
               re.finditer(rb"(\d+) 0 obj\s*(\d+)\s*endobj", data)}
    streams = []
    for match in re.finditer(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S):
        length = re.search(rb"/Length (\d+)( 0 R)?", match.group(1))
        size = numbers[int(length.group(1))] if length.group(2) else int(length.group(1))
        raw = data[match.end():match.end() + size]
        if b"FlateDecode" in match.group(1):
            raw = zlib.decompress(raw)
        streams.append(raw)
    return streams


def printed_font_sizes(pdf: Path) -> list[float]:
    """Every text size LibreOffice printed in ``pdf``, in points, read from the font-size
    operands (``Tf``) of every content stream, charts' included.

    LibreOffice writes the page's print scale into the font size, with unscaled text matrices;
    a text matrix that scales is an error here, as the operand alone would then not be the
    printed size.
    """
    sizes: list[float] = []
    for text in _pdf_streams(pdf.read_bytes()):
        if b" Tf" not in text:
            continue  # an image or font program, not text
        sizes += [float(s) for s in re.findall(rb"([\d.]+) Tf", text)]
        for a, b in re.findall(rb"(-?[\d.]+) (-?[\d.]+) -?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ "
                               rb"Tm\b", text):
            assert (float(a) ** 2 + float(b) ** 2) ** 0.5 >= 0.99, f"{pdf.name}: scaled text"
    return sizes
