"""Merge: a record's current version as a function of the revisions a workbook holds.

Whatever order revisions arrive in, two workbooks holding the same revisions of a record derive the
same current version, so exchanging bundles converges. The rules (DESIGN: merge):

- One tip (a revision nothing else follows): it is current.
- Several tips whose changes since their common revision touch different fields: a ``merge``
  revision follows them all, combining the changes. It is built only from the tips, so every
  workbook builds the very same revision (same hash).
- Several tips that changed a field differently, or an edit against a delete: a conflict. The
  current version is the latest edit (deletes lose to edits; ties broken by revision hash) and the
  others stay as conflict versions until someone resolves it with a revision following them all.

A purge tombstone (the trash emptied elsewhere) counts as a delete of what it follows: it never
removes a record another workbook still holds, it only puts it in the trash there.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ctdesk.history import Revision, make

MERGE_OP = "merge"
RESOLVE_OP = "resolve"


@dataclass(frozen=True)
class Origin:
    """Who made a record, in which workbook, and when: from its ``create`` revision, or from
    what a purge tombstone remembers of it once that revision is gone."""

    author: str
    workbook_id: str
    created_at: str


def origin(revisions: Mapping[str, Revision]) -> Origin:
    """The record's origin, the same in every workbook that holds its ``create`` revision or a
    tombstone that replaced it (the earliest of several, for records made alike in several
    workbooks, such as plan activities; the earliest revision known, failing both)."""
    creates = [r for r in revisions.values() if r.op == "create"]
    if creates:
        first = min(creates, key=_age)
        return Origin(first.author, first.workbook_id, first.created_at)
    remembered = [
        r.content["created"]
        for r in revisions.values()
        if r.op == "purge" and isinstance(r.content.get("created"), dict)
    ]
    found = [
        Origin(str(c.get("author")), str(c.get("workbook_id")), str(c.get("created_at")))
        for c in remembered
    ]
    if found:
        return min(found, key=lambda o: (o.created_at, o.author, o.workbook_id))
    first = min(revisions.values(), key=_age)
    return Origin(first.author, first.workbook_id, first.created_at)


@dataclass(frozen=True)
class Outcome:
    """What a record's revisions make of it.

    ``content`` is None when nothing of the record is left to show (only a tombstone). ``made`` is
    a merge revision this workbook must store. ``conflict`` lists every tip (sorted) when the
    record is in conflict, else it is empty."""

    head: Revision
    content: dict[str, Any] | None
    made: Revision | None
    conflict: tuple[str, ...]
    created: "Origin"  # who made the record, where, when
    deleted_since: str | None  # when the current version went to the trash


def follows(rev: Revision) -> tuple[str, ...]:
    """The revisions ``rev`` comes after: its parents, and for a purge tombstone every revision
    the purge removed (a workbook that still holds them holds what the purge replaced)."""
    if rev.op == "purge":
        forgotten = rev.content.get("forgotten")
        if isinstance(forgotten, list):
            return (*rev.parents, *(str(h) for h in forgotten))
    return rev.parents


def tips(revisions: Mapping[str, Revision]) -> list[Revision]:
    """Revisions no other known revision follows, oldest first (then by hash)."""
    followed = {p for r in revisions.values() for p in follows(r)}
    return sorted((r for h, r in revisions.items() if h not in followed), key=_age)


def _age(rev: Revision) -> tuple[str, str]:
    return (rev.created_at, rev.hash)


def _ancestors(revisions: Mapping[str, Revision], start: str) -> set[str]:
    """``start`` and every known revision it follows."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        h = todo.pop()
        if h in seen or h not in revisions:
            continue
        seen.add(h)
        todo.extend(follows(revisions[h]))
    return seen


def _base(revisions: Mapping[str, Revision], heads: Sequence[Revision]) -> Revision | None:
    """The latest common revision of ``heads`` that no other common revision follows."""
    common = set.intersection(*(_ancestors(revisions, h.hash) for h in heads))
    if not common:
        return None
    followed = {p for h in common for p in follows(revisions[h])}
    best = [revisions[h] for h in common if h not in followed]
    return max(best, key=_age)


def _roots_alike(revisions: Mapping[str, Revision]) -> dict[str, Any] | None:
    """The content every first revision shares, when they all share one: a record two
    workbooks generated alike (a plan activity) has a common start without a common revision."""
    roots = [r for r in revisions.values() if not any(p in revisions for p in follows(r))]
    contents = [effective(revisions, r) for r in roots]
    first = contents[0] if contents else None
    return dict(first) if first is not None and all(c == first for c in contents) else None


