"""The window worked from the keyboard alone: no test here sends a mouse event.

Keys go to whichever widget has the focus, as a keyboard's would; an event filter fails the test
if any mouse event reaches the application, and the mouse helpers are disabled outright.
"""

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ctdesk.ui.export_dialog import ExportDialog
from ctdesk.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow

Key = Qt.Key
Mod = Qt.KeyboardModifier
MOUSE_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class _MouseWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in MOUSE_EVENTS:
            self.seen.append(f"{event.type().name} on {type(watched).__name__}")
        return False


@pytest.fixture(autouse=True)
def no_mouse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails the test if a mouse helper is called or a mouse event reaches the application."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a keyboard-only test used the mouse")

    for name in ("mouseClick", "mouseDClick", "mouseMove", "mousePress", "mouseRelease"):
        monkeypatch.setattr(QTest, name, refuse)
        monkeypatch.setattr(QtBot, name, refuse)
    watch = _MouseWatch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    yield
    app.removeEventFilter(watch)
    assert watch.seen == []


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Key, modifier: Mod = Mod.NoModifier) -> None:
    """One key, to whatever has the focus."""
    qtbot.keyClick(focused(), key, modifier)


def chord(qtbot: QtBot, keys: str) -> None:
    """A shortcut written as the sheet writes it ("Ctrl+Shift+Z"), to whatever has the focus."""
    qtbot.keySequence(focused(), QKeySequence(keys))


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot: QtBot, target: QWidget, most: int = 20) -> None:
    """Press Tab until ``target`` has the focus (failing after ``most`` presses)."""
    for _ in range(most):
        if target.hasFocus():
            return
        press(qtbot, Key.Key_Tab)
    assert target.hasFocus(), f"Tab never reached {target.accessibleName()!r}"


def go_to_force(qtbot: QtBot, window: MainWindow, typed: str, force_id: str) -> None:
    chord(qtbot, "Ctrl+K")
    qtbot.waitUntil(window.switcher.edit.hasFocus, timeout=3000)
    type_text(qtbot, typed)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.force_page.force is not None and window.force_page.force.id == force_id,
        timeout=3000,
    )
    back_to(qtbot, window)


