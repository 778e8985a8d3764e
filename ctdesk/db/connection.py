"""Opening a workbook file as an SQLite database, safely, encrypted or not.

Every connection goes through SQLCipher (the ``sqlcipher3`` driver), which is SQLite when no
key is given. An encrypted workbook has no SQLite header and nothing readable in its bytes; it
opens only with its passphrase. A file that is not SQLite, or SQLite but not a ctdesk workbook,
or written by a newer ctdesk, or encrypted with another passphrase, is refused before anything
is written to it.
"""

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from ctdesk.db import migrations
from ctdesk.errors import InvalidInput, PassphraseNeeded, WorkbookError, WrongPassphrase

# PRAGMA application_id marks the file as ours ("CTDK"), so we never migrate a stranger's database.
APPLICATION_ID = 0x4354444B
BUSY_TIMEOUT_MS = 5000


class GuardedDatabase(Database):
    """A ``Database`` that calls ``before_write`` as each outermost write transaction begins
    (``atomic()``), so the workbook can claim its write lock, or refuse, before writing."""

    before_write: Callable[[], None] | None = None

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.before_write is not None and not self.conn.in_transaction:
            self.before_write()
        with super().atomic() as db:
            yield db


SQLITE_HEADER = b"SQLite format 3\x00"
Error = sqlite3.Error  # what any query can raise, for callers that must catch it


def is_encrypted(path: Path) -> bool:
    """Whether the file looks like an encrypted workbook: no SQLite header, and whole pages
    (SQLCipher writes nothing else), so a text file or a truncated copy is not taken for one."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    # A zeroed start is damage, not SQLCipher's random salt.
    return size >= 1024 and size % 512 == 0 and head != SQLITE_HEADER and any(head)


def _quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect_file(path: Path, mode: str, key: str | None = None) -> sqlite3.Connection:
    """A bare connection to a database file (``mode``: ro, rw, rwc), keyed when ``key`` is given;
    no checks, no migrations. For copies of a workbook (backups); use ``open_existing`` else."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        if key is not None and any(ord(ch) < 32 for ch in key):
            raise InvalidInput("A passphrase cannot contain control characters; type another.")
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")  # no library chatter on stderr
        if key is not None:
            conn.execute(f"PRAGMA key = {_quote(key)}")
    except sqlite3.OperationalError as exc:
        raise WorkbookError(f"Cannot open the workbook {path}: {exc}.") from exc
    # Sorting and temporary tables stay in memory: no plaintext in temporary files.
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else None


def _functions(conn: sqlite3.Connection) -> None:
    # SQLite's lower() folds ASCII only; searches by name must fold "É" too.
    conn.create_function("casefold", 1, _casefold, deterministic=True)


