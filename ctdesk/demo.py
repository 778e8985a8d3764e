"""Synthetic fieldwork for demos, screenshots and benchmarks (``ctdesk demo``).

The same seed gives the same records (ids, text, dates, links), whatever the machine. Plans are
mostly done, notes are tied to areas and activities, documents are registered and mostly
reviewed, and findings cite their evidence. Everything is clearly synthetic.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ctdesk import demo_text as text
from ctdesk.activity import Activity
from ctdesk.evidence import Document
from ctdesk.finding import Finding
from ctdesk.note import Note
from ctdesk.workbook import Workbook

FIELDWORK_START = datetime(2018, 10, 1, 8, 0, tzinfo=UTC)
FIELDWORK_DAYS = 150  # October 2018 – February 2019
MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "OFFICIAL-SENSITIVE PERSONAL DATA")
MARKING_WEIGHTS = (6, 3, 1)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    notes: int
    documents: int
    findings: int
    activities_done: int


class _Gen:
    def __init__(self, wb: Workbook, seed: int) -> None:
        self.wb = wb
        self.rng = random.Random(seed)
        self.areas = [a.id for a in wb.scope.current.areas]

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self) -> str:
        offset = timedelta(
            days=self.rng.randrange(FIELDWORK_DAYS), seconds=self.rng.randrange(10 * 3600)
        )
        stamp = (FIELDWORK_START + offset).isoformat(timespec="milliseconds")
        return stamp.replace("+00:00", "Z")

    def marking(self) -> str:
        return self.rng.choices(MARKINGS, MARKING_WEIGHTS)[0]

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            who_plural=rng.choice(("all officers and staff", "frontline officers", "new starters")),
            how_often=rng.choice(("monthly", "quarterly", "by each district")),
            pct=rng.randrange(45, 99),
            few=rng.choice(("a few", "two", "several", "three")),
            role=rng.choice(text.ROLES),
            month=rng.choice(text.MONTHS),
            place=rng.choice(text.PLACES),
        )

    def paragraph(self, areas: list[str]) -> str:
        pool = [s for a in areas for s in text.AREA_SENTENCES[a]] or list(text.GENERAL_SENTENCES)
        count = self.rng.randrange(2, 6)
        sentences = [self.fill(t) for t in self.rng.sample(pool, min(count, len(pool)))]
        if self.rng.random() < 0.4:
            sentences.append(self.fill(self.rng.choice(text.GENERAL_SENTENCES)))
        first = sentences[0]
        return " ".join([first[0].upper() + first[1:], *sentences[1:]])

    def body(self, areas: list[str]) -> str:
        paragraphs = [self.paragraph(areas) for _ in range(self.rng.randrange(1, 5))]
        if self.rng.random() < 0.3:
            points = [self.fill(self.rng.choice(text.GENERAL_SENTENCES)) for _ in range(3)]
            paragraphs.append("\n".join(f"- {p}" for p in points))
        return "\n\n".join(paragraphs)


def generate(
    wb: Workbook, *, notes: int, seed: int = 1, progress: Progress | None = None
) -> DemoSummary:
    """Add synthetic fieldwork to ``wb``: ``notes`` notes spread over every force in scope."""
    gen = _Gen(wb, seed)
    rng = gen.rng
    insp = wb.scope.current
    forces = wb.scope.forces_in(insp)
    report = progress or (lambda stage, done, total: None)
    base: dict[str, Any] = {
        "inspection_id": insp.id,
        "workbook_id": wb.id,
        "deleted_at": None,
        "head": "",
    }

    # Plans: most activities done, a few cancelled, some visits added.
    report("plans", 0, len(forces))
    done = 0
    extra: list[Activity] = []
    with wb.db.atomic():
        for i, force in enumerate(forces):
            for activity in wb.activities.plan(force.id):
                roll = rng.random()
                if roll < 0.85:
                    wb.activities.set(activity.id, status="done", done_date=gen.moment()[:10])
                    done += 1
                elif roll < 0.9:
                    wb.activities.set(activity.id, status="cancelled")
            if rng.random() < 0.5:
                at = gen.moment()
                extra.append(
                    Activity(
                        id=gen.uid(),
                        force_id=force.id,
                        marking="OFFICIAL",
                        author=rng.choice(text.AUTHORS),
                        created_at=at,
                        updated_at=at,
                        kind="reality-testing",
                        title=f"Visit to {rng.choice(text.PLACES)}",
                        participants="",
                        planned_date=at[:10],
                        done_date=None,
                        status="planned",
                        method_id=None,
                        sort=100,
                        **base,
                    )
                )
            report("plans", i + 1, len(forces))
        wb.activities.bulk_create(extra)
    activities = {f.id: [a.id for a in wb.activities.plan(f.id)] for f in forces}

    # Documents: 8 to 14 per force, mostly reviewed.
    documents: list[Document] = []
    for force in forces:
        for _ in range(rng.randrange(8, 15)):
            category, title = rng.choice(text.DOCUMENTS)
            at = gen.moment()
            reviewed = rng.random() < 0.8
            documents.append(
                Document(
                    id=gen.uid(),
                    force_id=force.id,
                    marking=gen.marking(),
                    author=rng.choice(text.AUTHORS),
                    created_at=at,
                    updated_at=at,
                    title=title.format(
                        year=rng.choice((2017, 2018)),
                        n=rng.randrange(1, 6),
                        q=rng.randrange(1, 5),
                        month=rng.choice(text.MONTHS),
                    ),
                    category=category,
                    reference=f"{force.short_name[:3].upper()}-{rng.randrange(100, 999)}",
                    provided_by=rng.choice(text.PROVIDERS),
                    received_date=at[:10],
                    review_status="reviewed" if reviewed else "to-review",
                    reviewer=rng.choice(text.AUTHORS) if reviewed else "",
                    attachment_hash=None,
                    attachment_name=None,
                    attachment_size=None,
                    areas=tuple(sorted(rng.sample(gen.areas, rng.randrange(1, 3)))),
                    **base,
                )
            )
    wb.documents.bulk_create(documents)

    # Notes, in batches so progress can be shown.
    weights = [3.0 if f.id == "metropolitan" else 0.6 + rng.random() for f in forces]
    owners = rng.choices(forces, weights, k=notes)
    note_ids: dict[str, list[str]] = {f.id: [] for f in forces}
    batch: list[Note] = []
    for n, force in enumerate(owners, 1):
        roll = rng.random()
        areas = [] if roll < 0.05 else sorted(rng.sample(gen.areas, 1 if roll < 0.7 else 2))
        acts = activities[force.id]
        activity_id = rng.choice(acts) if acts and rng.random() < 0.7 else None
        at = gen.moment()
        role = rng.choice(text.ROLES)
        title = rng.choice(
            (
                f"Interview with {role}",
                f"Focus group at {rng.choice(text.PLACES)}",
                f"Notes from {rng.choice(text.PLACES)}",
                f"Document review: {rng.choice(text.DOCUMENTS)[1]}",
                f"Follow-up with {role}",
            )
        ).format(year=2018, n=2, q=3, month="January 2019")
        note = Note(
            id=gen.uid(),
            force_id=force.id,
            marking=gen.marking(),
            author=rng.choice(text.AUTHORS),
            created_at=at,
            updated_at=at,
            title=title[0].upper() + title[1:],
            body=gen.body(areas),
            activity_id=activity_id,
            areas=tuple(areas),
            **base,
        )
        batch.append(note)
        note_ids[force.id].append(note.id)
        if len(batch) >= 5000 or n == notes:
            wb.notes.bulk_create(batch)
            batch = []
            report("notes", n, notes)

    # Findings: a handful per force, citing that force's notes and documents.
    findings: list[Finding] = []
    docs_of: dict[str, list[str]] = {}
    for d in documents:
        docs_of.setdefault(d.force_id or "", []).append(d.id)
    for force in forces:
        evidence_pool = note_ids[force.id][:200] + docs_of.get(force.id, [])
        recommendation: str | None = None
        kinds = [*rng.sample(list(text.FINDINGS), rng.randrange(3, 6)), "area-for-improvement"]
        kinds.sort(key=lambda k: k != "recommendation")  # causes of concern can then cite one
        for kind in kinds:
            at = gen.moment()
            cited = (
                []
                if rng.random() < 0.1 or not evidence_pool
                else rng.sample(evidence_pool, min(len(evidence_pool), rng.randrange(1, 4)))
            )
            finding = Finding(
                id=gen.uid(),
                force_id=force.id,
                marking=gen.marking(),
                author=rng.choice(text.AUTHORS),
                created_at=at,
                updated_at=at,
                area_id=rng.choice(gen.areas),
                kind=kind,
                text=rng.choice(text.FINDINGS[kind]),
                grade=None,
                evidence=tuple(sorted(cited)),
                recommendations=(recommendation,)
                if kind == "cause-of-concern" and recommendation
                else (),
                **base,
            )
            if kind == "recommendation":
                recommendation = finding.id
            findings.append(finding)
    # Recommendations first, so a cause of concern never cites one not yet stored.
    findings.sort(key=lambda f: f.kind != "recommendation")
    wb.findings.bulk_create(findings)
    return DemoSummary(notes, len(documents), len(findings), done)
