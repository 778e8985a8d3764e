"""Copying a workbook's database to another file with SQLite's online backup API.

The copy is made page by page from an open connection (what it has committed, including what
is still in the write-ahead log), into a new file keyed with the same passphrase, so the copy of
an encrypted workbook is encrypted from its first byte. It is written under a temporary name in
the destination folder, flushed to disk, and only then renamed to its real name: a crash or a
full disk never leaves a half-written copy under a real name.
"""

import contextlib
import os
import shutil
from pathlib import Path

from sqlite_utils import Database

from ctdesk.db import connection
from ctdesk.db.connection import fsync, fsync_folder
from ctdesk.errors import WorkbookError

PARTIAL_SUFFIX = ".partial"  # a copy being written; never a real backup
_SIDECARS = ("-journal", "-wal", "-shm")


def partial_name(final: Path) -> Path:
    """The temporary name a copy is written under before it becomes ``final``."""
    return final.with_name(f".{final.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def remove_file(path: Path) -> None:
    """Remove a database file and what SQLite (or a ctdesk that opened it) left beside it."""
    for suffix in ("", *_SIDECARS, ".lock", ".lock.json"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_database(db: Database, final: Path, key: str | None) -> None:
    """Copy the database open as ``db`` to the new file ``final``, keyed with ``key``.

    Refuses to overwrite a file. Only the owner may read the copy (where the system allows).
    """
    if final.exists():
        raise WorkbookError(f"A file already exists at {final}; ctdesk never overwrites one.")
    if db.conn.in_transaction:
        # The backup API would wait for this very connection's transaction, for ever.
        raise WorkbookError(
            "The workbook is in the middle of a change, so it cannot be backed up now; try "
            "again in a moment."
        )
    tmp = partial_name(final)
    remove_file(tmp)
    try:
        target = connection.connect_file(tmp, "rwc", key)
        try:
            db.conn.backup(target)
        finally:
            target.close()
        with contextlib.suppress(OSError):  # not every file system has Unix permissions
            os.chmod(tmp, 0o600)
        fsync(tmp)
        if final.exists():
            raise WorkbookError(f"A file already exists at {final}; ctdesk never overwrites one.")
        os.replace(tmp, final)
    except connection.Error as exc:
        remove_file(tmp)
        raise WorkbookError(f"Could not copy the workbook to {final}: {exc}.") from exc
    except OSError as exc:
        remove_file(tmp)
        raise WorkbookError(
            f"Could not write the copy {final}: {exc.strerror or exc}; check the disk."
        ) from exc
    except BaseException:
        remove_file(tmp)
        raise
    fsync_folder(final.parent)


def copy_file(source: Path, final: Path) -> None:
    """Copy a workbook file byte for byte (and its write-ahead log, if one lies beside it), for
    a workbook that cannot be opened; atomically, like ``copy_database``."""
    tmp = partial_name(final)
    remove_file(tmp)
    wal = Path(f"{source}-wal")
    try:
        if wal.exists():
            shutil.copyfile(wal, f"{final}-wal")
            fsync(Path(f"{final}-wal"))
        shutil.copyfile(source, tmp)
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o600)
        fsync(tmp)
        os.replace(tmp, final)
    except OSError as exc:
        remove_file(tmp)
        Path(f"{final}-wal").unlink(missing_ok=True)
        raise WorkbookError(
            f"Could not copy {source} to {final}: {exc.strerror or exc}; check the disk."
        ) from exc
    fsync_folder(final.parent)


def replace_workbook(new: Path, path: Path) -> None:
    """Put the closed database file ``new`` in place of the (closed) workbook ``path``,
    atomically: ``path`` is the old workbook or the new one, never a mix of both."""
    fsync(new)
    with contextlib.suppress(OSError):
        shutil.copymode(path, new)  # the restored file is as private as the one it replaces
    # The old file's journal must not meet the new file: SQLite would apply it to it.
    for suffix in _SIDECARS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(new, path)
    fsync_folder(path.parent)
