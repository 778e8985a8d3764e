"""When the disk is full or the workbook read-only: a sentence, the text kept, saved later."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from ctdesk.ui.note_editor import NoteEditor
from tests.ui.conftest import OpenWindow


def test_a_full_disk_keeps_the_text_and_saves_it_when_there_is_room(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note()
    editor: NoteEditor = window.force_page.notes.editor
    editor.flush()
    note_id = editor.note_id or ""
    db = window.session.workbook.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    editor._retry.setInterval(100)
    big = "Evidence from the interview. " * 4000
    editor.body.setPlainText(big)
    assert not editor.flush()
    assert "disk is full" in editor.status.text()
    assert editor.body.toPlainText() == big  # nothing typed is lost
    assert window.session.workbook.notes.get(note_id).body == ""
    db.execute("PRAGMA max_page_count = 1073741823")  # space again
    qtbot.waitUntil(lambda: window.session.workbook.notes.get(note_id).body == big, timeout=3000)
    assert editor.status.text() == "Saved"


def test_a_read_only_workbook_is_said_in_words(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note()
    editor = window.force_page.notes.editor
    editor.flush()
    window.session.workbook.db.execute("PRAGMA query_only = ON")
    editor.body.setPlainText("Words that cannot be written.")
    assert not editor.flush()
    assert "read-only" in editor.status.text()
    window.session.workbook.db.execute("PRAGMA query_only = OFF")
    assert editor.flush()
