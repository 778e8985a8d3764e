"""Small widgets the dialogs share: a passphrase field, a line saying what went wrong."""

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from ctdesk.ui.theme import set_tone


def secret_field(parent: QWidget, name: str) -> QLineEdit:
    """A field whose text is hidden as typed (a passphrase), named ``name`` for screen readers."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


def problem_label(parent: QWidget) -> QLabel:
    """A wrapped line in the problem tone, for the sentence saying what went wrong."""
    label = QLabel(parent)
    set_tone(label, "problem")
    label.setWordWrap(True)
    label.setAccessibleName("Problem")
    return label
