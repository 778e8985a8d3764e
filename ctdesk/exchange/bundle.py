"""The bundle file format: a zip holding a manifest, revisions and attached files.

Entries, and nothing else:

- ``manifest.json`` — format and version, source workbook, author, time, scope, highest marking,
  counts, and the SHA-256 of every other entry;
- ``revisions.jsonl`` — one revision per line, in its stored form (content as canonical JSON, so
  its hash can be checked without re-encoding);
- ``attachments/<sha256>`` — the bytes of each attached file, named by their hash.

Reading never extracts to disk and refuses unknown names, oversized entries and anything whose
checksum does not match, before a single row is looked at. Encryption (age) wraps the whole zip.
"""

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ctdesk.exchange.crypto import BundleError

FORMAT = "ctdesk-bundle"
VERSION = 1
MANIFEST = "manifest.json"
REVISIONS = "revisions.jsonl"
ATTACHMENT_PREFIX = "attachments/"
_ATTACHMENT_NAME = re.compile(r"attachments/[0-9a-f]{64}")
MAX_ENTRY = 2 * 1024**3  # bytes one entry may unpack to
MAX_TOTAL = 8 * 1024**3  # bytes a whole bundle may unpack to
MAX_RATIO = 1000  # unpacked to packed: beyond this an entry is a zip bomb, not text
MAX_MANIFEST = 16 * 1024**2 + 64 * 1024  # checksums for many attachments, not more
_REVISION_FIELDS = {
    "hash": str,
    "record_id": str,
    "kind": str,
    "parents": list,
    "op": str,
    "author": str,
    "workbook_id": str,
    "created_at": str,
    "content": str,
    "content_hash": str,
}