def back_to(qtbot: QtBot, window: MainWindow) -> None:
    """After a popup closes, the window is active again. The offscreen platform has no window
    manager to hand it back, so ask for it as one would."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def new_note(qtbot: QtBot, window: MainWindow, title: str) -> str:
    editor = window.force_page.notes.editor
    chord(qtbot, "Ctrl+N")
    qtbot.waitUntil(editor.title.hasFocus, timeout=3000)
    type_text(qtbot, title)  # replaces "New note", which starts selected
    assert editor.note_id is not None
    return editor.note_id


def run_modal(qtbot: QtBot, drive: Callable[[QWidget], None], keys: str) -> None:
    """Press ``keys``, which opens a modal dialog, and drive it by ``drive`` while it is open.

    A failure while driving closes the dialog (so that the test fails instead of hanging)."""
    problems: list[BaseException] = []
    returned = False
    deadline = time.monotonic() + 5

    def start() -> None:
        if returned:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is not None and not dialog.isActiveWindow():
            dialog.activateWindow()  # offscreen there is no window manager to do it
        if dialog is None or not dialog.isActiveWindow():
            if time.monotonic() < deadline:
                QTimer.singleShot(10, start)
                return
            problems.append(AssertionError(f"{keys} opened no dialog that took the keyboard"))
            if dialog is not None:
                dialog.close()
            return
        try:
            drive(dialog)
        except BaseException as exc:
            problems.append(exc)
            dialog.close()

    QTimer.singleShot(0, start)
    chord(qtbot, keys)
    returned = True
    if problems:
        raise problems[0]


def test_keyboard_only_note_tag_search_export(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    notes = window.force_page.notes
    editor = notes.editor

    # Go to a force: Ctrl+K, part of its name, Enter.
    go_to_force(qtbot, window, "kent", "kent")
    assert notes.list.hasFocus()

    # A note: Ctrl+N, its title, then Tab to an area and Space to tick it, then the text.
    note_id = new_note(qtbot, window, "Keyboard visit")
    a2 = editor.area_boxes["ct4.a2"]
    tab_to(qtbot, a2)
    press(qtbot, Key.Key_Space)
    assert a2.isChecked()
    tab_to(qtbot, editor.body)
    type_text(qtbot, "Walked through the zebracrossing referrals.")

    # Search: Ctrl+F, words, Enter opens the note with the cursor in its text.
    chord(qtbot, "Ctrl+F")
    assert window.search_page.box.hasFocus()
    type_text(qtbot, "zebracrossing")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.force_page, timeout=5000)
    assert editor.note_id == note_id and editor.body.hasFocus()
    stored = window.session.workbook.notes.get(note_id)
    assert stored.title == "Keyboard visit" and stored.areas == ("ct4.a2",)

    # Export: Ctrl+E; in the dialog Alt+F for the format, M for Markdown, Tab to the path,
    # type it, Tab on to "Open the folder" and Space to untick it, then Enter.
    out = tmp_path / "kent-by-keyboard.md"
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)

    def drive(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        assert dialog.what.currentData() == "force:kent"
        press(qtbot, Key.Key_F, Mod.AltModifier)
        assert dialog.format.hasFocus()
        type_text(qtbot, "M")
        assert dialog.format.currentData() == "md"
        tab_to(qtbot, dialog.path)
        press(qtbot, Key.Key_A, Mod.ControlModifier)
        type_text(qtbot, str(out))
        tab_to(qtbot, dialog.open_folder)
        press(qtbot, Key.Key_Space)
        assert not dialog.open_folder.isChecked()
        tab_to(qtbot, dialog.path)  # Enter in a field presses the default button, Export
        press(qtbot, Key.Key_Return)

    with qtbot.waitSignal(window.export_finished, timeout=30000) as finished:
        run_modal(qtbot, drive, "Ctrl+E")
    assert finished.args[0] is not None
    text = out.read_text(encoding="utf-8")
    assert "Keyboard visit" in text and "zebracrossing" in text
    assert opened == []


def test_alt_numbers_switch_the_main_panes(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    page = window.force_page
    chord(qtbot, "Alt+2")  # no force yet: says how to choose one, goes nowhere
    assert "Choose a force first" in window.statusBar().currentMessage()
    go_to_force(qtbot, window, "essex", "essex")
    chord(qtbot, "Alt+6")
    assert window.pages.currentWidget() is window.search_page
    assert window.search_page.box.hasFocus()
    for keys, tab, view in (
        ("Alt+2", page.notes, page.notes.list),
        ("Alt+3", page.plan, page.plan.view),
        ("Alt+4", page.evidence, page.evidence.table),
        ("Alt+5", page.findings, page.findings.view),
    ):
        chord(qtbot, keys)
        assert window.pages.currentWidget() is page, keys
        assert page.tabs.currentWidget() is tab, keys
        assert view.hasFocus(), keys
        assert page.force is not None and page.force.id == "essex"
    chord(qtbot, "Alt+7")
    assert window.pages.currentWidget() is window.coverage_page
    assert window.coverage_page.view.hasFocus()
    chord(qtbot, "Alt+8")
    assert window.pages.currentWidget() is window.conflicts_page
    chord(qtbot, "Alt+9")
    assert window.pages.currentWidget() is window.scope_page
    assert window.navigator.scope_view.hasFocus()
    chord(qtbot, "Alt+1")
    assert window.navigator.forces_view.hasFocus()
    chord(qtbot, "Alt+2")  # back to the force from anywhere
    assert window.pages.currentWidget() is page and page.notes.list.hasFocus()
    assert window.navigator.selected_force() == "essex"
    # Every pane shortcut is a menu item: Go → Panes.
    panes = window.keyboard.panes_menu.actions()
    assert [a.shortcut().toString() for a in panes] == [f"Alt+{n}" for n in range(1, 10)]


def test_national_findings_pane_keys(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    chord(qtbot, "Ctrl+K")
    qtbot.waitUntil(window.switcher.edit.hasFocus, timeout=3000)
    type_text(qtbot, "national")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: window.force_page.national, timeout=3000)
    back_to(qtbot, window)
    assert window.force_page.findings.view.hasFocus()
    chord(qtbot, "Alt+6")
    chord(qtbot, "Alt+5")
    assert window.pages.currentWidget() is window.force_page
    assert window.force_page.findings.view.hasFocus()
    chord(qtbot, "Alt+2")
    assert "no notes, plan or evidence" in window.statusBar().currentMessage()


def test_delete_in_the_list_trashes_and_undo_redo_keys(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    notes = window.session.workbook.notes
    go_to_force(qtbot, window, "kent", "kent")
    note_id = new_note(qtbot, window, "Bin me")
    tab = window.force_page.notes

    # Delete while typing edits the text; it never trashes the note.
    press(qtbot, Key.Key_Home)
    press(qtbot, Key.Key_Delete)
    assert tab.editor.title.text() == "in me"
    tab_to(qtbot, tab.editor.area_boxes["ct4.a1"])
    press(qtbot, Key.Key_Delete)
    assert not notes.get(note_id).deleted

    # In the list, Delete moves it to the trash; Ctrl+Z brings it back.
    chord(qtbot, "Alt+2")
    assert tab.list.hasFocus()
    press(qtbot, Key.Key_Delete)
    assert notes.get(note_id).deleted
    assert tab.model.rowCount() == 0
    assert "trash" in window.statusBar().currentMessage()
    chord(qtbot, "Ctrl+Z")
    assert not notes.get(note_id).deleted
    assert tab.model.rowCount() == 1
    chord(qtbot, "Ctrl+Shift+Z")  # redo: in the trash again
    assert notes.get(note_id).deleted
    chord(qtbot, "Ctrl+Z")
    assert not notes.get(note_id).deleted
    chord(qtbot, "Ctrl+Y")  # the other redo
    assert notes.get(note_id).deleted


def test_undo_in_a_text_field_is_the_fields(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    go_to_force(qtbot, window, "kent", "kent")
    note_id = new_note(qtbot, window, "Typed")
    editor = window.force_page.notes.editor
    type_text(qtbot, " more")
    chord(qtbot, "Ctrl+Z")  # the title's own undo: the note itself is not undone
    assert editor.title.text() != "Typed more"
    assert not window.session.workbook.notes.get(note_id).deleted


def test_f2_renames_what_is_selected(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    wb = window.session.workbook
    go_to_force(qtbot, window, "kent", "kent")
    page = window.force_page

    # A note: F2 from the list puts the cursor in its title, all of it selected.
    note_id = new_note(qtbot, window, "Old title")
    chord(qtbot, "Alt+2")
    chord(qtbot, "F2")
    assert page.notes.editor.title.hasFocus()
    type_text(qtbot, "New title")
    assert page.notes.editor.flush()
    assert wb.notes.get(note_id).title == "New title"

    # An activity: F2 edits its name in place; Enter keeps it.
    chord(qtbot, "Alt+3")
    assert page.plan.view.hasFocus() and page.plan.selected() is None
    press(qtbot, Key.Key_Down)  # the first activity
    activity = page.plan.selected()
    assert activity is not None
    chord(qtbot, "F2")
    assert isinstance(focused(), QLineEdit) and focused().text() == activity.title
    press(qtbot, Key.Key_A, Mod.ControlModifier)
    type_text(qtbot, "Renamed by F2")
    press(qtbot, Key.Key_Return)  # the view writes it a moment later
    qtbot.waitUntil(lambda: wb.activities.get(activity.id).title == "Renamed by F2", timeout=3000)
    assert page.plan.view.hasFocus()
    press(qtbot, Key.Key_Space)  # ticks it done, whichever cell is current
    assert wb.activities.get(activity.id).status == "done"
    press(qtbot, Key.Key_Space)
    assert wb.activities.get(activity.id).status == "planned"

    # A finding: F2 selects the first line of its text (the finding's title).
    finding = wb.findings.add(force="kent", area="A1", kind="strength", text="Line one\nTwo")
    chord(qtbot, "Alt+5")
    page.findings.select_finding(finding.value.id)
    chord(qtbot, "F2")
    text = page.findings.editor.text
    assert text.hasFocus() and text.textCursor().selectedText() == "Line one"

    # A document: F2 opens its details with the cursor in the title.
    doc = wb.documents.add(force="kent", title="Plan 2024", category="policy-strategy")
    chord(qtbot, "Alt+4")
    page.evidence.select_document(doc.value.id)
    seen: list[str] = []

    def drive(dialog: QWidget) -> None:
        seen.append(focused().accessibleName())
        press(qtbot, Key.Key_Escape)

    run_modal(qtbot, drive, "F2")
    assert seen == ["Document title"]
    back_to(qtbot, window)

    # Nothing selected: F2 says so.
    chord(qtbot, "Alt+6")
    chord(qtbot, "F2")
    assert "to rename" in window.statusBar().currentMessage()


class _GreedyField(QLineEdit):
    """A field that claims every shortcut for itself, as a line edit claims Ctrl+K (delete to
    the end of the line) and Ctrl+E (end of line) on some Linux desktops."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            event.accept()
            return True
        return super().event(event)


