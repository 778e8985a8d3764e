"""GUI fixtures: a main window on a temporary workbook."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ctdesk.ui.app import build_window
from ctdesk.ui.main_window import MainWindow
from ctdesk.workbook import Workbook

OpenWindow = Callable[[], MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot, workbook_path: Path) -> Iterator[OpenWindow]:
    """Opens (or re-opens) the main window on the test workbook, creating it the first time."""
    windows: list[MainWindow] = []

    def opener() -> MainWindow:
        if workbook_path.exists():
            wb = Workbook.open(workbook_path)
        else:
            wb = Workbook.create(workbook_path)
        window = build_window(wb)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        if window.isVisible():
            window.close()
        window.session.close()
