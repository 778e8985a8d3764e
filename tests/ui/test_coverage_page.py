"""The coverage dashboard: its model passes Qt's tester, cells open forces, it follows changes."""

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.coverage import coverage
from ctdesk.ui.coverage_model import (
    CELL_ROLE,
    LEVEL_ROLE,
    CoverageModel,
    contrast,
    level,
    short_title,
)
from ctdesk.ui.coverage_page import CoveragePage
from ctdesk.ui.session import Session
from ctdesk.workbook import Workbook

A1, A2, A3 = "ct4.a1", "ct4.a2", "ct4.a3"
Role = Qt.ItemDataRole


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#3d7bd9"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def filled(workbook: Workbook) -> Workbook:
    """Kent: evidence on A1 (2 notes, 1 document, 1 finding) and 25 notes on A3; else nothing."""
    workbook.notes.add(force="kent", title="Chief officer", areas=["A1"])
    workbook.notes.add(force="kent", title="Focus group", areas=["A1"])
    workbook.documents.add(force="kent", title="Plan", category="other", areas=["A1"])
    workbook.findings.add(force="kent", area="A1", kind="strength", text="Good training.")
    for n in range(25):
        workbook.notes.add(force="kent", title=f"Visit {n}", areas=["A3"])
    return workbook


@pytest.fixture
def page(qtbot: QtBot, filled: Workbook) -> Iterator[CoveragePage]:
    widget = CoveragePage(Session(filled))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def cell(model: CoverageModel, force_id: str, area_id: str = "") -> QModelIndex:
    column = model.area_column(area_id) if area_id else 0
    return model.force_index(force_id, column)


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, filled: Workbook) -> None:
    model = CoverageModel()
    qtmodeltester.check(model)  # empty, before any coverage
    model.set_coverage(coverage(filled))
    qtmodeltester.check(model)
    model.set_palette(dark_palette())
    filled.notes.add(force="kent", title="More", areas=["A2"])
    assert not model.set_coverage(coverage(filled))  # same rows: counts change in place
    assert cell(model, "kent", A2).data() == "1 · 0 · 0"
    fewer = replace(coverage(filled), groups=coverage(filled).groups[:2])
    assert model.set_coverage(fewer)  # other rows: a reset, while the tester watches
    assert model.rowCount() == 2


def test_model_cells(filled: Workbook) -> None:
    model = CoverageModel()
    model.set_coverage(coverage(filled))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Force",
        "A1 Capability",
        "A2 Consistency",
        "A3 Information sharing",
        "Activities",
        "Documents",
    ]
    region = model.index(0, 0)
    assert region.data() == "North East (7)" and model.rowCount(region) == 7
    assert region.data(CELL_ROLE) is None
    assert model.index(0, 1).data(Role.BackgroundRole) is None  # region sums are not tinted

    kent_a1 = cell(model, "kent", A1)
    assert kent_a1.data() == "2 · 1 · 1"
    assert kent_a1.data(Role.ToolTipRole) == (
        "2 notes, 1 document, 1 finding on Capability in Kent Police."
    )
    assert kent_a1.data(Role.AccessibleTextRole) == kent_a1.data(Role.ToolTipRole)
    assert kent_a1.data(CELL_ROLE) == ("kent", A1)
    assert kent_a1.data(LEVEL_ROLE) == 1  # 4 records: 1–4
    kent_a2 = cell(model, "kent", A2)
    assert kent_a2.data() == "none"
    assert kent_a2.data(Role.ToolTipRole) == "Nothing yet on Consistency in Kent Police."
    assert kent_a2.data(LEVEL_ROLE) == 0
    assert cell(model, "kent", A3).data(LEVEL_ROLE) == 3
    assert cell(model, "kent").data() == "Kent" and cell(model, "kent").data(CELL_ROLE) == (
        "kent",
        "",
    )
    activities = model.force_index("kent", model.activities_column)
    assert activities.data() == "0 of 6" and activities.data(CELL_ROLE) == ("kent", "")
    assert model.force_index("kent", model.documents_column).data() == "1 (0 reviewed)"
    south_east = cell(model, "kent").parent()
    assert south_east.data() == "South East (5)"
    assert model.index(south_east.row(), 3).data() == "25 · 0 · 0"
    assert model.index(south_east.row(), 3).data(Role.ToolTipRole) == (
        "25 notes, 0 documents, 0 findings on Information sharing and communication "
        "in the South East region (5 forces)."
    )


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_tints_deepen_with_evidence_and_text_stays_readable(
    filled: Workbook, palette: QPalette
) -> None:
    model = CoverageModel()
    model.set_palette(palette)
    model.set_coverage(coverage(filled))
    base = palette.color(QPalette.ColorRole.Base)
    nothing, some, lots = (cell(model, "kent", a) for a in (A2, A1, A3))
    assert nothing.data(Role.BackgroundRole) == base  # a gap looks empty
    assert contrast(some.data(Role.BackgroundRole), base) > contrast(
        nothing.data(Role.BackgroundRole), base
    )
    assert contrast(lots.data(Role.BackgroundRole), base) > contrast(
        some.data(Role.BackgroundRole), base
    )
    for index in (nothing, some, lots):
        text, background = index.data(Role.ForegroundRole), index.data(Role.BackgroundRole)
        assert contrast(text, background) >= 4.5, index.data()


