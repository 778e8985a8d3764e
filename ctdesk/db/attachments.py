"""Attached files, stored once per content (keyed by the SHA-256 of their bytes)."""

from sqlite_utils import Database

from ctdesk.db.search_schema import attachment_text


def put(db: Database, file_hash: str, data: bytes, created_at: str, name: str) -> None:
    """Store a file's bytes, and its text for search when ``name`` says it is a text file.

    The same content stored again keeps its row (gaining text if it had none).
    """
    text = attachment_text(name, data)
    db.execute(
        """INSERT INTO attachments (hash, size, data, created_at, text) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (hash) DO UPDATE SET text = COALESCE(text, excluded.text)""",
        [file_hash, len(data), data, created_at, text],
    )


def fill_text(db: Database) -> None:
    """Give every stored text file its searchable text (for workbooks from before search)."""
    rows = list(
        db.query(
            """SELECT DISTINCT a.hash, d.attachment_name AS name FROM attachments a
            JOIN documents d ON d.attachment_hash = a.hash WHERE a.text IS NULL"""
        )
    )
    for row in rows:
        data = get(db, row["hash"])
        text = attachment_text(row["name"], data) if data is not None else None
        if text is not None:
            db.execute("UPDATE attachments SET text = ? WHERE hash = ?", [text, row["hash"]])


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
