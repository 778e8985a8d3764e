"""A workbook: one SQLite file holding the scope and an inspector's fieldwork.

``Workbook`` is the facade the GUI and the CLI both use; it owns the database connection.
Database work is serialised: use a workbook from one thread at a time.
"""

from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from ctdesk import backups, scope_data, search
from ctdesk import scope as scope_mod
from ctdesk.activity import Activities
from ctdesk.changes import Changes
from ctdesk.clock import new_id, now_iso
from ctdesk.db import connection
from ctdesk.db import records as records_db
from ctdesk.db import scope as scope_db
from ctdesk.db import search as search_db
from ctdesk.errors import NotFound, WorkbookError
from ctdesk.evidence import Documents
from ctdesk.finding import Findings
from ctdesk.marking import OFFICIAL, OFFICIAL_SENSITIVE, Marking, MarkingError, parse_marking
from ctdesk.note import Notes
from ctdesk.owner_lock import Holder, OwnerLock
from ctdesk.record import Record, Records
from ctdesk.redaction_log import RedactionLog
from ctdesk.settings import Settings

WRITE_WAIT_S = 3.0  # how long a write waits for another ctdesk to let go of the workbook


class Workbook:
    """An open workbook. Create with ``Workbook.create`` or ``Workbook.open``; close when done."""

    def __init__(
        self,
        path: Path,
        db: Database,
        settings: Settings,
        passphrase: str | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.db = db
        self.settings = settings
        self.passphrase = passphrase  # kept to open further connections (search, export)
        self.read_only = read_only
        self.owner = OwnerLock(path)
        self._owns_lock = True
        if isinstance(db, connection.GuardedDatabase):
            db.before_write = self._refuse_write if read_only else self._claim_for_write
        if not read_only:
            self._refresh_scope()
        meta = scope_db.get_meta(db)
        self.id = meta["workbook_id"]
        self.created_at = meta.get("created_at", "")
        self.scope = scope_mod.load(db)
        self.notes = Notes(self)
        self.activities = Activities(self)
        self.documents = Documents(self)
        self.findings = Findings(self)
        self.redactions = RedactionLog(self)
        if not read_only:
            self.activities.ensure_plans()

    def sibling(self) -> "Workbook":
        """Another connection to this workbook, for a worker thread (one connection per
        thread), writing under this workbook's lock. Close it when the work is done."""
        other = Workbook.open(self.path, self.settings, self.passphrase, read_only=self.read_only)
        other.owner = self.owner
        other._owns_lock = False
        return other

    def record_kinds(self) -> dict[str, Records[Any]]:
        """The services for every kind of fieldwork record, by kind."""
        return {
            "note": self.notes,
            "activity": self.activities,
            "document": self.documents,
            "finding": self.findings,
        }

    def find_record(self, ref: str) -> tuple[Records[Any], Record]:
        """The service and record for an id (or unambiguous prefix) of any kind."""
        found: list[tuple[Records[Any], Record]] = []
        for service in self.record_kinds().values():
            try:
                found.append((service, service.get(ref)))
            except NotFound:
                continue
        if len(found) == 1:
            return found[0]
        if found:
            raise NotFound(f"More than one record id starts with '{ref}'; give more of it.")
        raise NotFound(f"There is no record with id '{ref}'; run 'ctdesk trash' or a list command.")

    def search(
        self, text: str, filters: search.Filters | None = None, limit: int = search.DEFAULT_LIMIT
    ) -> search.Results:
        """Ranked full-text search over live notes, documents and findings."""
        return search.search(self.db, text, filters, limit)

    def trash(self) -> list[tuple[str, Record]]:
        """Every record in the trash as (kind, record), most recently deleted first."""
        items = [
            (kind, record)
            for kind, service in self.record_kinds().items()
            for record in service.all(deleted=True)
        ]
        return sorted(items, key=lambda item: item[1].deleted_at or "", reverse=True)

    def empty_trash(self) -> Changes:
        """Remove every record in the trash for good (their tombstones remain), after a backup
        of the workbook as it was (``before-empty-trash``; no backup, nothing removed)."""
        changes = Changes()
        if self.trash():
            backups.backup(self, "before-empty-trash")
        with self.db.atomic():
            for kind, record in self.trash():
                changes |= self.record_kinds()[kind].purge(record.id)
            if changes:
                search_db.compact(self.db)
        return changes

    def highest_marking(self) -> Marking:
        """The highest marking of the live records (OFFICIAL when there are none): what the
        workbook as a whole holds. One query over narrow rows; cheap at 100,000 notes."""
        found = records_db.highest_live_marking(self.db)
        if not found:
            return OFFICIAL
        try:
            return parse_marking(found, allow_above_official=True)
        except MarkingError:  # not in canonical form (edited outside ctdesk): err on the safe side
            return OFFICIAL_SENSITIVE

    @property
    def author(self) -> str:
        return self.settings.author

    @property
    def default_marking(self) -> str:
        return self.settings.default_marking

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    def claim(self) -> Holder | None:
        """Take the write lock now (the window does, for its whole session); returns who has
        it instead when another ctdesk does."""
        if self.read_only or self.owner.acquire():
            return None
        return self.owner.holder() or Holder("another process", 0, "unknown", "")

    def _claim_for_write(self) -> None:
        # A write by a short-lived process (the CLI) waits a little for the lock, then says who.
        self.owner.require("try again (reading it works meanwhile)", timeout=WRITE_WAIT_S)

    def _refuse_write(self) -> None:
        raise WorkbookError(
            "This workbook is open read-only here, because another ctdesk has it open for "
            "writing; close that one and reopen the workbook to make changes."
        )

    @classmethod
    def create(
        cls, path: Path, settings: Settings | None = None, passphrase: str | None = None
    ) -> "Workbook":
        """Create a workbook at ``path`` with the scope loaded; refuses to overwrite a file.

        With ``passphrase`` the workbook is encrypted (SQLCipher) from its first byte.
        """
        db = connection.create(path, passphrase)
        try:
            scope_db.set_meta(db, {"workbook_id": new_id(), "created_at": now_iso()})
            workbook = cls(path, db, settings or Settings.load(), passphrase)
            workbook.owner.acquire()
            return workbook
        except BaseException:
            db.close()
            raise

    @classmethod
    def open(
        cls,
        path: Path,
        settings: Settings | None = None,
        passphrase: str | None = None,
        *,
        read_only: bool = False,
    ) -> "Workbook":
        """Open an existing workbook, upgrading its schema and scope if this version is newer.

        An encrypted workbook needs its ``passphrase`` (``PassphraseNeeded``,
        ``WrongPassphrase`` otherwise; the file is not touched). The first write takes the
        workbook's write lock (see ``claim``); ``read_only`` never writes.
        """
        db = connection.open_existing(path, passphrase, read_only=read_only)
        try:
            return cls(path, db, settings or Settings.load(), passphrase, read_only=read_only)
        except BaseException:
            db.close()
            raise

    def _refresh_scope(self) -> None:
        # Scope data ships with ctdesk; reload it when the shipped files changed.
        version = scope_data.scope_version()
        if scope_db.get_meta(self.db).get("scope_version") != version:
            tables, meta = scope_data.scope_rows()
            scope_db.upsert_scope(self.db, tables, meta)

    def close(self) -> None:
        self.db.close()
        if self._owns_lock:  # a sibling's lock is its workbook's, which still writes
            self.owner.release()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