def test_levels_and_titles(filled: Workbook) -> None:
    assert [level(n) for n in (0, 1, 4, 5, 19, 20, 500)] == [0, 1, 1, 2, 2, 3, 3]
    assert short_title(filled.scope.area("A3")) == "A3 Information sharing"


def click(qtbot: QtBot, page: CoveragePage, index: QModelIndex) -> None:
    page.view.scrollTo(index)
    rect = page.view.visualRect(index)
    assert rect.isValid()
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_a_cell_opens_that_force_and_area(qtbot: QtBot, page: CoveragePage) -> None:
    with qtbot.waitSignal(page.cell_activated, timeout=2000) as blocker:
        click(qtbot, page, cell(page.model, "kent", A3))
    assert blocker.args == ["kent", A3]
    with qtbot.waitSignal(page.cell_activated, timeout=2000) as blocker:
        click(qtbot, page, cell(page.model, "dorset", A2))  # a gap opens too: to fill it
    assert blocker.args == ["dorset", A2]


def test_clicking_a_force_name_opens_the_force(qtbot: QtBot, page: CoveragePage) -> None:
    with qtbot.waitSignal(page.cell_activated, timeout=2000) as blocker:
        click(qtbot, page, cell(page.model, "kent"))
    assert blocker.args == ["kent", ""]


def test_clicking_a_region_row_opens_nothing(qtbot: QtBot, page: CoveragePage) -> None:
    with qtbot.assertNotEmitted(page.cell_activated, wait=100):
        click(qtbot, page, page.model.index(0, 1))


def test_enter_on_the_current_cell_opens_it(qtbot: QtBot, page: CoveragePage) -> None:
    page.view.setFocus()
    page.view.setCurrentIndex(cell(page.model, "kent", A1))
    with qtbot.waitSignal(page.cell_activated, timeout=2000) as blocker:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert blocker.args == ["kent", A1]


def test_page_follows_changes_made_through_the_session(qtbot: QtBot, page: CoveragePage) -> None:
    assert cell(page.model, "kent", A2).data() == "none"
    page.view.setCurrentIndex(cell(page.model, "kent", A2))
    page._session.apply(lambda wb: wb.notes.add(force="kent", title="New", areas=["A2"]))
    qtbot.waitUntil(lambda: cell(page.model, "kent", A2).data() == "1 · 0 · 0", timeout=2000)
    assert page.view.currentIndex() == cell(page.model, "kent", A2)  # kept across the refresh
    assert page.view.isExpanded(cell(page.model, "kent").parent())

    page.hide()  # hidden, it only notes that it is out of date
    page._session.apply(lambda wb: wb.notes.add(force="kent", title="Later", areas=["A2"]))
    qtbot.wait(300)
    assert cell(page.model, "kent", A2).data() == "1 · 0 · 0"
    page.show()
    assert cell(page.model, "kent", A2).data() == "2 · 0 · 0"


def test_refresh_keeps_collapsed_regions_and_the_current_cell(
    qtbot: QtBot, page: CoveragePage
) -> None:
    south_east = cell(page.model, "kent").parent()
    page.view.collapse(south_east)
    page.view.setCurrentIndex(cell(page.model, "dorset", A1))
    page.refresh()
    assert not page.view.isExpanded(cell(page.model, "kent").parent())
    assert page.view.isExpanded(page.model.index(0, 0))
    assert page.view.currentIndex() == cell(page.model, "dorset", A1)


def test_refresh_keeps_the_scroll_position(qtbot: QtBot, page: CoveragePage) -> None:
    bar = page.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    at = bar.value()
    page.refresh()
    qtbot.wait(50)  # the tree lays itself out again after the reset
    assert bar.value() == at > 0


def test_nothing_is_counted_until_the_page_is_first_shown(qtbot: QtBot, filled: Workbook) -> None:
    hidden = CoveragePage(Session(filled))
    qtbot.addWidget(hidden)
    assert hidden.coverage is None and hidden.model.rowCount() == 0
    hidden.show()
    assert hidden.coverage is not None and hidden.model.rowCount() == 10


def test_progress_summary(qtbot: QtBot, page: CoveragePage) -> None:
    assert page.activities_label.text() == "0 of 276 planned activities done (0%)"
    assert page.documents_label.text() == (
        "1 registered, 0 reviewed; the target is over 300 reviewed (target not yet met)"
    )
    assert page.national_label.isHidden()
    session = page._session
    act = session.workbook.activities.plan("kent")[0]
    session.apply(lambda wb: wb.activities.set(act.id, status="done"))
    session.apply(
        lambda wb: wb.findings.add(force=None, area="A1", kind="recommendation", text="All…")
    )
    qtbot.waitUntil(lambda: page.activities_bar.value() == 1, timeout=2000)
    assert page.activities_label.text() == "1 of 276 planned activities done (0%)"
    assert page.national_label.isVisible()
    assert page.national_label.text() == (
        "Also 1 national or cross-force finding, which belongs to no force's row."
    )


def test_every_interactive_widget_has_an_accessible_name(page: CoveragePage) -> None:
    for widget in (page.view, page.activities_bar, page.documents_bar, *page.swatches):
        assert widget.accessibleName()


def test_palette_change_recolours(qtbot: QtBot, page: CoveragePage) -> None:
    dark = dark_palette()
    page.setPalette(dark)
    qtbot.waitUntil(
        lambda: (
            cell(page.model, "kent", A2).data(Role.BackgroundRole)
            == dark.color(QPalette.ColorRole.Base)
        ),
        timeout=2000,
    )
