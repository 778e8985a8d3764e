"""Encrypted workbooks in the window: unlocking, choosing a passphrase, the idle lock."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctdesk.ui import app
from ctdesk.ui.app import build_window, open_workbook
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.passphrase_dialog import NewPassphraseDialog, UnlockDialog
from ctdesk.workbook import Workbook

SECRET = "correct horse battery staple"


def test_unlock_dialog_keeps_asking_until_the_passphrase_is_right(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workbook.create(workbook_path, passphrase=SECRET).close()
    said: list[str] = []

    def answer(dialog: UnlockDialog) -> int:
        dialog.passphrase.setText("not it at all")
        dialog._try()
        said.append(dialog.problem.text())
        dialog.passphrase.setText(SECRET)
        dialog._try()
        return int(dialog.result())

    monkeypatch.setattr(UnlockDialog, "exec", answer)
    wb = open_workbook(workbook_path, create_if_missing=False, ask=True)
    assert isinstance(wb, Workbook) and wb.passphrase == SECRET
    wb.close()
    assert "not the one that protects" in said[0]


def test_cancelling_the_unlock_opens_nothing(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workbook.create(workbook_path, passphrase=SECRET).close()
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: 0)
    assert open_workbook(workbook_path, create_if_missing=False, ask=True) is None


def test_the_environment_passphrase_opens_without_asking(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workbook.create(workbook_path, passphrase=SECRET).close()
    monkeypatch.setenv("CTDESK_PASSPHRASE", SECRET)
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: pytest.fail("asked"))
    wb = open_workbook(workbook_path, create_if_missing=False, ask=True)
    assert wb is not None and wb.encrypted
    wb.close()


def test_a_new_workbook_is_offered_a_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems: list[str] = []

    def choose(dialog: NewPassphraseDialog) -> int:
        dialog.first.setText("short")
        dialog.second.setText("short")
        dialog._protect()
        problems.append(dialog.problem.text())
        dialog.first.setText(SECRET)
        dialog.second.setText(SECRET + "!")
        dialog._protect()
        problems.append(dialog.problem.text())
        dialog.second.setText(SECRET)
        dialog._protect()
        return int(dialog.result())

    monkeypatch.setattr(NewPassphraseDialog, "exec", choose)
    path = tmp_path / "new.ctdesk"
    wb = open_workbook(path, create_if_missing=True, ask=True)
    assert wb is not None and wb.encrypted
    wb.close()
    assert "8 characters" in problems[0] and "differ" in problems[1]
    assert not path.read_bytes().startswith(b"SQLite format 3")


@pytest.fixture
def locked_window(qtbot: QtBot, workbook_path: Path) -> Iterator[MainWindow]:
    window = build_window(Workbook.create(workbook_path, passphrase=SECRET))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    yield window
    window.close()
    window.session.close()


def test_idle_window_locks_and_hides_the_workbook(qtbot: QtBot, locked_window: MainWindow) -> None:
    window = locked_window
    window.select_force("kent")
    window.new_note()
    editor = window.force_page.notes.editor
    note_id = editor.note_id
    editor.body.setFocus()
    qtbot.keyClicks(editor.body, "Typed just before the lock.")
    assert window.idle_lock is not None
    window.idle_lock.timer.setInterval(50)  # instead of minutes
    window.idle_lock.timer.start()
    qtbot.waitUntil(lambda: window.central.currentWidget() is window.lock_screen, timeout=3000)
    assert window.session.workbook.notes.get(note_id or "").body == "Typed just before the lock."
    assert not window.menuBar().isEnabled()
    assert not window.new_note_action.isEnabled() and not window.search_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.central.currentWidget() is window.lock_screen
    screen = window.lock_screen
    qtbot.keyClicks(screen.passphrase, "wrong passphrase")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert "not the passphrase" in screen.message.text()
    screen.passphrase.setText(SECRET)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert window.central.currentWidget() is window.splitter
    assert window.menuBar().isEnabled() and window.search_action.isEnabled()
    assert window.new_note_action.isEnabled()


def test_ctrl_l_locks_at_once_and_plain_workbooks_never_lock(
    qtbot: QtBot, locked_window: MainWindow, tmp_path: Path
) -> None:
    qtbot.keyClick(locked_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert locked_window.central.currentWidget() is locked_window.lock_screen
    plain = build_window(Workbook.create(tmp_path / "plain.ctdesk"))
    qtbot.addWidget(plain)
    assert plain.idle_lock is None and not plain.lock_action.isEnabled()
    plain.session.close()


def test_first_run_screenshot_needs_no_dialog(tmp_path: Path) -> None:
    # --screenshot never asks: no passphrase dialog on a new workbook.
    assert (
        app.run(tmp_path / "s.ctdesk", create_if_missing=True, screenshot_to=tmp_path / "s.png")
        == 0
    )


def test_a_workbook_open_elsewhere_opens_read_only_when_asked(
    qtbot: QtBot, workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    elsewhere = Workbook.create(workbook_path)
    note_id = elsewhere.notes.add(force="kent", title="Theirs", body="Their words.").value.id
    asked: list[str] = []

    def click_read_only(box: QMessageBox) -> int:
        asked.append(box.text())
        box.buttons()[0].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_read_only)
    wb = open_workbook(workbook_path, create_if_missing=False, ask=True)
    assert wb is not None and wb.read_only
    assert "open for writing in ctdesk on" in asked[0]
    window = build_window(wb)
    qtbot.addWidget(window)
    window.show()
    assert "read-only" in window.windowTitle()
    window.select_force("kent")
    editor = window.force_page.notes.editor
    assert editor.note_id == note_id and editor.body.isReadOnly()
    assert not window.new_note_action.isEnabled() and not window.delete_action.isEnabled()
    assert not window.backups_action.isEnabled() and not window.history_action.isEnabled()
    assert not window.force_page.notes.new_button.isEnabled()
    window.force_page.tabs.setCurrentWidget(window.force_page.evidence)
    assert not window.force_page.evidence.register_button.isEnabled()
    assert not window.force_page.evidence.filter_text.isReadOnly()
    assert window.force_page.notes.area_filter.isEnabled()  # looking stays possible
    window.close()
    window.session.close()
    elsewhere.close()


def test_cancelling_opens_nothing_and_the_cli_is_told_plainly(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ctdesk.errors import CtdeskError

    elsewhere = Workbook.create(workbook_path)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[1].click() or 0)
    assert open_workbook(workbook_path, create_if_missing=False, ask=True) is None
    with pytest.raises(CtdeskError, match="close it there first"):
        open_workbook(workbook_path, create_if_missing=False, ask=False)
    elsewhere.close()


def test_a_workbook_in_a_synced_folder_is_flagged_for_as_long_as_it_is_open(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    synced = tmp_path / "OneDrive - Inspectorate" / "fieldwork.ctdesk"
    window = build_window(Workbook.create(synced))
    qtbot.addWidget(window)
    labels = [w for w in window.statusBar().findChildren(QLabel) if "synced" in w.text()]
    assert labels and "OneDrive" in labels[0].toolTip()
    window.session.close()


def test_the_lock_hides_running_work_without_cancelling_it(
    qtbot: QtBot, locked_window: MainWindow
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    window = locked_window
    progress = QProgressDialog("Exporting Kent Police…", "Cancel", 0, 100, window)
    progress.setMinimumDuration(0)
    progress.setValue(10)
    qtbot.waitUntil(progress.isVisible, timeout=3000)
    window.lock()
    assert not progress.isVisible() and not progress.wasCanceled()
    progress.setValue(50)  # the work goes on behind the lock
    assert not progress.isVisible()
    window.unlock(SECRET)
    assert progress.isVisible() and not progress.wasCanceled()
