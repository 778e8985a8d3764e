"""The evidence register in the GUI: register documents, find them, review them, keep files."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.ui import document_dialog, evidence_tab
from ctdesk.ui.document_dialog import DocumentDialog
from ctdesk.ui.evidence_model import Column, DocumentTableModel
from ctdesk.ui.evidence_tab import EvidenceTab
from ctdesk.ui.main_window import MainWindow
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR
from tests.ui.conftest import OpenWindow


@dataclass
class Entry:
    """What an inspector types into the register dialog for one document."""

    title: str
    category: str  # as shown in the combo
    received: str | None = "2024-09-02"  # None ticks "Not known"
    reference: str = ""
    provided_by: str = ""
    areas: list[str] = field(default_factory=list)


TEN = [
    Entry("Prevent strategy 2024", "Prevent policy and strategy", "2024-09-02", "KP/01", "Lead"),
    Entry("Prevent delivery plan", "Prevent policy and strategy", "2024-09-03", "KP/02"),
    Entry("Referral log Q1", "Referral report", "2024-09-05", areas=["ct4.a2"]),
    Entry("Referral log Q2", "Referral report", None, areas=["ct4.a2"]),
    Entry("Channel panel minutes", "Channel document", "2024-09-10", "CH/07", areas=["ct4.a3"]),
    Entry("Channel terms of reference", "Channel document", "2024-08-30", "CH/TOR"),
    Entry("Awareness briefing", "Briefing material", "2024-09-11", provided_by="L&D team"),
    Entry("Briefing slides", "Briefing material", "2024-09-12"),
    Entry("Information sharing agreement", "Other", "2024-09-01", "ISA-42"),
    Entry("Local profile summary", "Other", "2024-09-04", provided_by="CTP South East"),
]


def fill(dialog: DocumentDialog, entry: Entry) -> None:
    dialog.title.setText(entry.title)
    index = dialog.category.findText(entry.category)
    assert index >= 0, entry.category
    dialog.category.setCurrentIndex(index)
    dialog.reference.setText(entry.reference)
    dialog.provided_by.setText(entry.provided_by)
    dialog.received_unknown.setChecked(entry.received is None)
    if entry.received:
        dialog.received.setDate(QDate.fromString(entry.received, Qt.DateFormat.ISODate))
    for area_id, box in dialog.area_boxes.items():
        box.setChecked(area_id in entry.areas)


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the GUI would show in a message box; recorded for every test, because a real
    modal box would block the test run instead of failing it."""
    shown: list[str] = []

    def record(parent: object, exc: BaseException | str, title: str = "ctdesk") -> None:
        shown.append(str(exc))

    monkeypatch.setattr(evidence_tab, "show_error", record)
    monkeypatch.setattr(document_dialog, "show_error", record)
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


def drive_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, steps: Callable[[DocumentDialog], None]
) -> list[DocumentDialog]:
    """Make ``DocumentDialog.exec`` run ``steps`` (as the inspector would) instead of blocking."""
    opened: list[DocumentDialog] = []

    def fake_exec(self: DocumentDialog) -> int:
        opened.append(self)
        self.show()
        steps(self)
        return self.result()

    monkeypatch.setattr(DocumentDialog, "exec", fake_exec)
    return opened


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def seed(workbook: Workbook, tab: EvidenceTab) -> dict[str, str]:
    """The ten documents, registered through the service; returns title → id."""
    ids = {}
    for entry in TEN:
        doc = workbook.documents.add(
            force="kent",
            title=entry.title,
            category=entry.category,
            reference=entry.reference,
            provided_by=entry.provided_by,
            received=entry.received,
            areas=entry.areas,
        ).value
        ids[entry.title] = doc.id
    tab.show_force("kent")
    return ids


def shown_titles(tab: EvidenceTab) -> list[str]:
    proxy = tab.proxy
    return [proxy.index(r, Column.TITLE).data() for r in range(proxy.rowCount())]


# ---- registering ------------------------------------------------------------------------------


