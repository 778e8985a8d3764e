"""Exports: summaries of fieldwork in the formats inspectors forward."""

from pathlib import Path

from ctdesk.errors import InvalidInput
from ctdesk.export import force_summary, markdown
from ctdesk.export.files import write_atomically
from ctdesk.workbook import Workbook

FORMATS = {"md": "Markdown"}


def suggested_name(workbook: Workbook, force_ref: str, fmt: str) -> str:
    """A file name for a force summary, e.g. ``ct4-kent-summary.md``."""
    force = workbook.scope.force(force_ref)
    return f"{workbook.scope.current.id}-{force.id}-summary.{fmt}"


def export_force(workbook: Workbook, force_ref: str, fmt: str, out: Path) -> Path:
    """Write a force's summary to ``out`` in ``fmt``; the file appears whole or not at all."""
    if fmt not in FORMATS:
        raise InvalidInput(
            f"ctdesk cannot export to '{fmt}'; the formats are {', '.join(FORMATS)}."
        )
    summary = force_summary.build(workbook, force_ref)
    write_atomically(out, markdown.render(summary).encode("utf-8"))
    return out
