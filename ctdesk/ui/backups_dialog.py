"""The workbook's backups: when, why, how big; put one back."""

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.backups import Backup
from ctdesk.ui.table_model import AnyIndex, ColumnsTableModel

REASONS = {
    "open": "On opening",
    "manual": "Backed up by hand",
    "before-restore": "Before a restore",
    "before-rekey": "Before a passphrase change",
    "before-empty-trash": "Before emptying the trash",
    "before-import": "Before an import",
}


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def local_time(at: datetime) -> str:
    """A UTC moment as the inspector's local date and time, to the minute."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class BackupListModel(ColumnsTableModel):
    """Backups, newest first."""

    COLUMNS = ("Taken", "Why", "Size", "Encrypted")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backups: list[Backup] = []

    def set_backups(self, backups: list[Backup]) -> None:
        self.beginResetModel()
        self._backups = list(backups)
        self.endResetModel()

    def backup(self, row: int) -> Backup:
        return self._backups[row]

    def row_total(self) -> int:
        return len(self._backups)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        b = self._backups[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                local_time(b.taken_at),
                REASONS.get(b.reason, b.reason),
                _size(b.size),
                "Yes" if b.encrypted else "No",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(b.path)
        return None


class BackupsDialog(QDialog):
    """Lists the backups. ``chosen`` is the backup to restore after Accept (None otherwise)."""

    def __init__(self, backups: list[Backup], folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.chosen: Backup | None = None
        self._folder = folder
        empty = "" if backups else " There are none yet: File → Back up now makes one."
        intro = QLabel(
            "Whole copies of the workbook, encrypted like it, taken on opening (at most one an "
            "hour), before risky changes, and when you ask. Recent ones are kept densely, "
            "older ones sparsely; those backed up by hand are kept." + empty,
            self,
        )
        intro.setWordWrap(True)
        self.model = BackupListModel(self)
        self.model.set_backups(backups)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups of this workbook")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self._restore())
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.clicked.connect(self._restore)
        folder_button = QPushButton("Show &folder", self)
        folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self._folder))
        )
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.restore_button, folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update()
        self.resize(640, 420)

    def _update(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup(rows[0].row()) if rows else None

    def _restore(self, _index: QModelIndex | None = None) -> None:
        backup = self.selected()
        if backup is None:
            return
        answer = QMessageBox.question(
            self,
            "Restore a backup",
            f"Put back the workbook as it was on {local_time(backup.taken_at)}? Everything since "
            "then is replaced; the workbook as it is now is backed up first, so this can be "
            "undone by restoring that backup.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = backup
            self.accept()
