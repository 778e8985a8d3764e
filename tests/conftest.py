"""Shared fixtures. Qt runs offscreen; every test gets its own folders and workbook."""

import os

# Before any QApplication exists: draw offscreen, on a screen the size of a common laptop's
# (the offscreen platform's default is 800x800).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _screen = os.path.join(os.path.dirname(__file__), "offscreen_screen.json")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

AUTHOR = "Test Inspector"

# One QApplication for the whole run, made before any test: the PDF renderer would otherwise
# create a bare QGuiApplication, which widget tests cannot use.
_APP = QApplication.instance() or QApplication([])


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, data and logs live under the test's own folder; no real user files touched."""
    home = tmp_path / "home"
    monkeypatch.setenv("CTDESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("CTDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CTDESK_LOG_DIR", str(home / "log"))
    monkeypatch.setenv("CTDESK_AUTHOR", AUTHOR)
    monkeypatch.delenv("CTDESK_WORKBOOK", raising=False)
    # An inspector who has been through first run; tests of first run remove this file.
    Settings(author=AUTHOR).save(home / "config")
    return home


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return tmp_path / "fieldwork.ctdesk"


@pytest.fixture
def workbook(workbook_path: Path) -> Iterator[Workbook]:
    wb = Workbook.create(workbook_path)
    yield wb
    wb.close()


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected fails the test instead of hanging the run.

    Tests that expect one replace these with their own (their monkeypatch comes later).
    """
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args: object, **kwargs: object) -> None:
        texts = [str(a) for a in args if isinstance(a, str)]
        raise AssertionError(f"unexpected message box: {' | '.join(texts)}")

    for name in ("warning", "critical", "question", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
