"""The conflicts page: records both sides changed, their two versions side by side, and choosing.

When an imported bundle and this workbook both changed the same field of a record, every
version is kept and the latest edit is shown; this page lists those records, shows "mine" and
"theirs" with the words that differ marked (tinted, and bold and underlined, so colour is never
the only signal), and resolves them with ``conflicts.resolve``. Resolving never loses a version:
each stays in the record's history.
"""

from html import escape

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QPalette,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk import storage
from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.exchange import conflicts
from ctdesk.exchange.conflicts import Conflict, Keep, Version
from ctdesk.ui.conflict_diff import Row, compare
from ctdesk.ui.conflicts_model import ConflictsModel, kind_name, version_text
from ctdesk.ui.coverage_model import blend, readable_on
from ctdesk.ui.errors import show_error
from ctdesk.ui.session import Session

REFRESH_DELAY_MS = 150  # coalesces a burst of changes (an import, undoing several steps)
#: How far a difference's background moves from Base towards Highlight.
DIFF_TINT = 0.38
EMPTY_TEXT = (
    "No conflicts. When you import a bundle and both of you changed the same record, both "
    "versions wait here for you to choose."
)
KEEP_TIPS: dict[Keep, str] = {
    "mine": "Keep yours where you both changed the same thing; what only they changed is kept "
    "too. Their version stays in the record's history, and the next bundle you send closes "
    "the conflict for them.",
    "theirs": "Keep theirs where you both changed the same thing; what only you changed is kept "
    "too. Your version stays in the record's history, and the next bundle you send closes "
    "the conflict for them.",
    "both": "Put both versions together for you to edit: their text after yours wherever you "
    "both changed it, the areas and links of either, and the higher marking. Nothing is lost.",
}
DONE: dict[Keep, str] = {
    "mine": "Kept your version of the {noun} “{title}”.",
    "theirs": "Kept their version of the {noun} “{title}”.",
    "both": "Kept both versions of the {noun} “{title}”, their text after yours.",
}


def conflict_count_text(count: int) -> str:
    return "1 conflict" if count == 1 else f"{count} conflicts"


