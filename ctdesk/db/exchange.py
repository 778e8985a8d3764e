"""Queries for exchange bundles: which revisions are known, records' whole histories, rows
written from merged state, and open conflicts.

Sets of ids go in as one JSON parameter (``json_each``) rather than ``IN (...)`` lists, so a
bundle of 100,000 records costs one join, not hundreds of queries.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from ctdesk.db.records import LinkSpec

Row = dict[str, Any]
_REVISION_COLUMNS = (
    "hash, record_id, kind, parents, op, author, workbook_id, created_at, content, content_hash"
)


def _ids(values: Iterable[str]) -> str:
    """A set of ids as one parameter, for ``json_each(?)``: one join however many there are,
    and nothing written (it works on a read-only connection, outside any transaction)."""
    return json.dumps(list(values))


def known_hashes(db: Database, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` that are revisions in this workbook."""
    sql = "SELECT r.hash FROM json_each(?) k JOIN revisions r ON r.hash = k.value"
    return {h for (h,) in db.execute(sql, [_ids(hashes)]).fetchall()}


def tombstones(db: Database) -> list[Row]:
    """Every purge tombstone (records whose trash was emptied here or elsewhere)."""
    return list(db.query(f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE op = 'purge'"))


def revisions_of(db: Database, record_ids: Iterable[str]) -> dict[str, list[Row]]:
    """Every revision of each record, by record id."""
    found: dict[str, list[Row]] = {}
    sql = (
        f"SELECT {_REVISION_COLUMNS} FROM json_each(?) k JOIN revisions r ON r.record_id = k.value"
    )
    for row in db.query(sql, [_ids(record_ids)]):
        found.setdefault(row["record_id"], []).append(row)
    return found


def all_revisions_of(db: Database, record_ids: Iterable[str]) -> Iterator[Row]:
    """Every revision of the records named, in the order they were stored."""
    sql = (
        f"SELECT {_REVISION_COLUMNS} FROM revisions r WHERE r.record_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY r.rowid"
    )
    yield from db.query(sql, [_ids(record_ids)])


def heads(db: Database, table: str, record_ids: Iterable[str]) -> dict[str, Row]:
    """``{id: {"head", "deleted_at"}}`` for the records of ``table`` that exist here."""
    sql = f"SELECT t.id, t.head, t.deleted_at FROM json_each(?) k JOIN {table} t ON t.id = k.value"
    return {row["id"]: row for row in db.query(sql, [_ids(record_ids)])}


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
    db.execute(
        f"DELETE FROM {link.table} WHERE {link.owner} IN (SELECT value FROM json_each(?))",
        [_ids(links)],
    )
    db.conn.executemany(
        f"INSERT OR IGNORE INTO {link.table} ({link.owner}, {link.target}) VALUES (?, ?)",
        ((owner, target) for owner, targets in links.items() for target in targets),
    )


def known_attachments(db: Database, hashes: Iterable[str]) -> set[str]:
    sql = "SELECT a.hash FROM json_each(?) k JOIN attachments a ON a.hash = k.value"
    return {h for (h,) in db.execute(sql, [_ids(hashes)]).fetchall()}


# ---- conflicts ---------------------------------------------------------------------------------
def conflicts(db: Database) -> list[Row]:
    """Open conflicts: ``record_id``, ``kind`` and ``tips`` (a list of revision hashes)."""
    rows = list(db.query("SELECT record_id, kind, tips FROM conflicts ORDER BY kind, record_id"))
    for row in rows:
        row["tips"] = json.loads(row["tips"])
    return rows


def conflict_tips(db: Database, record_ids: Iterable[str]) -> dict[str, list[str]]:
    sql = "SELECT c.record_id, c.tips FROM json_each(?) k JOIN conflicts c ON c.record_id = k.value"
    return {rid: json.loads(tips) for rid, tips in db.execute(sql, [_ids(record_ids)]).fetchall()}


def conflict_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM conflicts").fetchone()[0])


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
    sql = """WITH k AS (SELECT value FROM json_each(:ids))
        SELECT activity_id FROM notes WHERE id IN k
        UNION SELECT evidence_id FROM finding_evidence WHERE finding_id IN k
        UNION SELECT recommendation_id FROM finding_recommendations WHERE finding_id IN k"""
    return {r for (r,) in db.execute(sql, {"ids": _ids(ids)}).fetchall() if r}


def attachments(db: Database, hashes: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """The bytes of each stored attachment named."""
    sql = "SELECT a.hash, a.data FROM json_each(?) k JOIN attachments a ON a.hash = k.value"
    for file_hash, data in db.execute(sql, [_ids(hashes)]):
        yield file_hash, bytes(data)


def get_settings(db: Database, prefix: str) -> dict[str, str]:
    """Workbook settings (rows of ``meta``) whose keys start with ``prefix``."""
    rows = db.execute("SELECT key, value FROM meta WHERE key LIKE ?", [prefix + "%"]).fetchall()
    return {k: v for k, v in rows}
