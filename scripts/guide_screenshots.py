"""Render the user guide's screenshots (docs/guide/*.png) from a demo workbook (`make guide`).

Everything happens in a folder of its own (``ctdesk-guide`` in the system's temporary folder,
emptied first and removed at the end) with ``HOME`` and ctdesk's data, config and log folders
inside it, so no real settings, workbooks, keys or backups are read or touched. The workbook is
``ctdesk demo``'s made-up fieldwork (a fixed seed) plus a few records written here, so a rerun
shows the same content; only times, dates, workbook ids and the age keys differ.

Each screen is reached the way an inspector reaches it: a menu item (found by its text) or a
shortcut (found on the window's actions), then the dialog or page it opens is grabbed. If a
screen cannot be reached (the UI changed), the script says which and exits 1, so the guide is
regenerated or the script updated rather than left showing something that is no longer there.

Usage: python scripts/guide_screenshots.py [OUT_FOLDER]   (default docs/guide)
"""

import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(tempfile.gettempdir()) / "ctdesk-guide"
MARKER = ".made-by-guide-screenshots"  # only a folder holding this is ever emptied
HOME = ROOT / "inspector"
SCREEN = {"name": "guide", "x": 0, "y": 0, "width": 1440, "height": 900, "logicalDpi": 96}
WIDTH, HEIGHT = 1280, 800  # the main window in every picture of it
SEED = 2019
NOTES = 3000  # about 65 a force: enough for search, coverage and lists to look lived in
FORCE = "kent"
ME = "A. Inspector"
COLLEAGUE = "B. Khan"
SEARCH = "refresher training"
SEARCH_REGION = "South East"
SWITCH_TO = "north"
TIMEOUT = 30.0  # seconds for anything running in the background


class Unreachable(Exception):
    """A screen the guide shows could not be reached or did not show what it should."""


def _prepare() -> None:
    """A private HOME and ctdesk folders, the offscreen platform, the light theme."""
    if ROOT.exists():
        if not (ROOT / MARKER).exists():
            raise Unreachable(f"{ROOT} exists and was not made by this script; remove it first.")
        shutil.rmtree(ROOT)
    (HOME / "Documents").mkdir(parents=True)
    (ROOT / MARKER).touch()
    screen = ROOT / "screen.json"
    screen.write_text(json.dumps({"screens": [SCREEN | {"logicalDpiX": 96, "logicalDpiY": 96}]}))
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform == "offscreen":  # a screen larger than the window, so dialogs fit around it
        platform = f"offscreen:configfile={screen}"
    env = {
        "QT_QPA_PLATFORM": platform,
        "HOME": str(HOME),
        "XDG_CONFIG_HOME": str(HOME / ".config"),
        "XDG_DATA_HOME": str(HOME / ".local" / "share"),
        "XDG_STATE_HOME": str(HOME / ".local" / "state"),
        "CTDESK_DATA_DIR": str(HOME / ".local" / "share" / "ctdesk"),
        "CTDESK_CONFIG_DIR": str(HOME / ".config" / "ctdesk"),
        "CTDESK_LOG_DIR": str(HOME / ".local" / "state" / "ctdesk" / "log"),
        "CTDESK_AUTHOR": ME,
        "CTDESK_THEME": "light",
        "TZ": "Europe/London",
    }
    os.environ.update(env)
    if hasattr(time, "tzset"):
        time.tzset()
    for name in ("CTDESK_WORKBOOK", "CTDESK_PASSPHRASE", "CTDESK_BUNDLE_PASSPHRASE"):
        os.environ.pop(name, None)


_prepare_error: Unreachable | None = None
try:
    _prepare()
except Unreachable as exc:
    _prepare_error = exc

