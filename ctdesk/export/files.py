"""Writing export files so that a failure never leaves a half-written file under the final name."""

import os
import tempfile
from pathlib import Path

from ctdesk.errors import CtdeskError


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CtdeskError(f"The folder {folder} does not exist; choose an existing folder.")
    if path.is_dir():
        raise CtdeskError(f"{path} is a folder; give a file name to export to.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ctdesk-tmp", dir=folder)
    except OSError as exc:
        raise CtdeskError(
            f"Cannot write in {folder}: {exc.strerror}; choose another folder."
        ) from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CtdeskError(f"Could not write {path}: {exc.strerror}; nothing was written.") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
