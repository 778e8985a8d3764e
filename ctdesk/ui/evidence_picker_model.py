"""A checkable list of things a finding can link to: a force's notes and documents (its
evidence), or the recommendations that answer a cause of concern.

Ticking or unticking a row emits ``toggled(id, ticked)``; the owner writes the link and, if the
store refuses, puts the tick back with ``set_checked``. Loading rows never emits ``toggled``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PickItem:
    """One row: a note, a document or a recommendation."""

    id: str
    title: str
    kind: str  # shown in the Kind column: "Note", "Document", "Recommendation · A2"
    marking: str
    trashed: bool = False  # still linked, but in the trash: shown so it can be unticked


class EvidencePickerModel(ColumnsTableModel):
    """Rows to tick; column 0 carries the check box."""

    COLUMNS = ("Title", "Kind", "Marking")
    toggled = Signal(str, bool)  # item id, ticked

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[PickItem] = []
        self._checked: set[str] = set()

    # ---- loading ------------------------------------------------------------------------------
    def set_items(self, items: Sequence[PickItem], checked: Iterable[str] = ()) -> None:
        """Replace the rows and which of them are ticked. Ticked rows come first (what a finding
        cites is seen at once), then by kind and title; ticking later moves no row."""
        self.beginResetModel()
        self._checked = set(checked)
        self._items = sorted(
            items, key=lambda i: (i.id not in self._checked, i.kind, i.title.casefold(), i.id)
        )
        self.endResetModel()

    def set_checked(self, ids: Iterable[str]) -> None:
        """Tick exactly these ids (no ``toggled`` is emitted)."""
        self._checked = set(ids)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._items) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def checked_ids(self) -> list[str]:
        """Ticked ids, in row order."""
        return [i.id for i in self._items if i.id in self._checked]

    def item_at(self, row: int) -> PickItem:
        return self._items[row]

    def row_of(self, item_id: str) -> int:
        return next((r for r, i in enumerate(self._items) if i.id == item_id), -1)

    # ---- Qt model API -------------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._items)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        ticked = item.id in self._checked
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{item.title} (in the trash)" if item.trashed else item.title
            return item.kind if col == 1 else item.marking
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "linked" if ticked else "not linked"
            trash = ", in the trash" if item.trashed else ""
            return f"{item.kind}: {item.title}{trash}, {state}" if col == 0 else None
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{item.kind} · {item.marking} · id {item.id[:8]}"
        if role == ID_ROLE:
            return item.id
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != 0
            or not 0 <= index.row() < len(self._items)
        ):
            return False
        item = self._items[index.row()]
        ticked = _is_checked(value)
        if ticked == (item.id in self._checked):
            return True
        if ticked:
            self._checked.add(item.id)
        else:
            self._checked.discard(item.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.toggled.emit(item.id, ticked)
        return True


def _is_checked(value: Any) -> bool:
    # Views pass the check state as an int, Qt.CheckState, or (from accessibility) a bool.
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    if isinstance(value, bool):
        return value
    return int(value) == Qt.CheckState.Checked.value
