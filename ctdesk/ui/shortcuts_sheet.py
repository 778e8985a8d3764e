"""The shortcuts sheet (Help → Keyboard shortcuts, Ctrl+/): every shortcut the window has.

Nothing here lists shortcuts: ``window_shortcuts`` walks the window's menus, then picks up any
other action or ``QShortcut`` the window holds, each time the sheet is opened. A shortcut added
anywhere in the window shows up without this file changing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# An action or QShortcut outside the menus may say which part of the window it belongs to;
# one that works only in some widgets may say in words where (else their names are used).
GROUP_PROPERTY = "shortcutGroup"
WHERE_PROPERTY = "shortcutWhere"
OUTSIDE_MENUS = "Elsewhere in the window"
MENU_PATH_SEPARATOR = " › "
_LOCAL_CONTEXTS = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)


def plain_text(text: str) -> str:
    """A menu or action text as read: mnemonic ampersands removed ("&&" is a literal "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def native_keys(sequences: Iterable[QKeySequence]) -> tuple[str, ...]:
    """Key sequences as this platform writes them (Ctrl+K; ⌘K on a Mac)."""
    texts = (s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    return tuple(t for t in texts if t)


@dataclass(frozen=True)
class ShortcutEntry:
    """One action and its keys: ``group`` is its menu ("Go › Panes") or where it works."""

    group: str
    text: str
    keys: tuple[str, ...]
    where: str = ""  # for a shortcut that works only in part of the window: which part
    tip: str = ""

    @property
    def keys_text(self) -> str:
        return ", ".join(self.keys)


def _where(obj: QAction | QShortcut, widgets: list[QWidget]) -> str:
    """Where a shortcut with a local context works: its widgets' accessible names."""
    context = obj.shortcutContext() if isinstance(obj, QAction) else obj.context()
    if context not in _LOCAL_CONTEXTS:
        return ""
    said = obj.property(WHERE_PROPERTY)
    if isinstance(said, str) and said:
        return said
    names = "; ".join(dict.fromkeys(w.accessibleName() for w in widgets if w.accessibleName()))
    group = obj.property(GROUP_PROPERTY)
    return names or (group if isinstance(group, str) else "")


def _group_outside_menus(obj: QObject, widgets: list[QWidget]) -> str:
    group = obj.property(GROUP_PROPERTY)
    if isinstance(group, str) and group:
        return group
    for widget in widgets:  # the nearest named widget it is attached to
        current: QWidget | None = widget
        while current is not None:
            if current.accessibleName():
                return current.accessibleName()
            current = current.parentWidget()
    return OUTSIDE_MENUS


def _action_widgets(action: QAction) -> list[QWidget]:
    return [
        o for o in action.associatedObjects() if isinstance(o, QWidget) and not isinstance(o, QMenu)
    ]


def window_shortcuts(window: QWidget) -> list[ShortcutEntry]:
    """Every shortcut of ``window``: its menus' actions in menu order, then the rest."""
    entries: list[ShortcutEntry] = []
    seen: set[int] = set()

    def add(action: QAction, group: str) -> None:
        seen.add(id(action))
        keys = native_keys(action.shortcuts())
        if keys:
            entries.append(
                ShortcutEntry(
                    group,
                    plain_text(action.text()),
                    keys,
                    _where(action, _action_widgets(action)),
                    action.statusTip() or "",
                )
            )

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, path + MENU_PATH_SEPARATOR + plain_text(submenu.title()))
            elif not action.isSeparator() and id(action) not in seen:
                add(action, path)

    if isinstance(window, QMainWindow):
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, plain_text(menu.title()))
    for action in window.findChildren(QAction):
        if id(action) not in seen and action.shortcuts():
            add(action, _group_outside_menus(action, _action_widgets(action)))
    for shortcut in window.findChildren(QShortcut):
        keys = native_keys(shortcut.keys())
        parent = shortcut.parent()
        widgets = [parent] if isinstance(parent, QWidget) else []
        text = shortcut.whatsThis() or shortcut.objectName()
        if keys and text:
            entries.append(
                ShortcutEntry(
                    _group_outside_menus(shortcut, widgets), text, keys, _where(shortcut, widgets)
                )
            )
    return entries


