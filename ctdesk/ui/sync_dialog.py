"""File → Exchange → Sync with team folder: where the folder is, how bundles there are sealed,
and a sync now, reported bundle by bundle.

The folder and the members' public keys are kept in the workbook (``team.configure``); a team
passphrase is typed for each sync and never stored.
"""

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk.errors import CtdeskError, InvalidInput
from ctdesk.exchange import crypto, keys, team
from ctdesk.export.progress import Progress
from ctdesk.ui.background import BackgroundOp, run_in_background
from ctdesk.ui.exchange_support import (
    all_changes,
    buddy,
    counts_text,
    on_sibling,
    problem_label,
    secret_field,
    without_cancel,
)
from ctdesk.ui.session import Session
from ctdesk.workbook import Workbook


def report_text(report: team.SyncReport) -> str:
    """The sync report for people, one line a bundle."""
    lines = [f"Synced with {report.folder} at {datetime.now().strftime('%H:%M')}."]
    lines += [f"⚠ {text}" for text in report.warnings]
    for name, receipt in report.receipts.items():
        lines.append(f"{name}: {counts_text(receipt)}.")
    for name, reason in report.refused.items():
        lines.append(f"{name}: not imported. {reason}")
    if report.skipped:
        lines.append(f"{len(report.skipped)} bundle(s) unchanged since the last sync.")
    if not (report.receipts or report.refused or report.skipped):
        lines.append("No colleague's bundle is in the folder yet.")
    if report.wrote:
        lines.append(f"Left this workbook's bundle there: {report.own.name}.")
    else:
        lines.append(f"This workbook's bundle there is up to date ({report.own.name}).")
    return "\n".join(lines)


