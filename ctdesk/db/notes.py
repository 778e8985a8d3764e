"""Queries for notes and the areas they evidence."""

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]

_SELECT = """
    SELECT n.*, (SELECT json_group_array(area_id) FROM
                   (SELECT area_id FROM note_areas WHERE note_id = n.id ORDER BY area_id)) AS areas
    FROM notes n
"""


def insert(db: Database, row: Row, areas: Sequence[str]) -> None:
    """Insert a note row and its area links (call inside a transaction)."""
    db.table("notes").insert(row)
    _set_areas(db, row["id"], areas)


def update(db: Database, note_id: str, changes: Row, areas: Sequence[str] | None) -> None:
    """Update a note's columns, and its area links when ``areas`` is given."""
    if changes:
        db.table("notes").update(note_id, changes)
    if areas is not None:
        _set_areas(db, note_id, areas)


def _set_areas(db: Database, note_id: str, areas: Sequence[str]) -> None:
    db.execute("DELETE FROM note_areas WHERE note_id = ?", [note_id])
    if areas:
        db.table("note_areas").insert_all(
            [{"note_id": note_id, "area_id": a} for a in areas], pk=("note_id", "area_id")
        )


def get(db: Database, note_id: str) -> Row | None:
    """One note with its ``areas`` as a JSON array, or None."""
    rows = list(db.query(_SELECT + " WHERE n.id = ?", [note_id]))
    return rows[0] if rows else None


def ids_with_prefix(db: Database, prefix: str, limit: int = 2) -> list[str]:
    """Ids of notes starting with ``prefix`` (for short ids typed on the command line)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [
        r["id"]
        for r in db.query(
            "SELECT id FROM notes WHERE id LIKE ? ESCAPE '\\' LIMIT ?", [escaped + "%", limit]
        )
    ]


def list_notes(
    db: Database, *, force_id: str | None = None, include_deleted: bool = False
) -> list[Row]:
    """Notes, newest change first, optionally of one force."""
    where, params = [], []
    if force_id is not None:
        where.append("n.force_id = ?")
        params.append(force_id)
    if not include_deleted:
        where.append("n.deleted_at IS NULL")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return list(db.query(sql + " ORDER BY n.updated_at DESC, n.id", params))
