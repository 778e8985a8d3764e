"""Registering a document in the evidence register, or correcting one already registered.

The dialog only gathers values: ``submit`` (given by the caller) writes them. If the store refuses
them, the sentence is shown and the dialog stays open with everything typed still there. When
registering, "Register and add another" keeps category, provider, date, areas and marking so that
a pile of documents from one force goes in quickly.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.evidence import Document, check_file, human_size
from ctdesk.scope import Area
from ctdesk.ui.errors import show_error
from ctdesk.ui.marking_field import MarkingField
from ctdesk.ui.theme import set_tone


@dataclass
class DocumentForm:
    """What the inspector entered. ``received`` is ISO or "" (not known)."""

    title: str
    category: str  # slug
    reference: str
    provided_by: str
    received: str
    areas: list[str] = field(default_factory=list)
    marking: str | None = None
    file: Path | None = None  # a new file to attach
    remove_file: bool = False  # take the current file off (editing only)


class DocumentDialog(QDialog):
    """Asks for a document's details. ``submit`` raises ``CtdeskError`` to refuse them."""

    def __init__(
        self,
        *,
        categories: dict[str, str],
        areas: tuple[Area, ...],
        submit: Callable[[DocumentForm], None],
        default_marking: str,
        document: Document | None = None,
        force_name: str = "",
        start_folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._document = document
        self._file: Path | None = None
        self._remove_file = False
        self.start_folder = start_folder
        self.registered: list[str] = []  # titles registered while the dialog was open
        editing = document is not None
        where = f" — {force_name}" if force_name else ""
        self.setWindowTitle(("Edit document" if editing else "Register a document") + where)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Prevent strategy 2024 (required)")
        self.title.setAccessibleName("Document title")
        self.category = QComboBox(self)
        for slug, name in categories.items():
            self.category.addItem(name, slug)
        self.category.setAccessibleName("Category")
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("The force's own reference, if it has one")
        self.reference.setAccessibleName("Reference")
        self.provided_by = QLineEdit(self)
        self.provided_by.setPlaceholderText("e.g. Prevent strategic lead")
        self.provided_by.setAccessibleName("Provided by")

        self.received = QDateEdit(self)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("d MMM yyyy")
        self.received.setDate(QDate.currentDate())
        self.received.setAccessibleName("Date received")
        self.received_unknown = QCheckBox("Not known", self)
        self.received_unknown.setAccessibleName("Date received not known")
        self.received_unknown.toggled.connect(lambda on: self.received.setEnabled(not on))
        date_row = QHBoxLayout()
        date_row.addWidget(self.received)
        date_row.addWidget(self.received_unknown)
        date_row.addStretch(1)

        self.area_boxes: dict[str, QCheckBox] = {}
        area_column = QVBoxLayout()
        area_column.setSpacing(2)
        for area in areas:
            box = QCheckBox(area.label, self)
            box.setToolTip(area.question)
            box.setAccessibleName(f"Bears on area {area.label}")
            self.area_boxes[area.id] = box
            area_column.addWidget(box)

        self.marking = MarkingField(self)

        self.file_label = QLabel(self)
        self.file_label.setAccessibleName("Attached file")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_file_button = QPushButton("C&hoose file…", self)
        self.choose_file_button.setAccessibleName("Choose a file to attach")
        self.choose_file_button.clicked.connect(self.choose_file)
        self.remove_file_button = QPushButton("Remo&ve file", self)
        self.remove_file_button.setAccessibleName("Remove the attached file")
        self.remove_file_button.clicked.connect(self.remove_file)
        self.file_problem = QLabel(self)
        self.file_problem.setWordWrap(True)
        set_tone(self.file_problem, "problem")
        self.file_problem.setAccessibleName("File problem")
        self.file_problem.hide()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_file_button)
        file_row.addWidget(self.remove_file_button)
        file_column = QVBoxLayout()
        file_column.setSpacing(2)
        file_column.addLayout(file_row)
        file_column.addWidget(self.file_problem)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Registration status")

        # Laid out by hand: the primary action last, "add another" beside it, Close apart.
        self.close_button = QPushButton("Cancel" if editing else "Close", self)
        self.close_button.setAccessibleName("Close without saving")
        self.close_button.clicked.connect(self.reject)
        self.another_button = QPushButton("Register and add &another", self)
        self.another_button.setAccessibleName("Register and add another document")
        self.another_button.setVisible(not editing)
        self.another_button.clicked.connect(lambda: self.save(another=True))
        self.ok_button = QPushButton("&Save" if editing else "&Register", self)
        self.ok_button.setAccessibleName("Save changes" if editing else "Register document")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(lambda: self.save(another=False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.another_button)
        buttons.addWidget(self.ok_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Title", self.title)
        form.addRow("&Category", self.category)
        form.addRow("Re&ference", self.reference)
        form.addRow("&Provided by", self.provided_by)
        date_label = QLabel("&Date received", self)
        date_label.setBuddy(self.received)
        form.addRow(date_label, date_row)
        form.addRow("Bears on areas", area_column)
        form.addRow("&Marking", self.marking)
        form.addRow("File", file_column)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.title.textChanged.connect(self._update_buttons)
        self.marking.set_value(document.marking if document else default_marking)
        if document is not None:
            self._load(document)
        self._show_file()
        self._update_buttons()
        em = self.fontMetrics().averageCharWidth()  # sizes follow the system font
        self.setMinimumWidth(em * 106)
        # Slack below the form, so that a problem explained under the marking or the file (two
        # or three wrapped lines) fits without the dialog having to grow under the user.
        self.resize(em * 110, self.sizeHint().height() + 5 * self.fontMetrics().lineSpacing())

    # ---- values --------------------------------------------------------------------------------
    def _load(self, doc: Document) -> None:
        self.title.setText(doc.title)
        index = self.category.findData(doc.category)
        if index >= 0:
            self.category.setCurrentIndex(index)
        self.reference.setText(doc.reference)
        self.provided_by.setText(doc.provided_by)
        if doc.received_date:
            self.received.setDate(QDate.fromString(doc.received_date, Qt.DateFormat.ISODate))
        self.received_unknown.setChecked(doc.received_date is None)
        for area_id, box in self.area_boxes.items():
            box.setChecked(area_id in doc.areas)

    def form(self) -> DocumentForm:
        """The values as entered (marking None while the marking field shows a problem)."""
        return DocumentForm(
            title=self.title.text(),
            category=str(self.category.currentData()),
            reference=self.reference.text(),
            provided_by=self.provided_by.text(),
            received=""
            if self.received_unknown.isChecked()
            else self.received.date().toString(Qt.DateFormat.ISODate),
            areas=[a for a, box in self.area_boxes.items() if box.isChecked()],
            marking=self.marking.value(),
            file=self._file,
            remove_file=self._remove_file,
        )

    def set_file(self, path: Path | None) -> bool:
        """Choose the file to attach; a file that cannot be attached is explained and refused."""
        self.file_problem.hide()
        if path is not None:
            try:
                check_file(path)
            except CtdeskError as exc:
                self.file_problem.setText(str(exc))
                self.file_problem.show()
                return False
            self._remove_file = False
        self._file = path
        self._show_file()
        return True

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the file to attach", self.start_folder
        )
        if chosen:
            self.start_folder = str(Path(chosen).parent)
            self.set_file(Path(chosen))

    def remove_file(self) -> None:
        self.file_problem.hide()
        if self._file is None and self._document is not None:
            self._remove_file = True
        self._file = None
        self._show_file()

    def _show_file(self) -> None:
        doc = self._document
        if self._file is not None:
            try:
                size = human_size(self._file.stat().st_size)
            except OSError:
                size = "size unknown"
            text = f"{self._file.name} ({size})"
            if doc is not None and doc.has_attachment:
                text += f", replacing {doc.attachment_name}"
        elif doc is not None and doc.has_attachment and not self._remove_file:
            text = f"{doc.attachment_name} ({human_size(doc.attachment_size or 0)})"
        elif self._remove_file:
            text = f"{doc.attachment_name if doc else 'The file'} will be removed"
        else:
            text = "No file (optional; at most 25 MB)"
        self.file_label.setText(text)
        has_file = self._file is not None or bool(
            doc and doc.has_attachment and not self._remove_file
        )
        self.remove_file_button.setEnabled(has_file)

    def _update_buttons(self) -> None:
        ready = bool(self.title.text().strip())
        self.ok_button.setEnabled(ready)
        self.another_button.setEnabled(ready)

    # ---- saving --------------------------------------------------------------------------------
    def save(self, *, another: bool = False) -> bool:
        """Hand the values to ``submit``; close (or clear for the next one) if they were taken."""
        values = self.form()
        if values.marking is None:
            # The field explains the problem beside itself; repeat it where the eye is now.
            problem = self.marking.problem.text() or "Choose a valid protective marking."
            show_error(self, problem)
            return False
        try:
            self._submit(values)
        except CtdeskError as exc:
            show_error(self, exc)
            return False
        self.registered.append(values.title.strip())
        if another:
            self._clear_for_next(values.title.strip())
        else:
            self.accept()
        return True

    def _clear_for_next(self, done_title: str) -> None:
        count = len(self.registered)
        self.status.setText(
            f"Registered “{done_title}” ({count} so far). Enter the next one, or Close."
        )
        self.title.clear()
        self.reference.clear()
        self._file = None
        self._show_file()
        self.title.setFocus()
