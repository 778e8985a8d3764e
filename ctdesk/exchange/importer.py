"""Importing a bundle: check everything, work out what changes, then write it in one transaction.

Revisions this workbook already holds are skipped unread, which is what makes a second import of
the same bundle cheap and change nothing. The rest are checked against their hashes, then each
record they touch is derived again from all its revisions (``ctdesk.merge``).
"""

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctdesk import backups, history, merge
from ctdesk.changes import Changes
from ctdesk.clock import now_iso
from ctdesk.db import attachments as attachments_db
from ctdesk.db import exchange as exchange_db
from ctdesk.errors import CtdeskError
from ctdesk.exchange import bundle, crypto, files
from ctdesk.exchange.crypto import BundleError
from ctdesk.exchange.files import no_cycle_collection
from ctdesk.exchange.state import Batch
from ctdesk.marking import parse_marking
from ctdesk.record import Records
from ctdesk.storage import StoreError

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Receipt:
    """What an import did (or, for a dry run, would do), counted in records."""

    added: int
    updated: int
    unchanged: int
    deleted: int
    conflicts: int
    conflict_ids: tuple[str, ...]
    manifest: dict[str, Any]
    dry_run: bool
    changes: Changes = field(default_factory=Changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "conflicts": self.conflicts,
            "dry_run": self.dry_run,
            "conflict_ids": list(self.conflict_ids),
        }

    def sentence(self) -> str:
        """The receipt in one sentence, for the terminal and the window."""
        changed = self.added + self.updated + self.deleted + self.conflicts
        if not changed:
            return f"Nothing new: all {self.unchanged} records in the bundle are already here."
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.deleted} moved to the trash",
            f"{self.unchanged} unchanged",
        ]
        if self.conflicts:
            parts.append(f"{self.conflicts} in conflict (both versions kept; see Conflicts)")
        head = "Importing would give" if self.dry_run else "Imported"
        return f"{head}: {', '.join(parts)}."


def open_bundle(
    path: Path, *, passphrase: str | None = None, identities: Sequence[str] = ()
) -> bytes:
    """A bundle file's zip bytes, decrypted when it is encrypted."""
    data = files.read(path)
    if crypto.encryption_of(data) == "none":
        return data
    return crypto.decrypt(data, passphrase=passphrase, identities=identities)


def _short(ident: str) -> str:
    return ident[:8]


def _check_scope(wb: "Workbook", revisions: Iterable[Mapping[str, Any]]) -> None:
    """Refuse revisions naming forces, inspections or areas this workbook's scope lacks."""
    force_ids = {f.id for f in wb.scope.forces}
    inspection_ids = {i.id for i in wb.scope.inspections}
    area_ids = {a.id for i in wb.scope.inspections for a in i.areas}
    for rev in revisions:
        content = rev["parsed"]
        force, inspection = content.get("force"), content.get("inspection")
        areas = list(content.get("areas") or [])
        if content.get("area_id"):
            areas.append(content["area_id"])
        if (
            (force is not None and force not in force_ids)
            or (inspection is not None and inspection not in inspection_ids)
            or any(a not in area_ids for a in areas)
        ):
            raise BundleError(
                "The bundle refers to forces or areas this workbook's scope does not have "
                f"(in a {rev['kind']} {_short(rev['record_id'])}); update ctdesk on both "
                "laptops, then export the bundle again."
            )


# Text ctdesk never stores: control characters (but tab and newline) and lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _storable(service: Records[Any], content: Mapping[str, Any]) -> str | None:
    """Why a revision's content is not something ctdesk would have stored, or None if it is:
    the right kinds of values, no control characters, and a marking ctdesk accepts."""
    if content.get("purged"):
        return None
    for name in service.columns:
        value = content.get(name)
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return f"its {name} holds control characters"
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            return f"its {name} is not text"
    for name in service.links:
        value = content.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"its {name} are not a list of ids"
    return _marking_refusal(str(content.get("marking")))


@functools.lru_cache(maxsize=256)
def _marking_refusal(marking: str) -> str | None:
    """Why a marking is refused, or None (cached: a bundle holds a handful, many times)."""
    try:
        parse_marking(marking)
    except CtdeskError as exc:
        return f"its marking is refused ({str(exc).rstrip('.')})"
    return None


def _verified(
    revisions: Iterable[dict[str, Any]], services: Mapping[str, Records[Any]]
) -> list[dict[str, Any]]:
    """Revisions in stored form, each checked against its hashes."""
    rows = []
    for rev in revisions:
        row = {**rev, "parents": history.canonical(sorted(rev["parents"]))}
        content_ok, hash_ok = history.verify_row(row)
        if not (content_ok and hash_ok) or rev["kind"] not in services:
            raise BundleError(
                f"Revision {_short(rev['hash'])} in the bundle does not match its hash (it was "
                "altered after it was made), so nothing was imported; ask for the bundle again."
            )
        try:
            parsed = json.loads(row["content"])
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, dict):
            raise BundleError(
                f"Revision {_short(rev['hash'])} in the bundle has no readable content, so "
                "nothing was imported; ask for the bundle again."
            )
        why = _storable(services[rev["kind"]], parsed)
        if why is not None:
            raise BundleError(
                f"A {rev['kind']} in the bundle cannot be stored here: {why}; nothing was imported."
            )
        row["parsed"] = parsed
        rows.append(row)
    return rows


def _forgotten(wb: "Workbook") -> set[str]:
    """Revisions removed here when the trash was emptied: already known, never taken back."""
    gone: set[str] = set()
    for row in exchange_db.tombstones(wb.db):
        gone.update(json.loads(row["parents"]))
        content = json.loads(row["content"])
        gone.update(content.get("forgotten") or [])
    return gone


