"""Backups in the window: back up now, list them, restore one and carry on; check."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk import backups
from ctdesk.ui import app
from ctdesk.ui.backups_dialog import BackupListModel, BackupsDialog
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow


def test_back_up_now_restore_and_carry_on(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workbook.create(workbook_path) as wb:
        note_id = wb.notes.add(force="kent", title="Interview", body="As first written.").value.id
    window = open_window()
    window.back_up_now()
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=10000)
    assert len(backups.backups_of(window.session.workbook)) == 1
    window.session.apply(lambda wb: wb.notes.edit(note_id, body="Changed afterwards."))

    def choose_first(dialog: BackupsDialog) -> int:
        assert dialog.model.rowCount() == 1
        dialog._restore()
        return int(dialog.result())

    monkeypatch.setattr(BackupsDialog, "exec", choose_first)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    replaced: list[object] = []
    window.reopen_requested.connect(
        lambda path, key: replaced.append(app.reopen(window, path, key))
    )
    window.show_backups()
    qtbot.waitUntil(lambda: bool(replaced), timeout=10000)
    new = replaced[0]
    assert new is not None
    qtbot.addWidget(new)
    with Workbook.open(workbook_path, read_only=True) as wb:
        assert wb.notes.get(note_id).body == "As first written."
        reasons = {b.reason for b in backups.backups_of(wb)}
    assert reasons == {"manual", "before-restore"}  # the changed state can come back too
    new.session.apply(lambda wb: wb.notes.edit(note_id, body="Carrying on."))  # writable
    assert not window.isVisible()
    new.close()
    new.session.close()


def test_check_says_no_problems(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    window = open_window()
    window.check_workbook()
    qtbot.waitUntil(lambda: said == ["No problems found."], timeout=10000)


def test_backup_list_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    backups.backup(workbook, "manual")
    backups.backup(workbook, "before-empty-trash")
    model = BackupListModel()
    model.set_backups(backups.backups_of(workbook))
    qtmodeltester.check(model)
    assert {model.index(r, 1).data() for r in range(2)} == {
        "Backed up by hand",
        "Before emptying the trash",
    }
