"""What every fieldwork record shares: identity, marking, revisions, trash.

A record kind (note, activity, document, finding) is a frozen dataclass extending ``Record`` and a
``Records`` subclass naming its table, the content fields kept as columns, and the fields kept in
link tables. Every write appends a revision holding the record's full content; deleting moves a
record to the trash (a revision with ``deleted`` true) and restoring brings it back. Nothing but
emptying the trash ever removes a word.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ctdesk import history as revlog
from ctdesk.changes import Changed, Changes
from ctdesk.clock import new_id, now_iso
from ctdesk.db import exchange as exchange_db
from ctdesk.db import records as records_db
from ctdesk.db import revisions as revisions_db
from ctdesk.db.records import LinkSpec
from ctdesk.errors import InvalidInput, NotFound
from ctdesk.marking import parse_marking

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

COMMON = (
    "id",
    "force_id",
    "inspection_id",
    "marking",
    "author",
    "workbook_id",
    "created_at",
    "updated_at",
    "deleted_at",
    "head",
)


@dataclass(frozen=True)
class Record:
    """Fields every fieldwork record has (see DESIGN: identity and history)."""

    id: str
    force_id: str | None
    inspection_id: str
    marking: str
    author: str
    workbook_id: str
    created_at: str
    updated_at: str
    deleted_at: str | None
    head: str

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def common_json(self) -> dict[str, Any]:
        """The JSON fields every record kind shares, for ``to_json``."""
        return {
            "marking": self.marking,
            "author": self.author,
            "workbook_id": self.workbook_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted_at": self.deleted_at,
        }


R = TypeVar("R", bound=Record)
AfterWrite = Callable[[R | None, R], None]


class Records(Generic[R]):
    """Create, edit, delete, restore and revert records of one kind, keeping every revision."""

    kind: ClassVar[str]
    noun: ClassVar[str]  # how messages name one record: "note", "document", ...
    list_hint: ClassVar[str]  # the command that lists them, for "no such id" messages
    table: ClassVar[str]
    record_type: ClassVar[type[Record]]
    columns: ClassVar[tuple[str, ...]]  # content fields stored in the table (marking included)
    links: ClassVar[Mapping[str, LinkSpec]] = {}  # content fields stored in link tables

    def __init__(self, workbook: "Workbook") -> None:
        self._wb = workbook

    # ---- subclasses override --------------------------------------------------------------
    def _clean(self, values: dict[str, Any], old: R | None, force_id: str | None) -> dict[str, Any]:
        """Validate and normalise new field values (raise ``CtdeskError`` to refuse)."""
        return values

    # ---- content and rows -----------------------------------------------------------------
    def content(self, record: R) -> dict[str, Any]:
        """A record's full state as a revision stores it."""
        data: dict[str, Any] = {
            "force": record.force_id,
            "inspection": record.inspection_id,
            "deleted": record.deleted,
        }
        for name in self.columns:
            data[name] = getattr(record, name)
        for name in self.links:
            data[name] = list(getattr(record, name))
        return data

    def _row(self, record: R) -> dict[str, Any]:
        return {name: getattr(record, name) for name in (*COMMON, *self.columns)}

    @functools.cached_property
    def _field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.record_type))

    def _from_row(self, row: Mapping[str, Any], links: Mapping[str, Sequence[str]]) -> R:
        values = {name: row[name] for name in self._field_names if name in row}
        for name in self.links:
            values[name] = tuple(links.get(name, ()))
        return self.record_type(**values)  # type: ignore[return-value]

    def _load(self, rows: Sequence[Mapping[str, Any]]) -> list[R]:
        ids = [r["id"] for r in rows]
        per_link = {
            name: records_db.links_of(self._wb.db, spec, ids) for name, spec in self.links.items()
        }
        return [
            self._from_row(r, {name: found.get(r["id"], []) for name, found in per_link.items()})
            for r in rows
        ]

    # ---- reading --------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        """A record's full id from its id or an unambiguous prefix of at least 4 characters."""
        ref = ref.strip().lower()
        if ref and records_db.get(self._wb.db, self.table, ref) is not None:
            return ref
        matches = records_db.ids_with_prefix(self._wb.db, self.table, ref) if len(ref) >= 4 else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(f"More than one {self.noun} id starts with '{ref}'; give more of it.")
        raise NotFound(
            f"There is no {self.noun} with id '{ref}'; run '{self.list_hint}' to see ids."
        )

    def exists(self, record_id: str) -> bool:
        return records_db.get(self._wb.db, self.table, record_id) is not None

    def get(self, ref: str) -> R:
        """One record (live or in the trash) by id or unambiguous id prefix."""
        row = records_db.get(self._wb.db, self.table, self.resolve(ref))
        assert row is not None
        return self._load([row])[0]

    def all(
        self, *, force: str | None = None, deleted: bool | None = False, **where: Any
    ) -> list[R]:
        """Records, most recently changed first; ``deleted`` True lists the trash."""
        if force is not None:
            where["force_id"] = self._wb.scope.force(force).id
        rows = records_db.select(self._wb.db, self.table, where=where, deleted=deleted)
        return self._load(rows)

    def history(self, ref: str) -> list[revlog.Revision]:
        """Every revision of a record, oldest first."""
        return revlog.of_record(self._wb.db, self.resolve(ref))

    # ---- writing --------------------------------------------------------------------------
    def _marking(self, value: str | None) -> str:
        return str(parse_marking(value if value is not None else self._wb.default_marking))

    def _create(
        self,
        *,
        force_id: str | None,
        inspection_id: str,
        values: dict[str, Any],
        after: AfterWrite[R] | None = None,
    ) -> Changed[R]:
        return self._create_with_id(
            new_id(), force_id=force_id, inspection_id=inspection_id, values=values, after=after
        )

    def _create_with_id(
        self,
        record_id: str,
        *,
        force_id: str | None,
        inspection_id: str,
        values: dict[str, Any],
        after: AfterWrite[R] | None = None,
    ) -> Changed[R]:
        values = self._clean(dict(values), None, force_id)
        values["marking"] = self._marking(values.get("marking"))
        now = now_iso()
        record = self.record_type(
            id=record_id,
            force_id=force_id,
            inspection_id=inspection_id,
            author=self._wb.author,
            workbook_id=self._wb.id,
            created_at=now,
            updated_at=now,
            deleted_at=None,
            head="",
            **values,
        )
        return self._write(None, record, "create", after)  # type: ignore[arg-type]

    def _update(
        self, ref: str, values: Mapping[str, Any], after: AfterWrite[R] | None = None
    ) -> Changed[R]:
        old = self.get(ref)
        given = {k: v for k, v in values.items() if v is not None}
        if "marking" in given:
            given["marking"] = self._marking(given["marking"])
        given = self._clean(given, old, old.force_id)
        new = replace(old, **given)
        return self._write(old, new, "edit", after)

    def _write(
        self, old: R | None, new: R, op: str, after: AfterWrite[R] | None = None
    ) -> Changed[R]:
        """Append a revision and store ``new``; ``after`` runs in the same transaction."""
        if old is not None and self.content(new) == self.content(old):
            return Changed(old, Changes())
        now = now_iso()
        if new.deleted and not (old is not None and old.deleted):
            new = replace(new, deleted_at=now)  # the trash time is the revision's, as merge has it
        rev = revlog.make(
            kind=self.kind,
            record_id=new.id,
            content=self.content(new),
            parents=(old.head,) if old else (),
            op=op,
            author=self._wb.author,
            workbook_id=self._wb.id,
            created_at=now,
        )
        new = replace(new, updated_at=now, head=rev.hash)
        if old is None:  # made now: the same time as its first revision, as merge has it
            new = replace(new, created_at=now)
        db = self._wb.db
        with db.atomic():
            revlog.store(db, rev)
            row = self._row(new)
            if old is None:
                records_db.insert(db, self.table, row)
            else:
                changed = {k: v for k, v in row.items() if v != self._row(old).get(k)}
                records_db.update(db, self.table, new.id, changed)
            for name, spec in self.links.items():
                if old is None or getattr(old, name) != getattr(new, name):
                    records_db.set_links(db, spec, new.id, getattr(new, name))
            if after is not None:
                after(old, new)
            if exchange_db.is_conflicted(db, new.id):
                # A record in conflict stays whatever its revisions make of it (merge rules).
                from ctdesk.exchange import state

                state.rederive(self._wb, self.kind, new.id)
                new = self.get(new.id)
        return Changed(new, Changes.of(self.kind, new.id))

    def bulk_create(self, records: Sequence[R]) -> Changes:
        """Store new records, each with its ``create`` revision by its own author and time.

        For generated data: values must already be valid (no ``_clean``); one transaction.
        """
        revisions, rows = [], []
        links: dict[str, list[tuple[str, str]]] = {name: [] for name in self.links}
        for record in records:
            rev = revlog.make(
                kind=self.kind,
                record_id=record.id,
                content=self.content(record),
                parents=(),
                op="create",
                author=record.author,
                workbook_id=record.workbook_id,
                created_at=record.created_at,
            )
            revisions.append(revlog.as_row(rev))
            rows.append(self._row(replace(record, head=rev.hash)))
            for name in self.links:
                links[name].extend((record.id, target) for target in getattr(record, name))
        db = self._wb.db
        with db.atomic():
            revisions_db.append_many(db, revisions)
            records_db.insert_many(db, self.table, rows)
            for name, pairs in links.items():
                records_db.insert_links(db, self.links[name], pairs)
        return Changes(frozenset({self.kind}), frozenset(r.id for r in records))

    def delete(self, ref: str) -> Changed[R]:
        """Move a record to the trash (restorable); deleting twice changes nothing."""
        old = self.get(ref)
        if old.deleted:
            return Changed(old, Changes())
        if exchange_db.is_conflicted(self._wb.db, old.id):
            # Merge keeps an edit over a delete, so the delete would not show: say so instead.
            raise InvalidInput(
                f"The {self.noun} {old.id[:8]} has versions from two workbooks; resolve the "
                "conflict first (Go → Conflicts, or 'ctdesk conflicts resolve')."
            )
        return self._write(old, replace(old, deleted_at=now_iso()), "delete")

    def restore(self, ref: str) -> Changed[R]:
        """Bring a record back from the trash."""
        old = self.get(ref)
        if not old.deleted:
            return Changed(old, Changes())
        return self._write(old, replace(old, deleted_at=None), "restore")

    def revert(self, ref: str, revision: str) -> Changed[R]:
        """Make an earlier revision's content current again, as a new revision."""
        old = self.get(ref)
        target = next((r for r in self.history(old.id) if r.hash.startswith(revision)), None)
        if target is None or not revision:
            raise NotFound(
                f"The {self.noun} {old.id[:8]} has no revision '{revision}'; see its history."
            )
        content = target.content
        values: dict[str, Any] = {name: content.get(name) for name in self.columns}
        for name in self.links:
            values[name] = tuple(content.get(name, ()))
        deleted_at = (old.deleted_at or now_iso()) if content.get("deleted") else None
        new = replace(old, deleted_at=deleted_at, **values)
        return self._write(old, new, "revert")

    def purge(self, ref: str) -> Changes:
        """Remove a trashed record for good, keeping only a tombstone revision."""
        old = self.get(ref)
        if not old.deleted:
            raise InvalidInput(
                f"The {self.noun} {old.id[:8]} is not in the trash; delete it first."
            )
        held = self.history(old.id)
        # What earlier purges of this record forgot stays forgotten (their tombstones go now).
        forgotten = sorted(
            {r.hash for r in held}
            | {str(h) for r in held if r.op == "purge" for h in r.content.get("forgotten", [])}
        )
        tomb = revlog.make(
            kind=self.kind,
            record_id=old.id,
            content={
                "force": old.force_id,
                "inspection": old.inspection_id,
                "deleted": True,
                "purged": True,
                # So that a bundle carrying them later does not bring them back.
                "forgotten": forgotten,
                # Who made it and when, once its create revision is gone.
                "created": {
                    "author": old.author,
                    "workbook_id": old.workbook_id,
                    "created_at": old.created_at,
                },
            },
            parents=(old.head,),
            op="purge",
            author=self._wb.author,
            workbook_id=self._wb.id,
            created_at=now_iso(),
        )
        db = self._wb.db
        with db.atomic():
            records_db.purge(db, self.table, old.id, self.links.values())
            revisions_db.delete_for_record(db, old.id)
            revlog.store(db, tomb)
            exchange_db.set_conflicts(db, [], [old.id])
        return Changes.of(self.kind, old.id)
