"""Bundles between workbooks: idempotent, order-independent imports; conflicts kept, never lost."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ctdesk import check, history
from ctdesk.errors import InvalidInput
from ctdesk.exchange import bundle, conflicts, export, importer
from ctdesk.exchange.crypto import BundleError
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

PLAIN = export.Encryption(none=True)


def _open(path: Path, author: str) -> Workbook:
    wb = Workbook.create(path)
    wb.settings = Settings(author=author)
    return wb


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Workbook, Workbook]]:
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    yield a, b
    a.close()
    b.close()


def send(src: Workbook, dst: Workbook, tmp: Path, **kw: Any) -> importer.Receipt:
    out = tmp / f"{src.author}.ctbundle"
    export.export_bundle(src, out, PLAIN, **kw)
    return importer.import_bundle(dst, out)


def content(wb: Workbook) -> dict[str, Any]:
    """Every record as the other workbook should see it: content, times, authors, conflicts."""
    found: dict[str, Any] = {}
    for kind, service in wb.record_kinds().items():
        for record in service.all(deleted=None):
            data = service.content(record)
            found[record.id] = (kind, data, record.created_at, record.updated_at, record.author)
    found["conflicts"] = sorted(
        (c.record_id, tuple(v.hash for v in c.versions)) for c in conflicts.list_conflicts(wb)
    )
    return found


def counts(receipt: importer.Receipt) -> tuple[int, int, int, int, int]:
    r = receipt
    return (r.added, r.updated, r.unchanged, r.deleted, r.conflicts)


def test_a_note_travels_and_a_second_import_changes_nothing(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Interview with the Prevent lead", body="Said x.").value
    first = send(a, b, tmp_path)
    assert counts(first) == (1, 0, 0, 0, 0)
    got = b.notes.get(note.id)
    assert (got.title, got.body, got.author, got.created_at) == (
        note.title,
        note.body,
        "Alex",
        note.created_at,
    )
    assert [r.hash for r in b.notes.history(note.id)] == [r.hash for r in a.notes.history(note.id)]
    again = send(a, b, tmp_path)
    assert counts(again) == (0, 0, 1, 0, 0)
    assert content(a) == content(b)
    assert first.sentence() == ("Imported: 1 added, 0 updated, 0 moved to the trash, 0 unchanged.")
    assert again.sentence().startswith("Nothing new: all 1 records")


def test_an_import_is_on_disk_once_it_returns(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Kept").value
    send(a, b, tmp_path)
    with Workbook.open(b.path) as reopened:
        assert reopened.notes.get(note.id).title == "Kept"
    assert not b.db.conn.in_transaction


def test_an_edit_fast_forwards_and_a_delete_travels(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Focus group", body="first").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="second")
    assert counts(send(a, b, tmp_path)) == (0, 1, 0, 0, 0)
    assert b.notes.get(note.id).body == "second"
    a.notes.delete(note.id)
    assert counts(send(a, b, tmp_path)) == (0, 0, 0, 1, 0)
    assert b.notes.get(note.id).deleted
    assert content(a) == content(b)


def test_fields_changed_on_one_side_each_merge_without_conflict(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Referrals", body="body").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, title="Referrals in 2025")
    b.notes.edit(note.id, body="body, with figures")
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    for wb in (a, b):
        got = wb.notes.get(note.id)
        assert (got.title, got.body) == ("Referrals in 2025", "body, with figures")
        assert conflicts.list_conflicts(wb) == []
    assert content(a) == content(b)


def test_same_field_both_sides_is_a_conflict_with_the_later_edit_current(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Channel panel", body="start").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="Alex's account")
    b.notes.edit(note.id, body="Bea's account")  # later
    receipt = send(a, b, tmp_path)
    assert counts(receipt) == (0, 0, 0, 0, 1)
    send(b, a, tmp_path)
    for wb in (a, b):
        assert wb.notes.get(note.id).body == "Bea's account"
        [conflict] = conflicts.list_conflicts(wb)
        bodies = {v.content["body"] for v in conflict.versions if v.content}
        assert bodies == {"Alex's account", "Bea's account"}
    assert content(a) == content(b)
    assert conflicts.get(a, note.id[:6]).mine.content["body"] == "Alex's account"
    assert conflicts.get(a, note.id).theirs.content["body"] == "Bea's account"


def test_resolving_travels_and_closes_the_conflict_on_the_other_side(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Channel panel", body="start").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="Alex's account")
    b.notes.edit(note.id, body="Bea's account")
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    conflicts.resolve(a, note.id, "both")
    assert a.notes.get(note.id).body == "Alex's account\n\nBea's account"
    assert conflicts.list_conflicts(a) == []
    send(a, b, tmp_path)
    assert conflicts.list_conflicts(b) == []
    assert b.notes.get(note.id).body == "Alex's account\n\nBea's account"
    history = b.notes.history(note.id)
    assert {"Alex's account", "Bea's account"} <= {r.content.get("body") for r in history}
    assert content(a) == content(b)


def test_resolving_keeps_what_only_one_side_changed(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Plan", body="start", areas=["A1"]).value
    send(a, b, tmp_path)
    a.notes.edit(note.id, title="Plan, agreed", body="Alex's text")
    b.notes.edit(note.id, body="Bea's text", areas=["A1", "A2"])
    send(b, a, tmp_path)
    for keep, body in (("mine", "Alex's text"), ("both", "Alex's text\n\nBea's text")):
        conflict = conflicts.get(a, note.id)
        content = conflicts.resolved(conflict, keep)  # type: ignore[arg-type]
        assert (content["title"], content["body"]) == ("Plan, agreed", body)
        assert content["areas"] == ["ct4.a1", "ct4.a2"]
    conflicts.resolve(a, note.id, "theirs")
    got = a.notes.get(note.id)
    assert (got.title, got.body, got.areas) == ("Plan, agreed", "Bea's text", ("ct4.a1", "ct4.a2"))
    assert conflicts.count(a) == 0


def test_keep_mine_and_keep_theirs(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="T", body="start").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="mine")
    b.notes.edit(note.id, body="theirs")
    send(b, a, tmp_path)
    conflicts.resolve(a, note.id, "mine")
    assert a.notes.get(note.id).body == "mine"
    a.notes.edit(note.id, body="mine again")
    b.notes.edit(note.id, body="theirs again")
    send(b, a, tmp_path)
    conflicts.resolve(a, note.id, "theirs")
    assert a.notes.get(note.id).body == "theirs again"


def test_an_edit_never_loses_to_a_delete(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Briefing", body="start").value
    send(a, b, tmp_path)
    b.notes.edit(note.id, body="Bea added this")
    a.notes.delete(note.id)  # later than the edit, still loses
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    for wb in (a, b):
        got = wb.notes.get(note.id)
        assert not got.deleted and got.body == "Bea added this"
        assert [c.record_id for c in conflicts.list_conflicts(wb)] == [note.id]
    assert content(a) == content(b)


def test_emptied_trash_moves_the_other_copy_to_the_trash_and_old_revisions_stay_gone(
    pair, tmp_path
):
    a, b = pair
    note = a.notes.add(force="kent", title="Wrongly recorded", body="x").value
    send(a, b, tmp_path)
    a.notes.delete(note.id)
    a.empty_trash()
    send(a, b, tmp_path)
    assert b.notes.get(note.id).deleted  # in b's trash, for b to empty
    send(b, a, tmp_path)
    assert not a.notes.exists(note.id)  # b's older revisions do not bring it back


def test_a_record_in_conflict_cannot_be_deleted_until_resolved(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="T", body="start").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="a")
    b.notes.edit(note.id, body="b")
    send(b, a, tmp_path)
    with pytest.raises(InvalidInput, match="resolve the conflict first"):
        a.notes.delete(note.id)
    conflicts.resolve(a, note.id, "mine")
    assert a.notes.delete(note.id).value.deleted


def test_local_edit_of_a_record_in_conflict_keeps_the_conflict(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="T", body="start").value
    send(a, b, tmp_path)
    a.notes.edit(note.id, body="a")
    b.notes.edit(note.id, body="b")
    send(b, a, tmp_path)
    a.notes.edit(note.id, body="a, later")
    assert a.notes.get(note.id).body == "a, later"
    assert len(conflicts.list_conflicts(a)) == 1


def test_dry_run_counts_without_writing(pair, tmp_path):
    a, b = pair
    a.notes.add(force="kent", title="One")
    out = tmp_path / "x.ctbundle"
    export.export_bundle(a, out, PLAIN)
    receipt = importer.import_bundle(b, out, dry_run=True)
    assert counts(receipt) == (1, 0, 0, 0, 0) and receipt.dry_run
    assert b.notes.all() == []


def test_force_and_since_choose_records_and_bring_what_they_cite(pair, tmp_path):
    a, b = pair
    act = a.activities.add(force="kent", kind="interview", title="Prevent lead").value
    note = a.notes.add(force="kent", title="Interview", activity=act.id).value
    a.notes.add(force="essex", title="Elsewhere")
    receipt = send(a, b, tmp_path, forces=["kent"])
    assert b.notes.get(note.id).activity_id == act.id
    assert [n.force_id for n in b.notes.all()] == ["kent"]
    assert receipt.added >= 2


def test_documents_bring_their_files(pair, tmp_path):
    a, b = pair
    f = tmp_path / "policy.txt"
    f.write_text("Prevent policy, version 3")
    doc = a.documents.add(force="kent", title="Policy", category="policy-strategy", file=f).value
    send(a, b, tmp_path)
    assert b.documents.attachment(doc.id)[1] == f.read_bytes()


def test_a_bundle_from_a_newer_format_is_refused(pair, tmp_path, monkeypatch):
    a, b = pair
    a.notes.add(force="kent", title="One")
    from ctdesk.exchange import bundle

    monkeypatch.setattr(bundle, "VERSION", 2)
    out = tmp_path / "new.ctbundle"
    export.export_bundle(a, out, PLAIN)
    monkeypatch.setattr(bundle, "VERSION", 1)
    with pytest.raises(BundleError, match="newer ctdesk"):
        importer.import_bundle(b, out)
    assert b.notes.all() == []


def test_an_edit_elsewhere_outlives_an_emptied_trash_and_the_history_checks(pair, tmp_path):
    a, b = pair
    note = a.notes.add(force="kent", title="Disputed", body="x").value
    send(a, b, tmp_path)
    a.notes.delete(note.id)
    a.empty_trash()
    b.notes.edit(note.id, body="Bea still needs this")
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    for wb in (a, b):
        got = wb.notes.get(note.id)
        assert not got.deleted and got.body == "Bea still needs this"
        assert [c.record_id for c in conflicts.list_conflicts(wb)] == [note.id]
        assert check.check(wb) == []


def test_merged_and_resolved_workbooks_pass_every_check(pair, tmp_path):
    a, b = pair
    one = a.notes.add(force="kent", title="One", body="x").value
    two = a.notes.add(force="kent", title="Two", body="x").value
    send(a, b, tmp_path)
    a.notes.edit(one.id, title="One, retitled")
    b.notes.edit(one.id, body="y")  # merges
    a.notes.edit(two.id, body="a")
    b.notes.edit(two.id, body="b")  # conflicts
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    conflicts.resolve(b, two.id, "both")
    send(b, a, tmp_path)
    for wb in (a, b):
        assert check.check(wb) == []
    assert content(a) == content(b)


def _forged(tmp: Path, wb: Workbook, **changes: Any) -> Path:
    """A bundle holding one note revision, correctly hashed, with content ctdesk never writes."""
    content = {
        "force": "kent",
        "inspection": "ct4",
        "deleted": False,
        "title": "Forged",
        "body": "",
        "marking": "OFFICIAL",
        "activity_id": None,
        "areas": [],
        **changes,
    }
    rev = history.make(
        kind="note",
        record_id="0" * 8 + "-0000-4000-8000-" + "0" * 12,
        content=content,
        parents=[],
        op="create",
        author="Mallory",
        workbook_id="elsewhere",
        created_at="2026-01-01T00:00:00.000Z",
    )
    row = {**history.as_row(rev), "parents": []}
    manifest = {"format": bundle.FORMAT, "version": 1, "created_at": "2026-01-01T00:00:00.000Z"}
    out = tmp / "forged.ctbundle"
    out.write_bytes(bundle.pack(manifest, [row], []))
    return out


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"title": "Innocent\x1b]0;pwned\x07"}, "control characters"),
        ({"marking": "SECRET"}, "marking is refused"),
        ({"body": ["not", "text"]}, "not text"),
        ({"areas": "ct4.a1"}, "not a list"),
        ({"force": "atlantis"}, "scope"),
    ],
)
def test_well_hashed_content_ctdesk_would_never_store_is_refused(
    workbook, tmp_path, changes, words
):
    before = content(workbook)
    with pytest.raises(BundleError, match=words):
        importer.import_bundle(workbook, _forged(tmp_path, workbook, **changes))
    assert content(workbook) == before


def test_a_forged_but_clean_note_imports(workbook, tmp_path):
    importer.import_bundle(workbook, _forged(tmp_path, workbook))
    assert [n.title for n in workbook.notes.all()] == ["Forged"]


def test_a_read_only_workbook_can_still_give_a_bundle(pair, tmp_path):
    a, b = pair
    a.notes.add(force="kent", title="Shared from a read-only window")
    a.close()
    with Workbook.open(tmp_path / "a.ctdesk", read_only=True) as reader:
        out = tmp_path / "ro.ctbundle"
        made = export.export_bundle(reader, out, PLAIN)
        assert made.manifest["counts"]["note"] == 1
    assert importer.import_bundle(b, out).added == 1


def test_text_with_line_and_paragraph_separators_travels(pair, tmp_path):
    a, b = pair
    body = "Pasted from Word:\u2028a line\u2029a paragraph\x1c"[:-1]
    note = a.notes.add(force="kent", title="Pasted\u2028text", body=body).value
    send(a, b, tmp_path)
    assert b.notes.get(note.id).body == body


def test_a_sync_backs_up_once_however_many_colleagues_it_imports(tmp_path, monkeypatch):
    from pyrage import x25519

    from ctdesk import backups
    from ctdesk.exchange import team

    key = x25519.Identity.generate()
    folder = tmp_path / "team"
    folder.mkdir()
    books = [_open(tmp_path / f"{name}.ctdesk", name) for name in ("Alex", "Bea", "Cal")]
    try:
        for wb in books:
            team.configure(wb, folder=folder, recipients=[str(key.to_public())])
            wb.notes.add(force="kent", title=f"From {wb.author}")
            team.sync(wb, identities=[str(key)])
        alex = books[0]
        taken: list[str] = []
        real = backups.backup
        monkeypatch.setattr(
            backups,
            "backup",
            lambda wb, reason="manual", **kw: taken.append(reason) or real(wb, reason, **kw),
        )
        report = team.sync(alex, identities=[str(key)])
        assert sorted(report.receipts) == sorted(team.own_name(wb) for wb in books[1:])
        assert taken == ["before-import"]
        assert {n.title for n in alex.notes.all()} == {"From Alex", "From Bea", "From Cal"}
    finally:
        for wb in books:
            wb.close()
