"""Getting around: the quick switcher, the coverage page, and a click on the current node."""

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctdesk.ui.coverage_model import CELL_ROLE
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow


def test_ctrl_k_then_a_force_name_goes_there(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.switcher
    qtbot.waitUntil(switcher.isVisible, timeout=3000)
    qtbot.keyClicks(switcher.edit, "devon")
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not switcher.isVisible(), timeout=3000)
    assert window.pages.currentWidget() is window.force_page
    assert window.force_page.force is not None
    assert window.force_page.force.id == "devon-and-cornwall"
    assert window.navigator.selected_force() == "devon-and-cornwall"


def test_switcher_can_start_a_search(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.switcher.popup()
    qtbot.keyClicks(window.switcher.edit, "zzqx referral")
    qtbot.keyClick(window.switcher.edit, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.search_page
    assert window.search_page.box.text() == "zzqx referral"


def test_coverage_cell_opens_the_force_notes_on_that_area(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    with Workbook.create(workbook_path) as wb:
        on_a2 = wb.notes.add(force="kent", title="Sharing", areas=["A2"]).value.id
        wb.notes.add(force="kent", title="Capability", areas=["A1"])
    window = open_window()
    qtbot.keyClick(
        window,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    page = window.coverage_page
    assert window.pages.currentWidget() is page
    model = page.model
    view = page.view
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    cell = next(
        model.index(r, c, model.index(g, 0))
        for g in range(model.rowCount())
        for r in range(model.rowCount(model.index(g, 0)))
        for c in range(model.columnCount())
        if model.index(r, c, model.index(g, 0)).data(CELL_ROLE) == ("kent", "ct4.a2")
    )
    assert "1" in cell.data()
    view.scrollTo(cell)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(cell).center())
    assert window.pages.currentWidget() is window.force_page
    notes = window.force_page.notes
    assert window.force_page.tabs.currentWidget() is notes
    assert notes.proxy.rowCount() == 1 and notes.editor.note_id == on_a2
    assert notes.area_filter.currentData() == "ct4.a2"


def test_clicking_the_selected_force_leaves_the_search_page(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.select_force("kent")
    window.show_search()
    view = window.navigator.forces_view
    index = window.navigator.forces_model.find("force", "kent")
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    assert window.pages.currentWidget() is window.force_page


def test_new_note_is_offered_only_for_forces_in_the_inspection(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.select_force("kent")
    window.force_page.tabs.setCurrentWidget(window.force_page.plan)
    window.go_to("force", "scotland")
    assert not window.new_note_action.isEnabled()
    window.go_to("force", "kent")
    assert window.new_note_action.isEnabled()


def test_a_new_note_in_a_long_list_is_in_view(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    with Workbook.create(workbook_path) as wb:
        for n in range(200):
            wb.notes.add(force="kent", title=f"Note {n:03}")
    window = open_window()
    window.select_force("kent")
    tab = window.force_page.notes
    tab.list.scrollToBottom()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    def in_view() -> None:
        index = tab.list.currentIndex()
        assert index.row() == 0  # newest first
        rect = tab.list.visualRect(index)
        assert rect.top() >= 0 and rect.bottom() <= tab.list.viewport().height()

    qtbot.waitUntil(in_view, timeout=3000)
