"""Pieces the exchange dialogs share: a worker's own connection, progress from the services'
stage names, receipts in words, and asking for a bundle's passphrase."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.exchange.importer import Receipt
from ctdesk.export.progress import Progress
from ctdesk.owner_lock import OwnerLock
from ctdesk.ui.background import BackgroundOp
from ctdesk.ui.fields import problem_label, secret_field
from ctdesk.workbook import Workbook

T = TypeVar("T")
Stages = Callable[[str], None]


def on_sibling(wb: Workbook, work: Callable[[Workbook, Progress], T]) -> Callable[[Progress], T]:
    """``work`` as background work on a connection of its own (one connection per thread),
    writing under the window's lock, closed when the work ends."""

    def run(progress: Progress) -> T:
        other = wb.sibling()
        try:
            return work(other, progress)
        finally:
            # A sibling shares the window's lock, and closing a workbook releases its lock:
            # give the sibling a lock of its own (not held) so the window keeps the real one.
            other.owner = OwnerLock(other.path)
            other.close()

    return run


def stages(progress: Progress, total: int) -> Stages:
    """A service's ``progress(stage name)`` as steps of ``total``; cancelling makes the next
    stage raise (``ExportCancelled``)."""
    done = [0]

    def say(_stage: str) -> None:
        done[0] = min(done[0] + 1, total)
        progress.update(done[0], total)

    return say


def without_cancel(op: BackgroundOp) -> BackgroundOp:
    """Work that cannot stop halfway (it commits as it goes): a busy bar and no Cancel."""
    op.dialog.setCancelButton(None)
    op.dialog.setRange(0, 0)
    return op


def counts_text(receipt: Receipt) -> str:
    """``2 new, 1 updated, 0 moved to the trash, 5 unchanged, 0 in conflict``."""
    r = receipt
    return (
        f"{r.added} new, {r.updated} updated, {r.deleted} moved to the trash, "
        f"{r.unchanged} unchanged, {r.conflicts} in conflict"
    )


def all_changes(receipts: Iterable[Receipt]) -> Changes:
    changes = Changes()
    for receipt in receipts:
        changes |= receipt.changes
    return changes


def fit(dialog: QDialog, width: int, *, grow_only: bool = False) -> None:
    """Size ``dialog`` to ``width`` and the height its wrapped text needs at that width (only
    ever taller when ``grow_only``, after rows were shown)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.invalidate()
    height = layout.totalHeightForWidth(width)
    height = height if height > 0 else dialog.sizeHint().height()
    dialog.resize(width, max(height, dialog.height()) if grow_only else height)


def buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose shortcut (``&``) goes to ``widget``, for rows whose field is a layout."""
    label = QLabel(text, widget.parentWidget())
    label.setBuddy(widget)
    return label


def name_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Give each button of ``box`` without an accessible name its text as one."""
    for button in box.buttons():
        if not button.accessibleName():
            button.setAccessibleName(button.text().replace("&", ""))
    return box


class AskPassphrase(QDialog):
    """Asks for a bundle's passphrase (checked later, in the background): ``passphrase.text()``
    after Accept. ``problem`` says why it is asked again."""

    def __init__(self, name: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bundle passphrase")
        intro = QLabel(
            f"{name} is encrypted with a passphrase. Type the passphrase its sender gave you.",
            self,
        )
        intro.setWordWrap(True)
        self.passphrase = secret_field(self, "Bundle passphrase")
        self.problem = problem_label(self)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open")
        name_buttons(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow(self.problem)
        form.addRow(buttons)
        fit(self, 480)

    def _accept(self) -> None:
        if not self.passphrase.text():
            self.problem.setText("Type the passphrase first.")
            self.problem.show()
            return
        self.accept()
