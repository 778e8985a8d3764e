"""Registering files dropped on a force's evidence register, one document each.

Each document is titled from its file name (``Prevent_delivery-plan 2024.pdf`` becomes
"Prevent delivery plan 2024", capitals left as they are) and has the file attached; the category
is asked once for the whole batch. Folders, files that cannot be read and files too large to
keep are refused with one sentence each, and the rest are registered.
"""

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData

from ctdesk import storage
from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.evidence import Document, check_file
from ctdesk.export.progress import ExportCancelled, Progress
from ctdesk.workbook import Workbook

#: A batch with more files or bytes than this is read and stored off the UI thread.
BACKGROUND_FILES = 8
BACKGROUND_BYTES = 8 * 1024 * 1024


def title_from_name(path: Path) -> str:
    """The file name without its extension, underscores and dashes as spaces."""
    stem = path.stem if path.suffix else path.name
    title = " ".join(re.sub(r"[_\-–—]+", " ", stem).split())
    return title or path.name


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files and folders among the dropped URLs (none for text or web links)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


@dataclass
class Sorted:
    """Dropped paths sorted out before asking anything: what can be registered (with the bytes
    it holds) and, for the rest, why not."""

    files: list[Path] = field(default_factory=list)
    size: int = 0
    refused: list[str] = field(default_factory=list)


def sort_out(paths: Iterable[Path]) -> Sorted:
    found = Sorted()
    for path in dict.fromkeys(paths):  # the same file dropped twice is registered once
        if path.is_dir():
            found.refused.append(
                f"{path.name} is a folder; open it and drop the files inside it instead."
            )
            continue
        try:
            size = check_file(path)
        except CtdeskError as exc:
            found.refused.append(str(exc))
            continue
        if not os.access(path, os.R_OK):
            found.refused.append(f"{path.name} cannot be read (permission denied).")
            continue
        found.files.append(path)
        found.size += size
    return found


def in_background(batch: Sorted) -> bool:
    return len(batch.files) > BACKGROUND_FILES or batch.size > BACKGROUND_BYTES


@dataclass
class Registered:
    """What registering a batch did."""

    added: list[Document] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    refused: list[str] = field(default_factory=list)
    stopped: bool = False  # cancelled before the end (what was registered stays)


def register(
    wb: Workbook,
    force_id: str,
    category: str,
    files: list[Path],
    progress: Progress | None = None,
) -> Registered:
    """Register each file as a document of ``force_id`` in ``category``, each in its own
    transaction: a file refused (it vanished, or grew too large) leaves the others registered."""
    done = Registered()
    for number, path in enumerate(files):
        if progress is not None:
            try:
                progress.update(number, len(files))
            except ExportCancelled:
                done.stopped = True
                break
        try:
            result = wb.documents.add(
                force=force_id, title=title_from_name(path), category=category, file=path
            )
        except CtdeskError as exc:
            done.refused.append(str(exc))
            continue
        except storage.StoreError as exc:  # a full disk, say: the rest would fail alike
            sentence = storage.explain(exc)
            if sentence is None:
                raise
            done.refused.append(sentence)
            break
        done.added.append(result.value)
        done.changes |= result.changes
    return done


def refusals_text(refused: list[str]) -> str:
    return "\n".join(f"• {sentence}" for sentence in refused)
