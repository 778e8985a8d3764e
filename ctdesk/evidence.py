"""The evidence register: documents a force gives the inspectors (policy, referral reports, ...).

Each document has a category from the inspection's methodology, a review status, the areas it
bears on and, optionally, the file itself. Files are stored inside the workbook once per content
(SHA-256), in the same transaction as the revision that names them, so a document and its file
are never out of step; earlier files stay reachable from the document's history.
"""

import hashlib
import re
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from ctdesk.changes import Changed, Changes
from ctdesk.clock import now_iso
from ctdesk.dates import optional_date
from ctdesk.db import attachments as attachments_db
from ctdesk.db.records import LinkSpec
from ctdesk.errors import InvalidInput, NotFound, WorkbookError
from ctdesk.note import clean_line
from ctdesk.record import Record, Records
from ctdesk.slugs import pick

#: Document categories when an inspection's methodology names none (CT4's own list).
CATEGORIES: dict[str, str] = {
    "policy-strategy": "Prevent policy and strategy",
    "referral-report": "Referral report",
    "channel-document": "Channel document",
    "briefing-material": "Briefing material",
    "other": "Other",
}
STATUSES: dict[str, str] = {"to-review": "To review", "reviewed": "Reviewed"}
MAX_ATTACHMENT = 25 * 1024 * 1024  # bytes; larger files stay outside and are cited by reference
MAX_LINE = 300
MAX_NAME = 200
FALLBACK_NAME = "attachment"
_UNSAFE_IN_NAME = re.compile(r'[<>:"|?*]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WINDOWS_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?")


@dataclass(frozen=True)
class Document(Record):
    title: str
    category: str
    reference: str
    provided_by: str
    received_date: str | None
    review_status: str  # to-review | reviewed
    reviewer: str
    attachment_hash: str | None
    attachment_name: str | None
    attachment_size: int | None
    areas: tuple[str, ...]

    @property
    def reviewed(self) -> bool:
        return self.review_status == "reviewed"

    @property
    def has_attachment(self) -> bool:
        return self.attachment_hash is not None

    def to_json(self) -> dict[str, Any]:
        attachment = (
            {
                "name": self.attachment_name,
                "size": self.attachment_size,
                "hash": self.attachment_hash,
            }
            if self.attachment_hash
            else None
        )
        return {
            "id": self.id,
            "force": self.force_id,
            "inspection": self.inspection_id,
            "title": self.title,
            "category": self.category,
            "reference": self.reference,
            "provided_by": self.provided_by,
            "received_date": self.received_date,
            "status": self.review_status,
            "reviewer": self.reviewer,
            "areas": list(self.areas),
            "attachment": attachment,
            **self.common_json(),
        }


@dataclass(frozen=True)
class FileData:
    """A file read for attaching: its safe name, bytes and SHA-256."""

    name: str
    data: bytes
    hash: str


def human_size(size: int) -> str:
    """``31.2 MB``, ``25 MB``, ``12 KB``, ``900 bytes`` (1 MB = 1024 × 1024 bytes)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            text = f"{size / scale:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{size} byte" + ("" if size == 1 else "s")


def safe_name(name: str) -> str:
    """A file name safe to suggest when saving: no folders, no control characters, never empty.

    Anything before the last ``/`` or ``\\`` is dropped (so ``../../x`` becomes ``x``), control
    and format characters are removed, characters Windows refuses become ``_`` and trailing dots
    and spaces go (Windows drops them silently), bytes that are not UTF-8 become U+FFFD and a
    device name Windows reserves (``CON``, ``nul.txt``, ``COM1``...) gets a ``_`` in front. A
    name left empty or made of dots becomes ``attachment``.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf"))
    # Bytes of the name that are not UTF-8 (a file named on another system) cannot be stored.
    base = _SURROGATE.sub("\ufffd", base)
    base = _UNSAFE_IN_NAME.sub("_", base).strip().rstrip(". ")
    if not base.strip("."):
        return FALLBACK_NAME
    if _WINDOWS_DEVICE.fullmatch(base):
        base = "_" + base
    if len(base) > MAX_NAME:  # keep the extension, which says how to open the file
        stem, dot, ext = base.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            base = f"{stem[: MAX_NAME - len(ext) - 1]}.{ext}"
        else:
            base = base[:MAX_NAME]
    return base


def check_file(path: Path) -> int:
    """The size of a file that can be attached; raises ``InvalidInput`` (one sentence) if it
    is missing, a folder, not an ordinary file or too large. Cheap: the file is not read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}; check the path and try again.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}; choose another file.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{path} is a folder; choose a file inside it to attach.")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path} is not an ordinary file; save it as a file and attach that.")
    if info.st_size > MAX_ATTACHMENT:
        raise _too_large(path.name, info.st_size, MAX_ATTACHMENT)
    return info.st_size


def read_file(path: Path, name: str | None = None) -> FileData:
    """Read a file to attach, refusing with one sentence what cannot or should not be stored.

    Size is checked before reading (so a huge file is never loaded) and again after (in case the
    file grew meanwhile). ``name`` overrides the stored name (default: the file's own name).
    """
    check_file(path)
    limit = MAX_ATTACHMENT
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}; choose another file.") from None
    if len(data) > limit:
        raise _too_large(path.name, max(len(data), path.stat().st_size), limit)
    return FileData(
        name=safe_name(name if name is not None else path.name),
        data=data,
        hash=hashlib.sha256(data).hexdigest(),
    )


def _too_large(name: str, size: int, limit: int) -> InvalidInput:
    return InvalidInput(
        f"{name} is {human_size(size)}; attachments can be at most {human_size(limit)}, "
        "so keep the file elsewhere and record its reference."
    )


def _single_line(value: str, what: str) -> str:
    cleaned = clean_line(value, what, limit=10**9, required=False)
    if len(cleaned) > MAX_LINE:
        raise InvalidInput(f"The {what} can be at most {MAX_LINE} characters; shorten it.")
    return cleaned


class Documents(Records[Document]):
    kind = "document"
    noun = "document"
    list_hint = "ctdesk evidence list"
    table = "documents"
    record_type = Document
    columns = (
        "title",
        "category",
        "reference",
        "provided_by",
        "received_date",
        "review_status",
        "reviewer",
        "attachment_hash",
        "attachment_name",
        "attachment_size",
        "marking",
    )
    links: ClassVar = {"areas": LinkSpec("document_areas", "document_id", "area_id")}

    def categories(self, inspection: str | None = None) -> dict[str, str]:
        """Category slug → name for an inspection (default: the current one), in order."""
        scope = self._wb.scope
        insp = scope.inspection(inspection) if inspection else scope.current
        found = {m.slug: m.title for m in insp.method("document-category")}
        return found or dict(CATEGORIES)

    def _clean(
        self, values: dict[str, Any], old: Document | None, force_id: str | None
    ) -> dict[str, Any]:
        inspection_id = old.inspection_id if old else values.pop("inspection_id")
        if "title" in values:
            values["title"] = clean_line(values["title"], "document")
        if "category" in values:
            values["category"] = pick(
                values["category"], self.categories(inspection_id), "document category"
            )
        for key, what in (
            ("reference", "reference"),
            ("provided_by", "'provided by' name"),
            ("reviewer", "reviewer's name"),
        ):
            if key in values:
                values[key] = _single_line(values[key], what)
        if "received_date" in values:
            values["received_date"] = optional_date(values["received_date"], "received date")
        if "review_status" in values:
            values["review_status"] = pick(values["review_status"], STATUSES, "review status")
        if "areas" in values:
            values["areas"] = self._wb.scope.area_ids(values["areas"], inspection_id)
        # Whoever marks a document reviewed, without naming a reviewer, reviewed it.
        becomes_reviewed = values.get("review_status") == "reviewed" and not (old and old.reviewed)
        has_reviewer = values.get("reviewer", old.reviewer if old else "")
        if becomes_reviewed and not has_reviewer:
            values["reviewer"] = self._wb.author
        return values

    # ---- writing ---------------------------------------------------------------------------
    def _store_file(self, file: FileData) -> dict[str, Any]:
        """Store a file's bytes (call inside the transaction that writes the revision)."""
        attachments_db.put(self._wb.db, file.hash, file.data, now_iso(), file.name)
        return {
            "attachment_hash": file.hash,
            "attachment_name": file.name,
            "attachment_size": len(file.data),
        }

    def add(
        self,
        *,
        force: str,
        title: str,
        category: str,
        reference: str = "",
        provided_by: str = "",
        received: str | None = None,
        file: Path | None = None,
        areas: Sequence[str] = (),
        marking: str | None = None,
    ) -> Changed[Document]:
        """Register a document for a force (by id or name) in the current inspection.

        It starts as "to review". ``file`` is stored in the workbook (at most
        ``MAX_ATTACHMENT`` bytes); nothing at all is written if any value is refused.
        """
        frc, insp = self._wb.scope.force_in(force)
        values: dict[str, Any] = {
            "title": title,
            "category": category,
            "reference": reference,
            "provided_by": provided_by,
            "received_date": received,
            "review_status": "to-review",
            "reviewer": "",
            "attachment_hash": None,
            "attachment_name": None,
            "attachment_size": None,
            "areas": areas,
            "marking": marking,
            "inspection_id": insp.id,
        }
        data = read_file(file) if file is not None else None
        with self._wb.db.atomic():
            if data is not None:
                values.update(self._store_file(data))
            return self._create(force_id=frc.id, inspection_id=insp.id, values=values)

    def set(
        self,
        ref: str,
        *,
        status: str | None = None,
        reviewer: str | None = None,
        title: str | None = None,
        category: str | None = None,
        reference: str | None = None,
        provided_by: str | None = None,
        received: str | None = None,
        areas: Sequence[str] | None = None,
        marking: str | None = None,
        file: Path | None = None,
    ) -> Changed[Document]:
        """Change a document; None keeps a value, ``received=""`` clears the date.

        Marking it reviewed with no reviewer named (now or before) records the workbook's author
        as reviewer; marking it back to review changes nothing else. ``file`` attaches a file
        (replacing any other) in the same revision.
        """
        values: dict[str, Any] = {
            "review_status": status,
            "reviewer": reviewer,
            "title": title,
            "category": category,
            "reference": reference,
            "provided_by": provided_by,
            "received_date": received,
            "marking": marking,
        }
        if areas is not None:
            values["areas"] = areas
        data = read_file(file) if file is not None else None
        with self._wb.db.atomic():
            if data is not None:
                values.update(self._store_file(data))
            return self._update(ref, values)

    def attach(self, ref: str, path: Path, *, name: str | None = None) -> Changed[Document]:
        """Attach a file to a document, replacing any other (which stays in its history).

        ``name`` is the name to store (default: the file's); it is made safe either way.
        """
        data = read_file(path, name)
        with self._wb.db.atomic():
            return self._update(ref, self._store_file(data))

    def detach(self, ref: str) -> Changed[Document]:
        """Take the attached file off a document (it stays in the document's history)."""
        old = self.get(ref)
        if not old.has_attachment:
            return Changed(old, Changes())
        new = replace(old, attachment_hash=None, attachment_name=None, attachment_size=None)
        return self._write(old, new, "edit")

    def purge(self, ref: str) -> Changes:
        """Remove a trashed document for good, and its file once nothing else refers to it."""
        old = self.get(ref)
        hashes = {old.attachment_hash} | {
            r.content.get("attachment_hash") for r in self.history(old.id)
        }
        with self._wb.db.atomic():
            changes = super().purge(old.id)
            for file_hash in hashes - {None}:
                attachments_db.prune(self._wb.db, str(file_hash))
        return changes

    # ---- reading ---------------------------------------------------------------------------
    def attachment(self, ref: str) -> tuple[str, bytes]:
        """The attached file of a document as (safe name, bytes)."""
        doc = self.get(ref)
        if doc.attachment_hash is None:
            raise NotFound(f"The document {doc.id[:8]} has no attached file; attach one first.")
        data = attachments_db.get(self._wb.db, doc.attachment_hash)
        if data is None:
            raise WorkbookError(
                f"The file attached to document {doc.id[:8]} is missing from the workbook; "
                "attach it again."
            )
        return safe_name(doc.attachment_name or ""), data

    def save_attachment(self, ref: str, out: Path) -> Path:
        """Write a document's attached file to ``out`` (a file, or a folder to save it in by its
        own name) without ever leaving a half-written file; returns the path written."""
        # Imported here: ctdesk.export's package imports the workbook, which imports this module.
        from ctdesk.export.files import write_atomically

        name, data = self.attachment(ref)
        target = out / name if out.is_dir() else out
        write_atomically(target, data)
        return target

    def counts(self, force: str | None = None) -> tuple[int, int]:
        """(registered, reviewed): live documents of a force, or of every force."""
        docs = self.all(force=force)
        return len(docs), sum(d.reviewed for d in docs)
