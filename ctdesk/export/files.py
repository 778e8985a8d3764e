"""Writing export files so that a failure never leaves a half-written file under the final name."""

from pathlib import Path

from ctdesk.atomic_file import replace_whole
from ctdesk.errors import CtdeskError


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CtdeskError(f"The folder {folder} does not exist; choose an existing folder.")
    if path.is_dir():
        raise CtdeskError(f"{path} is a folder; give a file name to export to.")
    try:
        replace_whole(path, data)
    except OSError as exc:
        raise CtdeskError(
            f"Could not write {path}: {exc.strerror or exc}; nothing was written."
        ) from exc
