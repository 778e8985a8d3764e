"""Writing what ``ctdesk.merge`` derives: record rows, their links, and open conflicts.

Rows follow from revisions alone (who created the record and when come from its earliest
revision, ``updated_at`` from the current one), so two workbooks holding the same revisions hold
the same rows.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ctdesk import history, merge
from ctdesk.db import exchange as exchange_db
from ctdesk.record import COMMON, Records

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook

# Rows go in this order so that what a record refers to (a note's activity) is there first.
KIND_ORDER = ("activity", "document", "note", "finding")


def row_for(service: Records[Any], record_id: str, outcome: merge.Outcome) -> dict[str, Any]:
    """The table row a record's derived state gives (its content must not be None)."""
    content = outcome.content
    assert content is not None
    row: dict[str, Any] = {
        "id": record_id,
        "force_id": content.get("force"),
        "inspection_id": content.get("inspection"),
        "author": outcome.created.author,
        "workbook_id": outcome.created.workbook_id,
        "created_at": outcome.created.created_at,
        "updated_at": outcome.head.created_at,
        "deleted_at": outcome.deleted_since,
        "head": outcome.head.hash,
    }
    for name in service.columns:
        row[name] = content.get(name)
    return row


@dataclass
class Batch:
    """Derived states to write in one go, by kind."""

    outcomes: dict[str, dict[str, merge.Outcome]] = field(default_factory=dict)

    def add(self, kind: str, record_id: str, outcome: merge.Outcome) -> None:
        self.outcomes.setdefault(kind, {})[record_id] = outcome

    def write(self, wb: "Workbook") -> None:
        """Store merge revisions, rows, links and conflicts; call inside a transaction."""
        db = wb.db
        services = wb.record_kinds()
        made = [
            history.as_row(o.made)
            for per_kind in self.outcomes.values()
            for o in per_kind.values()
            if o.made is not None
        ]
        exchange_db.insert_revisions(db, made)
        for kind in KIND_ORDER:
            service, per_kind = services[kind], self.outcomes.get(kind, {})
            rows = [row_for(service, rid, o) for rid, o in per_kind.items() if o.content]
            exchange_db.upsert_rows(db, service.table, (*COMMON, *service.columns), rows)
        for kind in KIND_ORDER:
            service, per_kind = services[kind], self.outcomes.get(kind, {})
            for name, spec in service.links.items():
                exchange_db.replace_links(
                    db,
                    spec,
                    {
                        rid: [str(t) for t in _list(o.content.get(name))]
                        for rid, o in per_kind.items()
                        if o.content
                    },
                )
        open_ = [
            {"record_id": rid, "kind": kind, "tips": list(o.conflict)}
            for kind, per_kind in self.outcomes.items()
            for rid, o in per_kind.items()
            if o.conflict
        ]
        closed = [
            rid
            for per_kind in self.outcomes.values()
            for rid, o in per_kind.items()
            if not o.conflict
        ]
        exchange_db.set_conflicts(db, open_, closed)


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def outcome_revisions(wb: "Workbook", record_id: str) -> list[history.Revision]:
    """Every revision this workbook holds of a record."""
    rows = exchange_db.revisions_of(wb.db, [record_id]).get(record_id, [])
    return [history.from_row(r) for r in rows]


def outcome_of(wb: "Workbook", record_id: str) -> merge.Outcome:
    """A record's derived state from every revision this workbook holds of it."""
    return merge.derive(outcome_revisions(wb, record_id))


def rederive(wb: "Workbook", kind: str, record_id: str) -> None:
    """Bring a record's row and conflict in line with its revisions (after a local write to a
    record in conflict); call inside a transaction."""
    batch = Batch()
    batch.add(kind, record_id, outcome_of(wb, record_id))
    batch.write(wb)
