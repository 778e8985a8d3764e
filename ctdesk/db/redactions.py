"""Queries for the redaction log."""

from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]


def insert_many(db: Database, rows: list[Row]) -> None:
    if rows:
        db.table("redactions").insert_all(rows)


def select(db: Database, *, force_id: str | None = None) -> list[Row]:
    """Entries, oldest first, optionally for one force."""
    if force_id is None:
        return list(db.query("SELECT * FROM redactions ORDER BY created_at, id"))
    return list(
        db.query("SELECT * FROM redactions WHERE force_id = ? ORDER BY created_at, id", [force_id])
    )
