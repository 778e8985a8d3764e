"""Showing problems to the inspector: a sentence in a message box, never a traceback."""

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from ctdesk.crashlog import write_crash_log


def show_error(parent: QWidget | None, exc: BaseException | str, title: str = "ctdesk") -> None:
    """Tell the user what went wrong in one sentence."""
    QMessageBox.warning(parent, title, str(exc))


def install_excepthook() -> None:
    """Unexpected errors in slots: log the traceback, show a sentence, keep the app running."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        where = write_crash_log(exc)
        traceback.print_exception(kind, exc, tb)
        QMessageBox.critical(
            None,
            "ctdesk",
            f"Something went wrong ({type(exc).__name__}: {exc}). Your saved work is safe; "
            f"details were written to {where}.",
        )

    sys.excepthook = hook
