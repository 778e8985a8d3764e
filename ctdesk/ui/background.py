"""Running slow work (export, import, backup) off the UI thread, with progress and cancel.

``run_in_background`` starts the work on its own thread and returns at once; a progress dialog
appears only if the work lasts longer than about half a second. The work function receives a
``Progress``; cancelling makes its next ``update`` raise. Errors always reach the user as a
sentence: ``CtdeskError`` messages as they are, anything else logged as a bug.
"""

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ctdesk.crashlog import write_crash_log
from ctdesk.errors import CtdeskError
from ctdesk.export.progress import ExportCancelled, Progress

SHOW_AFTER_MS = 500


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Callable[[Progress], Any], stop: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._stop = stop

    @Slot()
    def run(self) -> None:
        progress = Progress(self.progressed.emit, self._stop.is_set)
        try:
            result = self._work(progress)
        except ExportCancelled:
            self.cancelled.emit()
        except CtdeskError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: log it, tell the user in a sentence
            where = write_crash_log(exc)
            self.failed.emit(
                f"Something went wrong ({type(exc).__name__}: {exc}); "
                f"details were written to {where}."
            )
        else:
            self.succeeded.emit(result)


class BackgroundOp(QObject):
    """One piece of work on its own thread. ``finished`` fires once, whatever the outcome."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self, parent: QWidget, title: str, label: str, work: Callable[[Progress], Any]
    ) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread = QThread(self)
        self._worker = _Worker(work, self._stop)
        self._worker.moveToThread(self._thread)
        self.dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)  # queued, as below
        # Bound methods of this object (which lives on the UI thread) make these connections
        # queued: the outcome is handled on the UI thread, never on the worker's.
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)

    def start(self) -> "BackgroundOp":
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress update."""
        self._stop.set()
        self.dialog.setLabelText("Cancelling…")

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setValue(min(100, 100 * done // total))

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self._end()
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)
        self.finished.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
        self.finished.emit()

    def _end(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.deleteLater()


def run_in_background(
    parent: QWidget,
    title: str,
    label: str,
    work: Callable[[Progress], Any],
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
    on_cancel: Callable[[], None] | None = None,
) -> BackgroundOp:
    """Start ``work`` on its own thread; the callbacks run on the UI thread when it ends."""
    op = BackgroundOp(parent, title, label, work)
    op.succeeded.connect(on_success)
    op.failed.connect(on_failure)
    if on_cancel is not None:
        op.cancelled.connect(on_cancel)
    return op.start()
