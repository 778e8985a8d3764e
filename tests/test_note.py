"""Notes: writing, editing, reading back, and the history every change leaves."""

import pytest

from ctdesk.errors import CtdeskError, InvalidInput, NotFound
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR


def test_add_and_read_back(workbook: Workbook) -> None:
    result = workbook.notes.add(
        force="Kent Police",
        title="  Interview with the\nchief officer ",
        body="Training is **mandatory**.\r\nTracked monthly.",
        areas=["A1", "ct4.a3", "a1"],
        marking="official-sensitive",
    )
    note = workbook.notes.get(result.value.id)
    assert note.force_id == "kent"
    assert note.inspection_id == "ct4"
    assert note.title == "Interview with the chief officer"
    assert note.body == "Training is **mandatory**.\nTracked monthly."
    assert note.areas == ("ct4.a1", "ct4.a3")
    assert note.marking == "OFFICIAL-SENSITIVE"
    assert note.author == AUTHOR
    assert note.workbook_id == workbook.id
    assert note.created_at.endswith("Z") and len(note.created_at) == len("2026-01-01T00:00:00.000Z")
    assert result.changes.touches("note") and note.id in result.changes.ids


def test_default_marking_comes_from_settings(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="t").value
    assert note.marking == "OFFICIAL-SENSITIVE"


def test_edit_changes_only_given_fields_and_appends_revision(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="First", body="one", areas=["A1"]).value
    edited = workbook.notes.edit(note.id, body="one two").value
    assert (edited.title, edited.body, edited.areas) == ("First", "one two", ("ct4.a1",))
    assert edited.updated_at >= note.updated_at
    again = workbook.notes.edit(note.id, areas=["A2"], marking="OFFICIAL").value
    assert again.areas == ("ct4.a2",) and again.marking == "OFFICIAL"
    revisions = workbook.notes.history(note.id)
    assert [r.op for r in revisions] == ["create", "edit", "edit"]
    assert [r.content["body"] for r in revisions] == ["one", "one two", "one two"]
    assert revisions[1].parents == (revisions[0].hash,)
    assert revisions[2].parents == (revisions[1].hash,)
    assert workbook.notes.get(note.id).head == revisions[-1].hash


def test_edit_without_change_writes_no_revision(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="Same", body="b").value
    result = workbook.notes.edit(note.id, title="Same", body="b")
    assert not result.changes
    assert len(workbook.notes.history(note.id)) == 1


def test_list_by_force_newest_first(workbook: Workbook) -> None:
    a = workbook.notes.add(force="kent", title="A").value
    b = workbook.notes.add(force="kent", title="B").value
    workbook.notes.add(force="essex", title="C")
    workbook.notes.edit(a.id, body="touched")
    assert [n.title for n in workbook.notes.all(force="kent")] == ["A", "B"]
    assert {n.id for n in workbook.notes.all()} >= {a.id, b.id}
    assert len(workbook.notes.all()) == 3


def test_short_id_prefix(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="A").value
    assert workbook.notes.get(note.id[:8]).id == note.id
    with pytest.raises(NotFound):
        workbook.notes.get("zzzzzzzz")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"force": "Atlantis", "title": "t"}, NotFound, "no force"),
        ({"force": "kent", "title": "   "}, InvalidInput, "needs a title"),
        ({"force": "kent", "title": "t", "areas": ["A7"]}, NotFound, "no area"),
        ({"force": "kent", "title": "t", "marking": "SECRET"}, CtdeskError, "SECRET"),
        ({"force": "kent", "title": "t", "marking": "PURPLE"}, CtdeskError, "PURPLE"),
        ({"force": "scotland", "title": "t"}, InvalidInput, "not in the scope of CT4"),
        ({"force": "kent", "title": "x" * 301}, InvalidInput, "at most 300"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    workbook: Workbook, kwargs: dict[str, object], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        workbook.notes.add(**kwargs)  # type: ignore[arg-type]
    assert workbook.notes.all() == []
    assert (
        workbook.db.execute("SELECT count(*) FROM revisions WHERE kind = 'note'").fetchone()[0] == 0
    )


def test_bad_edit_changes_nothing(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="Keep", body="keep").value
    with pytest.raises(CtdeskError):
        workbook.notes.edit(note.id, body="new", marking="TOP SECRET")
    assert workbook.notes.get(note.id) == note
    assert len(workbook.notes.history(note.id)) == 1


def test_revision_hash_covers_content(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="A", body="x").value
    other = workbook.notes.add(force="kent", title="A", body="y").value
    first, second = workbook.notes.history(note.id)[0], workbook.notes.history(other.id)[0]
    assert first.content_hash != second.content_hash
    assert first.hash != second.hash
