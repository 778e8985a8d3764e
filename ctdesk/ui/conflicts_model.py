"""Open conflicts as a table: the record, its kind and force, and who changed it on each side."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt

from ctdesk.errors import CtdeskError
from ctdesk.exchange.conflicts import Conflict, Version
from ctdesk.scope import Scope
from ctdesk.ui.backups_dialog import local_time
from ctdesk.ui.table_model import AnyIndex, ColumnsTableModel

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_NAMES = {"note": "Note", "document": "Document", "activity": "Activity", "finding": "Finding"}


def when(iso: str) -> str:
    """A revision's UTC time (``2026-11-29T09:40:12.123Z``) in local time, to the minute."""
    try:
        return local_time(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    except ValueError:
        return iso


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.capitalize())


def version_text(version: Version) -> str:
    """``Alex, 2026-11-29 09:40``, and whether it is in the trash."""
    gone = ""
    if version.content is None:
        gone = " (emptied from the trash)"
    elif version.deleted:
        gone = " (in the trash)"
    return f"{version.author}, {when(version.created_at)}{gone}"


class ConflictsModel(ColumnsTableModel):
    """One row per record in conflict, by title."""

    COLUMNS = ("Record", "Kind", "Force", "Mine", "Theirs")

    def __init__(self, scope: Scope, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scope = scope
        self._conflicts: list[Conflict] = []

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        self.beginResetModel()
        self._conflicts = sorted(conflicts, key=lambda c: (c.title.casefold(), c.record_id))
        self.endResetModel()

    def conflict(self, row: int) -> Conflict:
        return self._conflicts[row]

    def row_of(self, record_id: str) -> int:
        """The row of a record's conflict, or -1."""
        return next((n for n, c in enumerate(self._conflicts) if c.record_id == record_id), -1)

    def row_total(self) -> int:
        return len(self._conflicts)

    def force_name(self, force_id: str | None) -> str:
        if force_id is None:
            return "National"
        try:
            return self._scope.force(force_id).short_name
        except CtdeskError:  # a force no longer in the scope data
            return force_id

    def _cells(self, c: Conflict) -> tuple[str, ...]:
        return (
            c.title,
            kind_name(c.kind),
            self.force_name(c.force_id),
            version_text(c.mine),
            version_text(c.theirs),
        )

    def describe(self, c: Conflict) -> str:
        """A sentence for tooltips and screen readers."""
        noun = kind_name(c.kind).lower()
        return (
            f"The {noun} “{c.title}” ({self.force_name(c.force_id)}) was changed on both sides: "
            f"mine by {version_text(c.mine)}, theirs by {version_text(c.theirs)}."
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._conflicts):
            return None
        c = self._conflicts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(c)[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            header = self.COLUMNS[index.column()]
            return f"{header}: {self._cells(c)[index.column()]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.describe(c)
        if role == CONFLICT_ROLE:
            return c
        return None
