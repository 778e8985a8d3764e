"""Editing one finding: kind, area, text, marking, grade, and the evidence it cites.

The editor saves as you go, like the note editor: the text shortly after typing pauses, kind,
area, grade and marking as soon as they are chosen, and evidence the moment a note or document is
ticked or unticked. What the store refuses is said in words beside the editor, never as a
traceback, and the screen is put back to what is stored.
"""

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.finding import GRADES, KINDS, Finding
from ctdesk.scope import Inspection
from ctdesk.ui.evidence_picker_model import EvidencePickerModel, PickItem
from ctdesk.ui.findings_model import UNTIED, UNTIED_LABEL
from ctdesk.ui.marking_field import MarkingField
from ctdesk.ui.reveal import reveal_words
from ctdesk.ui.session import Session
from ctdesk.ui.theme import set_tone

AUTOSAVE_MS = 600
NEW_TEXT = "New finding"
NEW_RECOMMENDATION_TEXT = "The force should …"


def _picker_view(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    # Long markings (… PERSONAL DATA) elide rather than squeeze the titles; the tooltip has it all.
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(2, view.fontMetrics().horizontalAdvance("OFFICIAL-SENSITIVE") + 16)
    return view


class FindingEditor(QWidget):
    """Edits one finding at a time; ``flush`` writes pending typing immediately."""

    saved = Signal(str)  # finding id
    status_changed = Signal(str, bool)  # what the save state says, and whether it is a problem
    recommendation_added = Signal(str)  # id of a recommendation made from a cause of concern

    def __init__(
        self, session: Session, inspection: Inspection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._inspection = inspection
        self._finding: Finding | None = None
        self._loading = False
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings about this finding")
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.kind = QComboBox(self)
        for slug, name in KINDS.items():
            self.kind.addItem(name, slug)
        self.kind.setAccessibleName("Kind of finding")
        self.area = QComboBox(self)
        for a in inspection.areas:
            self.area.addItem(a.label, a.id)
            self.area.setItemData(self.area.count() - 1, a.question, Qt.ItemDataRole.ToolTipRole)
        self.area.addItem(UNTIED_LABEL, UNTIED)
        self.area.setAccessibleName("Area the finding is about")
        self.grade: QComboBox | None = None
        grade_widget: QWidget
        if inspection.graded:
            self.grade = QComboBox(self)
            self.grade.addItem("No grade", "")
            for slug, name in GRADES.items():
                self.grade.addItem(name, slug)
            self.grade.setAccessibleName("Grade")
            grade_widget = self.grade
        else:
            grade_widget = QLabel(f"None: {inspection.code} is not a graded inspection.", self)
        self.marking = MarkingField(self, label="Protective marking of the finding")
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("Finding text")
        self.text.setPlaceholderText(
            "What was found. An area for improvement reads 'The force should …'."
        )

        self.evidence_model = EvidencePickerModel(self)
        self.evidence_proxy = QSortFilterProxyModel(self)
        self.evidence_proxy.setSourceModel(self.evidence_model)
        self.evidence_proxy.setFilterKeyColumn(0)
        self.evidence_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.evidence_view = _picker_view(
            self.evidence_proxy, "Evidence: tick this force's notes and documents", self
        )
        self.evidence_filter = QLineEdit(self)
        self.evidence_filter.setPlaceholderText("Find a note or document by its title")
        self.evidence_filter.setAccessibleName("Find evidence by title")
        self.evidence_filter.setClearButtonEnabled(True)
        self.evidence_filter.textChanged.connect(self.evidence_proxy.setFilterFixedString)
        # A national finding draws on several forces: choose whose evidence to list.
        self.evidence_force = QComboBox(self)
        self.evidence_force.setAccessibleName("List evidence of this force")
        for force in session.workbook.scope.forces_in(inspection):
            self.evidence_force.addItem(force.name, force.id)
        self.evidence_force.currentIndexChanged.connect(lambda _i: self.refresh_choices())
        self.evidence_force.hide()
        self.evidence_force_label = QLabel("Evidence of", self)
        self.evidence_force_label.setBuddy(self.evidence_force)
        self.evidence_force_label.hide()
        self.evidence_hint = QLabel(
            "This force has no notes or documents yet: write notes in the Notes tab and add "
            "documents in the Evidence tab, then tick them here.",
            self,
        )
        self.evidence_hint.setWordWrap(True)

        self.recommendation_model = EvidencePickerModel(self)
        self.recommendation_view = _picker_view(
            self.recommendation_model, "Recommendations answering this cause of concern", self
        )
        self.new_recommendation = QPushButton("Add a &recommendation", self)
        self.new_recommendation.setAccessibleName("Add a recommendation for this cause of concern")
        self.new_recommendation.clicked.connect(self.add_recommendation)
        self.recommendation_hint = QLabel(self)
        self.recommendation_hint.setWordWrap(True)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Save state")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("&Area", self.area)
        form.addRow("Grade", grade_widget)
        form.addRow("&Marking", self.marking)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warnings)
        layout.addLayout(form)
        text_label = QLabel("&Text — what was found", self)
        text_label.setBuddy(self.text)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 2)
        evidence_label = QLabel(
            "<b>Evidence</b> — tick the notes and documents this finding rests on", self
        )
        evidence_label.setBuddy(self.evidence_view)
        layout.addWidget(evidence_label)
        force_row = QHBoxLayout()
        force_row.addWidget(self.evidence_force_label)
        force_row.addWidget(self.evidence_force, 1)
        layout.addLayout(force_row)
        layout.addWidget(self.evidence_filter)
        layout.addWidget(self.evidence_view, 4)
        layout.addWidget(self.evidence_hint)
        self.recommendations_box = QWidget(self)
        rec_layout = QVBoxLayout(self.recommendations_box)
        rec_layout.setContentsMargins(0, 0, 0, 0)
        rec_header = QHBoxLayout()
        rec_label = QLabel("<b>Recommendations</b> answering this cause of concern", self)
        rec_label.setBuddy(self.recommendation_view)
        rec_header.addWidget(rec_label, 1)
        rec_header.addWidget(self.new_recommendation)
        rec_layout.addLayout(rec_header)
        rec_layout.addWidget(self.recommendation_hint)
        rec_layout.addWidget(self.recommendation_view, 1)
        layout.addWidget(self.recommendations_box, 1)
        self._layout = layout
        layout.addWidget(self.status)

        self.kind.currentIndexChanged.connect(self._field_changed)
        self.area.currentIndexChanged.connect(self._field_changed)
        if self.grade is not None:
            self.grade.currentIndexChanged.connect(self._field_changed)
        self.marking.changed.connect(self._field_changed)
        self.text.textChanged.connect(self._text_changed)
        self.evidence_model.toggled.connect(self._evidence_toggled)
        self.recommendation_model.toggled.connect(self._recommendation_toggled)
        self.load(None)

    # ---- showing ------------------------------------------------------------------------------
    @property
    def finding_id(self) -> str | None:
        return self._finding.id if self._finding else None

    @property
    def finding(self) -> Finding | None:
        return self._finding

    def load(self, finding: Finding | None) -> None:
        """Show ``finding`` (after writing any pending change to the previous one)."""
        self.flush()
        self._finding = finding
        self._loading = True
        try:
            self.setEnabled(finding is not None)
            self.kind.setCurrentIndex(max(0, self.kind.findData(finding.kind if finding else "")))
            area = (finding.area_id if finding else None) or UNTIED
            self.area.setCurrentIndex(max(0, self.area.findData(area)))
            if self.grade is not None:
                grade = (finding.grade if finding else None) or ""
                self.grade.setCurrentIndex(max(0, self.grade.findData(grade)))
            if finding is not None:
                self.marking.set_value(finding.marking)
            self.text.setPlainText(finding.text if finding else "")
            self.text.setExtraSelections([])  # search marks belong to the previous finding
            self._set_status("Saved" if finding else "Select a finding, or press New finding.")
        finally:
            self._loading = False
            self._dirty = False
        self.refresh_choices()
        self.refresh_warnings()

    def refresh_choices(self) -> None:
        """Reload what can be ticked: the force's notes and documents, and its recommendations."""
        finding = self._finding
        if finding is None:
            self.evidence_model.set_items([])
            self.recommendation_model.set_items([])
            self.evidence_hint.hide()
            self.recommendations_box.hide()
            return
        wb = self._session.workbook
        self.evidence_force.setVisible(finding.national)
        self.evidence_force_label.setVisible(finding.national)
        source = finding.force_id or self.evidence_force.currentData()
        items: list[PickItem] = []
        for note in wb.notes.all(force=source, inspection_id=finding.inspection_id):
            items.append(PickItem(note.id, note.title, "Note", note.marking))
        for doc in wb.documents.all(force=source, inspection_id=finding.inspection_id):
            items.append(PickItem(doc.id, doc.title, "Document", doc.marking))
        listed = {i.id for i in items}
        # Linked evidence since moved to the trash stays visible (ticked) so it can be unticked.
        for evidence_id, ref in zip(finding.evidence, wb.findings.cited(finding), strict=True):
            if evidence_id in listed:
                continue
            if ref is None:
                items.append(PickItem(evidence_id, f"Evidence {evidence_id[:8]}", "Gone", "", True))
            else:
                title = getattr(ref.record, "title", evidence_id[:8])
                kind = ref.noun.capitalize()
                if ref.record.force_id != source:  # a national finding's evidence elsewhere
                    force = wb.scope.force(ref.record.force_id or "").short_name
                    kind = f"{kind} · {force}"
                items.append(
                    PickItem(evidence_id, title, kind, ref.record.marking, ref.record.deleted)
                )
        self.evidence_model.set_items(items, finding.evidence)
        self.evidence_hint.setVisible(not items)

        codes = {a.id: a.code for a in self._inspection.areas}
        recs: list[PickItem] = []
        for rec in wb.findings.recommendations_for(finding.force_id, finding.inspection_id):
            if rec.id == finding.id:
                continue
            where = "national" if rec.national else codes.get(rec.area_id or "", "no area")
            recs.append(PickItem(rec.id, rec.first_line, f"Recommendation · {where}", rec.marking))
        listed = {r.id for r in recs}
        for rec_id in finding.recommendations:
            if rec_id not in listed and wb.findings.exists(rec_id):
                rec = wb.findings.get(rec_id)
                # Trashed, or no longer a recommendation: listed so that it can be unticked.
                recs.append(
                    PickItem(rec.id, rec.first_line, rec.kind_name, rec.marking, rec.deleted)
                )
        self.recommendation_model.set_items(recs, finding.recommendations)
        self._update_recommendations_box(recs)

    def _update_recommendations_box(self, recs: list[PickItem] | None = None) -> None:
        finding = self._finding
        concern = self._current_kind() == "cause-of-concern"
        self.recommendations_box.setVisible(
            finding is not None and (concern or bool(finding.recommendations))
        )
        count = self.recommendation_model.rowCount() if recs is None else len(recs)
        self.recommendation_view.setVisible(count > 0)
        # Enough height for the rows there are (up to five); the evidence list gets the rest.
        view = self.recommendation_view
        rows = max(1, min(count, 5))
        frame = 2 * view.frameWidth()
        header = view.horizontalHeader().sizeHint().height()
        view.setMaximumHeight(header + rows * view.verticalHeader().defaultSectionSize() + frame)
        # Without a list to show, the box keeps to its words and the evidence list gets the room.
        self._layout.setStretchFactor(self.recommendations_box, 1 if count else 0)
        self.recommendation_hint.setText(
            "Tick the recommendations that answer it, or add one."
            if count
            else "This force has no recommendations yet: press 'Add a recommendation' to write one."
        )

    def refresh_warnings(self) -> None:
        """Say in words what is worth checking in the finding (from the stored finding)."""
        finding = self._finding
        if finding is None:
            self.warnings.hide()
            return
        wb = self._session.workbook
        if finding.id and wb.findings.exists(finding.id):
            finding = self._finding = wb.findings.get(finding.id)
        warnings = wb.findings.warnings(finding)
        if warnings:
            self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
            set_tone(self.warnings, "warning-box")
        else:
            n = len(finding.evidence)
            cites = f"cites {n} piece{'' if n == 1 else 's'} of evidence"
            self.warnings.setText(f"✓ Nothing to check: this finding {cites}.")
            set_tone(self.warnings, "ok")
        self.warnings.show()

    def warning_text(self) -> str:
        return self.warnings.text() if self.warnings.isVisible() else ""

    # ---- editing ------------------------------------------------------------------------------
    def _current_kind(self) -> str:
        return str(self.kind.currentData() or "")

    def _text_changed(self) -> None:
        if self._loading or self._finding is None:
            return
        self._dirty = True
        self._set_status("Editing…")
        self._timer.start()

    def _field_changed(self) -> None:
        if self._loading or self._finding is None:
            return
        self._dirty = True
        self.flush()
        self._update_recommendations_box()

    def flush(self) -> bool:
        """Write pending changes now. Returns False if the store refused them (they stay shown)."""
        self._timer.stop()
        if not self._dirty or self._finding is None:
            return True
        finding_id = self._finding.id
        text = self.text.toPlainText()
        grade = str(self.grade.currentData()) if self.grade is not None else None
        try:
            updated = self._session.apply(
                lambda wb: wb.findings.set(
                    finding_id,
                    kind=self._current_kind(),
                    text=text if text.strip() else None,
                    area=str(self.area.currentData() or ""),
                    grade=grade,
                    marking=self.marking.value(),
                ),
                origin=self,
            )
        except CtdeskError as exc:
            self._set_status(f"Not saved: {exc}", error=True)
            return False
        self._finding = updated
        self._dirty = False
        if not text.strip():
            self._set_status("Saved, keeping the old text: a finding needs its text.", error=True)
        else:
            self._set_status("Saved")
        self.refresh_warnings()
        self.saved.emit(updated.id)
        return True

    def _write_links(self, what: str, write_name: str, item_id: str, ticked: bool) -> None:
        finding = self._finding
        if finding is None:
            return
        self.flush()
        findings = self._session.workbook.findings
        try:
            if write_name == "evidence":
                op = findings.link if ticked else findings.unlink
                updated = self._session.apply(lambda wb: op(finding.id, [item_id]), origin=self)
            else:
                current = set(finding.recommendations)
                recs = current | {item_id} if ticked else current - {item_id}
                updated = self._session.apply(
                    lambda wb: wb.findings.set(finding.id, recommendations=sorted(recs)),
                    origin=self,
                )
        except CtdeskError as exc:
            # Put the ticks back to what is stored, and say why.
            self.evidence_model.set_checked(finding.evidence)
            self.recommendation_model.set_checked(finding.recommendations)
            self._set_status(f"Not {what}: {exc}", error=True)
            return
        self._finding = updated
        self._set_status("Saved")
        self.refresh_warnings()
        self.saved.emit(updated.id)

    def _evidence_toggled(self, evidence_id: str, ticked: bool) -> None:
        self._write_links("linked" if ticked else "unlinked", "evidence", evidence_id, ticked)

    def _recommendation_toggled(self, rec_id: str, ticked: bool) -> None:
        self._write_links("linked" if ticked else "unlinked", "recommendations", rec_id, ticked)

    def add_recommendation(self) -> None:
        """Write a new recommendation in the same area, link it, and offer it for writing."""
        finding = self._finding
        if finding is None or not self.flush():
            return
        try:
            rec = self._session.apply(
                lambda wb: wb.findings.add(
                    force=finding.force_id,
                    area=finding.area_id,
                    kind="recommendation",
                    text=NEW_RECOMMENDATION_TEXT,
                    marking=finding.marking,
                    inspection=finding.inspection_id,
                ),
                origin=self,
            )
            self._finding = self._session.apply(
                lambda wb: wb.findings.set(
                    finding.id, recommendations=[*finding.recommendations, rec.id]
                ),
                origin=self,
            )
        except CtdeskError as exc:
            self._set_status(f"Not added: {exc}", error=True)
            return
        self.refresh_choices()
        self.refresh_warnings()
        self.recommendation_added.emit(rec.id)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_tone(self.status, "problem" if error else "")
        self.status_changed.emit(text, error)

    def reveal(self, words: Sequence[str]) -> bool:
        """Scroll the text to the first of ``words`` and mark them (after a search)."""
        found = reveal_words(self.text, words)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        return found

    def focus_text(self) -> None:
        self.text.setFocus()
        self.text.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the tab or closing the window must not lose typing the timer has not saved.
        self.flush()
        super().hideEvent(event)
