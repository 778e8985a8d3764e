"""File → New workbook, Open workbook, Open recent: another workbook in place of this one."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ctdesk import passphrase, recent_workbooks
from ctdesk.ui import app
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.passphrase_dialog import NewPassphraseDialog, UnlockDialog
from ctdesk.ui.workbook_menu import recent_label
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

SECRET = "correct horse battery staple"


@pytest.fixture
def switching(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[MainWindow, list]]:
    """A window whose requests to open another workbook are carried out (as ``app.show``
    arranges); the windows that replace it are collected, and closed at the end."""
    backed_up: list[MainWindow] = []  # the backup on opening, not run on a thread here
    monkeypatch.setattr(MainWindow, "back_up_quietly", lambda self: backed_up.append(self))
    window = open_window()
    replaced: list[MainWindow | None] = []
    window.workbook_menu.open_requested.connect(
        lambda path, create: replaced.append(app.switch(window, path, create=create))
    )
    yield window, replaced
    assert backed_up == [new for new in replaced if new is not None]
    for new in replaced:
        if new is not None:
            new.close()
            new.session.close()


def test_new_workbook_asks_where_offers_a_passphrase_and_opens_it(
    qtbot: QtBot,
    switching: tuple[MainWindow, list],
    tmp_path: Path,
    workbook_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, replaced = switching
    window.select_force("kent")
    asked: list[str] = []

    def save_as(parent: object, title: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(Path(suggested).name)
        return str(tmp_path / "second"), filters  # no suffix typed: .ctdesk is added

    def encrypt(dialog: NewPassphraseDialog) -> int:
        dialog.first.setText(SECRET)
        dialog.second.setText(SECRET)
        dialog._protect()
        return int(dialog.result())

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(NewPassphraseDialog, "exec", encrypt)
    assert window.workbook_menu.new_action.shortcut().toString() == "Ctrl+Shift+N"
    window.workbook_menu.new_action.trigger()
    assert asked == ["workbook.ctdesk"]  # a free name beside the open workbook
    [new] = replaced
    assert new is not None
    created = tmp_path / "second.ctdesk"
    assert new.session.workbook.path == created and new.session.workbook.encrypted
    assert passphrase.is_encrypted(created)
    assert new.windowTitle() == "second — OFFICIAL — ctdesk"
    assert not window.isVisible()
    assert new.force_page.force is not None and new.force_page.force.id == "kent"  # same place
    # The old workbook was let go: another ctdesk can have it for writing.
    with Workbook.open(workbook_path) as again:
        assert again.claim() is None
    assert recent_workbooks.load()[0] == created


def test_new_workbook_never_overwrites(
    qtbot: QtBot,
    switching: tuple[MainWindow, list],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, replaced = switching
    taken = tmp_path / "taken.ctdesk"
    taken.write_text("someone's file", encoding="utf-8")
    said: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(taken), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    window.workbook_menu.new_workbook()
    assert replaced == [] and "never overwrites" in said[0]
    assert taken.read_text(encoding="utf-8") == "someone's file"


def test_open_workbook_asks_its_passphrase_and_switches(
    qtbot: QtBot,
    switching: tuple[MainWindow, list],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, replaced = switching
    other = tmp_path / "other.ctdesk"
    with Workbook.create(other, passphrase=SECRET) as wb:
        wb.notes.add(force="kent", title="Theirs", marking="OFFICIAL-SENSITIVE")

    def unlock(dialog: UnlockDialog) -> int:
        dialog.passphrase.setText(SECRET)
        dialog._try()
        return int(dialog.result())

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(other), ""))
    monkeypatch.setattr(UnlockDialog, "exec", unlock)
    assert window.workbook_menu.open_action.shortcut().toString() == "Ctrl+O"
    window.workbook_menu.open_action.trigger()
    [new] = replaced
    assert new is not None and new.session.workbook.path == other
    assert new.windowTitle() == "other — OFFICIAL-SENSITIVE — ctdesk"
    assert new.workbook_status.lock.text() == "Unlocked"


def test_cancelling_the_passphrase_keeps_this_workbook(
    qtbot: QtBot,
    switching: tuple[MainWindow, list],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, replaced = switching
    other = tmp_path / "other.ctdesk"
    Workbook.create(other, passphrase=SECRET).close()
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: 0)
    window.workbook_menu.open_path(other)
    assert replaced == [None] and window.isVisible()
    window.session.apply(lambda wb: wb.notes.add(force="kent", title="Still writable"))


def test_opening_the_workbook_already_open_changes_nothing(
    qtbot: QtBot, switching: tuple[MainWindow, list], workbook_path: Path
) -> None:
    window, replaced = switching
    window.workbook_menu.open_path(workbook_path)
    assert replaced == []
    assert "open in this window" in window.statusBar().currentMessage()


def test_a_workbook_open_elsewhere_is_offered_read_only(
    qtbot: QtBot,
    switching: tuple[MainWindow, list],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, replaced = switching
    other = tmp_path / "other.ctdesk"
    elsewhere = Workbook.create(other)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[0].click() or 0)
    window.workbook_menu.open_path(other)
    [new] = replaced
    assert new is not None and new.session.workbook.read_only
    assert new.windowTitle() == "other (read-only) — OFFICIAL — ctdesk"
    assert new.workbook_status.lock.text().startswith("Read-only")
    elsewhere.close()


def test_open_recent_lists_the_others_and_opens_one(
    qtbot: QtBot, switching: tuple[MainWindow, list], tmp_path: Path, workbook_path: Path
) -> None:
    window, replaced = switching
    first, gone = tmp_path / "first.ctdesk", tmp_path / "gone.ctdesk"
    with Workbook.create(first) as wb:
        wb.notes.add(force="kent", title="In the first", marking="OFFICIAL")
    for path in (gone, first, workbook_path):
        recent_workbooks.add(path)
    menu = window.workbook_menu.recent_menu
    window.workbook_menu.fill_recent()  # as the submenu opens
    items = [a for a in menu.actions() if not a.isSeparator()]
    texts = [a.text() for a in items]
    # Most recent first, without the open one; the missing one greyed and said so.
    assert texts == [
        f"&1 {recent_label(first, missing=False)}",
        f"&2 {recent_label(gone, missing=True)}",
        "&Clear list",
    ]
    assert "(not found)" in texts[1] and not items[1].isEnabled() and items[0].isEnabled()
    items[0].trigger()
    [new] = replaced
    assert new is not None and new.session.workbook.path == first
    assert recent_workbooks.load()[:2] == [first, workbook_path]
    new.workbook_menu.fill_recent()
    assert new.workbook_menu.recent_menu.actions()[0].text().endswith(workbook_path.parent.name)


def test_clear_list_keeps_only_the_open_workbook(
    qtbot: QtBot, switching: tuple[MainWindow, list], tmp_path: Path, workbook_path: Path
) -> None:
    window, _replaced = switching
    recent_workbooks.add(tmp_path / "a.ctdesk")
    recent_workbooks.add(workbook_path)
    window.workbook_menu.fill_recent()
    [clear] = [a for a in window.workbook_menu.recent_menu.actions() if a.text() == "&Clear list"]
    clear.trigger()
    assert recent_workbooks.load() == [workbook_path]
    texts = [a.text() for a in window.workbook_menu.recent_menu.actions() if not a.isSeparator()]
    assert texts == ["No other workbooks opened lately", "&Clear list"]


def test_the_file_menu_starts_with_new_open_and_recent(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()[:3]]
    assert texts == ["&New workbook…", "&Open workbook…", "Open &recent"]


def test_the_application_shows_a_window_and_remembers_it(
    qtbot: QtBot, workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[MainWindow] = []
    window = app.build_window(Workbook.create(workbook_path))
    qtbot.addWidget(window)
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    app.show(window)
    assert shown == [window] and recent_workbooks.load() == [workbook_path]
    app._windows.remove(window)
    window.session.close()
