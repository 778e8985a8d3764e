"""Two versions of a record in conflict, field by field, with the words that differ marked.

Qt-free: the conflicts page turns these rows into formatted text. A field's value is shown as
the inspector knows it (area codes and names, kinds by name, linked records by title), and
each side's value is cut into segments, ``changed`` where the other side differs.
"""

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ctdesk import activity, evidence, finding
from ctdesk.errors import CtdeskError

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

#: Above this many words on a side, texts are compared line by line (a word diff of two long
#: texts costs too much to wait for).
WORD_DIFF_LIMIT = 20_000
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+")
# Kept in the record but not worth a row: where it belongs (shown by the list) and its order.
_SKIPPED = {"inspection", "sort", "deleted", "attachment_hash", "attachment_size"}


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool  # the other side differs here


@dataclass(frozen=True)
class Row:
    """One field of both versions. A side is None when that version has nothing left."""

    key: str
    label: str
    long: bool  # paragraphs of text, shown below its label
    same: bool
    mine: tuple[Segment, ...] | None
    theirs: tuple[Segment, ...] | None


Value = str | tuple[str, ...]  # text, or items (areas, linked records)


@dataclass(frozen=True)
class _Spec:
    label: str
    long: bool = False


# The fields of each kind worth showing, in order; paragraphs of text last, so that the short
# fields line up across the two panes.
_FIELDS: dict[str, dict[str, _Spec]] = {
    "note": {
        "title": _Spec("Title"),
        "marking": _Spec("Marking"),
        "areas": _Spec("Areas"),
        "activity_id": _Spec("Activity"),
        "body": _Spec("Text", long=True),
    },
    "document": {
        "title": _Spec("Title"),
        "category": _Spec("Category"),
        "reference": _Spec("Reference"),
        "provided_by": _Spec("Provided by"),
        "received_date": _Spec("Received"),
        "review_status": _Spec("Review"),
        "reviewer": _Spec("Reviewer"),
        "attachment_name": _Spec("Attached file"),
        "marking": _Spec("Marking"),
        "areas": _Spec("Areas"),
    },
    "activity": {
        "title": _Spec("Title"),
        "kind": _Spec("Kind"),
        "status": _Spec("Status"),
        "planned_date": _Spec("Planned"),
        "done_date": _Spec("Done"),
        "method_id": _Spec("Methodology item"),
        "marking": _Spec("Marking"),
        "participants": _Spec("Participants", long=True),
    },
    "finding": {
        "kind": _Spec("Kind"),
        "area_id": _Spec("Area"),
        "grade": _Spec("Grade"),
        "marking": _Spec("Marking"),
        "evidence": _Spec("Evidence"),
        "recommendations": _Spec("Recommendations"),
        "text": _Spec("Text", long=True),
    },
}
_NONE = "(none)"


class _Shower:
    """Turns stored values into what the inspector reads, looking records up as needed."""

    def __init__(self, wb: "Workbook") -> None:
        self._wb = wb

    def _title(self, kind: str, record_id: str) -> str:
        service = self._wb.record_kinds().get(kind)
        try:
            if service is None or not service.exists(record_id):
                return f"{record_id[:8]} (not in this workbook)"
            record = service.get(record_id)
        except CtdeskError:
            return record_id[:8]
        name = getattr(record, "title", "") or getattr(record, "text", "")
        first = str(name).strip().splitlines()[0] if str(name).strip() else "(untitled)"
        gone = " (in the trash)" if record.deleted else ""
        return f"{first}{gone}"

    def _area(self, area_id: Any) -> str:
        try:
            return self._wb.scope.area_by_id(str(area_id)).label
        except KeyError:
            return str(area_id)

    def _method(self, method_id: str, inspection_id: Any) -> str:
        try:
            insp = self._wb.scope.inspection(str(inspection_id))
        except CtdeskError:
            return method_id
        found = next((m for m in insp.methodology if m.id == method_id), None)
        return found.title if found else method_id

    def _evidence(self, record_id: str) -> str:
        kind = "note" if self._wb.notes.exists(record_id) else "document"
        return f"{kind.capitalize()}: {self._title(kind, record_id)}"

    def value(self, kind: str, key: str, content: Mapping[str, Any]) -> Value:
        raw = content.get(key)
        if key == "areas":
            return tuple(sorted(self._area(a) for a in raw or ()))
        if key == "evidence":
            return tuple(sorted(self._evidence(str(r)) for r in raw or ()))
        if key == "recommendations":
            return tuple(sorted(self._title("finding", str(r)) for r in raw or ()))
        if isinstance(raw, list):
            return tuple(sorted(str(v) for v in raw))
        if raw is None or raw == "":
            return _NONE
        names: dict[tuple[str, str], Callable[[Any], str]] = {
            ("note", "activity_id"): lambda v: self._title("activity", str(v)),
            ("document", "category"): lambda v: self._wb.documents.categories(
                str(content.get("inspection") or "") or None
            ).get(str(v), str(v)),
            ("document", "review_status"): lambda v: evidence.STATUSES.get(str(v), str(v)),
            ("document", "attachment_name"): lambda v: self._attachment(content),
            ("activity", "kind"): lambda v: activity.KINDS.get(str(v), str(v)),
            ("activity", "status"): lambda v: activity.STATUSES.get(str(v), str(v)),
            ("activity", "method_id"): lambda v: self._method(str(v), content.get("inspection")),
            ("finding", "kind"): lambda v: (
                finding.KINDS.get(str(v)) or finding.KIND_ALIASES.get(str(v)) or str(v)
            ),
            ("finding", "grade"): lambda v: finding.GRADES.get(str(v), str(v)),
            ("finding", "area_id"): self._area,
        }
        show = names.get((kind, key))
        if key == "force":
            return self._force(str(raw))
        return show(raw) if show else str(raw)

    def _force(self, force_id: str) -> str:
        try:
            return self._wb.scope.force(force_id).name
        except CtdeskError:
            return force_id

    @staticmethod
    def _attachment(content: Mapping[str, Any]) -> str:
        size = content.get("attachment_size")
        digest = str(content.get("attachment_hash") or "")
        kb = f", {max(int(size) // 1024, 1)} KB" if isinstance(size, int) else ""
        return f"{content.get('attachment_name')}{kb} (file {digest[:8]})"


