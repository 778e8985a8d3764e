"""The fieldwork plan: activities in a force (interviews, focus groups, document review, ...).

Each force in scope gets a plan generated from its inspection's methodology. Generated activities
have ids derived from force and methodology item, so two workbooks made from the same scope agree
on them; inspectors add, rename, cancel and remove activities freely.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from ctdesk.changes import Changed, Changes
from ctdesk.dates import optional_date, today_iso
from ctdesk.db import scope as scope_db
from ctdesk.note import clean_line, clean_text
from ctdesk.record import Record, Records
from ctdesk.scope import Inspection
from ctdesk.slugs import pick

KINDS: dict[str, str] = {
    "interview": "Interview",
    "focus-group": "Focus group",
    "document-review": "Document review",
    "reality-testing": "Reality testing visit",
    "case-file-review": "Case file review",
    "observation": "Observation",
    "survey": "Survey",
    "data-analysis": "Data analysis",
    "other": "Other",
}
STATUSES: dict[str, str] = {"planned": "Planned", "done": "Done", "cancelled": "Cancelled"}
_PLAN_NAMESPACE = uuid.UUID("6f1c5a52-3d0e-4b8e-9a57-2c7d3f1b9e40")
# A generated plan comes from the methodology, not from an inspector: its first revisions are
# the same in every workbook (same hash), so bundles find them already known.
PLAN_AUTHOR = "methodology"
PLAN_WORKBOOK = "methodology"
PLAN_MADE_AT = "2025-01-01T00:00:00.000Z"


@dataclass(frozen=True)
class Activity(Record):
    kind: str
    title: str
    participants: str
    planned_date: str | None
    done_date: str | None
    status: str
    method_id: str | None
    sort: int

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "force": self.force_id,
            "inspection": self.inspection_id,
            "kind": self.kind,
            "title": self.title,
            "participants": self.participants,
            "planned_date": self.planned_date,
            "done_date": self.done_date,
            "status": self.status,
            **self.common_json(),
        }


@dataclass(frozen=True)
class Progress:
    done: int
    planned: int  # activities not cancelled

    def __str__(self) -> str:
        return f"{self.done} of {self.planned} done"


def plan_items(inspection: Inspection) -> list[tuple[str, str, str]]:
    """(methodology id, kind, title) of the activities every force's plan starts with."""
    items = [(m.id, "interview", f"Interview: {m.title}") for m in inspection.method("interview")]
    items += [
        (m.id, "focus-group", f"Focus group: {m.title}") for m in inspection.method("focus-group")
    ]
    if inspection.method("document-category"):
        items.append((f"{inspection.id}.document-review", "document-review", "Document review"))
    return items


class Activities(Records[Activity]):
    kind = "activity"
    noun = "activity"
    list_hint = "ctdesk activity list --force F"
    table = "activities"
    record_type = Activity
    columns = (
        "kind",
        "title",
        "participants",
        "planned_date",
        "done_date",
        "status",
        "method_id",
        "sort",
        "marking",
    )

    def _clean(
        self, values: dict[str, Any], old: Activity | None, force_id: str | None
    ) -> dict[str, Any]:
        if "kind" in values:
            values["kind"] = pick(values["kind"], KINDS, "kind of activity")
        if "title" in values:
            values["title"] = clean_line(values["title"], "activity")
        if "participants" in values:
            values["participants"] = clean_text(values["participants"], "participants list", 5000)
        for key, what in (("planned_date", "planned date"), ("done_date", "done date")):
            if key in values:
                values[key] = optional_date(values[key], what)
        if "status" in values:
            values["status"] = pick(values["status"], STATUSES, "activity status")
        # Recording a done date means it was done; marking it done without a date means today.
        if values.get("done_date") and "status" not in values:
            values["status"] = "done"
        first_done = old is None or not old.done_date
        if values.get("status") == "done" and not values.get("done_date") and first_done:
            values["done_date"] = today_iso()
        if values.get("status") == "planned" and "done_date" not in values:
            values["done_date"] = None
        return values

    def add(
        self,
        *,
        force: str,
        kind: str,
        title: str,
        participants: str = "",
        planned_date: str | None = None,
        marking: str | None = None,
    ) -> Changed[Activity]:
        """Add an activity to a force's plan (at its end), status planned."""
        frc, insp = self._wb.scope.force_in(force)
        existing = self.all(force=frc.id, deleted=None)
        values = {
            "kind": kind,
            "title": title,
            "participants": participants,
            "planned_date": planned_date,
            "done_date": None,
            "status": "planned",
            "method_id": None,
            "sort": max((a.sort for a in existing), default=-1) + 1,
            "marking": marking,
        }
        return self._create(force_id=frc.id, inspection_id=insp.id, values=values)

    def set(
        self,
        ref: str,
        *,
        status: str | None = None,
        planned_date: str | None = None,
        done_date: str | None = None,
        title: str | None = None,
        kind: str | None = None,
        participants: str | None = None,
        marking: str | None = None,
    ) -> Changed[Activity]:
        """Change an activity; None keeps a value, an empty date string clears it."""
        values = {
            "status": status,
            "planned_date": planned_date,
            "done_date": done_date,
            "title": title,
            "kind": kind,
            "participants": participants,
            "marking": marking,
        }
        return self._update(ref, values)

    def plan(self, force: str) -> list[Activity]:
        """A force's plan in order (live activities only)."""
        return sorted(self.all(force=force), key=lambda a: (a.sort, a.created_at))

    def progress(self, force: str | None = None) -> Progress:
        """Done against planned (cancelled activities do not count) for a force or overall."""
        live = self.all(force=force) if force else self.all()
        counted = [a for a in live if a.status != "cancelled"]
        return Progress(sum(a.status == "done" for a in counted), len(counted))

    def ensure_plans(self) -> Changes:
        """Generate the methodology plan for every force in the current inspection, once."""
        insp = self._wb.scope.current
        flag = f"{insp.id}.plans_generated"
        if scope_db.get_meta(self._wb.db).get(flag):
            return Changes()
        items = plan_items(insp)
        made = [
            Activity(
                id=str(uuid.uuid5(_PLAN_NAMESPACE, f"{force.id}/{method_id}")),
                force_id=force.id,
                inspection_id=insp.id,
                marking="OFFICIAL",
                author=PLAN_AUTHOR,
                workbook_id=PLAN_WORKBOOK,
                created_at=PLAN_MADE_AT,
                updated_at=PLAN_MADE_AT,
                deleted_at=None,
                head="",
                kind=kind,
                title=title,
                participants="",
                planned_date=None,
                done_date=None,
                status="planned",
                method_id=method_id,
                sort=sort,
            )
            for force in self._wb.scope.forces_in(insp)
            for sort, (method_id, kind, title) in enumerate(items)
        ]
        with self._wb.db.atomic():
            changes = self.bulk_create([a for a in made if not self.exists(a.id)])
            scope_db.set_meta(self._wb.db, {flag: "1"})
        return changes
