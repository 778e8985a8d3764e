"""A force's notes: list and editor side by side."""

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError
from ctdesk.scope import Force
from ctdesk.ui.errors import show_error
from ctdesk.ui.note_editor import NoteEditor
from ctdesk.ui.note_list_model import AREAS_ROLE, ID_ROLE, NoteListModel
from ctdesk.ui.session import Session


class _AreaFilter(QSortFilterProxyModel):
    """Filters by area; sorting is the source model's (see ``NoteListModel.sort``)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class NotesTab(QWidget):
    """A force's notes: the list on the left, the editor on the right."""

    note_opened = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force: Force | None = None
        wb = session.workbook
        self._inspection = wb.scope.current

        codes = {a.id: a.code for a in self._inspection.areas}
        self.model = NoteListModel(codes, self)
        self.proxy = _AreaFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(True)
        self.proxy.setFilterRole(AREAS_ROLE)
        self.list = QTableView(self)
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Notes of this force")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setDefaultSectionSize(self.list.fontMetrics().height() + 10)
        self.list.setWordWrap(False)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # Long markings (OFFICIAL-SENSITIVE PERSONAL DATA) elide rather than squeeze titles.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            2, self.list.fontMetrics().horizontalAdvance("OFFICIAL-SENSITIVE") + 30
        )
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        # Size columns to the rows in view, not to a thousand rows of a big force.
        header.setResizeContentsPrecision(0)
        self.list.selectionModel().selectionChanged.connect(self._selection_changed)
        # A re-sort (after an edit, a new note, a header click) keeps the current note in view.
        self.model.layoutChanged.connect(lambda: self.list.scrollTo(self.list.currentIndex()))

        # Mnemonics clear of the menus (Alt+N is Note) and the editor (Alt+T is its Title);
        # Ctrl+N makes a note and Delete, in the list, trashes one.
        self.new_button = QPushButton("Ne&w note", self)
        self.new_button.setAccessibleName("New note")
        self.new_button.clicked.connect(self.new_note)
        self.trash_button = QPushButton("Move to trash", self)
        self.trash_button.setAccessibleName("Move the selected note to the trash")
        self.trash_button.clicked.connect(self.delete_selected)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of notes")
        self.area_filter = QComboBox(self)
        self.area_filter.setAccessibleName("Show notes on area")
        self.area_filter.addItem("All areas", "")
        for area in self._inspection.areas:
            self.area_filter.addItem(area.label, area.id)
            self.area_filter.setItemData(
                self.area_filter.count() - 1, area.question, Qt.ItemDataRole.ToolTipRole
            )
        self.area_filter.currentIndexChanged.connect(self._area_filter_changed)

        self.editor = NoteEditor(session, self._inspection.areas, self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.trash_button)
        left_layout.addLayout(row)
        filter_row = QHBoxLayout()
        area_label = QLabel("Notes on", left)  # (also the name a screen reader gives the list)
        area_label.setBuddy(self.area_filter)
        filter_row.addWidget(area_label)
        filter_row.addWidget(self.area_filter, 1)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.list, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([520, 600])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        # Tab goes as the eye does: the buttons and the area filter above the list, then it.
        QWidget.setTabOrder(self.area_filter, self.list)
        session.changed.connect(self._on_changed)

    @property
    def force(self) -> Force | None:
        return self._force

    def show_force(self, force_id: str) -> None:
        """Switch to a force, writing any pending edit first."""
        self.editor.flush()
        wb = self._session.workbook
        self._force = wb.scope.force(force_id)
        in_scope = self._inspection.id in self._force.inspections
        self.new_button.setEnabled(in_scope)
        self.model.set_notes(wb.notes.all(force=force_id))
        self._update_count()
        self.editor.load(None)
        if self.proxy.rowCount() > 0:
            self.list.selectRow(0)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        text = f"{n} note" + ("" if n == 1 else "s")
        if self.area_filter.currentData():
            text += f", {self.proxy.rowCount()} on {self.area_filter.currentText().split(' ')[0]}"
        self.count.setText(text)

    def show_area(self, area_id: str) -> None:
        """Only the notes tagged with ``area_id`` ('' = all notes)."""
        self.area_filter.setCurrentIndex(max(0, self.area_filter.findData(area_id)))

    def _area_filter_changed(self) -> None:
        area_id = self.area_filter.currentData()
        self.proxy.setFilterFixedString(f" {area_id} " if area_id else "")
        self._update_count()
        if self.proxy.rowCount() and not self.list.selectionModel().hasSelection():
            self.list.selectRow(0)

    def new_note(self) -> None:
        if self._force is None:
            return
        force_id = self._force.id
        try:
            note = self._session.apply(
                lambda wb: wb.notes.add(force=force_id, title="New note"), origin=self
            )
        except CtdeskError as exc:
            show_error(self, exc)
            return
        self.model.upsert(note)
        self._update_count()
        self.select_note(note.id)
        self.editor.focus_title()

    def select_record(self, note_id: str) -> bool:
        return self.select_note(note_id)

    def select_note(self, note_id: str) -> bool:
        row = self.model.row_of(note_id)
        if row < 0:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():  # hidden by the area filter
            self.show_area("")
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.list.selectRow(proxy_index.row())
        self.list.scrollTo(proxy_index)
        return True

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return
        note_id = rows[0].data(ID_ROLE)
        if note_id == self.editor.note_id:
            return
        self.editor.load(self._session.workbook.notes.get(note_id))
        self.note_opened.emit(note_id)

    def _on_changed(self, changes: Changes, origin: object) -> None:
        if self._force is None:
            return
        if changes.touches("activity"):
            self.editor.refresh_activities()
        if not changes.touches("note"):
            return
        notes = self._session.workbook.notes
        for note_id in changes.ids:
            try:
                note = notes.get(note_id)
            except CtdeskError:
                self.model.remove(note_id)
                continue
            live = note.force_id == self._force.id and note.deleted_at is None
            if live:
                self.model.upsert(note)
            else:
                self.model.remove(note_id)
            if note_id == self.editor.note_id and (origin is not self.editor or not live):
                self.editor.load(note if live else None)
            if live and origin is not self and origin is not self.editor:
                self.select_note(note_id)  # undo/redo and restores show what they brought back
        self._update_count()
        if self.editor.note_id is None and self.proxy.rowCount() > 0:
            self.list.selectRow(0)

    def delete_selected(self) -> None:
        """Move the note being edited to the trash."""
        note_id = self.editor.note_id
        if note_id is None:
            return
        self.editor.flush()
        try:
            self._session.apply(lambda wb: wb.notes.delete(note_id), origin=self)
        except CtdeskError as exc:
            show_error(self, exc)

    def current_record_id(self) -> str | None:
        return self.editor.note_id

    def current_index(self) -> QModelIndex:
        return self.list.currentIndex()
