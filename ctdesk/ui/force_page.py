"""A force's page: its details above tabs for notes, the fieldwork plan, evidence and findings."""

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTabWidget, QVBoxLayout, QWidget

from ctdesk.scope import Force
from ctdesk.ui.evidence_tab import EvidenceTab
from ctdesk.ui.findings_tab import FindingsTab
from ctdesk.ui.notes_tab import NotesTab
from ctdesk.ui.plan_model import PlanModel
from ctdesk.ui.plan_tab import PlanTab
from ctdesk.ui.session import Session


def force_header_html(force: Force, inspection_code: str) -> str:
    region = force.region_name or "no CT region"
    if force.region_confidence and force.region_confidence != "confirmed":
        region += f" ({force.region_confidence}, not confirmed)"
    facts = [force.nation, f"CT region: {region}", force.kind.capitalize() + " force"]
    if force.former_names:
        facts.append("formerly " + ", ".join(f.name for f in force.former_names))
    scope = "" if inspection_code.lower() in force.inspections else f" Not in {inspection_code}."
    note = f"<br><span>{escape(force.note)}</span>" if force.note else ""
    return (
        f"<h2 style='margin:0'>{escape(force.name)}</h2>"
        f"<span>{escape(' · '.join(facts))}.{escape(scope)}</span>{note}"
    )


class ForcePage(QWidget):
    """Shows one force at a time. Each tab has ``show_force(force_id)``."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force: Force | None = None
        self._national = False
        self._inspection = session.workbook.scope.current
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Force details")
        # The tabs first: Tab reaches the tab bar before what the tab shows (creation order).
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Force sections")
        self.notes = NotesTab(session, self)
        self.plan = PlanTab(session, self)
        self.evidence = EvidenceTab(session, self)
        self.findings = FindingsTab(session, self)
        self.tabs.addTab(self.notes, "N&otes")  # Alt+N is the Note menu's
        self.tabs.addTab(self.plan, "&Plan")
        self.tabs.addTab(self.evidence, "E&vidence")
        self.tabs.addTab(self.findings, "F&indings")
        for view in self.record_views():  # Tab leaves a list; the arrow keys move in it
            view.setTabKeyNavigation(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self._stale: set[QWidget] = set()  # tabs still showing an earlier force
        self.tabs.currentChanged.connect(self._load_current)

    @property
    def force(self) -> Force | None:
        return self._force

    @property
    def national(self) -> bool:
        """Whether the page shows national and cross-force findings rather than a force."""
        return self._national

    def show_national(self) -> None:
        """Only the Findings tab, for findings that belong to no single force."""
        self.flush()
        self._force = None
        self._national = True
        code = self._inspection.code
        self.header.setText(
            f"<h2 style='margin:0'>National and cross-force findings</h2>"
            f"<span>{escape(code)} findings that belong to no single force; they may cite any "
            "force's notes and documents.</span>"
        )
        self._stale = set()
        for index in range(self.tabs.count()):
            self.tabs.setTabVisible(index, self.tabs.widget(index) is self.findings)
        self.tabs.setCurrentWidget(self.findings)
        self.findings.show_national()

    def show_force(self, force_id: str) -> None:
        """Switch to a force (pending edits are written first).

        Only the visible tab loads now; each other tab loads when it is first shown.
        """
        self.flush()
        self._national = False
        self._stale = {self.notes, self.plan, self.evidence, self.findings}
        for index in range(self.tabs.count()):
            self.tabs.setTabVisible(index, True)
        self._force = self._session.workbook.scope.force(force_id)
        self.header.setText(force_header_html(self._force, self._inspection.code))
        self._load_current()

    def _load_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale and self._force is not None:
            self._stale.discard(tab)
            tab.show_force(self._force.id)  # type: ignore[attr-defined]

    def current_record(self) -> tuple[str, str] | None:
        """(kind, id) of the record selected in the visible tab, if any."""
        tab = self.tabs.currentWidget()
        kinds = {self.notes: "note", self.plan: "activity", self.evidence: "document"}
        kinds[self.findings] = "finding"
        getter = getattr(tab, "current_record_id", None)
        record_id = getter() if getter else None
        return (kinds[tab], record_id) if record_id else None

    def record_views(self) -> list[QAbstractItemView]:
        """The lists of records, one a tab (where Delete moves the selected one to the trash)."""
        return [self.notes.list, self.plan.view, self.evidence.table, self.findings.view]

    def focus_current(self) -> None:
        """Put the focus in the visible tab's list of records."""
        views = dict(zip(self._tab_widgets(), self.record_views(), strict=True))
        view = views[self.tabs.currentWidget()]
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        model = view.model()
        if not view.currentIndex().isValid() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))

    def _tab_widgets(self) -> list[QWidget]:
        return [self.notes, self.plan, self.evidence, self.findings]

    def rename_current(self) -> bool:
        """Start renaming the selected record (F2); False when nothing is selected.

        A note: its title, selected. An activity: its name, edited in place. A document: its
        details dialog (the title comes first). A finding: the first line of its text.
        """
        tab = self.tabs.currentWidget()
        if tab is self.notes and self.notes.editor.note_id is not None:
            self.notes.editor.focus_title()
            return True
        if tab is self.plan:
            rows = self.plan.view.selectionModel().selectedRows()
            if not rows:
                return False
            index = self.plan.model.index(rows[0].row(), PlanModel.TITLE)
            self.plan.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.plan.view.setCurrentIndex(index)
            self.plan.view.edit(index)
            return True
        if tab is self.evidence and len(self.evidence.selected_documents()) == 1:
            self.evidence.edit_selected()
            return True
        if tab is self.findings and self.findings.editor.finding_id is not None:
            text = self.findings.editor.text
            text.setFocus(Qt.FocusReason.ShortcutFocusReason)
            cursor = text.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            text.setTextCursor(cursor)
            return True
        return False

    def show_record(self, kind: str, record_id: str) -> None:
        """Bring the tab holding a record to the front and select it there."""
        tab = {"note": self.notes, "activity": self.plan, "document": self.evidence}.get(
            kind, self.findings
        )
        self.tabs.setCurrentWidget(tab)
        select = getattr(tab, "select_record", None)
        if select:
            select(record_id)

    def reveal(self, kind: str, record_id: str, words: Sequence[str]) -> bool:
        """Show a record with the search's matched words marked in its text, where it has one."""
        self.show_record(kind, record_id)
        if kind == "note" and self.notes.current_record_id() == record_id:
            return self.notes.editor.reveal(words)
        if kind == "finding" and self.findings.current_record_id() == record_id:
            return self.findings.editor.reveal(words)
        return False

    def unsaved_problem(self) -> str:
        """Why the last change could not be saved, in the editor's words."""
        if self.notes.editor.has_unsaved_changes():
            return self.notes.editor.status.text()
        return self.findings.editor.status.text()

    def flush(self) -> bool:
        """Write pending edits (notes and findings); False if one could not be saved."""
        notes_ok = self.notes.editor.flush()
        findings_ok = self.findings.flush()
        return notes_ok and findings_ok