def test_a_newcomer_registers_ten_documents(
    qtbot: QtBot, window: MainWindow, tab: EvidenceTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tab.summary.text().startswith("No documents registered yet")
    assert tab.register_button.isEnabled()

    def register_all(dialog: DocumentDialog) -> None:
        assert not dialog.ok_button.isEnabled()  # nothing to register without a title
        for entry in TEN[:-1]:
            fill(dialog, entry)
            click(qtbot, dialog.another_button)
            assert dialog.title.text() == ""  # ready for the next one
            assert entry.title in dialog.status.text()
        fill(dialog, TEN[-1])
        click(qtbot, dialog.ok_button)

    opened = drive_dialog(monkeypatch, qtbot, register_all)
    click(qtbot, tab.register_button)

    assert len(opened) == 1 and opened[0].result() == QDialog.DialogCode.Accepted
    assert tab.summary.text() == "10 documents registered, 0 reviewed"
    assert tab.model.rowCount() == 10
    assert tab.message.text() == "Registered 10 documents."
    assert [d.title for d in tab.selected_documents()] == ["Local profile summary"]
    stored = {d.title: d for d in window.session.workbook.documents.all(force="kent")}
    assert len(stored) == 10
    q2 = stored["Referral log Q2"]
    assert (q2.category, q2.received_date, q2.areas) == ("referral-report", None, ("ct4.a2",))
    strategy = stored["Prevent strategy 2024"]
    assert (strategy.reference, strategy.provided_by) == ("KP/01", "Lead")
    assert strategy.received_date == "2024-09-02"
    assert strategy.marking == "OFFICIAL-SENSITIVE"  # the inspector's default


def test_register_with_a_file(
    qtbot: QtBot,
    tab: EvidenceTab,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    source = tmp_path / "Channel minutes.docx"
    source.write_bytes(b"minutes" * 100)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))

    def steps(dialog: DocumentDialog) -> None:
        fill(dialog, TEN[4])
        click(qtbot, dialog.choose_file_button)
        assert dialog.file_label.text() == "Channel minutes.docx (700 bytes)"
        click(qtbot, dialog.ok_button)

    drive_dialog(monkeypatch, qtbot, steps)
    click(qtbot, tab.register_button)
    doc = window.session.workbook.documents.all(force="kent")[0]
    assert doc.attachment_name == "Channel minutes.docx"
    assert tab.proxy.index(0, Column.ATTACHMENT).data() == "Channel minutes.docx (700 bytes)"
    assert tab.save_file_button.isEnabled()


def test_refused_values_give_a_message_and_keep_the_dialog_open(
    qtbot: QtBot,
    tab: EvidenceTab,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[str],
    tmp_path: Path,
) -> None:
    big = tmp_path / "report.pdf"
    with big.open("wb") as handle:
        handle.truncate(31 * 1024 * 1024 + 300_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))

    def steps(dialog: DocumentDialog) -> None:
        fill(dialog, TEN[0])
        dialog.title.setText("x" * 301)
        click(qtbot, dialog.ok_button)
        assert errors == ["A document title can be at most 300 characters; shorten it."]
        assert dialog.isVisible() or dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.title.text() == "x" * 301  # what was typed is kept
        click(qtbot, dialog.choose_file_button)  # too large: explained beside the field
        assert not dialog.file_problem.isHidden()
        assert dialog.file_problem.text().startswith("report.pdf is 31.3 MB; attachments can")
        assert dialog.form().file is None
        dialog.marking.handling.setCurrentText("FOR PUBLIC RELEASE")  # not with -SENSITIVE
        dialog.title.setText("Fine title")
        click(qtbot, dialog.ok_button)
        assert len(errors) == 2 and "FOR PUBLIC RELEASE" in errors[1]
        dialog.reject()

    drive_dialog(monkeypatch, qtbot, steps)
    click(qtbot, tab.register_button)
    assert window.session.workbook.documents.all() == []
    assert tab.model.rowCount() == 0


