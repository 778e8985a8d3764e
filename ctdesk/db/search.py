"""Full-text search queries over the index of ``ctdesk.db.search_schema``.

``match`` is always an expression built by ``ctdesk.search_query``. Kind, force, region and
marking filters become terms on the ``tags`` column, so FTS5 applies them itself; area, author
and date filters join ``search_keys``.
"""

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]

# Private-use characters mark matches in snippets; callers turn them into spans.
MATCH_START = "\ue000"
MATCH_END = "\ue001"
TAG_MARK = "\ue010"  # starts every tag token; see search_schema
_SCORE = "bm25(search_text, 4.0, 1.0, 0.0)"  # a title match counts four times a body match


@dataclass(frozen=True)
class Filters:
    """Filters on indexed records; None means any."""

    force_id: str | None = None  # "national" for findings that belong to no force
    region_id: str | None = None
    area_id: str | None = None
    kind: str | None = None
    marking: str | None = None  # a full marking, matched exactly
    marking_label: str | None = None  # OFFICIAL / OFFICIAL-SENSITIVE: any marking of that tier
    author: str | None = None  # a substring, compared casefolded
    since: str | None = None  # UTC timestamp: changed at or after
    before: str | None = None  # UTC timestamp: changed before


def tag(name: str, value: str) -> str:
    """The token ``search_schema`` writes for a property: its value's UTF-8 in hex, then 9."""
    return TAG_MARK + name + value.encode("utf-8").hex().upper() + "9"


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


_JOINED: dict[str, str] = {
    "area_id": """k.record_id IN (SELECT note_id FROM note_areas WHERE area_id = :area_id
        UNION ALL SELECT document_id FROM document_areas WHERE area_id = :area_id
        UNION ALL SELECT id FROM findings WHERE area_id = :area_id)""",
    "author": "instr(casefold(k.author), casefold(:author)) > 0",
    "since": "k.updated_at >= :since",  # ISO timestamps in UTC sort as they compare
    "before": "k.updated_at < :before",
}


def _joined(filters: Filters) -> tuple[str, dict[str, Any]]:
    """SQL conditions on ``search_keys k`` for the filters FTS5 cannot apply."""
    params = {name: getattr(filters, name) for name in _JOINED}
    params = {name: value for name, value in params.items() if value is not None}
    return "".join(f" AND {_JOINED[name]}" for name in params), params


def full_match(db: Database, match: str, filters: Filters) -> str:
    """The MATCH expression: ``match`` and the filters held as tags.

    ``match`` may search every column: no typed word can match a tag.
    """
    terms = [match]
    alternatives: list[list[str]] = []
    if filters.kind:
        alternatives.append([tag("kind", filters.kind)])
    if filters.force_id:
        alternatives.append([tag("force", filters.force_id)])
    if filters.region_id:
        sql = "SELECT id FROM forces WHERE region_id = ?"
        forces = [row["id"] for row in db.query(sql, [filters.region_id])]
        alternatives.append([tag("force", f) for f in forces] or [tag("force", "none")])
    if filters.marking_label:
        alternatives.append([tag("mark", filters.marking_label)])
    if filters.marking:
        alternatives.append([tag("full", filters.marking)])
    for tokens in alternatives:
        terms.append("{tags} : (" + " OR ".join(_quoted(t) for t in tokens) + ")")
    return " AND ".join(f"({term})" for term in terms)


def count(db: Database, match: str, filters: Filters) -> int:
    """How many records match, all of them (not limited)."""
    where, params = _joined(filters)
    params["match"] = full_match(db, match, filters)
    if not where:
        sql = "SELECT count(*) AS n FROM search_text WHERE search_text MATCH :match"
    else:
        sql = f"""SELECT count(*) AS n FROM search_text
            JOIN search_keys k ON k.id = search_text.rowid WHERE search_text MATCH :match{where}"""
    return int(next(db.query(sql, params))["n"])


def newest_rowid(db: Database, match: str, filters: Filters, newest: int) -> int | None:
    """The index row from which on the ``newest`` most recently written matches lie.

    Rows are numbered in the order records were last written (an edit re-indexes a record).
    None when fewer records match.
    """
    where, params = _joined(filters)
    params |= {"match": full_match(db, match, filters), "skip": newest - 1}
    join = " JOIN search_keys k ON k.id = search_text.rowid" if where else ""
    sql = f"""SELECT search_text.rowid AS id FROM search_text{join}
        WHERE search_text MATCH :match{where}
        ORDER BY search_text.rowid DESC LIMIT 1 OFFSET :skip"""
    rows = list(db.query(sql, params))
    return int(rows[0]["id"]) if rows else None


def search(
    db: Database, match: str, filters: Filters, limit: int, newest_from: int | None = None
) -> list[Row]:
    """The best ``limit`` matches, best first: kind, record_id, force_id, title, snippet, ...

    With ``newest_from`` (see ``newest_rowid``), only matches indexed from that row on compete.
    """
    where, params = _joined(filters)
    full = full_match(db, match, filters)
    params |= {"match": full, "limit": limit}
    if newest_from is not None:
        where += " AND search_text.rowid >= :newest_from"
        params["newest_from"] = newest_from
    join = " JOIN search_keys k ON k.id = search_text.rowid" if "k." in where else ""
    # SQLite computes the snippets only for the rows that survive ORDER BY … LIMIT.
    ranked = f"""SELECT search_text.rowid AS id, search_text.title AS title,
            substr(search_text.body, 1, 160) AS opening,
            snippet(search_text, 1, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet
        FROM search_text{join}
        WHERE search_text MATCH :match{where} ORDER BY {_SCORE} LIMIT :limit"""
    rows = list(db.query(ranked, params))
    if not rows:
        return []
    marks = ", ".join("?" for _ in rows)
    keys = f"""SELECT id, kind, record_id, force_id, marking, author, updated_at
        FROM search_keys WHERE id IN ({marks})"""
    found = {key["id"]: key for key in db.query(keys, [row["id"] for row in rows])}
    return [found[row["id"]] | row for row in rows if row["id"] in found]


def bare_search(conn: Any, match: str, limit: int = 50) -> list[int]:
    """The plain FTS5 query the benchmarks compare ``search`` with: rowids by rank.

    ``match`` is used as it is: give it ``full_match``'s expression for a like-for-like test.
    """
    sql = "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT ?"
    return [row[0] for row in conn.execute(sql, [match, limit])]


def compact(db: Database) -> None:
    """Rewrite the index without the words of records removed for good.

    FTS5 only marks deleted rows until its segments merge; after emptying the trash the words
    must not linger in the file. Costs a rewrite of the index (about 0.5 s at 100,000 notes).
    """
    db.execute("INSERT INTO search_text (search_text) VALUES ('optimize')")
