"""The Findings tab: write a finding, tick its evidence, see its warnings come and go."""

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.finding import Finding
from ctdesk.ui.evidence_picker_model import EvidencePickerModel, PickItem
from ctdesk.ui.findings_model import ID_ROLE, FindingsModel
from ctdesk.ui.findings_tab import FindingsTab
from ctdesk.ui.main_window import MainWindow
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

CONCERN_WARNING = "A cause of concern should come with at least one recommendation."


def findings_tab(window: MainWindow, force: str = "kent") -> FindingsTab:
    assert window.select_force(force)
    page = window.force_page
    page.tabs.setCurrentWidget(page.findings)
    tab = page.findings
    assert isinstance(tab, FindingsTab)
    return tab


def add_note(window: MainWindow, title: str, force: str = "kent") -> str:
    """A note written elsewhere in the app (the Notes tab): announced on the session."""
    note = window.session.apply(lambda wb: wb.notes.add(force=force, title=title))
    return note.id


def stored(window: MainWindow, finding_id: str) -> Finding:
    return window.session.workbook.findings.get(finding_id)


def warnings_cell(tab: FindingsTab, finding_id: str) -> str:
    index = tab.model.index_of(finding_id)
    assert index.isValid()
    return str(index.siblingAtColumn(3).data() or "")


def click_check(qtbot: QtBot, view: QTableView, title: str) -> None:
    """Click the check box of the row whose title is ``title``, as a user would."""
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == title)
    index = model.index(row, 0)
    view.scrollTo(index)
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def new_finding(qtbot: QtBot, tab: FindingsTab, text: str) -> str:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    finding_id = tab.editor.finding_id
    assert finding_id is not None
    assert tab.editor.text.hasFocus() or tab.editor.text.textCursor().hasSelection()
    qtbot.keyClicks(tab.editor.text, text)  # replaces the selected placeholder text
    return finding_id


