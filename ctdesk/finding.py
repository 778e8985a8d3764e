"""Findings: what the inspection concluded about a force (or nationally), citing its evidence.

A finding is a strength, an area for improvement, a cause of concern, a recommendation or notable
practice. It is tied to a force (or to none: a national, cross-force finding), optionally to one
area of the inspection, carries an optional grade when the inspection is graded, and links to the
notes and documents that evidence it. A cause of concern links to the recommendations that answer
it. Problems that should not block writing (no evidence yet, a cause of concern without a
recommendation, evidence since moved to the trash) are reported by :meth:`Findings.flags`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ctdesk import redaction
from ctdesk.changes import Changed, Changes
from ctdesk.db import records as records_db
from ctdesk.db.records import LinkSpec
from ctdesk.errors import InvalidInput, NotFound
from ctdesk.note import clean_text
from ctdesk.record import Record, Records
from ctdesk.scope import Inspection
from ctdesk.slugs import pick

KINDS: dict[str, str] = {
    "strength": "Strength",
    "area-for-improvement": "Area for improvement",
    "cause-of-concern": "Cause of concern",
    "recommendation": "Recommendation",
    "notable-practice": "Notable practice",
}
# The inspectorate also says "innovative practice" and "promising practice" for notable practice.
KIND_ALIASES: dict[str, str] = {
    "innovative-practice": "Innovative practice",
    "promising-practice": "Promising practice",
}
GRADES: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
MAX_TEXT = 100_000
EVIDENCE = LinkSpec("finding_evidence", "finding_id", "evidence_id")
RECOMMENDATIONS = LinkSpec("finding_recommendations", "finding_id", "recommendation_id")


def pick_kind(value: str) -> str:
    """The kind slug for a slug or name typed by the user (any case); raises listing the kinds."""
    try:
        return pick(value, KINDS, "kind of finding")
    except InvalidInput:
        try:
            pick(value, KIND_ALIASES, "kind of finding")
        except InvalidInput:
            pass
        else:
            return "notable-practice"
        raise


def pick_grade(value: str) -> str:
    return pick(value, GRADES, "grade")


@dataclass(frozen=True)
class Finding(Record):
    area_id: str | None
    kind: str
    text: str
    grade: str | None
    evidence: tuple[str, ...]
    recommendations: tuple[str, ...]

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def grade_name(self) -> str | None:
        return GRADES.get(self.grade, self.grade) if self.grade else None

    @property
    def first_line(self) -> str:
        """The first non-blank line of the text, for lists."""
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    @property
    def national(self) -> bool:
        return self.force_id is None

    def to_json(self, warnings: Sequence[str] = ()) -> dict[str, Any]:
        """The finding as JSON; pass ``Findings.warnings(finding)`` to include its warnings."""
        return {
            "id": self.id,
            "force": self.force_id,
            "inspection": self.inspection_id,
            "area": self.area_id,
            "kind": self.kind,
            "text": self.text,
            "grade": self.grade,
            "evidence": list(self.evidence),
            "recommendations": list(self.recommendations),
            "warnings": list(warnings),
            **self.common_json(),
        }


@dataclass(frozen=True)
class Flag:
    """Something about a finding worth the inspector's attention (never a reason to refuse it)."""

    code: str  # no-evidence | no-recommendation | evidence-trashed | evidence-gone | ...
    short: str  # a few words for lists: "no evidence"
    text: str  # one sentence saying what is wrong and what to do


@dataclass(frozen=True)
class EvidenceRef:
    """A note or document a finding cites, as the finding sees it."""

    id: str
    noun: str  # "note" | "document"
    record: Record