def test_police_scotland_has_no_register(qtbot: QtBot, window: MainWindow) -> None:
    window.select_force("scotland")
    tab = window.force_page.evidence
    assert not tab.register_button.isEnabled()
    assert "not in the scope of CT4" in tab.summary.text()


# ---- finding documents ------------------------------------------------------------------------


def test_filter_by_words_category_and_status(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow
) -> None:
    ids = seed(window.session.workbook, tab)
    assert tab.proxy.rowCount() == 10
    qtbot.keyClicks(tab.filter_text, "referral")
    assert sorted(shown_titles(tab)) == ["Referral log Q1", "Referral log Q2"]
    assert tab.summary.text() == "10 documents registered, 0 reviewed · showing 2"
    tab.filter_text.clear()
    qtbot.keyClicks(tab.filter_text, "ch/")  # matches references too
    assert sorted(shown_titles(tab)) == ["Channel panel minutes", "Channel terms of reference"]
    tab.filter_text.clear()
    qtbot.keyClicks(tab.filter_text, "south east")  # and who provided it
    assert shown_titles(tab) == ["Local profile summary"]
    tab.filter_text.clear()

    tab.category_filter.setCurrentIndex(tab.category_filter.findText("Briefing material"))
    assert sorted(shown_titles(tab)) == ["Awareness briefing", "Briefing slides"]
    qtbot.keyClicks(tab.filter_text, "slides")
    assert shown_titles(tab) == ["Briefing slides"]
    tab.filter_text.clear()
    tab.category_filter.setCurrentIndex(0)
    assert tab.proxy.rowCount() == 10

    window.session.apply(lambda wb: wb.documents.set(ids["Briefing slides"], status="reviewed"))
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("Reviewed"))
    assert shown_titles(tab) == ["Briefing slides"]
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("To review"))
    assert tab.proxy.rowCount() == 9 and "Briefing slides" not in shown_titles(tab)


def test_sort_by_date_received_with_unknown_dates_last(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow
) -> None:
    seed(window.session.workbook, tab)
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.RECEIVED) + header.sectionSize(Column.RECEIVED) // 2
    at = QPoint(x, header.height() // 2)

    def dates() -> list[str]:
        proxy = tab.proxy
        return [proxy.index(r, Column.RECEIVED).data() for r in range(proxy.rowCount())]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    order = header.sortIndicatorOrder()
    first = dates()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    second = dates()
    assert header.sortIndicatorOrder() != order
    ascending, descending = (
        (first, second)
        if order == Qt.SortOrder.AscendingOrder
        else (
            second,
            first,
        )
    )
    assert ascending[:3] == ["30 Aug 2024", "1 Sep 2024", "2 Sep 2024"]  # as dates, not text
    assert ascending[-1] == "—"
    assert descending[:2] == ["12 Sep 2024", "11 Sep 2024"]
    assert descending[-1] == "—"  # unknown dates stay last both ways

    tab.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert shown_titles(tab)[:2] == ["Awareness briefing", "Briefing slides"]


# ---- acting on documents ----------------------------------------------------------------------


def test_mark_reviewed_updates_the_summary(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow
) -> None:
    seed(window.session.workbook, tab)
    assert not tab.review_button.isEnabled()
    tab.table.selectRow(0)
    chosen = tab.selected_documents()[0]
    assert tab.review_button.text().replace("&", "") == "Mark reviewed"
    click(qtbot, tab.review_button)
    assert tab.summary.text() == "10 documents registered, 1 reviewed"
    stored = window.session.workbook.documents.get(chosen.id)
    assert (stored.review_status, stored.reviewer) == ("reviewed", AUTHOR)
    row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(chosen.id), 0)).row()
    assert tab.proxy.index(row, Column.STATUS).data() == "Reviewed"
    assert tab.review_button.text().replace("&", "") == "Mark to review"

    click(qtbot, tab.review_button)
    assert tab.summary.text() == "10 documents registered, 0 reviewed"

    tab.table.selectAll()
    click(qtbot, tab.review_button)
    assert tab.summary.text() == "10 documents registered, 10 reviewed"
    assert window.session.workbook.documents.counts("kent") == (10, 10)