@dataclass(frozen=True)
class Contents:
    """What a bundle holds, checked against its manifest."""

    manifest: dict[str, Any]
    revisions: list[dict[str, Any]]  # stored form, ``parents`` as a list
    attachments: dict[str, bytes]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(
    manifest: Mapping[str, Any],
    revisions: Iterable[Mapping[str, Any]],
    attachments: Iterable[tuple[str, bytes]],
) -> bytes:
    """A bundle's zip bytes; the manifest gains the checksum of every entry."""
    buffer = io.BytesIO()
    checksums: dict[str, str] = {}
    lines = "".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in revisions
    ).encode("utf-8")
    # Level 1: text still shrinks about fivefold, at a fraction of the default's time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(REVISIONS, lines)
        checksums[REVISIONS] = sha256(lines)
        for file_hash, data in attachments:
            name = ATTACHMENT_PREFIX + file_hash
            archive.writestr(name, data)
            checksums[name] = sha256(data)
        full = {**manifest, "checksums": checksums}
        archive.writestr(MANIFEST, json.dumps(full, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def _damaged(detail: str) -> BundleError:
    return BundleError(f"The bundle is damaged ({detail}); ask for it to be sent again.")


def _archive(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        if not data.startswith(b"PK"):
            raise BundleError(
                "This file is not a ctdesk bundle; choose a file made by 'ctdesk bundle export'."
            ) from exc
        raise _damaged("its zip structure is broken or cut short") from exc


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Every entry by name, once each, all with names and sizes a bundle can have."""
    found: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        name = info.filename
        if name in found:
            raise _damaged(f"it holds '{name}' twice")
        if name not in (MANIFEST, REVISIONS) and not _ATTACHMENT_NAME.fullmatch(name):
            raise BundleError(
                f"The bundle holds a file ctdesk does not write ('{name[:80]}'), so it was not "
                "made by ctdesk or was altered; it was not imported."
            )
        limit = MAX_MANIFEST if name == MANIFEST else MAX_ENTRY
        if info.file_size > limit or info.file_size > MAX_RATIO * info.compress_size + 2**20:
            raise BundleError(
                f"The bundle's entry '{name}' claims an absurd size ({info.file_size:,} bytes); "
                "it was not imported."
            )
        total += info.file_size
        if total > MAX_TOTAL:
            raise BundleError("The bundle unpacks to more than 8 GiB; it was not imported.")
        found[name] = info
    return found


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as entry:
            data = entry.read(info.file_size + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _damaged(f"its entry '{info.filename}' does not unpack") from exc
    except RuntimeError as exc:  # an encrypted zip entry: not something ctdesk writes
        raise _damaged(f"its entry '{info.filename}' is password-protected") from exc
    if len(data) != info.file_size:
        raise _damaged(f"its entry '{info.filename}' is not the size it claims")
    return data


def _manifest(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in entries:
        raise _damaged("its manifest is missing")
    try:
        manifest = json.loads(_read(archive, entries[MANIFEST]))
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
        raise _damaged("its manifest is not readable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(
            "This file is not a ctdesk bundle; choose a file made by 'ctdesk bundle export'."
        )
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise _damaged("its manifest has no format version")
    if version > VERSION:
        raise BundleError(
            f"This bundle was made by a newer ctdesk (bundle format {version}; this one reads "
            f"up to {VERSION}); update ctdesk to import it."
        )
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or REVISIONS not in checksums:
        raise _damaged("its manifest has no checksums")
    listed, present = set(checksums), set(entries) - {MANIFEST}
    if listed != present:
        missing = sorted(listed - present) or sorted(present - listed)
        raise _damaged(f"'{missing[0]}' is {'missing' if listed - present else 'not listed'}")
    return manifest


def read_manifest(data: bytes) -> dict[str, Any]:
    """The manifest of an (unencrypted) bundle, checked for format and entries."""
    with _archive(data) as archive:
        return _manifest(archive, _entries(archive))


def _revisions(data: bytes) -> list[dict[str, Any]]:
    revisions = []
    # Lines end at "\n" only: text may hold U+2028 and other characters str.splitlines()
    # would split at. Parsing bytes line by line also never holds a decoded copy of it all.
    for number, line in enumerate(data.split(b"\n"), 1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except UnicodeDecodeError as exc:
            raise _damaged(f"line {number} of its revisions is not UTF-8 text") from exc
        except (ValueError, RecursionError) as exc:
            raise _damaged(f"line {number} of its revisions is not JSON") from exc
        if not isinstance(row, dict) or any(
            not isinstance(row.get(k), t) for k, t in _REVISION_FIELDS.items()
        ):
            raise _damaged(f"line {number} of its revisions is not a revision")
        if not all(isinstance(p, str) for p in row["parents"]):
            raise _damaged(f"line {number} of its revisions has a bad parent")
        revisions.append(row)
    return revisions


def unpack(data: bytes) -> Contents:
    """Everything an (unencrypted) bundle holds, every entry checked against its checksum."""
    with _archive(data) as archive:
        entries = _entries(archive)
        manifest = _manifest(archive, entries)
        checksums = manifest["checksums"]
        blobs: dict[str, bytes] = {}
        for name, info in entries.items():
            if name == MANIFEST:
                continue
            blob = _read(archive, info)
            if sha256(blob) != checksums[name]:
                raise _damaged(f"'{name}' does not match its checksum")
            blobs[name] = blob
    attachments = {
        name.removeprefix(ATTACHMENT_PREFIX): blob
        for name, blob in blobs.items()
        if name != REVISIONS
    }
    return Contents(manifest, _revisions(blobs[REVISIONS]), attachments)


def summary(manifest: Mapping[str, Any]) -> Sequence[tuple[str, str]]:
    """The manifest as (label, value) lines for people (``bundle inspect``, the import dialog)."""
    scope = manifest.get("scope") or {}
    counts = manifest.get("counts") or {}
    forces = scope.get("forces")
    source = str(manifest.get("workbook_id"))
    return [
        ("From", f"{manifest.get('author', '?')} (workbook {source[:8]})"),
        ("Made", str(manifest.get("created_at", "?"))),
        ("Forces", ", ".join(forces) if forces else "all"),
        ("Changed since", str(scope.get("since") or "the start")),
        ("Highest marking", str(manifest.get("highest_marking", "?"))),
        (
            "Records",
            ", ".join(
                f"{counts.get(k, 0)} {one if counts.get(k, 0) == 1 else many}"
                for k, one, many in (
                    ("note", "note", "notes"),
                    ("activity", "activity", "activities"),
                    ("document", "document", "documents"),
                    ("finding", "finding", "findings"),
                )
            ),
        ),
        ("Revisions", f"{counts.get('revisions', 0)} ({counts.get('tombstones', 0)} tombstones)"),
        ("Attached files", str(counts.get("attachments", 0))),
        ("Format", f"{manifest.get('format')} {manifest.get('version')}"),
    ]