class Findings(Records[Finding]):
    kind = "finding"
    noun = "finding"
    list_hint = "ctdesk finding list"
    table = "findings"
    record_type = Finding
    columns = ("area_id", "kind", "text", "grade", "marking")
    links: ClassVar = {"evidence": EVIDENCE, "recommendations": RECOMMENDATIONS}

    # ---- validation -----------------------------------------------------------------------
    def _clean(
        self, values: dict[str, Any], old: Finding | None, force_id: str | None
    ) -> dict[str, Any]:
        inspection = self._wb.scope.inspection(
            old.inspection_id if old else values.pop("inspection_id")
        )
        if "kind" in values:
            values["kind"] = pick_kind(values["kind"])
        if "text" in values:
            text = redaction.check(clean_text(values["text"], "finding", MAX_TEXT).strip())
            if not text:
                raise InvalidInput("A finding needs its text: say what was found.")
            values["text"] = text
        if "area_id" in values:
            area = (values["area_id"] or "").strip()
            values["area_id"] = self._wb.scope.area_ids([area], inspection.id)[0] if area else None
        if "grade" in values:
            values["grade"] = self._grade(values["grade"], inspection)
        if "evidence" in values:
            kept = set(old.evidence) if old else set()
            values["evidence"] = self._evidence_ids(values["evidence"], kept, force_id, inspection)
        if "recommendations" in values:
            kept = set(old.recommendations) if old else set()
            values["recommendations"] = self._recommendation_ids(
                values["recommendations"], kept, old.id if old else None, force_id, inspection
            )
        return values

    def _grade(self, value: str | None, inspection: Inspection) -> str | None:
        if value is None or not value.strip():
            return None
        if not inspection.graded:
            raise InvalidInput(f"{inspection.code} is not graded; leave the grade out.")
        return pick_grade(value)

    def _force_name(self, force_id: str | None) -> str:
        return self._wb.scope.force(force_id).name if force_id else "no force"

    def _evidence_ids(
        self,
        refs: Iterable[str],
        kept: set[str],
        force_id: str | None,
        inspection: Inspection,
    ) -> tuple[str, ...]:
        """Full ids of the notes and documents named, refusing evidence a finding cannot cite.

        Ids the finding already cites (``kept``) are not checked again: evidence moved to the
        trash since it was linked is flagged by :meth:`flags`, and must not stop other edits.
        """
        ids: set[str] = set()
        for ref in refs:
            key = ref.strip().lower()
            if key in kept:
                ids.add(key)
                continue
            found = self.evidence_ref(ref)
            if found.id in kept:
                ids.add(found.id)
                continue
            record, short = found.record, found.id[:8]
            if record.deleted:
                raise InvalidInput(
                    f"Evidence {short} is a {found.noun} in the trash; restore it first "
                    "or link another."
                )
            if force_id is not None and record.force_id != force_id:
                raise InvalidInput(
                    f"Evidence {short} is a {found.noun} of {self._force_name(record.force_id)}, "
                    f"not {self._force_name(force_id)}; link only this force's notes and "
                    "documents."
                )
            if record.inspection_id != inspection.id:
                code = self._wb.scope.inspection(record.inspection_id).code
                raise InvalidInput(
                    f"Evidence {short} is a {found.noun} from {code}, not {inspection.code}; "
                    "link only evidence gathered for this inspection."
                )
            ids.add(found.id)
        return tuple(sorted(ids))

    def _recommendation_ids(
        self,
        refs: Iterable[str],
        kept: set[str],
        own_id: str | None,
        force_id: str | None,
        inspection: Inspection,
    ) -> tuple[str, ...]:
        ids: set[str] = set()
        for ref in refs:
            key = ref.strip().lower()
            if key in kept:
                ids.add(key)
                continue
            rec = self.get(ref)
            short = rec.id[:8]
            if rec.id in kept:
                ids.add(rec.id)
                continue
            if rec.id == own_id:
                raise InvalidInput("A finding cannot be its own recommendation; link another.")
            if rec.deleted:
                raise InvalidInput(
                    f"Finding {short} is in the trash; restore it before linking it "
                    "as a recommendation."
                )
            if rec.kind != "recommendation":
                raise InvalidInput(
                    f"Finding {short} is {_a(rec.kind_name)}, not a recommendation; "
                    "link only recommendations."
                )
            if rec.force_id not in (force_id, None) or rec.inspection_id != inspection.id:
                raise InvalidInput(
                    f"Recommendation {short} is for {self._force_name(rec.force_id)}, "
                    f"not {self._force_name(force_id)}; link this force's recommendations "
                    "or national ones."
                )
            ids.add(rec.id)
        return tuple(sorted(ids))

    # ---- evidence ---------------------------------------------------------------------------
    def evidence_ref(self, ref: str) -> EvidenceRef:
        """The note or document with this id or unambiguous id prefix (live or in the trash)."""
        key = ref.strip().lower()
        stores: tuple[tuple[str, Records[Any]], ...] = (
            ("note", self._wb.notes),
            ("document", self._wb.documents),
        )
        for noun, store in stores:
            if key and store.exists(key):
                return EvidenceRef(key, noun, store.get(key))
        matches: list[tuple[str, Records[Any], str]] = []
        if len(key) >= 4:
            for noun, store in stores:
                for found in records_db.ids_with_prefix(self._wb.db, store.table, key):
                    matches.append((noun, store, found))
        if len(matches) == 1:
            noun, store, found = matches[0]
            return EvidenceRef(found, noun, store.get(found))
        if matches:
            raise NotFound(
                f"More than one note or document id starts with '{ref}'; give more of it."
            )
        raise NotFound(
            f"There is no note or document with id '{ref}'; run 'ctdesk note list' or "
            "'ctdesk evidence list' to see ids."
        )

    def _evidence_or_none(self, evidence_id: str) -> EvidenceRef | None:
        """What a stored evidence id points at now, or None if it no longer exists."""
        if self._wb.notes.exists(evidence_id):
            return EvidenceRef(evidence_id, "note", self._wb.notes.get(evidence_id))
        if self._wb.documents.exists(evidence_id):
            return EvidenceRef(evidence_id, "document", self._wb.documents.get(evidence_id))
        return None

    def cited(self, finding: Finding) -> list[EvidenceRef | None]:
        """What each evidence id of a finding points at (None where it no longer exists)."""
        return [self._evidence_or_none(e) for e in finding.evidence]

    def citing(self, evidence_id: str) -> list[Finding]:
        """Live findings citing a note or document (full id, or a prefix of a live one)."""
        key = evidence_id.strip().lower()
        owners = records_db.owners_linking(self._wb.db, EVIDENCE, key)
        if not owners and self._evidence_or_none(key) is None:
            key = self.evidence_ref(key).id
            owners = records_db.owners_linking(self._wb.db, EVIDENCE, key)
        rows = [records_db.get(self._wb.db, self.table, i) for i in owners]
        found = self._load([r for r in rows if r is not None and r["deleted_at"] is None])
        return sorted(found, key=lambda f: f.updated_at, reverse=True)

    # ---- warnings ---------------------------------------------------------------------------
    def flags(self, finding: Finding) -> list[Flag]:
        """What an inspector should look at in a finding: one sentence each, never blocking."""
        flags: list[Flag] = []
        live_evidence = 0
        for evidence_id, ref in zip(finding.evidence, self.cited(finding), strict=True):
            short = evidence_id[:8]
            if ref is None:
                flags.append(
                    Flag(
                        "evidence-gone",
                        "evidence gone",
                        f"Evidence {short} no longer exists; unlink it.",
                    )
                )
            elif ref.record.deleted:
                flags.append(
                    Flag(
                        "evidence-trashed",
                        "evidence in trash",
                        f"Evidence {short} is a {ref.noun} in the trash; restore it or unlink it.",
                    )
                )
            else:
                live_evidence += 1
        if not finding.evidence:
            flags.insert(0, Flag("no-evidence", "no evidence", "This finding cites no evidence."))
        elif not live_evidence:
            flags.insert(
                0,
                Flag(
                    "no-evidence",
                    "no evidence",
                    "None of the evidence this finding cites is live; link notes or documents "
                    "that are not in the trash.",
                ),
            )
        live_recommendations = 0
        for rec_id in finding.recommendations:
            short = rec_id[:8]
            if not self.exists(rec_id):
                flags.append(
                    Flag(
                        "recommendation-gone",
                        "recommendation gone",
                        f"Recommendation {short} no longer exists; unlink it.",
                    )
                )
                continue
            rec = self.get(rec_id)
            if rec.deleted:
                flags.append(
                    Flag(
                        "recommendation-trashed",
                        "recommendation in trash",
                        f"Recommendation {short} is in the trash; restore it or unlink it.",
                    )
                )
            elif rec.kind != "recommendation":
                flags.append(
                    Flag(
                        "not-a-recommendation",
                        "not a recommendation",
                        f"Finding {short} is now {_a(rec.kind_name)}, not a recommendation; "
                        "unlink it or change its kind back.",
                    )
                )
            else:
                live_recommendations += 1
        if finding.kind == "cause-of-concern" and not live_recommendations:
            flags.insert(
                0,
                Flag(
                    "no-recommendation",
                    "no recommendation",
                    "A cause of concern should come with at least one recommendation.",
                ),
            )
        return flags

    def warnings(self, finding: Finding) -> list[str]:
        """The sentences of :meth:`flags`."""
        return [f.text for f in self.flags(finding)]

    # ---- reading ----------------------------------------------------------------------------
    def matching(
        self,
        *,
        force: str | None = None,
        area: str | None = None,
        kind: str | None = None,
        national: bool = False,
        deleted: bool | None = False,
    ) -> list[Finding]:
        """Findings filtered by force (or national only), area and kind, in report order:
        by area (findings tied to no area last), then kind, then when they were written."""
        where: dict[str, Any] = {}
        if national:
            where["force_id"] = None
        if area is not None:
            where["area_id"] = self._wb.scope.area(area).id
        if kind is not None:
            where["kind"] = pick_kind(kind)
        found = self.all(force=force, deleted=deleted, **where)
        kinds = list(KINDS)
        return sorted(
            found,
            key=lambda f: (
                f.area_id is None,
                f.area_id or "",
                kinds.index(f.kind) if f.kind in kinds else len(kinds),
                f.created_at,
                f.id,
            ),
        )

    def recommendations_for(self, force_id: str | None, inspection_id: str) -> list[Finding]:
        """Live recommendations a finding of this force may link: the force's and national."""
        found = self.all(kind="recommendation", inspection_id=inspection_id)
        return [f for f in found if f.force_id in (force_id, None)]

    # ---- writing ----------------------------------------------------------------------------
    def add(
        self,
        *,
        force: str | None,
        area: str | None,
        kind: str,
        text: str,
        evidence: Sequence[str] = (),
        recommendations: Sequence[str] = (),
        grade: str | None = None,
        marking: str | None = None,
        inspection: str | None = None,
    ) -> Changed[Finding]:
        """Record a finding for a force (id or name; None = national / cross-force) in an
        inspection (default: the current), optionally tied to one area (id or code)."""
        if force is None:
            force_id = None
            insp = self._wb.scope.inspection(inspection) if inspection else self._wb.scope.current
        else:
            frc, insp = self._wb.scope.force_in(force, inspection)
            force_id = frc.id
        values = {
            "area_id": area,
            "kind": kind,
            "text": text,
            "grade": grade,
            "evidence": evidence,
            "recommendations": recommendations,
            "marking": marking,
            "inspection_id": insp.id,
        }
        return self._create(
            force_id=force_id, inspection_id=insp.id, values=values, after=self._log_redactions
        )

    def set(
        self,
        ref: str,
        *,
        kind: str | None = None,
        text: str | None = None,
        area: str | None = None,
        grade: str | None = None,
        evidence: Sequence[str] | None = None,
        recommendations: Sequence[str] | None = None,
        marking: str | None = None,
    ) -> Changed[Finding]:
        """Change a finding; None keeps a value, ``area=""`` unties it from its area,
        ``grade=""`` removes the grade, and sequences replace the links they name."""
        values: dict[str, Any] = {
            "kind": kind,
            "text": text,
            "area_id": area,
            "grade": grade,
            "marking": marking,
            "evidence": tuple(evidence) if evidence is not None else None,
            "recommendations": tuple(recommendations) if recommendations is not None else None,
        }
        return self._update(ref, values, after=self._log_redactions)

    def _log_redactions(self, old: Finding | None, new: Finding) -> None:
        self._wb.redactions.note_changes(
            "finding", new.id, new.force_id, old.text if old else "", new.text
        )

    def link(self, ref: str, evidence_ids: Sequence[str]) -> Changed[Finding]:
        """Add notes or documents to the evidence a finding cites."""
        finding = self.get(ref)
        return self._update(finding.id, {"evidence": (*finding.evidence, *evidence_ids)})

    def unlink(self, ref: str, evidence_ids: Sequence[str]) -> Changed[Finding]:
        """Stop a finding citing some of its evidence (ids or prefixes of ids it cites)."""
        finding = self.get(ref)
        drop: set[str] = set()
        for given in evidence_ids:
            key = given.strip().lower()
            hits = [e for e in finding.evidence if e == key] or (
                [e for e in finding.evidence if e.startswith(key)] if len(key) >= 4 else []
            )
            if not hits:
                raise NotFound(
                    f"The finding {finding.id[:8]} does not cite evidence '{given}'; "
                    f"run 'ctdesk finding show {finding.id[:8]}' to see what it cites."
                )
            if len(hits) > 1:
                raise NotFound(
                    f"More than one piece of evidence the finding cites starts with '{given}'; "
                    "give more of it."
                )
            drop.add(hits[0])
        kept = tuple(e for e in finding.evidence if e not in drop)
        return self._update(finding.id, {"evidence": kept})

    def purge(self, ref: str) -> Changes:
        """Remove a trashed finding for good. Findings that still link it as a recommendation
        stop linking it first, each by an edit kept in its history: a link to nothing would
        break the store, and silently rewriting them would break history."""
        old = self.get(ref)
        changes = Changes()
        with self._wb.db.atomic():
            if old.deleted:
                for owner in records_db.owners_linking(self._wb.db, RECOMMENDATIONS, old.id):
                    other = self.get(owner)
                    kept = tuple(r for r in other.recommendations if r != old.id)
                    changes |= self._update(owner, {"recommendations": kept}).changes
            changes |= super().purge(old.id)
        return changes


def _a(name: str) -> str:
    """``a strength``, ``an area for improvement``."""
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name.lower()
