"""Starting the GUI: window state restored, bad workbooks told in a sentence, never a crash."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ctdesk.ui import app
from tests.ui.conftest import OpenWindow


def test_geometry_and_force_are_restored(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.resize(1000, 640)
    window.select_force("devon-and-cornwall")
    window.close()
    window.session.close()
    again = open_window()
    assert (again.width(), again.height()) == (1000, 640)
    assert again.navigator.selected_force() == "devon-and-cornwall"
    assert again.force_page.force is not None
    assert again.force_page.force.name == "Devon and Cornwall Police"


def test_not_a_workbook_is_a_message_not_a_crash(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "photo.ctdesk"
    path.write_bytes(b"\x89PNG not a database" * 50)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert app.run(path, create_if_missing=False) == 1
    assert len(shown) == 1 and "not a ctdesk workbook" in shown[0]
    assert path.read_bytes() == b"\x89PNG not a database" * 50


def test_missing_named_workbook_asks_before_creating(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "typo.ctdesk"
    asked: list[str] = []

    def say_no(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    assert app.run(path, create_if_missing=False) == 1
    assert "no workbook" in asked[0] and not path.exists()


def test_default_workbook_is_created_on_first_run(
    qtbot: QtBot, isolated_folders: Path, tmp_path: Path
) -> None:
    path = isolated_folders / "data" / "workbook.ctdesk"
    shot = tmp_path / "first.png"
    assert app.run(path, create_if_missing=True, screenshot_to=shot) == 0
    assert path.exists() and shot.stat().st_size > 10_000


def test_first_run_asks_who_you_are(
    qtbot: QtBot, isolated_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctdesk.settings import Settings
    from ctdesk.ui.welcome_dialog import WelcomeDialog

    (isolated_folders / "config" / "settings.json").unlink()
    seen: list[str] = []

    def fill(dialog: WelcomeDialog) -> int:
        seen.append(dialog.windowTitle())
        dialog.name.setText("Jo Bloggs")
        dialog.initials.setText("jb")
        dialog.start()  # no passphrase typed: none, and not asked again
        return int(dialog.result())

    monkeypatch.setattr(WelcomeDialog, "exec", fill)
    monkeypatch.setattr(app.NewPassphraseDialog, "exec", lambda self: pytest.fail("asked"))
    monkeypatch.setattr(app.MainWindow, "show", lambda self: None)
    monkeypatch.setattr(app.QApplication, "exec", lambda self: 0)
    assert app.run(tmp_path / "new.ctdesk", create_if_missing=True) == 0
    assert seen == ["Welcome to ctdesk"]
    saved = Settings.load()
    assert (saved.author, saved.initials) == ("Jo Bloggs", "JB")
    from ctdesk.workbook import Workbook

    with Workbook.open(tmp_path / "new.ctdesk") as wb:
        assert wb.notes.add(force="kent", title="t").value.author == "Jo Bloggs"
        assert wb.notes.all()[0].marking == "OFFICIAL-SENSITIVE"  # the default, not asked
