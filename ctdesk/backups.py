"""Backups of a workbook: taken automatically, rotated, listed, and restored.

**Where.** Each workbook's backups are in a folder of its own under the data folder:
``<data folder>/backups/<workbook id>/`` (on Linux ``~/.local/share/ctdesk/backups/<id>/``;
``CTDESK_DATA_DIR`` moves it). They are never put beside the workbook, so a workbook kept in a
cloud-synced or shared folder does not spread copies of itself there. The folder is readable by
its owner only (where the system allows it).

**What.** A backup is a whole workbook file, copied with SQLite's online backup API from the
open workbook (everything committed, including what is still in the write-ahead log) and
encrypted with the workbook's passphrase when the workbook is encrypted. It is named for the
UTC time it was taken and why: ``20260129T094012.123Z-open.ctdesk``. The reasons are ``open``
(at most one an hour, when a workbook is opened), ``manual`` (``ctdesk backup``), and
``before-restore``, ``before-rekey``, ``before-empty-trash`` and ``before-import``, taken before
each of those operations.

**How long.** Manual backups are kept until the inspector deletes them. Of the others (the
automatic ones) ctdesk keeps the newest backup in each of the 12 most recent hours that have
one, in each of the 14 most recent days that have one, and in each of the 8 most recent weeks
(ISO weeks, UTC) that have one: dense for the last hours and sparse for the last two months.
The periods counted are those that have a backup, not the last 12 hours of the clock, so a
workbook left alone for a season still has its older backups when it is opened again. The
newest backup for each reason is kept too, so the workbook as it was before the last restore,
re-key, emptying of the trash or import survives until the next one, even when more backups
follow within the hour. That is at most 12 + 14 + 8 + 5 = 39 automatic backups; the newest
backup is never removed.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlite_utils import Database

from ctdesk import check as check_mod
from ctdesk import paths
from ctdesk.db import backup as backup_db
from ctdesk.db import connection
from ctdesk.db import scope as scope_db
from ctdesk.errors import CtdeskError, PassphraseNeeded, WorkbookError, WrongPassphrase
from ctdesk.owner_lock import OwnerLock

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

REASONS = (
    "open",
    "manual",
    "before-restore",
    "before-rekey",
    "before-empty-trash",
    "before-import",
)
AUTOMATIC = tuple(r for r in REASONS if r != "manual")
KEPT_HOURS, KEPT_DAYS, KEPT_WEEKS = 12, 14, 8
OPEN_INTERVAL = timedelta(hours=1)
SUFFIX = ".ctdesk"
_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{3}Z)-([a-z-]+)" + re.escape(SUFFIX) + "$")
_STAMP = "%Y%m%dT%H%M%S"


class Stamp(NamedTuple):
    """When a backup was taken (UTC) and why: all rotation needs to know about it."""

    at: datetime
    reason: str


@dataclass(frozen=True)
class Backup:
    """A backup file in a workbook's backup folder."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    encrypted: bool

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.taken_at, self.reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "taken_at": self.taken_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "reason": self.reason,
            "size": self.size,
            "encrypted": self.encrypted,
        }


# ---- names and folders ---------------------------------------------------------------------


def root() -> Path:
    """The folder holding every workbook's backup folder."""
    return paths.data_dir() / "backups"


def folder_for(workbook_id: str) -> Path:
    """The backup folder of the workbook with this id."""
    safe = re.sub(r"[^A-Za-z0-9-]", "_", workbook_id)[:64] or "unnamed"
    return root() / safe


def file_name(at: datetime, reason: str) -> str:
    """A backup's file name: its UTC time to the millisecond and its reason."""
    at = at.astimezone(UTC)
    return f"{at.strftime(_STAMP)}.{at.microsecond // 1000:03d}Z-{reason}{SUFFIX}"


def parse_name(name: str) -> Stamp | None:
    """The time and reason in a backup's file name; None for any other file."""
    match = _NAME.match(name)
    if not match or match.group(2) not in REASONS:
        return None
    stamp, reason = match.groups()
    try:
        at = datetime.strptime(stamp[:-1] + "000", _STAMP + ".%f").replace(tzinfo=UTC)
    except ValueError:
        return None
    return Stamp(at, reason)


