"""The conflicts page: both versions side by side with their differences marked, and choosing."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QTextEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.exchange import conflicts, export, importer
from ctdesk.settings import Settings
from ctdesk.ui.conflict_diff import diff_words
from ctdesk.ui.conflicts_model import ConflictsModel
from ctdesk.ui.conflicts_page import EMPTY_TEXT, ConflictsPage
from ctdesk.ui.coverage_model import contrast
from ctdesk.ui.session import Session
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR
from tests.ui.conftest import OpenWindow

PANEL_MINE = "The panel met monthly and the chair was the local authority lead."
PANEL_THEIRS = "The panel met every two months; the chair was the local authority lead."
Mod = Qt.KeyboardModifier


def send(src: Workbook, dst: Workbook, folder: Path) -> None:
    out = folder / f"{src.author}.ctbundle"
    export.export_bundle(src, out, export.Encryption(none=True))
    importer.import_bundle(dst, out)


def make_conflicts(workbook_path: Path, tmp_path: Path) -> dict[str, str]:
    """Three notes both workbooks changed (this one by AUTHOR, the other by Bea): ids by name."""
    with (
        Workbook.create(workbook_path) as mine,
        Workbook.create(tmp_path / "bea.ctdesk", Settings(author="Bea")) as theirs,
    ):
        ids = {
            name: mine.notes.add(force="kent", title=title, body="start").value.id
            for name, title in (
                ("panel", "Channel panel"),
                ("briefing", "Briefing"),
                ("visit", "Visit"),
            )
        }
        send(mine, theirs, tmp_path)
        mine.notes.edit(ids["panel"], body=PANEL_MINE)
        theirs.notes.edit(ids["panel"], body=PANEL_THEIRS)
        for name in ("briefing", "visit"):
            mine.notes.edit(ids[name], body=f"My {name} text")
            theirs.notes.edit(ids[name], body=f"Their {name} text")
        send(theirs, mine, tmp_path)
        assert len(conflicts.list_conflicts(mine)) == 3
    return ids


def marked(edit: QTextEdit) -> list[str]:
    """The runs of text shown as differing: tinted, bold and underlined."""
    found = []
    block = edit.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.fontUnderline():
                assert fmt.background().style() != Qt.BrushStyle.NoBrush
                assert fmt.fontWeight() >= QFont.Weight.Bold
                found.append(fragment.text())
            it += 1
        block = block.next()
    return found


def formats(edit: QTextEdit) -> list[QTextCharFormat]:
    out = []
    block = edit.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            out.append(it.fragment().charFormat())
            it += 1
        block = block.next()
    return out


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


def test_model_passes_the_model_tester(
    qtmodeltester: ModelTester, workbook_path: Path, tmp_path: Path
) -> None:
    ids = make_conflicts(workbook_path, tmp_path)
    with Workbook.open(workbook_path) as wb:
        model = ConflictsModel(wb.scope)
        qtmodeltester.check(model)  # empty
        model.set_conflicts(conflicts.list_conflicts(wb))
        qtmodeltester.check(model)
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
        assert headers == ["Record", "Kind", "Force", "Mine", "Theirs"]
        titles = [model.index(r, 0).data() for r in range(3)]
        assert titles == ["Briefing", "Channel panel", "Visit"]
        row = model.row_of(ids["panel"])
        cells = [model.index(row, c).data() for c in range(5)]
        assert cells[:3] == ["Channel panel", "Note", "Kent"]
        assert cells[3].startswith(f"{AUTHOR}, 20") and cells[4].startswith("Bea, 20")
        assert "changed on both sides" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        assert model.index(row, 3).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Mine: ")
        assert model.force_name(None) == "National"
        model.set_conflicts([])
        assert model.rowCount() == 0


def test_word_diff_marks_whole_changed_phrases() -> None:
    mine, theirs = diff_words(PANEL_MINE, PANEL_THEIRS)
    assert [s.text for s in mine if s.changed] == ["monthly and"]
    assert [s.text for s in theirs if s.changed] == ["every two months;"]
    assert "".join(s.text for s in mine) == PANEL_MINE
    assert "".join(s.text for s in theirs) == PANEL_THEIRS


def test_both_versions_side_by_side_then_keep_both_theirs_and_mine(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path, tmp_path: Path
) -> None:
    ids = make_conflicts(workbook_path, tmp_path)
    window = open_window()
    status = window.conflicts_status
    assert status.isVisible() and status.text() == "3 conflicts"
    qtbot.keyClick(window, Qt.Key.Key_M, Mod.ControlModifier | Mod.ShiftModifier)
    page = window.conflicts_page
    assert window.pages.currentWidget() is page
    assert window.navigator.forces_view.currentIndex().data() == "Conflicts"
    assert page.view.hasFocus()
    assert page.model.rowCount() == 3 and not page.empty_label.isVisible()

    page.view.selectRow(page.model.row_of(ids["panel"]))
    assert page.mine_header.text().startswith(f"<b>Mine</b> — {AUTHOR}, ")
    assert page.theirs_header.text().startswith("<b>Theirs</b> — Bea, ")
    assert PANEL_MINE in page.mine_text.toPlainText()
    assert PANEL_THEIRS in page.theirs_text.toPlainText()
    assert "Text — differs" in page.mine_text.toPlainText()
    assert "Title — same" in page.theirs_text.toPlainText()
    assert marked(page.mine_text) == ["monthly and"]
    assert marked(page.theirs_text) == ["every two months;"]

    wb = window.session.workbook
    with qtbot.waitSignal(window.session.changed, timeout=3000):
        qtbot.mouseClick(page.keep_both, Qt.MouseButton.LeftButton)
    assert wb.notes.get(ids["panel"]).body == f"{PANEL_MINE}\n\n{PANEL_THEIRS}"
    assert page.model.rowCount() == 2 and page.model.row_of(ids["panel"]) == -1
    assert status.text() == "2 conflicts"
    assert "Kept both versions" in page.message.text()

    page.view.selectRow(page.model.row_of(ids["briefing"]))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_T, Mod.AltModifier)  # Keep &theirs
    qtbot.waitUntil(lambda: page.model.row_of(ids["briefing"]) == -1, timeout=3000)
    assert wb.notes.get(ids["briefing"]).body == "Their briefing text"
    assert status.text() == "1 conflict"

    assert page.current_conflict() is not None
    qtbot.mouseClick(page.keep_mine, Qt.MouseButton.LeftButton)
    assert wb.notes.get(ids["visit"]).body == "My visit text"
    assert conflicts.list_conflicts(wb) == []
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible() and page.empty_label.text() == EMPTY_TEXT
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=3000)
    assert not page.keep_mine.isEnabled() and not page.open_button.isEnabled()


def test_enter_and_open_record_go_to_the_note(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path, tmp_path: Path
) -> None:
    ids = make_conflicts(workbook_path, tmp_path)
    window = open_window()
    qtbot.mouseClick(window.conflicts_status, Qt.MouseButton.LeftButton)
    page = window.conflicts_page
    assert window.pages.currentWidget() is page
    page.view.selectRow(page.model.row_of(ids["visit"]))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.force_page
    assert window.navigator.selected_force() == "kent"
    assert window.force_page.notes.current_record_id() == ids["visit"]

    window.conflicts_action.trigger()
    page.view.selectRow(page.model.row_of(ids["panel"]))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert window.force_page.notes.current_record_id() == ids["panel"]


def test_no_conflicts_says_so_and_hides_the_count(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    assert not window.conflicts_status.isVisible()
    window.conflicts_action.trigger()
    page = window.conflicts_page
    assert window.pages.currentWidget() is page
    assert page.empty_label.isVisible() and page.empty_label.text() == EMPTY_TEXT
    assert not page.splitter.isVisible()
    assert not page.resolve("mine")


def test_a_version_in_the_trash_says_so(qtbot: QtBot, workbook_path: Path, tmp_path: Path) -> None:
    with (
        Workbook.create(workbook_path) as mine,
        Workbook.create(tmp_path / "bea.ctdesk", Settings(author="Bea")) as theirs,
    ):
        note = mine.notes.add(force="kent", title="Briefing", body="start", areas=["A1"]).value
        send(mine, theirs, tmp_path)
        mine.notes.edit(note.id, body="Added later", areas=["A1", "A2"])
        theirs.notes.delete(note.id)
        send(theirs, mine, tmp_path)
        page = ConflictsPage(Session(mine))
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        qtbot.waitExposed(page)
        assert page.model.rowCount() == 1
        assert "(in the trash)" in page.model.index(0, 4).data()
        assert "In the trash" in page.theirs_text.toPlainText()
        assert "Not in the trash" in page.mine_text.toPlainText()
        assert "A2 Consistency" in marked(page.mine_text)
        assert "A1 Capability" in page.theirs_text.toPlainText()
        assert "In the trash" in marked(page.theirs_text)
        assert page.keep_theirs.isEnabled()  # keeping the deletion is a choice too
        assert page.resolve("theirs")
        assert mine.notes.get(note.id).deleted
        assert page.model.rowCount() == 0


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_differences_stay_readable_in_light_and_dark(
    qtbot: QtBot, workbook_path: Path, tmp_path: Path, palette: QPalette
) -> None:
    make_conflicts(workbook_path, tmp_path)
    with Workbook.open(workbook_path) as wb:
        page = ConflictsPage(Session(wb))
        qtbot.addWidget(page)
        page.setPalette(palette)
        page.show()
        qtbot.waitExposed(page)
        base = palette.color(QPalette.ColorRole.Base)
        changed = [f for f in formats(page.mine_text) if f.fontUnderline()]
        assert changed
        for fmt in changed:
            background = fmt.background().color()
            assert contrast(background, base) > 1.2  # the tint shows against the page
            assert contrast(fmt.foreground().color(), background) >= 4.5
        dimmed = [f for f in formats(page.mine_text) if not f.fontUnderline()]
        for fmt in dimmed:
            if fmt.foreground() != QBrush():
                assert contrast(fmt.foreground().color(), base) >= 3


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, workbook_path: Path, tmp_path: Path
) -> None:
    make_conflicts(workbook_path, tmp_path)
    with Workbook.open(workbook_path) as wb:
        page = ConflictsPage(Session(wb))
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        widgets = [
            *page.findChildren(QAbstractButton),
            *page.findChildren(QAbstractItemView),
            *page.findChildren(QHeaderView),
            *page.findChildren(QTextEdit),
            page.message,
        ]
        controls = [w for w in widgets if w.isEnabled() and (w.isVisible() or w is page.message)]
        assert len(controls) >= 7
        assert all(c.accessibleName() for c in controls), [
            type(c).__name__ for c in controls if not c.accessibleName()
        ]
        assert page.keep_both.toolTip().startswith("Put both versions together")
        assert [b.text() for b in (page.keep_mine, page.keep_theirs, page.keep_both)] == [
            "Keep &mine",
            "Keep &theirs",
            "Keep &both",
        ]


def test_a_read_only_workbook_shows_conflicts_but_cannot_resolve(
    qtbot: QtBot, workbook_path: Path, tmp_path: Path
) -> None:
    make_conflicts(workbook_path, tmp_path)
    with Workbook.open(workbook_path, read_only=True) as wb:
        page = ConflictsPage(Session(wb))
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        assert page.model.rowCount() == 3 and page.open_button.isEnabled()
        assert "My briefing text" in page.mine_text.toPlainText()  # the first, by title
        assert not any(b.isEnabled() for b in (page.keep_mine, page.keep_theirs, page.keep_both))
        assert "read-only" in page.keep_mine.toolTip()
        assert not page.resolve("mine")
