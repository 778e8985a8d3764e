"""Building an export: which records, in what order, marked and redacted as asked.

Scopes: one force (a feedback pack), one area across forces (the national synthesis), one CT
region (forces side by side), or the whole inspection (with a contents page). The maximum marking
and redaction are applied here, before any renderer sees the content.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ctdesk import __version__
from ctdesk.errors import InvalidInput
from ctdesk.export import body
from ctdesk.export.content import Content, gather
from ctdesk.export.datasets import datasets_and_data
from ctdesk.export.document import (
    Block,
    BulletList,
    Contents,
    ExportDocument,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from ctdesk.finding import KINDS as FINDING_KINDS
from ctdesk.finding import Finding
from ctdesk.marking import OFFICIAL, highest, parse_marking
from ctdesk.note import Note
from ctdesk.scope import Area, Force
from ctdesk.workbook import Workbook

SCOPE_KINDS = ("force", "area", "region", "inspection")
PUBLIC_RELEASE = "FOR PUBLIC RELEASE"
Report = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportScope:
    kind: str  # force | area | region | inspection
    id: str  # force id, area id, region id or inspection id
    label: str  # "Force: Kent Police"


@dataclass(frozen=True)
class ExportOptions:
    max_marking: str | None = None  # records above it are left out
    redacted: bool = False  # replace [[redact]] spans by [REDACTED]
    public_release: bool = False  # mark a redacted OFFICIAL export FOR PUBLIC RELEASE


def resolve_scope(wb: Workbook, kind: str, ref: str | None = None) -> ExportScope:
    """The scope named by the user (``force kent``, ``area A2``, ``region wales``, ...)."""
    scope = wb.scope
    if kind == "force":
        force = scope.force(ref or "")
        return ExportScope("force", force.id, f"Force: {force.name}")
    if kind == "area":
        area = scope.area(ref or "")
        return ExportScope("area", area.id, f"Area across forces: {area.label}")
    if kind == "region":
        region = scope.region(ref or "")
        return ExportScope("region", region.id, f"CT region: {region.name}")
    if kind == "inspection":
        insp = scope.inspection(ref) if ref else scope.current
        return ExportScope("inspection", insp.id, f"Whole inspection: {insp.code}")
    raise InvalidInput(f"'{kind}' is not an export scope; use one of {', '.join(SCOPE_KINDS)}.")


def check_options(options: ExportOptions) -> None:
    """Refuse combinations that make no sense, with a sentence saying what to do."""
    if options.max_marking is not None:
        parse_marking(options.max_marking)
    if options.public_release:
        maximum = parse_marking(options.max_marking) if options.max_marking else None
        if not options.redacted or maximum is None or maximum.level > OFFICIAL.level:
            raise InvalidInput(
                "Only a redacted export limited to OFFICIAL can be marked FOR PUBLIC RELEASE; "
                "add --redacted --max-marking OFFICIAL."
            )


class _Builder:
    def __init__(self, wb: Workbook, content: Content, options: ExportOptions) -> None:
        self.wb = wb
        self.c = content
        self.o = options
        self.redacted_spans = 0
        self.anchors: Counter[str] = Counter()
        self.codes = {a.id: a.code for a in content.inspection.areas}

    def anchor(self, base: str) -> str:
        self.anchors[base] += 1
        n = self.anchors[base]
        return base if n == 1 else f"{base}-{n}"

    def text(self, value: str) -> str:
        if self.o.redacted:
            self.redacted_spans += value.count("[[redact]]")
        return body.plain_text(value, redacted=self.o.redacted)

    def rich(self, value: str) -> list[Block]:
        if self.o.redacted:
            self.redacted_spans += value.count("[[redact]]")
        return body.blocks(value, redacted=self.o.redacted)

    # ---- pieces -----------------------------------------------------------------------------
    def note(self, note: Note, level: int) -> list[Block]:
        areas = ", ".join(self.codes.get(a, a) for a in note.areas) or "no area"
        meta = f"{note.marking} · {note.author} · {note.created_at[:10]} · {areas}"
        return [
            Heading(min(level, 4), self.text(note.title), self.anchor(f"note-{note.id[:8]}")),
            Paragraph((Run(meta),), "meta"),
            *self.rich(note.body),
        ]

    def finding(self, finding: Finding) -> list[Block]:
        kind = FINDING_KINDS.get(finding.kind, finding.kind)
        where = self.codes.get(finding.area_id or "", "no area")
        meta = f"{where} · {finding.marking} · {finding.author}"
        cited = []
        for evidence_id in finding.evidence:
            title = self.c.title_of(evidence_id)
            if title is not None:
                cited.append(f"{self.c.kind_of(evidence_id)} “{self.text(title)}”")
        hidden = len(finding.evidence) - len(cited)
        evidence = "; ".join(cited) if cited else "none"
        if hidden:
            evidence += f" (and {hidden} not included in this export)"
        return [
            Paragraph((Run(kind, bold=True), Run(f" — {meta}")), "meta"),
            *self.rich(finding.text),
            Paragraph((Run("Evidence: ", italic=True), Run(evidence)), "meta"),
        ]

    def findings_by_area(self, findings: list[Finding], level: int) -> list[Block]:
        out: list[Block] = []
        areas: list[Area | None] = [*self.c.inspection.areas, None]
        for area in areas:
            these = [f for f in findings if f.area_id == (area.id if area else None)]
            if not these:
                continue
            label = area.label if area else "Not tied to an area"
            out.append(Heading(min(level, 4), label, self.anchor(f"findings-{label[:2]}")))
            for kind in FINDING_KINDS:
                for f in (f for f in these if f.kind == kind):
                    out += self.finding(f)
        return out or [Paragraph((Run("No findings yet."),))]

    def plan_table(self, force_id: str) -> list[Block]:
        acts = [a for a in self.c.activities if a.force_id == force_id]
        done = sum(a.status == "done" for a in acts)
        counted = sum(a.status != "cancelled" for a in acts)
        rows = tuple(
            (
                self.text(a.title),
                a.kind_name,
                a.status.capitalize(),
                a.planned_date or "",
                a.done_date or "",
                self.text(a.participants),
            )
            for a in acts
        )
        return [
            Paragraph((Run(f"{done} of {counted} activities done."),)),
            Table(("Activity", "Kind", "Status", "Planned", "Done on", "Participants"), rows),
        ]

    def register_table(self, force_id: str) -> list[Block]:
        docs = [d for d in self.c.documents if d.force_id == force_id]
        if not docs:
            return [Paragraph((Run("No documents registered."),))]
        reviewed = sum(d.reviewed for d in docs)
        rows = tuple(
            (
                self.text(d.title),
                self.wb.documents.categories().get(d.category, d.category),
                self.text(d.reference),
                d.received_date or "",
                "Reviewed" if d.reviewed else "To review",
                ", ".join(self.codes.get(a, a) for a in d.areas),
                d.marking,
            )
            for d in docs
        )
        return [
            Paragraph((Run(f"{len(docs)} documents registered, {reviewed} reviewed."),)),
            Table(
                ("Title", "Category", "Reference", "Received", "Status", "Areas", "Marking"), rows
            ),
        ]

    def notes_by_area(self, notes: list[Note], level: int) -> list[Block]:
        out: list[Block] = []
        for area in [*self.c.inspection.areas, None]:
            these = [n for n in notes if (area.id in n.areas if area else not n.areas)]
            if not these:
                continue
            label = area.label if area else "Not tied to an area"
            out.append(Heading(min(level, 4), label, self.anchor(f"notes-{label[:2]}")))
            for note in these:
                out += self.note(note, level + 1)
        return out or [Paragraph((Run("No notes yet."),))]

    def notes_by_activity(self, force_id: str, notes: list[Note]) -> list[Block]:
        rows = []
        for act in (a for a in self.c.activities if a.force_id == force_id):
            titles = [self.text(n.title) for n in notes if n.activity_id == act.id]
            if titles:
                rows.append((self.text(act.title), str(len(titles)), "; ".join(titles[:12])))
        if not rows:
            return [Paragraph((Run("No notes are tied to plan activities."),))]
        return [Table(("Activity", "Notes", "Titles"), tuple(rows))]

    def force_section(self, force: Force, level: int) -> list[Block]:
        """Everything about one force, its sections at ``level``."""
        mine = self.c.of_force(force.id)
        region = force.region_name or "no CT region"
        details = Table(
            ("Force", "Nation", "CT region", "Kind"),
            ((force.name, force.nation, region, force.kind.capitalize()),),
        )
        sub = level + 1
        return [
            details,
            Heading(min(level, 4), "Fieldwork plan", self.anchor(f"plan-{force.id}")),
            *self.plan_table(force.id),
            Heading(min(level, 4), "Findings", self.anchor(f"findings-{force.id}")),
            *self.findings_by_area(mine.findings, sub),
            Heading(min(level, 4), "Notes by area", self.anchor(f"notes-{force.id}")),
            *self.notes_by_area(mine.notes, sub),
            Heading(min(level, 4), "Notes by activity", self.anchor(f"activity-{force.id}")),
            *self.notes_by_activity(force.id, mine.notes),
            Heading(min(level, 4), "Evidence register", self.anchor(f"register-{force.id}")),
            *self.register_table(force.id),
        ]

    # ---- scopes -----------------------------------------------------------------------------
    def force_doc(self, force: Force) -> list[Block]:
        return self.force_section(force, 2)

    def area_doc(self, area: Area) -> list[Block]:
        findings = [f for f in self.c.findings if f.area_id == area.id]
        counts = Counter(f.kind for f in findings)
        out: list[Block] = [
            Paragraph((Run(area.question, italic=True),)),
            Heading(2, "Findings by kind", self.anchor("kinds")),
            Table(
                ("Kind of finding", "Number"),
                tuple((name, str(counts.get(kind, 0))) for kind, name in FINDING_KINDS.items()),
            ),
            Heading(2, "Notable practice", self.anchor("notable")),
        ]
        notable = [f for f in findings if f.kind == "notable-practice"]
        if notable:
            out.append(
                BulletList(
                    tuple(
                        (
                            Run(f"{self.force_name(f.force_id)}: ", bold=True),
                            Run(self.text(f.text).split("\n")[0]),
                        )
                        for f in notable
                    )
                )
            )
        else:
            out.append(Paragraph((Run("None recorded yet."),)))
        silent: list[str] = []
        for region_name, forces in self.by_region():
            out.append(Heading(2, region_name, self.anchor(f"region-{region_name[:6]}")))
            for force in forces:
                mine = self.c.of_force(force.id)
                these = [f for f in mine.findings if f.area_id == area.id]
                notes = [n for n in mine.notes if area.id in n.areas]
                docs = [d for d in mine.documents if area.id in d.areas]
                if not (these or notes or docs):
                    silent.append(force.name)
                    continue
                out.append(Heading(3, force.name, self.anchor(f"force-{force.id}")))
                out.append(
                    Paragraph(
                        (
                            Run(
                                f"{len(notes)} notes, {len(docs)} documents, {len(these)} findings."
                            ),
                        ),
                        "meta",
                    )
                )
                for f in these:
                    out += self.finding(f)
                out += [b for n in self.key_notes(these, notes) for b in self.note(n, 4)]
        national = [f for f in findings if f.force_id is None]
        if national:
            out.append(Heading(2, "National and cross-force findings", self.anchor("national")))
            for f in national:
                out += self.finding(f)
        out.append(Heading(2, "Forces with no evidence for this area", self.anchor("silent")))
        out.append(
            BulletList(tuple((Run(name),) for name in silent))
            if silent
            else Paragraph((Run("Every force has evidence for this area."),))
        )
        return out

    def key_notes(self, findings: list[Finding], notes: list[Note]) -> list[Note]:
        """Notes the findings cite, else the three most recent."""
        cited = {e for f in findings for e in f.evidence}
        key = [n for n in notes if n.id in cited]
        return key or sorted(notes, key=lambda n: n.created_at, reverse=True)[:3]

    def region_doc(self, forces: list[Force]) -> list[Block]:
        rows = []
        for force in forces:
            mine = self.c.of_force(force.id)
            acts = [a for a in mine.activities if a.status != "cancelled"]
            done = sum(a.status == "done" for a in acts)
            reviewed = sum(d.reviewed for d in mine.documents)
            per_area = [
                str(sum(a.id in n.areas for n in mine.notes)) for a in self.c.inspection.areas
            ]
            kinds = Counter(f.kind for f in mine.findings)
            rows.append(
                (
                    force.short_name,
                    f"{done}/{len(acts)}",
                    f"{reviewed}/{len(mine.documents)}",
                    *per_area,
                    *(str(kinds.get(k, 0)) for k in FINDING_KINDS),
                )
            )
        columns = (
            "Force",
            "Plan done",
            "Documents reviewed",
            *(f"Notes {a.code}" for a in self.c.inspection.areas),
            "Strengths",
            "AFIs",
            "Causes of concern",
            "Recommendations",
            "Notable practice",
        )
        out: list[Block] = [
            Heading(2, "Forces side by side", self.anchor("comparison")),
            Table(columns, tuple(rows)),
        ]
        for force in forces:
            out.append(Heading(2, force.name, self.anchor(f"force-{force.id}")))
            out += self.findings_by_area(self.c.of_force(force.id).findings, 3)
        return out

    def inspection_doc(self) -> list[Block]:
        insp = self.c.inspection
        acts = [a for a in self.c.activities if a.status != "cancelled"]
        done = sum(a.status == "done" for a in acts)
        docs = self.c.documents
        out: list[Block] = [
            Heading(2, "Overview", self.anchor("overview")),
            Paragraph(
                (
                    Run(
                        f"{len(self.c.forces)} forces in scope; fieldwork {done} of {len(acts)} "
                        f"activities done; {len(docs)} documents registered "
                        f"(target: over {insp.documents_target}), "
                        f"{sum(d.reviewed for d in docs)} reviewed; {len(self.c.notes)} notes; "
                        f"{len(self.c.findings)} findings."
                    ),
                )
            ),
        ]
        national = [f for f in self.c.findings if f.force_id is None]
        if national:
            out.append(Heading(2, "National and cross-force findings", self.anchor("national")))
            out += self.findings_by_area(national, 3)
        for region_name, forces in self.by_region():
            out.append(PageBreak())
            out.append(Heading(2, region_name, self.anchor(f"region-{region_name[:8]}")))
            for force in forces:
                out.append(Heading(3, force.name, self.anchor(f"force-{force.id}")))
                out += self.force_section(force, 4)
        return out

    def by_region(self) -> list[tuple[str, list[Force]]]:
        groups: list[tuple[str, list[Force]]] = []
        scope = self.wb.scope
        for region in scope.regions:
            forces = [f for f in self.c.forces if f.region_id == region.id]
            if forces:
                groups.append((f"{region.name} CT region", forces))
        others = [f for f in self.c.forces if f.region_id is None]
        if others:
            groups.append(("Special forces", others))
        return groups

    def force_name(self, force_id: str | None) -> str:
        return self.wb.scope.force(force_id).name if force_id else "National"


def build(
    wb: Workbook,
    scope: ExportScope,
    options: ExportOptions | None = None,
    report: Report | None = None,
) -> ExportDocument:
    """The content of an export of ``scope`` with ``options`` applied."""
    options = options or ExportOptions()
    check_options(options)
    maximum = parse_marking(options.max_marking) if options.max_marking else None
    insp = wb.scope.current
    if scope.kind == "force":
        forces = [wb.scope.force(scope.id)]
        insp = wb.scope.current
    elif scope.kind == "region":
        forces = [f for f in wb.scope.forces_in(insp) if f.region_id == scope.id]
    else:
        if scope.kind == "inspection":
            insp = wb.scope.inspection(scope.id)
        forces = wb.scope.forces_in(insp)
    if report:
        report(0, 3)
    content = gather(wb, insp, forces, maximum, national=scope.kind != "force")
    if report:
        report(1, 3)
    b = _Builder(wb, content, options)
    if scope.kind == "force":
        title = f"{forces[0].name}: {insp.code} force summary"
        blocks = b.force_doc(forces[0])
        stem = f"{insp.id}-{forces[0].id}-summary"
    elif scope.kind == "area":
        area = wb.scope.area_by_id(scope.id)
        title = f"{area.label} across forces: {insp.code}"
        blocks = b.area_doc(area)
        stem = f"{insp.id}-{area.code.lower()}-across-forces"
    elif scope.kind == "region":
        region = wb.scope.region(scope.id)
        title = f"{region.name} CT region: {insp.code} forces side by side"
        blocks = b.region_doc(forces)
        stem = f"{insp.id}-{region.id}-region"
    else:
        title = f"{insp.code} {insp.title}: fieldwork summary"
        blocks = b.inspection_doc()
        stem = f"{insp.id}-inspection-summary"
    if report:
        report(2, 3)
    top = highest(content.markings)
    banner = top.label
    if options.public_release:
        banner = f"{OFFICIAL.label} {PUBLIC_RELEASE}"
    left = content.left_out
    left_text = (
        ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(left.items()))
        + f" above {parse_marking(options.max_marking or 'OFFICIAL').label}"
        if left
        else "nothing"
    )
    about = [
        ("Scope", scope.label),
        ("Inspection", f"{insp.code} {insp.title} ({insp.year})"),
        ("Exported", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("By", wb.author),
        ("ctdesk", __version__),
        ("Highest marking", banner),
        ("Maximum marking", options.max_marking or "none set"),
        ("Left out", left_text),
        (
            "Redaction",
            f"redacted ({b.redacted_spans} passage{'' if b.redacted_spans == 1 else 's'} removed)"
            if options.redacted
            else "not redacted",
        ),
    ]
    head: list[Block] = [Heading(1, title, "top")]
    if scope.kind == "inspection":
        entries = tuple(
            (blk.level, blk.text, blk.anchor)
            for blk in blocks
            if isinstance(blk, Heading) and blk.level <= 3
        )
        head += [Contents(entries), PageBreak()]
    datasets, data = datasets_and_data(wb, content, options)
    data.update(
        {
            "title": title,
            "scope": {"kind": scope.kind, "id": scope.id, "label": scope.label},
            "inspection": insp.id,
            "marking": banner,
            "about": dict(about),
            "left_out": dict(left),
            "redacted": options.redacted,
        }
    )
    if report:
        report(3, 3)
    return ExportDocument(
        title=title,
        marking=banner,
        about=tuple(about),
        blocks=tuple(head + blocks),
        datasets=datasets,
        data=data,
        file_stem=stem + ("-redacted" if options.redacted else ""),
    )
