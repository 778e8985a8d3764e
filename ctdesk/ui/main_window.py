"""The main window: navigator on the left, the picked force or scope item on the right."""

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ctdesk import backups, check, export, paths, storage_place
from ctdesk.errors import CtdeskError
from ctdesk.export.files import write_atomically
from ctdesk.redaction_log import to_csv
from ctdesk.search import Hit
from ctdesk.ui.about_dialog import AboutDialog
from ctdesk.ui.background import run_in_background
from ctdesk.ui.backups_dialog import BackupsDialog
from ctdesk.ui.conflicts_page import ConflictsPage, ConflictsStatus
from ctdesk.ui.coverage_page import CoveragePage
from ctdesk.ui.errors import show_error
from ctdesk.ui.exchange_menu import ExchangeMenu
from ctdesk.ui.export_dialog import ExportDialog
from ctdesk.ui.force_page import ForcePage
from ctdesk.ui.history_dialog import HistoryDialog
from ctdesk.ui.idle_lock import IdleLock, LockScreen
from ctdesk.ui.keyboard import Keyboard
from ctdesk.ui.navigator import Navigator
from ctdesk.ui.quick_switcher import QuickSwitcher
from ctdesk.ui.scope_page import ScopePage
from ctdesk.ui.search_page import SearchPage
from ctdesk.ui.session import Session
from ctdesk.ui.settings_dialog import SettingsDialog
from ctdesk.ui.status_bar import WorkbookStatus
from ctdesk.ui.trash_dialog import TrashDialog
from ctdesk.ui.workbook_menu import WorkbookMenu

# Controls that only look (filters, preview): they stay usable in a read-only window.
READ_ONLY_KEEP = {
    "Show notes on area",
    "Show formatted preview",
    "Filter documents by words",
    "Show documents of category",
    "Show documents with review status",
    "Find evidence by title",
}


