"""Adding an activity to a force's plan: kind, title, participants, planned date."""

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from ctdesk.activity import KINDS


class ActivityDialog(QDialog):
    """Asks for a new activity; ``values()`` gives the fields for ``Activities.add``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an activity to the plan")
        self.kind = QComboBox(self)
        for slug, name in KINDS.items():
            self.kind.addItem(name, slug)
        self.kind.setCurrentIndex(list(KINDS).index("reality-testing"))
        self.kind.setAccessibleName("Kind of activity")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Activity title")
        self.title.setPlaceholderText("e.g. Visit to the multi-agency safeguarding hub")
        self.participants = QLineEdit(self)
        self.participants.setAccessibleName("Participants")
        self.participants.setPlaceholderText("Who takes part (optional)")
        self.has_date = QCheckBox("Planned for", self)
        self.has_date.setAccessibleName("Has a planned date")
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Planned date")
        self.date.setEnabled(False)
        self.has_date.toggled.connect(self.date.setEnabled)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.date, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add")
        self.ok_button.setEnabled(False)
        self.title.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        form = QFormLayout(self)
        form.addRow("&Kind", self.kind)
        form.addRow("&Title", self.title)
        form.addRow("&Participants", self.participants)
        form.addRow(date_row)
        form.addRow(buttons)

    def values(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.currentData(),
            "title": self.title.text(),
            "participants": self.participants.text(),
            "planned_date": self.date.date().toString("yyyy-MM-dd")
            if self.has_date.isChecked()
            else None,
        }
