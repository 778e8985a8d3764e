"""What About ctdesk says: the version, where things are kept, what ctdesk runs on.

Qt-free, so the facts can be tested (and printed) without a window; the About dialog adds the
Qt versions it knows.
"""

import platform
import sys
from typing import TYPE_CHECKING

from ctdesk import __version__, backups, paths
from ctdesk.db import connection

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook


def workbook_details(wb: "Workbook") -> list[tuple[str, str]]:
    """(label, value) pairs about the open workbook and where ctdesk keeps its files."""
    state = "encrypted" if wb.encrypted else "not encrypted"
    if wb.read_only:
        state += ", read-only"
    return [
        ("Workbook", f"{wb.path} ({state})"),
        ("Data folder", str(paths.data_dir())),
        ("Settings folder", str(paths.config_dir())),
        ("Backups folder", str(backups.folder_for(wb.id))),
        ("Log folder", str(paths.log_dir())),
    ]


def runtime_details() -> list[tuple[str, str]]:
    """(label, value) pairs for ctdesk's version and the Python and database libraries."""
    libraries = connection.library_versions()
    return [
        ("ctdesk", __version__),
        ("Python", f"{platform.python_version()} ({sys.platform})"),
        ("SQLite", libraries["SQLite"]),
        ("SQLCipher", libraries["SQLCipher"]),
    ]


def as_text(rows: list[tuple[str, str]]) -> str:
    """The details as plain lines, ``Label: value``, for the clipboard or a bug report."""
    return "\n".join(f"{label}: {value}" for label, value in rows)