def list_backups(folder: Path) -> list[Backup]:
    """The backups in a folder, newest first (other files are ignored)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        stamp = parse_name(path.name)
        if stamp is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        encrypted = connection.is_encrypted(path)
        found.append(Backup(path, stamp.at, stamp.reason, size, encrypted))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def backups_for_path(path: Path) -> list[Backup]:
    """The backups of the workbook at ``path``, newest first, found without opening it (for a
    workbook too damaged to open)."""
    wanted = str(path.resolve())
    try:
        folders = [f for f in root().iterdir() if f.is_dir()]
    except OSError:
        return []
    for folder in folders:
        try:
            if (folder / SOURCE_FILE).read_text(encoding="utf-8").strip() == wanted:
                return list_backups(folder)
        except OSError:
            continue
    return []


def restore_newest_good(path: Path, passphrase: str | None) -> Backup:
    """Put back the newest backup of ``path`` that passes its check (the damaged file is kept
    beside the backups); raises ``WorkbookError`` if none does."""
    last: CtdeskError | None = None
    for candidate in backups_for_path(path):
        try:
            restore(path, candidate.path, passphrase)
        except CtdeskError as exc:
            last = exc
            continue
        return candidate
    why = f" ({last})" if last else ""
    raise WorkbookError(f"No backup of {path} could be restored{why}; check the backups folder.")


def backups_of(wb: "Workbook") -> list[Backup]:
    """An open workbook's backups, newest first."""
    return list_backups(folder_for(wb.id))


# ---- rotation ------------------------------------------------------------------------------


def _newest_per_period(stamps: Sequence[Stamp], period: Any, count: int) -> set[Stamp]:
    """The newest stamp in each of the ``count`` most recent periods that have one
    (``stamps`` newest first)."""
    kept: set[Stamp] = set()
    seen: set[Any] = set()
    for stamp in stamps:
        key = period(stamp.at)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(stamp)
    return kept


def _hour(at: datetime) -> tuple[int, int, int, int]:
    return (at.year, at.month, at.day, at.hour)


def _day(at: datetime) -> tuple[int, int, int]:
    return (at.year, at.month, at.day)


def _week(at: datetime) -> tuple[int, int]:
    iso = at.isocalendar()
    return (iso.year, iso.week)


def to_keep(stamps: Iterable[Stamp]) -> set[Stamp]:
    """Which backups rotation keeps: every manual one, and of the others the newest in each of
    the 12 most recent hours, 14 most recent days and 8 most recent weeks that have one, and
    the newest for each reason.

    A pure function of the stamps (UTC times), so the promise can be tested on its own.
    """
    unique = set(stamps)
    automatic = sorted((s for s in unique if s.reason != "manual"), reverse=True)
    kept = {s for s in unique if s.reason == "manual"}
    kept |= _newest_per_period(automatic, _hour, KEPT_HOURS)
    kept |= _newest_per_period(automatic, _day, KEPT_DAYS)
    kept |= _newest_per_period(automatic, _week, KEPT_WEEKS)
    for reason in AUTOMATIC:  # the state before the last restore, re-key, ... always survives
        kept |= _newest_per_period([s for s in automatic if s.reason == reason], _hour, 1)
    return kept


_STALE_PARTIAL = timedelta(hours=1)


def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Remove the backups in ``folder`` that ``to_keep`` does not keep, and copies left half
    written by a crash; the paths removed."""
    backups = list_backups(folder)
    kept = to_keep(b.stamp for b in backups)
    removed = []
    for backup in backups:
        if backup.stamp not in kept:
            backup_db.remove_file(backup.path)
            removed.append(backup.path)
    now = now or datetime.now(UTC)
    for partial in folder.glob(f".*{backup_db.PARTIAL_SUFFIX}"):
        try:
            age = now - datetime.fromtimestamp(partial.stat().st_mtime, UTC)
        except OSError:
            continue
        if age > _STALE_PARTIAL:  # older than any backup still being written
            backup_db.remove_file(partial)
    return removed


# ---- taking backups ------------------------------------------------------------------------


def _check_reason(reason: str) -> None:
    if reason not in REASONS:
        raise ValueError(f"not a backup reason: {reason}")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise WorkbookError(
            f"Cannot create the backup folder {folder}: {exc.strerror or exc}."
        ) from exc


def _free_name(folder: Path, at: datetime, reason: str) -> Path:
    path = folder / file_name(at, reason)
    while path.exists():  # two backups in the same millisecond
        at += timedelta(milliseconds=1)
        path = folder / file_name(at, reason)
    return path


SOURCE_FILE = "workbook-path.txt"  # in each backup folder: where its workbook lives


def _backup_db(
    db: Database,
    key: str | None,
    workbook_id: str,
    reason: str,
    now: datetime | None,
    source: Path,
) -> Path:
    _check_reason(reason)
    folder = folder_for(workbook_id)
    _make_folder(folder)
    # A damaged workbook cannot say its id; this says which folder holds its backups.
    with suppress(OSError):
        (folder / SOURCE_FILE).write_text(str(source.resolve()), encoding="utf-8")
    now = now or datetime.now(UTC)
    target = _free_name(folder, now, reason)
    backup_db.copy_database(db, target, key)
    rotate(folder, now)
    return target


@contextmanager
def _reader(wb: "Workbook") -> Iterator[Database]:
    """A connection of its own to copy an open workbook from: what is committed, without
    waiting on (or for) the workbook's own connection, from any thread."""
    try:
        db = connection.open_reader(wb.path, wb.passphrase)
    except (CtdeskError, connection.Error):
        yield wb.db  # where no second connection opens, the workbook's own will do
        return
    try:
        yield db
    finally:
        db.close()


