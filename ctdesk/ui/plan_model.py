"""A force's fieldwork plan as a checklist table: tick to mark an activity done."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ctdesk.activity import STATUSES, Activity
from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1

# (activity id, field, value) -> True if the store accepted it
EditHandler = Callable[[str, str, Any], bool]


class PlanModel(ColumnsTableModel):
    """Rows are activities in plan order; the first column is the done checkbox."""

    COLUMNS = (
        "Done",
        "Activity",
        "Kind",
        "Planned",
        "Done on",
        "Status",
        "Participants",
        "Marking",
    )
    TITLE, PLANNED, PARTICIPANTS = 1, 3, 6

    def __init__(self, on_edit: EditHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Activity] = []
        self._on_edit = on_edit

    def set_activities(self, activities: list[Activity]) -> None:
        self.beginResetModel()
        self._rows = list(activities)
        self.endResetModel()

    def activity_at(self, row: int) -> Activity:
        return self._rows[row]

    def row_of(self, activity_id: str) -> int:
        return next((r for r, a in enumerate(self._rows) if a.id == activity_id), -1)

    def row_total(self) -> int:
        return len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (self.TITLE, self.PLANNED, self.PARTICIPANTS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if a.status == "done" else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (
                "",
                a.title,
                a.kind_name,
                a.planned_date or "",
                a.done_date or "",
                STATUSES.get(a.status, a.status),
                a.participants.replace("\n", "; "),
                a.marking,
            )
            return values[col]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{a.title}: {STATUSES.get(a.status, a.status)}"
        if role == Qt.ItemDataRole.FontRole and a.status == "cancelled" and col == self.TITLE:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == ID_ROLE:
            return a.id
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            return self._on_edit(a.id, "status", "done" if checked else "planned")
        if role == Qt.ItemDataRole.EditRole:
            field = {self.TITLE: "title", self.PLANNED: "planned_date"}.get(col, "participants")
            if col not in (self.TITLE, self.PLANNED, self.PARTICIPANTS):
                return False
            return self._on_edit(a.id, field, str(value))
        return False

    def replace(self, activity: Activity) -> None:
        row = self.row_of(activity.id)
        if row >= 0:
            self._rows[row] = activity
            self.emit_row_changed(row)
