"""File → Exchange → Export bundle: which forces, since when, how it is sealed, where it goes.

A bundle not encrypted needs a tick to say the inspector means it, and, when what it carries is
OFFICIAL-SENSITIVE or above, a second, explicit yes after it is built and before it is written.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk import dates
from ctdesk.errors import CtdeskError
from ctdesk.exchange import crypto, export, files, keys, team
from ctdesk.export.progress import Progress
from ctdesk.marking import parse_marking
from ctdesk.ui.background import BackgroundOp, run_in_background
from ctdesk.ui.errors import show_error
from ctdesk.ui.exchange_support import (
    buddy,
    fit,
    name_buttons,
    on_sibling,
    problem_label,
    secret_field,
    stages,
)
from ctdesk.ui.force_checklist_model import ForceChecklistModel
from ctdesk.ui.session import Session
from ctdesk.workbook import Workbook

PASSPHRASE, RECIPIENTS, NONE = "passphrase", "recipients", "none"


@dataclass(frozen=True)
class BundleRequest:
    forces: tuple[str, ...] | None  # None: every force, and national findings
    since_label: str | None  # YYYY-MM-DD
    encryption: export.Encryption
    path: Path

    @property
    def since(self) -> str | None:
        return dates.day_start_utc(self.since_label) if self.since_label else None


Built = tuple[BundleRequest, bytes, dict[str, Any]]  # a bundle built, not yet written


def default_folder() -> Path:
    """Documents when it exists, else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def default_name(author: str, today: date | None = None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", author.lower()).strip("-") or "inspector"
    return f"{slug[:40]}-{(today or date.today()).isoformat()}{files.SUFFIX}"


class BundleExportDialog(QDialog):
    """``request()`` gives what the inspector chose, after Accept."""

    def __init__(
        self, workbook: Workbook, force_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a bundle")
        self._wb = workbook
        self._replace_ok: str | None = None  # a path the file chooser already asked to replace
        intro = QLabel(
            # Not word-wrapped: a wrapping label upsets the form's minimum height.
            "A bundle carries records with their whole histories to another inspector's\n"
            "workbook, where they merge with what is there.",
            self,
        )
        # Which forces
        self.all_forces = QRadioButton("All forces, and national findings", self)
        self.all_forces.setAccessibleName("All forces")
        self.some_forces = QRadioButton("Only the forces ticked", self)
        self.some_forces.setAccessibleName("Only the forces ticked")
        scope_group = QButtonGroup(self)
        scope_group.addButton(self.all_forces)
        scope_group.addButton(self.some_forces)
        self.force_model = ForceChecklistModel(
            workbook.scope.forces, [force_id] if force_id else [], self
        )
        self.forces = QListView(self)
        self.forces.setModel(self.force_model)
        self.forces.setAccessibleName("Forces to export")
        if force_id and self.force_model.row_of(force_id) >= 0:
            self.forces.scrollTo(self.force_model.index(self.force_model.row_of(force_id)))
        self.forces.setFixedHeight(self.fontMetrics().lineSpacing() * 9)  # about seven forces
        (self.some_forces if force_id else self.all_forces).setChecked(True)
        # Since when
        self.use_since = QCheckBox("Only records changed on or after", self)
        self.use_since.setAccessibleName("Only records changed since a date")
        self.since = QDateEdit(QDate.currentDate(), self)
        self.since.setAccessibleName("Changed on or after")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        since_row = QHBoxLayout()
        since_row.addWidget(self.use_since)
        since_row.addWidget(self.since)
        since_row.addStretch(1)
        # How it is sealed
        self.by_passphrase = QRadioButton("With a passphrase", self)
        self.by_passphrase.setAccessibleName("Encrypt with a passphrase")
        self.by_keys = QRadioButton("To the recipients' public keys", self)
        self.by_keys.setAccessibleName("Encrypt to public keys")
        self.plain = QRadioButton("Not encrypted", self)
        self.plain.setAccessibleName("Not encrypted")
        self.mode = QButtonGroup(self)
        for button in (self.by_passphrase, self.by_keys, self.plain):
            self.mode.addButton(button)
        modes = QHBoxLayout()
        for button in (self.by_passphrase, self.by_keys, self.plain):
            modes.addWidget(button)
        modes.addStretch(1)
        self.first = secret_field(self, "Bundle passphrase")
        self.second = secret_field(self, "Repeat the bundle passphrase")
        self.recipients = QPlainTextEdit(self)
        self.recipients.setAccessibleName("Public keys")
        self.recipients.setPlaceholderText("age1… — one public key a line")
        self.recipients.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 10)
        self.recipients.setTabChangesFocus(True)
        self.add_mine = QPushButton("Add &my own key", self)
        self.add_mine.setAccessibleName("Add my own public key")
        self.add_mine.clicked.connect(self._add_mine)
        self.add_mine.setEnabled(keys.has_identity())
        if not keys.has_identity():
            self.add_mine.setToolTip("You have no key yet: File → Exchange → My public key.")
        keys_box = self._keys_box = QVBoxLayout()
        keys_box.addWidget(self.recipients)
        keys_box.addWidget(self.add_mine, 0, Qt.AlignmentFlag.AlignLeft)
        self.confirm_plain = QCheckBox(
            "I understand that anyone who gets the file can read everything in it", self
        )
        self.confirm_plain.setAccessibleName("Confirm writing the bundle unencrypted")
        # Where
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Save to")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose where to save")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.problem = problem_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        name_buttons(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = self._form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Forces", self.all_forces)
        form.addRow("", self.some_forces)
        form.addRow("", self.forces)
        form.addRow("Since", since_row)
        form.addRow("Encryption", modes)
        form.addRow("&Passphrase", self.first)
        form.addRow("&Repeat it", self.second)
        form.addRow(buddy("Public &keys", self.recipients), keys_box)
        form.addRow("", self.confirm_plain)
        form.addRow(buddy("&Save to", self.path), path_row)
        form.addRow(self.problem)
        form.addRow(buttons)
        known = team.settings(workbook).recipients
        self.recipients.setPlainText("\n".join(known))
        (self.by_keys if known else self.by_passphrase).setChecked(True)
        self.path.setText(str(default_folder() / default_name(workbook.author)))
        self.mode.buttonToggled.connect(self._refresh)
        scope_group.buttonToggled.connect(self._refresh)
        self.use_since.toggled.connect(self._refresh)
        self._refresh()
        fit(self, 660)

    def encryption_mode(self) -> str:
        if self.by_passphrase.isChecked():
            return PASSPHRASE
        return RECIPIENTS if self.by_keys.isChecked() else NONE

    def _refresh(self) -> None:
        mode = self.encryption_mode()
        self.forces.setEnabled(self.some_forces.isChecked())
        self.since.setEnabled(self.use_since.isChecked())
        for widget, shown in (
            (self.first, mode == PASSPHRASE),
            (self.second, mode == PASSPHRASE),
            (self._keys_box, mode == RECIPIENTS),
            (self.confirm_plain, mode == NONE),
        ):
            self._form.setRowVisible(widget, shown)
        if mode != NONE:
            self.confirm_plain.setChecked(False)
        self.problem.clear()
        fit(self, self.width(), grow_only=True)

    def _add_mine(self) -> None:
        try:
            mine = keys.public_key()
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return
        lines = [line for line in self.recipients.toPlainText().splitlines() if line.strip()]
        if mine not in (line.strip() for line in lines):
            self.recipients.setPlainText("\n".join([*lines, mine]))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the bundle to", self.path.text(), f"ctdesk bundles (*{files.SUFFIX})"
        )
        if chosen:
            self.path.setText(chosen)
            self._replace_ok = chosen  # the chooser asked before choosing an existing file

    def chosen_forces(self) -> tuple[str, ...] | None:
        if self.all_forces.isChecked():
            return None
        return self.force_model.chosen()

    def _encryption(self) -> export.Encryption:
        """What was chosen, checked; raises ``CtdeskError`` with a sentence."""
        mode = self.encryption_mode()
        if mode == PASSPHRASE:
            if self.first.text() != self.second.text():
                raise crypto.BundleError("The two passphrases differ; type the same one twice.")
            return export.Encryption(passphrase=crypto.check_passphrase(self.first.text()))
        if mode == RECIPIENTS:
            lines = [t.strip() for t in self.recipients.toPlainText().splitlines() if t.strip()]
            if not lines:
                raise crypto.BundleError(
                    "Give at least one public key (age1…), one a line, or choose a passphrase."
                )
            return export.Encryption(recipients=tuple(crypto.parse_recipient(t) for t in lines))
        if not self.confirm_plain.isChecked():
            raise crypto.BundleError(
                "Tick the box to confirm that the bundle may be written unencrypted, or choose "
                "a passphrase or public keys."
            )
        return export.Encryption(none=True)

    def _accept(self) -> None:
        try:
            self._request = self._checked()
        except CtdeskError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def _checked(self) -> BundleRequest:
        forces = self.chosen_forces()
        if forces == ():
            raise crypto.BundleError("Tick at least one force, or choose all forces.")
        encryption = self._encryption()
        text = self.path.text().strip()
        if not text:
            raise crypto.BundleError("Choose where to save the bundle.")
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            raise crypto.BundleError(f"The folder {path.parent} does not exist; choose another.")
        if path.exists() and text != self._replace_ok:
            raise crypto.BundleError(
                f"{path.name} already exists there; give another name, or choose it with "
                "Browse… to replace it."
            )
        since = self.since.date().toString("yyyy-MM-dd") if self.use_since.isChecked() else None
        return BundleRequest(forces, since, encryption, path)

    def request(self) -> BundleRequest:
        return self._request


