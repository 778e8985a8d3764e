"""Full-text search over notes, evidence and findings: ranked hits with highlighted snippets.

The query syntax is ``ctdesk.search_query``'s; filters name forces, regions and areas as the
inspector types them (id, name or code). ``search`` never fails on what was typed in the box:
a query with nothing to look for finds nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ctdesk import search_query
from ctdesk.dates import day_start_utc, parse_date
from ctdesk.db import connection
from ctdesk.db import search as search_db
from ctdesk.db.search import MATCH_END, MATCH_START, Filters
from ctdesk.errors import InvalidInput
from ctdesk.finding import KINDS as FINDING_KINDS
from ctdesk.marking import parse_marking
from ctdesk.scope import Scope

__all__ = [
    "KINDS",
    "Filters",
    "Hit",
    "Results",
    "SearchInterrupted",
    "Searcher",
    "filters_for",
    "search",
]

KINDS: dict[str, str] = {"note": "Notes", "document": "Evidence", "finding": "Findings"}
DEFAULT_LIMIT = 50
# Ranking costs time per match; past this many matches only the most recently written compete.
# A real inspection's workbook (a few thousand notes) never reaches it.
RANK_WINDOW = 5000


@dataclass(frozen=True)
class Hit:
    """One matching record. ``spans`` are (start, end) offsets of the matches in ``snippet``."""

    kind: str
    record_id: str
    force_id: str | None
    title: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    marking: str
    author: str
    updated_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "kind": self.kind,
            "force": self.force_id,
            "title": self.title,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.spans],
            "marking": self.marking,
            "author": self.author,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Results:
    """The best hits, and how many records match in all."""

    text: str
    total: int = 0
    hits: tuple[Hit, ...] = ()
    words: tuple[str, ...] = field(default=())  # what to highlight when a hit is opened
    ranked: int = 0  # how many matches competed for the top places (all, up to RANK_WINDOW)

    @property
    def windowed(self) -> bool:
        """True when only the most recently written matches were ranked."""
        return self.ranked < self.total

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "ranked": self.ranked,
            "results": [hit.as_json() for hit in self.hits],
        }


def filters_for(
    scope: Scope,
    *,
    force: str | None = None,
    region: str | None = None,
    area: str | None = None,
    kind: str | None = None,
    marking: str | None = None,
    author: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Filters:
    """Filters from what the inspector typed; raises ``CtdeskError`` naming a bad value.

    Dates are local days: ``since`` from the start of that day, ``until`` to its end.
    """
    marking_value = label = None
    if marking:
        parsed = parse_marking(marking)
        if parsed.handling or parsed.descriptor:
            marking_value = str(parsed)
        else:
            label = parsed.label
    return Filters(
        force_id=_force(scope, force) if force else None,
        region_id=scope.region(region).id if region else None,
        area_id=scope.area(area).id if area else None,
        kind=_kind(kind) if kind else None,
        marking=marking_value,
        marking_label=label,
        author=author.strip() or None if author else None,
        since=day_start_utc(parse_date(since, "date for --since")) if since else None,
        before=day_start_utc(parse_date(until, "date for --until"), 1) if until else None,
    )


_KIND_WORDS = {
    "notes": "note",
    "documents": "document",
    "evidence": "document",
    "findings": "finding",
}


def _force(scope: Scope, text: str) -> str:
    # "national": findings that belong to no single force.
    return "national" if text.strip().lower() == "national" else scope.force(text).id


def _kind(text: str) -> str:
    word = text.strip().lower()
    if word in KINDS or word in _KIND_WORDS:
        return _KIND_WORDS.get(word, word)
    raise InvalidInput(f"'{text}' is not a kind of record; use note, document or finding.")


def _spans(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text and match spans from a snippet carrying MATCH_START/MATCH_END marks."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for ch in marked:
        if ch == MATCH_START:
            start = length
        elif ch == MATCH_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            text.append(ch)
            length += 1
    return "".join(text), tuple(spans)


def _title(row: dict[str, Any]) -> str:
    if row["kind"] != "finding":
        return str(row["title"])
    kind = str(row["title"]).replace(" ", "-")
    opening = " ".join(str(row["opening"] or "").split())
    if len(opening) > 100:
        opening = opening[:100].rsplit(" ", 1)[0] + "…"
    return f"{FINDING_KINDS.get(kind, kind.capitalize())}: {opening}"


def _hit(row: dict[str, Any]) -> Hit:
    snippet, spans = _spans(" ".join(str(row["snippet"] or "").split()))
    return Hit(
        kind=row["kind"],
        record_id=row["record_id"],
        force_id=row["force_id"],
        title=_title(row),
        snippet=snippet,
        spans=spans,
        marking=row["marking"],
        author=row["author"],
        updated_at=row["updated_at"],
    )


def search(
    db: Database, text: str, filters: Filters | None = None, limit: int = DEFAULT_LIMIT
) -> Results:
    """The ``limit`` best matches for ``text`` under ``filters``, best first, and the total.

    Matches are ranked by bm25 (a title match counts four times a body match); when more than
    ``RANK_WINDOW`` records match, only the ``RANK_WINDOW`` most recently written compete.
    """
    query = search_query.parse(text)
    if query.empty:
        return Results(text)
    match = query.fts()
    filters = filters or Filters()
    total = search_db.count(db, match, filters)
    newest_from = None
    if total > RANK_WINDOW:
        newest_from = search_db.newest_rowid(db, match, filters, RANK_WINDOW)
    rows = search_db.search(db, match, filters, max(0, limit), newest_from)
    hits = tuple(_hit(row) for row in rows)
    return Results(text, total, hits, tuple(query.words()), min(total, RANK_WINDOW))


class SearchInterrupted(Exception):
    """``Searcher.interrupt`` stopped a search before it finished."""


class Searcher:
    """Searches a workbook through its own read-only connection, so it can run on a thread
    other than the one writing. Use from one thread at a time; ``close`` when done."""

    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        self._db = connection.open_reader(path, passphrase)

    def search(
        self, text: str, filters: Filters | None = None, limit: int = DEFAULT_LIMIT
    ) -> Results:
        """As ``search``; raises ``SearchInterrupted`` if ``interrupt`` stopped it."""
        try:
            with connection.interruptible():
                return search(self._db, text, filters, limit)
        except connection.Interrupted as exc:
            raise SearchInterrupted() from exc

    def interrupt(self) -> None:
        """Stop the search running now, if any (safe to call from any thread)."""
        connection.interrupt(self._db)

    def close(self) -> None:
        self._db.close()
