"""The open workbook as the GUI sees it: services plus one application-wide change signal.

Every write goes through ``Session.apply``, which emits what changed once; views refresh only what
they show and never reach into the store themselves.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ctdesk.changes import Changed, Changes
from ctdesk.workbook import Workbook

T = TypeVar("T")


class Session(QObject):
    """Owns the open ``Workbook`` on the UI thread."""

    # (Changes, origin): origin is the object that asked for the change, so an editor can ignore
    # the echo of its own autosave.
    changed = Signal(object, object)

    def __init__(self, workbook: Workbook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook

    def apply(self, write: Callable[[Workbook], Changed[T]], origin: Any = None) -> T:
        """Run a service write and announce its changes; exceptions propagate to the caller."""
        result = write(self.workbook)
        if result.changes:
            self.changed.emit(result.changes, origin)
        return result.value

    def announce(self, changes: Changes, origin: Any = None) -> None:
        if changes:
            self.changed.emit(changes, origin)

    def close(self) -> None:
        self.workbook.close()