# ctdesk and Qt only now: they read the environment set above.
import pyrage.x25519  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QMimeData,
    QPoint,
    Qt,
    QTimer,
    QtMsgType,
    QUrl,
    qInstallMessageHandler,
)
from PySide6.QtGui import (  # noqa: E402
    QAction,
    QDragEnterEvent,
    QDragLeaveEvent,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget  # noqa: E402

from ctdesk import backups, demo, paths  # noqa: E402
from ctdesk.exchange import export as bundle_export  # noqa: E402
from ctdesk.exchange import importer, keys, team  # noqa: E402
from ctdesk.settings import Settings  # noqa: E402
from ctdesk.ui.app import application, build_window  # noqa: E402
from ctdesk.ui.backups_dialog import BackupsDialog  # noqa: E402
from ctdesk.ui.bundle_export_dialog import BundleExportDialog  # noqa: E402
from ctdesk.ui.bundle_import_dialog import SHOW_CONFLICTS, ReceiptDialog  # noqa: E402
from ctdesk.ui.export_dialog import ExportDialog  # noqa: E402
from ctdesk.ui.main_window import MainWindow  # noqa: E402
from ctdesk.ui.shortcuts_sheet import ShortcutsSheet  # noqa: E402
from ctdesk.ui.sync_dialog import SyncDialog  # noqa: E402
from ctdesk.ui.theme import apply_theme  # noqa: E402
from ctdesk.ui.welcome_dialog import WelcomeDialog  # noqa: E402
from ctdesk.workbook import Workbook  # noqa: E402

# ---- records written on top of the demo's --------------------------------------------------

INTERVIEW = "Interview: chief officer responsible for Prevent"
INTERVIEW_BODY = (
    "ACC holds the Prevent portfolio and chairs the quarterly Prevent board.\n\n"
    "- Prevent training is **mandatory** for all officers and staff\n"
    "- Completion is tracked monthly; 87% of frontline officers have completed it\n"
    "- Partners (council, health, education) sit on the board\n\n"
    "The board's last meeting discussed a referral concerning "
    "[[redact]]a pupil at a Maidstone secondary school[[/redact]]; the minutes were shared "
    "the same week.\n\n"
    "Follow up: ask the strategic lead for the training completion data by district."
)
MY_EDIT = INTERVIEW_BODY.replace(
    "Follow up: ask the strategic lead for the training completion data by district.",
    "Follow up: the strategic lead will send the training completion data by district "
    "before the end of fieldwork.",
)
THEIR_EDIT = INTERVIEW_BODY.replace(
    "Follow up: ask the strategic lead for the training completion data by district.",
    "Follow up: the completion data by district arrived on Friday; two districts are below 70%.",
)
DRAGGED = ("Prevent_delivery_plan_2019.pdf", "Channel panel minutes - March 2019.docx")
COLLEAGUE_NOTES = (
    (
        "Visit to the custody suite",
        ["A2"],
        "Custody staff knew how to raise a Prevent concern and had done so twice this year.",
    ),
    (
        "Follow-up with the Prevent single point of contact",
        ["A1", "A2"],
        "The single point of contact confirmed that refresher training lapsed in 2017 and is "
        "being rewritten with the regional CT unit.",
    ),
)
ATTACHMENTS = {  # a Kent document's title begins → the file attached to it: name, contents
    "Training completion extract": (
        "training-completion-by-district.csv",
        "district,officers,completed,percent\n"
        "Maidstone,412,371,90\nAshford,288,230,80\nCanterbury,305,207,68\nDover,190,129,68\n",
    ),
    "Counter-terrorism local profile": (
        "ctlp-summary.md",
        "# Counter-terrorism local profile: summary\n\nMade-up text for the ctdesk demo.\n",
    ),
}


# ---- waiting, grabbing, reaching ------------------------------------------------------------

QUIET = ("does not support raise()", "propagateSizeHints")  # the offscreen platform's regrets


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not any(words in message for words in QUIET):
        print(message, file=sys.stderr)


def settle(ms: int = 200) -> None:
    """Let Qt run for ``ms`` milliseconds: layouts, paints, queued signals."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise Unreachable(f"{what} did not happen within {timeout:.0f} seconds")
        settle(20)


def plain(text: str) -> str:
    return text.replace("&", "").strip()


def menu_action(window: MainWindow, *path: str) -> QAction:
    """The menu item at ``path`` ("File", "Exchange", "Export bundle…"), by its text."""
    actions = window.menuBar().actions()
    found: QAction | None = None
    for depth, name in enumerate(path):
        found = next((a for a in actions if plain(a.text()) == name), None)
        if found is None:
            raise Unreachable(f"there is no menu item {' → '.join(path[: depth + 1])}")
        if depth < len(path) - 1:
            menu = found.menu()
            if menu is None:
                raise Unreachable(f"{' → '.join(path[: depth + 1])} is not a menu")
            actions = menu.actions()
    assert found is not None
    if not found.isEnabled():
        raise Unreachable(f"the menu item {' → '.join(path)} is disabled")
    return found


def shortcut_action(window: MainWindow, keys_: str) -> QAction:
    """The window's action that ``keys_`` (such as "Ctrl+K") triggers."""
    wanted = QKeySequence(keys_)
    for action in window.findChildren(QAction):
        if wanted in action.shortcuts() and action.isEnabled():
            return action  # type: ignore[no-any-return]
    raise Unreachable(f"no enabled action of the window has the shortcut {keys_}")


@dataclass
class Shots:
    """Where the pictures go, and what has been written."""

    folder: Path
    written: list[Path] = field(default_factory=list)

    def save(self, pixmap: QPixmap, name: str) -> None:
        if pixmap.isNull() or pixmap.width() < 100 or pixmap.height() < 100:
            raise Unreachable(f"{name}: the grab is empty ({pixmap.width()}×{pixmap.height()})")
        path = self.folder / name
        if not pixmap.save(str(path), "PNG"):
            raise Unreachable(f"could not write {path}; check the folder exists")
        self.written.append(path)
        size = path.stat().st_size // 1024
        print(f"wrote {path} ({pixmap.width()}×{pixmap.height()}, {size} KB)", flush=True)

    def grab(self, widget: QWidget, name: str) -> None:
        settle()
        self.save(widget.grab(), name)

    def grab_with_popup(self, window: QWidget, popup: QWidget, name: str) -> None:
        """The window with a popup over it, where the popup is (both are separate windows)."""
        settle()
        picture = window.grab()
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
        painter.end()
        self.save(picture, name)


@contextmanager
def intercept(kind: type[QDialog], answer: Callable[[Any], int]) -> Iterator[list[Any]]:
    """While inside, ``kind.exec()`` shows the dialog and returns ``answer(dialog)`` instead of
    waiting for a person; yields the dialogs that were shown."""
    shown: list[Any] = []
    original = kind.exec

    def exec_(dialog: Any) -> int:
        shown.append(dialog)
        dialog.show()
        settle()
        result = answer(dialog)
        dialog.hide()
        return result

    kind.exec = exec_  # type: ignore[method-assign]
    try:
        yield shown
    finally:
        kind.exec = original  # type: ignore[method-assign]


def rejecting(shots: Shots, name: str) -> Callable[[QDialog], int]:
    def answer(dialog: QDialog) -> int:
        shots.grab(dialog, name)
        return QDialog.DialogCode.Rejected

    return answer


def shown_once(shown: list[Any], what: str) -> Any:
    if not shown:
        raise Unreachable(f"{what} did not open")
    return shown[0]


# ---- the workbooks ----------------------------------------------------------------------------


@dataclass
class World:
    """The inspector's workbook, the colleague's bundle, the team folder."""

    workbook: Workbook
    interview_id: str
    colleague_bundle: Path
    team_folder: Path
    colleague_key: str


def make_world() -> World:
    """The inspector's demo workbook (with the interview note and two attached files), their
    key, and a colleague's bundle that conflicts with it on the interview note."""
    mine = Settings(author=ME, initials="AI")
    mine.save()
    wb = Workbook.create(paths.default_workbook(), mine)
    demo.generate(wb, notes=NOTES, seed=SEED)
    interview = next(
        (a for a in wb.activities.plan(FORCE) if "chief officer" in a.title.lower()), None
    )
    if interview is None:
        raise Unreachable("Kent's plan has no interview with the chief officer to link a note to")
    note = wb.notes.add(
        force=FORCE,
        title=INTERVIEW,
        body=INTERVIEW_BODY,
        areas=["A1", "A3"],
        marking="OFFICIAL-SENSITIVE",
        activity=interview.id,
        redaction_reason="Identifies a child",
    ).value
    documents = wb.documents.all(force=FORCE)
    for title, (name, text) in ATTACHMENTS.items():
        doc = next((d for d in documents if d.title.startswith(title)), None)
        if doc is None:
            raise Unreachable(f"the demo gave Kent no document titled {title}…")
        file = ROOT / name
        file.write_text(text, encoding="utf-8")
        wb.documents.attach(doc.id, file)
    my_key = keys.generate()
    colleague_key = str(pyrage.x25519.Identity.generate().to_public())
    folder = HOME / "Team" / "CT4 fieldwork"
    folder.mkdir(parents=True)
    team.configure(wb, folder=folder, recipients=[my_key, colleague_key])
    backups.backup_on_open(wb)

    # The colleague starts from the inspector's Kent records, then both edit the interview.
    theirs = Workbook.create(ROOT / "colleague.ctdesk", Settings(author=COLLEAGUE))
    first = ROOT / "kent-start.ctbundle"
    bundle_export.export_bundle(wb, first, bundle_export.Encryption(none=True), forces=[FORCE])
    importer.import_bundle(theirs, first)
    wb.notes.edit(note.id, body=MY_EDIT)
    time.sleep(0.01)  # the colleague's edit is the later one
    theirs.notes.edit(note.id, body=THEIR_EDIT)
    for title, areas, body in COLLEAGUE_NOTES:
        theirs.notes.add(force=FORCE, title=title, body=body, areas=areas, marking="OFFICIAL")
    sent = HOME / "Documents" / "b-khan-kent.ctbundle"
    bundle_export.export_bundle(
        theirs, sent, bundle_export.Encryption(recipients=(my_key,)), forces=[FORCE]
    )
    shutil.copy(sent, folder / team.own_name(theirs))
    theirs.close()
    backups.backup(wb, "manual")
    return World(wb, note.id, sent, folder, colleague_key)


# ---- the captures -----------------------------------------------------------------------------


def welcome(shots: Shots) -> None:
    """First run: the welcome, as it is before any settings exist."""
    if Settings.exists():
        raise Unreachable("settings exist already, so the welcome would not be shown")
    dialog = WelcomeDialog(Settings.load(), offer_passphrase=True)
    dialog.show()
    shots.grab(dialog, "welcome.png")
    dialog.close()


def open_window(workbook: Workbook) -> MainWindow:
    window = build_window(workbook, restore_place=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(300)
    if (window.width(), window.height()) != (WIDTH, HEIGHT):
        raise Unreachable(f"the window is {window.width()}×{window.height()}, not 1280×800")
    return window


def close_window(window: MainWindow) -> None:
    """Close as the inspector would (the layout is remembered), and the workbook with it."""
    window.close()
    settle()
    window.session.close()
    # Gone, not just hidden: a hidden window would still hear of the theme changing.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def go_to_force(window: MainWindow, tab: str) -> None:
    """The force's page with ``tab`` ("Notes", "Plan", …) in front."""
    if not window.select_force(FORCE):
        raise Unreachable(f"the navigator has no force {FORCE}")
    window.go_to("force", FORCE)  # as the quick switcher goes (the navigator may have it)
    settle()
    page = window.force_page
    if window.pages.currentWidget() is not page or page.force is None:
        raise Unreachable("picking a force in the navigator did not show its page")
    names = [plain(page.tabs.tabText(i)) for i in range(page.tabs.count())]
    if tab not in names:
        raise Unreachable(f"the force page has no {tab} tab (it has {', '.join(names)})")
    page.tabs.setCurrentIndex(names.index(tab))
    settle()


def notes(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Notes")
    tab = window.force_page.notes
    if not tab.select_note(world.interview_id):
        raise Unreachable("the interview note is not in Kent's list of notes")
    wait_until(lambda: tab.editor.note_id == world.interview_id, "opening the note")
    shots.grab(window, "notes.png")


def plan(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Plan")
    tab = window.force_page.plan
    if tab.model.rowCount() == 0:
        raise Unreachable("Kent's plan is empty")
    tab.view.selectRow(1)
    shots.grab(window, "plan.png")


def evidence(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Evidence")
    tab = window.force_page.evidence
    attached = [d for d in world.workbook.documents.all(force=FORCE) if d.has_attachment]
    if not attached or not tab.select_document(attached[0].id):
        raise Unreachable("no document with an attached file is in Kent's register")
    shots.grab(window, "evidence.png")


def evidence_drop(shots: Shots, window: MainWindow, world: World) -> None:
    """Files dragged over the register (not dropped: the records stay as they are)."""
    go_to_force(window, "Evidence")
    tab = window.force_page.evidence
    mime = QMimeData()
    files = []
    for name in DRAGGED:
        file = HOME / "Documents" / name
        file.write_text("Made-up text for the ctdesk demo.\n", encoding="utf-8")
        files.append(QUrl.fromLocalFile(str(file)))
    mime.setUrls(files)
    centre = tab.table.geometry().center()
    copy = Qt.DropAction.CopyAction
    buttons, keys_ = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre, copy, mime, buttons, keys_)
    enter.setAccepted(False)
    QApplication.sendEvent(tab, enter)
    if not enter.isAccepted() or "Drop to register" not in tab.summary.text():
        raise Unreachable("files dragged over the evidence register were not taken")
    shots.grab(window, "evidence-drop.png")
    QApplication.sendEvent(tab, QDragLeaveEvent())
    settle()


def findings(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Findings")
    tab = window.force_page.findings
    cited = [
        f
        for f in world.workbook.findings.all(force=FORCE)
        if f.kind == "cause-of-concern" and f.evidence
    ] or [f for f in world.workbook.findings.all(force=FORCE) if f.evidence]
    if not cited or not tab.select_finding(cited[0].id):
        raise Unreachable("no finding citing evidence is in Kent's findings")
    shots.grab(window, "findings.png")


def search(shots: Shots, window: MainWindow, world: World) -> None:
    shortcut_action(window, "Ctrl+F").trigger()
    page = window.search_page
    if window.pages.currentWidget() is not page:
        raise Unreachable("Ctrl+F did not show the search page")
    page.box.setText(SEARCH)
    region = page.region.findText(SEARCH_REGION)
    if region < 0:
        raise Unreachable(f"the search page cannot narrow to the region {SEARCH_REGION}")
    page.region.setCurrentIndex(region)
    page.run_now()
    wait_until(lambda: page.model.rowCount() > 0, f"results for {SEARCH}")
    shots.grab(window, "search.png")


def quick_switcher(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Notes")
    shortcut_action(window, "Ctrl+K").trigger()
    switcher = window.switcher
    wait_until(switcher.isVisible, "the quick switcher opening")
    switcher.edit.setText(SWITCH_TO)
    settle()
    if switcher.filter.rowCount() == 0:
        raise Unreachable(f"the quick switcher finds nothing for {SWITCH_TO!r}")
    shots.grab_with_popup(window, switcher, "quick-switcher.png")
    switcher.reject()
    settle()


def coverage(shots: Shots, window: MainWindow, world: World) -> None:
    shortcut_action(window, "Ctrl+Shift+O").trigger()
    page = window.coverage_page
    if window.pages.currentWidget() is not page:
        raise Unreachable("Ctrl+Shift+O did not show coverage and progress")
    wait_until(lambda: page.model.rowCount() > 0, "coverage being counted")
    shots.grab(window, "coverage.png")


def export_dialog(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Notes")

    def answer(dialog: ExportDialog) -> int:
        dialog.redacted.setChecked(True)
        shots.grab(dialog, "export.png")
        return QDialog.DialogCode.Rejected

    with intercept(ExportDialog, answer) as shown:
        shortcut_action(window, "Ctrl+E").trigger()
    shown_once(shown, "Ctrl+E (File → Export…)")


def bundle_export_dialog(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Notes")
    with intercept(BundleExportDialog, rejecting(shots, "bundle-export.png")) as shown:
        menu_action(window, "File", "Exchange", "Export bundle…").trigger()
        settle()
    dialog = shown_once(shown, "File → Exchange → Export bundle…")
    if world.colleague_key not in dialog.recipients.toPlainText():
        raise Unreachable("the bundle export dialog did not offer the team's public keys")


def import_and_conflicts(shots: Shots, window: MainWindow, world: World) -> None:
    """File → Exchange → Import bundle: the preview, then Import, then Show conflicts."""
    previews: list[ReceiptDialog] = []

    def answer(dialog: ReceiptDialog) -> int:
        if dialog.preview:
            previews.append(dialog)
            shots.grab(dialog, "import-preview.png")
            return QDialog.DialogCode.Accepted
        return int(SHOW_CONFLICTS)

    original = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = staticmethod(  # type: ignore[method-assign]
        lambda *a, **k: (str(world.colleague_bundle), "")
    )
    try:
        with intercept(ReceiptDialog, answer) as shown:
            menu_action(window, "File", "Exchange", "Import bundle…").trigger()
            importer_ = window.exchange.importer
            if importer_ is None:
                raise Unreachable("File → Exchange → Import bundle… did not start an import")
            wait_until(lambda: len(shown) >= 2, "the bundle's import")
    finally:
        QFileDialog.getOpenFileName = original  # type: ignore[method-assign]
    if not previews or previews[0].receipt.conflicts != 1:
        raise Unreachable("the import preview did not show the one conflict expected")
    page = window.conflicts_page
    wait_until(lambda: window.pages.currentWidget() is page, "Show conflicts opening the page")
    wait_until(lambda: page.model.rowCount() == 1, "the conflict being listed")
    shots.grab(window, "conflicts.png")


def sync_dialog(shots: Shots, window: MainWindow, world: World) -> None:
    def answer(dialog: SyncDialog) -> int:
        reports: list[Any] = []
        dialog.synced.connect(reports.append)
        dialog.sync_now()
        wait_until(lambda: bool(reports), "the sync with the team folder")
        shots.grab(dialog, "sync.png")
        return QDialog.DialogCode.Rejected

    with intercept(SyncDialog, answer) as shown:
        menu_action(window, "File", "Exchange", "Sync with team folder…").trigger()
    shown_once(shown, "File → Exchange → Sync with team folder…")


def shortcuts(shots: Shots, window: MainWindow, world: World) -> None:
    go_to_force(window, "Notes")
    shortcut_action(window, "Ctrl+/").trigger()
    sheets = [s for s in window.findChildren(ShortcutsSheet) if s.isVisible()]
    if not sheets or sheets[0].model.rowCount() == 0:
        raise Unreachable("Ctrl+/ did not show the keyboard shortcuts")
    shots.grab(sheets[0], "shortcuts.png")
    sheets[0].reject()


def backups_dialog(shots: Shots, window: MainWindow, world: World) -> None:
    def answer(dialog: BackupsDialog) -> int:
        if dialog.model.rowCount() < 2:
            raise Unreachable("the backups dialog lists fewer backups than were made")
        shots.grab(dialog, "backups.png")
        return QDialog.DialogCode.Rejected

    with intercept(BackupsDialog, answer) as shown:
        menu_action(window, "File", "Backups and restore…").trigger()
    shown_once(shown, "File → Backups and restore…")


def dark(shots: Shots, path: Path, interview_id: str) -> None:
    """The window as it opens with CTDESK_THEME=dark (the layout the light one left)."""
    os.environ["CTDESK_THEME"] = "dark"
    app = application()
    theme = apply_theme(app)
    try:
        if theme.scheme != "dark":
            raise Unreachable("the dark theme could not be applied")
        window = open_window(Workbook.open(path))
        try:
            go_to_force(window, "Notes")
            if not window.force_page.notes.select_note(interview_id):
                raise Unreachable("the interview note is not in Kent's list of notes")
            shots.grab(window, "dark.png")
        finally:
            close_window(window)
    finally:
        os.environ["CTDESK_THEME"] = "light"
        apply_theme(app)


WINDOW_SHOTS: list[Callable[[Shots, MainWindow, World], None]] = [
    notes,
    plan,
    evidence,
    evidence_drop,
    findings,
    search,
    quick_switcher,
    coverage,
    export_dialog,
    bundle_export_dialog,
    import_and_conflicts,
    sync_dialog,
    shortcuts,
    backups_dialog,
]


def run(out: Path) -> Shots:
    shots = Shots(out)
    application()
    qInstallMessageHandler(_qt_message)
    welcome(shots)
    world = make_world()
    path = world.workbook.path
    window = open_window(world.workbook)
    try:
        for capture in WINDOW_SHOTS:
            try:
                capture(shots, window, world)
            except Unreachable as exc:
                raise Unreachable(f"{capture.__name__}: {exc}") from None
    finally:
        close_window(window)
    try:
        dark(shots, path, world.interview_id)
    except Unreachable as exc:
        raise Unreachable(f"dark: {exc}") from None
    return shots


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/guide").resolve()
    started = time.monotonic()
    try:
        if _prepare_error is not None:
            raise _prepare_error
        out.mkdir(parents=True, exist_ok=True)
        shots = run(out)
    except Unreachable as exc:
        print(f"guide_screenshots: cannot make the guide's screenshots: {exc}", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print(
            "guide_screenshots: cannot make the guide's screenshots (the error is above); the "
            "UI may have changed: update scripts/guide_screenshots.py.",
            file=sys.stderr,
        )
        return 1
    finally:
        if ROOT.exists() and (ROOT / MARKER).exists():
            shutil.rmtree(ROOT, ignore_errors=True)
    took = time.monotonic() - started
    print(f"{len(shots.written)} screenshots in {out} ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
