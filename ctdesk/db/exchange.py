"""Queries for exchange bundles: which revisions are known, records' whole histories, rows
written from merged state, and open conflicts.

Sets of ids go through a temporary table rather than ``IN (...)`` lists, so a bundle of 100,000
records costs one join, not hundreds of queries.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from ctdesk.db.records import LinkSpec

Row = dict[str, Any]
_REVISION_COLUMNS = (
    "hash, record_id, kind, parents, op, author, workbook_id, created_at, content, content_hash"
)


@contextmanager
def _keys(db: Database, values: Iterable[str]) -> Iterator[str]:
    """A temporary one-column table ``exchange_keys(k)`` holding ``values``.

    Outside a transaction, the implicit one Python's sqlite3 opens for these writes is committed
    at the end: left open, it would swallow the caller's next ``atomic()`` into a savepoint that
    never commits."""
    outside = not db.conn.in_transaction
    db.execute("CREATE TEMP TABLE IF NOT EXISTS exchange_keys (k TEXT PRIMARY KEY)")
    db.execute("DELETE FROM temp.exchange_keys")
    db.conn.executemany(
        "INSERT OR IGNORE INTO temp.exchange_keys (k) VALUES (?)", ((v,) for v in values)
    )
    try:
        yield "temp.exchange_keys"
    finally:
        db.execute("DELETE FROM temp.exchange_keys")
        if outside and db.conn.in_transaction:
            db.conn.commit()


def known_hashes(db: Database, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` that are revisions in this workbook."""
    with _keys(db, hashes) as keys:
        sql = f"SELECT r.hash FROM {keys} k JOIN revisions r ON r.hash = k.k"
        return {h for (h,) in db.execute(sql).fetchall()}


