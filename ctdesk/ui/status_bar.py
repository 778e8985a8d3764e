"""What the window says about its workbook: the title, and the status bar's lasting part.

The title names the workbook and the highest marking of what it holds ("fieldwork —
OFFICIAL-SENSITIVE — ctdesk"), kept up to date as records change. The status bar shows, in
words (never colour alone): whether typing is saved ("Saved", "Saving…", "Not saved —
retrying"), the marking of the record selected on the force page, and whether the workbook is
unlocked, locked, not encrypted or read-only.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.ui.theme import set_tone

if TYPE_CHECKING:
    from ctdesk.ui.main_window import MainWindow

SAVED = "Saved"
SAVING = "Saving…"
NOT_SAVED = "Not saved"
RETRYING = "Not saved — retrying"

_RECORD_KINDS = frozenset({"note", "activity", "document", "finding"})


def window_title(path: Path, marking: str, *, read_only: bool = False) -> str:
    """``fieldwork — OFFICIAL-SENSITIVE — ctdesk`` (``fieldwork (read-only) — …``)."""
    name = path.stem + (" (read-only)" if read_only else "")
    return f"{name} — {marking} — ctdesk"


def save_state(text: str, error: bool) -> str:
    """What an editor's own status line means: ``saving`` (typing waits to be written),
    ``failed`` (the store refused it; the text is kept) or ``saved``."""
    if text.startswith("Editing"):
        return "saving"
    if error and text.startswith("Not "):
        return "failed"
    return "saved"


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setFrameShape(QFrame.Shape.StyledPanel)  # each its own box, as status bars do
    label.setContentsMargins(6, 0, 6, 0)
    return label


class WorkbookStatus(QObject):
    """Keeps ``window``'s title and its status-bar labels (``save``, ``marking``, ``lock``)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self._window = window
        self._workbook = window.session.workbook
        self.save = _label(window, "Save state")
        self.marking = _label(window, "Marking of the selected record")
        self.lock = _label(window, "Lock state")
        bar = window.statusBar()
        for label in (self.marking, self.save, self.lock):
            bar.addPermanentWidget(label)
        # The editors that save as you type, and whether each retries by itself.
        page = window.force_page
        self._editors = {page.notes.editor: True, page.findings.editor: False}
        self._states: dict[QObject, tuple[str, str]] = {}
        for editor in self._editors:
            editor.status_changed.connect(
                lambda text, error, e=editor: self._editor_said(e, text, error)
            )
        # The selected record: tabs, selections, pages, and changes (a marking edited).
        page.tabs.currentChanged.connect(self.update_marking)
        for view in (page.notes.list, page.plan.view, page.evidence.table, page.findings.view):
            view.selectionModel().selectionChanged.connect(self.update_marking)
        page.notes.note_opened.connect(self.update_marking)
        window.pages.currentChanged.connect(self.update_marking)
        window.central.currentChanged.connect(self.update_lock)
        window.session.changed.connect(self._changed)
        self.update_title()
        self.update_save()
        self.update_marking()
        self.update_lock()

    # ---- the title ----------------------------------------------------------------------------
    def update_title(self) -> None:
        """The workbook's name and the highest marking it holds (one cheap query)."""
        wb = self._workbook
        try:
            marking = wb.highest_marking().label
        except CtdeskError:
            marking = "marking unknown"
        self._window.setWindowTitle(window_title(wb.path, marking, read_only=wb.read_only))

    def _changed(self, changes: Changes, _origin: object) -> None:
        if changes.kinds & _RECORD_KINDS:
            self.update_title()
            self.update_marking()

    # ---- saving -------------------------------------------------------------------------------
    def _editor_said(self, editor: QObject, text: str, error: bool) -> None:
        self._states[editor] = (save_state(text, error), text)
        self.update_save()

    def update_save(self) -> None:
        states = {editor: state for editor, (state, _) in self._states.items()}
        failed = [e for e, state in states.items() if state == "failed"]
        if failed:
            retries = any(self._editors.get(e, False) for e in failed)
            why = self._states[failed[0]][1]
            self._show(self.save, RETRYING if retries else NOT_SAVED, why, "problem")
        elif "saving" in states.values():
            self._show(self.save, SAVING, "What you typed is saved when you pause.")
        else:
            self._show(self.save, SAVED, "Everything you typed is saved in the workbook.")

    # ---- the selected record's marking --------------------------------------------------------
    def update_marking(self, *_args: object) -> None:
        window = self._window
        page = window.force_page
        current = None
        if window.pages.currentWidget() is page and (page.force is not None or page.national):
            current = page.current_record()
        marking = None
        if current is not None:
            kind, record_id = current
            try:
                record = self._workbook.record_kinds()[kind].get(record_id)
                marking = None if record.deleted else record.marking
            except CtdeskError:  # gone for good (the trash was emptied)
                marking = None
        if marking is None:
            self.marking.hide()
            return
        self._show(self.marking, f"Marking: {marking}", f"The selected {kind} is {marking}.")
        self.marking.show()

    # ---- locked or not ------------------------------------------------------------------------
    def update_lock(self, *_args: object) -> None:
        wb, window = self._workbook, self._window
        if wb.read_only:
            self._show(
                self.lock,
                "Read-only: open for writing elsewhere",
                "Another ctdesk has this workbook open for writing: it can be read here, not "
                "changed.",
            )
        elif not wb.encrypted:
            self._show(
                self.lock,
                "Not encrypted",
                "This workbook has no passphrase, so it never locks; File → New workbook "
                "offers one for a new workbook.",
            )
        elif window.central.currentWidget() is window.lock_screen:
            self._show(self.lock, "Locked", "Type the passphrase to carry on.")
        else:
            self._show(self.lock, "Unlocked", "File → Lock (Ctrl+L) hides the workbook now.")

    def _show(self, label: QLabel, text: str, explanation: str, tone: str = "") -> None:
        label.setText(text)
        label.setToolTip(explanation)
        label.setAccessibleDescription(f"{text}. {explanation}")
        set_tone(label, tone)
