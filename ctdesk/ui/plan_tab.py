"""A force's fieldwork plan: a checklist of activities with progress ("5 of 6 done")."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.activity import Activity
from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.ui.activity_dialog import ActivityDialog
from ctdesk.ui.errors import show_error
from ctdesk.ui.plan_model import PlanModel
from ctdesk.ui.session import Session
from ctdesk.ui.shortcuts_sheet import GROUP_PROPERTY


class PlanTab(QWidget):
    """Tick an activity to mark it done; double-click a title, date or participants to edit."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force_id: str | None = None
        self.model = PlanModel(self._edit, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Fieldwork plan")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PlanModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.progress_label = QLabel(self)
        self.progress_label.setAccessibleName("Plan progress")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Plan progress bar")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.add_button = QPushButton("&Add activity…", self)
        self.add_button.setAccessibleName("Add activity")
        self.cancel_button = QPushButton("&Cancel activity", self)
        self.cancel_button.setAccessibleName("Cancel or reinstate the selected activity")
        self.trash_button = QPushButton("Move to &trash", self)
        self.trash_button.setAccessibleName("Move the selected activity to the trash")
        # Space ticks the selected activity done (or not), whichever cell of it is current.
        self.done_action = QAction("Mark the activity done or not done", self)
        self.done_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.done_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.done_action.setProperty(GROUP_PROPERTY, "Plan")
        self.done_action.setEnabled(not session.workbook.read_only)
        self.done_action.triggered.connect(self.toggle_done)
        self.view.addAction(self.done_action)
        self.add_button.clicked.connect(self.add_activity)
        self.cancel_button.clicked.connect(self.toggle_cancelled)
        self.trash_button.clicked.connect(self.trash_selected)
        top = QHBoxLayout()
        top.addWidget(self.progress_label)
        top.addWidget(self.progress)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.trash_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        QWidget.setTabOrder(self.trash_button, self.view)  # the buttons above the plan first
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        session.changed.connect(self._on_changed)
        self._update_buttons()

    def show_force(self, force_id: str) -> None:
        self._force_id = force_id
        wb = self._session.workbook
        in_scope = wb.scope.current.id in wb.scope.force(force_id).inspections
        self.add_button.setEnabled(in_scope)
        self._reload()

    def _reload(self) -> None:
        if self._force_id is None:
            return
        wb = self._session.workbook
        self.model.set_activities(wb.activities.plan(self._force_id))
        progress = wb.activities.progress(self._force_id)
        self.progress_label.setText(f"{progress}")
        self.progress.setRange(0, max(progress.planned, 1))
        self.progress.setValue(progress.done)
        self._update_buttons()

    def selected(self) -> Activity | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.activity_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        activity = self.selected()
        self.cancel_button.setEnabled(activity is not None)
        self.trash_button.setEnabled(activity is not None)
        if activity is not None and activity.status == "cancelled":
            self.cancel_button.setText("Re&instate activity")
        else:
            self.cancel_button.setText("&Cancel activity")

    def _edit(self, activity_id: str, field: str, value: Any) -> bool:
        try:
            self._session.apply(
                lambda wb: wb.activities.set(activity_id, **{field: value}), origin=self
            )
        except CtdeskError as exc:
            show_error(self, exc)
            return False
        return True

    def add_activity(self) -> None:
        if self._force_id is None:
            return
        dialog = ActivityDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        force_id, values = self._force_id, dialog.values()
        try:
            self._session.apply(
                lambda wb: wb.activities.add(force=force_id, **values),  # type: ignore[arg-type]
                origin=self,
            )
        except CtdeskError as exc:
            show_error(self, exc)

    def toggle_done(self) -> None:
        activity = self.selected()
        if activity is not None:
            self._edit(activity.id, "status", "planned" if activity.status == "done" else "done")

    def toggle_cancelled(self) -> None:
        activity = self.selected()
        if activity is not None:
            status = "planned" if activity.status == "cancelled" else "cancelled"
            self._edit(activity.id, "status", status)

    def trash_selected(self) -> None:
        activity = self.selected()
        if activity is None:
            return
        try:
            self._session.apply(lambda wb: wb.activities.delete(activity.id), origin=self)
        except CtdeskError as exc:
            show_error(self, exc)

    def _on_changed(self, changes: Changes, origin: object) -> None:
        if self._force_id is None or not changes.touches("activity"):
            return
        selected = self.selected()
        focus = QApplication.focusWidget()  # in the plan, or in a cell being edited there
        in_view = focus is not None and (focus is self.view or self.view.isAncestorOf(focus))
        self._reload()
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row >= 0:
                self.view.selectRow(row)
        if in_view:  # reloading closed the cell's editor: the keyboard stays in the plan
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_record(self, activity_id: str) -> None:
        row = self.model.row_of(activity_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def current_record_id(self) -> str | None:
        activity = self.selected()
        return activity.id if activity else None
