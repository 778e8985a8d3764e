"""A force's evidence register: what documents it provided, which have been reviewed, their files.

The register is a table over a filtering, sorting proxy. Registering and correcting documents
happens in a dialog (double-click a row, or Edit…); the buttons under the table act on the
selected rows. Files dropped on the register are registered at once, one document each, after
asking their category (``evidence_drop``). Every write goes through the session, and the table
refreshes from its signal.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changed, Changes
from ctdesk.errors import CtdeskError, NotFound
from ctdesk.evidence import STATUSES, Document, human_size
from ctdesk.export.progress import Progress
from ctdesk.scope import Force
from ctdesk.ui import evidence_drop
from ctdesk.ui.background import BackgroundOp, run_in_background
from ctdesk.ui.batch_category_dialog import BatchCategoryDialog
from ctdesk.ui.document_dialog import DocumentDialog, DocumentForm
from ctdesk.ui.errors import show_error
from ctdesk.ui.evidence_model import ID_ROLE, Column, DocumentFilterProxy, DocumentTableModel
from ctdesk.ui.exchange_support import on_sibling
from ctdesk.ui.session import Session
from ctdesk.ui.theme import blend
from ctdesk.workbook import Workbook

# Each column has room for its longest usual value (and its heading), in the font in use, so
# that a larger system font widens the columns instead of eliding them; longer values elide and
# show in full on hover.
COLUMN_SAMPLES = {
    Column.CATEGORY: "Prevent policy and strategy",
    Column.REFERENCE: "KP/2024/01",
    Column.RECEIVED: "30 Sep 2024",
    Column.STATUS: "To review",
    Column.AREAS: "A1, A2, A3",
    Column.MARKING: "OFFICIAL-SENSITIVE",
    Column.ATTACHMENT: "plan.txt (9 bytes)",
}
MIN_TITLE_CHARACTERS = 36  # the title column never narrower than this many average characters


def column_widths(table: QTableView) -> dict[Column, int]:
    """Width of each column in ``table``'s fonts: its sample value, or its heading with room
    for the sort arrow, whichever is wider."""
    cells, headings = table.fontMetrics(), table.horizontalHeader().fontMetrics()
    pad = 2 * cells.averageCharWidth()
    model = table.model()
    widths = {}
    for column, sample in COLUMN_SAMPLES.items():
        heading = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        need = max(cells.horizontalAdvance(sample), headings.horizontalAdvance(heading) + 2 * pad)
        widths[column] = need + pad
    return widths


def summary_text(registered: int, reviewed: int) -> str:
    """``10 documents registered, 7 reviewed``."""
    noun = "document" if registered == 1 else "documents"
    return f"{registered} {noun} registered, {reviewed} reviewed"


class EvidenceTab(QWidget):
    """The evidence register of one force at a time."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force: Force | None = None
        self._last_folder = ""
        self._trashed: list[str] = []  # ids the Undo button brings back
        wb = session.workbook
        self._inspection = wb.scope.current
        self._categories = wb.documents.categories(self._inspection.id)

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Evidence register summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.register_button = QPushButton("&Register document…", self)
        self.register_button.setAccessibleName("Register document")
        self.register_button.setToolTip("Add a document the force provided to its register")
        self.register_button.clicked.connect(self.register_documents)

        self.filter_text = QLineEdit(self)
        self.filter_text.setPlaceholderText("Filter by title, reference or provider")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.setAccessibleName("Filter documents by words")
        self.category_filter = QComboBox(self)
        self.category_filter.addItem("All categories", "")
        for slug, name in self._categories.items():
            self.category_filter.addItem(name, slug)
        self.category_filter.setAccessibleName("Show documents of category")
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("All", "")
        for slug, name in STATUSES.items():
            self.status_filter.addItem(name, slug)
        self.status_filter.setAccessibleName("Show documents with review status")

        codes = {a.id: a.code for a in self._inspection.areas}
        self.model = DocumentTableModel(self._categories, codes, self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Evidence register")
        self.table.setAccessibleDescription(
            "Documents the force provided. Drop files here to register one document for each."
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.RECEIVED, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self._size_columns()
        # The title gets whatever room the other columns leave, but never less than it needs to
        # be read; on a small screen the table scrolls sideways instead of squeezing it.
        self.table.viewport().installEventFilter(self)
        header.sectionResized.connect(
            lambda column, _old, _new: column != Column.TITLE and self._fit_title()
        )
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        # Mnemonics avoid the window's menus (File, Edit, Note, Help) and the force tabs.
        self.review_button = QPushButton("Mark revie&wed", self)
        self.review_button.setAccessibleName("Mark reviewed")
        self.review_button.clicked.connect(self.toggle_review)
        self.edit_button = QPushButton("E&dit…", self)
        self.edit_button.setAccessibleName("Edit document")
        self.edit_button.setToolTip("Correct the selected document's details (or double-click it)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.attach_button = QPushButton("A&ttach file…", self)
        self.attach_button.setAccessibleName("Attach file")
        self.attach_button.clicked.connect(self.attach_file)
        self.save_file_button = QPushButton("&Save attachment as…", self)
        self.save_file_button.setAccessibleName("Save attachment as")
        self.save_file_button.clicked.connect(self.save_attachment)
        self.trash_button = QPushButton("&Move to trash", self)
        self.trash_button.setAccessibleName("Move to trash")
        self.trash_button.clicked.connect(self.move_to_trash)
        self.message = QLabel(self)
        self.message.setAccessibleName("Last action")
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("&Undo", self)
        self.undo_button.setAccessibleName("Undo moving to trash")
        self.undo_button.clicked.connect(self.undo_trash)
        self.undo_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.register_button)
        status_label = QLabel("St&atus", self)
        status_label.setBuddy(self.status_filter)
        filters = QHBoxLayout()
        category_label = QLabel("Category", self)
        category_label.setBuddy(self.category_filter)
        filters.addWidget(self.filter_text, 3)
        filters.addSpacing(8)
        filters.addWidget(category_label)
        filters.addWidget(self.category_filter, 2)
        filters.addSpacing(8)
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter, 1)
        actions = QHBoxLayout()
        for button in (
            self.review_button,
            self.edit_button,
            self.attach_button,
            self.save_file_button,
            self.trash_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        feedback = QHBoxLayout()
        feedback.addWidget(self.message, 1)
        feedback.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(feedback)

        self.filter_text.textChanged.connect(self._filter_changed)
        self.category_filter.currentIndexChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        session.changed.connect(self._on_changed)
        self._update_summary()
        self._update_buttons()
        # Files dropped anywhere on the tab (the table passes drops up to it) are registered.
        self.setAcceptDrops(True)
        self._drop_op: BackgroundOp | None = None
        self._drop_category = ""  # the last batch's, offered first next time

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a larger (or smaller) system font
            self._size_columns()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column, width in column_widths(self.table).items():
            header.resizeSection(column, width)
        self._fit_title()

    def _fit_title(self) -> None:
        others = sum(self.table.columnWidth(c) for c in Column if c != Column.TITLE)
        room = self.table.viewport().width() - others
        least = self.table.fontMetrics().averageCharWidth() * MIN_TITLE_CHARACTERS
        self.table.setColumnWidth(Column.TITLE, max(least, room))

    # ---- showing ------------------------------------------------------------------------------
    @property
    def force(self) -> Force | None:
        return self._force

    def show_force(self, force_id: str) -> None:
        """Show a force's register (filters are kept: they are about what the inspector seeks)."""
        wb = self._session.workbook
        self._force = wb.scope.force(force_id)
        self.register_button.setEnabled(self._in_scope())
        self.model.set_documents(wb.documents.all(force=force_id))
        self._set_message("")
        self._update_summary()
        self._update_buttons()

    def _in_scope(self) -> bool:
        return self._force is not None and self._inspection.id in self._force.inspections

    def _update_summary(self) -> None:
        force = self._force
        if force is not None and not self._in_scope():
            self.summary.setText(
                f"{force.name} was not in the scope of {self._inspection.code}, "
                "so it has no evidence register."
            )
            return
        docs = self.model.documents()
        if not docs:
            self.summary.setText(
                "No documents registered yet: use “Register document…” for each document "
                "the force provides, or drop its files here."
            )
            return
        text = summary_text(len(docs), sum(d.reviewed for d in docs))
        if self.proxy.is_filtering():
            text += f" · showing {self.proxy.rowCount()}"
        self.summary.setText(text)

    def _filter_changed(self) -> None:
        self.proxy.set_filter(
            text=self.filter_text.text(),
            category=self.category_filter.currentData() or "",
            status=self.status_filter.currentData() or "",
        )
        self._update_summary()
        self._update_buttons()

    def selected_documents(self) -> list[Document]:
        """The selected rows' documents, in the order shown."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.model.document_at(self.proxy.mapToSource(i).row()) for i in rows]

    def _single(self) -> Document | None:
        docs = self.selected_documents()
        return docs[0] if len(docs) == 1 else None

    def current_record_id(self) -> str | None:
        """The document the window's Edit menu (history, move to trash) acts on: the row with
        the keyboard focus if it is selected, else the only selected row."""
        index = self.table.currentIndex()
        if index.isValid() and self.table.selectionModel().isRowSelected(index.row()):
            return str(index.siblingAtColumn(Column.TITLE).data(ID_ROLE))
        only = self._single()
        return only.id if only else None

    def select_record(self, record_id: str) -> bool:
        """Select a document (e.g. opened from search or history); clears filters hiding it."""
        if self.select_document(record_id):
            return True
        if self.model.row_of(record_id) < 0:
            return False
        self.filter_text.clear()
        self.category_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        return self.select_document(record_id)

    def select_document(self, doc_id: str) -> bool:
        row = self.model.row_of(doc_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _update_buttons(self) -> None:
        docs = self.selected_documents()
        one = docs[0] if len(docs) == 1 else None
        self.review_button.setEnabled(bool(docs))
        to_reviewed = not docs or any(not d.reviewed for d in docs)
        self.review_button.setText("Mark revie&wed" if to_reviewed else "Mark to revie&w")
        self.review_button.setAccessibleName("Mark reviewed" if to_reviewed else "Mark to review")
        self.edit_button.setEnabled(one is not None)
        self.attach_button.setEnabled(one is not None)
        self.save_file_button.setEnabled(one is not None and one.has_attachment)
        self.trash_button.setEnabled(bool(docs))

    def _set_message(self, text: str, *, undo: bool = False) -> None:
        self.message.setText(text)
        self.undo_button.setVisible(undo)
        if not undo:
            self._trashed = []

    # ---- refreshing ---------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, origin: object) -> None:
        if self._force is None or not changes.touches("document"):
            return
        documents = self._session.workbook.documents
        if not changes.ids:  # a bulk change (import, say): read the register again
            self.model.set_documents(documents.all(force=self._force.id))
        for doc_id in changes.ids:
            try:
                doc = documents.get(doc_id)
            except NotFound:  # purged, or the id of another kind of record
                self.model.remove(doc_id)
                continue
            if doc.force_id == self._force.id and not doc.deleted:
                self.model.upsert(doc)
            else:
                self.model.remove(doc_id)
        self._update_summary()
        self._update_buttons()

    # ---- dropping files -------------------------------------------------------------------------
    def _accepts_drops(self) -> bool:
        # Not in a read-only window (its Register button is off), nor out of scope, nor while
        # an earlier batch is still being registered.
        return self.register_button.isEnabled() and self._in_scope() and self._drop_op is None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        paths = evidence_drop.dropped_files(event.mimeData())
        if not paths or not self._accepts_drops():
            event.ignore()
            return
        event.acceptProposedAction()
        self._drop_cue(len(paths))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_cue(0)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_cue(0)
        paths = evidence_drop.dropped_files(event.mimeData())
        if not paths or not self._accepts_drops():
            event.ignore()
            return
        event.acceptProposedAction()
        self.register_files(paths)

    def _drop_cue(self, count: int) -> None:
        """While files are dragged over the register: the table tinted, and saying so in words."""
        if not count:
            self.table.setPalette(QPalette())  # the inherited palette again
            self._update_summary()
            return
        cue = QPalette(self.palette())
        highlight = cue.color(QPalette.ColorRole.Highlight)
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
            cue.setColor(role, blend(cue.color(role), highlight, 0.2))
        self.table.setPalette(cue)
        noun = "file" if count == 1 else "files"
        name = self._force.name if self._force else "this force"
        self.summary.setText(f"Drop to register {count} {noun} as documents of {name}.")

    def register_files(self, paths: list[Path]) -> None:
        """Register dropped files, one document each, after asking their category once."""
        if self._force is None or not self._accepts_drops():
            return
        batch = evidence_drop.sort_out(paths)
        if not batch.files:
            self._tell_refused(batch.refused)
            return
        dialog = BatchCategoryDialog(
            self._categories, batch.files, self._force.name, self._drop_category, self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self._set_message("Nothing was registered.")
            return
        category = self._drop_category = dialog.category()
        force_id = self._force.id
        files = batch.files

        def work(wb: Workbook, progress: Progress) -> evidence_drop.Registered:
            return evidence_drop.register(wb, force_id, category, files, progress)

        if not evidence_drop.in_background(batch):
            self._registered(work(self._session.workbook, Progress()), batch.refused)
            return
        # Reading many (or large) files takes a while: on a connection of the worker's own.
        count = len(files)
        self._drop_op = run_in_background(
            self,
            "Registering documents",
            f"Registering {count} documents for {self._force.name}…",
            on_sibling(self._session.workbook, work),
            on_success=lambda done: self._registered(done, batch.refused),
            on_failure=self._drop_failed,
        )

    def _registered(self, done: evidence_drop.Registered, refused: list[str]) -> None:
        self._drop_op = None
        if done.added:
            # Announced like any edit, with an undo step for each document.
            self._session.apply(lambda _wb: Changed(done.added, done.changes), origin=self)
            count = len(done.added)
            noun = "document" if count == 1 else "documents"
            name = self._categories.get(self._drop_category, self._drop_category)
            stopped = " before you stopped it" if done.stopped else ""
            self._set_message(f"Registered {count} {noun} as “{name}” from the files{stopped}.")
            self.select_document(done.added[-1].id)
        elif done.stopped:
            self._set_message("Stopped before any document was registered.")
        self._tell_refused(refused + done.refused)

    def _drop_failed(self, message: str) -> None:
        self._drop_op = None
        show_error(self, message, "Register dropped files")
        # What was registered before the failure is in the workbook: read the register again.
        self._on_changed(Changes(frozenset({"document"})), self)

    def _tell_refused(self, refused: list[str]) -> None:
        if not refused:
            return
        count = len(refused)
        noun = "file was" if count == 1 else "files were"
        show_error(
            self,
            f"{count} {noun} not registered:\n{evidence_drop.refusals_text(refused)}",
            "Register dropped files",
        )

    # ---- actions ------------------------------------------------------------------------------
    def _dialog(
        self, document: Document | None, submit: Callable[[DocumentForm], None]
    ) -> DocumentDialog:
        wb = self._session.workbook
        return DocumentDialog(
            categories=self._categories,
            areas=self._inspection.areas,
            submit=submit,
            default_marking=wb.default_marking,
            document=document,
            force_name=self._force.name if self._force else "",
            start_folder=self._last_folder,
            parent=self,
        )

    def register_documents(self) -> None:
        """Open the register dialog; every document registered in it is selected afterwards."""
        if self._force is None or not self._in_scope():
            return
        force_id = self._force.id
        added: list[str] = []

        def submit(form: DocumentForm) -> None:
            doc = self._session.apply(
                lambda wb: wb.documents.add(
                    force=force_id,
                    title=form.title,
                    category=form.category,
                    reference=form.reference,
                    provided_by=form.provided_by,
                    received=form.received or None,
                    file=form.file,
                    areas=form.areas,
                    marking=form.marking,
                ),
                origin=self,
            )
            added.append(doc.id)

        dialog = self._dialog(None, submit)
        dialog.exec()
        self._last_folder = dialog.start_folder
        if added:
            self._set_message(
                f"Registered {len(added)} document" + ("" if len(added) == 1 else "s") + "."
            )
            self.select_document(added[-1])

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def edit_selected(self) -> None:
        doc = self._single()
        if doc is None:
            return
        doc_id = doc.id

        def submit(form: DocumentForm) -> None:
            if form.remove_file:
                self._session.apply(lambda wb: wb.documents.detach(doc_id), origin=self)
            self._session.apply(
                lambda wb: wb.documents.set(
                    doc_id,
                    title=form.title,
                    category=form.category,
                    reference=form.reference,
                    provided_by=form.provided_by,
                    received=form.received,  # "" clears the date
                    areas=form.areas,
                    marking=form.marking,
                    file=form.file,
                ),
                origin=self,
            )

        dialog = self._dialog(doc, submit)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._set_message(f"Saved “{dialog.title.text().strip()}”.")
        self._last_folder = dialog.start_folder

    def toggle_review(self) -> None:
        """Mark the selected documents reviewed (or, if all already are, back to review)."""
        docs = self.selected_documents()
        if not docs:
            return
        status = "reviewed" if any(not d.reviewed for d in docs) else "to-review"
        try:
            for doc in docs:
                doc_id = doc.id
                self._session.apply(
                    lambda wb, doc_id=doc_id: wb.documents.set(doc_id, status=status), origin=self
                )
        except CtdeskError as exc:
            show_error(self, exc)
        what = f"“{docs[0].title}”" if len(docs) == 1 else f"{len(docs)} documents"
        self._set_message(f"Marked {what} {STATUSES[status].lower()}.")
        self._update_buttons()

    def attach_file(self) -> None:
        doc = self._single()
        if doc is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, f"Attach a file to “{doc.title}”", self._last_folder
        )
        if not chosen:
            return
        path = Path(chosen)
        self._last_folder = str(path.parent)
        try:
            new = self._session.apply(lambda wb: wb.documents.attach(doc.id, path), origin=self)
        except CtdeskError as exc:
            show_error(self, exc)
            return
        replaced = f", replacing {doc.attachment_name}" if doc.has_attachment else ""
        self._set_message(
            f"Attached {new.attachment_name} ({human_size(new.attachment_size or 0)}) "
            f"to “{new.title}”{replaced}."
        )
        self._update_buttons()

    def save_attachment(self) -> None:
        doc = self._single()
        if doc is None or not doc.has_attachment:
            return
        suggested = str(Path(self._last_folder) / (doc.attachment_name or "attachment"))
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the attached file as", suggested)
        if not chosen:
            return
        try:
            written = self._session.workbook.documents.save_attachment(doc.id, Path(chosen))
        except CtdeskError as exc:
            show_error(self, exc)
            return
        self._last_folder = str(written.parent)
        self._set_message(f"Saved {written}.")

    def move_to_trash(self) -> None:
        docs = self.selected_documents()
        if not docs:
            return
        trashed: list[str] = []
        try:
            for doc in docs:
                doc_id = doc.id
                self._session.apply(
                    lambda wb, doc_id=doc_id: wb.documents.delete(doc_id), origin=self
                )
                trashed.append(doc_id)
        except CtdeskError as exc:
            show_error(self, exc)
        if not trashed:
            return
        what = f"“{docs[0].title}”" if len(trashed) == 1 else f"{len(trashed)} documents"
        self._set_message(f"Moved {what} to the trash.", undo=True)
        self._trashed = trashed

    def undo_trash(self) -> None:
        ids, self._trashed = self._trashed, []
        try:
            for doc_id in ids:
                self._session.apply(
                    lambda wb, doc_id=doc_id: wb.documents.restore(doc_id), origin=self
                )
        except CtdeskError as exc:
            show_error(self, exc)
        what = "1 document" if len(ids) == 1 else f"{len(ids)} documents"
        self._set_message(f"Brought {what} back from the trash.")
        if ids:
            self.select_document(ids[0])