@dataclass
class _Plan:
    new: list[dict[str, Any]]
    batch: Batch
    receipt: Receipt
    files: dict[str, tuple[bytes, str]]


def plan(wb: "Workbook", contents: bundle.Contents, *, dry_run: bool) -> _Plan:
    """What importing ``contents`` changes, worked out without writing anything."""
    services = wb.record_kinds()
    incoming = contents.revisions
    bundle_records = {r["record_id"]: r["kind"] for r in incoming}
    known = exchange_db.known_hashes(wb.db, (r["hash"] for r in incoming)) | _forgotten(wb)
    fresh, seen = [], set()
    for rev in incoming:
        if rev["hash"] not in known and rev["hash"] not in seen:
            seen.add(rev["hash"])
            fresh.append(rev)
    new = _verified(fresh, services)
    _check_scope(wb, new)
    touched: dict[str, str] = {r["record_id"]: r["kind"] for r in new}
    local = exchange_db.revisions_of(wb.db, touched)
    for rid, rows in local.items():
        if any(r["kind"] != touched[rid] for r in rows):
            raise BundleError(
                f"The bundle's record {_short(rid)} is a {touched[rid]} here it is a "
                f"{rows[0]['kind']}; it was not made by ctdesk, so nothing was imported."
            )
    by_record: dict[str, list[history.Revision]] = {
        rid: [history.from_row(r) for r in rows] for rid, rows in local.items()
    }
    for row in new:
        by_record.setdefault(row["record_id"], []).append(history.from_row(row, row["parsed"]))
    before: dict[str, Mapping[str, Any]] = {}
    for kind, service in services.items():
        before.update(
            exchange_db.heads(wb.db, service.table, [r for r, k in touched.items() if k == kind])
        )
    old_conflicts = exchange_db.conflict_tips(wb.db, touched)
    batch = Batch()
    added = updated = deleted = 0
    conflict_ids: list[str] = []
    kinds_changed: set[str] = set()
    for rid, kind in touched.items():
        outcome = merge.derive(by_record[rid])
        batch.add(kind, rid, outcome)
        old = before.get(rid)
        if outcome.conflict and list(outcome.conflict) != old_conflicts.get(rid):
            conflict_ids.append(rid)
        elif outcome.content is None or (old is not None and old["head"] == outcome.head.hash):
            continue
        elif old is None:
            added += 1
        elif outcome.deleted_since is not None and old["deleted_at"] is None:
            deleted += 1
        else:
            updated += 1
        kinds_changed.add(kind)
    counted = added + updated + deleted + len(conflict_ids)
    receipt = Receipt(
        added=added,
        updated=updated,
        unchanged=len(bundle_records) - counted,
        deleted=deleted,
        conflicts=len(conflict_ids),
        conflict_ids=tuple(sorted(conflict_ids)),
        manifest=contents.manifest,
        dry_run=dry_run,
        changes=Changes(frozenset(kinds_changed), frozenset(touched)),
    )
    return _Plan(new, batch, receipt, _files(wb, new, contents))


def _files(
    wb: "Workbook", new: Sequence[Mapping[str, Any]], contents: bundle.Contents
) -> dict[str, tuple[bytes, str]]:
    """Attached files new revisions need that this workbook lacks: ``{hash: (bytes, name)}``."""
    wanted = {
        r["parsed"]["attachment_hash"]: str(r["parsed"].get("attachment_name") or "")
        for r in new
        if r["parsed"].get("attachment_hash")
    }
    missing = set(wanted) - exchange_db.known_attachments(wb.db, wanted)
    found = {}
    for file_hash in sorted(missing):
        data = contents.attachments.get(file_hash)
        if data is None or bundle.sha256(data) != file_hash:
            raise BundleError(
                f"The bundle lacks the attached file {_short(file_hash)} a document needs, so "
                "nothing was imported; ask for the bundle again."
            )
        found[file_hash] = (data, wanted[file_hash])
    return found


def apply(
    wb: "Workbook", contents: bundle.Contents, *, dry_run: bool = False, backed_up: bool = False
) -> Receipt:
    """Import checked bundle contents (after a backup, unless the caller ``backed_up`` already;
    one transaction), or only count what would change when ``dry_run``."""
    with no_cycle_collection():
        work = plan(wb, contents, dry_run=dry_run)
    if dry_run or not work.new:
        return work.receipt
    if not backed_up:
        backups.backup(wb, "before-import")
    db = wb.db
    try:
        with no_cycle_collection(), db.atomic():
            # What a record refers to may come later in the same bundle: check at commit.
            db.execute("PRAGMA defer_foreign_keys = ON")
            for file_hash, (data, name) in work.files.items():
                attachments_db.put(db, file_hash, data, now_iso(), name)
            exchange_db.insert_revisions(
                db, [{k: v for k, v in r.items() if k != "parsed"} for r in work.new]
            )
            work.batch.write(wb)
    except StoreError as exc:
        if "FOREIGN KEY" in str(exc).upper():
            raise BundleError(
                "The bundle refers to records it does not carry and this workbook does not "
                "have, so nothing was imported; ask for a bundle of the whole workbook."
            ) from exc
        raise
    return work.receipt


def import_bundle(
    wb: "Workbook",
    path: Path,
    *,
    passphrase: str | None = None,
    identities: Sequence[str] = (),
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Receipt:
    """Import a bundle file (see ``apply``); nothing changes unless every check passes."""
    say = progress or (lambda _: None)
    say("Reading the bundle")
    data = open_bundle(path, passphrase=passphrase, identities=identities)
    say("Checking the bundle")
    with no_cycle_collection():
        contents = bundle.unpack(data)
    say("Merging" if not dry_run else "Comparing")
    return apply(wb, contents, dry_run=dry_run)
