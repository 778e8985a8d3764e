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

from ctdesk import __version__, backups, recent_workbooks
from ctdesk import passphrase as passphrase_mod
from ctdesk.errors import CtdeskError, PassphraseNeeded, WrongPassphrase
from ctdesk.owner_lock import Holder, OwnerLock
from ctdesk.settings import Settings
from ctdesk.ui.backups_dialog import local_time
from ctdesk.ui.errors import install_excepthook, show_error
from ctdesk.ui.icons import app_icon
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.passphrase_dialog import NewPassphraseDialog, UnlockDialog
from ctdesk.ui.session import Session
from ctdesk.ui.theme import apply_theme
from ctdesk.ui.welcome_dialog import WelcomeDialog
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
        app.setWindowIcon(app_icon())
        # Wayland takes the window's icon from the desktop entry this names.
        QApplication.setDesktopFileName("ctdesk")
        apply_theme(app)  # the system's light or dark scheme, or CTDESK_THEME's
    assert isinstance(app, QApplication)
    return app


class _Offer:
    """Marker: a new workbook is offered a passphrase in a dialog (when asking is allowed)."""


OFFER_PASSPHRASE = _Offer()


def open_workbook(
    path: Path,
    *,
    create_if_missing: bool,
    ask: bool,
    new_passphrase: str | _Offer | None = OFFER_PASSPHRASE,
) -> Workbook | None:
    """Open (or create) the workbook; problems are told in a message box and give None.

    An encrypted workbook is unlocked with ``CTDESK_PASSPHRASE`` or a passphrase typed in a
    dialog; a new one is offered a passphrase first (unless ``new_passphrase`` says which, None
    for none: the welcome asked already); one open for writing elsewhere is offered read-only;
    one that will not open is offered its newest good backup.
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
        if not isinstance(new_passphrase, _Offer):
            key = new_passphrase
        elif ask:
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
    """Show a main window and take over its requests to be replaced: after a restore, and to
    open another workbook (File → New, Open, Open recent). The workbook joins the recent list."""
    window.reopen_requested.connect(lambda path, key: reopen(window, path, key))
    window.workbook_menu.open_requested.connect(
        lambda path, create: switch(window, path, create=create)
    )
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    _windows.append(window)
    recent_workbooks.add(window.session.workbook.path)
    window.show()


def reopen(old: MainWindow, path: Path, key: str | None) -> MainWindow | None:
    """Replace ``old`` by a window on the workbook at ``path`` opened afresh."""
    try:
        workbook = _open_for_window(path, key, ask=True)
    except CtdeskError as exc:
        show_error(old, exc)
        workbook = None
    if workbook is None:
        old.close()
        return None
    return _replace(old, workbook, f"Reopened {path.name} as restored.")


def switch(old: MainWindow, path: Path, *, create: bool = False) -> MainWindow | None:
    """Open (``create``: make) the workbook at ``path`` in place of ``old``'s.

    Asked as when ctdesk starts: its passphrase if encrypted, read-only if open elsewhere, a
    passphrase for a new one. ``old`` stays as it was if nothing opens (None is returned).
    """
    if not old.force_page.flush():
        answer = QMessageBox.question(
            old,
            "Open another workbook",
            "The last change could not be saved "
            f"({old.force_page.unsaved_problem()}). Open the other workbook anyway and lose it?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    workbook = open_workbook(path, create_if_missing=create, ask=True)
    if workbook is None:
        return None
    new = _replace(old, workbook, f"{'Created' if create else 'Opened'} {path}.")
    new.back_up_quietly()
    return new


def _replace(old: MainWindow, workbook: Workbook, message: str) -> MainWindow:
    """A window on ``workbook`` where ``old`` was (same place and size); ``old`` goes, its
    workbook closed and its write lock released."""
    old.save_state()
    new = build_window(workbook)
    show(new)
    new.statusBar().showMessage(message, 10000)
    old.search_page.shutdown()
    old._closing_for_reopen = True  # its state is saved and its edits written: just close
    old.close()
    if old.idle_lock is not None:
        old.idle_lock.set_minutes(0)
    old.session.close()
    if old in _windows:  # a window the application showed; a caller's own stays theirs
        old.deleteLater()
    return new


def screenshot(window: MainWindow, out: Path) -> None:
    """Render the window as shown to a PNG file."""
    window.show()
    app = application()
    for _ in range(3):
        app.processEvents()
    if not window.grab().save(str(out)):
        raise CtdeskError(f"Could not write the screenshot {out}; check the folder exists.")


def welcome(path: Path, *, create_if_missing: bool) -> WelcomeDialog | None:
    """First run: the welcome dialog, accepted (settings saved), or None if the inspector
    closed it, which keeps the defaults (the welcome comes again next time)."""
    offer = create_if_missing and not path.exists()  # a passphrase only for a workbook to make
    dialog = WelcomeDialog(Settings.load(), offer_passphrase=offer)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog


def _first_workbook(
    path: Path, create_if_missing: bool, welcomed: WelcomeDialog | None
) -> Workbook | None:
    """The workbook the first window opens on: the inspector's, or the demo they chose."""
    if welcomed is None:
        return open_workbook(path, create_if_missing=create_if_missing, ask=True)
    if welcomed.demo_path is None:
        return open_workbook(
            path,
            create_if_missing=create_if_missing,
            ask=True,
            new_passphrase=welcomed.passphrase,
        )
    # The demo first: the inspector's own workbook is made now, empty, with the passphrase
    # they chose, and waits under File → Open recent.
    try:
        if create_if_missing and not path.exists():
            Workbook.create(path, welcomed.saved, welcomed.passphrase).close()
        if path.exists():
            recent_workbooks.add(path)
    except CtdeskError as exc:
        show_error(None, exc)
    return open_workbook(welcomed.demo_path, create_if_missing=False, ask=True)


def run(path: Path, *, create_if_missing: bool, screenshot_to: Path | None = None) -> int:
    """Run the GUI on a workbook until the window closes; returns the exit status."""
    app = application()
    welcomed: WelcomeDialog | None = None
    if screenshot_to is None:
        if not Settings.exists():
            welcomed = welcome(path, create_if_missing=create_if_missing)
        workbook = _first_workbook(path, create_if_missing, welcomed)
    else:
        workbook = open_workbook(path, create_if_missing=create_if_missing, ask=False)
    if workbook is None:
        return 1
    window = build_window(workbook, restore_place=screenshot_to is not None)
    try:
        if screenshot_to is not None:
            screenshot(window, screenshot_to)
            return 0
        install_excepthook()
        show(window)
        if welcomed is not None and welcomed.demo_path is not None:
            window.statusBar().showMessage(
                "This is the demo workbook: made-up fieldwork to explore. Your own workbook "
                "is under File → Open recent.",
                30000,
            )
        app.processEvents()
        # The window is on screen before the last force's records load.
        QTimer.singleShot(0, window.restore_place)
        window.back_up_quietly()
        return app.exec()
    finally:
        window.session.close()
        for other in list(_windows):  # windows that replaced it (another workbook opened)
            other.session.close()
