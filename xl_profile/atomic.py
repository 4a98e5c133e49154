"""Write files so that a failure never leaves a partial output behind.

Outputs are written to a temporary file beside the target and renamed over it only when complete.
The temporary file is created private (``mkstemp`` makes it mode 600); before the rename it is given
the mode an ordinary ``open()`` would have given it, ``0o666`` less the process umask, so a shared
output folder gets files its users can read.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (read by setting and restoring it, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def check_output_folder(folder: Path, what: str = "output folder") -> None:
    """Raise OutputError unless ``folder`` is an existing folder (names what is wrong)."""
    if folder.is_dir():
        return
    if folder.exists():
        raise OutputError(f"{what} {str(folder)!r} is a file, not a folder")
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"{what} {str(folder)!r} cannot exist: {str(parent)!r} is a file, "
                              f"not a folder")
    raise OutputError(f"{what} {str(folder)!r} does not exist")


def make_output_folder(folder: Path, option: str = "--out") -> None:
    """Create ``folder`` (and its parents) for output, or raise OutputError saying why not."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{option} {str(folder)!r} is a file; expected a folder (it is created "
                          f"when missing)")
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"{option} {str(folder)!r} cannot be created: {str(parent)!r} is a "
                              f"file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{option} {str(folder)!r} cannot be created "
                          f"({exc.strerror or exc})") from None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only if the block succeeds.

    The temporary file lives in the same directory so the final ``os.replace`` is atomic on the same
    file system. On any exception the temporary file is removed and ``path`` is left untouched.

    Raises:
        OutputError: the folder is missing or not writable, or ``path`` is a folder.
    """
    target = Path(path)
    check_output_folder(target.parent)
    if target.is_dir():
        raise OutputError(f"output {str(target)!r} is a folder; expected a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-",
                                        suffix=target.suffix or ".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in output folder {str(target.parent)!r} "
                          f"({exc.strerror or exc})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")