class SyncDialog(QDialog):
    """Team folder settings and Sync now. ``synced`` gives each ``SyncReport``."""

    synced = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync with the team folder")
        self._session = session
        self.op: BackgroundOp | None = None
        wb = session.workbook
        current = team.settings(wb)
        intro = QLabel(
            "Each workbook leaves its bundle in a shared folder and takes everyone else's. "
            "Choose a folder your organisation's file sync shares, and keep the workbook "
            "itself outside it.",
            self,
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit(str(current.folder or ""), self)
        self.folder.setAccessibleName("Team folder")
        self.folder.setPlaceholderText("Not chosen yet")
        choose = QPushButton("C&hoose…", self)
        choose.setAccessibleName("Choose the team folder")
        choose.clicked.connect(self._choose)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.by_passphrase = QRadioButton("The team's passphrase", self)
        self.by_passphrase.setAccessibleName("Encrypt with the team's passphrase")
        self.by_keys = QRadioButton("Members' public keys", self)
        self.by_keys.setAccessibleName("Encrypt to members' public keys")
        mode = QButtonGroup(self)
        mode.addButton(self.by_passphrase)
        mode.addButton(self.by_keys)
        modes = QHBoxLayout()
        modes.addWidget(self.by_passphrase)
        modes.addWidget(self.by_keys)
        modes.addStretch(1)
        self.passphrase = secret_field(self, "Team passphrase")
        self.passphrase.setPlaceholderText("Typed at each sync, never stored")
        self.recipients = QPlainTextEdit("\n".join(current.recipients), self)
        self.recipients.setAccessibleName("Members' public keys")
        self.recipients.setPlaceholderText("age1… — one public key a line, yours too")
        self.recipients.setTabChangesFocus(True)
        self.recipients.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 6)
        self.add_mine = QPushButton("Add &my own key", self)
        self.add_mine.setAccessibleName("Add my own public key")
        self.add_mine.setEnabled(keys.has_identity())
        self.add_mine.clicked.connect(self._add_mine)
        keys_box = self._keys_box = QVBoxLayout()
        keys_box.addWidget(self.recipients)
        keys_box.addWidget(self.add_mine, 0, Qt.AlignmentFlag.AlignLeft)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.problem = problem_label(self)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Sync report")
        self.report.setPlaceholderText("What the last sync did appears here.")
        self.save_button = QPushButton("&Save", self)
        self.save_button.setAccessibleName("Save the team settings")
        self.save_button.setToolTip("Keep the folder and keys without syncing (Sync now does too).")
        self.save_button.clicked.connect(self.save)
        self.sync_button = QPushButton("S&ync now", self)
        self.sync_button.setAccessibleName("Sync now")
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.sync_now)
        close = QPushButton("Close", self)
        close.setAccessibleName("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(close)
        form = self._form = QFormLayout()
        form.addRow(buddy("&Folder", self.folder), folder_row)
        form.addRow("Encryption", modes)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow(buddy("Public &keys", self.recipients), keys_box)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(buddy("&Last sync", self.report))
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        (self.by_keys if current.recipients else self.by_passphrase).setChecked(True)
        mode.buttonToggled.connect(self._refresh)
        self._refresh()
        self.resize(660, 560)

    def _refresh(self) -> None:
        by_keys = self.by_keys.isChecked()
        self._form.setRowVisible(self.passphrase, not by_keys)
        self._form.setRowVisible(self._keys_box, by_keys)
        if by_keys and not keys.has_identity():
            self.hint.setText(
                "You have no key yet, so colleagues' bundles encrypted to members' keys cannot "
                "be opened here: File → Exchange → My public key makes one to add to the list."
            )
        elif by_keys:
            self.hint.setText(
                "Every member's bundle is encrypted to all these keys; give yours to the team "
                "and add theirs."
            )
        else:
            self.hint.setText(
                "Everyone in the team uses the same passphrase, agreed out of band; it is asked "
                "for at each sync."
            )

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "The team folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _add_mine(self) -> None:
        try:
            mine = keys.public_key()
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return
        lines = [t.strip() for t in self.recipients.toPlainText().splitlines() if t.strip()]
        if mine not in lines:
            self.recipients.setPlainText("\n".join([*lines, mine]))

    def _recipients(self) -> list[str]:
        """The public keys given (empty: the passphrase), checked; raises with a sentence."""
        if not self.by_keys.isChecked():
            return []
        lines = [t.strip() for t in self.recipients.toPlainText().splitlines() if t.strip()]
        if not lines:
            raise InvalidInput(
                "Give the members' public keys (age1…), one a line, or use the team's passphrase."
            )
        return [crypto.parse_recipient(line) for line in lines]

    def save(self) -> bool:
        """Store the folder and keys; False (with the problem shown) if they are not right."""
        self.problem.clear()
        text = self.folder.text().strip()
        try:
            if not text:
                raise InvalidInput("Choose the team folder first.")
            folder = Path(text).expanduser()
            if not folder.is_dir():
                raise InvalidInput(
                    f"The folder {folder} does not exist; create it or choose another."
                )
            stored = team.configure(
                self._session.workbook, folder=folder, recipients=self._recipients()
            )
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return False
        self.folder.setText(str(stored.folder))
        self.recipients.setPlainText("\n".join(stored.recipients))
        return True

    def sync_now(self) -> None:
        passphrase: str | None = None
        if self.by_passphrase.isChecked():
            try:
                passphrase = crypto.check_passphrase(self.passphrase.text())
            except CtdeskError as exc:
                self.problem.setText(str(exc))
                return
        if not self.save():
            return
        try:
            identities = keys.read_identities() if keys.has_identity() else []
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return

        def work(other: Workbook, _progress: Progress) -> team.SyncReport:
            return team.sync(other, passphrase=passphrase, identities=identities)

        self.sync_button.setEnabled(False)
        self.op = without_cancel(
            run_in_background(
                self,
                "Sync with the team folder",
                "Importing colleagues' bundles, then leaving this workbook's…",
                on_sibling(self._session.workbook, work),
                on_success=self._synced,
                on_failure=self._failed,
            )
        )

    def _synced(self, report: team.SyncReport) -> None:
        self.op = None
        self.sync_button.setEnabled(True)
        self._session.announce(all_changes(report.receipts.values()), origin=self)
        self.report.setPlainText(report_text(report))
        self.synced.emit(report)

    def _failed(self, message: str) -> None:
        self.op = None
        self.sync_button.setEnabled(True)
        self.problem.setText(message)
        self.synced.emit(None)
