"""A workbook that will not open: its newest good backup is offered instead of a dead end."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ctdesk import backups
from ctdesk.ui.app import open_workbook
from ctdesk.workbook import Workbook


def damaged(path: Path) -> str:
    with Workbook.create(path) as wb:
        note = wb.notes.add(force="kent", title="Before the damage").value.id
        backups.backup(wb, "manual")
        wb.notes.add(force="kent", title="After the backup")
    with path.open("r+b") as handle:  # a stray write over the header
        handle.write(b"\x00" * 100)
    return note


def test_the_cli_points_at_the_newest_backup_and_restore_brings_it_back(
    workbook_path: Path,
) -> None:
    note = damaged(workbook_path)
    run = [sys.executable, "-m", "ctdesk", "--workbook", str(workbook_path)]
    listed = subprocess.run(
        [*run, "note", "list"], capture_output=True, text=True, env=dict(os.environ)
    )
    assert listed.returncode == 1 and "ctdesk restore" in listed.stderr
    assert listed.stderr.count("\n") == 1
    newest = backups.backups_for_path(workbook_path)[0].path
    put_back = subprocess.run(
        [*run, "restore", str(newest), "--yes"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    assert put_back.returncode == 0, put_back.stderr
    with Workbook.open(workbook_path) as wb:
        assert [n.id for n in wb.notes.all()] == [note]


def test_the_window_offers_the_newest_good_backup(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = damaged(workbook_path)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    wb = open_workbook(workbook_path, create_if_missing=False, ask=True)
    assert wb is not None
    assert [n.id for n in wb.notes.all()] == [note]
    wb.close()
    assert "not a ctdesk workbook" in asked[0] and "Restore its newest good backup" in asked[0]


def test_no_backup_means_a_plain_sentence(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook_path.write_bytes(b"\x00" * 4096)
    shown: list[str] = []
    monkeypatch.setattr("ctdesk.ui.app.show_error", lambda _p, exc: shown.append(str(exc)))
    assert open_workbook(workbook_path, create_if_missing=False, ask=True) is None
    assert shown and "not a ctdesk workbook" in shown[0]


def test_an_encrypted_workbook_changed_outside_ctdesk_offers_its_backup(
    workbook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctdesk.db import connection
    from ctdesk.ui.passphrase_dialog import UnlockDialog

    secret = "correct horse battery staple"
    with Workbook.create(workbook_path, passphrase=secret) as wb:
        note = wb.notes.add(force="kent", title="Kept").value.id
        backups.backup(wb, "manual")
    conn = connection.connect_file(workbook_path, "rw", secret)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON notes BEGIN DELETE FROM revisions; END")
    conn.commit()
    conn.close()

    def type_it(dialog: UnlockDialog) -> int:
        dialog.passphrase.setText(secret)
        dialog._try()
        return int(dialog.result())

    asked: list[str] = []
    monkeypatch.setattr(UnlockDialog, "exec", type_it)
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    wb = open_workbook(workbook_path, create_if_missing=False, ask=True)
    assert wb is not None and wb.encrypted
    assert [n.id for n in wb.notes.all()] == [note]
    wb.close()
    assert "changed outside ctdesk" in asked[0]