def test_edit_by_double_click(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(window.session.workbook, tab)
    tab.select_document(ids["Referral log Q2"])

    def steps(dialog: DocumentDialog) -> None:
        assert dialog.title.text() == "Referral log Q2"
        assert dialog.received_unknown.isChecked()
        assert dialog.area_boxes["ct4.a2"].isChecked()
        dialog.title.setText("Referral log, quarter 2")
        dialog.received_unknown.setChecked(False)
        dialog.received.setDate(QDate(2024, 9, 20))
        dialog.area_boxes["ct4.a1"].setChecked(True)
        click(qtbot, dialog.ok_button)

    opened = drive_dialog(monkeypatch, qtbot, steps)
    index = tab.table.currentIndex()
    rect = tab.table.visualRect(index)
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1
    doc = window.session.workbook.documents.get(ids["Referral log Q2"])
    assert (doc.title, doc.received_date, doc.areas) == (
        "Referral log, quarter 2",
        "2024-09-20",
        ("ct4.a1", "ct4.a2"),
    )
    row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(doc.id), 0)).row()
    assert tab.proxy.index(row, Column.TITLE).data() == "Referral log, quarter 2"
    assert tab.proxy.index(row, Column.AREAS).data() == "A1, A2"
    assert len(window.session.workbook.documents.history(doc.id)) == 2  # one edit, one revision
    assert tab.message.text() == "Saved “Referral log, quarter 2”."


def test_attach_save_and_refuse_files(
    qtbot: QtBot,
    tab: EvidenceTab,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[str],
    tmp_path: Path,
) -> None:
    ids = seed(window.session.workbook, tab)
    source = tmp_path / "minutes.pdf"
    source.write_bytes(b"%PDF minutes")
    tab.select_document(ids["Channel panel minutes"])
    assert not tab.save_file_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    click(qtbot, tab.attach_button)
    assert tab.message.text() == "Attached minutes.pdf (12 bytes) to “Channel panel minutes”."
    assert tab.save_file_button.isEnabled()

    out = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    click(qtbot, tab.save_file_button)
    assert out.read_bytes() == b"%PDF minutes"
    assert tab.message.text() == f"Saved {out}."

    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:
        handle.truncate(26 * 1024 * 1024)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))
    click(qtbot, tab.attach_button)
    assert errors == [
        "huge.pdf is 26 MB; attachments can be at most 25 MB, so keep the file elsewhere and "
        "record its reference."
    ]
    doc = window.session.workbook.documents.get(ids["Channel panel minutes"])
    assert doc.attachment_name == "minutes.pdf"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("/no/such/dir/x", ""))
    click(qtbot, tab.save_file_button)
    assert errors[-1] == "The folder /no/such/dir does not exist; choose an existing folder."


def test_move_to_trash_and_undo(qtbot: QtBot, tab: EvidenceTab, window: MainWindow) -> None:
    ids = seed(window.session.workbook, tab)
    tab.select_document(ids["Briefing slides"])
    click(qtbot, tab.trash_button)
    assert tab.summary.text() == "9 documents registered, 0 reviewed"
    assert "Briefing slides" not in shown_titles(tab)
    assert tab.message.text() == "Moved “Briefing slides” to the trash."
    assert window.session.workbook.documents.get(ids["Briefing slides"]).deleted
    assert tab.undo_button.isVisible()
    click(qtbot, tab.undo_button)
    assert tab.summary.text() == "10 documents registered, 0 reviewed"
    assert [d.title for d in tab.selected_documents()] == ["Briefing slides"]
    assert not tab.undo_button.isVisible()


