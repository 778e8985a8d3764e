"""Replacing a file whole or not at all: what every writer of exports, bundles and keys needs."""

import contextlib
import os
import tempfile
from pathlib import Path


def replace_whole(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to the disk, then rename it
    over ``path``, so a reader never sees half a file and a failure leaves the old one. The
    temporary file is removed on any failure. Raises ``OSError`` for callers to word."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ctdesk-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            if mode is not None:
                os.chmod(tmp, mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # not every system syncs a folder; the rename is atomic
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
