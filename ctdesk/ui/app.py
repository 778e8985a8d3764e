"""Starting the GUI: the application object, opening the workbook, the window, screenshots."""

import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ctdesk import __version__, backups
from ctdesk import passphrase as passphrase_mod
from ctdesk.errors import CtdeskError, PassphraseNeeded, WrongPassphrase
from ctdesk.owner_lock import Holder, OwnerLock
from ctdesk.settings import Settings
from ctdesk.ui.backups_dialog import local_time
from ctdesk.ui.errors import install_excepthook, show_error
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.passphrase_dialog import NewPassphraseDialog, UnlockDialog
from ctdesk.ui.session import Session
from ctdesk.ui.settings_dialog import SettingsDialog
from ctdesk.workbook import Workbook


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen platform (screenshots, tests) warns about a window hint it cannot honour.
    if "propagateSizeHints" in message:
        return
    print(message, file=sys.stderr)


def application() -> QApplication:
    """The QApplication, created once with ctdesk's names."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("ctdesk")
        QCoreApplication.setApplicationName("ctdesk")
        QCoreApplication.setApplicationVersion(__version__)
        qInstallMessageHandler(_qt_message)
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def open_workbook(path: Path, *, create_if_missing: bool, ask: bool) -> Workbook | None:
    """Open (or create) the workbook; problems are told in a message box and give None.

    An encrypted workbook is unlocked with ``CTDESK_PASSPHRASE`` or a passphrase typed in a
    dialog; a new one is offered a passphrase first; one open for writing elsewhere is offered
    read-only; one that will not open is offered its newest good backup.
    """
    key: str | None = None
    try:
        if path.exists():
            if passphrase_mod.is_encrypted(path):
                key = _passphrase_for(path, ask)
                if key is None:
                    return None
            return _open_for_window(path, key, ask)
        if not create_if_missing:
            if not ask:
                raise CtdeskError(f"There is no workbook at {path}; check the path.")
            answer = QMessageBox.question(
                None, "ctdesk", f"There is no workbook at {path}. Create a new one there?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        if ask:
            offer = NewPassphraseDialog()
            offer.exec()
            key = offer.chosen
        return Workbook.create(path, passphrase=key)
    except CtdeskError as exc:
        if not ask:
            raise
        if path.exists() and not isinstance(exc, PassphraseNeeded | WrongPassphrase):
            return _offer_restore(path, exc, key)
        show_error(None, exc)
        return None


def _passphrase_for(path: Path, ask: bool) -> str | None:
    """The passphrase that opens the encrypted workbook: from the environment, else typed
    (None if the inspector cancels). Only the key is tried here; nothing is written."""
    given = passphrase_mod.from_environment()
    if given is not None:
        try:
            return passphrase_mod.verify(path, given)
        except WrongPassphrase:
            if not ask:
                raise
    elif not ask:
        passphrase_mod.verify(path, None)  # raises PassphraseNeeded with its sentence
    dialog = UnlockDialog(
        f"The workbook {path.name} is encrypted. Type its passphrase to open it.",
        lambda typed: passphrase_mod.verify(path, typed),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    assert isinstance(dialog.result_value, str)
    return dialog.result_value


def _open_for_window(path: Path, key: str | None, ask: bool) -> Workbook | None:
    """The workbook with its write lock, taken before anything is written; if another ctdesk
    has it, read-only (when the inspector agrees)."""
    holder = OwnerLock(path).holder()
    if holder is not None:
        return _read_only_offer(path, key, holder, ask)
    workbook = Workbook.open(path, passphrase=key)
    holder = workbook.claim()  # another ctdesk could have come in between
    if holder is None:
        return workbook
    workbook.close()
    return _read_only_offer(path, key, holder, ask)


def _read_only_offer(path: Path, key: str | None, holder: Holder, ask: bool) -> Workbook | None:
    message = (
        f"The workbook {path.name} is open for writing in ctdesk {holder.describe()}. "
        "Two windows writing to one workbook would overwrite each other's work."
    )
    if not ask:
        raise CtdeskError(message.replace(". Two", "; close it there first. Two"))
    box = QMessageBox(QMessageBox.Icon.Question, "Workbook open elsewhere", message)
    box.setInformativeText("Open it read-only here, to look things up without changing them?")
    read_only = box.addButton("Open &read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not read_only:
        return None
    return Workbook.open(path, passphrase=key, read_only=True)


def _offer_restore(path: Path, problem: CtdeskError, key: str | None) -> Workbook | None:
    """A workbook that will not open: offer its newest good backup instead of failing."""
    found = backups.backups_for_path(path)
    if not found:
        show_error(None, problem)
        return None
    when = local_time(found[0].taken_at)
    answer = QMessageBox.question(
        None,
        "The workbook will not open",
        f"{problem}\n\nRestore its newest good backup (the newest was taken {when})? The "
        "damaged file is kept beside the backups.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    key = key or passphrase_mod.from_environment()
    try:
        restored = backups.restore_newest_good(path, key)
        taken = local_time(restored.taken_at)
        QMessageBox.information(None, "Restored", f"Restored the backup taken {taken}.")
        return _open_for_window(path, key, True)
    except CtdeskError as exc:
        show_error(None, exc)
        return None


def build_window(workbook: Workbook, *, restore_place: bool = True) -> MainWindow:
    """The main window with its remembered layout, and (unless told not to) the last force."""
    session = Session(workbook)
    window = MainWindow(session)
    window.restore_state()
    if restore_place:
        window.restore_place()
    return window


_windows: list[MainWindow] = []  # the windows shown, kept alive while they are open


def show(window: MainWindow) -> None:
    """Show a main window and take over its requests to be replaced (after a restore)."""
    window.reopen_requested.connect(lambda path, key: reopen(window, path, key))
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    _windows.append(window)
    window.show()


def reopen(old: MainWindow, path: Path, key: str | None) -> MainWindow | None:
    """Replace ``old`` by a window on the workbook at ``path`` opened afresh."""
    try:
        workbook = _open_for_window(path, key, ask=True)
    except CtdeskError as exc:
        show_error(old, exc)
        workbook = None
    new = build_window(workbook) if workbook is not None else None
    if new is not None:
        show(new)
        new.statusBar().showMessage(f"Reopened {path.name} as restored.", 10000)
    old.close()
    return new


def screenshot(window: MainWindow, out: Path) -> None:
    """Render the window as shown to a PNG file."""
    window.show()
    app = application()
    for _ in range(3):
        app.processEvents()
    if not window.grab().save(str(out)):
        raise CtdeskError(f"Could not write the screenshot {out}; check the folder exists.")


def run(path: Path, *, create_if_missing: bool, screenshot_to: Path | None = None) -> int:
    """Run the GUI on a workbook until the window closes; returns the exit status."""
    app = application()
    if screenshot_to is None and not Settings.exists():
        SettingsDialog(Settings.load(), first_run=True).exec()  # cancelling keeps the defaults
    workbook = open_workbook(path, create_if_missing=create_if_missing, ask=screenshot_to is None)
    if workbook is None:
        return 1
    window = build_window(workbook, restore_place=screenshot_to is not None)
    try:
        if screenshot_to is not None:
            screenshot(window, screenshot_to)
            return 0
        install_excepthook()
        show(window)
        app.processEvents()
        # The window is on screen before the last force's records load.
        QTimer.singleShot(0, window.restore_place)
        window.back_up_quietly()
        return app.exec()
    finally:
        window.session.close()
