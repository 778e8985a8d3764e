"""The notes of one force as a table model (title, areas, marking, updated)."""

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer

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
        self._order: tuple[int, Qt.SortOrder] | None = None  # (column, order) once sorted
        self._resort = QTimer(self)
        self._resort.setSingleShot(True)
        self._resort.setInterval(0)
        self._resort.timeout.connect(lambda: self._order and self.sort(*self._order))

    def set_notes(self, notes: list[Note]) -> None:
        self.beginResetModel()
        self._notes = self._sorted(notes)
        self.endResetModel()

    def upsert(self, note: Note) -> None:
        for row, old in enumerate(self._notes):
            if old.id == note.id:
                self._notes[row] = note
                self.emit_row_changed(row)
                break
        else:
            row = len(self._notes)
            self.beginInsertRows(QModelIndex(), row, row)
            self._notes.append(note)
            self.endInsertRows()
        if self._order is not None:
            # An edited title or a new time moves the row, once control is back in the event
            # loop: upserts arrive inside selection and change signals, where a layout change
            # would pull rows from under the views handling them.
            self._resort.start()

    def _key(self, note: Note, column: int) -> Any:
        if column == 0:
            return note.title.casefold()
        if column == 1:
            return ",".join(note.areas)
        if column == 2:
            return note.marking
        return note.updated_at

    def _sorted(self, notes: list[Note]) -> list[Note]:
        if self._order is None:
            return list(notes)
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(notes, key=lambda n: self._key(n, column), reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows here, in Python's sort: a proxy sorting 2,000 rows would call
        ``data`` tens of thousands of times."""
        if not 0 <= column < len(self.COLUMNS):
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = [n.id for n in self._notes]
        self._notes = self._sorted(self._notes)
        after = {n.id: row for row, n in enumerate(self._notes)}
        moved = self.persistentIndexList()
        self.changePersistentIndexList(
            moved, [self.index(after[before[i.row()]], i.column()) for i in moved]
        )
        self.layoutChanged.emit()

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
            return self._key(note, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{note.title}\n{note.marking} · {note.author}"
        if role == ID_ROLE:
            return note.id
        if role == AREAS_ROLE:
            return " " + " ".join(note.areas) + " "
        return None
