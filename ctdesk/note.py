"""Notes: what an inspector writes during fieldwork in a force, tied to the areas it evidences."""

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from ctdesk import history as revlog
from ctdesk.changes import Changed, Changes
from ctdesk.clock import new_id, now_iso
from ctdesk.db import notes as notes_db
from ctdesk.errors import InvalidInput, NotFound
from ctdesk.marking import parse_marking

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

KIND = "note"
MAX_TITLE = 300
MAX_BODY = 2_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Note:
    id: str
    force_id: str
    inspection_id: str
    title: str
    body: str
    areas: tuple[str, ...]
    marking: str
    author: str
    workbook_id: str
    created_at: str
    updated_at: str
    deleted_at: str | None
    head: str

    def content(self) -> dict[str, Any]:
        """What a revision records: everything the inspector can change, plus identity."""
        return {
            "force": self.force_id,
            "inspection": self.inspection_id,
            "title": self.title,
            "body": self.body,
            "areas": list(self.areas),
            "marking": self.marking,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "force": self.force_id,
            "inspection": self.inspection_id,
            "title": self.title,
            "body": self.body,
            "areas": list(self.areas),
            "marking": self.marking,
            "author": self.author,
            "workbook_id": self.workbook_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _from_row(row: dict[str, Any]) -> Note:
    return Note(
        id=row["id"],
        force_id=row["force_id"],
        inspection_id=row["inspection_id"],
        title=row["title"],
        body=row["body"],
        areas=tuple(json.loads(row["areas"] or "[]")),
        marking=row["marking"],
        author=row["author"],
        workbook_id=row["workbook_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        head=row["head"],
    )


def clean_title(title: str) -> str:
    """A title on one line, without control characters; raises if nothing is left."""
    cleaned = " ".join(_CONTROL.sub(" ", title).split())
    if not cleaned:
        raise InvalidInput("A note needs a title: a few words saying what it is about.")
    if len(cleaned) > MAX_TITLE:
        raise InvalidInput(f"A note title can be at most {MAX_TITLE} characters; shorten it.")
    return cleaned


def clean_body(body: str) -> str:
    """Body text with newlines normalised and NULs removed; raises if absurdly long."""
    cleaned = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(cleaned) > MAX_BODY:
        raise InvalidInput(
            f"A note body can be at most {MAX_BODY:,} characters; split it into several notes."
        )
    return cleaned


class Notes:
    """Writing and reading notes. Every write appends a revision."""

    def __init__(self, workbook: "Workbook") -> None:
        self._wb = workbook

    def _areas(self, refs: Sequence[str], inspection_id: str) -> tuple[str, ...]:
        scope = self._wb.scope
        inspection = scope.inspection(inspection_id)
        ids = set()
        for ref in refs:
            area = scope.area(ref, inspection)
            if area.inspection_id != inspection.id:
                raise InvalidInput(
                    f"Area {area.id} belongs to another inspection than {inspection.code}; "
                    f"choose one of {', '.join(a.code for a in inspection.areas)}."
                )
            ids.add(area.id)
        return tuple(sorted(ids))

    def add(
        self,
        *,
        force: str,
        title: str,
        body: str = "",
        areas: Sequence[str] = (),
        marking: str | None = None,
        inspection: str | None = None,
    ) -> Changed[Note]:
        """Create a note for a force (by id or name) in an inspection (default: the current)."""
        scope = self._wb.scope
        insp = scope.inspection(inspection) if inspection else scope.current
        frc = scope.force(force)
        if insp.id not in frc.inspections:
            raise InvalidInput(
                f"{frc.name} was not in the scope of {insp.code}; choose a force that was."
            )
        now = now_iso()
        note = Note(
            id=new_id(),
            force_id=frc.id,
            inspection_id=insp.id,
            title=clean_title(title),
            body=clean_body(body),
            areas=self._areas(areas, insp.id),
            marking=str(parse_marking(marking or self._wb.default_marking)),
            author=self._wb.author,
            workbook_id=self._wb.id,
            created_at=now,
            updated_at=now,
            deleted_at=None,
            head="",
        )
        rev = self._revision(note, parents=(), op="create", at=now)
        note = replace(note, head=rev.hash)
        with self._wb.db.atomic():
            revlog.store(self._wb.db, rev)
            row = {k: v for k, v in asdict(note).items() if k != "areas"}
            notes_db.insert(self._wb.db, row, note.areas)
        return Changed(note, Changes.of(KIND, note.id))

    def edit(
        self,
        note_id: str,
        *,
        title: str | None = None,
        body: str | None = None,
        areas: Sequence[str] | None = None,
        marking: str | None = None,
    ) -> Changed[Note]:
        """Change a note; fields left as None keep their value. No change, no revision."""
        old = self.get(note_id)
        new = replace(
            old,
            title=clean_title(title) if title is not None else old.title,
            body=clean_body(body) if body is not None else old.body,
            areas=self._areas(areas, old.inspection_id) if areas is not None else old.areas,
            marking=str(parse_marking(marking)) if marking is not None else old.marking,
        )
        if new.content() == old.content():
            return Changed(old, Changes())
        now = now_iso()
        rev = self._revision(new, parents=(old.head,), op="edit", at=now)
        new = replace(new, updated_at=now, head=rev.hash)
        columns = {k: getattr(new, k) for k in ("title", "body", "marking", "updated_at", "head")}
        with self._wb.db.atomic():
            revlog.store(self._wb.db, rev)
            notes_db.update(
                self._wb.db, old.id, columns, new.areas if new.areas != old.areas else None
            )
        return Changed(new, Changes.of(KIND, new.id))

    def _revision(self, note: Note, *, parents: Sequence[str], op: str, at: str) -> revlog.Revision:
        return revlog.make(
            kind=KIND,
            record_id=note.id,
            content=note.content(),
            parents=parents,
            op=op,
            author=self._wb.author,
            workbook_id=self._wb.id,
            created_at=at,
        )

    def resolve(self, ref: str) -> str:
        """A note's full id from its id or an unambiguous prefix of at least 4 characters."""
        ref = ref.strip().lower()
        if notes_db.get(self._wb.db, ref) is not None:
            return ref
        matches = notes_db.ids_with_prefix(self._wb.db, ref) if len(ref) >= 4 else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(f"More than one note id starts with '{ref}'; give more of the id.")
        raise NotFound(f"There is no note with id '{ref}'; run 'ctdesk note list' to see ids.")

    def get(self, ref: str) -> Note:
        """One note by id or unambiguous id prefix."""
        row = notes_db.get(self._wb.db, self.resolve(ref))
        assert row is not None
        return _from_row(row)

    def all(self, *, force: str | None = None) -> list[Note]:
        """Notes (not in the trash), most recently changed first, optionally for one force."""
        force_id = self._wb.scope.force(force).id if force else None
        return [_from_row(r) for r in notes_db.list_notes(self._wb.db, force_id=force_id)]

    def history(self, ref: str) -> list[revlog.Revision]:
        """Every revision of a note, oldest first."""
        return revlog.of_record(self._wb.db, self.resolve(ref))
