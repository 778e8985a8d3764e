"""File → Exchange in the window: export, import (preview first), team sync, my key."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from ctdesk import backups
from ctdesk.errors import NotFound
from ctdesk.exchange import bundle, crypto, export, keys, team
from ctdesk.exchange.importer import Receipt
from ctdesk.settings import Settings
from ctdesk.ui.app import build_window
from ctdesk.ui.bundle_export_dialog import BundleExportDialog, BundleExporter
from ctdesk.ui.bundle_import_dialog import SHOW_CONFLICTS, BundleImporter, ReceiptDialog
from ctdesk.ui.exchange_menu import conflicts_route
from ctdesk.ui.exchange_support import AskPassphrase
from ctdesk.ui.key_dialog import KeyDialog
from ctdesk.ui.session import Session
from ctdesk.ui.sync_dialog import SyncDialog
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

PASSPHRASE = "correct horse battery"


@pytest.fixture
def colleague(tmp_path: Path) -> Iterator[Workbook]:
    """Bea's workbook, with one note on Kent."""
    wb = Workbook.create(tmp_path / "bea.ctdesk")
    wb.settings = Settings(author="Bea")
    wb.notes.add(force="kent", title="Interview with the Prevent lead", body="Said x.")
    yield wb
    wb.close()


def _fill_export(
    monkeypatch: pytest.MonkeyPatch, out: Path, choose: Any
) -> list[BundleExportDialog]:
    """The export dialog, filled in by ``choose(dialog)`` and accepted as if clicked."""
    shown: list[BundleExportDialog] = []

    def run(dialog: BundleExportDialog) -> int:
        shown.append(dialog)
        dialog.path.setText(str(out))
        choose(dialog)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(BundleExportDialog, "exec", run)
    return shown


def _said(monkeypatch: pytest.MonkeyPatch, kind: str, answer: Any = None) -> list[str]:
    said: list[str] = []

    def box(_parent: object, _title: str, text: str, *args: object) -> Any:
        said.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, kind, box)
    return said


def test_the_exchange_submenu_and_read_only(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    texts = [a.text().replace("&", "") for a in window.exchange.menu.actions() if a.text()]
    assert texts == [
        "Export bundle…",
        "Import bundle…",
        "Sync with team folder…",
        "My public key…",
    ]
    assert window.exchange.menu.menuAction() in window.menuBar().actions()[0].menu().actions()
    assert window.exchange.import_action.isEnabled()
    path = window.session.workbook.path
    reader = build_window(Workbook.open(path, read_only=True))
    qtbot.addWidget(reader)
    assert not reader.exchange.import_action.isEnabled()
    assert not reader.exchange.sync_action.isEnabled()
    assert reader.exchange.export_action.isEnabled()  # exporting only reads
    assert reader.exchange.key_action.isEnabled()
    reader.session.close()


def test_export_to_my_key_gives_an_age_file_only_my_key_opens(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys.generate()
    window = open_window()
    window.session.apply(lambda wb: wb.notes.add(force="kent", title="Focus group"))
    out = tmp_path / "out" / "to-bea.ctbundle"
    out.parent.mkdir()

    def to_my_key(dialog: BundleExportDialog) -> None:
        assert dialog.some_forces.isChecked() and dialog.chosen_forces() == ("kent",)
        dialog.by_keys.setChecked(True)
        dialog.recipients.setPlainText("not-a-key")
        dialog._accept()
        assert "is not an age public key" in dialog.problem.text()
        dialog.recipients.clear()
        dialog._add_mine()

    _fill_export(monkeypatch, out, to_my_key)
    said = _said(monkeypatch, "information")
    exporter = BundleExporter(window.session, window, "kent")
    with qtbot.waitSignal(exporter.finished, timeout=15000) as done:
        exporter.start()
    assert done.args[0] is not None and out.is_file()
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and crypto.encryption_of(data) == "recipients"
    manifest = bundle.read_manifest(crypto.decrypt(data, identities=keys.read_identities()))
    assert manifest["counts"]["note"] == 1 and manifest["scope"]["forces"] == ["kent"]
    assert len(said) == 1 and str(out) in said[0] and "encrypted to the public keys" in said[0]
    assert window.session.workbook.owner.held  # the worker's connection left the lock alone


def test_unencrypted_sensitive_export_needs_a_yes_and_no_writes_nothing(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window()
    window.session.apply(
        lambda wb: wb.notes.add(force="kent", title="Source", marking="OFFICIAL-SENSITIVE")
    )
    out = tmp_path / "plain.ctbundle"

    def plain(dialog: BundleExportDialog) -> None:
        dialog.all_forces.setChecked(True)
        dialog.plain.setChecked(True)
        dialog._accept()
        assert "Tick the box" in dialog.problem.text()  # not without saying so
        dialog.confirm_plain.setChecked(True)

    _fill_export(monkeypatch, out, plain)
    warned = _said(monkeypatch, "warning", QMessageBox.StandardButton.No)
    exporter = BundleExporter(window.session, window)
    with qtbot.waitSignal(exporter.finished, timeout=15000) as done:
        exporter.start()
    assert done.args == [None]
    assert len(warned) == 1 and "OFFICIAL-SENSITIVE" in warned[0]
    assert not out.exists()

    warned = _said(monkeypatch, "warning", QMessageBox.StandardButton.Yes)
    said = _said(monkeypatch, "information")
    exporter = BundleExporter(window.session, window)
    with qtbot.waitSignal(exporter.finished, timeout=15000) as done:
        exporter.start()
    assert len(warned) == 1 and out.is_file()
    assert crypto.encryption_of(out.read_bytes()) == "none"
    assert "NOT encrypted" in said[0] and "OFFICIAL-SENSITIVE" in said[0]


def test_import_shows_a_preview_then_adds_the_note(
    qtbot: QtBot,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workbook_path: Path,
    colleague: Workbook,
) -> None:
    keys.generate()
    sent = tmp_path / "from-bea.ctbundle"
    export.export_bundle(colleague, sent, export.Encryption(recipients=(keys.public_key(),)))
    note = colleague.notes.all()[0]
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sent), ""))
    shown: list[tuple[bool, str]] = []

    def answer(dialog: ReceiptDialog) -> int:
        shown.append((dialog.preview, dialog.counts.text()))
        return QDialog.DialogCode.Accepted if dialog.preview else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ReceiptDialog, "exec", answer)
    changed: list[Any] = []
    window.session.changed.connect(lambda changes, _origin: changed.append(changes))
    importer = BundleImporter(window.session, window)
    with qtbot.waitSignal(importer.finished, timeout=15000) as done:
        importer.start()
    counts = "1 new, 0 updated, 0 moved to the trash, 0 unchanged, 0 in conflict"
    assert shown == [(True, counts), (False, counts)]
    assert done.args[0].added == 1 and not done.args[0].dry_run
    assert any(note.id in c.ids for c in changed)  # every view hears of it
    assert window.session.workbook.owner.held
    with Workbook.open(workbook_path, read_only=True) as reopened:
        assert reopened.notes.get(note.id).title == "Interview with the Prevent lead"
        assert "before-import" in {b.reason for b in backups.backups_of(reopened)}


