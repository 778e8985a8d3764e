"""A force's fieldwork summary: the content, independent of the output format."""

from dataclasses import dataclass
from datetime import UTC, datetime

from ctdesk import __version__
from ctdesk.marking import highest, parse_marking
from ctdesk.note import Note
from ctdesk.scope import Area, Force, Inspection
from ctdesk.workbook import Workbook


@dataclass(frozen=True)
class AreaSection:
    area: Area | None  # None: notes not tied to any area
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class ForceSummary:
    force: Force
    inspection: Inspection
    sections: tuple[AreaSection, ...]
    notes: tuple[Note, ...]
    marking: str
    exported_at: str
    author: str
    version: str


def build(workbook: Workbook, force_ref: str, inspection_ref: str | None = None) -> ForceSummary:
    """Gather a force's notes for an inspection (default: the current one), grouped by area."""
    scope = workbook.scope
    force = scope.force(force_ref)
    inspection = scope.inspection(inspection_ref) if inspection_ref else scope.current
    notes = sorted(
        (n for n in workbook.notes.all(force=force.id) if n.inspection_id == inspection.id),
        key=lambda n: (n.created_at, n.id),
    )
    sections = [
        AreaSection(area, tuple(n for n in notes if area.id in n.areas))
        for area in inspection.areas
    ]
    untied = tuple(n for n in notes if not n.areas)
    if untied:
        sections.append(AreaSection(None, untied))
    marking = highest(parse_marking(n.marking) for n in notes)
    return ForceSummary(
        force=force,
        inspection=inspection,
        sections=tuple(sections),
        notes=tuple(notes),
        marking=marking.label,
        exported_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        author=workbook.author,
        version=__version__,
    )