def _configure(conn: sqlite3.Connection) -> None:
    _functions(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    # 16 MiB of page cache: coverage and search read indexes of the whole workbook.
    conn.execute("PRAGMA cache_size = -16384")
    # What is removed for good is overwritten, not left in free pages of the file.
    conn.execute("PRAGMA secure_delete = ON")


def _check_is_workbook(conn: sqlite3.Connection, path: Path, key: str | None) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if key is not None:
            raise WrongPassphrase(
                f"The passphrase is not the one that protects {path}, or the file is not a "
                "ctdesk workbook; try again (nothing was changed)."
            ) from exc
        if is_encrypted(path):
            raise PassphraseNeeded(
                f"The workbook {path} is encrypted; give its passphrase (--passphrase-file "
                "or CTDESK_PASSPHRASE)."
            ) from exc
        raise WorkbookError(
            f"{path} is not a ctdesk workbook (it is not an SQLite database, or it is damaged); "
            "check the path."
        ) from exc
    if app_id != APPLICATION_ID:
        what = "an empty file" if tables == 0 else "an SQLite database of another program"
        raise WorkbookError(f"{path} is {what}, not a ctdesk workbook; check the path.")


def verify_key(path: Path, key: str | None) -> None:
    """Whether ``key`` opens the workbook at ``path``: raises ``PassphraseNeeded``,
    ``WrongPassphrase`` or ``WorkbookError`` if not. Read-only; writes nothing."""
    conn = connect_file(path, "ro", key)
    try:
        _check_is_workbook(conn, path, key)
    finally:
        conn.close()


def create(path: Path, key: str | None = None) -> Database:
    """Create a new workbook file at ``path`` with the current schema; never overwrites.

    With ``key`` (a passphrase) the file is encrypted from its first byte.
    """
    if path.exists():
        raise WorkbookError(
            f"A file already exists at {path}; ctdesk never overwrites one, so choose another path."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
    if key is not None and not key:
        raise InvalidInput("An empty passphrase protects nothing; choose one, or none at all.")
    conn = connect_file(path, "rwc", key)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        _configure(conn)
        db = GuardedDatabase(conn)
        migrations.apply(db)
    except BaseException:
        conn.close()
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return db


def open_existing(path: Path, key: str | None = None, *, read_only: bool = False) -> Database:
    """Open an existing workbook, applying any pending migrations from this version of ctdesk.

    An encrypted workbook needs its passphrase as ``key``: without it ``PassphraseNeeded``, with
    another one ``WrongPassphrase``; the file is not touched either way. ``read_only`` opens it
    for reading only (no migrations; one that needs them is refused).
    """
    if not path.exists():
        raise WorkbookError(
            f"There is no workbook at {path}; create one with 'ctdesk init' or check the path."
        )
    if path.is_dir():
        raise WorkbookError(f"{path} is a folder, not a workbook file; check the path.")
    conn = connect_file(path, "ro" if read_only else "rw", key)
    try:
        _check_is_workbook(conn, path, key)
        db = GuardedDatabase(conn)
        migrations.refuse_newer(db, path)
        migrations.refuse_tampered(db, path)
        if read_only:
            if migrations.pending(db):
                raise WorkbookError(
                    f"The workbook {path} needs upgrading by this version of ctdesk, which "
                    "cannot happen while it is open elsewhere; close it there first."
                )
            _functions(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
        else:
            _configure(conn)
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkbookError(f"The workbook {path} could not be read: {exc}.") from exc
    except BaseException:
        conn.close()
        raise
    return db


def open_reader(path: Path, key: str | None = None) -> Database:
    """A second, read-only connection to an open workbook, for work on another thread.

    It sees what other connections have committed; it never writes or migrates.
    """
    conn = connect_file(path, "ro", key)
    try:
        _check_is_workbook(conn, path, key)
        _functions(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return Database(conn)


class Interrupted(Exception):
    """A statement stopped by ``interrupt``."""


def interrupt(db: Database) -> None:
    """Stop whatever ``db`` is running now (callable from another thread)."""
    db.conn.interrupt()


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn SQLite's "interrupted" error inside the block into ``Interrupted``."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise Interrupted() from exc
        raise


def rekey(path: Path, key: str | None, new_key: str | None) -> None:
    """Rewrite the closed workbook at ``path`` under ``new_key`` (None = unencrypted).

    The new file is written beside the old one, flushed to disk, and only then put in its place
    by an atomic rename, so a crash or a full disk at any moment leaves one whole workbook: the
    old one or the new one. The caller must have closed every connection to ``path``.
    """
    if new_key is not None and not new_key:
        raise InvalidInput("An empty passphrase protects nothing; choose one, or none at all.")
    db = open_existing(path, key)
    tmp = path.with_name(f".{path.name}.rekey-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    conn = db.conn
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:  # another connection is reading or writing: its changes would be lost
            raise WorkbookError(
                f"The workbook {path} is in use by another ctdesk; close it there, then try "
                "again (it is unchanged)."
            )
        conn.execute(f"ATTACH DATABASE ? AS rekeyed KEY {_quote(new_key or '')}", [str(tmp)])
        conn.execute("SELECT sqlcipher_export('rekeyed')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
        conn.execute(f"PRAGMA rekeyed.application_id = {APPLICATION_ID}")
        conn.execute("DETACH DATABASE rekeyed")
    except sqlite3.Error as exc:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise WorkbookError(
            f"Could not rewrite the workbook {path}: {exc}; it is unchanged."
        ) from exc
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    try:
        shutil.copymode(path, tmp)  # a private workbook stays private
        fsync(tmp)
        # The old file's (now empty) journal must not meet the new file.
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookError(
            f"Could not replace the workbook {path}: {exc.strerror}; it is unchanged."
        ) from exc


def fsync(path: Path) -> None:
    """Flush a file's contents to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to the disk, where the system allows it."""
    with contextlib.suppress(OSError):  # not every system syncs a folder; the rename is atomic
        fsync(folder)


def explain(exc: BaseException) -> str | None:
    """A sentence for the user when ``exc`` is SQLite saying the storage refused (full disk,
    read-only file, busy workbook, damaged file, I/O error); None for anything else."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    if "full" in text:
        return (
            "The disk is full, so the change was not saved; free some space and it will be "
            "saved (nothing already saved is lost)."
        )
    if "readonly" in text or "read-only" in text:
        return (
            "The workbook cannot be written (its file or folder is read-only), so the change "
            "was not saved; check the file's permissions."
        )
    if "locked" in text or "busy" in text:
        return "The workbook is busy in another ctdesk; try again when that one has finished."
    if "malformed" in text or "not a database" in text:
        return (
            "The workbook is damaged (SQLite found a broken page), so this could not be done; "
            "run 'ctdesk check', then put back the newest backup ('ctdesk backups')."
        )
    if "disk i/o" in text:
        return (
            "The disk reported an error, so the change was not saved; check the drive and try "
            "again."
        )
    return None


def library_versions() -> dict[str, str]:
    """The SQLite and SQLCipher versions ctdesk runs on (for About and bug reports)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()
        sqlite_version = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    return {"SQLite": str(sqlite_version), "SQLCipher": str(cipher[0]) if cipher else "none"}
