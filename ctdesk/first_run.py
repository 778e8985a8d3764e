"""First run: initials suggested from a name, and the demo workbook offered to explore.

Qt-free; the welcome dialog (``ctdesk.ui.welcome_dialog``) asks, this does.
"""

import contextlib
import os
import re
from pathlib import Path

from ctdesk import demo, paths
from ctdesk.errors import WorkbookError
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

DEMO_NAME = f"demo{paths.WORKBOOK_SUFFIX}"
DEMO_NOTES = 500  # about ten a force: enough to explore, made in well under a second
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)  # a letter, in any script


def suggest_initials(name: str) -> str:
    """The first letter of each word (hyphenated parts count as words), at most 5, in capitals:
    ``Jo Bloggs`` → ``JB``, ``Mary-Anne O'Neil`` → ``MAO``."""
    letters = []
    for word in re.split(r"[\s\-‐–]+", name):
        found = _WORD.search(word)
        if found:
            letters.append(found.group(0).upper())
    return "".join(letters)[:5]


def demo_path() -> Path:
    """Where the demo workbook lives: ``demo.ctdesk`` in the data folder."""
    return paths.data_dir() / DEMO_NAME


def make_demo_workbook(
    path: Path,
    *,
    notes: int = DEMO_NOTES,
    settings: Settings | None = None,
    progress: demo.Progress | None = None,
) -> Path:
    """Write a workbook of synthetic fieldwork at ``path`` (which must not exist yet).

    It is made under a temporary name and renamed into place when whole, so an interruption
    never leaves a half-made demo to be opened later. Returns ``path``.
    """
    if path.exists():
        raise WorkbookError(f"A file already exists at {path}; ctdesk never overwrites one.")
    part = path.with_name(path.name + ".part")
    _remove_workbook_files(part)  # left by an interrupted attempt
    try:
        with Workbook.create(part, settings) as wb:
            demo.generate(wb, notes=notes, progress=progress)
        os.replace(part, path)
    finally:
        _remove_workbook_files(part)
    return path


def _remove_workbook_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock", ".lock.json"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
