"""The note editor: title, marking, areas as checkboxes, Markdown body. Saves as you type.

There is no Save button: a change is written shortly after typing pauses, and at once when the
inspector moves to another note or force or closes the window. A change the store refuses (an
empty title, say) is shown beside the field and kept on screen, never dropped.
"""

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk import redaction
from ctdesk.errors import CtdeskError
from ctdesk.marking import LABELS
from ctdesk.note import Note
from ctdesk.scope import Area
from ctdesk.ui.marking_field import MarkingField
from ctdesk.ui.redaction_highlighter import RedactionHighlighter
from ctdesk.ui.reveal import reveal_words
from ctdesk.ui.session import Session
from ctdesk.ui.shortcuts_sheet import GROUP_PROPERTY
from ctdesk.ui.theme import set_tone

RETRY_MS = 5000  # after the store refused a save
AUTOSAVE_MS = 600


class _NoFetchBrowser(QTextBrowser):
    """The preview: Markdown shown as text and layout only. Images or styles a note names are
    never loaded, neither from the network nor from files (a note could name /dev/zero)."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        return QImage()  # an empty image; returning None would let Qt read the file itself


class NoteEditor(QWidget):
    """Edits one note at a time; ``flush`` writes pending typing immediately."""

    saved = Signal(str)  # note id
    status_changed = Signal(str, bool)  # what the save state says, and whether it is a problem

    def __init__(self, session: Session, areas: tuple[Area, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._note: Note | None = None
        self._loading = False
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.flush)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText("Title")
        self.title.setAccessibleName("Note title")
        self.marking = MarkingField(self)
        self.area_boxes: dict[str, QCheckBox] = {}
        area_row = QVBoxLayout()
        area_row.setSpacing(2)
        for area in areas:
            box = QCheckBox(area.label, self)
            box.setToolTip(area.question)
            box.setAccessibleName(f"Evidences area {area.label}")
            box.toggled.connect(self._changed)
            self.area_boxes[area.id] = box
            area_row.addWidget(box)

        self.activity = QComboBox(self)
        self.activity.setAccessibleName("Plan activity this note records")
        self.activity.setToolTip("The interview, focus group or visit this note records, if any.")
        self.activity.currentIndexChanged.connect(self._changed)

        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName("Note text (Markdown)")
        self.body.setTabChangesFocus(True)  # Tab leaves the text, as in any form
        self.body.setPlaceholderText(
            "Write the note here. Markdown works: **bold**, - lists, # headings."
        )
        self.preview = _NoFetchBrowser(self)
        self.preview.setAccessibleName("Note preview")
        self.preview.setOpenLinks(False)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.body)
        self.pages.addWidget(self.preview)
        self.preview_button = QToolButton(self)
        self.preview_button.setText("Preview")
        self.preview_button.setCheckable(True)
        self.preview_button.setAccessibleName("Show formatted preview")
        self.preview_button.toggled.connect(self._toggle_preview)
        self.highlighter = RedactionHighlighter(self.body.document())
        self.redact_button = QToolButton(self)
        self.redact_button.setText("Mark for redaction")
        self.redact_button.setAccessibleName("Mark the selected words for redaction")
        self.redact_button.setToolTip(
            "Redacted exports replace the selected words by [REDACTED] (Ctrl+Shift+R)."
        )
        self.redact_button.clicked.connect(self.mark_redaction)
        redact_action = QAction("Mark for redaction", self)
        redact_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        redact_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        redact_action.triggered.connect(self.mark_redaction)
        redact_action.setProperty(GROUP_PROPERTY, "Note editor")  # for the shortcuts sheet
        self.addAction(redact_action)
        self._pending_reason = ""

        self.status = QLabel(self)
        self.status.setAccessibleName("Save state")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Marking", self.marking)
        form.addRow("Areas", area_row)
        form.addRow("&Records", self.activity)
        marking_label = form.labelForField(self.marking)
        if isinstance(marking_label, QLabel):  # Alt+M goes to the marking's level
            marking_label.setBuddy(self.marking.level)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.redact_button)
        bottom.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)

        QWidget.setTabOrder(self.redact_button, self.preview_button)  # the row, left to right
        self.title.textEdited.connect(self._changed)
        self.body.textChanged.connect(self._body_changed)
        self.marking.changed.connect(self._changed)
        self.setEnabled(False)

    @property
    def note_id(self) -> str | None:
        return self._note.id if self._note else None

    def load(self, note: Note | None) -> None:
        """Show ``note`` (after writing any pending change to the previous one)."""
        self.flush()
        self._note = note
        self._loading = True
        try:
            self.setEnabled(note is not None)
            self.title.setText(note.title if note else "")
            self.marking.set_value(note.marking if note else LABELS[-1])
            for area_id, box in self.area_boxes.items():
                box.setChecked(bool(note and area_id in note.areas))
            self._fill_activities(note)
            self.body.setPlainText(note.body if note else "")
            self.body.document().setModified(False)
            self.body.setExtraSelections([])  # search marks belong to the previous note
            self._set_status("Saved" if note else "")
            if self.preview_button.isChecked():
                self._toggle_preview(True)
        finally:
            self._loading = False
            self._dirty = False

    def refresh_activities(self) -> None:
        """Re-read the force's plan (an activity was added or renamed) keeping the choice."""
        if self._note is None:
            return
        chosen = self.activity.currentData() or ""
        self._loading = True
        try:
            self._fill_activities(self._note)
            self.activity.setCurrentIndex(max(self.activity.findData(chosen), 0))
        finally:
            self._loading = False

    def _fill_activities(self, note: Note | None) -> None:
        self.activity.clear()
        self.activity.addItem("No particular activity", "")
        if note is None or note.force_id is None:
            return
        for activity in self._session.workbook.activities.plan(note.force_id):
            self.activity.addItem(activity.title, activity.id)
        index = self.activity.findData(note.activity_id or "")
        self.activity.setCurrentIndex(max(index, 0))

    def _body_changed(self) -> None:
        # Highlighting (redaction marks repainted for a new theme) also says the text changed;
        # only typing marks the document modified.
        if self.body.document().isModified():
            self._changed()

    def _changed(self) -> None:
        if self._loading or self._note is None:
            return
        self._dirty = True
        self._set_status("Editing…")
        self._timer.start()

    def flush(self) -> bool:
        """Write pending changes now. Returns False if the store refused them (text is kept)."""
        self._timer.stop()
        if not self._dirty or self._note is None:
            return True
        note = self._note
        title = self.title.text()
        try:
            updated = self._session.apply(
                lambda wb: wb.notes.edit(
                    note.id,
                    title=title if title.strip() else None,
                    body=self.body.toPlainText(),
                    areas=[a for a, box in self.area_boxes.items() if box.isChecked()],
                    marking=self.marking.value(),
                    activity=self.activity.currentData() or "",
                    redaction_reason=self._pending_reason,
                ),
                origin=self,
            )
        except CtdeskError as exc:
            self._set_status(f"Not saved: {exc}", error=True)
            self._retry.start()  # the text stays here; try again shortly (disk full, say)
            return False
        self._retry.stop()
        self._note = updated
        self._dirty = False
        self.body.document().setModified(False)  # saved: only new typing counts as an edit
        self._pending_reason = ""
        if not title.strip():
            self._set_status("Saved, keeping the old title: a note needs a title.", error=True)
        else:
            self._set_status("Saved")
        self.saved.emit(updated.id)
        return True

    def mark_redaction(self) -> None:
        """Wrap the selected words in redaction markers, asking why (kept in the log)."""
        if self._note is None:
            return
        cursor = self.body.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        try:
            redaction.wrap(self.body.toPlainText(), start, end)  # refuses overlaps, empties
        except CtdeskError as exc:
            self._set_status(str(exc), error=True)
            return
        reason, ok = QInputDialog.getText(
            self,
            "Mark for redaction",
            "Why must these words be redacted? (kept in the redaction log; may be left empty)",
        )
        if not ok:
            return
        # Insert the markers through the cursor so the editor's own undo still works.
        cursor.beginEditBlock()
        cursor.setPosition(end)
        cursor.insertText(redaction.CLOSE)
        cursor.setPosition(start)
        cursor.insertText(redaction.OPEN)
        cursor.endEditBlock()
        self._pending_reason = reason
        self.flush()

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_tone(self.status, "problem" if error else "")
        self.status_changed.emit(text, error)

    def _toggle_preview(self, on: bool) -> None:
        if on:
            self.preview.setMarkdown(self.body.toPlainText())
        self.pages.setCurrentWidget(self.preview if on else self.body)

    def reveal(self, words: Sequence[str]) -> bool:
        """Show the text (not the preview) scrolled to the first of ``words``, marked."""
        self.preview_button.setChecked(False)
        found = reveal_words(self.body, words)
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)
        return found

    def focus_title(self) -> None:
        self.title.setFocus()
        self.title.selectAll()