def backup(wb: "Workbook", reason: str = "manual", *, now: datetime | None = None) -> Path:
    """Back up an open workbook into its backup folder (encrypted like it), then rotate that
    folder; the new backup's path. Raises ``WorkbookError`` with a sentence if it cannot.

    It reads only ``wb.path``, ``wb.passphrase`` and ``wb.id`` and copies through a connection
    of its own, so it may run on a worker thread while the window goes on using ``wb``."""
    with _reader(wb) as db:
        return _backup_db(db, wb.passphrase, wb.id, reason, now, wb.path)


def backup_to(wb: "Workbook", out: Path) -> Path:
    """Copy an open workbook to exactly ``out`` (encrypted like it); never overwrites a file.
    The copy is not one of the workbook's rotated backups."""
    if out.is_dir():
        raise WorkbookError(f"{out} is a folder; give the path of the new file.")
    if not out.parent.is_dir():
        raise WorkbookError(f"There is no folder {out.parent}; create it or choose another.")
    with _reader(wb) as db:
        backup_db.copy_database(db, out, wb.passphrase)
    return out


def backup_on_open(wb: "Workbook", *, now: datetime | None = None) -> Path | None:
    """Back up a workbook just opened, unless its newest backup is under an hour old; the new
    backup's path, or None when none was needed. Like ``backup``, it may run on a worker
    thread (a large workbook takes seconds: about 80 MB a second when encrypted)."""
    now = now or datetime.now(UTC)
    found = backups_of(wb)
    if found and timedelta(0) <= now - found[0].taken_at < OPEN_INTERVAL:
        return None
    return backup(wb, "open", now=now)


def backup_file(
    path: Path, passphrase: str | None, reason: str, *, now: datetime | None = None
) -> Path:
    """Back up the closed workbook at ``path`` (opening it for the copy, then closing it);
    for operations that work on the file, such as changing its passphrase."""
    _check_reason(reason)
    db = connection.open_existing(path, passphrase)
    try:
        workbook_id = scope_db.get_meta(db)["workbook_id"]
        return _backup_db(db, passphrase, workbook_id, reason, now, path)
    finally:
        db.close()


def rekey_backups(path: Path, old: str | None, new: str | None) -> int:
    """After the workbook at ``path`` was re-keyed from ``old`` to ``new`` (None: no
    passphrase), re-key its backups (those ``old`` opens, and any unencrypted ones), so that
    they are encrypted like the workbook and open with its passphrase; how many were left as
    they were (under another passphrase, or damaged)."""
    db = connection.open_existing(path, new)
    try:
        workbook_id = scope_db.get_meta(db)["workbook_id"]
    finally:
        db.close()
    left = 0
    for found in list_backups(folder_for(workbook_id)):
        if not found.encrypted and new is None:
            continue  # already as the workbook is
        try:
            connection.rekey(found.path, old if found.encrypted else None, new)
        except WorkbookError:  # another passphrase, or damaged: left as it is
            left += 1
    return left


# ---- restoring -----------------------------------------------------------------------------


def _refusal(backup: Path, exc: CtdeskError) -> WorkbookError:
    if isinstance(exc, PassphraseNeeded):
        return PassphraseNeeded(
            f"The backup {backup} is encrypted; give its passphrase (nothing was changed)."
        )
    if isinstance(exc, WrongPassphrase):
        return WrongPassphrase(
            f"The passphrase does not open the backup {backup}, or it is not a ctdesk "
            "workbook; nothing was changed."
        )
    if "newer version" in str(exc):
        return WorkbookError(
            f"The backup {backup} was written by a newer version of ctdesk; update ctdesk "
            "to restore it (nothing was changed)."
        )
    return WorkbookError(
        f"The backup {backup} is damaged or not a ctdesk workbook, so it was not restored "
        "(nothing was changed)."
    )


