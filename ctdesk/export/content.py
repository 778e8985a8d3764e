"""What an export may contain: the records of its forces, after the marking limit."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ctdesk.activity import Activity
from ctdesk.evidence import Document
from ctdesk.finding import Finding
from ctdesk.marking import Marking, allows, parse_marking
from ctdesk.note import Note
from ctdesk.record import Record, Records
from ctdesk.scope import Force, Inspection
from ctdesk.workbook import Workbook


@dataclass
class Content:
    """Live records of one inspection for some forces, each at or below the maximum marking."""

    inspection: Inspection
    forces: list[Force]
    notes: list[Note] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the forces' and national ones
    activities: list[Activity] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)  # kind -> records above the maximum
    markings: list[Marking] = field(default_factory=list)

    def of_force(self, force_id: str | None) -> "ForceRecords":
        return ForceRecords(
            notes=[n for n in self.notes if n.force_id == force_id],
            documents=[d for d in self.documents if d.force_id == force_id],
            findings=[f for f in self.findings if f.force_id == force_id],
            activities=[a for a in self.activities if a.force_id == force_id],
        )

    def title_of(self, record_id: str) -> str | None:
        """The title of an included note or document (None if left out or gone)."""
        return self._titles.get(record_id)

    def index(self) -> None:
        """Look-ups for the notes and documents included (call after gathering)."""
        self._titles = {n.id: n.title for n in self.notes}
        self._titles.update({d.id: d.title for d in self.documents})
        self._kinds = dict.fromkeys(self._titles, "note")
        self._kinds.update(dict.fromkeys((d.id for d in self.documents), "document"))

    def kind_of(self, record_id: str) -> str:
        return self._kinds.get(record_id, "record")


@dataclass
class ForceRecords:
    notes: list[Note]
    documents: list[Document]
    findings: list[Finding]
    activities: list[Activity]


def gather(
    wb: Workbook,
    inspection: Inspection,
    forces: list[Force],
    maximum: Marking | None,
    *,
    national: bool,
) -> Content:
    """Read the records of ``forces`` (and national findings if asked), leaving out any above
    ``maximum`` and counting them."""
    wanted = {f.id for f in forces}
    content = Content(inspection, forces)

    def keep(kind: str, record: Record) -> bool:
        marking = parse_marking(record.marking)
        if maximum is not None and not allows(maximum, marking):
            content.left_out[kind] += 1
            return False
        content.markings.append(marking)
        return True

    def mine(record: Record) -> bool:
        return record.inspection_id == inspection.id and record.force_id in wanted

    def each(service: "Records[Any]") -> list[Any]:
        # One query per force when there are few (uses the force index), else one for all.
        if len(forces) <= 10:
            return [r for f in forces for r in service.all(force=f.id)]
        return service.all()

    content.notes = sorted(
        (n for n in each(wb.notes) if mine(n) and keep("note", n)),
        key=lambda n: (n.created_at, n.id),
    )
    content.documents = sorted(
        (d for d in each(wb.documents) if mine(d) and keep("document", d)),
        key=lambda d: (d.received_date or "", d.title, d.id),
    )
    content.activities = [
        a
        for a in sorted(each(wb.activities), key=lambda a: (a.sort, a.created_at))
        if mine(a) and keep("activity", a)
    ]
    content.findings = sorted(
        (
            f
            for f in wb.findings.all(inspection_id=inspection.id)
            if (f.force_id in wanted or (national and f.force_id is None)) and keep("finding", f)
        ),
        key=lambda f: (f.area_id or "~", f.kind, f.created_at),
    )
    content.index()
    return content