def tombstones(db: Database) -> list[Row]:
    """Every purge tombstone (records whose trash was emptied here or elsewhere)."""
    return list(db.query(f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE op = 'purge'"))


def revisions_of(db: Database, record_ids: Iterable[str]) -> dict[str, list[Row]]:
    """Every revision of each record, by record id."""
    found: dict[str, list[Row]] = {}
    with _keys(db, record_ids) as keys:
        sql = (
            f"SELECT {_REVISION_COLUMNS} FROM {keys} k JOIN revisions r ON r.record_id = k.k "
            "ORDER BY r.record_id"
        )
        for row in db.query(sql):
            found.setdefault(row["record_id"], []).append(row)
    return found


def all_revisions_of(db: Database, record_ids: Iterable[str]) -> Iterator[Row]:
    """Every revision of the records named, in the order they were stored."""
    with _keys(db, record_ids) as keys:
        sql = (
            f"SELECT {_REVISION_COLUMNS} FROM revisions r WHERE r.record_id IN "
            f"(SELECT k FROM {keys}) ORDER BY r.rowid"
        )
        yield from db.query(sql)


def heads(db: Database, table: str, record_ids: Iterable[str]) -> dict[str, Row]:
    """``{id: {"head", "deleted_at"}}`` for the records of ``table`` that exist here."""
    with _keys(db, record_ids) as keys:
        sql = f"SELECT t.id, t.head, t.deleted_at FROM {keys} k JOIN {table} t ON t.id = k.k"
        return {row["id"]: row for row in db.query(sql)}


def insert_revisions(db: Database, rows: Sequence[Row]) -> None:
    """Store revisions (already checked); ones already present are left as they are."""
    db.conn.executemany(
        f"INSERT OR IGNORE INTO revisions ({_REVISION_COLUMNS}) VALUES "
        "(:hash, :record_id, :kind, :parents, :op, :author, :workbook_id, :created_at, "
        ":content, :content_hash)",
        rows,
    )


def upsert_rows(db: Database, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert records, or update the ones already present (an update, never a delete and insert,
    so links pointing at them survive)."""
    if not rows:
        return
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    db.conn.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT (id) DO UPDATE SET {updates}",
        rows,
    )


def replace_links(db: Database, link: LinkSpec, links: dict[str, Sequence[str]]) -> None:
    """Set the targets of each owner in ``links`` (owners absent keep theirs)."""
    with _keys(db, links) as keys:
        db.execute(f"DELETE FROM {link.table} WHERE {link.owner} IN (SELECT k FROM {keys})")
    db.conn.executemany(
        f"INSERT OR IGNORE INTO {link.table} ({link.owner}, {link.target}) VALUES (?, ?)",
        ((owner, target) for owner, targets in links.items() for target in targets),
    )


def known_attachments(db: Database, hashes: Iterable[str]) -> set[str]:
    with _keys(db, hashes) as keys:
        sql = f"SELECT a.hash FROM {keys} k JOIN attachments a ON a.hash = k.k"
        return {h for (h,) in db.execute(sql).fetchall()}


# ---- conflicts ---------------------------------------------------------------------------------
def conflicts(db: Database) -> list[Row]:
    """Open conflicts: ``record_id``, ``kind`` and ``tips`` (a list of revision hashes)."""
    rows = list(db.query("SELECT record_id, kind, tips FROM conflicts ORDER BY kind, record_id"))
    for row in rows:
        row["tips"] = json.loads(row["tips"])
    return rows


def conflict_tips(db: Database, record_ids: Iterable[str]) -> dict[str, list[str]]:
    with _keys(db, record_ids) as keys:
        sql = f"SELECT c.record_id, c.tips FROM {keys} k JOIN conflicts c ON c.record_id = k.k"
        return {rid: json.loads(tips) for rid, tips in db.execute(sql).fetchall()}


def is_conflicted(db: Database, record_id: str) -> bool:
    return bool(db.execute("SELECT 1 FROM conflicts WHERE record_id = ?", [record_id]).fetchone())


def set_conflicts(db: Database, open_: Sequence[Row], closed: Iterable[str]) -> None:
    """Record open conflicts (``record_id``, ``kind``, ``tips``) and forget closed ones."""
    db.conn.executemany("DELETE FROM conflicts WHERE record_id = ?", ((r,) for r in closed))
    db.conn.executemany(
        "INSERT OR REPLACE INTO conflicts (record_id, kind, tips) VALUES (?, ?, ?)",
        ((r["record_id"], r["kind"], json.dumps(sorted(r["tips"]))) for r in open_),
    )


# ---- choosing what a bundle carries ------------------------------------------------------------
def record_ids(
    db: Database, table: str, forces: Sequence[str] | None, since: str | None
) -> list[str]:
    """Ids of records of ``table`` in the given forces (None: all, national findings included),
    changed at or after ``since`` (an ISO time in UTC) when given."""
    clauses: list[str] = []
    params: list[Any] = []
    if forces is not None:
        clauses.append(f"force_id IN ({','.join('?' * len(forces))})")
        params.extend(forces)
    if since is not None:
        clauses.append("updated_at >= ?")
        params.append(since)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    return [r for (r,) in db.execute(f"SELECT id FROM {table}{where}", params).fetchall()]


def references(db: Database, ids: Iterable[str]) -> set[str]:
    """Ids of the records that the records named refer to: a note's activity, a finding's
    evidence and recommendations."""
    with _keys(db, ids) as keys:
        sql = f"""SELECT activity_id FROM notes WHERE id IN (SELECT k FROM {keys})
            UNION SELECT evidence_id FROM finding_evidence
                WHERE finding_id IN (SELECT k FROM {keys})
            UNION SELECT recommendation_id FROM finding_recommendations
                WHERE finding_id IN (SELECT k FROM {keys})"""
        return {r for (r,) in db.execute(sql).fetchall() if r}


def attachments(db: Database, hashes: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """The bytes of each stored attachment named."""
    with _keys(db, hashes) as keys:
        sql = f"SELECT a.hash, a.data FROM {keys} k JOIN attachments a ON a.hash = k.k"
        for file_hash, data in db.execute(sql).fetchall():
            yield file_hash, bytes(data)


def get_settings(db: Database, prefix: str) -> dict[str, str]:
    """Workbook settings (rows of ``meta``) whose keys start with ``prefix``."""
    rows = db.execute("SELECT key, value FROM meta WHERE key LIKE ?", [prefix + "%"]).fetchall()
    return {k: v for k, v in rows}
