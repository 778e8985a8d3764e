"""Revisions: every change to a fieldwork record, hashed and chained to its parent.

A revision's hash covers its record, parents, operation, author, time and content, so history
cannot be altered without it showing. Content is canonical JSON (sorted keys, no spaces).
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ctdesk.db import revisions as revisions_db

OPS = ("create", "edit", "delete", "restore", "revert", "purge", "merge", "resolve")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Revision:
    hash: str
    record_id: str
    kind: str
    parents: tuple[str, ...]
    op: str
    author: str
    workbook_id: str
    created_at: str
    content: dict[str, Any]
    content_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "parents": list(self.parents),
            "op": self.op,
            "author": self.author,
            "workbook_id": self.workbook_id,
            "created_at": self.created_at,
            "content_hash": self.content_hash,
            "content": self.content,
        }


def make(
    *,
    kind: str,
    record_id: str,
    content: Mapping[str, Any],
    parents: Sequence[str],
    op: str,
    author: str,
    workbook_id: str,
    created_at: str,
) -> Revision:
    """Build a revision with its content hash and revision hash."""
    content_json = canonical(content)
    content_hash = _sha(content_json)
    header = {
        "record_id": record_id,
        "kind": kind,
        "parents": sorted(parents),
        "op": op,
        "author": author,
        "workbook_id": workbook_id,
        "created_at": created_at,
        "content_hash": content_hash,
    }
    return Revision(
        hash=_header_hash(header),
        record_id=record_id,
        kind=kind,
        parents=tuple(sorted(parents)),
        op=op,
        author=author,
        workbook_id=workbook_id,
        created_at=created_at,
        content=dict(content),
        content_hash=content_hash,
    )


def _header_hash(header: Mapping[str, Any]) -> str:
    return _sha(canonical(header))


def content_intact(content: Any, content_hash: Any) -> bool:
    """Whether stored revision content (canonical JSON) matches its stored content hash."""
    return isinstance(content, str) and _sha(content) == content_hash


def verify_row(row: Mapping[str, Any]) -> tuple[bool, bool]:
    """Whether a stored revision row is as ctdesk wrote it: (its content matches its
    ``content_hash``, its ``hash`` matches its record, parents, operation, author, workbook,
    time and content hash)."""
    content_ok = content_intact(row["content"], row["content_hash"])
    try:
        parents = sorted(json.loads(row["parents"]))
    except (TypeError, ValueError):
        return content_ok, False
    header = {
        "record_id": row["record_id"],
        "kind": row["kind"],
        "parents": parents,
        "op": row["op"],
        "author": row["author"],
        "workbook_id": row["workbook_id"],
        "created_at": row["created_at"],
        "content_hash": row["content_hash"],
    }
    return content_ok, _header_hash(header) == row["hash"]


def as_row(revision: Revision) -> dict[str, Any]:
    """The stored form of a revision."""
    return {
        "hash": revision.hash,
        "record_id": revision.record_id,
        "kind": revision.kind,
        "parents": canonical(list(revision.parents)),
        "op": revision.op,
        "author": revision.author,
        "workbook_id": revision.workbook_id,
        "created_at": revision.created_at,
        "content": canonical(revision.content),
        "content_hash": revision.content_hash,
    }


def store(db: Database, revision: Revision) -> None:
    revisions_db.append(db, as_row(revision))


def from_row(row: Mapping[str, Any], content: dict[str, Any] | None = None) -> Revision:
    """A revision from its stored form (see ``as_row``); ``content`` when it is already parsed."""
    return Revision(
        hash=row["hash"],
        record_id=row["record_id"],
        kind=row["kind"],
        parents=tuple(json.loads(row["parents"])),
        op=row["op"],
        author=row["author"],
        workbook_id=row["workbook_id"],
        created_at=row["created_at"],
        content=content if content is not None else json.loads(row["content"]),
        content_hash=row["content_hash"],
    )


def of_record(db: Database, record_id: str) -> list[Revision]:
    """A record's revisions, oldest first."""
    return [from_row(r) for r in revisions_db.for_record(db, record_id)]
