"""Locking an encrypted workbook's window after a spell without use.

While locked the window shows only a passphrase field: the workbook's content, menus and
shortcuts are out of reach until the passphrase is given again. Edits are saved first.
"""

import hmac

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class LockScreen(QWidget):
    """What a locked window shows: a passphrase field and nothing of the workbook."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h2>ctdesk is locked</h2>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel("Type the workbook's passphrase to carry on.", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setFixedWidth(self.fontMetrics().averageCharWidth() * 48)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setFixedWidth(self.fontMetrics().averageCharWidth() * 40)
        self.button = QPushButton("&Unlock", self)
        self.button.setAccessibleName("Unlock")
        self.button.clicked.connect(self._request)
        self.passphrase.returnPressed.connect(self._request)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, self.message, self.passphrase, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _request(self) -> None:
        self.unlock_requested.emit(self.passphrase.text())

    def reset(self) -> None:
        self.passphrase.clear()
        self.message.setText("Type the workbook's passphrase to carry on.")
        self.passphrase.setFocus()


class IdleLock(QObject):
    """Watches the application's input; after ``minutes`` without any, emits ``lock_due``.

    ``unlock(typed)`` says whether ``typed`` is the passphrase (compared in constant time).
    """

    lock_due = Signal()

    def __init__(self, passphrase: str, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._passphrase = passphrase
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._due)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        """0 turns locking off."""
        self.timer.stop()
        self.timer.setInterval(max(0, minutes) * 60_000)
        if minutes > 0 and not self.locked:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.locked and self.timer.interval() > 0:
            self.timer.start()  # any use starts the count again
        return False

    def _due(self) -> None:
        if not self.locked:
            self.lock_due.emit()

    def matches(self, typed: str) -> bool:
        return hmac.compare_digest(typed.encode("utf-8"), self._passphrase.encode("utf-8"))