class ShortcutsModel(ColumnsTableModel):
    """The entries as a table, in the order found (menu order)."""

    COLUMNS = ("Menu", "Action", "Shortcut", "Only in")
    GROUP, TEXT, KEYS, WHERE = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ShortcutEntry] = []

    def set_entries(self, entries: list[ShortcutEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[ShortcutEntry]:
        return list(self._entries)

    def row_total(self) -> int:
        return len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        values = (entry.group, entry.text, entry.keys_text, entry.where)
        if role == Qt.ItemDataRole.DisplayRole:
            return values[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            where = f", in {entry.where}" if entry.where else ""
            return f"{entry.text}: {' or '.join(entry.keys)} ({entry.group}{where})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.tip or f"{entry.text} ({entry.group})"
        if role == SORT_ROLE:
            # The menu column sorts in menu order; the others alphabetically.
            return index.row() if column == self.GROUP else values[column].casefold()
        return None


class ShortcutsFilter(QSortFilterProxyModel):
    """Rows whose menu, action, keys or place hold every word typed (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); both are supported.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        self._words = text.casefold().split()
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        row = " ".join(
            str(model.index(source_row, c, source_parent).data() or "")
            for c in range(model.columnCount(source_parent))
        ).casefold()
        return all(word in row for word in self._words)


class _GroupDelegate(QStyledItemDelegate):
    """Writes a menu's name once, on the first of its rows, so that the groups stand out."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        above = index.siblingAtRow(index.row() - 1) if index.row() > 0 else QModelIndex()
        if above.isValid() and above.data() == index.data():
            option.text = ""
        else:
            option.font.setBold(True)


class ShortcutsSheet(QDialog):
    """The sheet: a filter over a table of the window's shortcuts; ``refresh`` re-reads them."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.model = ShortcutsModel(self)
        self.proxy = ShortcutsFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit(self)
        self.filter.setAccessibleName("Filter shortcuts")
        self.filter.setPlaceholderText("Type to filter: an action, a menu or a key (Ctrl+K)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        filter_label = QLabel("&Filter", self)
        filter_label.setBuddy(self.filter)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegateForColumn(ShortcutsModel.GROUP, _GroupDelegate(self.view))
        self.view.setAccessibleName("Keyboard shortcuts of the window")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)  # the menus' names, once a group, make the grid
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ShortcutsModel.GROUP, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ShortcutsModel.WHERE, QHeaderView.ResizeMode.Stretch)
        list_label = QLabel("&Shortcuts", self)
        list_label.setBuddy(self.view)

        self.count = QLabel(self)
        self.count.setAccessibleName("Number of shortcuts shown")
        self.hint = QLabel(
            "Also: Alt with an underlined letter opens that menu or presses that button; Tab and "
            "Shift+Tab move between fields; Space ticks a box; Enter opens what is selected; "
            "Escape closes a dialog.",
            self,
        )
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Other keys")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            "Close the shortcuts sheet"
        )

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(list_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        screen = window.screen()
        room = screen.availableGeometry().height() - 60 if screen is not None else 720
        self.resize(800, max(420, min(720, room)))

    def refresh(self) -> None:
        """Read the window's shortcuts as they are now."""
        self.model.set_entries(window_shortcuts(self._window))
        self._update_count()

    def entries(self) -> list[ShortcutEntry]:
        """What the sheet shows, top to bottom (after filtering and sorting)."""
        every = self.model.entries()
        return [
            every[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
            for r in range(self.proxy.rowCount())
        ]

    def popup(self) -> None:
        """Show the sheet afresh, the filter empty and ready for typing."""
        self.filter.clear()
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "shortcut" if total == 1 else "shortcuts"
        self.count.setText(
            f"{total} {noun}" if shown == total else f"{shown} of {total} {noun} shown"
        )