def _verified_copy(backup: Path, tmp: Path, key: str | None) -> str:
    """Copy the backup to ``tmp`` and check the copy; its workbook id. Raises, and removes
    the copy, if the backup does not open or fails its check."""
    try:
        backup_db.remove_file(tmp)
        backup_db.copy_file(backup, tmp)
    except WorkbookError:
        backup_db.remove_file(tmp)
        raise
    try:
        db = connection.open_existing(tmp, key)
    except CtdeskError as exc:
        backup_db.remove_file(tmp)
        raise _refusal(backup, exc) from exc
    except connection.Error as exc:
        backup_db.remove_file(tmp)
        raise _refusal(backup, WorkbookError(str(exc))) from exc
    try:
        problems = check_mod.check_db(db, encrypted=key is not None)
        workbook_id = "" if problems else scope_db.get_meta(db).get("workbook_id", "")
    except connection.Error as exc:
        db.close()
        backup_db.remove_file(tmp)
        raise _refusal(backup, WorkbookError(str(exc))) from exc
    db.close()
    if problems:
        backup_db.remove_file(tmp)
        first = problems[0].text.replace(f"; {check_mod.RESTORE_HINT}", "").rstrip(".")
        raise WorkbookError(
            f"The backup {backup} fails its check, so it was not restored (nothing was "
            f"changed): {first[0].lower()}{first[1:]}."
        )
    return workbook_id


def _backup_before_restore(
    path: Path, passphrase: str | None, fallback_id: str, now: datetime | None
) -> Path:
    """Back up the workbook about to be replaced; a byte-for-byte copy when it cannot be
    opened (damaged, or another passphrase), so that nothing it held is lost."""
    try:
        made = backup_file(path, passphrase, "before-restore", now=now)
    except (CtdeskError, connection.Error):
        folder = folder_for(fallback_id)
        _make_folder(folder)
        made = _free_name(folder, now or datetime.now(UTC), "before-restore")
        backup_db.copy_file(path, made)
        return made
    if Path(f"{path}-wal").exists() or Path(f"{path}-shm").exists():
        # Closing the last connection removes them: another program has the workbook open.
        raise WorkbookError(
            f"The workbook {path} is open in another ctdesk (or another program); close it "
            "and try again (nothing was changed)."
        )
    return made


def restore(
    path: Path,
    backup: Path,
    passphrase: str | None,
    *,
    backup_passphrase: str | None = None,
    now: datetime | None = None,
) -> Path | None:
    """Replace the workbook at ``path`` by ``backup``; the backup taken of the workbook first
    (None when there was no workbook at ``path``).

    ``passphrase`` opens the workbook, ``backup_passphrase`` (default: the same) the backup.
    The backup is first copied beside the workbook and checked (it must open and pass
    ``ctdesk check``); a backup that fails is refused with a sentence and nothing is changed.
    Then the workbook is backed up (``before-restore``) and replaced by the checked copy with
    an atomic rename, holding the workbook's write lock. The caller must have closed the
    workbook (the GUI closes its window's workbook first); a workbook open elsewhere, for
    writing or for reading, is refused and left as it was.
    """
    backup = backup.expanduser()
    if not backup.is_file():
        raise WorkbookError(
            f"There is no backup at {backup}; run 'ctdesk backups' to see the backups."
        )
    if path.exists() and path.resolve() == backup.resolve():
        raise WorkbookError(f"{backup} is the workbook itself, not a backup of it.")
    if backup_passphrase is None:
        backup_passphrase = passphrase
    key = backup_passphrase if connection.is_encrypted(backup) else None
    if connection.is_encrypted(backup) and key is None:
        raise PassphraseNeeded(
            f"The backup {backup} is encrypted; give its passphrase (nothing was changed)."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
    tmp = backup_db.partial_name(path)
    workbook_id = _verified_copy(backup, tmp, key)
    lock = OwnerLock(path)
    try:
        lock.require("restore (nothing was changed)")
        before = (
            _backup_before_restore(path, passphrase, workbook_id, now) if path.exists() else None
        )
        backup_db.replace_workbook(tmp, path)
    except OSError as exc:
        raise WorkbookError(
            f"Could not replace the workbook {path}: {exc.strerror or exc}; it is unchanged."
        ) from exc
    finally:
        lock.release()
        backup_db.remove_file(tmp)
    return before