def ui_state() -> QSettings:
    """Remembered window state (UI only, never data), in the config folder."""
    return QSettings(str(paths.config_dir() / "ui-state.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    export_finished = Signal(object)  # ExportResult, or None if it failed or was cancelled
    # The workbook was replaced on disk (a restore): open it afresh (path, passphrase).
    reopen_requested = Signal(object, object)
    background_done = Signal(str)  # a sentence for the status bar from a quiet background job

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        wb = session.workbook
        self.setWindowTitle(f"{wb.path.stem} — ctdesk")  # with its marking: WorkbookStatus
        self.navigator = Navigator(wb.scope, self)
        self.scope_page = ScopePage(wb.scope, self)
        self.force_page = ForcePage(session, self)
        self.search_page = SearchPage(session, self)
        self.coverage_page = CoveragePage(session, self)
        self.pages = QStackedWidget(self)
        for page in (self.scope_page, self.force_page, self.search_page, self.coverage_page):
            self.pages.addWidget(page)
        self.conflicts_page = ConflictsPage(session, self)
        self.pages.addWidget(self.conflicts_page)
        self.search_page.open_requested.connect(self.open_hit)
        self.coverage_page.cell_activated.connect(self.show_force_area)
        self.conflicts_page.open_requested.connect(self.open_record)
        self.switcher = QuickSwitcher(wb.scope, self)
        self.switcher.chosen.connect(self.go_to)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 1040])
        self.lock_screen = LockScreen(self)
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.splitter)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)
        self.idle_lock: IdleLock | None = None
        self._enabled_before: list[QAction] = []
        self._hidden_progress: list[QProgressDialog] = []
        if wb.passphrase is not None:
            self.idle_lock = IdleLock(wb.passphrase, wb.settings.lock_minutes, self)
            self.idle_lock.lock_due.connect(self.lock)
        self.navigator.force_selected.connect(self.show_force)
        self.navigator.national_selected.connect(self.show_national)
        self.navigator.coverage_selected.connect(self.show_coverage)
        self.navigator.conflicts_selected.connect(self.show_conflicts)
        self.navigator.scope_selected.connect(self.show_scope_item)
        self._build_menus()
        if wb.read_only:
            self._make_read_only()
        session.failed.connect(self._report)
        self.background_done.connect(lambda message: self.statusBar().showMessage(message, 10000))
        risky = storage_place.risky_location(wb.path)
        if risky:  # a known cause of corrupted workbooks: say so for as long as it is open
            where = QLabel("⚠ Workbook in a synced or network folder", self)
            where.setToolTip(risky)
            where.setAccessibleName("Storage warning")
            where.setAccessibleDescription(risky)
            self.statusBar().addPermanentWidget(where)
        # "N conflicts", hidden when none; a click goes there (not while locked: the action is off)
        self.conflicts_status = ConflictsStatus(self.conflicts_page, self)
        self.conflicts_status.clicked.connect(self.conflicts_action.trigger)
        self.statusBar().addPermanentWidget(self.conflicts_status)
        self.conflicts_status.set_count(self.conflicts_page.count)
        # The title with the workbook's marking; save state, record marking, lock state.
        self.workbook_status = WorkbookStatus(self)
        self._closing_for_reopen = False
        self.statusBar().showMessage(f"Workbook: {wb.path}")
        self.resize(1280, 800)

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.workbook_menu = WorkbookMenu(self)  # New workbook, Open workbook, Open recent
        self.workbook_menu.add_to(file_menu)
        file_menu.addSeparator()
        self.export_action = self._action("&Export…", self.export_summary, "Ctrl+E")
        file_menu.addAction(self.export_action)
        file_menu.addAction(self._action("Export the &redaction log…", self.export_redaction_log))
        self.exchange = ExchangeMenu(self)  # bundles, team folder sync, my key
        file_menu.addMenu(self.exchange.menu)
        file_menu.addSeparator()
        self.backup_action = self._action("&Back up now", self.back_up_now, "Ctrl+Shift+B")
        self.backups_action = self._action("Back&ups and restore…", self.show_backups)
        self.check_action = self._action("&Check the workbook", self.check_workbook)
        for action in (self.backup_action, self.backups_action, self.check_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Settings…", self.edit_settings))
        self.lock_action = self._action("&Lock", self.lock, "Ctrl+L")
        self.lock_action.setEnabled(self.session.workbook.encrypted)
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))
        edit_menu = bar.addMenu("&Edit")
        stack = self.session.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.history_action = self._action(
            "&History of selected record…", self.show_history, "Ctrl+H"
        )
        self.delete_action = self._action("&Move selected record to trash", self.delete_selected)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.trash_action = self._action("&Trash…", self.show_trash)
        edit_menu.addAction(self.history_action)
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.trash_action)
        go_menu = bar.addMenu("&Go")
        self.search_action = self._action("&Search…", lambda: self.show_search(), "Ctrl+F")
        self.switch_action = self._action("&Go to force…", lambda: self.switcher.popup(), "Ctrl+K")
        self.coverage_action = self._action(
            "&Coverage and progress", self.show_coverage, "Ctrl+Shift+O"
        )
        go_menu.addAction(self.search_action)
        go_menu.addAction(self.switch_action)
        go_menu.addAction(self.coverage_action)
        self.conflicts_action = self._action("Co&nflicts", self.show_conflicts, "Ctrl+Shift+M")
        go_menu.addAction(self.conflicts_action)
        note_menu = bar.addMenu("&Note")
        self.new_note_action = self._action(
            "&New note", self.new_note, QKeySequence.StandardKey.New
        )
        note_menu.addAction(self.new_note_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About ctdesk", self.about))
        # Go → Panes (Alt+1…), Edit → Rename (F2), Help → Keyboard shortcuts (Ctrl+/).
        self.keyboard = Keyboard(self, edit_menu=edit_menu, go_menu=go_menu, help_menu=help_menu)
        self._update_actions()

    def _update_actions(self) -> None:
        if self.session.workbook.read_only:
            return
        force = self.force_page.force
        on_force = self.pages.currentWidget() is self.force_page and force is not None
        in_scope = force is not None and self.session.workbook.scope.current.id in force.inspections
        self.new_note_action.setEnabled(on_force and in_scope)

    def show_history(self) -> None:
        current = self.force_page.current_record() if self._on_force_page() else None
        if current is None:
            self.statusBar().showMessage(
                "Select a note, activity, document or finding first.", 5000
            )
            return
        self.force_page.flush()
        HistoryDialog(self.session, *current, parent=self).exec()

    def delete_selected(self) -> None:
        evidence = self.force_page.evidence
        on_evidence = self._on_force_page() and self.force_page.tabs.currentWidget() is evidence
        if on_evidence and len(evidence.selected_documents()) > 1:
            evidence.move_to_trash()  # every selected document, with the tab's Undo
            return
        current = self.force_page.current_record() if self._on_force_page() else None
        if current is None:
            return
        kind, record_id = current
        self.force_page.flush()
        service = self.session.workbook.record_kinds()[kind]
        try:
            self.session.apply(lambda wb: service.delete(record_id), origin=self)
        except CtdeskError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage(
            f"Moved the {service.noun} to the trash (Edit → Undo or Edit → Trash bring it back).",
            8000,
        )

    def show_trash(self) -> None:
        self.force_page.flush()
        TrashDialog(self.session, self).exec()

    def _on_force_page(self) -> bool:
        page = self.force_page
        return self.pages.currentWidget() is page and (page.force is not None or page.national)

    def _report(self, message: str) -> None:
        show_error(self, message)

    def show_force(self, force_id: str) -> None:
        page = self.force_page
        if page.national or page.force is None or page.force.id != force_id:
            page.show_force(force_id)
        self.pages.setCurrentWidget(page)
        self._update_actions()
        if self.session.workbook.read_only:
            self._freeze_controls()

    def show_force_area(self, force_id: str, area_id: str) -> None:
        """A force's notes, only those on ``area_id`` ('' = the force as it is)."""
        self.navigator.select_force(force_id)
        self.show_force(force_id)
        if area_id:
            self.force_page.tabs.setCurrentWidget(self.force_page.notes)
            self.force_page.notes.show_area(area_id)

    def show_coverage(self) -> None:
        self.force_page.flush()
        self.navigator.select("coverage", self.session.workbook.scope.current.id)
        self.pages.setCurrentWidget(self.coverage_page)
        if not self._navigating():
            self.coverage_page.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_actions()

    def _navigating(self) -> bool:
        """Whether the inspector is moving through the navigator (which keeps the focus)."""
        return self.navigator.forces_view.hasFocus()

    def show_conflicts(self) -> None:
        self.force_page.flush()  # a pending edit of a record in conflict is written first
        self.navigator.select("conflicts", self.session.workbook.scope.current.id)
        self.pages.setCurrentWidget(self.conflicts_page)
        if not self._navigating():
            self.conflicts_page.focus_list()
        self._update_actions()

    def open_record(self, kind: str, record_id: str, _force_id: str | None = None) -> None:
        """Show a record, selected, on its force's page (a national finding on theirs)."""
        self.force_page.flush()
        service = self.session.workbook.record_kinds()[kind]
        record = service.get(record_id) if service.exists(record_id) else None
        if record is None or record.deleted:
            self.statusBar().showMessage(
                f"That {service.noun} is in the trash; Edit → Trash brings it back.", 8000
            )
            return
        if record.force_id is None:
            self.show_national()
        else:
            self.navigator.select_force(record.force_id)
            self.show_force(record.force_id)
        self.force_page.show_record(kind, record_id)

    def go_to(self, kind: str, key: str) -> None:
        """Where the quick switcher sends the inspector."""
        if kind == "force":
            self.navigator.select_force(key)
            self.show_force(key)
            self.force_page.focus_current()
        elif kind == "coverage":
            self.show_coverage()
        elif kind == "national":
            self.navigator.select(kind, key)
            self.show_national()
            self.force_page.focus_current()
        elif kind == "search":
            self.show_search(key)

    def show_search(self, text: str | None = None) -> None:
        """The search page, with the cursor in its box."""
        self.force_page.flush()
        self.pages.setCurrentWidget(self.search_page)
        self.search_page.focus_search(text)
        self._update_actions()

    def open_hit(self, hit: Hit, words: Sequence[str]) -> None:
        """Open a search hit on its force's page, the matched words marked in its text."""
        self.force_page.flush()
        service = self.session.workbook.record_kinds()[hit.kind]
        if not service.exists(hit.record_id) or service.get(hit.record_id).deleted:
            self.statusBar().showMessage(
                f"That {service.noun} is no longer there (it may be in the trash); "
                "search again to see what is.",
                8000,
            )
            return
        if hit.force_id is None:
            self.show_national()
        else:
            self.navigator.select_force(hit.force_id)
            self.show_force(hit.force_id)
        self.force_page.reveal(hit.kind, hit.record_id, words)

    def show_national(self) -> None:
        page = self.force_page
        if not (page.national and self.pages.currentWidget() is page):
            page.show_national()
        self.pages.setCurrentWidget(page)
        self._update_actions()

    def show_scope_item(self, kind: str, key: str) -> None:
        self.force_page.flush()
        self.scope_page.show_item(kind, key)
        self.pages.setCurrentWidget(self.scope_page)
        self._update_actions()

    def select_force(self, force_id: str) -> bool:
        return self.navigator.select_force(force_id)

    def new_note(self) -> None:
        if self.pages.currentWidget() is self.force_page:
            self.force_page.tabs.setCurrentWidget(self.force_page.notes)
            self.force_page.notes.new_note()

    def export_summary(self) -> None:
        """Ask what to export, then write it in the background with progress and cancel."""
        self.force_page.flush()
        wb = self.session.workbook
        force = self.force_page.force
        dialog = ExportDialog(wb, force.id if force else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        request = dialog.request()
        path = wb.path

        def work(progress: export.Progress) -> export.ExportResult:
            # A child process: rendering must not hold this process's interpreter lock.
            return export.export_in_child(
                path,
                request.scope,
                request.fmt,
                request.path,
                request.options,
                progress,
                wb.passphrase,
            )

        def done(result: export.ExportResult) -> None:
            left = sum(result.left_out.values())
            extra = f"; left out {left} record(s) above the maximum marking" if left else ""
            self.statusBar().showMessage(
                f"Exported {request.scope.label} to {result.path} ({result.marking}{extra}).", 15000
            )
            if request.open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))
            self.export_finished.emit(result)

        self.export_op = run_in_background(
            self,
            "Exporting",
            f"Exporting {request.scope.label}…",
            work,
            on_success=done,
            on_failure=lambda message: (show_error(self, message), self.export_finished.emit(None)),
            on_cancel=lambda: (
                self.statusBar().showMessage("Export cancelled; nothing was written.", 8000),
                self.export_finished.emit(None),
            ),
        )

    def export_redaction_log(self) -> None:
        """Save the redaction log (what, by whom, when, why) as CSV."""
        wb = self.session.workbook
        suggested = str(Path.home() / f"{wb.scope.current.id}-redaction-log.csv")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the redaction log", suggested, "CSV (*.csv)"
        )
        if not path:
            return
        entries = wb.redactions.entries()
        try:
            write_atomically(Path(path), to_csv(entries))
        except CtdeskError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage(f"Wrote {len(entries)} redaction entries to {path}.", 10000)

    def back_up_now(self) -> None:
        """A backup by hand, in the background (its own connection)."""
        self.force_page.flush()
        wb = self.session.workbook

        def done(path: Path) -> None:
            self.statusBar().showMessage(f"Backed up to {path}.", 10000)

        self.backup_op = run_in_background(
            self,
            "Backing up",
            "Backing up the workbook…",
            lambda progress: backups.backup(wb, "manual"),
            on_success=done,
            on_failure=lambda message: show_error(self, message),
        )

    def back_up_quietly(self) -> None:
        """The backup on opening (at most one an hour), on a thread, told in the status bar."""
        wb = self.session.workbook

        def work() -> None:
            try:
                made = backups.backup_on_open(wb)
            except CtdeskError as exc:
                self.background_done.emit(f"The workbook was not backed up on opening: {exc}")
                return
            if made is not None:
                self.background_done.emit("Backed up the workbook on opening.")

        threading.Thread(target=work, name="ctdesk-backup-on-open", daemon=True).start()

    def show_backups(self) -> None:
        self.force_page.flush()
        wb = self.session.workbook
        dialog = BackupsDialog(backups.backups_of(wb), str(backups.folder_for(wb.id)), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.restore_backup(dialog.chosen.path)

    def restore_backup(self, backup: Path) -> None:
        """Put a backup back, then open the workbook afresh (``reopen_requested``)."""
        wb = self.session.workbook
        path, key = wb.path, wb.passphrase
        self.force_page.flush()
        self.search_page.shutdown()
        self.session.close()  # the restore needs the workbook closed and its lock free
        self._closing_for_reopen = True

        def reopen(problem: str | None = None) -> None:
            if problem:
                show_error(self, problem)  # nothing was changed; open it again as it was
            self.reopen_requested.emit(path, key)

        # Copying and checking a big workbook takes seconds: not on the UI thread.
        self.restore_op = run_in_background(
            self,
            "Restoring",
            "Checking the backup and putting it back…",
            lambda progress: backups.restore(path, backup, key),
            on_success=lambda _before: reopen(),
            on_failure=reopen,
        )

    def check_workbook(self) -> None:
        self.force_page.flush()
        wb = self.session.workbook
        path, key = wb.path, wb.passphrase

        def done(problems: list[Any]) -> None:
            if not problems:
                QMessageBox.information(self, "Check the workbook", "No problems found.")
                return
            lines = "\n".join(f"• {p.text}" for p in problems[:20])
            more = f"\n… and {len(problems) - 20} more." if len(problems) > 20 else ""
            QMessageBox.warning(
                self,
                "Check the workbook",
                f"{len(problems)} problem(s) found; a backup from before they appeared can be "
                f"restored under File → Backups and restore.\n\n{lines}{more}",
            )

        self.check_op = run_in_background(
            self,
            "Checking",
            "Checking the workbook…",
            lambda progress: check.check_file(path, key),
            on_success=done,
            on_failure=lambda message: show_error(self, message),
        )

    def _make_read_only(self) -> None:
        """Nothing here can change the workbook: editors read-only, write actions off.

        (The workbook refuses writes anyway; this keeps the window from offering them.)
        """
        writes = (self.new_note_action, self.delete_action, self.trash_action)
        for action in (*writes, self.backups_action, self.history_action):
            action.setEnabled(False)  # restoring, from a backup or history, writes too
        self.session.undo_stack.setActive(False)
        # The status bar says Read-only (WorkbookStatus), the reason in its tooltip.
        self._freeze_controls()
        # Tabs enable their buttons as they load and as the selection moves: freeze again.
        self.force_page.tabs.currentChanged.connect(self._freeze_controls)
        self.session.changed.connect(self._freeze_controls)

    def _freeze_controls(self) -> None:
        page = self.force_page
        for edit in page.findChildren(QLineEdit) + page.findChildren(QPlainTextEdit):
            if edit.accessibleName() not in READ_ONLY_KEEP:
                edit.setReadOnly(True)
        for control in page.findChildren(QAbstractButton) + page.findChildren(QComboBox):
            if control.accessibleName() not in READ_ONLY_KEEP:
                control.setEnabled(False)

    def lock(self) -> None:
        """Hide the workbook until its passphrase is given again (encrypted workbooks only)."""
        if self.idle_lock is None or self.idle_lock.locked:
            return
        self.force_page.flush()
        # Progress of work still running is hidden, not cancelled, and shown again on unlock.
        self._hidden_progress = [d for d in self.findChildren(QProgressDialog) if d.isVisible()]
        for dialog in self.findChildren(QDialog):
            if dialog in self._hidden_progress:
                dialog.hide()
            elif dialog.isVisible():
                dialog.reject()
        self.idle_lock.locked = True
        self.menuBar().setEnabled(False)
        # No shortcut reaches the workbook while locked; what was enabled comes back after.
        self._enabled_before = [a for a in self.findChildren(QAction) if a.isEnabled()]
        for action in self._enabled_before:
            action.setEnabled(False)
        self.central.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()
        self.statusBar().showMessage("Locked.")

    def unlock(self, typed: str) -> None:
        if self.idle_lock is None or not self.idle_lock.locked:
            return
        if not self.idle_lock.matches(typed):
            self.lock_screen.message.setText("That is not the passphrase; try again.")
            self.lock_screen.passphrase.selectAll()
            return
        self.idle_lock.locked = False
        self.menuBar().setEnabled(True)
        for action in self._enabled_before:
            action.setEnabled(True)
        self._enabled_before = []
        self.undo_action.setEnabled(self.session.undo_stack.canUndo())
        self.redo_action.setEnabled(self.session.undo_stack.canRedo())
        self._update_actions()
        self.central.setCurrentWidget(self.splitter)
        for dialog in self._hidden_progress:
            if shiboken6.isValid(dialog) and dialog.value() < dialog.maximum():
                dialog.show()
        self._hidden_progress = []
        self.idle_lock.set_minutes(self.session.workbook.settings.lock_minutes)
        self.statusBar().showMessage("Unlocked.", 3000)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.session.workbook.settings, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.session.workbook.settings = dialog.saved
            if self.idle_lock is not None:
                self.idle_lock.set_minutes(dialog.saved.lock_minutes)
            self.statusBar().showMessage(
                f"Settings saved; you write as {dialog.saved.author}.", 8000
            )

    def about(self) -> None:
        """Version, the workbook and ctdesk's folders, what it runs on; Copy details."""
        AboutDialog(self.session.workbook, self).exec()

    def restore_state(self) -> None:
        state = ui_state()
        geometry = state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = state.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        force_splitter = state.value("notesSplitter")
        if force_splitter is not None:
            self.force_page.notes.splitter.restoreState(force_splitter)

    def restore_place(self) -> None:
        """Go back to the force shown when the window last closed."""
        last = ui_state().value("lastForce")
        if isinstance(last, str) and last:
            self.select_force(last)

    def save_state(self) -> None:
        state = ui_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("splitter", self.splitter.saveState())
        state.setValue("notesSplitter", self.force_page.notes.splitter.saveState())
        force = self.force_page.force
        state.setValue("lastForce", force.id if force else "")
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_for_reopen:  # the workbook is closed already; a new window follows
            event.accept()
            return
        if not self.force_page.flush():
            answer = QMessageBox.question(
                self,
                "Close ctdesk",
                "The last change could not be saved "
                f"({self.force_page.unsaved_problem()}). Close anyway and lose it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_state()
        self.search_page.shutdown()
        event.accept()
