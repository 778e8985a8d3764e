"""``ctdesk check``: is the workbook whole, and is its history as ctdesk wrote it?

It asks SQLite whether the file is sound (and SQLCipher, for an encrypted workbook, whether any
page was altered since it was written), whether every link names a row that exists, whether the
search index holds exactly the live notes, documents and findings, whether every revision still
matches its hashes (its content, and the revision hash over its record, parents, author, time
and content hash) and follows a revision that exists, whether every record's current version is
one of its own revisions, and whether each record is as that revision records it (a record
changed without a revision was changed outside ctdesk). Each problem is one sentence in plain
words. Nothing is repaired. The hashes are not keyed: they show accidental damage and edits
made without care, not a forger who recomputes them.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from ctdesk import history
from ctdesk.activity import Activities
from ctdesk.db import connection
from ctdesk.db import integrity as integrity_db
from ctdesk.db import records as records_db
from ctdesk.errors import PassphraseNeeded, WorkbookError, WrongPassphrase
from ctdesk.evidence import Documents
from ctdesk.finding import Findings
from ctdesk.note import Notes
from ctdesk.record import Records

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

MAX_PER_CHECK = 20  # problems told one by one; beyond that, one line says how many more
RESTORE_HINT = "restore a backup ('ctdesk backups' lists them)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook. ``area``: file, encryption, links, search, history."""

    area: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"area": self.area, "text": self.text}


def _short(ident: str) -> str:
    return ident[:8]


def _capped(area: str, texts: Sequence[str], more: Callable[[int], str]) -> list[Problem]:
    found = [Problem(area, t) for t in texts[:MAX_PER_CHECK]]
    if len(texts) > MAX_PER_CHECK:
        found.append(Problem(area, more(len(texts) - MAX_PER_CHECK)))
    return found


SEARCH_DAMAGED = "The search index is damaged"


def _file(db: Database) -> list[Problem]:
    messages = integrity_db.integrity_messages(db)
    search = [m for m in messages if "search_text" in m]
    found = [Problem("search", f"{SEARCH_DAMAGED} (SQLite: {m}).") for m in search[:1]]
    return found + _capped(
        "file",
        [
            f"The workbook file is damaged (SQLite: {m}); {RESTORE_HINT}."
            for m in messages
            if m not in search
        ],
        lambda n: f"SQLite found {n} more signs of damage in the workbook file.",
    )


def _encryption(db: Database) -> list[Problem]:
    texts = []
    for message in integrity_db.cipher_messages(db):
        words = message.split()
        page = words[-1] if words and words[-1].isdigit() else None
        where = f"Page {page} of the encrypted workbook" if page else "A page of the workbook"
        texts.append(
            f"{where} was altered or damaged after it was written (its authentication code "
            f"does not match); {RESTORE_HINT}."
        )
    return _capped(
        "encryption",
        texts,
        lambda n: f"{n} more pages of the encrypted workbook were altered or damaged.",
    )


def _links(db: Database) -> list[Problem]:
    texts = [
        f"Row {rowid} of the table {table} refers to a row of {parent} that does not exist."
        for table, rowid, parent in integrity_db.foreign_key_violations(db)
    ]
    return _capped("links", texts, lambda n: f"{n} more rows refer to rows that do not exist.")


def _search_text(db: Database) -> list[Problem]:
    return [
        Problem("search", f"{SEARCH_DAMAGED} (SQLite: {m}).")
        for m in integrity_db.search_text_messages(db)
    ]


def _search(db: Database) -> list[Problem]:
    texts = [
        f"The {kind} {_short(rid)} is missing from the search index, so search cannot find it."
        for kind, rid in integrity_db.unindexed_records(db)
    ]
    texts += [
        f"The search index has an entry for the {kind} {_short(rid)}, which is not a live "
        f"{kind}, so search can show what is gone."
        for kind, rid in integrity_db.stray_search_keys(db)
    ]
    texts += [
        f"The search index has {n} entries for the record {_short(rid)} instead of one."
        for rid, n in integrity_db.repeated_search_keys(db)
    ]
    texts += [
        f"The search index has no text for the {kind} {_short(rid)}."
        for kind, rid in integrity_db.keys_without_text(db)
    ]
    texts += [
        f"The search index has text (row {rowid}) that belongs to no record."
        for rowid in integrity_db.text_without_keys(db)
    ]
    return _capped(
        "search", texts, lambda n: f"The search index is out of step in {n} more places."
    )


def _history(db: Database) -> list[Problem]:
    texts = [
        f"The {kind} {_short(rid)} says its current version is revision {_short(head)}, "
        "which is not one of its revisions."
        for kind, rid, head in integrity_db.bad_heads(db)
    ]
    hashes: set[str] = set()
    forgotten: set[str] = set()
    parents_of: list[tuple[dict[str, Any], list[str]]] = []
    for row in integrity_db.revisions(db):
        hashes.add(row["hash"])
        what = f"The history of the {row['kind']} {_short(row['record_id'])} was altered"
        content_ok, hash_ok = history.verify_row(row)
        if not content_ok:
            texts.append(
                f"{what}: the content of revision {_short(row['hash'])} does not match its hash."
            )
        elif not hash_ok:
            texts.append(
                f"{what}: revision {_short(row['hash'])} does not match its hash (its author, "
                "time, parents or record were changed)."
            )
        if row["op"] != "purge":  # a purged record's tombstone follows revisions now removed
            parents_of.append((_brief(row), _parents(row["parents"])))
        else:  # ... which a bundle's later revisions may follow too
            forgotten.update(_forgotten(row["content"]))
    for row, parents in parents_of:
        for parent in parents:
            if parent not in hashes and parent not in forgotten:
                texts.append(
                    f"The history of the {row['kind']} {_short(row['record_id'])} has a gap: "
                    f"revision {_short(row['hash'])} follows {_short(parent)}, which is missing."
                )
    return _capped(
        "history", texts, lambda n: f"The history has {n} more altered or missing revisions."
    )


