"""PDF copies of workbooks for board packs, printed by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from xl_profile.errors import OutputError

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def to_pdf(books: list[Path], out_dir: Path, timeout: int = 600) -> list[Path]:
    """Print each workbook to ``<name>.pdf`` in ``out_dir`` with one LibreOffice process.

    Page breaks and print areas set in the workbook decide the pages.

    Raises:
        OutputError: LibreOffice is not installed, or a PDF was not produced.
    """
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise OutputError("--pdf needs LibreOffice (soffice) on PATH; install it or leave out --pdf")
    with tempfile.TemporaryDirectory(prefix="xl-profile-pdf-") as tmp:
        profile = Path(tmp) / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE)
        staging = Path(tmp) / "pdf"
        subprocess.run([binary, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(staging),
                        *map(str, books)], capture_output=True, timeout=timeout, check=False)
        written = []
        for book in books:
            produced = staging / f"{book.stem}.pdf"
            if not produced.exists():
                raise OutputError(f"LibreOffice did not produce a PDF of {book.name}")
            target = out_dir / produced.name
            shutil.move(str(produced), target)
            written.append(target)
    return written
