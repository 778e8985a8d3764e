"""The workbooks opened lately, most recent first, for File → Open recent.

Kept as a JSON list of paths in the config folder (``recent-workbooks.json``). Only paths are
kept, never a passphrase or anything the workbooks hold. A file edited by hand into nonsense
counts as an empty list; entries that are not text are skipped.
"""

import json
import os
from pathlib import Path

from ctdesk import paths

RECENT_FILE = "recent-workbooks.json"
LIMIT = 8


def _file(folder: Path | None) -> Path:
    return (folder or paths.config_dir()) / RECENT_FILE


def _key(path: Path) -> str:
    """How two paths are compared: absolute, and case-folded where the file system ignores case."""
    return os.path.normcase(str(path))


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path.expanduser()))


def load(folder: Path | None = None) -> list[Path]:
    """The remembered workbooks, most recent first (at most ``LIMIT``, no repeats)."""
    try:
        raw = json.loads(_file(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    entries = raw.get("workbooks") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        return []
    found: list[Path] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip() or "\x00" in entry:
            continue
        path = _absolute(Path(entry))
        if _key(path) in seen:
            continue
        seen.add(_key(path))
        found.append(path)
        if len(found) == LIMIT:
            break
    return found


def _save(entries: list[Path], folder: Path | None) -> None:
    """Write atomically (temporary file, then rename); a folder that refuses is not fatal."""
    target = _file(folder)
    tmp = target.with_name(RECENT_FILE + ".tmp")
    data = {"workbooks": [str(p) for p in entries[:LIMIT]]}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # the list is a convenience: losing it must never stop a workbook opening


def add(path: Path, folder: Path | None = None) -> list[Path]:
    """Put ``path`` first (moving it up if it was there already); returns the new list."""
    path = _absolute(path)
    entries = [path] + [p for p in load(folder) if _key(p) != _key(path)]
    _save(entries, folder)
    return entries[:LIMIT]


def remove(path: Path, folder: Path | None = None) -> list[Path]:
    """Forget ``path``; returns the new list."""
    key = _key(_absolute(path))
    entries = [p for p in load(folder) if _key(p) != key]
    _save(entries, folder)
    return entries


def clear(folder: Path | None = None) -> None:
    """Forget every workbook."""
    _save([], folder)
