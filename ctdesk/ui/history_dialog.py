"""A record's history: every revision, what it held, and restoring any of them."""

import json
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.history import Revision
from ctdesk.ui.errors import show_error
from ctdesk.ui.session import Session
from ctdesk.ui.table_model import ColumnsTableModel
from ctdesk.ui.theme import muted

AnyIndex = QModelIndex | QPersistentModelIndex
_OPS = {
    "create": "Created",
    "edit": "Edited",
    "delete": "Moved to trash",
    "restore": "Restored",
    "revert": "Earlier version restored",
    "merge": "Merged (edits from two workbooks)",
    "resolve": "Conflict resolved",
    "purge": "Emptied from the trash",
}


class RevisionModel(ColumnsTableModel):
    COLUMNS = ("When (UTC)", "What", "Who", "Revision")

    def __init__(self, revisions: list[Revision], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._revisions = list(reversed(revisions))  # newest first

    def revision_at(self, row: int) -> Revision:
        return self._revisions[row]

    def row_total(self) -> int:
        return len(self._revisions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        rev = self._revisions[index.row()]
        return (
            rev.created_at[:19].replace("T", " "),
            _OPS.get(rev.op, rev.op),
            rev.author,
            rev.hash[:12],
        )[index.column()]


_FIELDS = {
    "title": "Title",
    "text": "Text",
    "body": "Text",
    "areas": "Areas",
    "area_id": "Area",
    "marking": "Marking",
    "activity_id": "Activity",
    "deleted": "In the trash",
    "kind": "Kind",
    "status": "Status",
    "evidence": "Evidence",
}


def _shown(key: str, value: Any) -> Any:
    if key in ("areas", "area_id"):  # ct4.a3 -> A3
        values = value if isinstance(value, list) else [value] if value else []
        return ", ".join(str(v).rsplit(".", 1)[-1].upper() for v in values) or "none"
    if isinstance(value, list):
        return ", ".join(str(v)[:8] if key == "evidence" else str(v) for v in value) or "none"
    return value


def revision_html(rev: Revision) -> str:
    """The content a revision holds, as escaped HTML."""
    rows = []
    for key, value in sorted(
        rev.content.items(), key=lambda kv: list(_FIELDS).index(kv[0]) if kv[0] in _FIELDS else 99
    ):
        if key in ("force", "inspection"):
            continue
        shown = _shown(key, value)
        if isinstance(shown, bool):
            shown = "yes" if shown else "no"
        text = escape("" if shown is None else str(shown)).replace("\n", "<br>")
        label = _FIELDS.get(key, key.replace("_", " ").capitalize())
        rows.append(f"<tr><th align='left' valign='top'>{escape(label)}</th><td>{text}</td></tr>")
    faint = muted(QGuiApplication.palette()).name()  # readable in light and dark themes
    return (
        f"<p><b>{escape(_OPS.get(rev.op, rev.op))}</b> by {escape(rev.author)} at "
        f"{escape(rev.created_at)}</p><table cellpadding='3'>{''.join(rows)}</table>"
        f"<p style='color:{faint}'>revision {rev.hash}<br>content hash {rev.content_hash}<br>"
        f"parents {escape(json.dumps(list(rev.parents)))}</p>"
    )


class HistoryDialog(QDialog):
    """Lists a record's revisions; "Restore this version" writes it back as a new revision."""

    def __init__(
        self, session: Session, kind: str, record_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._kind = kind
        self._record_id = record_id
        service = session.workbook.record_kinds()[kind]
        record = service.get(record_id)
        title = getattr(record, "title", None) or getattr(record, "text", "")
        self.setWindowTitle(f"History of {service.noun} “{str(title)[:60]}”")
        self.resize(900, 520)
        self.model = RevisionModel(service.history(record_id), self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Revisions, newest first")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName("Content of the selected revision")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.preview)
        splitter.setSizes([420, 480])
        self.restore_button = QPushButton("&Restore this version", self)
        self.restore_button.setAccessibleName("Restore the selected version")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.view.selectionModel().currentRowChanged.connect(self._show)
        self.view.selectRow(0)

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            rev = self.model.revision_at(current.row())
            self.preview.setHtml(revision_html(rev))
            self.restore_button.setEnabled(current.row() > 0)

    def restore_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        rev = self.model.revision_at(index.row())
        service = self._session.workbook.record_kinds()[self._kind]
        try:
            self._session.apply(lambda wb: service.revert(self._record_id, rev.hash), origin=self)
        except CtdeskError as exc:
            show_error(self, exc)
            return
        self.accept()
