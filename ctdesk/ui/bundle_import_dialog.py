"""File → Exchange → Import bundle: open it, show what it would change, then merge it.

Opening (a passphrase takes about 2 seconds), checking and comparing run in the background on a
connection of their own, and change nothing; only "Import" writes, after a backup, all or
nothing. A passphrase that does not open the bundle can be typed again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.exchange import bundle, crypto, files, importer, keys
from ctdesk.exchange.importer import Receipt
from ctdesk.export.progress import Progress
from ctdesk.ui.background import BackgroundOp, run_in_background
from ctdesk.ui.backups_dialog import local_time
from ctdesk.ui.bundle_export_dialog import default_folder
from ctdesk.ui.errors import show_error
from ctdesk.ui.exchange_support import (
    AskPassphrase,
    counts_text,
    fit,
    on_sibling,
    stages,
    without_cancel,
)
from ctdesk.ui.key_dialog import KeyDialog
from ctdesk.ui.session import Session
from ctdesk.workbook import Workbook

HEAD_BYTES = 256 * 1024  # enough of the file to tell how it is sealed
SHOW_CONFLICTS = 2  # ReceiptDialog's result when "Show conflicts" was pressed
SEALED = {"passphrase": "With a passphrase", "recipients": "To your key", "none": "Not encrypted"}


@dataclass(frozen=True)
class _Refused:
    """The passphrase did not open the bundle (or it is damaged): ask again."""

    message: str


def _made(value: str) -> str:
    """When the bundle was made, in local time, or as given if it is not a time."""
    try:
        return local_time(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return value


class ReceiptDialog(QDialog):
    """What an import would do (``preview``: Import or Cancel) or did (Close, and Show
    conflicts when there are some and ``can_show_conflicts``)."""

    def __init__(
        self,
        receipt: Receipt,
        name: str,
        encryption: str,
        *,
        can_show_conflicts: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self.preview = receipt.dry_run
        self.setWindowTitle("Import a bundle" if self.preview else "Bundle imported")
        changed = receipt.added + receipt.updated + receipt.deleted + receipt.conflicts
        if self.preview:
            head = f"Importing {name} would change this workbook like this:"
            if not changed:
                head = f"This workbook already has everything in {name}; importing changes nothing."
        elif changed:
            head = (
                f"Imported {name}. The workbook as it was before is kept as a backup "
                "(File → Backups and restore)."
            )
        else:
            head = f"Nothing changed: this workbook already had everything in {name}."
        intro = QLabel(head, self)
        intro.setWordWrap(True)
        self.counts = QLabel(counts_text(receipt), self)
        self.counts.setAccessibleName("What the import changes")
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.counts.font()
        font.setBold(True)
        self.counts.setFont(font)
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.counts)
        if receipt.conflicts:
            would = "would be" if self.preview else "were"
            note = QLabel(
                f"{receipt.conflicts} record(s) {would} changed both here and in the bundle since "
                "they last met: both versions are kept, the later one is shown, and the "
                "conflict waits for you to resolve it.",
                self,
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        facts = QFormLayout()
        facts.addRow("Encryption", self._value(SEALED.get(encryption, encryption)))
        for label, value in bundle.summary(receipt.manifest):
            facts.addRow(label, self._value(_made(value) if label == "Made" else value))
        layout.addLayout(facts)
        buttons = QDialogButtonBox(self)
        if self.preview:
            self.import_button = buttons.addButton(
                "&Import", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.import_button.setAccessibleName("Import the bundle")
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setAccessibleName("Cancel the import")
        else:
            close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setAccessibleName("Close")
            if receipt.conflicts and can_show_conflicts:
                show = buttons.addButton("Show &conflicts", QDialogButtonBox.ButtonRole.ActionRole)
                show.setAccessibleName("Show conflicts")
                show.clicked.connect(lambda: self.done(SHOW_CONFLICTS))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 580)

    def _value(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label


class BundleImporter(QObject):
    """Choose, open, preview, import. ``finished`` gives the ``Receipt`` of the import, or None
    when nothing was imported (cancelled, or refused with a sentence)."""

    finished = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        show_conflicts: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._show_conflicts = show_conflicts
        self.op: BackgroundOp | None = None
        self._path = Path()
        self._kind = "none"

    def start(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self._parent,
                "Import a bundle",
                str(default_folder()),
                f"ctdesk bundles (*{files.SUFFIX});;All files (*)",
            )
            if not chosen:
                self.finished.emit(None)
                return
            path = Path(chosen)
        self._path = path
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            self._refuse(f"Cannot read {path}: {exc.strerror or exc}; choose another file.")
            return
        self._kind = crypto.encryption_of(head)
        if self._kind == "passphrase":
            self._ask_passphrase("")
        elif self._kind == "recipients":
            identities = self._identities()
            if identities is None:
                self.finished.emit(None)
                return
            self._preview(None, identities)
        else:
            self._preview(None, [])

    def _ask_passphrase(self, problem: str) -> None:
        dialog = AskPassphrase(self._path.name, problem, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.finished.emit(None)
            return
        self._preview(dialog.passphrase.text(), [])

    def _identities(self) -> list[str] | None:
        if not keys.has_identity():
            answer = QMessageBox.question(
                self._parent,
                "Import a bundle",
                "This bundle is encrypted to its recipients' public keys, and you have no key "
                "yet, so it cannot be opened here.\n\nTo receive bundles, make your key, give "
                "its public key (age1…) to the bundle's sender, and ask them to export the "
                "bundle again to it. Make your key now?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                KeyDialog(self._parent, generate=True).exec()
            return None
        try:
            return keys.read_identities()
        except CtdeskError as exc:
            show_error(self._parent, exc, "Import a bundle")
            return None

    def _preview(self, passphrase: str | None, identities: list[str]) -> None:
        path, kind = self._path, self._kind

        def work(other: Workbook, progress: Progress) -> Any:
            say = stages(progress, 3)
            say("Reading")
            data = files.read(path)
            if kind != "none":
                try:
                    data = crypto.decrypt(data, passphrase=passphrase, identities=identities)
                except crypto.BundleError as exc:
                    if kind == "passphrase":
                        return _Refused(str(exc))
                    raise
            say("Checking")
            contents = bundle.unpack(data)
            say("Comparing")
            return contents, importer.apply(other, contents, dry_run=True)

        self.op = run_in_background(
            self._parent,
            "Import a bundle",
            f"Opening {path.name}…",
            on_sibling(self._session.workbook, work),
            on_success=self._previewed,
            on_failure=self._refuse,
            on_cancel=lambda: self.finished.emit(None),
        )

    def _previewed(self, result: Any) -> None:
        if isinstance(result, _Refused):
            show_error(self._parent, result.message, "Import a bundle")
            self._ask_passphrase("That passphrase did not open the bundle; try again.")
            return
        contents, receipt = result
        dialog = ReceiptDialog(receipt, self._path.name, self._kind, parent=self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.finished.emit(None)
            return

        def work(other: Workbook, _progress: Progress) -> Receipt:
            return importer.apply(other, contents, dry_run=False)

        self.op = without_cancel(
            run_in_background(
                self._parent,
                "Import a bundle",
                f"Backing up, then importing {self._path.name}…",
                on_sibling(self._session.workbook, work),
                on_success=self._imported,
                on_failure=self._refuse,
            )
        )

    def _imported(self, receipt: Receipt) -> None:
        self._session.announce(receipt.changes, origin=self)
        dialog = ReceiptDialog(
            receipt,
            self._path.name,
            self._kind,
            can_show_conflicts=self._show_conflicts is not None,
            parent=self._parent,
        )
        shown = dialog.exec()
        self.finished.emit(receipt)
        if shown == SHOW_CONFLICTS and self._show_conflicts is not None:
            self._show_conflicts()

    def _refuse(self, message: str) -> None:
        show_error(self._parent, message, "Import a bundle")
        self.finished.emit(None)
