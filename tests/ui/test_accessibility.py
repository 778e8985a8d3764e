"""Accessibility: every control a screen reader can reach has a name, in every view and dialog.

The name checked is the one assistive technology gets: ``QAccessible``'s Name text, which Qt
takes from ``accessibleName()``, else a button's text, else the label whose buddy the control is
(for a combo box, whose Name on Linux is its value: its accessible name or its buddy label).
Parts Qt builds inside a control (a date field's line edit, a combo box's popup list, a line
edit's clear button, a table's headers) are presented through that control and are not checked
on their own.

Dialogs are discovered: every ``QDialog`` subclass in ``ctdesk.ui`` is opened, either with no
arguments (and the window as parent) or by a factory below; a new dialog that needs arguments
fails the test until it is given a factory (or a reason to skip it).
"""

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

import ctdesk.ui
from ctdesk import backups
from ctdesk.exchange import bundle, keys
from ctdesk.exchange.importer import Receipt
from ctdesk.ui.main_window import MainWindow
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow
from tests.ui.test_conflicts_page import make_conflicts

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractSlider,
    QTabBar,
    QCalendarWidget,
)
#: Controls whose inner widgets Qt presents as parts of the control itself.
COMPOUND = (QLineEdit, QComboBox, QAbstractSpinBox, QCalendarWidget)


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces as the widget's name."""
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    if isinstance(widget, QComboBox):
        # On Linux Qt gives a combo box its current value as name and leaves what it is for to
        # a label relation; elsewhere the name is its accessible name or its buddy label.
        related = interface.relations(QAccessible.RelationFlag.Label)
        labels = " ".join(other.text(QAccessible.Text.Name) for other, _relation in related)
        return (widget.accessibleName() or labels).strip()
    return interface.text(QAccessible.Text.Name).strip()


def qt_part(widget: QWidget) -> bool:
    """Whether ``widget`` is a part Qt builds inside another control (not reached on its own)."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView | QScrollBar):
        return True
    if isinstance(widget, QTabBar) and widget.parentWidget() is not None:
        # A tab widget's bar: the tab widget carries the name, each tab its title.
        return type(widget.parentWidget()).__name__ == "QTabWidget" or bool(
            accessible_name(widget.parentWidget())
        )
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOUND) or type(parent).__name__ == "QComboBoxPrivateContainer":
            return True
        if isinstance(parent, QMenu):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    shown = f" {text()!r}" if callable(text) and isinstance(text(), str) and text() else ""
    owner = widget.parentWidget()
    chain = []
    while owner is not None and len(chain) < 3:
        chain.append(type(owner).__name__)
        owner = owner.parentWidget()
    return f"{type(widget).__name__}{shown} in {' < '.join(chain)}"


def unnamed(top: QWidget) -> list[str]:
    """The interactive widgets under ``top`` (itself included) without an accessible name."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or qt_part(widget):
            continue
        if not accessible_name(widget):
            found.append(describe(widget))
    return found


# ---- a workbook with something in every view ---------------------------------------------------


@pytest.fixture
def full_window(open_window: OpenWindow, workbook_path: Path, tmp_path: Path) -> MainWindow:
    """A window on a workbook with notes in conflict, a document with a file, an activity, and
    findings (a force's and a national one)."""
    make_conflicts(workbook_path, tmp_path)
    attachment = tmp_path / "plan.txt"
    attachment.write_text("The delivery plan.", encoding="utf-8")
    with Workbook.open(workbook_path) as wb:
        note = wb.notes.add(force="kent", title="Interview", body="Said x.", areas=["ct4.a1"])
        doc = wb.documents.add(
            force="kent", title="Delivery plan", category="policy-strategy", file=attachment
        )
        wb.activities.add(force="kent", kind="reality-testing", title="Visit to the MASH")
        wb.findings.add(
            force="kent",
            area="ct4.a1",
            kind="cause-of-concern",
            text="Referrals are slow.",
            evidence=[note.value.id, doc.value.id],
        )
        wb.findings.add(force=None, area=None, kind="strength", text="Nationally, good.")
    return open_window()


