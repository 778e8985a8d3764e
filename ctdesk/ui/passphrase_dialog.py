"""Asking for a workbook's passphrase: to unlock it, or to choose one for a new workbook."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from ctdesk import passphrase as passphrase_mod
from ctdesk.errors import CtdeskError
from ctdesk.ui.fields import problem_label, secret_field


class UnlockDialog(QDialog):
    """Asks for the passphrase until ``attempt`` accepts it (its result is in ``result_value``)
    or the inspector cancels. ``attempt`` raises ``CtdeskError`` for a wrong passphrase."""

    def __init__(
        self,
        message: str,
        attempt: Callable[[str], object],
        parent: QWidget | None = None,
        *,
        title: str = "Unlock the workbook",
    ) -> None:
        super().__init__(parent)
        self._attempt = attempt
        self.result_value: object = None
        self.setWindowTitle(title)
        intro = QLabel(message, self)
        intro.setWordWrap(True)
        self.passphrase = secret_field(self, "Passphrase")
        self.problem = problem_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Unlock")
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.resize(480, self.sizeHint().height())

    def _try(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.problem.setText("Type the passphrase first.")
            return
        try:
            self.result_value = self._attempt(text)
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.accept()


class NewPassphraseDialog(QDialog):
    """Offers to protect a new workbook: ``chosen`` is the passphrase, or None for none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen: str | None = None
        self.setWindowTitle("Protect the new workbook")
        intro = QLabel(
            "A passphrase encrypts the workbook on this laptop: without it the file reveals "
            "nothing. ctdesk cannot recover a forgotten passphrase, so keep it safe.",
            self,
        )
        intro.setWordWrap(True)
        self.first = secret_field(self, "New passphrase")
        self.second = secret_field(self, "Repeat the passphrase")
        self.problem = problem_label(self)
        buttons = QDialogButtonBox(self)
        protect = buttons.addButton("&Encrypt", QDialogButtonBox.ButtonRole.AcceptRole)
        plain = buttons.addButton("&No passphrase", QDialogButtonBox.ButtonRole.RejectRole)
        protect.clicked.connect(self._protect)
        plain.clicked.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Passphrase", self.first)
        form.addRow("&Repeat it", self.second)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.resize(480, self.sizeHint().height())

    def _protect(self) -> None:
        if self.first.text() != self.second.text():
            self.problem.setText("The two passphrases differ; type the same one twice.")
            return
        try:
            self.chosen = passphrase_mod.check_new(self.first.text())
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()
