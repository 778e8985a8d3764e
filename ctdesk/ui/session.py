"""The open workbook as the GUI sees it: services plus one application-wide change signal.

Every write goes through ``Session.apply``, which emits what changed once and records an undo
step for each record it changed; views refresh only what they show and never reach into the
store themselves.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ctdesk import storage
from ctdesk.changes import Changed, Changes
from ctdesk.errors import WorkbookError
from ctdesk.ui.undo import RecordCommand, label_for
from ctdesk.workbook import Workbook

T = TypeVar("T")


class Session(QObject):
    """Owns the open ``Workbook`` on the UI thread."""

    # (Changes, origin): origin is the object that asked for the change, so an editor can ignore
    # the echo of its own autosave.
    changed = Signal(object, object)
    failed = Signal(str)  # a sentence for the user (e.g. an undo step that no longer applies)

    def __init__(self, workbook: Workbook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.undo_stack = QUndoStack(self)

    def apply(self, write: Callable[[Workbook], Changed[T]], origin: Any = None) -> T:
        """Run a service write, record it for undo, and announce its changes.

        Exceptions (``CtdeskError`` for the user's mistakes) propagate to the caller; the store
        refusing a write (full disk, read-only file) becomes a ``WorkbookError`` saying so.
        """
        try:
            result = write(self.workbook)
        except storage.StoreError as exc:
            message = storage.explain(exc)
            if message is None:
                raise
            raise WorkbookError(message) from exc
        if result.changes:
            self._record_undo(result.changes)
            self.changed.emit(result.changes, origin)
        return result.value

    def _record_undo(self, changes: Changes) -> None:
        services = self.workbook.record_kinds()
        for kind in changes.kinds:
            service = services.get(kind)
            if service is None:
                continue
            for record_id in changes.ids:
                if not service.exists(record_id):
                    continue
                head = service.history(record_id)[-1]
                title = str(head.content.get("title") or head.content.get("text") or "")
                before = head.parents[0] if head.parents else None
                label = label_for(head.op, service.noun, title.split("\n")[0])
                self.undo_stack.push(RecordCommand(self, kind, record_id, before, head.hash, label))

    def announce(self, changes: Changes, origin: Any = None) -> None:
        if changes:
            self.changed.emit(changes, origin)

    def close(self) -> None:
        self.undo_stack.clear()
        self.workbook.close()
