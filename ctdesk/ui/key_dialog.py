"""File → Exchange → My public key: the key colleagues encrypt bundles to, or making one."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.exchange import keys
from ctdesk.ui.exchange_support import fit, problem_label


class KeyDialog(QDialog):
    """Shows the inspector's public key with a Copy button, or offers to make the key.
    ``generate`` makes it at once (the inspector has already said yes)."""

    def __init__(self, parent: QWidget | None = None, *, generate: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("My public key")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.key = QLineEdit(self)
        self.key.setReadOnly(True)
        self.key.setAccessibleName("Your public key")
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy the public key")
        self.copy_button.clicked.connect(self._copy)
        self.make_button = QPushButton("&Make my key", self)
        self.make_button.setAccessibleName("Make my key")
        self.make_button.clicked.connect(self.generate)
        self.problem = problem_label(self)
        self.note = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.key, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if generate and not keys.has_identity():
            self.generate()
        else:
            self._show()
        fit(self, 620)

    def _show(self) -> None:
        public = ""
        if keys.has_identity():
            try:
                public = keys.public_key()
            except CtdeskError as exc:
                self.problem.setText(str(exc))
        if public:
            self.intro.setText(
                "Give this public key to the colleagues who send you bundles: they encrypt to "
                "it, and only your secret key opens what they send. The secret key stays in "
                f"{keys.identity_path()}; never send that file to anyone, and keep it in your "
                "backups."
            )
        else:
            self.intro.setText(
                "You have no key yet. With one, colleagues can send you bundles encrypted to "
                "your public key, which only you can open; you give them the public key, and "
                "the secret key stays on this laptop."
            )
        self.key.setText(public)
        self.key.setVisible(bool(public))
        self.copy_button.setVisible(bool(public))
        self.make_button.setVisible(not keys.has_identity())

    def generate(self) -> None:
        try:
            keys.generate()
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return
        self._show()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key.text())
        self.key.selectAll()
        self.note.setText("Copied to the clipboard.")