def test_window_shortcuts_win_over_text_fields(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    # From the search box.
    chord(qtbot, "Ctrl+F")
    assert window.search_page.box.hasFocus()
    chord(qtbot, "Ctrl+K")
    qtbot.waitUntil(window.switcher.edit.hasFocus, timeout=3000)
    press(qtbot, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.switcher.isVisible(), timeout=3000)
    back_to(qtbot, window)

    # From a field that would take the keys for itself.
    greedy = _GreedyField(window)
    window.statusBar().addPermanentWidget(greedy)
    greedy.setFocus()
    qtbot.waitUntil(greedy.hasFocus, timeout=3000)
    chord(qtbot, "Ctrl+K")
    qtbot.waitUntil(window.switcher.edit.hasFocus, timeout=3000)
    press(qtbot, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.switcher.isVisible(), timeout=3000)
    back_to(qtbot, window)
    qtbot.waitUntil(greedy.hasFocus, timeout=3000)
    chord(qtbot, "Ctrl+F")
    assert window.search_page.box.hasFocus()

    # Editing keys stay the field's: Ctrl+Z in it does not undo the last record action.
    go_to_force(qtbot, window, "kent", "kent")
    note_id = new_note(qtbot, window, "Kept")
    assert window.force_page.notes.editor.flush()
    greedy.setFocus()
    qtbot.waitUntil(greedy.hasFocus, timeout=3000)
    chord(qtbot, "Ctrl+Z")
    assert window.session.workbook.notes.get(note_id).title == "Kept"


def test_tab_order_of_the_notes_tab(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    go_to_force(qtbot, window, "kent", "kent")
    new_note(qtbot, window, "Order")
    tab = window.force_page.notes
    editor = tab.editor
    tab.new_button.setFocus()
    expected = [tab.trash_button, tab.area_filter, tab.list, editor.title, editor.marking.level]
    for widget in expected:
        press(qtbot, Key.Key_Tab)
        assert widget.hasFocus(), f"Tab went to {focused().accessibleName()!r}"
    tab_to(qtbot, editor.body)
    for widget in (editor.redact_button, editor.preview_button):
        press(qtbot, Key.Key_Tab)  # Tab leaves the text rather than typing a tab
        assert widget.hasFocus(), f"Tab went to {focused().accessibleName()!r}"
    assert "\t" not in editor.body.toPlainText()
    # Alt+M (the Marking label) reaches the marking's level.
    press(qtbot, Key.Key_M, Mod.AltModifier)
    assert editor.marking.level.hasFocus()


def test_tab_order_of_the_plan_and_findings_tabs(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    go_to_force(qtbot, window, "kent", "kent")
    page = window.force_page
    chord(qtbot, "Alt+3")
    plan = page.plan
    plan.add_button.setFocus()
    press(qtbot, Key.Key_Tab)
    press(qtbot, Key.Key_Down)  # a row is selected: Cancel and Move to trash come on
    plan.add_button.setFocus()
    for widget in (plan.cancel_button, plan.trash_button, plan.view):
        press(qtbot, Key.Key_Tab)
        assert widget.hasFocus(), f"Tab went to {focused().accessibleName()!r}"

    window.session.workbook.findings.add(force="kent", area="A1", kind="strength", text="Good")
    chord(qtbot, "Alt+4")
    chord(qtbot, "Alt+5")
    findings = page.findings
    editor = findings.editor
    findings.new_button.setFocus()
    for widget in (findings.trash_button, findings.view, editor.kind):
        press(qtbot, Key.Key_Tab)
        assert widget.hasFocus(), f"Tab went to {focused().accessibleName()!r}"
    tab_to(qtbot, editor.text)
    for widget in (editor.evidence_filter, editor.evidence_view):
        press(qtbot, Key.Key_Tab)
        assert widget.hasFocus(), f"Tab went to {focused().accessibleName()!r}"


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).casefold() if match else None


def _clashes(window: MainWindow) -> dict[str, list[str]]:
    """Alt+letter keys that more than one visible menu, button, field label or tab answers."""
    seen: dict[str, list[str]] = {}

    def note(text: str, what: str) -> None:
        key = _mnemonic(text)
        if key:
            seen.setdefault(key, []).append(f"{what} {text!r}")

    for action in window.menuBar().actions():
        note(action.text(), "menu")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) and widget.isEnabled():
            note(widget.text(), "button")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            note(widget.text(), "label")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    note(widget.tabText(i), "tab")
    return {key: where for key, where in seen.items() if len(where) > 1}


def test_no_two_visible_controls_share_an_alt_letter(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    wb = window.session.workbook
    wb.findings.add(force="kent", area="A1", kind="cause-of-concern", text="A concern")
    wb.documents.add(force="kent", title="Plan 2024", category="policy-strategy")
    go_to_force(qtbot, window, "kent", "kent")
    new_note(qtbot, window, "A note")
    for pane in ("notes", "plan", "evidence", "findings", "search", "coverage", "conflicts"):
        window.keyboard.pane_actions[pane].trigger()
        if pane in ("plan", "evidence"):
            press(qtbot, Key.Key_Down)  # a row selected: its buttons come on
        assert _clashes(window) == {}, pane