def _items(mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[list[Segment], list[Segment]]:
    """Items one per line, ``changed`` when the other side lacks them."""

    def side(items: tuple[str, ...], other: tuple[str, ...]) -> list[Segment]:
        if not items:
            return [Segment(_NONE, bool(other))]
        out: list[Segment] = []
        for n, item in enumerate(items):
            if n:
                out.append(Segment("\n", False))
            out.append(Segment(item, item not in other))
        return out

    return side(mine, theirs), side(theirs, mine)


def _tokens(text: str) -> list[str]:
    words = _TOKENS.findall(text)
    if len(words) <= WORD_DIFF_LIMIT:
        return words
    return text.splitlines(keepends=True)


def _join(parts: list[Segment]) -> list[Segment]:
    """Adjacent segments of one kind merged. Changes that are only white space are unmarked,
    and white space between two changes is marked with them, so a changed phrase reads as one."""
    parts = [p for p in parts if p.text]
    marked = [p.changed and bool(p.text.strip()) for p in parts]
    for n in range(1, len(parts) - 1):
        if not parts[n].text.strip() and marked[n - 1] and marked[n + 1]:
            marked[n] = True
    pieces: list[Segment] = []
    for part, changed in zip(parts, marked, strict=True):
        if not changed or not part.text.strip():  # unchanged, or white space within a change
            pieces.append(Segment(part.text, changed))
            continue
        core = part.text.strip()
        start = part.text.index(core)
        pieces.append(Segment(part.text[:start], False))  # a change starts and ends on a word
        pieces.append(Segment(core, True))
        pieces.append(Segment(part.text[start + len(core) :], False))
    out: list[Segment] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].changed == piece.changed:
            out[-1] = Segment(out[-1].text + piece.text, piece.changed)
        else:
            out.append(piece)
    return out


def diff_words(mine: str, theirs: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into segments; ``changed`` marks words the other text does not have
    there (``difflib.SequenceMatcher`` over words, white space and punctuation)."""
    a, b = _tokens(mine), _tokens(theirs)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = op != "equal"
        left.append(Segment("".join(a[i1:i2]), changed))
        right.append(Segment("".join(b[j1:j2]), changed))
    return _join(left), _join(right)


def _as_items(value: Value) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return () if value == _NONE else (value,)


def _pair(mine: Value, theirs: Value) -> tuple[list[Segment], list[Segment]]:
    if isinstance(mine, tuple) or isinstance(theirs, tuple):
        return _items(_as_items(mine), _as_items(theirs))
    if mine == _NONE or theirs == _NONE:  # nothing against something: all of it differs
        return [Segment(mine, mine != theirs)], [Segment(theirs, mine != theirs)]
    return diff_words(mine, theirs)


def _keys(kind: str, contents: Sequence[Mapping[str, Any]]) -> list[str]:
    """The fields to show: the kind's own, then any other a version holds (the force only when
    the versions disagree about it), paragraphs of text last."""
    known = _FIELDS.get(kind, {})
    extra = sorted({k for c in contents for k in c} - set(known) - _SKIPPED)
    if "force" in extra and len({c.get("force") for c in contents}) < 2:
        extra.remove("force")
    keys = [k for k in known if any(k in c for c in contents)] + extra
    return sorted(keys, key=lambda k: known[k].long if k in known else False)


def _label(kind: str, key: str) -> tuple[str, bool]:
    spec = _FIELDS.get(kind, {}).get(key)
    if spec is not None:
        return spec.label, spec.long
    return key.replace("_", " ").capitalize(), False


def compare(
    wb: "Workbook",
    kind: str,
    mine: Mapping[str, Any] | None,
    theirs: Mapping[str, Any] | None,
) -> list[Row]:
    """The rows to show for two versions of a ``kind`` record (None: nothing left of one)."""
    shower = _Shower(wb)
    present = [c for c in (mine, theirs) if c is not None]
    rows: list[Row] = []
    states = [None if c is None else bool(c.get("deleted")) for c in (mine, theirs)]
    if any(states):
        shown = ["In the trash" if s else "Not in the trash" for s in states]
        same = states[0] == states[1]
        rows.append(
            Row(
                "deleted",
                "Trash",
                False,
                same,
                None if mine is None else (Segment(shown[0], not same),),
                None if theirs is None else (Segment(shown[1], not same),),
            )
        )
    for key in _keys(kind, present):
        label, long = _label(kind, key)
        values = [None if c is None else shower.value(kind, key, c) for c in (mine, theirs)]
        left, right = values
        if left is None or right is None:  # one version has nothing left to compare
            only = left if left is not None else right
            text = only if isinstance(only, str) else "\n".join(only or ()) or _NONE
            seg = (Segment(text, False),)
            mine_seg, theirs_seg = (seg, None) if left is not None else (None, seg)
            rows.append(Row(key, label, long, False, mine_seg, theirs_seg))
            continue
        if left == right and left in (_NONE, ()):
            continue  # empty on both sides: nothing to compare
        a, b = _pair(left, right)
        rows.append(Row(key, label, long, left == right, tuple(a), tuple(b)))
    return rows