def visit_every_view(window: MainWindow) -> Iterator[str]:
    """Show each main view in turn (loading what it builds lazily), yielding its name."""
    app = QApplication.instance()
    assert app is not None
    wb = window.session.workbook
    window.show_scope_item("inspection", wb.scope.current.id)
    yield "scope page"
    window.select_force("kent")
    window.show_force("kent")
    page = window.force_page
    for tab, service in (
        (page.notes, wb.notes),
        (page.plan, wb.activities),
        (page.evidence, wb.documents),
        (page.findings, wb.findings),
    ):
        page.tabs.setCurrentWidget(tab)
        records = service.all(force="kent")
        if records:
            window.open_record(service.kind, records[-1].id)
        app.processEvents()
        yield f"force page, {page.tabs.tabText(page.tabs.indexOf(tab)).replace('&', '')} tab"
    window.show_national()
    yield "national findings"
    window.show_search("interview")
    app.processEvents()
    yield "search page"
    window.show_coverage()
    yield "coverage page"
    window.conflicts_action.trigger()
    app.processEvents()
    yield "conflicts page"
    window.lock_screen.reset()
    yield "lock screen"


def test_every_control_of_every_main_view_has_an_accessible_name(
    qtbot: QtBot, full_window: MainWindow
) -> None:
    window = full_window
    problems: dict[str, list[str]] = {}
    for view in visit_every_view(window):
        if found := unnamed(window):
            problems[view] = found
    assert problems == {}


# ---- dialogs ---------------------------------------------------------------------------------

Factory = Callable[[MainWindow], QDialog]


def _receipt(*, dry_run: bool) -> Receipt:
    return Receipt(1, 0, 0, 0, 1, ("x",), {"format": bundle.FORMAT}, dry_run=dry_run)


def _document_dialog(window: MainWindow) -> QDialog:
    from ctdesk.ui.document_dialog import DocumentDialog

    wb = window.session.workbook
    doc = wb.documents.all(force="kent")[0]
    return DocumentDialog(
        categories=wb.documents.categories(),
        areas=wb.scope.current.areas,
        submit=lambda form: None,
        default_marking=wb.default_marking,
        document=doc,
        force_name="Kent Police",
        parent=window,
    )


def _history_dialog(window: MainWindow) -> QDialog:
    from ctdesk.ui.history_dialog import HistoryDialog

    note = window.session.workbook.notes.all(force="kent")[0]
    return HistoryDialog(window.session, "note", note.id, parent=window)


def _backups_dialog(window: MainWindow) -> QDialog:
    from ctdesk.ui.backups_dialog import BackupsDialog

    wb = window.session.workbook
    backups.backup(wb, "manual")
    return BackupsDialog(backups.backups_of(wb), str(backups.folder_for(wb.id)), window)


def _receipt_dialog(window: MainWindow) -> QDialog:
    from ctdesk.ui.bundle_import_dialog import ReceiptDialog

    receipt = replace(_receipt(dry_run=False))
    return ReceiptDialog(receipt, "b.ctbundle", "none", can_show_conflicts=True, parent=window)


def _unlock_dialog(window: MainWindow) -> QDialog:
    from ctdesk.ui.passphrase_dialog import UnlockDialog

    return UnlockDialog("Type the passphrase.", lambda typed: typed, window)


