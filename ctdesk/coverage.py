"""Coverage: how much evidence the inspection holds on each force and area, and fieldwork progress.

``coverage(workbook)`` counts, for every force in the current inspection (including the ones
with nothing recorded, which are the point: "which forces have we nothing on for information
sharing?"), the live notes, documents and findings on each area, the plan's activities done
and planned, and the documents registered and reviewed. Forces come grouped as the navigator
groups them: CT regions in order, then the special forces, then Police Scotland.

National (cross-force) findings belong to no force, so they are outside the force × area
matrix and its totals; ``Coverage.national_findings`` counts them by area.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ctdesk.db import coverage as coverage_db
from ctdesk.scope import Area, Force, Scope
from ctdesk.workbook import Workbook

#: Group ids and names for forces outside the CT regions (the navigator's own groups).
OTHER_GROUPS: tuple[tuple[str, str], ...] = (
    ("special", "Special forces"),
    ("scotland", "Scotland"),
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class AreaCounts:
    """Live evidence on one area: notes, documents and findings."""

    notes: int = 0
    documents: int = 0
    findings: int = 0

    @property
    def total(self) -> int:
        return self.notes + self.documents + self.findings

    def __add__(self, other: "AreaCounts") -> "AreaCounts":
        return AreaCounts(
            self.notes + other.notes,
            self.documents + other.documents,
            self.findings + other.findings,
        )

    def describe(self) -> str:
        """``12 notes, 3 documents, 1 finding`` or ``nothing``: words, never only numbers."""
        if not self.total:
            return "nothing"
        return ", ".join(
            (
                _plural(self.notes, "note"),
                _plural(self.documents, "document"),
                _plural(self.findings, "finding"),
            )
        )

    def to_json(self) -> dict[str, int]:
        return {"notes": self.notes, "documents": self.documents, "findings": self.findings}


@dataclass(frozen=True)
class Tally:
    """Counters for a force, a group of forces or the whole inspection.

    ``areas`` has an entry for every area of the inspection, in the inspection's order.
    """

    areas: Mapping[str, AreaCounts]
    activities_done: int
    activities_planned: int  # activities not cancelled
    documents: int  # registered
    documents_reviewed: int

    @property
    def evidence(self) -> AreaCounts:
        """The area counts summed (a note on two areas counts twice)."""
        return sum(self.areas.values(), AreaCounts())

    @property
    def activities_percent(self) -> int:
        """Activities done as a whole percentage of those planned (0 when none are planned)."""
        if not self.activities_planned:
            return 0
        return round(100 * self.activities_done / self.activities_planned)

    def counters_json(self) -> dict[str, Any]:
        return {
            "areas": {area_id: counts.to_json() for area_id, counts in self.areas.items()},
            "activities_done": self.activities_done,
            "activities_planned": self.activities_planned,
            "documents": self.documents,
            "documents_reviewed": self.documents_reviewed,
        }

    @staticmethod
    def sum(tallies: Iterable["Tally"], area_ids: Sequence[str]) -> "Tally":
        """All ``tallies`` added up, with an entry for each of ``area_ids``."""
        items = list(tallies)
        areas = {
            area_id: sum((t.areas[area_id] for t in items), AreaCounts()) for area_id in area_ids
        }
        return Tally(
            areas=areas,
            activities_done=sum(t.activities_done for t in items),
            activities_planned=sum(t.activities_planned for t in items),
            documents=sum(t.documents for t in items),
            documents_reviewed=sum(t.documents_reviewed for t in items),
        )


@dataclass(frozen=True)
class ForceCoverage(Tally):
    """One force's counters, with what names and groups it."""

    force_id: str
    name: str
    short_name: str
    region_id: str | None  # None for the special forces and Police Scotland
    group_id: str  # the region id, or ``special`` / ``scotland``
    findings_without_area: int = 0  # the force's findings tied to no area: in no cell

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.force_id,
            "name": self.name,
            "region": self.region_id,
            "group": self.group_id,
            **self.counters_json(),
            "findings_without_area": self.findings_without_area,
        }


@dataclass(frozen=True)
class CoverageGroup:
    """A CT region (or the special forces, or Scotland) with its forces, in navigator order."""

    id: str
    name: str
    forces: tuple[ForceCoverage, ...]
    totals: Tally


