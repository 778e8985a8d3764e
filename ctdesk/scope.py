"""The inspection scope: programme, inspections, areas, lines of enquiry, methodology, forces.

Scope records have stable human ids (``ct4``, ``ct4.a1``, ``kent``) so that two workbooks made from
the same scope agree on them. The scope is small and read-only, so it is held in memory.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ctdesk.db import scope as scope_db
from ctdesk.errors import InvalidInput, NotFound

FORCE_KINDS = ("territorial", "special", "scotland")


@dataclass(frozen=True)
class Region:
    id: str
    name: str


@dataclass(frozen=True)
class FormerName:
    name: str
    until: str


@dataclass(frozen=True)
class Force:
    id: str
    name: str
    short_name: str
    nation: str
    kind: str  # territorial | special | scotland
    region_id: str | None
    region_name: str | None
    region_confidence: str | None  # confirmed | likely | inferred
    aliases: tuple[str, ...]
    former_names: tuple[FormerName, ...]
    inspections: tuple[str, ...]
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "nation": self.nation,
            "kind": self.kind,
            "region": self.region_id,
            "region_name": self.region_name,
            "region_confidence": self.region_confidence,
            "aliases": list(self.aliases),
            "former_names": [{"name": f.name, "until": f.until} for f in self.former_names],
            "inspections": list(self.inspections),
        }


@dataclass(frozen=True)
class LineOfEnquiry:
    id: str
    area_id: str
    text: str


@dataclass(frozen=True)
class Area:
    id: str
    inspection_id: str
    code: str
    title: str
    question: str
    description: str
    lines_of_enquiry: tuple[LineOfEnquiry, ...]

    @property
    def label(self) -> str:
        """``A1 Capability``: how an area is named to inspectors."""
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class MethodItem:
    id: str
    kind: str  # partner | interview | focus-group | document-category
    slug: str
    title: str
    short: str


@dataclass(frozen=True)
class Inspection:
    id: str
    code: str
    title: str
    subject: str
    year: str
    status: str  # not-published | published-redacted
    status_note: str
    graded: bool
    current: bool
    fieldwork: str | None
    published: str | None
    report_title: str | None
    recommendations: int | None
    description: str
    areas: tuple[Area, ...]
    methodology: tuple[MethodItem, ...]
    methodology_summary: str
    documents_target: int

    def method(self, kind: str) -> list[MethodItem]:
        """Methodology items of one kind, in order."""
        return [m for m in self.methodology if m.kind == kind]


@dataclass(frozen=True)
class Programme:
    title: str
    description: str
    commissioned: str


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class Scope:
    """The whole scope of a workbook, with lookups by id or by the names inspectors type."""

    def __init__(
        self,
        programme: Programme,
        inspections: Sequence[Inspection],
        regions: Sequence[Region],
        forces: Sequence[Force],
    ) -> None:
        self.programme = programme
        self.inspections = tuple(inspections)
        self.regions = tuple(regions)
        self.forces = tuple(forces)
        self._force_by_key: dict[str, Force] = {}
        for force in self.forces:
            for key in (
                force.id,
                force.name,
                *force.aliases,
                *(f.name for f in force.former_names),
            ):
                self._force_by_key.setdefault(_norm(key), force)
        self._area_by_id = {a.id: a for i in self.inspections for a in i.areas}

    @property
    def current(self) -> Inspection:
        """The inspection new fieldwork belongs to (CT4)."""
        for inspection in self.inspections:
            if inspection.current:
                return inspection
        return self.inspections[-1]

    def inspection(self, ref: str) -> Inspection:
        key = _norm(ref)
        for inspection in self.inspections:
            if key in (inspection.id, _norm(inspection.code)):
                return inspection
        codes = ", ".join(i.code for i in self.inspections)
        raise NotFound(f"There is no inspection '{ref}'; the inspections are {codes}.")

    def force(self, ref: str) -> Force:
        """A force by id, full name, alias or former name, case-insensitively."""
        found = self._force_by_key.get(_norm(ref))
        if found is None:
            raise NotFound(
                f"There is no force called '{ref}'; run 'ctdesk forces' to see ids and names."
            )
        return found

    def region(self, ref: str) -> Region:
        key = _norm(ref)
        for region in self.regions:
            if key in (region.id, _norm(region.name)) or _norm(region.name).startswith(key + " ("):
                return region
        names = ", ".join(r.id for r in self.regions)
        raise NotFound(f"There is no CT region '{ref}'; the regions are {names}.")

    def area(self, ref: str, inspection: Inspection | None = None) -> Area:
        """An area by id (``ct4.a1``) or by its code in ``inspection`` (default: current)."""
        key = _norm(ref)
        if key in self._area_by_id:
            return self._area_by_id[key]
        inspection = inspection or self.current
        for area in inspection.areas:
            if key == _norm(area.code):
                return area
        codes = ", ".join(f"{a.code} ({a.id})" for a in inspection.areas)
        raise NotFound(f"There is no area '{ref}' in {inspection.code}; its areas are {codes}.")

    def area_ids(self, refs: Sequence[str], inspection_id: str) -> tuple[str, ...]:
        """Area ids (sorted, unique) for refs typed by the user, all in one inspection."""
        inspection = self.inspection(inspection_id)
        ids = set()
        for ref in refs:
            area = self.area(ref, inspection)
            if area.inspection_id != inspection.id:
                codes = ", ".join(a.code for a in inspection.areas)
                raise InvalidInput(
                    f"Area {area.id} is not part of {inspection.code}; choose one of {codes}."
                )
            ids.add(area.id)
        return tuple(sorted(ids))

    def force_in(
        self, force_ref: str, inspection_ref: str | None = None
    ) -> tuple[Force, Inspection]:
        """The force and inspection (default: current), refusing a force outside its scope."""
        inspection = self.inspection(inspection_ref) if inspection_ref else self.current
        force = self.force(force_ref)
        if inspection.id not in force.inspections:
            raise InvalidInput(
                f"{force.name} was not in the scope of {inspection.code}; choose a force that was."
            )
        return force, inspection

    def area_by_id(self, area_id: str) -> Area:
        return self._area_by_id[area_id]

    def forces_in(self, inspection: Inspection) -> list[Force]:
        return [f for f in self.forces if inspection.id in f.inspections]

    def forces_of_region(self, region_id: str | None) -> list[Force]:
        return [f for f in self.forces if f.region_id == region_id]


def load(db: Database) -> Scope:
    """Read the scope stored in a workbook."""
    meta = scope_db.get_meta(db)
    regions = {r["id"]: Region(r["id"], r["name"]) for r in scope_db.all_rows(db, "regions")}
    links: dict[str, list[str]] = {}
    for link in scope_db.all_rows(db, "force_inspections"):
        links.setdefault(link["force_id"], []).append(link["inspection_id"])
    forces = [
        Force(
            id=r["id"],
            name=r["name"],
            short_name=r["short_name"],
            nation=r["nation"],
            kind=r["kind"],
            region_id=r["region_id"],
            region_name=regions[r["region_id"]].name if r["region_id"] else None,
            region_confidence=r["region_confidence"],
            aliases=tuple(json.loads(r["aliases"])),
            former_names=tuple(
                FormerName(f["name"], f["until"]) for f in json.loads(r["former_names"])
            ),
            inspections=tuple(sorted(links.get(r["id"], []))),
            note=r["note"],
        )
        for r in scope_db.all_rows(db, "forces")
    ]
    loes: dict[str, list[LineOfEnquiry]] = {}
    for r in scope_db.all_rows(db, "lines_of_enquiry"):
        loes.setdefault(r["area_id"], []).append(LineOfEnquiry(r["id"], r["area_id"], r["text"]))
    areas: dict[str, list[Area]] = {}
    for r in scope_db.all_rows(db, "areas"):
        areas.setdefault(r["inspection_id"], []).append(
            Area(
                id=r["id"],
                inspection_id=r["inspection_id"],
                code=r["code"],
                title=r["title"],
                question=r["question"],
                description=r["description"],
                lines_of_enquiry=tuple(loes.get(r["id"], [])),
            )
        )
    methods: dict[str, list[MethodItem]] = {}
    for r in scope_db.all_rows(db, "methodology"):
        methods.setdefault(r["inspection_id"], []).append(
            MethodItem(r["id"], r["kind"], r["slug"], r["title"], r["short"])
        )
    inspections = [
        Inspection(
            id=r["id"],
            code=r["code"],
            title=r["title"],
            subject=r["subject"],
            year=r["year"],
            status=r["status"],
            status_note=r["status_note"],
            graded=bool(r["graded"]),
            current=bool(r["is_current"]),
            fieldwork=r["fieldwork"],
            published=r["published"],
            report_title=r["report_title"],
            recommendations=r["recommendations"],
            description=r["description"],
            areas=tuple(areas.get(r["id"], [])),
            methodology=tuple(methods.get(r["id"], [])),
            methodology_summary=meta.get(f"{r['id']}.methodology_summary", ""),
            documents_target=int(meta.get(f"{r['id']}.documents_target", "0")),
        )
        for r in scope_db.all_rows(db, "inspections")
    ]
    programme = Programme(
        title=meta.get("programme_title", ""),
        description=meta.get("programme_description", ""),
        commissioned=meta.get("programme_commissioned", ""),
    )
    return Scope(programme, inspections, list(regions.values()), forces)
