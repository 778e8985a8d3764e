"""Generic queries for fieldwork records (notes, activities, documents, findings).

Table and column names always come from code, never from user input; values are parameters.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]


@dataclass(frozen=True)
class LinkSpec:
    """A many-to-many link stored in its own table: ``owner`` → ``target`` ids."""

    table: str
    owner: str
    target: str


def insert(db: Database, table: str, row: Row) -> None:
    db.table(table).insert(row)


def update(db: Database, table: str, record_id: str, changes: Row) -> None:
    if changes:
        db.table(table).update(record_id, changes)


def get(db: Database, table: str, record_id: str) -> Row | None:
    rows = list(db.query(f"SELECT * FROM {table} WHERE id = ?", [record_id]))
    return rows[0] if rows else None


def ids_with_prefix(db: Database, table: str, prefix: str, limit: int = 2) -> list[str]:
    """Ids starting with ``prefix`` (short ids typed on the command line)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT ?"
    return [r["id"] for r in db.query(sql, [escaped + "%", limit])]


def select(
    db: Database,
    table: str,
    *,
    where: Mapping[str, Any] | None = None,
    deleted: bool | None = False,
    order: str = "updated_at DESC, id",
) -> list[Row]:
    """Rows matching equality filters; ``deleted`` False = live, True = in the trash, None = all."""
    clauses, params = [], []
    for column, value in (where or {}).items():
        if value is None:
            clauses.append(f"{column} IS NULL")
        else:
            clauses.append(f"{column} = ?")
            params.append(value)
    if deleted is not None:
        clauses.append("deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL")
    sql = f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(clauses) if clauses else "")
    return list(db.query(f"{sql} ORDER BY {order}", params))


def set_links(db: Database, link: LinkSpec, owner_id: str, targets: Sequence[str]) -> None:
    db.execute(f"DELETE FROM {link.table} WHERE {link.owner} = ?", [owner_id])
    if targets:
        db.table(link.table).insert_all(
            [{link.owner: owner_id, link.target: t} for t in targets],
            pk=(link.owner, link.target),
        )


def links_of(db: Database, link: LinkSpec, owner_ids: Iterable[str]) -> dict[str, list[str]]:
    """Targets per owner, sorted; owners without links are absent."""
    ids = list(owner_ids)
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT {link.owner} AS owner, {link.target} AS target FROM {link.table} "
            f"WHERE {link.owner} IN ({marks}) ORDER BY {link.target}"
        )
        for row in db.query(sql, chunk):
            found.setdefault(row["owner"], []).append(row["target"])
    return found


def owners_linking(db: Database, link: LinkSpec, target_id: str) -> list[str]:
    """Owners that link to ``target_id`` (e.g. findings citing a note)."""
    sql = f"SELECT {link.owner} AS owner FROM {link.table} WHERE {link.target} = ?"
    return [r["owner"] for r in db.query(sql, [target_id])]


def purge(db: Database, table: str, record_id: str, links: Iterable[LinkSpec]) -> None:
    """Remove a record's row and its links (emptying the trash)."""
    for link in links:
        db.execute(f"DELETE FROM {link.table} WHERE {link.owner} = ?", [record_id])
    db.execute(f"DELETE FROM {table} WHERE id = ?", [record_id])


def insert_many(db: Database, table: str, rows: Iterable[Row], batch_size: int = 2000) -> None:
    """Insert many rows at once (demo data, bundles); call inside a transaction."""
    db.table(table).insert_all(rows, batch_size=batch_size)


def insert_links(db: Database, link: LinkSpec, pairs: Iterable[tuple[str, str]]) -> None:
    """Insert many (owner, target) links at once; call inside a transaction."""
    db.table(link.table).insert_all(
        ({link.owner: owner, link.target: target} for owner, target in pairs),
        pk=(link.owner, link.target),
        batch_size=5000,
    )


def highest_live_marking(db: Database) -> str | None:
    """The greatest marking of any live record, compared as text; None when there is none.

    Canonical markings sort as their levels do (a space sorts before the hyphen):
    ``OFFICIAL…`` < ``OFFICIAL-SENSITIVE…`` < ``SECRET…`` < ``TOP SECRET…``. Notes, documents
    and findings are read from ``search_keys`` (one narrow row per live record, kept by
    triggers) rather than from their own wide rows, so 100,000 notes take milliseconds; the
    few activities (a plan per force) from their table.
    """
    sql = """
        SELECT max(marking) AS marking FROM (
            SELECT max(marking) AS marking FROM search_keys
            UNION ALL
            SELECT max(marking) FROM activities WHERE deleted_at IS NULL
        )
    """
    rows = list(db.query(sql))
    return rows[0]["marking"] if rows else None