def test_a_wrong_passphrase_is_said_and_can_be_typed_again(
    qtbot: QtBot,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    colleague: Workbook,
) -> None:
    sent = tmp_path / "from-bea.ctbundle"
    export.export_bundle(colleague, sent, export.Encryption(passphrase=PASSPHRASE))
    note = colleague.notes.all()[0]
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sent), ""))
    asked: list[str] = []

    def type_one(dialog: AskPassphrase) -> int:
        asked.append(dialog.problem.text())
        dialog.passphrase.setText("not the passphrase" if len(asked) == 1 else PASSPHRASE)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(AskPassphrase, "exec", type_one)
    warned = _said(monkeypatch, "warning")
    previews: list[str] = []

    def cancel(dialog: ReceiptDialog) -> int:
        previews.append(dialog.counts.text())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ReceiptDialog, "exec", cancel)
    importer = BundleImporter(window.session, window)
    with qtbot.waitSignal(importer.finished, timeout=20000) as done:
        importer.start()
    assert done.args == [None]
    assert len(warned) == 1 and warned[0].startswith("The passphrase does not open this bundle")
    assert asked == ["", "That passphrase did not open the bundle; try again."]
    assert previews == ["1 new, 0 updated, 0 moved to the trash, 0 unchanged, 0 in conflict"]
    with pytest.raises(NotFound):  # neither the wrong passphrase nor the preview changed a thing
        window.session.workbook.notes.get(note.id)
    assert backups.backups_of(window.session.workbook) == []


