"""Working the window from the keyboard: the panes by number, rename, the shortcuts sheet.

``Keyboard`` adds to the window's menus (so that every shortcut is also a menu item, and the
shortcuts sheet finds it there):

- Go → Panes: Alt+1 … Alt+9 (``PANES``) put the focus in a main pane;
- Edit → Rename selected record (F2);
- Help → Keyboard shortcuts (Ctrl+/);

and it makes two shortcuts behave with text fields:

- Delete (Edit → Move selected record to trash) works only in the lists of records, so that
  the key never trashes a note while it is being written;
- the window's own shortcuts (Ctrl+K, Ctrl+E, …) win over a text field that would take the
  same keys for editing (a line edit takes Ctrl+K and Ctrl+E on some Linux desktops); the
  editing keys themselves (undo, redo, cut, copy, paste, select all) stay the field's.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from ctdesk.ui.shortcuts_sheet import WHERE_PROPERTY, ShortcutsSheet
from ctdesk.ui.tree_model import KEY_ROLE

if TYPE_CHECKING:
    from ctdesk.ui.main_window import MainWindow


@dataclass(frozen=True)
class Pane:
    key: str
    text: str
    shortcut: str
    tip: str


# The main panes, in the order they are numbered.
PANES = (
    Pane("navigator", "Na&vigator", "Alt+1", "The forces by CT region (the navigator)"),
    Pane("notes", "&Notes", "Alt+2", "The notes of the force shown"),
    Pane("plan", "&Plan", "Alt+3", "The fieldwork plan of the force shown"),
    Pane("evidence", "&Evidence", "Alt+4", "The evidence register of the force shown"),
    Pane("findings", "&Findings", "Alt+5", "The findings of the force shown"),
    Pane("search", "&Search", "Alt+6", "The search box"),
    Pane("coverage", "&Coverage and progress", "Alt+7", "Coverage of every force and area"),
    Pane("conflicts", "Confl&icts", "Alt+8", "Records changed on both sides"),
    Pane("scope", "Sc&ope", "Alt+9", "The inspection scope, in the navigator"),
)
FORCE_TABS = ("notes", "plan", "evidence", "findings")

# Keys a text field keeps even when a window action has them too.
_EDITING_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.SelectAll,
)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_WINDOW_CONTEXTS = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _keys(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


class Keyboard(QObject):
    """Installs the keyboard actions on ``window``; see the module's docstring."""

    def __init__(
        self, window: "MainWindow", *, edit_menu: QMenu, go_menu: QMenu, help_menu: QMenu
    ) -> None:
        super().__init__(window)
        self._window = window
        read_only = window.session.workbook.read_only

        self.rename_action = self._action("Re&name selected record", "F2", self.rename_selected)
        self.rename_action.setStatusTip(
            "The note's title, the activity's name, the document's details or the finding's text"
        )
        self.rename_action.setEnabled(not read_only)
        edit_menu.insertAction(window.delete_action, self.rename_action)
        # Delete only in the lists of records: never while text is being typed.
        delete = window.delete_action
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.setProperty(WHERE_PROPERTY, "Lists of records")
        delete.setStatusTip(
            "The selected note, activity, document or finding (the Delete key works in their lists)"
        )
        for view in window.force_page.record_views():
            view.addAction(delete)

        self.panes_menu = QMenu("&Panes", window)
        self.pane_actions: dict[str, QAction] = {}
        for pane in PANES:
            action = self._action(
                pane.text, pane.shortcut, lambda _=False, k=pane.key: self.show(k)
            )
            action.setStatusTip(pane.tip)
            self.panes_menu.addAction(action)
            self.pane_actions[pane.key] = action
        go_menu.addSeparator()
        go_menu.addMenu(self.panes_menu)

        self.sheet: ShortcutsSheet | None = None
        self.sheet_action = self._action("&Keyboard shortcuts", "Ctrl+/", self.show_sheet)
        self.sheet_action.setStatusTip("Every shortcut of the window, with a filter")
        first = help_menu.actions()[0] if help_menu.actions() else None
        help_menu.insertAction(first, self.sheet_action)
        if first is not None:
            help_menu.insertSeparator(first)

        # A shortcut goes first to the widget with the focus, which may claim it: watch those.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._watch)
            self._watch(None, app.focusWidget())

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self._window)  # the window's: locking turns it off too
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    # ---- the shortcuts sheet -------------------------------------------------------------------
    def show_sheet(self) -> ShortcutsSheet:
        if self.sheet is None:
            self.sheet = ShortcutsSheet(self._window)
        self.sheet.popup()
        return self.sheet

    # ---- panes ---------------------------------------------------------------------------------
    def show(self, key: str) -> None:
        """Show the pane ``key`` (one of ``PANES``) with the focus in it."""
        w = self._window
        nav = w.navigator
        if key == "navigator":
            nav.setCurrentWidget(nav.forces_view)
            nav.forces_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif key == "scope":
            nav.setCurrentWidget(nav.scope_view)
            current = nav.scope_view.currentIndex()
            if not current.isValid():  # the first time: the programme, at the top
                nav.scope_view.setCurrentIndex(nav.scope_model.index(0, 0))
            elif w.pages.currentWidget() is not w.scope_page:
                w.show_scope_item(*current.data(KEY_ROLE))
            nav.scope_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif key in FORCE_TABS:
            self._show_force_tab(key)
        elif key == "search":
            w.show_search()
        elif key == "coverage":
            w.show_coverage()
            w.coverage_page.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif key == "conflicts":
            w.show_conflicts()
            w.conflicts_page.focus_list()

    def _show_force_tab(self, key: str) -> None:
        w = self._window
        page = w.force_page
        if page.force is None and not page.national:
            navigator = _keys(self.pane_actions["navigator"])
            switcher = _keys(w.switch_action)
            w.statusBar().showMessage(
                f"Choose a force first: {navigator} for the navigator, or {switcher} to go to one.",
                8000,
            )
            return
        tab = getattr(page, key)
        if page.national and tab is not page.findings:
            w.statusBar().showMessage(
                "National and cross-force findings have no notes, plan or evidence of their own; "
                "choose a force for those.",
                8000,
            )
            return
        if w.pages.currentWidget() is not page:
            if page.national:
                w.navigator.select("national", w.session.workbook.scope.current.id)
                w.show_national()
            elif page.force is not None:
                w.navigator.select_force(page.force.id)
                w.show_force(page.force.id)
        page.tabs.setCurrentWidget(tab)
        page.focus_current()

    # ---- rename --------------------------------------------------------------------------------
    def rename_selected(self) -> None:
        w = self._window
        on_page = w.pages.currentWidget() is w.force_page
        if not (on_page and w.force_page.rename_current()):
            w.statusBar().showMessage(
                "Select a note, activity, document or finding to rename first.", 5000
            )

    # ---- the window's shortcuts win over text fields -------------------------------------------
    def _watch(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and now.window() is self._window:
            now.installEventFilter(self)  # once only: installing again just moves it first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and watched.window() is self._window
            and self._window_has(event)
        ):
            event.ignore()  # not the field's: the shortcut goes to the window's action
            return True
        return False

    def _window_has(self, event: QKeyEvent) -> bool:
        """Whether ``event`` is the shortcut of one of the window's enabled actions (and not a
        key for editing text)."""
        if not event.modifiers() & _COMMAND_MODIFIERS:
            return False
        if any(event.matches(key) for key in _EDITING_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination())
        for action in self._window.findChildren(QAction):
            if not action.isEnabled() or action.shortcutContext() not in _WINDOW_CONTEXTS:
                continue
            for sequence in action.shortcuts():
                if sequence.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                    return True
        return False
