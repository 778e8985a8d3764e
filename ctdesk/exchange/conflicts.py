"""Open conflicts: records both sides changed, and resolving them.

"Mine" is the latest version made in this workbook (the current one when none was), "theirs"
the latest other version. Resolving writes one revision following every version, so it closes
the conflict here and, once it travels in a bundle, everywhere else; no version leaves history.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ctdesk import history, marking, merge
from ctdesk.changes import Changes
from ctdesk.clock import now_iso
from ctdesk.db import exchange as exchange_db
from ctdesk.errors import InvalidInput, NotFound
from ctdesk.exchange import state

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

Keep = Literal["mine", "theirs", "both"]
KEEPS: tuple[Keep, ...] = ("mine", "theirs", "both")
# Fields "keep both" writes one after the other: paragraphs of text, and titles.
_PARAGRAPHS = {"body", "text", "participants"}
_LINES = {"title"}


@dataclass(frozen=True)
class Version:
    """One side of a conflict."""

    hash: str
    author: str
    workbook_id: str
    created_at: str
    content: dict[str, Any] | None
    mine: bool
    current: bool

    @property
    def deleted(self) -> bool:
        return self.content is None or bool(self.content.get("deleted"))

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.hash,
            "author": self.author,
            "workbook_id": self.workbook_id,
            "created_at": self.created_at,
            "current": self.current,
            "mine": self.mine,
            "deleted": self.deleted,
            "content": self.content,
        }


@dataclass(frozen=True)
class Conflict:
    """A record with more than one current version."""

    record_id: str
    kind: str
    force_id: str | None
    title: str
    versions: tuple[Version, ...]  # oldest first
    base: dict[str, Any] | None = None  # what the versions started from, when known

    @property
    def mine(self) -> Version:
        own = [v for v in self.versions if v.mine]
        return own[-1] if own else self.current

    @property
    def theirs(self) -> Version:
        mine = self.mine
        return [v for v in self.versions if v is not mine][-1]

    @property
    def current(self) -> Version:
        return next(v for v in self.versions if v.current)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "kind": self.kind,
            "force": self.force_id,
            "title": self.title,
            "current": self.current.hash,
            "mine": self.mine.hash,
            "theirs": self.theirs.hash,
            "versions": [v.to_json() for v in self.versions],
        }


def title_of(content: Mapping[str, Any] | None) -> str:
    """What a version is called: its title, or the start of a finding's text."""
    if not content:
        return "(emptied from the trash)"
    text = str(content.get("title") or content.get("text") or "").strip()
    first = text.splitlines()[0] if text else "(untitled)"
    return first if len(first) <= 80 else first[:79] + "…"


def _conflict(wb: "Workbook", record_id: str, kind: str) -> Conflict:
    revisions = {r.hash: r for r in state.outcome_revisions(wb, record_id)}
    outcome = merge.derive(revisions.values())
    versions = tuple(
        Version(
            hash=rev.hash,
            author=rev.author,
            workbook_id=rev.workbook_id,
            created_at=rev.created_at,
            content=merge.effective(revisions, rev),
            mine=rev.workbook_id == wb.id,
            current=rev.hash == outcome.head.hash,
        )
        for rev in merge.tips(revisions)
    )
    content = outcome.content or {}
    base = merge.base_content(revisions.values())
    return Conflict(record_id, kind, content.get("force"), title_of(content), versions, base)


def list_conflicts(wb: "Workbook") -> list[Conflict]:
    """Every open conflict, by kind then id."""
    return [_conflict(wb, row["record_id"], row["kind"]) for row in exchange_db.conflicts(wb.db)]


def get(wb: "Workbook", ref: str) -> Conflict:
    """One open conflict by record id or an unambiguous prefix of it."""
    ref = ref.strip().lower()
    rows = [r for r in exchange_db.conflicts(wb.db) if r["record_id"].startswith(ref)]
    if ref and len(rows) == 1:
        return _conflict(wb, rows[0]["record_id"], rows[0]["kind"])
    if len(rows) > 1:
        raise NotFound(f"More than one conflict's record id starts with '{ref}'; give more of it.")
    raise NotFound(f"No record '{ref}' is in conflict; run 'ctdesk conflicts' to see them.")


def count(wb: "Workbook") -> int:
    """How many records are in conflict (one query; nothing rebuilt)."""
    return exchange_db.conflict_count(wb.db)


def both(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> dict[str, Any]:
    """Mine with their text after mine wherever the two differ, links of either, the higher
    marking, and live unless both are deleted."""
    kept = dict(mine)
    for key, value in theirs.items():
        ours = mine.get(key)
        if value == ours or value in (None, "", []):
            continue
        if key in _PARAGRAPHS and isinstance(value, str):
            kept[key] = f"{ours}\n\n{value}" if ours else value
        elif key in _LINES and isinstance(value, str):
            kept[key] = f"{ours} / {value}" if ours else value
        elif isinstance(value, list):
            kept[key] = sorted({*map(str, ours or []), *map(str, value)})
        elif key == "marking" and isinstance(ours, str) and isinstance(value, str):
            kept[key] = str(
                marking.highest(
                    marking.parse_marking(m, allow_above_official=True) for m in (ours, value)
                )
            )
        elif key == "deleted":
            kept[key] = bool(ours) and bool(value)
        elif ours is None:
            kept[key] = value
    return kept


def resolved(conflict: Conflict, keep: Keep) -> dict[str, Any]:
    """The content resolving ``conflict`` keeps: where the versions clash, the one kept (or,
    for both, both texts); every field only one version changed keeps that change."""
    mine, theirs = conflict.mine, conflict.theirs
    order = [mine, theirs] if keep != "theirs" else [theirs, mine]
    order += [v for v in conflict.versions if v not in order]
    contents = [v.content for v in order if v.content is not None]
    chosen = merge.prefer(conflict.base, contents)
    if keep == "both" and mine.content is not None and theirs.content is not None:
        base = conflict.base or {}
        joined = both(mine.content, theirs.content)
        for key, value in joined.items():
            if mine.content.get(key) != base.get(key) and theirs.content.get(key) != base.get(key):
                chosen[key] = value
    return chosen


def resolve(wb: "Workbook", ref: str, keep: Keep) -> Changes:
    """Close a conflict with a revision following every version, holding the one kept."""
    conflict = get(wb, ref)
    mine, theirs = conflict.mine, conflict.theirs
    kept = {"mine": [mine], "theirs": [theirs], "both": [mine, theirs]}[keep]
    if any(v.content is None for v in kept):
        raise InvalidInput("A version was emptied from the trash elsewhere; keep the other one.")
    content = resolved(conflict, keep)
    rev = history.make(
        kind=conflict.kind,
        record_id=conflict.record_id,
        content=content,
        parents=[v.hash for v in conflict.versions],
        op=merge.RESOLVE_OP,
        author=wb.author,
        workbook_id=wb.id,
        created_at=now_iso(),
    )
    with wb.db.atomic():
        history.store(wb.db, rev)
        state.rederive(wb, conflict.kind, conflict.record_id)
    return Changes.of(conflict.kind, conflict.record_id)
