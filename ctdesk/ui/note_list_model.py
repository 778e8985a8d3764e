"""The notes of one force as a table model (title, areas, marking, updated)."""

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from ctdesk.note import Note
from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
AREAS_ROLE = Qt.ItemDataRole.UserRole + 3  # " id id " so a filter can match " id " exactly


class NoteListModel(ColumnsTableModel):
    """Rows are notes; ``upsert``/``remove`` keep rows in place so selections survive autosave."""

    COLUMNS = ("Title", "Areas", "Marking", "Updated")

    def __init__(self, area_codes: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []
        self._codes = area_codes

    def set_notes(self, notes: list[Note]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self.endResetModel()

    def upsert(self, note: Note) -> None:
        for row, old in enumerate(self._notes):
            if old.id == note.id:
                self._notes[row] = note
                self.emit_row_changed(row)
                return
        row = len(self._notes)
        self.beginInsertRows(QModelIndex(), row, row)
        self._notes.append(note)
        self.endInsertRows()

    def remove(self, note_id: str) -> None:
        for row, old in enumerate(self._notes):
            if old.id == note_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._notes[row]
                self.endRemoveRows()
                return

    def note_at(self, row: int) -> Note:
        return self._notes[row]

    def row_of(self, note_id: str) -> int:
        return next((r for r, n in enumerate(self._notes) if n.id == note_id), -1)

    def row_total(self) -> int:
        return len(self._notes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return note.title
            if col == 1:
                return ", ".join(self._codes.get(a, a) for a in note.areas) or "—"
            if col == 2:
                return note.marking
            if col == 3:
                return note.updated_at[:16].replace("T", " ")
        if role == SORT_ROLE:
            return (note.title.casefold(), ",".join(note.areas), note.marking, note.updated_at)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{note.title}\n{note.marking} · {note.author}"
        if role == ID_ROLE:
            return note.id
        if role == AREAS_ROLE:
            return " " + " ".join(note.areas) + " "
        return None
