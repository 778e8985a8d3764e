"""Undo/redo, the trash and a record's history in the GUI."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ctdesk.errors import NotFound
from ctdesk.ui.history_dialog import HistoryDialog
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.trash_dialog import TrashDialog
from tests.ui.conftest import OpenWindow


def new_note(qtbot: QtBot, window: MainWindow, title: str, body: str) -> str:
    notes = window.force_page.notes
    window.new_note_action.trigger()
    notes.editor.title.setText("")
    qtbot.keyClicks(notes.editor.title, title)
    notes.editor.body.setPlainText(body)
    assert notes.editor.flush()
    note_id = notes.editor.note_id
    assert note_id is not None
    return note_id


def test_undo_and_redo_a_new_note(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = new_note(qtbot, window, "Undo me", "text")
    notes = window.session.workbook.notes
    assert "Undo" in window.undo_action.text()
    window.undo_action.trigger()  # the title/body edits
    window.undo_action.trigger()  # the creation
    assert notes.get(note_id).deleted
    assert window.force_page.notes.model.rowCount() == 0
    window.redo_action.trigger()
    assert not notes.get(note_id).deleted
    assert window.force_page.notes.model.rowCount() == 1
    window.redo_action.trigger()
    assert notes.get(note_id).title == "Undo me"


def test_undo_area_tag(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = new_note(qtbot, window, "Tagged", "body")
    editor = window.force_page.notes.editor
    box = editor.area_boxes["ct4.a2"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert editor.flush()
    notes = window.session.workbook.notes
    assert notes.get(note_id).areas == ("ct4.a2",)
    window.undo_action.trigger()
    assert notes.get(note_id).areas == ()
    assert not editor.area_boxes["ct4.a2"].isChecked()
    assert len(notes.history(note_id)) >= 4  # undo adds a revision; nothing is lost


def test_delete_shows_in_trash_and_restores(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = new_note(qtbot, window, "Trash me", "body")
    window.force_page.notes.list.setFocus()
    window.delete_action.trigger()
    assert window.force_page.notes.model.rowCount() == 0
    dialog = TrashDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "Trash me"
    assert dialog.model.index(0, 1).data() == "Kent Police"
    dialog.view.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    assert "empty" in dialog.summary.text()
    assert window.force_page.notes.model.rowCount() == 1
    assert not window.session.workbook.notes.get(note_id).deleted


def test_emptying_the_trash_asks_first(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = new_note(qtbot, window, "Gone for good", "SECRET-ISH TEXT")
    window.session.apply(lambda wb: wb.notes.delete(note_id))
    dialog = TrashDialog(window.session, window)
    qtbot.addWidget(dialog)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.empty()
    assert window.session.workbook.notes.get(note_id).deleted  # said no: still there
    dialog.empty()
    assert "for good" in asked[0]
    with pytest.raises(NotFound):
        window.session.workbook.notes.get(note_id)
    history = window.session.workbook.notes.history  # only a tombstone remains
    with pytest.raises(NotFound):
        history(note_id)
    assert dialog.model.rowCount() == 0
    assert window.session.undo_stack.count() == 0


def test_history_dialog_restores_an_earlier_version(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = new_note(qtbot, window, "Versions", "first words")
    editor = window.force_page.notes.editor
    editor.body.setPlainText("second words")
    assert editor.flush()
    dialog = HistoryDialog(window.session, "note", note_id, window)
    qtbot.addWidget(dialog)
    rows = dialog.model.rowCount()
    assert rows >= 3
    assert not dialog.restore_button.isEnabled()  # newest selected: nothing to restore
    oldest_with_text = next(
        r for r in range(rows) if dialog.model.revision_at(r).content["body"] == "first words"
    )
    dialog.view.selectRow(oldest_with_text)
    assert "first words" in dialog.preview.toPlainText()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert window.session.workbook.notes.get(note_id).body == "first words"
    assert editor.body.toPlainText() == "first words"
    bodies = [r.content["body"] for r in window.session.workbook.notes.history(note_id)]
    assert "second words" in bodies  # restoring kept the later version in history
