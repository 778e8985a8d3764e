"""Help → About ctdesk: the version, the workbook and where ctdesk keeps its files, and what it
runs on, with a button copying it all for a bug report."""

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk import __version__, about
from ctdesk.workbook import Workbook

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def details(workbook: Workbook | None) -> list[tuple[str, str]]:
    """Every (label, value) the dialog shows, in order."""
    rows = about.workbook_details(workbook) if workbook is not None else []
    qt = [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    return [*rows, *about.runtime_details(), *qt]


class AboutDialog(QDialog):
    """About ctdesk (and the open workbook, when given)."""

    def __init__(self, workbook: Workbook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About ctdesk")
        self.rows = details(workbook)
        heading = QLabel(f"<h2 style='margin:0'>ctdesk {__version__}</h2>", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setAccessibleName(f"ctdesk {__version__}")
        blurb = QLabel(
            "An offline workbook for counter-terrorism policing inspections. Nothing it holds "
            "ever goes to a network.",
            self,
        )
        blurb.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for label, value in self.rows:
            shown = QLabel(value, self)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(_SELECTABLE)
            shown.setAccessibleName(label)
            self.values[label] = shown
            form.addRow(f"{label}:", shown)
        self.copied = QLabel(self)
        self.copied.setAccessibleName("Copy result")
        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.setAccessibleName("Copy details")
        self.copy_button.setToolTip("Copy the version, folders and libraries, for a bug report.")
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.copied)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(680, max(layout.totalHeightForWidth(680), 200))

    def text(self) -> str:
        """The details as plain lines, as copied."""
        return about.as_text(self.rows)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copied.setText("Copied to the clipboard.")
