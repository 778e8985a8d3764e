"""The queries ``ctdesk check`` runs: SQLite's and SQLCipher's own checks, foreign keys, the
search index against the records it indexes, revision heads, and the revision log itself.

Each returns what it found, in SQLite's terms; ``ctdesk.check`` words it for the inspector. Any
of them may raise ``connection.Error`` on a damaged file.
"""

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from ctdesk.db import connection
from ctdesk.db.search_schema import SEARCHED

RECORD_TABLES = {
    "notes": "note",
    "activities": "activity",
    "documents": "document",
    "findings": "finding",
}
REVISION_COLUMNS = (
    "hash, record_id, kind, parents, op, author, workbook_id, created_at, content, content_hash"
)


def _messages(db: Database, pragma: str) -> list[str]:
    lines: list[str] = []
    for (text,) in db.execute(f"PRAGMA {pragma}").fetchall():
        lines += [line for line in str(text).splitlines() if line.strip()]
    return [line for line in lines if line != "ok" and not line.startswith("*** in database")]


def integrity_messages(db: Database) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the file (empty when it is sound)."""
    return _messages(db, "integrity_check")


def cipher_messages(db: Database) -> list[str]:
    """Pages of an encrypted workbook whose authentication code does not match their bytes
    (``PRAGMA cipher_integrity_check``; empty when every page is as SQLCipher wrote it)."""
    return _messages(db, "cipher_integrity_check")


def foreign_key_violations(db: Database) -> list[tuple[str, int, str]]:
    """(table, rowid, referenced table) for every row naming a row that does not exist."""
    return [
        (str(table), int(rowid) if rowid is not None else 0, str(parent))
        for table, rowid, parent, _fkid in db.execute("PRAGMA foreign_key_check").fetchall()
    ]


def search_text_messages(db: Database) -> list[str]:
    """What FTS5's own integrity check finds wrong with the search index (empty when sound).

    The check is asked for by an INSERT that writes nothing; it runs inside a savepoint that is
    rolled back, so no transaction is left open on the connection.
    """
    conn = db.conn
    if conn.execute("PRAGMA query_only").fetchone()[0]:
        return []  # read-only: PRAGMA integrity_check runs the same check (SQLite 3.44+)
    conn.execute("SAVEPOINT ctdesk_fts_check")
    try:
        conn.execute("INSERT INTO search_text (search_text, rank) VALUES ('integrity-check', 1)")
    except connection.Error as exc:  # FTS5 reports damage as an error, not as rows
        return [str(exc)]
    finally:
        conn.execute("ROLLBACK TO ctdesk_fts_check")
        conn.execute("RELEASE ctdesk_fts_check")
    return []


def unindexed_records(db: Database) -> list[tuple[str, str]]:
    """(kind, id) of live notes, documents and findings that have no row in ``search_keys``."""
    sql = " UNION ALL ".join(
        f"""SELECT '{kind}', r.id FROM {table} r WHERE r.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM search_keys k WHERE k.record_id = r.id)"""
        for table, (kind, _title, _body) in SEARCHED.items()
    )
    return [(str(kind), str(rid)) for kind, rid in db.execute(sql).fetchall()]


def stray_search_keys(db: Database) -> list[tuple[str, str]]:
    """(kind, record id) of ``search_keys`` rows with no live record of that kind."""
    live = " AND ".join(
        f"""NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = k.record_id
            AND r.deleted_at IS NULL AND k.kind = '{kind}')"""
        for table, (kind, _title, _body) in SEARCHED.items()
    )
    sql = f"SELECT k.kind, k.record_id FROM search_keys k WHERE {live}"
    return [(str(kind), str(rid)) for kind, rid in db.execute(sql).fetchall()]


def repeated_search_keys(db: Database) -> list[tuple[str, int]]:
    """(record id, count) of records with more than one ``search_keys`` row."""
    sql = "SELECT record_id, count(*) FROM search_keys GROUP BY record_id HAVING count(*) > 1"
    return [(str(rid), int(n)) for rid, n in db.execute(sql).fetchall()]


def keys_without_text(db: Database) -> list[tuple[str, str]]:
    """(kind, record id) of ``search_keys`` rows whose text is missing from ``search_text``."""
    sql = """SELECT k.kind, k.record_id FROM search_keys k
        WHERE NOT EXISTS (SELECT 1 FROM search_text t WHERE t.rowid = k.id)"""
    return [(str(kind), str(rid)) for kind, rid in db.execute(sql).fetchall()]


def text_without_keys(db: Database) -> list[int]:
    """Row numbers of ``search_text`` rows that no ``search_keys`` row points to."""
    sql = """SELECT t.rowid FROM search_text t
        WHERE NOT EXISTS (SELECT 1 FROM search_keys k WHERE k.id = t.rowid)"""
    return [int(rowid) for (rowid,) in db.execute(sql).fetchall()]


def bad_heads(db: Database) -> list[tuple[str, str, str]]:
    """(kind, id, head) of records whose ``head`` is not a revision of that same record."""
    sql = " UNION ALL ".join(
        f"""SELECT '{kind}', r.id, r.head FROM {table} r WHERE NOT EXISTS
            (SELECT 1 FROM revisions v WHERE v.hash = r.head AND v.record_id = r.id)"""
        for table, kind in RECORD_TABLES.items()
    )
    return [(str(kind), str(rid), str(head)) for kind, rid, head in db.execute(sql).fetchall()]


def revisions(db: Database, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every stored revision, as a row, in storage order (streamed, not all in memory)."""
    cursor = db.execute(f"SELECT {REVISION_COLUMNS} FROM revisions ORDER BY rowid")
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(names, row, strict=True))


def records_with_heads(
    db: Database, table: str, batch: int = 500
) -> Iterator[list[dict[str, Any]]]:
    """Every row of a record table with its head revision's stored content and content hash
    (``head_content``, ``head_content_hash``; None when the head is not a revision of that
    record), in batches."""
    if table not in RECORD_TABLES:
        raise ValueError(f"not a record table: {table}")
    cursor = db.execute(
        f"""SELECT r.*, v.content AS head_content, v.content_hash AS head_content_hash
        FROM {table} r
        LEFT JOIN revisions v ON v.hash = r.head AND v.record_id = r.id ORDER BY r.rowid"""
    )
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(batch):
        yield [dict(zip(names, row, strict=True)) for row in rows]
