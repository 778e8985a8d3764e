"""Reading and writing bundle files: whole or not at all, and one sentence when the disk says no."""

import errno
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ctdesk.atomic_file import replace_whole
from ctdesk.exchange.crypto import BundleError

MAX_FILE = 16 * 1024**3  # no bundle ctdesk writes comes near this
SUFFIX = ".ctbundle"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied; choose a folder you can write to"
    return (exc.strerror or str(exc)).rstrip(".").lower()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, flushed to the
    disk before it takes the name, so a reader never sees half a bundle."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_whole(path, data)
    except OSError as exc:
        raise BundleError(f"Cannot write the bundle {path}: {_reason(exc)}.") from exc


def read(path: Path) -> bytes:
    """A bundle file's bytes; a sentence if it is missing, unreadable or absurdly large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise BundleError(f"{path} is {size:,} bytes, too large to be a bundle.")
        if not path.is_file():
            raise BundleError(f"{path} is not a file; choose a bundle file.")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise BundleError(f"There is no file {path}; check the name.") from exc
    except OSError as exc:
        raise BundleError(f"Cannot read the bundle {path}: {_reason(exc)}.") from exc


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a bundle's hundreds of thousands of rows (which hold
    no cycles) are built: it would otherwise run thousands of times for nothing (a fifth of an
    import's time at 100,000 notes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