def test_ticking_notes_links_them_and_clears_the_no_evidence_flag(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    tab = findings_tab(window)
    assert tab.hint.isVisible() and tab.count.text() == "0 findings"
    finding_id = new_finding(qtbot, tab, "Training is mandatory and tracked monthly.")
    qtbot.waitUntil(
        lambda: stored(window, finding_id).text == "Training is mandatory and tracked monthly."
    )
    assert warnings_cell(tab, finding_id) == "⚠ no evidence"
    assert "⚠ This finding cites no evidence." in tab.editor.warning_text()
    assert tab.editor.evidence_hint.isVisible()  # nothing to tick yet, and it says why

    chief = add_note(window, "Chief officer interview")
    focus = add_note(window, "Focus group: Prevent officers")
    add_note(window, "Head of safeguarding")
    add_note(window, "Essex interview", force="essex")
    picker = tab.editor.evidence_model
    assert picker.rowCount() == 3  # this force's notes only, listed as soon as they exist
    assert not tab.editor.evidence_hint.isVisible()

    click_check(qtbot, tab.editor.evidence_view, "Chief officer interview")
    qtbot.keyClicks(tab.editor.evidence_filter, "focus")  # narrow a long list by title
    assert tab.editor.evidence_view.model().rowCount() == 1
    click_check(qtbot, tab.editor.evidence_view, "Focus group: Prevent officers")
    tab.editor.evidence_filter.clear()

    def linked() -> None:
        assert stored(window, finding_id).evidence == tuple(sorted([chief, focus]))

    qtbot.waitUntil(linked)
    assert warnings_cell(tab, finding_id) == ""
    assert tab.model.index_of(finding_id).siblingAtColumn(2).data() == "2"
    assert "no evidence" not in tab.editor.warning_text()
    assert "Nothing to check" in tab.editor.warning_text()
    assert tab.count.text() == "1 finding"

    click_check(qtbot, tab.editor.evidence_view, "Chief officer interview")
    qtbot.waitUntil(lambda: stored(window, finding_id).evidence == (focus,))
    assert sorted(picker.checked_ids()) == [focus]


def test_cause_of_concern_warns_until_a_recommendation_is_linked(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    tab = findings_tab(window)
    evidence = add_note(window, "Referral audit")
    concern_id = new_finding(qtbot, tab, "Referral forms differ between districts.")
    click_check(qtbot, tab.editor.evidence_view, "Referral audit")
    qtbot.waitUntil(lambda: stored(window, concern_id).evidence == (evidence,))
    assert not tab.editor.recommendations_box.isVisible()  # a strength needs none

    editor = tab.editor
    editor.kind.setCurrentIndex(editor.kind.findText("Cause of concern"))
    assert stored(window, concern_id).kind == "cause-of-concern"
    assert editor.recommendations_box.isVisible()
    assert CONCERN_WARNING in editor.warning_text()
    assert warnings_cell(tab, concern_id) == "⚠ no recommendation"
    assert "no recommendations yet" in editor.recommendation_hint.text()

    rec = window.session.apply(
        lambda wb: wb.findings.add(
            force="kent", area="A2", kind="recommendation", text="The force should align forms."
        )
    )
    assert editor.finding_id == concern_id  # a finding written elsewhere does not steal focus
    assert editor.recommendation_model.rowCount() == 1
    click_check(qtbot, editor.recommendation_view, "The force should align forms.")
    qtbot.waitUntil(lambda: stored(window, concern_id).recommendations == (rec.id,))
    assert CONCERN_WARNING not in editor.warning_text()
    assert warnings_cell(tab, concern_id) == ""


def test_add_a_recommendation_from_a_cause_of_concern(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    tab = findings_tab(window)
    concern_id = new_finding(qtbot, tab, "Channel referrals are not tracked.")
    tab.editor.kind.setCurrentIndex(tab.editor.kind.findData("cause-of-concern"))
    assert "no recommendation" in warnings_cell(tab, concern_id)
    qtbot.mouseClick(tab.editor.new_recommendation, Qt.MouseButton.LeftButton)
    rec_id = tab.editor.finding_id
    assert rec_id is not None and rec_id != concern_id
    assert stored(window, rec_id).kind == "recommendation"
    assert stored(window, concern_id).recommendations == (rec_id,)
    assert "no recommendation" not in warnings_cell(tab, concern_id)
    qtbot.keyClicks(tab.editor.text, "The force should track Channel referrals.")
    tab.flush()
    assert stored(window, rec_id).text == "The force should track Channel referrals."


def test_a_refused_link_is_explained_and_the_tick_put_back(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    tab = findings_tab(window)
    note_id = add_note(window, "Binned behind the picker's back")
    finding_id = new_finding(qtbot, tab, "Finding")
    window.session.workbook.notes.delete(note_id)  # not announced: the picker still lists it
    click_check(qtbot, tab.editor.evidence_view, "Binned behind the picker's back")
    assert stored(window, finding_id).evidence == ()
    assert tab.editor.status.text().startswith("Not linked: Evidence")
    assert "in the trash" in tab.editor.status.text()
    assert tab.editor.evidence_model.checked_ids() == []


def test_area_change_moves_the_finding_and_keeps_it_selected(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    tab = findings_tab(window)
    finding_id = new_finding(qtbot, tab, "Spans the force")
    assert tab.model.index_of(finding_id).parent().data().startswith("Not tied to an area (1")
    tab.editor.area.setCurrentIndex(
        tab.editor.area.findText("A3 Information sharing and communication")
    )
    assert stored(window, finding_id).area_id == "ct4.a3"
    index = tab.model.index_of(finding_id)
    assert index.parent().data().startswith("A3 Information sharing and communication (1")
    assert tab.view.selectionModel().selectedRows()[0].data(ID_ROLE) == finding_id
    assert tab.editor.finding_id == finding_id


def test_move_to_trash(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    tab = findings_tab(window)
    finding_id = new_finding(qtbot, tab, "Binned")
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)
    assert stored(window, finding_id).deleted
    assert not tab.model.index_of(finding_id).isValid()
    assert tab.editor.finding_id is None and not tab.editor.isEnabled()
    assert "to the trash" in tab.status.text()


def test_typing_is_saved_when_switching_force(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    tab = findings_tab(window)
    finding_id = new_finding(qtbot, tab, "Typed then left")
    window.select_force("essex")
    assert stored(window, finding_id).text == "Typed then left"
    assert tab.model.finding_count() == 0


def test_out_of_scope_force_cannot_take_findings(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    tab = findings_tab(window, "scotland")
    assert not tab.new_button.isEnabled() and not tab.editor.isEnabled()


def test_findings_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="n").value
    add = workbook.findings.add
    a1 = add(force="kent", area="A1", kind="strength", text="a1", evidence=[note.id]).value
    a2 = add(force="kent", area="A2", kind="cause of concern", text="a2\nmore").value
    free = add(force="kent", area=None, kind="notable practice", text="untied").value
    model = FindingsModel(workbook.scope.current.areas)
    findings = workbook.findings.all(force="kent")
    model.set_findings(findings, {f.id: workbook.findings.flags(f) for f in findings})
    qtmodeltester.check(model)
    groups = [model.index(g, 0).data() for g in range(model.rowCount())]
    assert groups == [
        "A1 Capability (1)",
        "A2 Consistency (1, ⚠ 1 to check)",
        "A3 Information sharing and communication (0)",
        "Not tied to an area (1, ⚠ 1 to check)",
    ]
    row = model.index_of(a2.id)
    assert [row.siblingAtColumn(c).data() for c in range(4)] == [
        "a2",
        "Cause of concern",
        "0",
        "⚠ no recommendation, no evidence",
    ]
    assert model.index_of(a1.id).siblingAtColumn(3).data() == ""
    assert model.index_of(free.id).parent().data().startswith("Not tied")

    moved = workbook.findings.set(a1.id, area="A3").value
    workbook.findings.delete(free.id)
    findings = workbook.findings.all(force="kent")
    model.sync(findings, {f.id: workbook.findings.flags(f) for f in findings})
    qtmodeltester.check(model)
    assert model.index_of(moved.id).parent().data().startswith("A3 ")
    assert not model.index_of(free.id).isValid()
    assert model.finding_count() == 2 and model.flagged_count() == 1
    assert model.finding(model.index(0, 0)) is None  # an area row is not a finding
    assert model.finding(model.index_of(a2.id)) == workbook.findings.get(a2.id)
    assert model.index(0, 0, model.index(0, 1)) == QModelIndex()


def test_evidence_picker_model(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = EvidencePickerModel()
    model.set_items(
        [
            PickItem("n2", "Zeta interview", "Note", "OFFICIAL"),
            PickItem("d1", "Policy", "Document", "OFFICIAL-SENSITIVE"),
            PickItem("n1", "Alpha focus group", "Note", "OFFICIAL", trashed=True),
        ],
        checked=["n1"],
    )
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Alpha focus group (in the trash)",  # what the finding cites comes first
        "Policy",
        "Zeta interview",
    ]
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    with qtbot.waitSignal(model.toggled) as signal:
        assert model.setData(
            model.index(2, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert signal.args == ["n2", True]
    assert model.checked_ids() == ["n1", "n2"]
    with qtbot.assertNotEmitted(model.toggled):
        model.set_checked(["d1"])
        assert not model.setData(
            model.index(0, 1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert model.checked_ids() == ["d1"]
    qtmodeltester.check(model)


def test_closing_before_autosave_fires_loses_nothing(
    qtbot: QtBot, open_window: OpenWindow, workbook_path: Path
) -> None:
    window = open_window()
    tab = findings_tab(window)
    finding_id = new_finding(qtbot, tab, "Typed just before closing")
    window.close()
    window.session.close()
    with Workbook.open(workbook_path) as wb:
        assert wb.findings.get(finding_id).text == "Typed just before closing"


def test_undoing_a_tick_brings_the_flag_back(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    tab = findings_tab(window)
    note_id = add_note(window, "Evidence to undo")
    finding_id = new_finding(qtbot, tab, "Undo me")
    tab.flush()
    click_check(qtbot, tab.editor.evidence_view, "Evidence to undo")
    assert stored(window, finding_id).evidence == (note_id,)
    assert warnings_cell(tab, finding_id) == ""
    assert window.force_page.current_record() == ("finding", finding_id)
    window.session.undo_stack.undo()
    assert stored(window, finding_id).evidence == ()
    assert warnings_cell(tab, finding_id) == "⚠ no evidence"
    assert tab.editor.evidence_model.checked_ids() == []
    assert "cites no evidence" in tab.editor.warning_text()


def test_national_findings_cite_evidence_of_several_forces(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    wb = window.session.workbook
    kent = wb.notes.add(force="kent", title="Kent referral forms").value
    essex = wb.notes.add(force="essex", title="Essex referral forms").value
    nav = window.navigator
    nav.forces_view.setCurrentIndex(nav.forces_model.find("national", "ct4"))
    page = window.force_page
    assert page.national and page.tabs.currentWidget() is page.findings
    assert not page.tabs.isTabVisible(page.tabs.indexOf(page.notes))
    assert "National" in page.header.text()
    tab = page.findings
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    finding = tab.editor.finding
    assert finding is not None and finding.national
    editor = tab.editor
    assert editor.evidence_force.isVisibleTo(editor)

    def tick(title: str) -> None:
        model = editor.evidence_model
        row = next(r for r in range(model.rowCount()) if model.item_at(r).title == title)
        model.setData(
            model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )

    editor.evidence_force.setCurrentIndex(editor.evidence_force.findData("kent"))
    tick("Kent referral forms")
    editor.evidence_force.setCurrentIndex(editor.evidence_force.findData("essex"))
    tick("Essex referral forms")
    stored = wb.findings.get(finding.id)
    assert set(stored.evidence) == {kent.id, essex.id}
    assert stored.force_id is None
    # a force's own Findings tab does not show national findings
    window.select_force("kent")
    assert not page.national and page.tabs.isTabVisible(page.tabs.indexOf(page.notes))
    assert all(f.id != finding.id for f in page.findings.model_findings())
