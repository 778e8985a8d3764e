"""Records of an export as tables (XLSX, CSV) and as JSON: one row or object per record."""

from typing import Any

from ctdesk.export import body
from ctdesk.export.content import Content
from ctdesk.export.document import SCHEMA, Dataset
from ctdesk.workbook import Workbook

_COMMON = ("marking", "author", "created_at", "updated_at")


def datasets_and_data(
    wb: Workbook, content: Content, options: Any
) -> tuple[tuple[Dataset, ...], dict[str, Any]]:
    """Tables for spreadsheets and the JSON content, redacted as the options say."""

    def text(value: str) -> str:
        return body.plain_text(value, redacted=options.redacted)

    notes = [
        {
            "id": n.id,
            "force": n.force_id,
            "areas": ",".join(n.areas),
            "activity": n.activity_id or "",
            "title": text(n.title),
            "body": text(n.body),
            **{k: getattr(n, k) for k in _COMMON},
        }
        for n in content.notes
    ]
    documents = [
        {
            "id": d.id,
            "force": d.force_id,
            "areas": ",".join(d.areas),
            "title": text(d.title),
            "category": d.category,
            "reference": text(d.reference),
            "provided_by": text(d.provided_by),
            "received": d.received_date or "",
            "status": d.review_status,
            "reviewer": d.reviewer,
            "attachment": d.attachment_name or "",
            **{k: getattr(d, k) for k in _COMMON},
        }
        for d in content.documents
    ]
    included = {r["id"] for r in notes} | {r["id"] for r in documents}
    findings = [
        {
            "id": f.id,
            "force": f.force_id or "national",
            "area": f.area_id or "",
            "kind": f.kind,
            "grade": f.grade or "",
            "text": text(f.text),
            "evidence": ",".join(e for e in f.evidence if e in included),
            "recommendations": ",".join(f.recommendations),
            **{k: getattr(f, k) for k in _COMMON},
        }
        for f in content.findings
    ]
    activities = [
        {
            "id": a.id,
            "force": a.force_id,
            "kind": a.kind,
            "title": text(a.title),
            "status": a.status,
            "planned": a.planned_date or "",
            "done": a.done_date or "",
            "participants": text(a.participants),
            **{k: getattr(a, k) for k in _COMMON},
        }
        for a in content.activities
    ]

    def table(name: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Dataset:
        return Dataset(name, columns, tuple(tuple(r[c] for c in columns) for r in rows))

    datasets = (
        table("Notes", notes, tuple(notes[0]) if notes else ("id", "force", "title", *_COMMON)),
        table(
            "Evidence register",
            documents,
            tuple(documents[0]) if documents else ("id", "force", "title", *_COMMON),
        ),
        table(
            "Findings",
            findings,
            tuple(findings[0]) if findings else ("id", "force", "kind", "text", *_COMMON),
        ),
        table(
            "Fieldwork plan",
            activities,
            tuple(activities[0]) if activities else ("id", "force", "title", *_COMMON),
        ),
    )
    forces = [f.to_json() for f in content.forces]
    data = {
        "schema": SCHEMA,
        "forces": forces,
        "notes": notes,
        "documents": documents,
        "findings": findings,
        "activities": activities,
    }
    return datasets, data
