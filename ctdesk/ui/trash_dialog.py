"""The trash: deleted records of every kind, restorable; emptying it asks first."""

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.record import Record
from ctdesk.ui.errors import show_error
from ctdesk.ui.session import Session
from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
_KIND_NAMES = {"note": "Note", "activity": "Activity", "document": "Document", "finding": "Finding"}


def record_title(record: Record) -> str:
    text = getattr(record, "title", None) or getattr(record, "text", "") or ""
    return str(text).split("\n")[0]


class TrashModel(ColumnsTableModel):
    COLUMNS = ("Kind", "Force", "Title", "Marking", "Deleted (UTC)")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, Record, str]] = []

    def set_items(self, items: list[tuple[str, Record, str]]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> tuple[str, Record]:
        kind, record, _force = self._items[row]
        return kind, record

    def row_total(self) -> int:
        return len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        kind, record, force = self._items[index.row()]
        return (
            _KIND_NAMES.get(kind, kind),
            force,
            record_title(record),
            record.marking,
            (record.deleted_at or "")[:16].replace("T", " "),
        )[index.column()]


class TrashDialog(QDialog):
    """Shows what is in the trash; Restore brings the selected record back."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Trash")
        self.resize(860, 420)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Trash summary")
        self.model = TrashModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Records in the trash")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.restore_button = QPushButton("&Restore", self)
        self.restore_button.setAccessibleName("Restore the selected records")
        self.empty_button = QPushButton("&Empty trash…", self)
        self.empty_button.setAccessibleName("Empty the trash")
        self.restore_button.setDefault(True)
        self.empty_button.setAutoDefault(False)  # Enter must never empty the trash
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        session.changed.connect(lambda _changes, _origin: self.reload())
        self.reload()

    def reload(self) -> None:
        wb = self._session.workbook
        items = []
        for kind, record in wb.trash():
            force = wb.scope.force(record.force_id).name if record.force_id else "National"
            items.append((kind, record, force))
        self.model.set_items(items)
        n = len(items)
        self.summary.setText(
            "The trash is empty." if n == 0 else f"{n} record{'s' if n != 1 else ''} in the trash."
        )
        self.empty_button.setEnabled(n > 0)
        self.restore_button.setEnabled(n > 0)

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        chosen = [self.model.item_at(r) for r in rows]
        for kind, record in chosen:
            service = self._session.workbook.record_kinds()[kind]
            try:
                self._session.apply(lambda wb, s=service, r=record: s.restore(r.id), origin=self)
            except CtdeskError as exc:
                show_error(self, exc)
                return

    def empty(self) -> None:
        count = self.model.rowCount()
        answer = QMessageBox.question(
            self,
            "Empty the trash",
            f"Remove the {count} record{'s' if count != 1 else ''} in the trash for good? "
            "This cannot be undone.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes: Changes = self._session.workbook.empty_trash()
        except CtdeskError as exc:
            show_error(self, exc)
            return
        # Undo steps may point at records that no longer exist.
        self._session.undo_stack.clear()
        self._session.announce(changes, origin=self)
