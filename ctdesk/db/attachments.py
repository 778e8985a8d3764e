"""Attached files, stored once per content (keyed by the SHA-256 of their bytes)."""

from sqlite_utils import Database


def put(db: Database, file_hash: str, data: bytes, created_at: str) -> None:
    """Store a file's bytes; the same content stored again is left as it is."""
    db.execute(
        "INSERT OR IGNORE INTO attachments (hash, size, data, created_at) VALUES (?, ?, ?, ?)",
        [file_hash, len(data), data, created_at],
    )


def get(db: Database, file_hash: str) -> bytes | None:
    """A stored file's bytes, or None if no file has that hash."""
    rows = list(db.query("SELECT data FROM attachments WHERE hash = ?", [file_hash]))
    return bytes(rows[0]["data"]) if rows else None


def prune(db: Database, file_hash: str) -> bool:
    """Remove a file no document and no revision refers to any more; True if it was removed.

    A file stays while any revision names it, so reverting a document to an earlier revision
    always finds its file again; only emptying the trash (which drops revisions) frees it.
    """
    cursor = db.execute(
        """DELETE FROM attachments WHERE hash = :hash
           AND NOT EXISTS (SELECT 1 FROM documents WHERE attachment_hash = :hash)
           AND NOT EXISTS (SELECT 1 FROM revisions WHERE kind = 'document'
                           AND json_extract(content, '$.attachment_hash') = :hash)""",
        {"hash": file_hash},
    )
    return bool(cursor.rowcount)
