"""Asking once for the category of a batch of files dropped on a force's evidence register."""

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

SHOWN_NAMES = 6  # file names listed before "and N more"


def files_text(paths: Sequence[Path]) -> str:
    """``a.pdf, b.docx and 3 more``."""
    names = [p.name for p in paths[:SHOWN_NAMES]]
    more = len(paths) - len(names)
    if more:
        return ", ".join(names) + f" and {more} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + f" and {names[-1]}"
    return names[0] if names else ""


class BatchCategoryDialog(QDialog):
    """Which category the dropped documents are in: ``category()`` after Accept."""

    def __init__(
        self,
        categories: dict[str, str],
        paths: Sequence[Path],
        force_name: str,
        chosen: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        count = len(paths)
        noun = "document" if count == 1 else "documents"
        self.setWindowTitle(f"Register {count} {noun}")
        intro = QLabel(
            f"Register {count} {noun} for <b>{escape(force_name)}</b>, each titled from its "
            f"file name and with the file attached: {escape(files_text(paths))}. "
            "Choose their category (Edit… changes any of them later).",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        intro.setAccessibleName("What will be registered")
        self.category_box = QComboBox(self)
        for slug, name in categories.items():
            self.category_box.addItem(name, slug)
        if chosen in categories:
            self.category_box.setCurrentIndex(list(categories).index(chosen))
        self.category_box.setAccessibleName("Category of the dropped documents")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"&Register {count}")
        ok.setAccessibleName(f"Register {count} {noun}")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel: register nothing")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Category", self.category_box)
        form.addRow(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.category_box.setFocus()

    def category(self) -> str:
        return str(self.category_box.currentData())
