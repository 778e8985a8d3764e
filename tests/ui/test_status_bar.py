"""The window's title and status bar: the workbook's marking, save state, the selected record's
marking, lock state; and Help → About."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QProgressBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ctdesk import __version__, paths
from ctdesk.errors import WorkbookError
from ctdesk.ui.about_dialog import AboutDialog
from ctdesk.ui.app import build_window
from ctdesk.ui.status_bar import save_state, window_title
from ctdesk.ui.welcome_dialog import WelcomeDialog
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow
from tests.ui.test_main_window import write_note

SECRET = "correct horse battery staple"


def test_title_names_the_workbook_and_its_highest_marking(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    with Workbook.create(workbook_path) as wb:
        wb.notes.add(force="kent", title="Routine", marking="OFFICIAL")
    window = open_window()
    assert window.windowTitle() == "fieldwork — OFFICIAL — ctdesk"
    note = window.session.apply(
        lambda wb: wb.notes.add(force="kent", title="Sensitive", marking="OFFICIAL-SENSITIVE")
    )
    assert window.windowTitle() == "fieldwork — OFFICIAL-SENSITIVE — ctdesk"
    window.session.apply(lambda wb: wb.notes.delete(note.id))  # the trash does not count
    assert window.windowTitle() == "fieldwork — OFFICIAL — ctdesk"
    window.session.undo_stack.undo()  # back from the trash
    assert window.windowTitle() == "fieldwork — OFFICIAL-SENSITIVE — ctdesk"


def test_title_and_save_state_words() -> None:
    assert window_title(Path("/x/kent.ctdesk"), "OFFICIAL") == "kent — OFFICIAL — ctdesk"
    assert window_title(Path("k.ctdesk"), "OFFICIAL", read_only=True).startswith("k (read-only)")
    assert save_state("Editing…", False) == "saving"
    assert save_state("Not saved: the disk is full.", True) == "failed"
    assert save_state("Saved, keeping the old title: a note needs a title.", True) == "saved"
    assert save_state("", False) == "saved"


def test_status_bar_says_saving_saved_and_not_saved(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    status = window.workbook_status
    assert status.save.text() == "Saved" and status.save.accessibleName() == "Save state"
    window.select_force("kent")
    write_note(qtbot, window, "Interview", "Training is mandatory.")
    assert status.save.text() == "Saving…"
    qtbot.waitUntil(lambda: status.save.text() == "Saved", timeout=5000)
    notes = window.session.workbook.notes

    def refuse(*args: object, **kwargs: object) -> None:
        raise WorkbookError("The disk is full; free some space and ctdesk saves again.")

    monkeypatch.setattr(notes, "edit", refuse)
    window.force_page.notes.editor._retry.setInterval(50)  # instead of seconds
    qtbot.keyClicks(window.force_page.notes.editor.body, " More.")
    qtbot.waitUntil(lambda: status.save.text() == "Not saved — retrying", timeout=5000)
    assert "disk is full" in status.save.toolTip()
    monkeypatch.undo()  # the disk has room again: the retry saves it
    qtbot.waitUntil(lambda: status.save.text() == "Saved", timeout=10000)


def test_status_bar_shows_the_selected_records_marking(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    with Workbook.create(workbook_path) as wb:
        wb.notes.add(force="kent", title="Interview", marking="OFFICIAL-SENSITIVE PERSONAL DATA")
        doc = wb.documents.add(
            force="kent", title="Plan", category="policy-strategy", marking="OFFICIAL"
        ).value
    window = open_window()
    label = window.workbook_status.marking
    window.select_force("kent")
    qtbot.waitUntil(lambda: label.isVisible())
    assert label.text() == "Marking: OFFICIAL-SENSITIVE PERSONAL DATA"
    window.open_record("document", doc.id)
    assert label.text() == "Marking: OFFICIAL"
    editor = window.force_page.notes.editor
    window.force_page.tabs.setCurrentWidget(window.force_page.notes)
    editor.marking.level.setCurrentText("OFFICIAL")  # changed in the editor, then saved
    qtbot.waitUntil(lambda: label.text().startswith("Marking: OFFICIAL "), timeout=5000)
    window.show_coverage()
    assert not label.isVisible()  # no record selected there


def test_status_bar_says_whether_the_workbook_is_locked(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    plain = open_window()
    assert plain.workbook_status.lock.text() == "Not encrypted"
    window = build_window(Workbook.create(workbook_path.with_name("s.ctdesk"), passphrase=SECRET))
    qtbot.addWidget(window)
    window.show()
    lock = window.workbook_status.lock
    assert lock.text() == "Unlocked" and lock.accessibleName() == "Lock state"
    window.lock()
    assert lock.text() == "Locked"
    window.unlock(SECRET)
    assert lock.text() == "Unlocked"
    window.close()
    window.session.close()


def test_about_shows_version_folders_and_libraries(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    seen: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: seen.append(self) or 0)
    window.about()
    [dialog] = seen
    qtbot.addWidget(dialog)
    values = {label: shown.text() for label, shown in dialog.values.items()}
    assert values["ctdesk"] == __version__
    assert values["Workbook"] == f"{workbook_path} (not encrypted)"
    assert values["Data folder"] == str(paths.data_dir())
    assert values["Settings folder"] == str(paths.config_dir())
    assert values["Backups folder"].endswith(window.session.workbook.id)
    assert {"Python", "Qt", "PySide6", "SQLite", "SQLCipher"} <= set(values)
    dialog.copy_button.click()
    clipboard = QApplication.clipboard().text()
    assert f"ctdesk: {__version__}" in clipboard and f"Workbook: {workbook_path}" in clipboard
    assert dialog.copied.text() == "Copied to the clipboard."


def _unnamed(top: QWidget) -> list[str]:
    """Controls a screen reader reaches without a name (what QAccessible reports)."""
    found = []
    for widget in top.findChildren(QWidget):
        if widget.objectName().startswith("qt_"):
            continue
        if not isinstance(widget, QAbstractButton | QLineEdit | QProgressBar):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if not interface.text(QAccessible.Text.Name).strip():
            found.append(type(widget).__name__)
    return found


@pytest.mark.parametrize("make", [WelcomeDialog, AboutDialog])
def test_the_new_dialogs_name_every_control(qtbot: QtBot, make: Callable[[], QDialog]) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    assert _unnamed(dialog) == []


def test_the_status_bar_labels_have_names(qtbot: QtBot, open_window: OpenWindow) -> None:
    status = open_window().workbook_status
    for label in (status.save, status.marking, status.lock):
        assert label.accessibleName()
    for label in (status.save, status.lock):  # what they say, and what that means
        assert label.accessibleDescription().startswith(label.text() + ". ")
