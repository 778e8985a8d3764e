"""The search page: a box, filters, and results that follow the typing.

Searches run on a thread of their own with a read-only connection, so typing never waits for
the workbook; only the newest query's results are shown.
"""

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.crashlog import write_crash_log
from ctdesk.dates import day_start_utc
from ctdesk.errors import CtdeskError
from ctdesk.search import KINDS, Filters, Hit, Results, Searcher, SearchInterrupted
from ctdesk.ui.search_model import HIT_ROLE, HitDelegate, SearchResultsModel
from ctdesk.ui.session import Session

DEBOUNCE_MS = 150
_ANY_DATE = QDate(2000, 1, 1)


class _SearchWorker(QObject):
    """Lives on the search thread; skips queries that newer ones have replaced."""

    finished = Signal(int, object)  # request number, Results
    failed = Signal(int, str)

    def __init__(self, path: Path, passphrase: str | None) -> None:
        super().__init__()
        self._path = path
        self._passphrase = passphrase
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()
        self._latest = 0
        self._running: int | None = None

    def supersede(self, request: int) -> None:
        """Called from the UI thread: ``request`` is now the only one worth answering; a
        search still running for an older one is interrupted."""
        with self._lock:
            self._latest = request
            if self._running is not None and self._running != request and self._searcher:
                self._searcher.interrupt()

    @Slot(int, str, object, int)
    def run(self, request: int, text: str, filters: Filters, limit: int) -> None:
        with self._lock:
            if request != self._latest:
                return
            self._running = request
        try:
            if self._searcher is None:
                self._searcher = Searcher(self._path, self._passphrase)
            results = self._searcher.search(text, filters, limit)
        except SearchInterrupted:
            return  # a newer query replaced this one
        except CtdeskError as exc:
            self.failed.emit(request, str(exc))
        except Exception as exc:  # a bug: log it, say so in a sentence
            where = write_crash_log(exc)
            self.failed.emit(request, f"The search failed ({exc}); details are in {where}.")
        else:
            self.finished.emit(request, results)
        finally:
            with self._lock:
                self._running = None

    @Slot()
    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class SearchPage(QWidget):
    """Type to search; Enter or a double click opens the hit (``open_requested``)."""

    open_requested = Signal(object, object)  # Hit, the words to mark in its text
    results_shown = Signal(object)  # Results, once they are on screen
    _requested = Signal(int, str, object, int)
    _closing = Signal()

    LIMIT = 200

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._request = 0
        self._shown: Results | None = None
        self._open_when_shown = False
        self._stale = False  # the records changed while the page was hidden
        wb = session.workbook
        scope = wb.scope

        heading = QLabel("<h2 style='margin:0'>Search</h2>", self)
        self.box = QLineEdit(self)
        self.box.setAccessibleName("Search notes, evidence and findings")
        self.box.setPlaceholderText('Words to find — "a phrase", prefix*, -leave-out, this OR that')
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)

        self.kind = self._combo(
            "Kind of record",
            [("All records", None)] + [(label, kind) for kind, label in KINDS.items()],
        )
        self.region = self._combo(
            "CT region", [("All regions", None)] + [(r.name, r.id) for r in scope.regions]
        )
        forces = sorted(scope.forces, key=lambda f: f.name)
        self.force = self._combo(
            "Force",
            [("All forces", None), ("National and cross-force", "national")]
            + [(f.name, f.id) for f in forces],
        )
        areas = scope.current.areas
        self.area = self._combo("Area", [("All areas", None)] + [(a.label, a.id) for a in areas])
        self.marking = self._combo(
            "Protective marking",
            [
                ("Any marking", None),
                ("OFFICIAL", "OFFICIAL"),
                ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ],
        )
        self.author = QLineEdit(self)
        self.author.setAccessibleName("Author")
        self.author.setPlaceholderText("Anyone")
        self.author.setClearButtonEnabled(True)
        self.author.textChanged.connect(self.schedule)
        self.since = self._date("Changed on or after")
        self.until = self._date("Changed on or before")

        filters = QGridLayout()
        cells: list[tuple[str, QWidget]] = [
            ("&Kind", self.kind),
            ("&Region", self.region),
            ("F&orce", self.force),
            ("&Area", self.area),
            ("&Marking", self.marking),
            ("Au&thor", self.author),
            ("&Since", self.since),
            ("&Until", self.until),
        ]
        for n, (label, widget) in enumerate(cells):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption, n // 4, (n % 4) * 2)
            filters.addWidget(widget, n // 4, (n % 4) * 2 + 1)
            filters.setColumnStretch((n % 4) * 2 + 1, 1)

        self.status = QLabel("Type to search every note, document and finding.", self)
        self.status.setAccessibleName("Search status")
        self.model = SearchResultsModel(scope, self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._activated)
        self.results.doubleClicked.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.box)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)
        self.box.textChanged.connect(self.schedule)

        self._thread = QThread()
        self._thread.setObjectName("ctdesk-search")
        self._worker = _SearchWorker(wb.path, wb.passphrase)
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.run)
        self._closing.connect(self._worker.close)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        # However the page goes (window closed, app quitting), the thread stops first.
        thread, closing = self._thread, self._closing
        self.destroyed.connect(lambda: _stop(thread, None))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: _stop(thread, closing))
        session.changed.connect(self._on_changed)

    def _combo(self, name: str, items: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        # Long force and area names must not set the window's minimum width.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.schedule)
        return combo

    def _date(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(_ANY_DATE)
        edit.setSpecialValueText("any date")  # shown at the minimum: no limit
        edit.setDate(_ANY_DATE)
        edit.dateChanged.connect(self.schedule)
        return edit

    def filters(self) -> Filters:
        """The filters as set in the page's controls."""

        def day(edit: QDateEdit, days_after: int) -> str | None:
            if edit.date() == _ANY_DATE:
                return None
            return day_start_utc(edit.date().toString(Qt.DateFormat.ISODate), days_after)

        return Filters(
            kind=self.kind.currentData(),
            region_id=self.region.currentData(),
            force_id=self.force.currentData(),
            area_id=self.area.currentData(),
            marking_label=self.marking.currentData(),
            author=self.author.text().strip() or None,
            since=day(self.since, 0),
            before=day(self.until, 1),
        )

    def focus_search(self, text: str | None = None) -> None:
        """Put the cursor in the box (with ``text``, if given), all of it selected."""
        if text is not None:
            self.box.setText(text)
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def schedule(self) -> None:
        """Search shortly, once the typing pauses."""
        self._timer.start()

    def run_now(self) -> None:
        """Start the search for what the page shows now."""
        self._timer.stop()
        self._request += 1
        text = self.box.text()
        self._worker.supersede(self._request)
        if not text.strip():
            self._show(Results(text), "Type to search every note, document and finding.")
            return
        self.status.setText("Searching…")
        if not self._thread.isRunning():
            self._thread.start()  # the first search: most sessions never need the thread
        self._requested.emit(self._request, text, self.filters(), self.LIMIT)

    @Slot(int, object)
    def _finished(self, request: int, results: Results) -> None:
        if request != self._request:
            return  # a newer query is on its way
        if results.total == 0:
            message = "Nothing matches. Try fewer words, a prefix* or fewer filters."
        elif results.windowed:
            message = (
                f"{results.total:,} matches; the best {len(results.hits)} of the "
                f"{results.ranked:,} most recently written are shown. Add words to narrow."
            )
        elif results.total > len(results.hits):
            message = f"{results.total:,} matches; the best {len(results.hits)} are shown."
        else:
            message = f"{results.total:,} match" + ("es." if results.total != 1 else ".")
        self._show(results, message)

    @Slot(int, str)
    def _failed(self, request: int, message: str) -> None:
        if request == self._request:
            self._show(Results(self.box.text()), message)

    def _show(self, results: Results, message: str) -> None:
        self._shown = results
        self.model.set_results(results)
        self.status.setText(message)
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.results_shown.emit(results)
        if self._open_when_shown:
            self._open_when_shown = False
            self.open_current()

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        searched = any(changes.touches(kind) for kind in KINDS)
        if not searched or not self.box.text().strip():
            return
        if self.isVisible():
            self.schedule()
        else:
            self._stale = True  # search again when the page is next shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.run_now()

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, Hit):
            # The words as they appear in the record, then as typed (a match in a title only).
            matched = [hit.snippet[start:end] for start, end in hit.spans]
            typed = list(self._shown.words) if self._shown else []
            self.open_requested.emit(hit, list(dict.fromkeys(matched + typed)))

    def open_current(self) -> bool:
        """Open the selected hit (the best one unless another was picked)."""
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if not index.isValid():
            return False
        self._activated(index)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if (
                    self._timer.isActive()
                    or self._shown is None
                    or (self._shown.text != self.box.text())
                ):
                    # Enter before the results caught up: open the best when they arrive.
                    self._open_when_shown = True
                    self.run_now()
                    return True
                self.open_current()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.model.rowCount():
                self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def shutdown(self) -> None:
        """Stop the search thread (idempotent); call before the window goes."""
        self._worker.supersede(-1)  # interrupts a search still running
        _stop(self._thread, self._closing)


def _stop(thread: QThread, closing: Signal | None) -> None:
    """Close the worker's connection (when its page still exists) and end the thread."""
    if not shiboken6.isValid(thread):  # already gone at interpreter exit
        return
    if thread.isRunning():
        if closing is not None:
            closing.emit()
        thread.quit()
        thread.wait()
