"""The main path in the GUI: pick a force, write a note, tag an area, reopen, export."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from ctdesk.ui.export_dialog import ExportDialog
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.note_list_model import ID_ROLE
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow


def write_note(qtbot: QtBot, window: MainWindow, title: str, body: str) -> str:
    page = window.force_page.notes
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor.note_id is not None
    editor.title.selectAll()
    qtbot.keyClicks(editor.title, title)
    editor.body.setFocus()
    qtbot.keyClicks(editor.body, body)
    return editor.note_id


def test_select_force_shows_its_page(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    assert window.select_force("kent")
    assert window.pages.currentWidget() is window.force_page
    assert "Kent Police" in window.force_page.header.text()
    assert "South East" in window.force_page.header.text()
    assert window.new_note_action.isEnabled()


def test_police_scotland_cannot_take_ct4_notes(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("scotland")
    assert "Not in CT4" in window.force_page.header.text()
    assert not window.force_page.notes.new_button.isEnabled()


def test_typed_note_is_autosaved_and_survives_reopen(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = write_note(qtbot, window, "Chief officer interview", "Training is mandatory.")
    box = window.force_page.notes.editor.area_boxes["ct4.a1"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))

    def saved() -> None:
        note = window.session.workbook.notes.get(note_id)
        assert note.body == "Training is mandatory."
        assert note.areas == ("ct4.a1",)
        assert note.title == "Chief officer interview"

    qtbot.waitUntil(saved, timeout=5000)
    assert window.force_page.notes.editor.status.text() == "Saved"
    window.close()
    window.session.close()

    again = open_window()
    assert again.force_page.force is not None and again.force_page.force.id == "kent"
    editor = again.force_page.notes.editor
    assert editor.note_id == note_id
    assert editor.title.text() == "Chief officer interview"
    assert editor.body.toPlainText() == "Training is mandatory."
    assert editor.area_boxes["ct4.a1"].isChecked()
    assert not editor.area_boxes["ct4.a2"].isChecked()


def test_closing_before_autosave_fires_loses_nothing(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    window = open_window()
    window.select_force("essex")
    note_id = write_note(qtbot, window, "Focus group", "Typed just before closing")
    assert window.force_page.notes.editor.has_unsaved_changes()
    window.close()
    window.session.close()
    with Workbook.open(workbook_path) as wb:
        assert wb.notes.get(note_id).body == "Typed just before closing"


def test_switching_force_saves_pending_typing(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = write_note(qtbot, window, "Kent note", "pending")
    window.select_force("essex")
    assert window.session.workbook.notes.get(note_id).body == "pending"
    assert window.force_page.notes.model.rowCount() == 0


def test_empty_title_keeps_old_title_and_says_so(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    note_id = write_note(qtbot, window, "Keep me", "body")
    editor = window.force_page.notes.editor
    editor.flush()
    editor.title.selectAll()
    qtbot.keyClick(editor.title, Qt.Key.Key_Delete)
    assert editor.flush()
    assert window.session.workbook.notes.get(note_id).title == "Keep me"
    assert "needs a title" in editor.status.text()


def test_note_list_follows_edits(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    write_note(qtbot, window, "First", "a")
    write_note(qtbot, window, "Second", "b")
    window.force_page.notes.editor.flush()
    model = window.force_page.notes.model
    titles = {model.note_at(r).title for r in range(model.rowCount())}
    assert titles == {"First", "Second"}
    assert window.force_page.notes.count.text() == "2 notes"


def test_export_writes_the_note(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    window.select_force("kent")
    write_note(qtbot, window, "Export me", "SENTINEL-GUI-7")
    out = tmp_path / "kent.md"
    opened: list[str] = []

    def choose(dialog: ExportDialog) -> QDialog.DialogCode:
        assert dialog.what.currentData() == "force:kent"
        assert dialog.path.text().endswith("ct4-kent-summary.pdf")
        dialog.format.setCurrentIndex(dialog.format.findData("md"))
        dialog.path.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    assert window.export_action.isEnabled()
    with qtbot.waitSignal(window.export_finished, timeout=20000) as finished:
        window.export_action.trigger()
    assert finished.args[0] is not None
    text = out.read_text(encoding="utf-8")
    assert "SENTINEL-GUI-7" in text and "Export me" in text
    assert "Exported" in window.statusBar().currentMessage()
    assert opened == [str(tmp_path)]


def test_scope_tab_describes_items(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    nav = window.navigator
    index = nav.scope_model.find("area", "ct4.a2")
    nav.setCurrentWidget(nav.scope_view)
    nav.scope_view.setCurrentIndex(index)
    assert window.pages.currentWidget() is window.scope_page
    text = window.scope_page.toPlainText()
    assert "Consistency" in text and "Lines of enquiry" in text
    nav.scope_view.setCurrentIndex(nav.scope_model.find("methodology", "ct4"))
    assert "Head of safeguarding" in window.scope_page.toPlainText()


def test_new_note_shortcut(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note_action.trigger()
    assert window.force_page.notes.model.rowCount() == 1
    assert window.force_page.notes.editor.title.hasFocus()


def test_note_list_sorts_by_a_header_click_and_keeps_sorted_after_edits(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    with Workbook.create(workbook_path) as wb:
        for title in ("Bravo", "alpha", "Charlie"):
            wb.notes.add(force="kent", title=title)
    window = open_window()
    window.select_force("kent")
    tab = window.force_page.notes
    header = tab.list.horizontalHeader()

    def titles() -> list[str]:
        return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]

    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(0) + 5, 5),
    )
    ordered = titles()
    assert ordered in (["alpha", "Bravo", "Charlie"], ["Charlie", "Bravo", "alpha"])
    descending = ordered[0] == "Charlie"
    # Renaming a note moves it to its place; the selection follows the note.
    tab.select_note(tab.proxy.index(0, 0).data(ID_ROLE))
    editor = tab.editor
    renamed = editor.note_id
    editor.title.selectAll()
    qtbot.keyClicks(editor.title, "Delta")
    assert editor.flush()
    want = sorted(["Delta", *ordered[1:]], key=str.casefold, reverse=descending)
    qtbot.waitUntil(lambda: titles() == want, timeout=3000)
    rows = tab.list.selectionModel().selectedRows()
    assert [r.data(ID_ROLE) for r in rows] == [renamed]
