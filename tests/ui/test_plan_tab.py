"""The fieldwork plan as a checklist: generated from the methodology, ticked off, extended."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.ui.activity_dialog import ActivityDialog
from ctdesk.ui.plan_tab import PlanTab
from tests.ui.conftest import OpenWindow


def plan_of(window: object, force: str) -> PlanTab:
    window.select_force(force)  # type: ignore[attr-defined]
    page = window.force_page  # type: ignore[attr-defined]
    page.tabs.setCurrentWidget(page.plan)
    return page.plan  # type: ignore[no-any-return]


def test_plan_comes_from_methodology(qtbot: QtBot, open_window: OpenWindow) -> None:
    plan = plan_of(open_window(), "kent")
    titles = [plan.model.activity_at(r).title for r in range(plan.model.rowCount())]
    assert titles == [
        "Interview: Chief officer responsible for Prevent",
        "Interview: Strategic lead for Prevent",
        "Interview: Head of safeguarding",
        "Focus group: Community police officers and staff",
        "Focus group: Representatives of other public agencies working with the force on Prevent",
        "Document review",
    ]
    assert plan.progress_label.text() == "0 of 6 done"


def test_ticking_marks_done_and_progress_follows(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    plan = plan_of(window, "kent")
    for row in range(5):
        index = plan.model.index(row, 0)
        assert plan.model.setData(
            index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert plan.progress_label.text() == "5 of 6 done"
    assert plan.progress.value() == 5 and plan.progress.maximum() == 6
    first = plan.model.activity_at(0)
    stored = window.session.workbook.activities.get(first.id)
    assert stored.status == "done" and stored.done_date is not None
    plan.model.setData(
        plan.model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert plan.progress_label.text() == "4 of 6 done"


def test_add_rename_cancel_and_trash(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    plan = plan_of(window, "kent")

    def fill_and_accept(dialog: ActivityDialog) -> QDialog.DialogCode:
        dialog.kind.setCurrentIndex(dialog.kind.findData("reality-testing"))
        dialog.title.setText("Visit to the MASH")
        dialog.has_date.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ActivityDialog, "exec", fill_and_accept)
    qtbot.mouseClick(plan.add_button, Qt.MouseButton.LeftButton)
    assert plan.model.rowCount() == 7
    added = plan.model.activity_at(6)
    assert (added.title, added.kind) == ("Visit to the MASH", "reality-testing")
    assert added.planned_date is not None
    assert plan.progress_label.text() == "0 of 7 done"

    assert plan.model.setData(plan.model.index(6, 1), "Visit to the safeguarding hub")
    assert window.session.workbook.activities.get(added.id).title == "Visit to the safeguarding hub"

    plan.view.selectRow(6)
    qtbot.mouseClick(plan.cancel_button, Qt.MouseButton.LeftButton)
    assert window.session.workbook.activities.get(added.id).status == "cancelled"
    assert plan.progress_label.text() == "0 of 6 done"
    assert plan.cancel_button.text() == "Re&instate activity"

    plan.view.selectRow(6)
    qtbot.mouseClick(plan.trash_button, Qt.MouseButton.LeftButton)
    assert plan.model.rowCount() == 6
    assert window.session.workbook.activities.get(added.id).deleted


def test_bad_date_edit_is_refused_with_a_message(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window = open_window()
    plan = plan_of(window, "kent")
    assert not plan.model.setData(plan.model.index(0, 3), "next tuesday")
    assert "not a planned date" in shown[0]
    assert plan.model.activity_at(0).planned_date is None


def test_plan_model(qtmodeltester: ModelTester, qtbot: QtBot, open_window: OpenWindow) -> None:
    plan = plan_of(open_window(), "essex")
    qtmodeltester.check(plan.model)
