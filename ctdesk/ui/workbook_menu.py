"""File → New workbook, Open workbook and Open recent: choosing another workbook.

The menu only chooses; ``open_requested(path, create)`` asks the application to open it in
place of this window's (``ctdesk.ui.app.switch``: passphrase, read-only offer and all).
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from ctdesk import paths, recent_workbooks
from ctdesk.ui.errors import show_error

if TYPE_CHECKING:
    from ctdesk.ui.main_window import MainWindow

FILTER = f"ctdesk workbooks (*{paths.WORKBOOK_SUFFIX});;All files (*)"


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same path, a link to it, or another spelling)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def recent_label(path: Path, *, missing: bool) -> str:
    """``fieldwork — /home/jo/Documents`` (the folder tells two of a name apart)."""
    label = f"{path.stem} — {path.parent}"
    return f"{label} (not found)" if missing else label


def _free_name(folder: Path, stem: str) -> Path:
    """``stem.ctdesk`` in ``folder``, or ``stem-2.ctdesk``… if that is taken."""
    candidate = folder / f"{stem}{paths.WORKBOOK_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{paths.WORKBOOK_SUFFIX}"
        number += 1
    return candidate


class WorkbookMenu(QObject):
    """The actions (``new_action``, ``open_action``) and the ``recent_menu`` submenu."""

    open_requested = Signal(object, bool)  # (Path, create): open it here, or make it first

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self._window = window
        # The window's actions: locking the window turns them off with the rest.
        self.new_action = QAction("&New workbook…", window)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.triggered.connect(lambda _checked=False: self.new_workbook())
        self.open_action = QAction("&Open workbook…", window)
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(lambda _checked=False: self.open_workbook())
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()

    @property
    def _current(self) -> Path:
        return self._window.session.workbook.path

    def add_to(self, menu: QMenu) -> None:
        """Put New, Open and Open recent at the end of ``menu``."""
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        menu.addMenu(self.recent_menu)

    # ---- choosing -----------------------------------------------------------------------------
    def new_workbook(self) -> None:
        """Ask where the new workbook goes, then have it made (a passphrase is offered)."""
        suggested = _free_name(self._current.parent, "workbook")
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, "New workbook", str(suggested), FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != paths.WORKBOOK_SUFFIX:
            path = path.with_name(path.name + paths.WORKBOOK_SUFFIX)
        if path.exists():
            show_error(
                self._window,
                f"There is already a file at {path}; ctdesk never overwrites one, so choose a "
                "new name for the new workbook.",
            )
            return
        self.open_requested.emit(path, True)

    def open_workbook(self) -> None:
        """Ask which workbook to open."""
        chosen, _ = QFileDialog.getOpenFileName(
            self._window, "Open workbook", str(self._current.parent), FILTER
        )
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path) -> None:
        """Open the workbook at ``path`` here (not if it is the one already open)."""
        if same_file(path, self._current):
            self._window.statusBar().showMessage(
                f"{path.name} is the workbook open in this window.", 8000
            )
            return
        if not path.exists():
            recent_workbooks.remove(path)
            show_error(
                self._window,
                f"There is no workbook at {path} any more; it may have been moved, renamed "
                "or be on a drive that is not connected.",
            )
            return
        self.open_requested.emit(path, False)

    # ---- the recent list ----------------------------------------------------------------------
    def fill_recent(self) -> None:
        """The workbooks opened lately, most recent first, without the one open here; one that
        is no longer where it was is shown, greyed and marked "(not found)"."""
        menu = self.recent_menu
        menu.clear()
        others = [p for p in recent_workbooks.load() if not same_file(p, self._current)]
        for number, path in enumerate(others, 1):
            missing = not path.exists()
            shown = recent_label(path, missing=missing).replace("&", "&&")  # no stray mnemonic
            action = menu.addAction(f"&{number} {shown}" if number < 10 else shown)
            action.setToolTip(str(path))
            action.setEnabled(not missing)
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not others:
            empty = menu.addAction("No other workbooks opened lately")
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("&Clear list")
        clear.setEnabled(bool(others))
        clear.triggered.connect(lambda _checked=False: self.clear_recent())

    def clear_recent(self) -> None:
        """Forget every workbook but the one open here."""
        recent_workbooks.clear()
        recent_workbooks.add(self._current)
        self.fill_recent()
        self._window.statusBar().showMessage("Cleared the list of recent workbooks.", 5000)
