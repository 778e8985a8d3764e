"""The fieldwork plan: generated from the methodology, kept up to date by inspectors."""

import pytest

from ctdesk.activity import plan_items
from ctdesk.errors import CtdeskError, InvalidInput, NotFound
from ctdesk.workbook import Workbook


def test_plan_generated_for_every_force_in_scope(workbook: Workbook) -> None:
    ct4 = workbook.scope.current
    items = plan_items(ct4)
    assert [kind for _, kind, _ in items] == [
        "interview",
        "interview",
        "interview",
        "focus-group",
        "focus-group",
        "document-review",
    ]
    for force in workbook.scope.forces_in(ct4):
        assert len(workbook.activities.plan(force.id)) == 6
    assert workbook.activities.all(force="scotland") == []
    assert workbook.activities.progress().planned == 46 * 6


def test_plan_ids_agree_between_workbooks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Workbook.create(tmp_path / "a.ctdesk") as a, Workbook.create(tmp_path / "b.ctdesk") as b:
        assert [x.id for x in a.activities.plan("kent")] == [
            y.id for y in b.activities.plan("kent")
        ]


def test_plan_is_not_regenerated_on_reopen(workbook_path, workbook: Workbook) -> None:  # type: ignore[no-untyped-def]
    first = workbook.activities.plan("kent")[0]
    workbook.activities.delete(first.id)
    workbook.close()
    with Workbook.open(workbook_path) as wb:
        assert len(wb.activities.plan("kent")) == 5
        assert wb.activities.get(first.id).deleted


def test_status_and_dates(workbook: Workbook) -> None:
    act = workbook.activities.plan("kent")[0]
    done = workbook.activities.set(act.id, status="Done").value
    assert done.status == "done" and done.done_date is not None
    dated = workbook.activities.set(act.id, done_date="15/10/2018").value
    assert dated.done_date == "2018-10-15"
    again = workbook.activities.set(act.id, status="planned").value
    assert again.status == "planned" and again.done_date is None
    via_date = workbook.activities.set(act.id, done_date="2018-11-01").value
    assert via_date.status == "done"
    assert workbook.activities.progress("kent").done == 1
    workbook.activities.set(workbook.activities.plan("kent")[1].id, status="cancelled")
    assert str(workbook.activities.progress("kent")) == "1 of 5 done"


def test_add_rename_and_history(workbook: Workbook) -> None:
    act = workbook.activities.add(
        force="Kent Police",
        kind="Reality testing visit",
        title="Visit to MASH",
        planned_date="2018-11-02",
    ).value
    assert act.kind == "reality-testing" and act.sort == 6
    workbook.activities.set(act.id, title="Visit to the MASH")
    assert [r.op for r in workbook.activities.history(act.id)] == ["create", "edit"]
    assert workbook.activities.plan("kent")[-1].title == "Visit to the MASH"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kind": "picnic", "title": "t"}, "not a kind of activity"),
        ({"kind": "observation", "title": " "}, "needs a title"),
        ({"kind": "observation", "title": "t", "planned_date": "31/02/2019"}, "not a planned date"),
        ({"kind": "observation", "title": "t", "marking": "SECRET"}, "SECRET"),
    ],
)
def test_bad_activity_input(workbook: Workbook, kwargs: dict[str, str], words: str) -> None:
    before = len(workbook.activities.all(force="kent", deleted=None))
    with pytest.raises(CtdeskError, match=words):
        workbook.activities.add(force="kent", **kwargs)  # type: ignore[arg-type]
    assert len(workbook.activities.all(force="kent", deleted=None)) == before


def test_bad_status_changes_nothing(workbook: Workbook) -> None:
    act = workbook.activities.plan("kent")[0]
    with pytest.raises(InvalidInput, match="activity status"):
        workbook.activities.set(act.id, status="finished-ish")
    assert workbook.activities.get(act.id) == act
    with pytest.raises(NotFound):
        workbook.activities.set("nope", status="done")


def test_note_records_an_activity_of_its_own_force(workbook: Workbook) -> None:
    kent = workbook.activities.plan("kent")[0]
    essex = workbook.activities.plan("essex")[0]
    note = workbook.notes.add(force="kent", title="t", activity=kent.id[:8]).value
    assert note.activity_id == kent.id
    with pytest.raises(InvalidInput, match="own force"):
        workbook.notes.add(force="kent", title="t", activity=essex.id)
    assert workbook.notes.edit(note.id, activity="").value.activity_id is None
