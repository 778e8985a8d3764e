"""The quick switcher: type part of a force's name, Enter jumps to it."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.ui.quick_switcher import QuickSwitcher
from ctdesk.ui.switcher_model import KEY_ROLE, MATCH_ROLE, SwitcherFilter, SwitcherModel, fold
from ctdesk.workbook import Workbook


def keys(model: SwitcherFilter) -> list[tuple[str, str]]:
    return [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]


def filtered(workbook: Workbook, text: str) -> list[tuple[str, str]]:
    proxy = SwitcherFilter()
    proxy.setSourceModel(SwitcherModel(workbook.scope, proxy))
    proxy.set_text(text)
    return keys(proxy)


@pytest.fixture
def switcher(qtbot: QtBot, workbook: Workbook) -> Iterator[QuickSwitcher]:
    window = QWidget()
    window.resize(1100, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    dialog = QuickSwitcher(workbook.scope, window)
    dialog.popup()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def test_model_lists_forces_in_navigator_order_then_fixed_places(
    qtmodeltester: ModelTester, workbook: Workbook
) -> None:
    model = SwitcherModel(workbook.scope)
    qtmodeltester.check(model)
    rows = [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]
    forces = [key for kind, key in rows if kind == "force"]
    assert len(forces) == len(workbook.scope.forces)
    assert forces[-4:] == ["british-transport", "civil-nuclear", "ministry-of-defence", "scotland"]
    assert rows[-3:] == [("coverage", "ct4"), ("national", "ct4"), ("search", "")]
    kent = model.index(rows.index(("force", "kent")), 0)
    assert kent.data() == "Kent Police"
    model.search_text = "prevent"
    last = model.index(model.rowCount() - 1, 0)
    assert last.data() == "Search everything for “prevent”"
    assert last.data(KEY_ROLE) == ("search", "prevent")


def test_match_text_holds_every_name_folded(workbook: Workbook) -> None:
    model = SwitcherModel(workbook.scope)
    rows = {model.index(r, 0).data(KEY_ROLE): model.index(r, 0) for r in range(model.rowCount())}
    match = rows[("force", "hampshire")].data(MATCH_ROLE)
    assert "hampshire constabulary" in match  # the former name
    assert "south east" in match  # the region
    assert fold("  Ynys  Môn ") == "ynys mon"


def test_filter_passes_the_model_tester(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    proxy = SwitcherFilter()
    proxy.setSourceModel(SwitcherModel(workbook.scope, proxy))
    proxy.set_text("west")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() > 1
    proxy.set_text("")
    qtmodeltester.check(proxy)


def test_filter_matches_every_word_and_ranks_name_starts_first(workbook: Workbook) -> None:
    west_mid = filtered(workbook, "west mid")
    assert west_mid[0] == ("force", "west-midlands")
    # The rest of the West Midlands region matches through its region name, then search.
    assert ("force", "staffordshire") in west_mid
    assert west_mid[-1] == ("search", "west mid")
    assert filtered(workbook, "met")[0] == ("force", "metropolitan")
    assert filtered(workbook, "avon")[0] == ("force", "avon-and-somerset")
    assert filtered(workbook, "MIDLANDS WEST")[0] == ("force", "west-midlands")
    assert filtered(workbook, "national")[0] == ("national", "ct4")
    assert filtered(workbook, "coverage")[0] == ("coverage", "ct4")


def test_scope_order_is_kept_among_equals(workbook: Workbook) -> None:
    # The South East's forces match by their region's name, all alike, so in scope order;
    # South Yorkshire (North East) has both words but apart, so it comes after them.
    region = filtered(workbook, "south east")
    forces = [key for kind, key in region if kind == "force"]
    expected = [f.id for f in workbook.scope.forces_of_region("south-east")]
    assert forces == [*expected, "south-yorkshire"]


def test_former_names_and_aliases_find_their_force(workbook: Workbook) -> None:
    assert filtered(workbook, "hampshire constab")[0] == ("force", "hampshire")
    assert filtered(workbook, "police service of scot")[0] == ("force", "scotland")
    assert filtered(workbook, "avon and somerset police")[0] == ("force", "avon-and-somerset")


def test_typing_then_enter_chooses_the_first_match(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    assert switcher.edit.hasFocus() or switcher.edit is switcher.focusWidget()
    qtbot.keyClicks(switcher.edit, "west mid")
    assert switcher.current() == ("force", "west-midlands")
    with qtbot.waitSignal(switcher.chosen) as signal:
        qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    assert signal.args == ["force", "west-midlands"]
    assert not switcher.isVisible()


def test_down_then_enter_chooses_the_second_row(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    qtbot.keyClicks(switcher.edit, "west")
    second = switcher.filter.index(1, 0).data(KEY_ROLE)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Down)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Down)
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Up)
    with qtbot.waitSignal(switcher.chosen) as signal:
        qtbot.keyClick(switcher.edit, Qt.Key.Key_Enter)
    assert tuple(signal.args) == second
    assert second[0] == "force"


def test_up_from_the_first_row_stays_there(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Up)
    assert switcher.list.currentIndex().row() == 0


def test_gibberish_leaves_only_search(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    qtbot.keyClicks(switcher.edit, "zqxv prevent")
    assert keys(switcher.filter) == [("search", "zqxv prevent")]
    assert switcher.list.currentIndex().data() == "Search everything for “zqxv prevent”"
    with qtbot.waitSignal(switcher.chosen) as signal:
        qtbot.keyClick(switcher.edit, Qt.Key.Key_Return)
    assert signal.args == ["search", "zqxv prevent"]


def test_double_click_chooses(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    qtbot.keyClicks(switcher.edit, "kent")
    index = switcher.filter.index(0, 0)
    rect = switcher.list.visualRect(index)
    viewport = switcher.list.viewport()
    # A real double click starts with a press: the view ignores a lone double-click event.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(switcher.chosen) as signal:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["force", "kent"]


def test_escape_closes_without_choosing(qtbot: QtBot, switcher: QuickSwitcher) -> None:
    qtbot.keyClicks(switcher.edit, "kent")
    with qtbot.assertNotEmitted(switcher.chosen):
        qtbot.keyClick(switcher.edit, Qt.Key.Key_Escape)
    assert not switcher.isVisible()


def test_popup_again_starts_afresh_near_the_top_of_the_window(
    qtbot: QtBot, switcher: QuickSwitcher
) -> None:
    qtbot.keyClicks(switcher.edit, "kent")
    qtbot.keyClick(switcher.edit, Qt.Key.Key_Escape)
    switcher.popup("dor")
    qtbot.waitExposed(switcher)
    assert switcher.isVisible() and switcher.edit.text() == "dor"
    assert switcher.current() == ("force", "dorset")
    window = switcher.parentWidget().window().geometry()
    box = switcher.geometry()
    assert abs(box.center().x() - window.center().x()) <= 2
    assert window.top() < box.top() < window.center().y()
    assert box.width() == QuickSwitcher.WIDTH
    assert switcher.edit.accessibleName() and switcher.list.accessibleName()