def test_window_edit_menu_acts_on_the_selected_document(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow
) -> None:
    ids = seed(window.session.workbook, tab)
    tab.select_document(ids["Awareness briefing"])
    assert window.force_page.current_record() == ("document", ids["Awareness briefing"])
    window.delete_action.trigger()
    assert tab.summary.text() == "9 documents registered, 0 reviewed"
    window.undo_action.trigger()
    assert tab.summary.text() == "10 documents registered, 0 reviewed"
    assert "Awareness briefing" in shown_titles(tab)


def test_select_record_clears_a_filter_that_hides_it(
    qtbot: QtBot, tab: EvidenceTab, window: MainWindow
) -> None:
    ids = seed(window.session.workbook, tab)
    qtbot.keyClicks(tab.filter_text, "channel")
    assert "Briefing slides" not in shown_titles(tab)
    assert tab.select_record(ids["Briefing slides"])
    assert tab.filter_text.text() == "" and tab.proxy.rowCount() == 10
    assert tab.current_record_id() == ids["Briefing slides"]


def test_changes_made_elsewhere_show_up(qtbot: QtBot, tab: EvidenceTab, window: MainWindow) -> None:
    window.session.apply(
        lambda wb: wb.documents.add(force="kent", title="From elsewhere", category="other")
    )
    window.session.apply(
        lambda wb: wb.documents.add(force="essex", title="Another force", category="other")
    )
    assert shown_titles(tab) == ["From elsewhere"]
    assert tab.summary.text() == "1 document registered, 0 reviewed"


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets under ``root`` without an accessible name (parts of composite
    widgets, like a combo box's line edit or a table's corner button, are named by their owner)."""
    interactive = (QAbstractButton, QComboBox, QLineEdit, QTableView, QDateEdit)
    composite = (QComboBox, QTableView, QLineEdit, QDateEdit)
    controls = [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, interactive) and not isinstance(w.parent(), composite)
    ]
    assert controls
    return [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
        for w in controls
        if not w.accessibleName()
    ]


def test_every_control_has_an_accessible_name(
    tab: EvidenceTab, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    assert unnamed_controls(tab) == []
    opened = drive_dialog(monkeypatch, qtbot, lambda dialog: dialog.reject())
    click(qtbot, tab.register_button)
    assert unnamed_controls(opened[0]) == []


# ---- the model --------------------------------------------------------------------------------


@pytest.fixture
def model(workbook: Workbook) -> Iterator[DocumentTableModel]:
    codes = {a.id: a.code for a in workbook.scope.current.areas}
    yield DocumentTableModel(workbook.documents.categories(), codes)


def test_document_table_model(
    qtmodeltester: ModelTester, workbook: Workbook, model: DocumentTableModel, tmp_path: Path
) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"abc")
    for i, entry in enumerate(TEN[:4]):
        workbook.documents.add(
            force="kent",
            title=entry.title,
            category=entry.category,
            received=entry.received,
            areas=entry.areas,
            file=source if i == 0 else None,
        )
    model.set_documents(workbook.documents.all(force="kent"))
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Title",
        "Category",
        "Reference",
        "Received",
        "Status",
        "Areas",
        "Marking",
        "Attachment",
    ]
    by_title = {d.title: d.id for d in workbook.documents.all(force="kent")}
    first = model.row_of(by_title[TEN[0].title])
    assert model.index(first, Column.ATTACHMENT).data() == "a.txt (3 bytes)"
    assert model.index(first, Column.CATEGORY).data() == "Prevent policy and strategy"
    assert model.index(first, Column.RECEIVED).data() == "2 Sep 2024"
    fresh = workbook.documents.add(force="kent", title="Fresh", category="other").value
    model.upsert(fresh)
    assert model.rowCount() == 5 and model.document_at(4).title == "Fresh"
    model.upsert(workbook.documents.set(fresh.id, title="Renamed").value)
    assert model.rowCount() == 5 and model.index(4, Column.TITLE).data() == "Renamed"
    model.remove(fresh.id)
    assert model.rowCount() == 4
    qtmodeltester.check(model)
