"""Progress and cancellation for long exports, without any UI: a callback and a flag."""

from collections.abc import Callable

from ctdesk.errors import CtdeskError


class ExportCancelled(CtdeskError):
    """The user cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; nothing was written.")


class Progress:
    """Renderers call ``update(done, total)`` now and then; it raises once cancel is asked."""

    def __init__(
        self,
        report: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._report = report
        self._cancelled = cancelled

    def update(self, done: int, total: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled()
        if self._report is not None:
            self._report(done, total)


NO_PROGRESS = Progress()
