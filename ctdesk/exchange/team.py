"""The team folder: a folder the organisation's file sync shares, where each workbook leaves its
bundle and takes everyone else's.

How bundles there are sealed is a workbook setting (kept in the workbook, so it travels with it):
the team's passphrase (given each time, never stored) or the members' public keys.
"""

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctdesk import backups
from ctdesk.db import exchange as exchange_db
from ctdesk.db import scope as scope_db
from ctdesk.errors import CtdeskError, InvalidInput
from ctdesk.exchange import bundle, crypto, export, files, importer

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

Progress = Callable[[str], None]
_FOLDER, _RECIPIENTS, _SEEN, _WRITTEN = (
    "team.folder",
    "team.recipients",
    "team.seen.",
    "team.written",
)


@dataclass(frozen=True)
class TeamSettings:
    """Where the team folder is, and the public keys bundles there are encrypted to (none: the
    team's passphrase)."""

    folder: Path | None
    recipients: tuple[str, ...]

    @property
    def encryption(self) -> str:
        return "recipients" if self.recipients else "passphrase"

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder) if self.folder else None,
            "encryption": self.encryption,
            "recipients": list(self.recipients),
        }


def settings(wb: "Workbook") -> TeamSettings:
    stored = exchange_db.get_settings(wb.db, "team.")
    folder = stored.get(_FOLDER)
    return TeamSettings(
        Path(folder) if folder else None, tuple(json.loads(stored.get(_RECIPIENTS, "[]")))
    )


def configure(
    wb: "Workbook", *, folder: Path | None = None, recipients: Sequence[str] | None = None
) -> TeamSettings:
    """Change the team folder and/or its public keys (an empty list: use a passphrase)."""
    values: dict[str, str] = {}
    if folder is not None:
        values[_FOLDER] = str(folder.expanduser().resolve())
    if recipients is not None:
        keys = sorted({crypto.parse_recipient(r) for r in recipients})
        values[_RECIPIENTS] = json.dumps(keys)
    if values:
        with wb.db.atomic():
            scope_db.set_meta(wb.db, values)
    return settings(wb)


@dataclass
class SyncReport:
    """What a sync did: our bundle written or not, each other bundle's receipt or refusal."""

    folder: Path
    own: Path
    wrote: bool
    receipts: dict[str, importer.Receipt] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # unchanged since the last sync
    refused: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "bundle": str(self.own),
            "wrote": self.wrote,
            "imported": {name: r.to_json() for name, r in self.receipts.items()},
            "unchanged": self.skipped,
            "refused": self.refused,
            "warnings": self.warnings,
        }


def own_name(wb: "Workbook") -> str:
    """This workbook's bundle in the team folder: its author and id, so names never clash."""
    slug = re.sub(r"[^a-z0-9]+", "-", wb.author.lower()).strip("-") or "inspector"
    return f"{slug[:40]}-{wb.id[:8]}{files.SUFFIX}"


def inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _digest(wb: "Workbook", where: Path) -> str:
    """Changes whenever what this workbook would put in its bundle there changes (records,
    folder, keys)."""
    ids = export.chosen_records(wb, None, None)
    hashes = sorted(r["hash"] for r in exchange_db.all_revisions_of(wb.db, ids))
    hashes += sorted(r["hash"] for r in exchange_db.tombstones(wb.db))
    hashes += [str(where.resolve()), json.dumps(settings(wb).to_json(), sort_keys=True)]
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def sync(
    wb: "Workbook",
    folder: Path | None = None,
    *,
    passphrase: str | None = None,
    identities: Sequence[str] = (),
    progress: Progress | None = None,
) -> SyncReport:
    """Import every other bundle in the team folder that changed since the last sync, then
    write this workbook's bundle there if its content changed. One bundle refused does not
    stop the others."""
    say = progress or (lambda _: None)
    team = settings(wb)
    where = folder or team.folder
    if where is None:
        raise InvalidInput(
            "No team folder is set; give one with --folder, or set it with 'ctdesk team set'."
        )
    where = where.expanduser()
    if not where.is_dir():
        raise InvalidInput(f"The team folder {where} does not exist; check the path.")
    if team.recipients:
        encryption = export.Encryption(recipients=team.recipients)
    elif passphrase is not None:
        encryption = export.Encryption(passphrase=crypto.check_passphrase(passphrase))
    else:
        raise InvalidInput(
            "The team folder's bundles use the team's passphrase; give it with "
            "--passphrase-file or CTDESK_PASSPHRASE."
        )
    report = SyncReport(where, where / own_name(wb), wrote=False)
    if inside(wb.path, where):
        report.warnings.append(
            f"The workbook itself is inside the team folder {where}; move it out (the file "
            "sync can damage an open workbook), and share bundles only."
        )
    seen = exchange_db.get_settings(wb.db, _SEEN)
    backed_up = False
    for path in sorted(where.glob(f"*{files.SUFFIX}")):
        if path.name == report.own.name:
            continue
        try:
            data = files.read(path)
            digest = hashlib.sha256(data).hexdigest()
            if seen.get(_SEEN + path.name) == digest:
                report.skipped.append(path.name)
                continue
            say(f"Importing {path.name}")
            if crypto.encryption_of(data) != "none":
                data = crypto.decrypt(data, passphrase=passphrase, identities=identities)
            if not backed_up:  # one backup before the first bundle that may change anything
                backups.backup(wb, "before-import")
                backed_up = True
            report.receipts[path.name] = importer.apply(wb, bundle.unpack(data), backed_up=True)
            with wb.db.atomic():
                scope_db.set_meta(wb.db, {_SEEN + path.name: digest})
        except CtdeskError as exc:
            report.refused[path.name] = str(exc)
    say("Writing this workbook's bundle")
    digest = _digest(wb, where)
    stored = exchange_db.get_settings(wb.db, _WRITTEN).get(_WRITTEN)
    if stored != digest or not report.own.exists():
        export.export_bundle(wb, report.own, encryption)
        with wb.db.atomic():
            scope_db.set_meta(wb.db, {_WRITTEN: digest})
        report.wrote = True
    return report