class ConflictsView(QTableView):
    """The list; Enter or Return on a row opens its record, like a double click."""

    open_chosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_chosen.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class ConflictsPage(QWidget):
    """Every open conflict, the two versions of the selected one, and the choice."""

    #: (kind, record id, force id or None for national): show the record where it lives.
    open_requested = Signal(str, str, object)
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conflicts")
        self._session = session
        self._count = 0
        self._stale = True
        self._shown: Conflict | None = None
        self._last: tuple[str, str, str | None] | None = None  # the record resolved last
        read_only = session.workbook.read_only

        heading = QLabel("<h2 style='margin:0'>Conflicts</h2>", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setAccessibleName("Conflicts heading")
        self.intro = QLabel(
            "Records that you and someone else both changed before your workbooks met. Every "
            "version is kept, and the latest edit is shown until you choose.",
            self,
        )
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("About conflicts")
        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("No conflicts")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.message.setAccessibleName("What was resolved last")
        self.message.linkActivated.connect(self._open_last)
        self.message.hide()

        self.model = ConflictsModel(session.workbook.scope, self)
        self.view = ConflictsView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Records in conflict")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab moves on to the versions and the buttons
        self.view.verticalHeader().hide()
        self.view.setCornerButtonEnabled(False)  # one conflict at a time: no "select all"
        self.view.horizontalHeader().setAccessibleName("Columns of the conflicts list")
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.open_chosen.connect(self._open_index)
        self.view.doubleClicked.connect(self._open_index)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.mine_header = QLabel(self)
        self.theirs_header = QLabel(self)
        self.mine_text = QTextBrowser(self)
        self.theirs_text = QTextBrowser(self)
        panes = QSplitter(Qt.Orientation.Horizontal, self)
        for label, text, name in (
            (self.mine_header, self.mine_text, "Your version"),
            (self.theirs_header, self.theirs_text, "Their version"),
        ):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAccessibleName(f"{name}: who and when")
            label.setBuddy(text)
            text.setAccessibleName(name)
            text.setOpenLinks(False)
            text.setReadOnly(True)
            column = QWidget(panes)
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(label)
            box.addWidget(text, 1)
            panes.addWidget(column)
        panes.setChildrenCollapsible(False)
        self.legend = QLabel(
            "Words that differ are <b><u>bold and underlined</u></b> on a tinted background; "
            "fields marked “same” are greyed.",
            self,
        )
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("How differences are shown")
        self.more = QLabel(self)
        self.more.setWordWrap(True)
        self.more.setAccessibleName("Other versions")
        self.more.hide()

        self.keep_mine = self._button("Keep &mine", "mine")
        self.keep_theirs = self._button("Keep &theirs", "theirs")
        self.keep_both = self._button("Keep &both", "both")
        self.open_button = QPushButton("&Open record", self)
        self.open_button.setAccessibleName("Open record")
        self.open_button.setToolTip(
            "Show the record on its force's page, as it is now (the version marked “shown now”)."
        )
        self.open_button.clicked.connect(self._open_current)
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.keep_theirs, self.keep_both):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        if read_only:
            for button in (self.keep_mine, self.keep_theirs, self.keep_both):
                button.setToolTip("This workbook is open read-only; nothing can be resolved.")

        detail = QWidget(self)
        below = QVBoxLayout(detail)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(panes, 1)
        below.addWidget(self.legend)
        below.addWidget(self.more)
        below.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 500])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._refresh_later)
        session.changed.connect(self._on_changed)
        self.refresh()  # one query when there are none: the status bar needs the count

    def _button(self, text: str, keep: Keep) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.setToolTip(KEEP_TIPS[keep])
        button.clicked.connect(lambda: self.resolve(keep))
        return button

    # -- the list ------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return self._count

    def current_conflict(self) -> Conflict | None:
        index = self.view.currentIndex()
        if not index.isValid() or not 0 <= index.row() < self.model.rowCount():
            return None
        return self.model.conflict(index.row())

    def refresh(self) -> None:
        """List the open conflicts again, keeping the selected one selected if still open."""
        self._timer.stop()
        self._stale = False
        current = self.current_conflict()
        row = max(self.view.currentIndex().row(), 0)
        found = conflicts.list_conflicts(self._session.workbook)
        self.model.set_conflicts(found)
        if current is not None and self.model.row_of(current.record_id) >= 0:
            row = self.model.row_of(current.record_id)
        if self.model.rowCount():
            self.view.selectRow(min(row, self.model.rowCount() - 1))
        has_any = bool(found)
        self.empty_label.setVisible(not has_any)
        self.splitter.setVisible(has_any)
        self.intro.setVisible(has_any)
        self._show_current(force=self._shown is None)  # buttons get their state the first time
        self._set_count(len(found))

    def _set_count(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self.count_changed.emit(count)

    def _refresh_later(self) -> None:
        if not self.window().isVisible():
            return  # closed (or not yet shown): the next showing refreshes
        try:
            if self.isVisible():
                self.refresh()
            else:  # only the status bar's count: one query, nothing rebuilt
                self._set_count(conflicts.count(self._session.workbook))
        except storage.StoreError:
            # The workbook is closed for a restore, or could not be read just now: the list
            # stays as it was until the next change or showing.
            self._stale = True

    def focus_list(self) -> None:
        """Bring the list up to date (an import may have just announced its changes) and put
        the keyboard focus in it."""
        if self._stale:
            self.refresh()
        if self.model.rowCount():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_changed(self, changes: Changes, origin: object) -> None:
        if origin is self or not changes:
            return  # a resolve here refreshed already
        # Any import or edit may open, close or change a conflict; counting them is one query
        # when there are none, so it is done even when hidden (for the status bar's count).
        self._stale = True
        self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- the two versions ----------------------------------------------------------------------

    def _show_current(self, force: bool = False) -> None:
        conflict = self.current_conflict()
        if conflict == self._shown and not force:
            return
        self._shown = conflict
        ok = conflict is not None and not self._session.workbook.read_only
        mine = conflict.mine if conflict else None
        theirs = conflict.theirs if conflict else None
        self.keep_mine.setEnabled(ok and mine is not None and mine.content is not None)
        self.keep_theirs.setEnabled(ok and theirs is not None and theirs.content is not None)
        self.keep_both.setEnabled(self.keep_mine.isEnabled() and self.keep_theirs.isEnabled())
        self.open_button.setEnabled(conflict is not None)
        if conflict is None or mine is None or theirs is None:
            for label, text in (
                (self.mine_header, self.mine_text),
                (self.theirs_header, self.theirs_text),
            ):
                label.clear()
                text.clear()
            self.more.hide()
            return
        rows = compare(self._session.workbook, conflict.kind, mine.content, theirs.content)
        for side, version, label, text in (
            ("mine", mine, self.mine_header, self.mine_text),
            ("theirs", theirs, self.theirs_header, self.theirs_text),
        ):
            who = self._header(side, version)
            label.setText(who)
            text.setAccessibleDescription(QTextDocument(who).toPlainText())
            self._fill(text.document(), rows, side, version)
        others = len(conflict.versions) - 2
        self.more.setVisible(others > 0)
        if others > 0:
            self.more.setText(
                f"{others} more version{'s' if others > 1 else ''} of this "
                f"{kind_name(conflict.kind).lower()} came from other workbooks; only the latest "
                "two are shown and resolving keeps only the one you choose here (the others "
                "stay in its history)."
            )

    @staticmethod
    def _header(side: str, version: Version) -> str:
        name = "Theirs"
        if side == "mine":  # "mine" is the one shown here when none was made in this workbook
            name = "Mine" if version.mine else "Shown here"
        now = " · <i>shown now</i>" if version.current else ""
        return f"<b>{name}</b> — {escape(version_text(version))}{now}"

    def _formats(self) -> dict[str, QTextCharFormat]:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        tint = blend(base, palette.color(QPalette.ColorRole.Highlight), DIFF_TINT)
        plain = QTextCharFormat()
        plain.setForeground(text)
        dim = QTextCharFormat()
        dim.setForeground(blend(base, text, 0.62))
        changed = QTextCharFormat()
        changed.setBackground(tint)
        changed.setForeground(readable_on(tint, palette))
        changed.setFontWeight(QFont.Weight.Bold)
        changed.setFontUnderline(True)
        label = QTextCharFormat(plain)
        label.setFontWeight(QFont.Weight.Bold)
        dim_label = QTextCharFormat(dim)
        dim_label.setFontWeight(QFont.Weight.Bold)
        note = QTextCharFormat(plain)
        note.setFontItalic(True)
        return {
            "plain": plain,
            "dim": dim,
            "changed": changed,
            "label": label,
            "dim_label": dim_label,
            "note": note,
        }

    def _fill(self, doc: QTextDocument, rows: list[Row], side: str, version: Version) -> None:
        """Write one side's fields into ``doc``: each field's name, then its value."""
        doc.clear()
        cursor = QTextCursor(doc)
        formats = self._formats()
        gap = QTextBlockFormat()
        gap.setTopMargin(8)
        first = True
        if version.content is None:
            cursor.insertText(
                "Emptied from the trash in another workbook: nothing of this version is left "
                "to show or keep.",
                formats["note"],
            )
            return
        for row in rows:
            segments = row.mine if side == "mine" else row.theirs
            if segments is None:
                continue
            if not first:
                cursor.insertBlock(gap)
            first = False
            state = "same" if row.same else "differs"
            cursor.insertText(
                f"{row.label} — {state}", formats["dim_label" if row.same else "label"]
            )
            cursor.insertBlock(QTextBlockFormat())
            for segment in segments:
                kind = "dim" if row.same else "changed" if segment.changed else "plain"
                cursor.insertText(segment.text, formats[kind])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show_current(force=True)

    # -- choosing ------------------------------------------------------------------------------

    def resolve(self, keep: Keep) -> bool:
        """Close the selected conflict keeping ``keep``; False if nothing was resolved."""
        conflict = self.current_conflict()
        if conflict is None or self._session.workbook.read_only:
            return False
        try:
            changes = conflicts.resolve(self._session.workbook, conflict.record_id, keep)
        except storage.StoreError as exc:
            message = storage.explain(exc)
            if message is None:
                raise
            show_error(self, message)
            return False
        except CtdeskError as exc:
            show_error(self, exc)
            return False
        # Not an undo step: undoing would have to reopen the conflict. Every version stays in
        # the record's history (Edit → History) instead.
        self.refresh()
        self._session.announce(changes, origin=self)
        noun = kind_name(conflict.kind).lower()
        self._last = (conflict.kind, conflict.record_id, conflict.force_id)
        done = DONE[keep].format(noun=noun, title=escape(conflict.title))
        edit = " to edit it" if keep == "both" else ""
        self.message.setText(
            f"{done} The other version stays in its history. <a href='open'>Open it</a>{edit}."
        )
        self.message.show()
        if self.model.rowCount():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            conflict = self.model.conflict(index.row())
            self.open_requested.emit(conflict.kind, conflict.record_id, conflict.force_id)

    def _open_current(self) -> None:
        self._open_index(self.view.currentIndex())

    def _open_last(self, _link: str) -> None:
        if self._last is not None:
            self.open_requested.emit(*self._last)


class ConflictsStatus(QToolButton):
    """``3 conflicts`` in the status bar, hidden when there are none; a click goes to them."""

    def __init__(self, page: ConflictsPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setAccessibleName("Conflicts to resolve")
        self.setToolTip(
            "Records both you and someone else changed: click to see both versions and choose."
        )
        page.count_changed.connect(self.set_count)
        self.set_count(page.count)

    def set_count(self, count: int) -> None:
        self.setText(conflict_count_text(count))
        self.setAccessibleDescription(conflict_count_text(count))
        self.setVisible(count > 0)
