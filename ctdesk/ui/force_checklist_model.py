"""Forces to tick, for choosing which go into a bundle."""

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ctdesk.scope import Force

AnyIndex = QModelIndex | QPersistentModelIndex


class ForceChecklistModel(QAbstractListModel):
    """One row per force (its name), each with a check box; ``chosen()`` gives the ticked ids."""

    def __init__(
        self, forces: Sequence[Force], ticked: Sequence[str] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._forces = list(forces)
        self._ticked = set(ticked)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._forces)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._forces):
            return None
        force = self._forces[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return force.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if force.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return force.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        force_id = self._forces[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(force_id)
        else:
            self._ticked.discard(force_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def chosen(self) -> tuple[str, ...]:
        """The ticked forces' ids, in the list's order."""
        return tuple(f.id for f in self._forces if f.id in self._ticked)

    def row_of(self, force_id: str) -> int:
        return next((i for i, f in enumerate(self._forces) if f.id == force_id), -1)