#: Dialogs that need arguments, by ``module.Class``.
FACTORIES: dict[str, Factory] = {
    "ctdesk.ui.activity_dialog.ActivityDialog": lambda w: _dialog("activity_dialog", w),
    "ctdesk.ui.backups_dialog.BackupsDialog": _backups_dialog,
    "ctdesk.ui.batch_category_dialog.BatchCategoryDialog": lambda w: _import(
        "batch_category_dialog", "BatchCategoryDialog"
    )(w.session.workbook.documents.categories(), [Path("a.pdf"), Path("b.pdf")], "Kent", "", w),
    "ctdesk.ui.bundle_export_dialog.BundleExportDialog": lambda w: _import(
        "bundle_export_dialog", "BundleExportDialog"
    )(w.session.workbook, "kent", w),
    "ctdesk.ui.bundle_import_dialog.ReceiptDialog": _receipt_dialog,
    "ctdesk.ui.document_dialog.DocumentDialog": _document_dialog,
    "ctdesk.ui.exchange_support.AskPassphrase": lambda w: _import(
        "exchange_support", "AskPassphrase"
    )("b.ctbundle", "That passphrase did not open the bundle.", w),
    "ctdesk.ui.export_dialog.ExportDialog": lambda w: _import("export_dialog", "ExportDialog")(
        w.session.workbook, "kent", w
    ),
    "ctdesk.ui.history_dialog.HistoryDialog": _history_dialog,
    "ctdesk.ui.passphrase_dialog.UnlockDialog": _unlock_dialog,
    "ctdesk.ui.quick_switcher.QuickSwitcher": lambda w: w.switcher,
    "ctdesk.ui.settings_dialog.SettingsDialog": lambda w: _import(
        "settings_dialog", "SettingsDialog"
    )(w.session.workbook.settings, first_run=True, parent=w),
    "ctdesk.ui.sync_dialog.SyncDialog": lambda w: _import("sync_dialog", "SyncDialog")(
        w.session, w
    ),
    "ctdesk.ui.trash_dialog.TrashDialog": lambda w: _import("trash_dialog", "TrashDialog")(
        w.session, w
    ),
    "ctdesk.ui.shortcuts_sheet.ShortcutsSheet": lambda w: _import(
        "shortcuts_sheet", "ShortcutsSheet"
    )(w),
    "ctdesk.ui.about_dialog.AboutDialog": lambda w: _import("about_dialog", "AboutDialog")(
        w.session.workbook, w
    ),
}
#: Dialogs not opened here, and why.
SKIPPED: dict[str, str] = {}


def _import(module: str, name: str) -> type[QDialog]:
    found = getattr(importlib.import_module(f"ctdesk.ui.{module}"), name)
    assert issubclass(found, QDialog)
    return found


def _dialog(module: str, parent: QWidget) -> QDialog:
    """The only dialog class of ``module``, made with just a parent."""
    [cls] = [c for name, c in dialog_classes().items() if name.startswith(f"ctdesk.ui.{module}.")]
    return cls(parent=parent)


def dialog_classes() -> dict[str, type[QDialog]]:
    """Every QDialog subclass defined in a ``ctdesk.ui`` module, by ``module.Class``."""
    found: dict[str, type[QDialog]] = {}
    for info in pkgutil.iter_modules(ctdesk.ui.__path__):
        module = importlib.import_module(f"ctdesk.ui.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = cls
    return found


def simple(cls: type[QDialog]) -> bool:
    """Whether the dialog can be made with no arguments but (maybe) its parent."""
    try:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not inspect.Parameter.empty
        or p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        for p in parameters
    )


def make_dialog(name: str, cls: type[QDialog], window: MainWindow) -> QDialog:
    if name in FACTORIES:
        return FACTORIES[name](window)
    parameters = inspect.signature(cls.__init__).parameters
    return cls(parent=window) if "parent" in parameters else cls()


def test_every_dialog_is_checked() -> None:
    """A dialog that needs arguments must have a factory here, or a reason to be skipped."""
    classes = dialog_classes()
    assert len(classes) >= 15  # the discovery works
    known = FACTORIES | SKIPPED
    missing = sorted(n for n, c in classes.items() if n not in known and not simple(c))
    assert missing == [], "add a factory (or a reason to skip) to FACTORIES in this file"
    assert not set(FACTORIES) - set(classes), "a factory for a dialog that no longer exists"


def test_every_control_of_every_dialog_has_an_accessible_name(
    qtbot: QtBot, full_window: MainWindow
) -> None:
    keys.generate()  # the key dialog shows the key with its Copy button
    window = full_window
    problems: dict[str, list[str]] = {}
    for name, cls in sorted(dialog_classes().items()):
        if name in SKIPPED:
            continue
        dialog = make_dialog(name, cls, window)
        if dialog is not window.switcher:
            qtbot.addWidget(dialog)
        dialog.open()  # shown without blocking: what it builds on showing is built
        QApplication.processEvents()
        if found := unnamed(dialog):
            problems[name] = found
        dialog.reject()
    assert problems == {}


