"""Marking words for redaction in the note editor."""

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow


def test_select_and_mark_for_redaction(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note_action.trigger()
    editor = window.force_page.notes.editor
    editor.body.setPlainText("The source was DS Jane Smith of the MASH.")
    cursor = editor.body.textCursor()
    start = editor.body.toPlainText().index("DS Jane Smith")
    cursor.setPosition(start)
    cursor.setPosition(start + len("DS Jane Smith"), QTextCursor.MoveMode.KeepAnchor)
    editor.body.setTextCursor(cursor)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Names an officer", True))
    editor.mark_redaction()
    note = window.session.workbook.notes.get(editor.note_id or "")
    assert note.body == "The source was [[redact]]DS Jane Smith[[/redact]] of the MASH."
    (entry,) = window.session.workbook.redactions.entries()
    assert (entry.excerpt, entry.reason) == ("DS Jane Smith", "Names an officer")
    # shown as such: the redacted words are drawn on a dark background
    block = editor.body.document().firstBlock()
    formats = block.layout().formats()
    inside = start + len("[[redact]]")
    dark = [f for f in formats if f.start <= inside < f.start + f.length]
    assert dark and dark[0].format.background().color().lightness() < 60


def test_nothing_selected_is_explained(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note_action.trigger()
    editor = window.force_page.notes.editor
    editor.body.setPlainText("words")
    asked: list[bool] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(True))
    editor.mark_redaction()
    assert asked == [] and "Select the words" in editor.status.text()


def test_unclosed_marker_typed_by_hand_is_not_saved_but_kept(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.select_force("kent")
    window.new_note_action.trigger()
    editor = window.force_page.notes.editor
    editor.body.setPlainText("half [[redact]] typed")
    assert not editor.flush()
    assert "not closed" in editor.status.text()
    assert editor.body.toPlainText() == "half [[redact]] typed"
    editor.body.setPlainText("half typed")  # fixed, so closing the window does not ask
    assert editor.flush()


def test_redaction_log_exported_from_the_file_menu(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = open_window()
    window.session.workbook.notes.add(
        force="kent",
        title="t",
        body="a [[redact]]Jo Bloggs[[/redact]]",
        redaction_reason="Personal data",
    )
    out = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_redaction_log()
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["created_at", "author", "record_kind"]
    assert rows[1][5:] == ["Jo Bloggs", "Personal data"]
