"""Exports: summaries of fieldwork in the formats inspectors forward.

``export`` builds the content once (marking limit and redaction applied) and hands it to the
renderer of the chosen format; the file appears whole under its final name, or not at all.
"""

import importlib
import json as jsonlib  # not "json": ctdesk.export.json is the JSON renderer
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctdesk.errors import CtdeskError, InvalidInput
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
    "export_in_child",
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
    outer = progress

    def rendering(done: int, total: int) -> None:
        # Building was the first quarter; rendering fills the rest, so the bar never goes back.
        outer.update(total + 3 * done, 4 * total) if total else outer.update(1, 4)

    data = render(doc, Progress(rendering))
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


def export_in_child(
    workbook_path: Path,
    scope: ExportScope,
    fmt: str,
    out: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    passphrase: str | None = None,
) -> ExportResult:
    """``export`` run by a separate ``ctdesk export`` process.

    The passphrase of an encrypted workbook reaches the child on its standard input, never on
    its command line or in its environment.

    For the GUI: rendering a large PDF holds Python's interpreter lock through long Qt calls,
    which would stall the window's event loop if it ran on a thread of the same process.
    Cancelling kills the child; no file is left under ``out`` or beside it.
    """
    options = options or ExportOptions()
    progress = progress or Progress()
    args = [
        sys.executable,
        "-m",
        "ctdesk",
        "--workbook",
        str(workbook_path),
        *(["--passphrase-file", "-"] if passphrase is not None else []),
        "export",
        f"--{scope.kind}",
        scope.id,
        "--format",
        check_format(fmt),
        "--out",
        str(out),
        "--json",
        "--progress-lines",
    ]
    if options.max_marking:
        args += ["--max-marking", options.max_marking]
    if options.redacted:
        args.append("--redacted")
    if options.public_release:
        args.append("--public-release")
    child = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert child.stdin is not None and child.stderr is not None and child.stdout is not None
    with child.stdin:
        if passphrase is not None:
            child.stdin.write(passphrase + "\n")
    last = ""
    try:
        for line in child.stderr:
            if line.startswith("PROGRESS "):
                done, total = (int(n) for n in line.split()[1:3])
                progress.update(done, total)
            elif line.strip():
                last = line.strip()
        output = child.stdout.read()
    except BaseException:
        child.kill()
        child.wait()
        for leftover in out.parent.glob(f".{out.name}.*.ctdesk-tmp"):
            leftover.unlink(missing_ok=True)
        raise
    if child.wait() != 0:
        raise CtdeskError(last.removeprefix("ctdesk: ") or "The export failed.")
    data = jsonlib.loads(output)
    return ExportResult(Path(data["path"]), fmt, data["marking"], data["left_out"])


def export_force(wb: Workbook, force_ref: str, fmt: str, out: Path) -> Path:
    """Write a force's summary (everything, unredacted) to ``out``."""
    return export(wb, resolve_scope(wb, "force", force_ref), fmt, out).path
