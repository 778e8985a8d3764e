"""Item models pass Qt's model tester; slot exceptions fail tests."""

from PySide6.QtCore import QObject, Signal
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ctdesk.ui.navigator import force_tree, scope_tree
from ctdesk.ui.note_list_model import NoteListModel
from ctdesk.ui.tree_model import KEY_ROLE, TreeModel
from ctdesk.workbook import Workbook


def test_force_tree_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    model = TreeModel(force_tree(workbook.scope))
    qtmodeltester.check(model)
    regions = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert regions[:2] == ["Overview", "North East (7)"]
    assert model.find("coverage", "ct4").data() == "Coverage and progress"
    assert regions[-3:] == ["Special forces (3)", "Scotland (1)", "Across forces"]
    kent = model.find("force", "kent")
    assert kent.data() == "Kent" and kent.parent().data() == "South East (5)"
    assert kent.data(KEY_ROLE) == ("force", "kent")


def test_scope_tree_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    model = TreeModel(scope_tree(workbook.scope))
    qtmodeltester.check(model)
    area = model.find("area", "ct4.a1")
    assert area.data() == "A1 Capability"
    assert model.rowCount(area) == len(workbook.scope.area("A1").lines_of_enquiry)


def test_note_list_model(qtmodeltester: ModelTester, workbook: Workbook) -> None:
    for i in range(3):
        workbook.notes.add(force="kent", title=f"Note {i}", areas=["A1", "A3"])
    model = NoteListModel({a.id: a.code for a in workbook.scope.current.areas})
    model.set_notes(workbook.notes.all(force="kent"))
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "A1, A3"
    note = workbook.notes.add(force="kent", title="Fresh").value
    model.upsert(note)
    assert model.rowCount() == 4
    model.remove(note.id)
    assert model.rowCount() == 3


def test_exception_in_a_slot_is_seen_by_the_test_harness(qtbot: QtBot) -> None:
    class Emitter(QObject):
        fired = Signal()

    emitter = Emitter()

    def broken_slot() -> None:
        raise RuntimeError("slot failed")

    emitter.fired.connect(broken_slot)
    with qtbot.capture_exceptions() as caught:
        emitter.fired.emit()
    assert len(caught) == 1 and "slot failed" in str(caught[0][1])