_KINDS: tuple[type[Records[Any]], ...] = (Notes, Activities, Documents, Findings)


def _same(value: Any, stored: Any) -> bool:
    if isinstance(value, list) and isinstance(stored, list):
        return sorted(map(str, value)) == sorted(map(str, stored))  # link order means nothing
    return bool(value == stored)


def _current(db: Database) -> list[Problem]:
    """Each record as stored against the content of its head revision: a record changed
    without a revision (outside ctdesk, or by damage) no longer matches it."""
    texts = []
    for kind in _KINDS:
        for rows in integrity_db.records_with_heads(db, kind.table):
            ids = [r["id"] for r in rows]
            links = {n: records_db.links_of(db, spec, ids) for n, spec in kind.links.items()}
            for row in rows:
                if not history.content_intact(row["head_content"], row["head_content_hash"]):
                    continue  # no head revision, or an altered one: told by the history check
                try:
                    head = json.loads(row["head_content"])
                except ValueError:
                    continue
                now: dict[str, Any] = {
                    "force": row["force_id"],
                    "inspection": row["inspection_id"],
                    "deleted": row["deleted_at"] is not None,
                }
                now |= {name: row[name] for name in kind.columns}
                now |= {name: found.get(row["id"], []) for name, found in links.items()}
                if isinstance(head, dict) and all(_same(v, head.get(k)) for k, v in now.items()):
                    continue
                texts.append(
                    f"The {kind.noun} {_short(row['id'])} is not as its latest revision "
                    "records it: it was changed outside ctdesk, or damaged."
                )
    return _capped(
        "history", texts, lambda n: f"{n} more records are not as their revisions record them."
    )


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": row["kind"], "record_id": row["record_id"], "hash": row["hash"]}


def _forgotten(text: Any) -> list[str]:
    """The revisions a purge tombstone says it removed."""
    try:
        found = json.loads(text).get("forgotten")
    except (TypeError, ValueError, AttributeError):
        return []
    return [str(h) for h in found] if isinstance(found, list) else []


def _parents(text: Any) -> list[str]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return [str(p) for p in value] if isinstance(value, list) else []


_CHECKS: tuple[tuple[str, str, Callable[[Database], list[Problem]]], ...] = (
    ("file", "the file", _file),
    ("links", "the links between rows", _links),
    ("search", "the search index", _search),
    ("history", "the history", _history),
    ("history", "the records against their history", _current),
)


@contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    conn = db.conn
    if conn.in_transaction:  # the caller's transaction is the snapshot
        yield
        return
    try:
        conn.execute("BEGIN")
    except connection.Error:
        yield  # checks on a file this damaged say so themselves
        return
    try:
        yield
    finally:
        with suppress(connection.Error):
            conn.rollback()


def _joined(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_db(db: Database, *, encrypted: bool) -> list[Problem]:
    """Every problem found in the workbook open as ``db`` (empty when it is sound).

    A check that SQLite cannot finish (the damage reaches what it reads) is told once, with
    the others it could not finish, where the first one stopped."""
    checks = list(_CHECKS)
    if encrypted:
        checks.insert(1, ("encryption", "the encryption", _encryption))
    problems: list[Problem] = []
    unfinished: list[str] = []
    first: tuple[int, str, str] | None = None

    def run(area: str, what: str, step: Callable[[Database], list[Problem]]) -> None:
        nonlocal first
        try:
            problems.extend(step(db))
        except connection.Error as exc:
            if what not in unfinished:
                unfinished.append(what)
            first = first or (len(problems), area, str(exc))

    # FTS5's own check asks for the write lock, which a snapshot could not upgrade to.
    try:
        fts = _search_text(db)
    except connection.Error:
        fts = []  # SQLite's integrity check, below, says what is wrong
    with _snapshot(db):  # the rest compare tables: one moment, whatever others write meanwhile
        for area, what, step in checks:
            run(area, what, step)
    if first is not None:
        at, area, reason = first
        text = (
            f"The workbook file is damaged: SQLite could not check {_joined(unfinished)} "
            f"({reason}); {RESTORE_HINT}."
        )
        problems.insert(at, Problem(area, text))
    explained = any(
        p.area in ("file", "encryption") or p.text.startswith(SEARCH_DAMAGED) for p in problems
    )
    if fts and not explained:  # said once, and only when nothing else already says it
        at = sum(1 for p in problems if p.area == "links")
        problems[at:at] = fts
    return problems


def check(wb: "Workbook") -> list[Problem]:
    """Every problem found in an open ``Workbook`` (empty when it is sound)."""
    return check_db(wb.db, encrypted=wb.encrypted)


def check_file(path: Path, passphrase: str | None) -> list[Problem]:
    """Every problem found in the workbook at ``path`` (opened for the check, then closed).

    A workbook too damaged to open is one problem; a missing file, a missing or wrong
    passphrase, or a newer workbook raise as when opening it.
    """
    if not path.is_file():
        connection.open_existing(path, passphrase)  # raises the usual sentence
    try:
        db = connection.open_existing(path, passphrase)
    except (PassphraseNeeded, WrongPassphrase):
        raise
    except WorkbookError as exc:
        if "newer version" in str(exc):
            raise
        return [Problem("file", str(exc))]
    except connection.Error as exc:
        return [Problem("file", f"The workbook {path} cannot be read (SQLite: {exc}).")]
    try:
        return check_db(db, encrypted=passphrase is not None)
    finally:
        db.close()