def test_a_bundle_to_keys_without_my_key_offers_to_make_one(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window()
    sent = tmp_path / "to-someone.ctbundle"
    someone = keys.generate()
    keys.identity_path().unlink()  # it was someone else's key, not this inspector's
    export.export_bundle(window.session.workbook, sent, export.Encryption(recipients=(someone,)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sent), ""))
    asked = _said(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    keys_shown: list[str] = []
    monkeypatch.setattr(KeyDialog, "exec", lambda d: keys_shown.append(d.key.text()) or 0)
    importer = BundleImporter(window.session, window)
    with qtbot.waitSignal(importer.finished, timeout=5000) as done:
        importer.start()
    assert done.args == [None]
    assert "you have no key yet" in asked[0] and "public key" in asked[0]
    assert keys_shown == [keys.public_key()] and keys_shown[0].startswith("age1")


def test_my_key_dialog_makes_and_copies_the_key(qtbot: QtBot) -> None:
    dialog = KeyDialog()
    qtbot.addWidget(dialog)
    assert dialog.make_button.isVisibleTo(dialog) and not dialog.copy_button.isVisibleTo(dialog)
    dialog.make_button.click()
    assert dialog.key.text() == keys.public_key()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == keys.public_key()


def test_sync_between_two_workbooks_through_a_team_folder(
    qtbot: QtBot, tmp_path: Path, colleague: Workbook
) -> None:
    keys.generate()
    folder = tmp_path / "team"
    folder.mkdir()
    note = colleague.notes.all()[0]
    mine = Session(Workbook.create(tmp_path / "alex.ctdesk"))
    theirs = Session(colleague)
    reports = []
    for session in (theirs, mine):
        dialog = SyncDialog(session)
        qtbot.addWidget(dialog)
        dialog.folder.setText(str(folder))
        dialog.by_keys.setChecked(True)
        dialog.recipients.clear()
        dialog._add_mine()
        with qtbot.waitSignal(dialog.synced, timeout=15000) as done:
            dialog.sync_now()
        assert dialog.problem.text() == ""
        reports.append((done.args[0], dialog.report.toPlainText()))
    (first, _), (second, text) = reports
    assert first.wrote and second.wrote
    assert [r.added for r in second.receipts.values()] == [1]
    assert "1 new, 0 updated" in text and "Left this workbook's bundle there" in text
    assert mine.workbook.notes.get(note.id).title == "Interview with the Prevent lead"
    assert team.settings(mine.workbook).recipients == (keys.public_key(),)
    assert team.settings(mine.workbook).folder == folder.resolve()
    mine.close()


def test_sync_says_what_is_missing_before_it_starts(
    qtbot: QtBot, workbook: Workbook, tmp_path: Path
) -> None:
    dialog = SyncDialog(Session(workbook))
    qtbot.addWidget(dialog)
    assert dialog.by_passphrase.isChecked()  # no keys stored: the team's passphrase
    for typed, folder, words in (
        ("", "", "passphrase is empty"),
        ("short", "", "at least 8 characters"),
        (PASSPHRASE, "", "Choose the team folder first"),
        (PASSPHRASE, str(tmp_path / "missing"), "does not exist"),
    ):
        dialog.passphrase.setText(typed)
        dialog.folder.setText(folder)
        dialog.sync_now()
        assert words in dialog.problem.text()
        assert dialog.op is None  # nothing started
    assert team.settings(workbook).folder is None


def test_a_receipt_with_conflicts_offers_to_show_them(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    route = conflicts_route(window)
    assert route is not None
    if hasattr(window, "show_conflicts"):
        assert route == window.show_conflicts
    receipt = Receipt(0, 0, 0, 0, 1, ("x",), {"format": bundle.FORMAT}, dry_run=False)
    dialog = ReceiptDialog(receipt, "b.ctbundle", "none", can_show_conflicts=True, parent=window)
    shows = [b for b in dialog.findChildren(QPushButton) if b.accessibleName() == "Show conflicts"]
    shows[0].click()
    assert dialog.result() == SHOW_CONFLICTS
    none = ReceiptDialog(receipt, "b.ctbundle", "none", can_show_conflicts=False, parent=window)
    assert not [b for b in none.findChildren(QPushButton) if "conflicts" in b.text()]


def test_every_control_has_an_accessible_name(qtbot: QtBot, workbook: Workbook) -> None:
    keys.generate()
    receipt = Receipt(1, 0, 0, 0, 1, ("x",), {"format": bundle.FORMAT}, dry_run=True)
    dialogs = [
        BundleExportDialog(workbook, "kent"),
        SyncDialog(Session(workbook)),
        KeyDialog(),
        AskPassphrase("b.ctbundle"),
        ReceiptDialog(receipt, "b.ctbundle", "none"),
        ReceiptDialog(replace(receipt, dry_run=False), "b", "none", can_show_conflicts=True),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        controls = [
            w
            for kind in (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractItemView)
            for w in dialog.findChildren(kind)
            if not isinstance(w.parentWidget(), QAbstractSpinBox)  # a date field's own parts
        ] + dialog.findChildren(QAbstractSpinBox)
        unnamed = [f"{type(w).__name__} {getattr(w, 'text', str)()}" for w in controls]
        unnamed = [u for u, w in zip(unnamed, controls, strict=True) if not w.accessibleName()]
        assert unnamed == [], type(dialog).__name__


def test_the_forces_checklist_is_a_model_that_ticks(qtmodeltester, workbook) -> None:
    from PySide6.QtCore import Qt

    from ctdesk.ui.force_checklist_model import ForceChecklistModel

    model = ForceChecklistModel(workbook.scope.forces, ["kent"])
    qtmodeltester.check(model)
    essex = model.index(model.row_of("essex"))
    assert model.data(essex, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(essex, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert set(model.chosen()) == {"kent", "essex"}
    model.setData(model.index(model.row_of("kent")), 0, Qt.ItemDataRole.CheckStateRole)
    assert model.chosen() == ("essex",)
