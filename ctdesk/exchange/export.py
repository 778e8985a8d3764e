"""Making a bundle: the chosen records with their whole histories, tombstones and files."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctdesk import marking as marking_mod
from ctdesk.activity import PLAN_WORKBOOK
from ctdesk.clock import now_iso
from ctdesk.db import exchange as exchange_db
from ctdesk.exchange import bundle, crypto, files

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Encryption:
    """How a bundle is sealed: a passphrase, recipients' public keys, or (explicitly) nothing."""

    passphrase: str | None = None
    recipients: tuple[str, ...] = ()
    none: bool = False

    def __post_init__(self) -> None:
        chosen = sum((self.passphrase is not None, bool(self.recipients), self.none))
        if chosen != 1:
            raise crypto.BundleError(
                "A bundle is encrypted with a passphrase or to recipients' public keys "
                "(--passphrase-file or --recipient); to write it unencrypted, say --no-encrypt."
            )

    def seal(self, data: bytes) -> bytes:
        if self.passphrase is not None:
            return crypto.encrypt_with_passphrase(data, self.passphrase)
        if self.recipients:
            return crypto.encrypt_to(data, self.recipients)
        return data

    @property
    def label(self) -> str:
        if self.passphrase is not None:
            return "passphrase"
        return "recipients" if self.recipients else "none"


@dataclass(frozen=True)
class Made:
    """A bundle written: where, its manifest, and how it is sealed."""

    path: Path
    manifest: dict[str, Any]
    encryption: str
    size: int


def chosen_records(wb: "Workbook", forces: Sequence[str] | None, since: str | None) -> set[str]:
    """Ids of the records a bundle carries: those in ``forces`` (all when None) changed since
    ``since``, and whatever they refer to, so the receiving workbook can store them."""
    ids: set[str] = set()
    for service in wb.record_kinds().values():
        ids.update(exchange_db.record_ids(wb.db, service.table, forces, since))
    todo = set(ids)
    while todo:  # a finding cites a note that records an activity, ...
        todo = exchange_db.references(wb.db, todo) - ids
        ids |= todo
    return ids


def _tombstones(
    wb: "Workbook", forces: Sequence[str] | None, since: str | None
) -> list[dict[str, Any]]:
    chosen = []
    for row in exchange_db.tombstones(wb.db):
        content = json.loads(row["content"])
        if forces is not None and content.get("force") not in forces:
            continue
        if since is not None and row["created_at"] < since:
            continue
        chosen.append(row)
    return chosen


def _wire(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "parents": json.loads(row["parents"])}


def _without_untouched_plan(revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out plan activities nobody has touched: every workbook generates them itself."""
    touched = {r["record_id"] for r in revisions if r["workbook_id"] != PLAN_WORKBOOK}
    return [r for r in revisions if r["record_id"] in touched]


def build(
    wb: "Workbook",
    *,
    forces: Sequence[str] | None = None,
    since: str | None = None,
    since_label: str | None = None,
    progress: Progress | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """A bundle's (unencrypted) bytes and its manifest."""
    say = progress or (lambda _: None)
    with files.no_cycle_collection():
        return _build(wb, forces, since, since_label, say)


def _build(
    wb: "Workbook",
    forces: Sequence[str] | None,
    since: str | None,
    since_label: str | None,
    say: Progress,
) -> tuple[bytes, dict[str, Any]]:
    say("Choosing records")
    ids = chosen_records(wb, forces, since)
    say("Reading histories")
    revisions = _without_untouched_plan(
        [_wire(r) for r in exchange_db.all_revisions_of(wb.db, ids)]
    )
    tombs = [_wire(r) for r in _tombstones(wb, forces, since) if r["record_id"] not in ids]
    revisions.extend(tombs)
    counts: dict[str, int] = {}
    heads = {}
    markings = []
    file_hashes: set[str] = set()
    for rev in revisions:
        content = json.loads(rev["content"])
        heads[rev["record_id"]] = rev["kind"]
        if isinstance(content.get("marking"), str):
            markings.append(content["marking"])
        if content.get("attachment_hash"):
            file_hashes.add(content["attachment_hash"])
    for kind in heads.values():
        counts[kind] = counts.get(kind, 0) + 1
    counts["revisions"] = len(revisions)
    counts["tombstones"] = len(tombs)
    counts["attachments"] = len(file_hashes)
    highest = marking_mod.highest(
        marking_mod.parse_marking(m, allow_above_official=True) for m in set(markings)
    )
    manifest = {
        "format": bundle.FORMAT,
        "version": bundle.VERSION,
        "workbook_id": wb.id,
        "author": wb.author,
        "created_at": now_iso(),
        "scope": {
            "inspection": wb.scope.current.id,
            "forces": list(forces) if forces is not None else None,
            "since": since_label,
        },
        "highest_marking": str(highest),
        "counts": counts,
    }
    say("Packing")
    data = bundle.pack(manifest, revisions, exchange_db.attachments(wb.db, sorted(file_hashes)))
    return data, manifest


def export_bundle(
    wb: "Workbook",
    out: Path,
    encryption: Encryption,
    *,
    forces: Sequence[str] | None = None,
    since: str | None = None,
    since_label: str | None = None,
    progress: Progress | None = None,
) -> Made:
    """Write a bundle to ``out`` (whole or not at all)."""
    data, manifest = build(
        wb, forces=forces, since=since, since_label=since_label, progress=progress
    )
    return write(out, data, manifest, encryption, progress=progress)


def write(
    out: Path,
    data: bytes,
    manifest: dict[str, Any],
    encryption: Encryption,
    *,
    progress: Progress | None = None,
) -> Made:
    """Seal a built bundle (see ``build``) and write it to ``out``, whole or not at all."""
    if progress:
        progress("Encrypting" if encryption.label != "none" else "Writing")
    sealed = encryption.seal(data)
    files.write_atomically(out, sealed)
    return Made(out, manifest, encryption.label, len(sealed))
