"""A force's findings: the findings by area on the left, the selected finding on the right."""

from itertools import pairwise

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.finding import Finding, Flag
from ctdesk.scope import Force
from ctdesk.ui.finding_editor import NEW_TEXT, FindingEditor
from ctdesk.ui.findings_model import AREA_ROLE, ID_ROLE, FindingsModel
from ctdesk.ui.session import Session
from ctdesk.ui.theme import set_tone


class FindingsTab(QWidget):
    """A force's findings: grouped by area on the left, the selected one's editor on the right."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force: Force | None = None
        self._national = False  # showing national / cross-force findings instead of a force
        self._inspection = session.workbook.scope.current
        self._syncing = False  # the model is being updated: selection changes are not the user's

        self.model = FindingsModel(self._inspection.areas, self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Findings of this force, by area")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAllColumnsShowFocus(True)
        self.view.setUniformRowHeights(True)
        self.view.setWordWrap(False)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # Long markings elide rather than squeeze the finding's text.
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            4, self.view.fontMetrics().horizontalAdvance("OFFICIAL-SENSITIVE") + 10
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        # Mnemonics clear of the menus (Alt+N is Note) and the editor (Alt+T is its Text).
        self.new_button = QPushButton("Ne&w finding", self)
        self.new_button.setAccessibleName("New finding")
        self.new_button.setToolTip("Record a finding in the selected area.")
        self.new_button.clicked.connect(self.new_finding)
        self.trash_button = QPushButton("Move to trash", self)
        self.trash_button.setAccessibleName("Move the selected finding to the trash")
        self.trash_button.clicked.connect(self.trash_selected)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of findings")
        self.hint = QLabel(
            "Record what you found: press New finding, choose its kind and area, write it, "
            "then tick the notes and documents that evidence it.",
            self,
        )
        self.hint.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Findings status")

        self.editor = FindingEditor(session, self._inspection, self)
        self.editor.recommendation_added.connect(self._open_recommendation)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.trash_button)
        left_layout.addLayout(row)
        left_layout.addWidget(self.hint)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.status)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([660, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        self._set_tab_order()
        session.changed.connect(self._on_changed)
        self._update_buttons()

    def _set_tab_order(self) -> None:
        """Tab goes as the eye does: the buttons, the findings, then the editor top to bottom
        (its text lets Tab through; the evidence filter comes before the list it filters)."""
        editor = self.editor
        editor.text.setTabChangesFocus(True)
        for view in (editor.evidence_view, editor.recommendation_view):
            view.setTabKeyNavigation(False)  # Tab leaves the list; Space ticks, arrows move
        QWidget.setTabOrder(self.trash_button, self.view)
        chain = (
            editor.text,
            editor.evidence_force,
            editor.evidence_filter,
            editor.evidence_view,
            editor.new_recommendation,
            editor.recommendation_view,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    @property
    def force(self) -> Force | None:
        return self._force

    def show_force(self, force_id: str) -> None:
        """Switch to a force, writing any pending edit first."""
        self.editor.flush()
        self._force = self._session.workbook.scope.force(force_id)
        self._national = False
        self._show()

    def show_national(self) -> None:
        """Show the national and cross-force findings (those with no force)."""
        self.editor.flush()
        self._force = None
        self._national = True
        self._show()

    def _show(self) -> None:
        self.status.clear()
        self.editor.load(None)
        findings = self._findings()
        self.model.set_findings(findings, self._flags(findings))
        for g in range(self.model.rowCount()):  # area rows read across the whole width
            self.view.setFirstColumnSpanned(g, QModelIndex(), True)
        self.view.expandAll()
        first = next((f for f in self.model_findings()), None)
        if first is not None:
            self.select_finding(first.id)
        self._update_buttons()
        self._update_count()

    def flush(self) -> bool:
        """Write pending edits; False if one could not be saved."""
        return self.editor.flush()

    # ---- reading ------------------------------------------------------------------------------
    def _findings(self) -> list[Finding]:
        findings = self._session.workbook.findings
        if self._national:
            return findings.all(force_id=None, inspection_id=self._inspection.id)
        if self._force is None:
            return []
        return findings.all(force=self._force.id, inspection_id=self._inspection.id)

    def _flags(self, findings: list[Finding]) -> dict[str, list[Flag]]:
        return {f.id: self._session.workbook.findings.flags(f) for f in findings}

    def model_findings(self) -> list[Finding]:
        """The findings the view shows, top to bottom."""
        shown: list[Finding] = []
        for g in range(self.model.rowCount()):
            group = self.model.index(g, 0)
            for r in range(self.model.rowCount(group)):
                finding = self.model.finding(self.model.index(r, 0, group))
                if finding is not None:
                    shown.append(finding)
        return shown

    def _update_count(self) -> None:
        n, flagged = self.model.finding_count(), self.model.flagged_count()
        text = f"{n} finding" + ("" if n == 1 else "s")
        if flagged:
            text += f" · ⚠ {flagged} to check"
        self.count.setText(text)
        self.hint.setVisible(n == 0 and self.new_button.isEnabled())

    def _update_buttons(self) -> None:
        in_scope = self._national or (
            self._force is not None and self._inspection.id in self._force.inspections
        )
        self.new_button.setEnabled(in_scope)
        self.trash_button.setEnabled(self.editor.finding_id is not None)

    # ---- selection ----------------------------------------------------------------------------
    def select_finding(self, finding_id: str) -> bool:
        index = self.model.index_of(finding_id)
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def select_record(self, finding_id: str) -> bool:
        """Select a finding (ForcePage uses this to show a record, e.g. from the trash)."""
        return self.select_finding(finding_id)

    def current_record_id(self) -> str | None:
        """The finding shown in the editor (for history, undo and trash in the main window)."""
        return self.editor.finding_id

    def _open_recommendation(self, finding_id: str) -> None:
        if self.select_finding(finding_id):
            self.editor.focus_text()

    def _selected_index(self) -> QModelIndex:
        rows = self.view.selectionModel().selectedRows()
        return rows[0] if rows else QModelIndex()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        index = self._selected_index()
        if not index.isValid():
            return
        finding = self.model.finding(index)
        if finding is None:  # an area row: the editor waits for a finding
            self.editor.load(None)
        elif finding.id != self.editor.finding_id:
            self.editor.load(self._session.workbook.findings.get(finding.id))
        self._update_buttons()

    # ---- writing ------------------------------------------------------------------------------
    def new_finding(self) -> None:
        """Write a new finding in the selected area (a strength, until its kind is chosen)."""
        if (self._force is None and not self._national) or not self.editor.flush():
            return
        force_id = self._force.id if self._force else None
        index = self._selected_index()
        area = str(index.data(AREA_ROLE) or "") if index.isValid() else ""
        try:
            finding = self._session.apply(
                lambda wb: wb.findings.add(
                    force=force_id, area=area or None, kind="strength", text=NEW_TEXT
                ),
                origin=self,
            )
        except CtdeskError as exc:
            self._set_status(str(exc), error=True)
            return
        self._set_status("")
        self.select_finding(finding.id)
        self.editor.focus_text()

    def trash_selected(self) -> None:
        finding = self.editor.finding
        if finding is None:
            return
        self.editor.flush()
        try:
            self._session.apply(lambda wb: wb.findings.delete(finding.id), origin=self)
        except CtdeskError as exc:
            self._set_status(str(exc), error=True)
            return
        self._set_status(
            f"Moved “{finding.first_line[:60]}” to the trash "
            "(Edit → Undo or Edit → Trash bring it back)."
        )

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_tone(self.status, "problem" if error else "")

    # ---- refreshing ---------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, origin: object) -> None:
        if (self._force is None and not self._national) or not any(
            changes.touches(kind) for kind in ("finding", "note", "document")
        ):
            return
        findings = self._findings()
        self._syncing = True
        try:
            self.model.sync(findings, self._flags(findings))
        finally:
            self._syncing = False
        current = self.editor.finding_id
        if current is not None:
            stored = next((f for f in findings if f.id == current), None)
            if stored is None:
                self.editor.load(None)
            elif (
                changes.touches("finding") and current in changes.ids and origin is not self.editor
            ):
                self.editor.load(stored)
            else:
                if (
                    changes.touches("note")
                    or changes.touches("document")
                    or (changes.touches("finding") and origin is not self.editor)
                ):
                    self.editor.refresh_choices()
                self.editor.refresh_warnings()
            # A finding that moved to another area keeps its selection (the view dropped it).
            shown = self.editor.finding_id
            if shown and self._selected_index().data(ID_ROLE) != shown:
                self._syncing = True
                try:
                    self.select_finding(shown)
                finally:
                    self._syncing = False
        self._update_buttons()
        self._update_count()