def effective(revisions: Mapping[str, Revision], rev: Revision) -> dict[str, Any] | None:
    """What a revision says the record is: a purge tombstone says "what it follows, deleted"."""
    if rev.op != "purge":
        return rev.content
    followed = [revisions[p] for p in follows(rev) if p in revisions]
    if not followed:
        return None
    before = effective(revisions, max(followed, key=_age))
    return None if before is None else {**before, "deleted": True}


def _deleted(content: Mapping[str, Any] | None) -> bool:
    return content is None or bool(content.get("deleted"))


def _winner(revisions: Mapping[str, Revision], heads: Sequence[Revision]) -> Revision:
    """The version every workbook shows while a conflict is open: the latest edit, never a
    delete when an edit exists."""
    return max(heads, key=lambda r: (not _deleted(effective(revisions, r)), r.created_at, r.hash))


def base_content(revisions: Iterable[Revision]) -> dict[str, Any] | None:
    """What the versions in conflict started from (their latest common revision), if known."""
    known = {r.hash: r for r in revisions}
    ends = tips(known)
    base = _base(known, ends)
    return effective(known, base) if base is not None else _roots_alike(known)


def prefer(base: Mapping[str, Any] | None, versions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Each field as the first of ``versions`` that changed it since ``base`` has it: the
    earlier a version comes, the more it is preferred, and a field only one changed keeps
    that change. Without a base, the first version whole."""
    if base is None:
        return dict(versions[0])
    chosen = dict(base)
    for key in {k for v in versions for k in v} | set(base):
        changed = [v[key] for v in versions if key in v and v[key] != base.get(key)]
        if changed:
            chosen[key] = changed[0]
    return chosen


def combine(
    base: Mapping[str, Any], versions: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """Each field as changed by whichever version changed it; None when two versions changed a
    field differently, or one deleted what another edited."""
    merged = dict(base)
    edited = False
    for key in sorted({k for v in versions for k in v} | set(base)):
        changed = [v.get(key) for v in versions if v.get(key) != base.get(key)]
        if not changed:
            continue
        if any(value != changed[0] for value in changed[1:]):
            return None
        merged[key] = changed[0]
        edited = edited or key != "deleted"
    if merged.get("deleted") and not base.get("deleted"):
        # An edit never loses to a delete: a version that changed anything else while another
        # deleted the record is a conflict, not a silent delete.
        for v in versions:
            if not v.get("deleted") and any(
                v.get(k) != base.get(k) for k in set(v) | set(base) if k != "deleted"
            ):
                return None
    return merged


def _deleted_since(revisions: Mapping[str, Revision], head: Revision) -> str | None:
    """When the record went to the trash and stayed there, along the history of ``head``."""
    memo: dict[str, str | None] = {}

    def since(rev: Revision) -> str | None:
        if rev.hash in memo:
            return memo[rev.hash]
        memo[rev.hash] = None
        found: str | None = None
        if _deleted(effective(revisions, rev)):
            earlier = [
                s
                for p in follows(rev)
                if p in revisions
                for s in [since(revisions[p])]
                if s is not None
            ]
            found = min(earlier) if earlier else rev.created_at
        memo[rev.hash] = found
        return found

    return since(head)


def derive(revisions: Iterable[Revision]) -> Outcome:
    """The current state of one record from all its revisions this workbook holds."""
    known = {r.hash: r for r in revisions}
    if not known:
        raise ValueError("a record needs at least one revision")
    ends = tips(known)
    created = origin(known)
    made: Revision | None = None
    conflict: tuple[str, ...] = ()
    if len(ends) == 1:
        head = ends[0]
    else:
        base = _base(known, ends)
        versions = [effective(known, r) for r in ends]
        base_content = effective(known, base) if base is not None else _roots_alike(known)
        merged = (
            combine(base_content, [v for v in versions if v is not None])
            if base_content is not None and all(v is not None for v in versions)
            else None
        )
        if merged is None and all(v == versions[0] and v is not None for v in versions):
            merged = dict(versions[0])  # type: ignore[arg-type]
        winner = _winner(known, ends)
        if merged is None and all(v is None for v in versions):
            head = winner  # emptied from the trash on every side: nothing left to choose
        elif merged is None:
            head = winner
            conflict = tuple(sorted(r.hash for r in ends))
        else:
            made = make(
                kind=winner.kind,
                record_id=winner.record_id,
                content=merged,
                parents=[r.hash for r in ends],
                op=MERGE_OP,
                author=winner.author,
                workbook_id=winner.workbook_id,
                created_at=winner.created_at,
            )
            known[made.hash] = made
            head = made
    content = effective(known, head)
    deleted_since = _deleted_since(known, head) if content is not None else None
    return Outcome(head, content, made, conflict, created, deleted_since)
