"""The revision log: one immutable row per change to any fieldwork record."""

from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]


def append(db: Database, revision: Row) -> None:
    """Store a revision; an identical revision already present is left as it is."""
    db.execute(
        """INSERT OR IGNORE INTO revisions
           (hash, record_id, kind, parents, op, author, workbook_id, created_at, content,
            content_hash)
           VALUES (:hash, :record_id, :kind, :parents, :op, :author, :workbook_id, :created_at,
                   :content, :content_hash)""",
        revision,
    )


def for_record(db: Database, record_id: str) -> list[Row]:
    """A record's revisions, oldest first."""
    return list(
        db.query(
            "SELECT * FROM revisions WHERE record_id = ? ORDER BY created_at, rowid",
            [record_id],
        )
    )


def get(db: Database, revision_hash: str) -> Row | None:
    """One revision by its hash."""
    rows = list(db.query("SELECT * FROM revisions WHERE hash = ?", [revision_hash]))
    return rows[0] if rows else None


def delete_for_record(db: Database, record_id: str) -> None:
    """Drop a record's revisions (only when the trash is emptied; a tombstone is written after)."""
    db.execute("DELETE FROM revisions WHERE record_id = ?", [record_id])


def append_many(db: Database, revisions: list[Row]) -> None:
    """Store many revisions at once; call inside a transaction."""
    db.table("revisions").insert_all(revisions, batch_size=2000, ignore=True)
