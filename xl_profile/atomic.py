"""Write files so that a failure never leaves a partial output behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only if the block succeeds.

    The temporary file lives in the same directory so the final ``os.replace`` is atomic on the same
    file system. On any exception the temporary file is removed and ``path`` is left untouched.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise OutputError(f"output folder {str(target.parent)!r} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix or ".tmp",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")