# ---- scaling ---------------------------------------------------------------------------------

#: Widgets whose text must show whole: a squeezed one is clipped.
SHOWN_WHOLE = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QLabel)


@pytest.fixture
def bigger_font() -> Iterator[QFont]:
    """The system font at 1.5 times its size, for the test's duration."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    bigger = QFont(before)
    bigger.setPointSizeF(before.pointSizeF() * 1.5)
    app.setFont(bigger)
    yield bigger
    app.setFont(before)


def settle() -> None:
    for _ in range(3):  # a font change relayouts in steps (posted layout requests)
        QApplication.processEvents()


def squeezed(top: QWidget, bigger: QFont) -> list[str]:
    """Visible controls and labels given less room than their text needs, or not following
    the system font."""
    found = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, SHOWN_WHOLE) or not widget.isVisibleTo(top):
            continue
        if qt_part(widget) or isinstance(widget.parentWidget(), QTabBar):
            continue  # (a tab bar's scroll arrows are Qt's own)
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue  # wraps to the room it gets; or an icon, a spacer
        least = widget.minimumSizeHint()
        if widget.width() < least.width() or widget.height() < least.height():
            found.append(f"{describe(widget)}: {widget.size().toTuple()} < {least.toTuple()}")
        if isinstance(widget, QPushButton) and widget.text():
            need = QFontMetrics(widget.font()).horizontalAdvance(widget.text().replace("&", ""))
            if widget.width() < need:
                found.append(f"{describe(widget)}: narrower than its text")
        if widget.font().pointSizeF() < bigger.pointSizeF() - 0.01:
            found.append(f"{describe(widget)}: ignores the system font")
    return found


def test_main_views_are_not_clipped_at_a_larger_font(
    qtbot: QtBot, full_window: MainWindow, bigger_font: QFont
) -> None:
    """At 1.5 times the system font, every control's text still fits the room it gets."""
    window = full_window
    problems: dict[str, list[str]] = {}
    for view in visit_every_view(window):
        settle()
        if found := squeezed(window, bigger_font):
            problems[view] = found
    assert problems == {}


def test_dialogs_are_not_clipped_at_a_larger_font(
    qtbot: QtBot, full_window: MainWindow, bigger_font: QFont
) -> None:
    keys.generate()
    window = full_window
    problems: dict[str, list[str]] = {}
    for name, cls in sorted(dialog_classes().items()):
        if name in SKIPPED:
            continue
        dialog = make_dialog(name, cls, window)
        if dialog is not window.switcher:
            qtbot.addWidget(dialog)
        dialog.open()
        settle()
        if found := squeezed(dialog, bigger_font):
            problems[name] = found
        dialog.reject()
    assert problems == {}


def test_evidence_columns_widen_with_the_font(full_window: MainWindow) -> None:
    from ctdesk.ui.evidence_model import Column

    table = full_window.force_page.evidence.table
    before = table.columnWidth(Column.CATEGORY)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * 1.5)
    app.setFont(bigger)
    try:
        settle()
        assert table.columnWidth(Column.CATEGORY) > before * 1.3
        needed = table.fontMetrics().horizontalAdvance("Prevent policy and strategy")
        assert table.columnWidth(Column.CATEGORY) > needed
    finally:
        app.setFont(font)


FIXED_PIXELS = re.compile(
    r"setFixed(?:Width|Height|Size)\(\s*\d"
    r"|set(?:Minimum|Maximum)(?:Width|Height|Size)\(\s*\d"
    r"|(?:resizeSection|setColumnWidth)\(\s*[\w.]+\s*,\s*\d"
    r"|setPointSize(?:F)?\(\s*\d|setPixelSize\("
    r"|font-size:\s*\d+\s*(?:px|pt)"
)


def test_no_size_is_set_in_pixels() -> None:
    """Sizes come from the font in use (``fontMetrics``), so a larger system font or a high-DPI
    screen gets room to match; a size in plain pixels would clip or elide there."""
    folder = Path(ctdesk.ui.__file__).parent
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(folder.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FIXED_PIXELS.search(line)
    ]
    assert offenders == []
