"""The File → Exchange submenu: export and import bundles, sync with the team folder, my key."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ctdesk.ui.bundle_export_dialog import BundleExporter
from ctdesk.ui.bundle_import_dialog import BundleImporter
from ctdesk.ui.key_dialog import KeyDialog
from ctdesk.ui.sync_dialog import SyncDialog

if TYPE_CHECKING:
    from ctdesk.ui.main_window import MainWindow


def conflicts_route(window: "MainWindow") -> Callable[[], None] | None:
    """How to show the window's conflicts page: its ``show_conflicts``, else the Go menu's
    "Conflicts" action; None when the window has neither."""
    method = getattr(window, "show_conflicts", None)
    if callable(method):
        return method
    for action in window.findChildren(QAction):
        if action.text().replace("&", "").rstrip(".…").strip().casefold() == "conflicts":
            return action.trigger
    return None


class ExchangeMenu:
    """Builds the submenu (``menu``) and runs what it offers. Importing and syncing write, so
    a read-only window has them off (exporting too, see below)."""

    def __init__(self, window: "MainWindow") -> None:
        self._window = window
        self.menu = QMenu("E&xchange", window)
        self.export_action = self._add("E&xport bundle…", self.export_bundle)
        self.import_action = self._add("&Import bundle…", self.import_bundle)
        self.sync_action = self._add("&Sync with team folder…", self.sync)
        self.menu.addSeparator()
        self.key_action = self._add("My public &key…", self.show_key)
        if window.session.workbook.read_only:  # exporting only reads
            for action in (self.import_action, self.sync_action):
                action.setEnabled(False)
        self.exporter: BundleExporter | None = None
        self.importer: BundleImporter | None = None

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)  # the window's: locking turns it off too
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def _current_force(self) -> str | None:
        page = self._window.force_page
        shown = self._window.pages.currentWidget() is page and not page.national
        return page.force.id if shown and page.force is not None else None

    def export_bundle(self) -> BundleExporter:
        self._window.force_page.flush()
        window = self._window
        self.exporter = BundleExporter(window.session, window, self._current_force())
        self.exporter.start()
        return self.exporter

    def import_bundle(self) -> BundleImporter:
        window = self._window
        window.force_page.flush()
        self.importer = BundleImporter(window.session, window, conflicts_route(window))
        self.importer.start()
        return self.importer

    def sync(self) -> None:
        self._window.force_page.flush()
        SyncDialog(self._window.session, self._window).exec()

    def show_key(self) -> None:
        KeyDialog(self._window).exec()
