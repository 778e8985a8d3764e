"""Full-text search queries over ``search_text`` (FTS5) and ``search_keys`` (what filters need).

The index is kept in step with notes, documents and findings by triggers (migration 0005); only
live records are in it. ``match`` is always an expression built by ``ctdesk.search_query``.
"""

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]

# Private-use characters mark matches in snippets; they cannot come from typed text that FTS5
# returns unchanged, and callers turn them into spans.
MATCH_START = "\ue000"
MATCH_END = "\ue001"


@dataclass(frozen=True)
class Filters:
    """Equality and range filters on indexed records; None means any."""

    force_id: str | None = None
    region_id: str | None = None
    area_id: str | None = None
    kind: str | None = None
    marking: str | None = None  # a full marking, matched exactly
    marking_label: str | None = None  # OFFICIAL / OFFICIAL-SENSITIVE: any marking of that tier
    author: str | None = None  # case-insensitive substring
    since: str | None = None  # ISO date: changed on or after
    until: str | None = None  # ISO date: changed on or before


# Each filter: its parameter name and the clause that uses it.
_CLAUSES: dict[str, str] = {
    "force_id": "k.force_id = :force_id",
    "region_id": "k.force_id IN (SELECT id FROM forces WHERE region_id = :region_id)",
    "area_id": """k.record_id IN (SELECT note_id FROM note_areas WHERE area_id = :area_id
        UNION ALL SELECT document_id FROM document_areas WHERE area_id = :area_id
        UNION ALL SELECT id FROM findings WHERE area_id = :area_id)""",
    "kind": "k.kind = :kind",
    "marking": "k.marking = :marking",
    "marking_label": """(k.marking = :marking_label
        OR substr(k.marking, 1, length(:marking_label) + 1) = :marking_label || ' ')""",
    "author": "instr(lower(k.author), lower(:author)) > 0",
    "since": "k.updated_at >= :since",
    # Timestamps are ISO: everything changed on the day sorts before the next day.
    "until": "k.updated_at < date(:until, '+1 day')",
}


def _where(filters: Filters) -> tuple[str, dict[str, Any]]:
    params = {name: value for name, value in asdict(filters).items() if value is not None}
    return "".join(f" AND {_CLAUSES[name]}" for name in params), params


def search(db: Database, match: str, filters: Filters, limit: int) -> list[Row]:
    """The best ``limit`` matches by rank: kind, record_id, force_id, title, snippet, ..."""
    where, params = _where(filters)
    sql = f"""SELECT k.kind, k.record_id, k.force_id, k.marking, k.author, k.updated_at,
            search_text.title AS title,
            CASE k.kind WHEN 'finding' THEN substr(search_text.body, 1, 160) END AS opening,
            snippet(search_text, 1, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet,
            rank
        FROM search_text JOIN search_keys k ON k.id = search_text.rowid
        WHERE search_text MATCH :match{where}
        ORDER BY rank LIMIT :limit"""
    return list(db.query(sql, {**params, "match": match, "limit": limit}))


def count(db: Database, match: str, filters: Filters) -> int:
    """How many records match, all of them (not limited)."""
    where, params = _where(filters)
    sql = f"""SELECT count(*) AS n FROM search_text JOIN search_keys k ON k.id = search_text.rowid
        WHERE search_text MATCH :match{where}"""
    return int(next(db.query(sql, {**params, "match": match}))["n"])


def bare_search(conn: sqlite3.Connection, match: str, limit: int = 50) -> list[int]:
    """The plain FTS5 query the benchmarks compare ``search`` with: rowids by rank."""
    sql = "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT ?"
    return [row[0] for row in conn.execute(sql, [match, limit])]


def indexed_text(db: Database, record_id: str) -> Row | None:
    """The title and body the index holds for a record (None if it is not indexed)."""
    sql = """SELECT search_text.title, search_text.body FROM search_keys k
        JOIN search_text ON search_text.rowid = k.id WHERE k.record_id = ?"""
    rows = list(db.query(sql, [record_id]))
    return rows[0] if rows else None
