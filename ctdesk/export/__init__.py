"""Exports: summaries of fieldwork in the formats inspectors forward.

``export`` builds the content once (marking limit and redaction applied) and hands it to the
renderer of the chosen format; the file appears whole under its final name, or not at all.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctdesk.errors import InvalidInput
from ctdesk.export.build import ExportOptions, ExportScope, build, check_options, resolve_scope
from ctdesk.export.document import ExportDocument
from ctdesk.export.files import write_atomically
from ctdesk.export.progress import ExportCancelled, Progress
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

FORMATS: dict[str, str] = {
    "md": "Markdown",
    "html": "HTML (one self-contained file)",
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "csv": "CSV",
    "json": "JSON",
}
_MODULES = {
    "md": "markdown",
    "html": "html",
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "csv": "csv",
    "json": "json",
}

__all__ = [
    "FORMATS",
    "ExportCancelled",
    "ExportOptions",
    "ExportResult",
    "ExportScope",
    "Progress",
    "build",
    "check_format",
    "export",
    "export_force",
    "export_from_file",
    "resolve_scope",
    "suggested_name",
]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    marking: str
    left_out: dict[str, int]
    pages_or_rows: int = 0


def check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(
            f"ctdesk cannot export to '{fmt}'; the formats are {', '.join(FORMATS)}."
        )
    return fmt


def renderer(fmt: str) -> Callable[[ExportDocument, Progress], bytes]:
    """The render function of a format (imported on demand: PDF pulls in Qt)."""
    module = importlib.import_module(f"ctdesk.export.{_MODULES[check_format(fmt)]}")
    render: Callable[[ExportDocument, Progress], bytes] = module.render
    return render


def suggested_name(wb: Workbook, scope: ExportScope, fmt: str, redacted: bool = False) -> str:
    """A file name for an export, e.g. ``ct4-kent-summary.pdf``."""
    insp = wb.scope.current.id
    stems = {
        "force": f"{insp}-{scope.id}-summary",
        "area": f"{insp}-{scope.id.rsplit('.', 1)[-1]}-across-forces",
        "region": f"{insp}-{scope.id}-region",
        "inspection": f"{scope.id}-inspection-summary",
    }
    return stems[scope.kind] + ("-redacted" if redacted else "") + f".{check_format(fmt)}"


def export(
    wb: Workbook,
    scope: ExportScope,
    fmt: str,
    out: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write an export of ``scope`` to ``out``; raises ``ExportCancelled`` if cancelled."""
    fmt = check_format(fmt)
    options = options or ExportOptions()
    check_options(options)
    progress = progress or Progress()
    render = renderer(fmt)
    doc = build(wb, scope, options, report=lambda done, total: progress.update(done, total * 4))
    data = render(doc, progress)
    progress.update(1, 1)
    write_atomically(out, data)
    return ExportResult(out, fmt, doc.marking, dict(doc.data.get("left_out", {})))


def export_from_file(
    workbook_path: Path,
    settings: Settings,
    scope: ExportScope,
    fmt: str,
    out: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """``export`` on a connection of its own: for a worker thread while the GUI keeps its own."""
    with Workbook.open(workbook_path, settings) as wb:
        return export(wb, scope, fmt, out, options, progress)


def export_force(wb: Workbook, force_ref: str, fmt: str, out: Path) -> Path:
    """Write a force's summary (everything, unredacted) to ``out``."""
    return export(wb, resolve_scope(wb, "force", force_ref), fmt, out).path
