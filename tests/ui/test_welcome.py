"""First run: the welcome asks name and initials, offers a passphrase and a demo workbook."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from ctdesk import first_run, passphrase, recent_workbooks
from ctdesk.settings import Settings
from ctdesk.ui import app
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.passphrase_dialog import NewPassphraseDialog
from ctdesk.ui.welcome_dialog import MARKINGS_LINES, WelcomeDialog
from ctdesk.workbook import Workbook

SECRET = "correct horse battery staple"
Answer = Callable[[WelcomeDialog], None]


@pytest.fixture
def first_time(isolated_folders: Path) -> Path:
    """No settings yet: ctdesk has never run for this inspector."""
    (isolated_folders / "config" / "settings.json").unlink()
    return isolated_folders


@pytest.fixture
def started(
    qtbot: QtBot, first_time: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Path, Answer], MainWindow | None]]:
    """Runs ctdesk on a workbook with the welcome answered by ``answer``; gives the window."""
    shown: list[MainWindow] = []
    monkeypatch.setattr(app.MainWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(app.QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(NewPassphraseDialog, "exec", lambda self: pytest.fail("asked again"))

    def start(path: Path, answer: Answer) -> MainWindow | None:
        def exec_(dialog: WelcomeDialog) -> int:
            answer(dialog)
            qtbot.waitUntil(lambda: not dialog._busy, timeout=20000)
            return int(dialog.result())

        monkeypatch.setattr(WelcomeDialog, "exec", exec_)
        assert app.run(path, create_if_missing=True) in (0, 1)
        return shown[-1] if shown else None

    yield start
    for window in shown:
        window.session.close()


def test_the_welcome_says_what_markings_are_in_two_lines(qtbot: QtBot, first_time: Path) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Welcome to ctdesk"
    assert len(MARKINGS_LINES) == 2
    assert "OFFICIAL-SENSITIVE" in MARKINGS_LINES[0] and "top and bottom" in MARKINGS_LINES[1]
    for button in (dialog.start_button, dialog.demo_button):
        assert button.accessibleName() == button.text().replace("&", "")


def test_initials_follow_the_name_until_typed(qtbot: QtBot, first_time: Path) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Jo Bloggs")
    assert dialog.initials.text() == "JB"
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "jfb")
    qtbot.keyClicks(dialog.name, "-Smith")
    assert dialog.initials.text() == "jfb"  # the inspector's own now


def test_name_and_initials_are_saved_and_start_my_workbook(
    started: Callable[[Path, Answer], MainWindow | None], tmp_path: Path
) -> None:
    def answer(dialog: WelcomeDialog) -> None:
        dialog.name.setText("")
        dialog.start()  # an empty name is refused in a sentence
        assert "cannot be empty" in dialog.problem.text()
        dialog.name.setText("Jo Bloggs")
        dialog.initials.setText("jb")
        dialog.start()

    window = started(tmp_path / "mine.ctdesk", answer)
    assert window is not None
    saved = Settings.load()
    assert (saved.author, saved.initials) == ("Jo Bloggs", "JB")
    assert saved.default_marking == "OFFICIAL-SENSITIVE"  # not asked: the default stays
    wb = window.session.workbook  # closed when ctdesk ended
    assert wb.path == tmp_path / "mine.ctdesk" and not wb.encrypted  # no passphrase chosen
    with Workbook.open(wb.path) as again:
        assert again.notes.add(force="kent", title="t").value.author == "Jo Bloggs"


def test_a_passphrase_typed_in_the_welcome_encrypts_the_new_workbook(
    started: Callable[[Path, Answer], MainWindow | None], tmp_path: Path
) -> None:
    problems: list[str] = []

    def answer(dialog: WelcomeDialog) -> None:
        dialog.first.setText("short")
        dialog.second.setText("short")
        dialog.start()
        problems.append(dialog.problem.text())
        dialog.first.setText(SECRET)
        dialog.second.setText(SECRET + "!")
        dialog.start()
        problems.append(dialog.problem.text())
        dialog.second.setText(SECRET)
        dialog.start()

    path = tmp_path / "mine.ctdesk"
    window = started(path, answer)
    assert "8 characters" in problems[0] and "differ" in problems[1]
    assert window is not None and window.session.workbook.encrypted
    assert passphrase.is_encrypted(path) and not path.read_bytes().startswith(b"SQLite")


def test_exploring_the_demo_opens_it_and_makes_mine_untouched(
    started: Callable[[Path, Answer], MainWindow | None], tmp_path: Path
) -> None:
    def answer(dialog: WelcomeDialog) -> None:
        dialog.name.setText("Jo Bloggs")
        dialog.first.setText(SECRET)
        dialog.second.setText(SECRET)
        dialog.explore_demo()
        assert dialog._busy and not dialog.start_button.isEnabled()  # made in the background

    mine = tmp_path / "mine.ctdesk"
    window = started(mine, answer)
    assert window is not None
    demo = first_run.demo_path()
    assert window.session.workbook.path == demo
    with Workbook.open(demo, read_only=True) as wb:
        assert len(wb.notes.all()) == first_run.DEMO_NOTES
    assert window.windowTitle() == "demo — OFFICIAL-SENSITIVE — ctdesk"
    assert "demo workbook" in window.statusBar().currentMessage()
    # Mine is made, empty, with the passphrase I chose, and waits in the recent list.
    with Workbook.open(mine, passphrase=SECRET, read_only=True) as own:
        assert own.notes.all() == [] and own.encrypted
    assert recent_workbooks.load() == [demo, mine]


def test_an_existing_demo_is_opened_as_it_is(
    started: Callable[[Path, Answer], MainWindow | None], tmp_path: Path
) -> None:
    first_run.make_demo_workbook(first_run.demo_path(), notes=3)
    window = started(tmp_path / "mine.ctdesk", lambda dialog: dialog.explore_demo())
    assert window is not None and window.session.workbook.path == first_run.demo_path()
    with Workbook.open(first_run.demo_path(), read_only=True) as wb:
        assert len(wb.notes.all()) == 3


def test_closing_the_welcome_keeps_the_defaults(
    qtbot: QtBot, first_time: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []
    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    monkeypatch.setattr(NewPassphraseDialog, "exec", lambda self: offered.append("asked") or 0)
    monkeypatch.setattr(app.MainWindow, "show", lambda self: None)
    monkeypatch.setattr(app.QApplication, "exec", lambda self: 0)
    assert app.run(tmp_path / "mine.ctdesk", create_if_missing=True) == 0
    assert not Settings.exists()  # the welcome comes again next time
    assert offered == ["asked"]  # as before the welcome: a new workbook is offered a passphrase
    assert (tmp_path / "mine.ctdesk").exists()


def test_an_existing_workbook_is_not_offered_a_passphrase(
    qtbot: QtBot, first_time: Path, workbook_path: Path
) -> None:
    Workbook.create(workbook_path).close()
    dialog = app.WelcomeDialog(Settings.load(), offer_passphrase=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.first.isVisible() and not dialog.second.isVisible()