def _sensitive(manifest: dict[str, Any]) -> bool:
    try:
        marking = parse_marking(str(manifest["highest_marking"]), allow_above_official=True)
    except (KeyError, CtdeskError):
        return True  # unknown: treat as sensitive
    return marking.level >= 1


def done_message(made: export.Made) -> str:
    counts = made.manifest["counts"]
    records = sum(counts.get(k, 0) for k in ("note", "activity", "document", "finding"))
    how = {
        "passphrase": "encrypted with a passphrase (tell it to the recipients by another way "
        "than the file)",
        "recipients": "encrypted to the public keys given",
        "none": "NOT encrypted",
    }[made.encryption]
    return (
        f"Wrote {made.path}.\n\n{records} records ({counts.get('revisions', 0)} revisions, "
        f"{counts.get('attachments', 0)} attached files), {how}.\n"
        f"Highest marking: {made.manifest['highest_marking']}."
    )


class BundleExporter(QObject):
    """Asks, then builds and writes the bundle in the background. ``finished`` gives the
    ``Made``, or None when nothing was written (cancelled, declined or failed)."""

    finished = Signal(object)

    def __init__(self, session: Session, parent: QWidget, force_id: str | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._force_id = force_id
        self.op: BackgroundOp | None = None

    def start(self) -> None:
        wb = self._session.workbook
        dialog = BundleExportDialog(wb, self._force_id, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.finished.emit(None)
            return
        request = dialog.request()
        if request.encryption.none:  # built first: its marking decides whether to ask again

            def build(other: Workbook, progress: Progress) -> Built:
                data, manifest = export.build(
                    other,
                    forces=request.forces,
                    since=request.since,
                    since_label=request.since_label,
                    progress=stages(progress, 3),
                )
                return request, data, manifest

            self._run("Building the bundle…", on_sibling(wb, build), self._built)
            return

        def seal(other: Workbook, progress: Progress) -> export.Made:
            return export.export_bundle(
                other,
                request.path,
                request.encryption,
                forces=request.forces,
                since=request.since,
                since_label=request.since_label,
                progress=stages(progress, 4),
            )

        self._run("Building and encrypting the bundle…", on_sibling(wb, seal), self._done)

    def _built(self, result: Built) -> None:
        request, data, manifest = result
        if _sensitive(manifest):
            answer = QMessageBox.warning(
                self._parent,
                "Write OFFICIAL-SENSITIVE material unencrypted?",
                f"This bundle holds material marked {manifest['highest_marking']}. Written "
                "unencrypted, anyone who gets the file, or a copy of it, can read all of it.\n\n"
                "Encrypt it with a passphrase or the recipients' public keys instead unless you "
                "are sure. Write it unencrypted?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.finished.emit(None)
                return

        def write(_progress: Progress) -> export.Made:
            return export.write(request.path, data, manifest, export.Encryption(none=True))

        self._run("Writing the bundle…", write, self._done)

    def _run(self, label: str, work: Any, on_success: Any) -> None:
        self.op = run_in_background(
            self._parent,
            "Exporting a bundle",
            label,
            work,
            on_success=on_success,
            on_failure=self._failed,
            on_cancel=lambda: self.finished.emit(None),
        )

    def _done(self, made: export.Made) -> None:
        QMessageBox.information(self._parent, "Bundle exported", done_message(made))
        self.finished.emit(made)

    def _failed(self, message: str) -> None:
        show_error(self._parent, message, "Export a bundle")
        self.finished.emit(None)
