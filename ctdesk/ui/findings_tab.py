"""Placeholder during development; replaced by the real tab."""

from PySide6.QtWidgets import QLabel, QWidget

from ctdesk.ui.session import Session


class FindingsTab(QLabel):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def show_force(self, force_id: str) -> None:
        pass
