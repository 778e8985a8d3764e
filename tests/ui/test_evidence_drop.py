"""Dropping files on a force's evidence register: one document each, category asked once.

The drags and drops are synthetic events carrying file URLs, sent to the tab as Qt would.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from ctdesk.ui import evidence_drop, evidence_tab
from ctdesk.ui.app import build_window
from ctdesk.ui.batch_category_dialog import BatchCategoryDialog, files_text
from ctdesk.ui.evidence_drop import title_from_name
from ctdesk.ui.evidence_tab import EvidenceTab
from ctdesk.ui.main_window import MainWindow
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

Action = Qt.DropAction
NO_BUTTONS = Qt.MouseButton.NoButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def files_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(tab: EvidenceTab, mime: QMimeData) -> bool:
    """Files dragged over the tab: whether it accepts them."""
    event = QDragEnterEvent(QPoint(40, 200), Action.CopyAction, mime, NO_BUTTONS, NO_KEYS)
    event.setAccepted(False)
    QApplication.sendEvent(tab, event)
    return event.isAccepted()


def drop(tab: EvidenceTab, mime: QMimeData) -> bool:
    """Files dragged over the tab and dropped, as Qt delivers them (a drop goes only to the
    widget that accepted the drag); whether the drop was taken."""
    if not drag_enter(tab, mime):
        return False
    event = QDropEvent(QPointF(40, 200), Action.CopyAction, mime, NO_BUTTONS, NO_KEYS)
    event.setAccepted(False)
    QApplication.sendEvent(tab, event)
    return event.isAccepted()


def drop_anyway(tab: EvidenceTab, mime: QMimeData) -> bool:
    """A drop handed to the tab directly, as if the drag had been accepted."""
    event = QDropEvent(QPointF(40, 200), Action.CopyAction, mime, NO_BUTTONS, NO_KEYS)
    event.setAccepted(False)
    tab.dropEvent(event)
    return event.isAccepted()


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(parent: object, exc: BaseException | str, title: str = "ctdesk") -> None:
        shown.append(str(exc))

    monkeypatch.setattr(evidence_tab, "show_error", record)
    return shown


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[BatchCategoryDialog]:
    """The category dialog, answered with "Channel document" (as if chosen and Register)."""
    shown: list[BatchCategoryDialog] = []

    def answer(dialog: BatchCategoryDialog) -> int:
        shown.append(dialog)
        dialog.category_box.setCurrentIndex(dialog.category_box.findText("Channel document"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BatchCategoryDialog, "exec", answer)
    return shown


@pytest.fixture
def window(open_window: OpenWindow) -> MainWindow:
    window = open_window()
    assert window.select_force("kent")
    window.force_page.tabs.setCurrentWidget(window.force_page.evidence)
    return window


@pytest.fixture
def tab(window: MainWindow) -> EvidenceTab:
    return window.force_page.evidence


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "from the force"
    folder.mkdir()
    made = []
    for name, text in (
        ("Channel_panel-minutes 2024-09.txt", "Minutes."),
        ("ToR — Channel panel.docx", "Terms."),
        ("README", "No extension."),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def test_titles_come_from_file_names() -> None:
    assert title_from_name(Path("Channel_panel-minutes 2024-09.txt")) == (
        "Channel panel minutes 2024 09"
    )
    assert title_from_name(Path("ToR — Channel panel.docx")) == "ToR Channel panel"
    assert title_from_name(Path("PREVENT_plan.PDF")) == "PREVENT plan"  # capitals as they are
    assert title_from_name(Path("README")) == "README"
    assert title_from_name(Path("___.pdf")) == "___.pdf"  # nothing left: the whole name
    assert files_text([Path("a"), Path("b"), Path("c")]) == "a, b and c"
    assert files_text([Path(str(n)) for n in range(9)]) == "0, 1, 2, 3, 4, 5 and 3 more"


def test_dropped_files_are_registered_with_one_category(
    qtbot: QtBot,
    window: MainWindow,
    tab: EvidenceTab,
    files: list[Path],
    asked: list[BatchCategoryDialog],
    errors: list[str],
) -> None:
    wb = window.session.workbook
    undo_steps = window.session.undo_stack.count()
    folder = files[0].parent / "scans"
    folder.mkdir()
    missing = files[0].parent / "gone.pdf"
    assert drop(tab, files_mime(*files, folder, missing, files[0]))
    assert len(asked) == 1  # asked once, for the batch
    assert "3 documents" in asked[0].windowTitle()
    docs = sorted(wb.documents.all(force="kent"), key=lambda d: d.title)
    assert [d.title for d in docs] == [
        "Channel panel minutes 2024 09",
        "README",
        "ToR Channel panel",
    ]
    assert {d.category for d in docs} == {"channel-document"}
    assert {d.attachment_name for d in docs} == {f.name for f in files}
    assert wb.documents.attachment(docs[0].id)[1] == b"Minutes."
    # The table shows them (announced like any edit), the last selected, the batch said.
    assert tab.model.rowCount() == 3
    assert "Registered 3 documents as “Channel document”" in tab.message.text()
    assert tab.selected_documents()[0].title == "README"
    # One sentence for each file refused; the rest were registered anyway.
    assert len(errors) == 1
    assert "2 files were not registered" in errors[0]
    assert "scans is a folder" in errors[0]
    assert "There is no file" in errors[0] and "gone.pdf" in errors[0]
    # Each document is an undo step, as if registered one by one.
    assert window.session.undo_stack.count() == undo_steps + 3
    window.undo_action.trigger()
    assert len(wb.documents.all(force="kent")) == 2


def test_cancelling_the_category_registers_nothing(
    qtbot: QtBot,
    window: MainWindow,
    tab: EvidenceTab,
    files: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(BatchCategoryDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    drop(tab, files_mime(*files))
    assert window.session.workbook.documents.all(force="kent") == []
    assert tab.message.text() == "Nothing was registered."


def test_only_refused_files_ask_nothing(
    qtbot: QtBot, tab: EvidenceTab, tmp_path: Path, errors: list[str], asked: list[object]
) -> None:
    drop(tab, files_mime(tmp_path))
    assert asked == []
    assert errors and "is a folder" in errors[0]


def test_dragging_files_over_the_register_shows_where_they_go(
    qtbot: QtBot, tab: EvidenceTab, files: list[Path]
) -> None:
    base = tab.palette().color(QPalette.ColorRole.Base)
    assert drag_enter(tab, files_mime(*files))
    assert tab.table.palette().color(QPalette.ColorRole.Base) != base  # tinted…
    assert "Drop to register 3 files as documents of Kent Police" in tab.summary.text()  # …said
    QApplication.sendEvent(tab, QDragLeaveEvent())
    assert tab.table.palette().color(QPalette.ColorRole.Base) == base
    assert "Drop to register" not in tab.summary.text()
    text = QMimeData()
    text.setText("just words")
    assert not drag_enter(tab, text)
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/plan.pdf")])
    assert not drag_enter(tab, web)


def test_no_drops_where_there_is_no_register(
    qtbot: QtBot, window: MainWindow, files: list[Path], asked: list[object]
) -> None:
    window.select_force("scotland")  # not in CT4's scope
    tab = window.force_page.evidence
    assert not drag_enter(tab, files_mime(*files))
    assert not drop_anyway(tab, files_mime(*files))
    assert asked == []


def test_no_drops_in_a_read_only_window(
    qtbot: QtBot, workbook_path: Path, files: list[Path], asked: list[object]
) -> None:
    Workbook.create(workbook_path).close()
    with Workbook.open(workbook_path, read_only=True) as wb:
        window = build_window(wb, restore_place=False)
        qtbot.addWidget(window)
        window.select_force("kent")
        window.force_page.tabs.setCurrentWidget(window.force_page.evidence)
        tab = window.force_page.evidence
        assert not drag_enter(tab, files_mime(*files))
        assert not drop_anyway(tab, files_mime(*files))
        assert asked == [] and wb.documents.all(force="kent") == []


def test_a_large_batch_is_registered_in_the_background(
    qtbot: QtBot,
    window: MainWindow,
    tab: EvidenceTab,
    files: list[Path],
    asked: list[object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(evidence_drop, "BACKGROUND_FILES", 1)
    opened: list[Workbook] = []
    real_sibling = Workbook.sibling

    def sibling(self: Workbook) -> Workbook:
        other = real_sibling(self)
        opened.append(other)
        return other

    closed: list[Workbook] = []
    real_close = Workbook.close

    def close(self: Workbook) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(Workbook, "sibling", sibling)
    monkeypatch.setattr(Workbook, "close", close)
    drop(tab, files_mime(*files))
    assert tab._drop_op is not None  # started, not finished: the window stays responsive
    assert not drag_enter(tab, files_mime(*files))  # one batch at a time
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=10000)
    assert len(opened) == 1 and opened[0] in closed  # the worker's own connection, closed
    assert "Registered 3 documents" in tab.message.text()
    assert tab._drop_op is None
    assert len(window.session.workbook.documents.all(force="kent")) == 3