@dataclass(frozen=True)
class Coverage:
    """Coverage of the current inspection; see the module docstring."""

    inspection_id: str
    areas: tuple[Area, ...]
    groups: tuple[CoverageGroup, ...]
    totals: Tally  # the forces summed; national findings are not in it
    national_findings: Mapping[str, int]  # area id → live national findings ("" = no area)
    documents_target: int  # the methodology's "over N" documents reviewed

    @property
    def forces(self) -> tuple[ForceCoverage, ...]:
        """Every force in the current inspection, grouped and ordered as the navigator shows."""
        return tuple(f for g in self.groups for f in g.forces)

    def force(self, force_id: str) -> ForceCoverage:
        for force in self.forces:
            if force.force_id == force_id:
                return force
        raise KeyError(force_id)

    @property
    def documents_target_met(self) -> bool:
        """True once more documents are reviewed than the target ("over 300")."""
        return self.totals.documents_reviewed > self.documents_target

    def as_json(self) -> dict[str, Any]:
        """The shape ``ctdesk coverage --json`` prints."""
        return {
            "inspection": self.inspection_id,
            "areas": [{"id": a.id, "code": a.code, "title": a.title} for a in self.areas],
            "forces": [f.to_json() for f in self.forces],
            "totals": self.totals.counters_json(),
            "national_findings": dict(self.national_findings),
            "documents_target": self.documents_target,
        }


def _groups(scope: Scope, forces: Sequence[Force]) -> list[tuple[str, str, list[Force]]]:
    """(group id, name, forces) in the navigator's order; empty groups left out."""
    groups = [
        (region.id, region.name, [f for f in forces if f.region_id == region.id])
        for region in scope.regions
    ]
    # A force outside the regions goes with its kind; any other kind would otherwise vanish.
    grouped = {f.id for _, _, members in groups for f in members}
    for kind, name in OTHER_GROUPS:
        groups.append((kind, name, [f for f in forces if f.id not in grouped and f.kind == kind]))
        grouped |= {f.id for f in groups[-1][2]}
    groups.append(("other", "Other forces", [f for f in forces if f.id not in grouped]))
    return [g for g in groups if g[2]]


def coverage(workbook: Workbook) -> Coverage:
    """Count the current inspection's live evidence and progress for every force in its scope."""
    scope = workbook.scope
    insp = scope.current
    db = workbook.db
    area_ids = [a.id for a in insp.areas]
    notes = coverage_db.notes_by_force_area(db, insp.id, area_ids)
    documents = coverage_db.documents_by_force_area(db, insp.id)
    findings = coverage_db.findings_by_force_area(db, insp.id)
    activities = coverage_db.activities_by_force(db, insp.id)
    registered = coverage_db.documents_by_force(db, insp.id)

    groups = []
    for group_id, group_name, members in _groups(scope, scope.forces_in(insp)):
        forces = []
        for force in members:
            done, planned = activities.get(force.id, (0, 0))
            docs, reviewed = registered.get(force.id, (0, 0))
            forces.append(
                ForceCoverage(
                    areas={
                        a: AreaCounts(
                            notes.get((force.id, a), 0),
                            documents.get((force.id, a), 0),
                            findings.get((force.id, a), 0),
                        )
                        for a in area_ids
                    },
                    activities_done=done,
                    activities_planned=planned,
                    documents=docs,
                    documents_reviewed=reviewed,
                    force_id=force.id,
                    name=force.name,
                    short_name=force.short_name,
                    region_id=force.region_id,
                    group_id=group_id,
                    findings_without_area=findings.get((force.id, None), 0),
                )
            )
        groups.append(
            CoverageGroup(group_id, group_name, tuple(forces), Tally.sum(forces, area_ids))
        )
    national = {
        area_id or "": count for (force_id, area_id), count in findings.items() if force_id is None
    }
    return Coverage(
        inspection_id=insp.id,
        areas=insp.areas,
        groups=tuple(groups),
        totals=Tally.sum((f for g in groups for f in g.forces), area_ids),
        national_findings=national,
        documents_target=insp.documents_target,
    )
