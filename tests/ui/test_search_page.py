"""Searching in the window: type, see results follow, press Enter to land on the match."""

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.search import Results
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.search_model import HIT_ROLE, SearchResultsModel
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

LONG_BODY = "\n\n".join(f"Paragraph {n} about training and supervision." for n in range(80))


def fill(workbook_path: Path) -> dict[str, str]:
    with Workbook.create(workbook_path) as wb:
        ids = {
            "kent": wb.notes.add(
                force="kent", title="Referral forms", body=LONG_BODY + "\n\nSchools send referrals."
            ).value.id,
            "surrey": wb.notes.add(
                force="surrey", title="Channel", body="Referral numbers fell.", areas=["A2"]
            ).value.id,
            "finding": wb.findings.add(
                force="essex", area="A1", kind="strength", text="Referral pathways are clear."
            ).value.id,
            "national": wb.findings.add(
                force=None, area="A1", kind="area-for-improvement", text="National referral data."
            ).value.id,
        }
        wb.notes.add(force="kent", title="Other", body="Nothing to see.")
    return ids


def shown_ids(window: MainWindow) -> set[str]:
    model = window.search_page.model
    return {model.index(r, 0).data(HIT_ROLE).record_id for r in range(model.rowCount())}


def type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    with qtbot.waitSignal(window.search_page.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_page.box, text)


def test_ctrl_f_then_typing_shows_results(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.search_page
    assert window.search_page.box.hasFocus()
    type_query(qtbot, window, "referrals")
    qtbot.waitUntil(lambda: shown_ids(window) == set(ids.values()), timeout=5000)
    assert "4 matches" in window.search_page.status.text()
    # More words narrow the results as you type.
    type_query(qtbot, window, " schools")
    qtbot.waitUntil(lambda: shown_ids(window) == {ids["kent"]}, timeout=5000)
    window.search_page.box.clear()
    qtbot.waitUntil(lambda: window.search_page.model.rowCount() == 0, timeout=5000)


def test_filters_narrow_the_results(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    page = window.search_page
    type_query(qtbot, window, "referral")
    page.kind.setCurrentIndex(page.kind.findData("finding"))
    qtbot.waitUntil(lambda: shown_ids(window) == {ids["finding"], ids["national"]}, timeout=5000)
    page.kind.setCurrentIndex(0)
    page.area.setCurrentIndex(page.area.findData("ct4.a2"))
    qtbot.waitUntil(lambda: shown_ids(window) == {ids["surrey"]}, timeout=5000)
    page.area.setCurrentIndex(0)
    page.force.setCurrentIndex(page.force.findData("kent"))
    qtbot.waitUntil(lambda: shown_ids(window) == {ids["kent"]}, timeout=5000)


def test_enter_opens_the_note_with_the_match_in_view(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    qtbot.keyClicks(window.search_page.box, "schools")
    # Enter straight away: the best hit opens as soon as the results arrive.
    qtbot.keyClick(window.search_page.box, Qt.Key.Key_Return)
    page = window.force_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=5000)
    assert page.force is not None and page.force.id == "kent"
    assert window.navigator.selected_force() == "kent"
    editor = page.notes.editor
    assert editor.note_id == ids["kent"]
    body = editor.body
    cursor = body.textCursor()
    assert body.toPlainText()[cursor.position() :].startswith("Schools")
    assert not cursor.hasSelection()  # typing does not overwrite the match
    assert body.cursorRect().bottom() <= body.viewport().height()  # scrolled into view
    assert body.verticalScrollBar().value() > 0
    marked = [s.cursor.selectedText() for s in body.extraSelections()]
    assert marked == ["Schools"]


def test_opening_a_national_finding_shows_it(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    type_query(qtbot, window, "national")
    qtbot.keyClick(window.search_page.box, Qt.Key.Key_Down)
    assert window.search_page.results.hasFocus()
    qtbot.keyClick(window.search_page.results, Qt.Key.Key_Return)
    assert window.force_page.national
    assert window.force_page.findings.current_record_id() == ids["national"]
    assert window.force_page.findings.editor.text.extraSelections()


def test_results_follow_edits_while_the_page_is_shown(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    type_query(qtbot, window, "fell")
    assert shown_ids(window) == {ids["surrey"]}
    window.session.apply(lambda wb: wb.notes.delete(ids["surrey"]))
    qtbot.waitUntil(lambda: shown_ids(window) == set(), timeout=5000)


def test_hostile_typing_never_shows_an_error(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    fill(workbook_path)
    window = open_window()
    window.show_search()
    type_query(qtbot, window, "NEAR( \" AND * '; DROP")
    assert window.search_page.status.text().startswith("Nothing matches")


def test_results_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    workbook.notes.add(force="kent", title="Hub", body="hub visit")
    workbook.findings.add(force=None, area="A1", kind="strength", text="hub")
    model = SearchResultsModel(workbook.scope)
    model.set_results(workbook.search("hub"))
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    details = {model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(2)}
    assert any("Note · Kent" in d for d in details)
    assert any("Finding · National" in d for d in details)
    model.set_results(Results("nothing"))
    assert model.rowCount() == 0


def test_results_shown_again_are_searched_again_after_changes(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    type_query(qtbot, window, "fell")
    qtbot.keyClick(window.search_page.box, Qt.Key.Key_Return)
    assert window.force_page.notes.editor.note_id == ids["surrey"]
    window.session.apply(lambda wb: wb.notes.delete(ids["surrey"]))
    with qtbot.waitSignal(window.search_page.results_shown, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert shown_ids(window) == set()
    assert window.search_page.status.text().startswith("Nothing matches")


def test_opening_a_hit_trashed_meanwhile_says_so(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    ids = fill(workbook_path)
    window = open_window()
    window.show_search()
    type_query(qtbot, window, "fell")
    hit = window.search_page.model.hit(0)
    window.session.workbook.notes.delete(ids["surrey"])  # behind the page's back
    window.open_hit(hit, ["fell"])
    assert window.pages.currentWidget() is window.search_page
    assert "no longer there" in window.statusBar().currentMessage()
