"""The evidence register: documents, their review, their files, and the history of every change."""

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from ctdesk import evidence
from ctdesk.errors import CtdeskError, InvalidInput, NotFound
from ctdesk.evidence import Document, human_size, safe_name
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR


def stored(workbook: Workbook) -> dict[str, int]:
    """How many rows each table the register writes to holds (to prove nothing was written)."""
    return {
        table: workbook.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("documents", "document_areas", "attachments", "revisions")
    }


def add(workbook: Workbook, **kwargs: Any) -> Document:
    values: dict[str, Any] = {"force": "kent", "title": "Prevent strategy", "category": "other"}
    values.update(kwargs)
    return workbook.documents.add(**values).value


def test_register_and_read_back(workbook: Workbook) -> None:
    result = workbook.documents.add(
        force="Kent Police",
        title="  Prevent\nstrategy 2024 ",
        category="Prevent policy and strategy",
        reference=" KP/PREV/01 ",
        provided_by="Prevent strategic lead",
        received="15/10/2024",
        areas=["A1", "ct4.a3", "a1"],
        marking="official-sensitive personal data",
    )
    doc = workbook.documents.get(result.value.id)
    assert (doc.force_id, doc.inspection_id) == ("kent", "ct4")
    assert doc.title == "Prevent strategy 2024"
    assert doc.category == "policy-strategy"
    assert doc.reference == "KP/PREV/01"
    assert doc.provided_by == "Prevent strategic lead"
    assert doc.received_date == "2024-10-15"
    assert (doc.review_status, doc.reviewer) == ("to-review", "")
    assert doc.areas == ("ct4.a1", "ct4.a3")
    assert doc.marking == "OFFICIAL-SENSITIVE PERSONAL DATA"
    assert doc.author == AUTHOR and doc.attachment_hash is None
    assert result.changes.touches("document") and doc.id in result.changes.ids
    data = doc.to_json()
    assert data["force"] == "kent" and data["status"] == "to-review"
    assert data["areas"] == ["ct4.a1", "ct4.a3"] and data["attachment"] is None


@pytest.mark.parametrize(
    ("given", "slug"),
    [
        ("referral-report", "referral-report"),
        ("REFERRAL REPORT", "referral-report"),
        ("Channel document", "channel-document"),
        ("channel_document", "channel-document"),
        ("briefing material", "briefing-material"),
        ("prevent POLICY and strategy", "policy-strategy"),
        ("Other", "other"),
    ],
)
def test_category_by_slug_or_name_in_any_case(workbook: Workbook, given: str, slug: str) -> None:
    assert add(workbook, category=given).category == slug


def test_categories_come_from_the_methodology(workbook: Workbook) -> None:
    assert workbook.documents.categories() == evidence.CATEGORIES
    assert list(workbook.documents.categories("ct4")) == [
        "policy-strategy",
        "referral-report",
        "channel-document",
        "briefing-material",
        "other",
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"category": "minutes"}, InvalidInput, "'minutes' is not a document category"),
        ({"title": "  "}, InvalidInput, "needs a title"),
        ({"received": "31/02/2024"}, InvalidInput, "is not a received date"),
        ({"received": "last week"}, InvalidInput, "YYYY-MM-DD"),
        ({"marking": "SECRET"}, InvalidInput, "does not belong in ctdesk"),
        ({"marking": "RESTRICTED"}, InvalidInput, "old marking"),
        ({"marking": "OFFICIAL-SENSITIVE GOSSIP"}, InvalidInput, "'GOSSIP'"),
        ({"areas": ["A9"]}, NotFound, "no area 'A9'"),
        ({"areas": ["A1", "Capability?"]}, NotFound, "no area 'Capability?' in CT4"),
        ({"force": "Atlantis"}, NotFound, "no force"),
        ({"force": "scotland"}, InvalidInput, "not in the scope of CT4"),
        ({"reference": "x" * 301}, InvalidInput, "reference can be at most 300"),
        ({"provided_by": "y" * 301}, InvalidInput, "at most 300 characters"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_nothing_written(
    workbook: Workbook, kwargs: dict[str, Any], error: type[CtdeskError], words: str
) -> None:
    before = stored(workbook)
    with pytest.raises(error) as caught:
        add(workbook, **kwargs)
    message = str(caught.value)
    assert words in message
    assert message.endswith(".") and "\n" not in message
    assert stored(workbook) == before


def test_set_changes_only_given_fields_and_keeps_history(workbook: Workbook) -> None:
    doc = add(workbook, reference="R1", received="2024-03-01", areas=["A1"])
    first = workbook.documents.set(doc.id, title="Prevent strategy v2", category="channel document")
    assert first.value.title == "Prevent strategy v2"
    assert first.value.category == "channel-document"
    assert (first.value.reference, first.value.received_date) == ("R1", "2024-03-01")
    assert first.value.areas == ("ct4.a1",)
    second = workbook.documents.set(doc.id, received="", areas=[], marking="OFFICIAL").value
    assert (second.received_date, second.areas, second.marking) == (None, (), "OFFICIAL")
    revisions = workbook.documents.history(doc.id)
    assert [r.op for r in revisions] == ["create", "edit", "edit"]
    assert [r.content["title"] for r in revisions] == [
        "Prevent strategy",
        "Prevent strategy v2",
        "Prevent strategy v2",
    ]
    assert revisions[2].content["received_date"] is None
    assert revisions[1].parents == (revisions[0].hash,)
    assert workbook.documents.get(doc.id).head == revisions[-1].hash


def test_set_without_change_writes_no_revision(workbook: Workbook) -> None:
    doc = add(workbook, reference="R1")
    assert not workbook.documents.set(doc.id, reference="R1", category="Other").changes
    assert len(workbook.documents.history(doc.id)) == 1


def test_refused_edit_changes_nothing(workbook: Workbook) -> None:
    doc = add(workbook)
    before = stored(workbook)
    with pytest.raises(InvalidInput, match="not a received date"):
        workbook.documents.set(doc.id, title="New title", received="2024-13-01")
    assert stored(workbook) == before
    assert workbook.documents.get(doc.id).title == "Prevent strategy"


def test_marking_reviewed_records_the_reviewer(workbook: Workbook) -> None:
    doc = add(workbook)
    reviewed = workbook.documents.set(doc.id, status="Reviewed").value
    assert (reviewed.review_status, reviewed.reviewer) == ("reviewed", AUTHOR)
    back = workbook.documents.set(doc.id, status="to review").value
    assert (back.review_status, back.reviewer) == ("to-review", AUTHOR)  # nothing else cleared
    named = add(workbook, title="Referral report")
    by_other = workbook.documents.set(named.id, status="reviewed", reviewer="DS Patel").value
    assert by_other.reviewer == "DS Patel"
    with pytest.raises(InvalidInput, match="'done' is not a review status"):
        workbook.documents.set(named.id, status="done")


def test_a_named_reviewer_is_kept_when_marked_reviewed(workbook: Workbook) -> None:
    doc = add(workbook)
    workbook.documents.set(doc.id, reviewer="DC Jones")  # assigned before the review
    assert workbook.documents.set(doc.id, status="reviewed").value.reviewer == "DC Jones"


def test_revert_to_an_earlier_revision(workbook: Workbook) -> None:
    doc = add(workbook, reference="Original")
    workbook.documents.set(doc.id, reference="Changed", status="reviewed")
    first = workbook.documents.history(doc.id)[0]
    reverted = workbook.documents.revert(doc.id, first.hash[:10]).value
    assert (reverted.reference, reverted.review_status) == ("Original", "to-review")
    assert [r.op for r in workbook.documents.history(doc.id)] == ["create", "edit", "revert"]
    with pytest.raises(NotFound, match="no revision"):
        workbook.documents.revert(doc.id, "ffffffff")


def test_delete_and_restore(workbook: Workbook) -> None:
    kept = add(workbook, title="Kept")
    gone = add(workbook, title="Binned")
    assert workbook.documents.delete(gone.id).value.deleted
    assert [d.title for d in workbook.documents.all(force="kent")] == ["Kept"]
    assert [d.title for d in workbook.documents.all(deleted=True)] == ["Binned"]
    assert workbook.documents.counts("kent") == (1, 0)
    assert not workbook.documents.delete(gone.id).changes  # twice changes nothing
    restored = workbook.documents.restore(gone.id).value
    assert not restored.deleted
    assert {d.id for d in workbook.documents.all(force="kent")} == {kept.id, gone.id}
    ops = [r.op for r in workbook.documents.history(gone.id)]
    assert ops == ["create", "delete", "restore"]


def test_counts_per_force_and_overall(workbook: Workbook) -> None:
    for i in range(4):
        doc = add(workbook, title=f"Doc {i}")
        if i % 2:
            workbook.documents.set(doc.id, status="reviewed")
    add(workbook, force="essex", title="Essex doc")
    assert workbook.documents.counts("kent") == (4, 2)
    assert workbook.documents.counts("Essex Police") == (1, 0)
    assert workbook.documents.counts() == (5, 2)


# ---- attached files ---------------------------------------------------------------------------


def test_attachment_round_trip(workbook: Workbook, tmp_path: Path) -> None:
    content = bytes(range(256)) * 40
    source = tmp_path / "Referral report.pdf"
    source.write_bytes(content)
    doc = add(workbook, file=source)
    assert doc.attachment_name == "Referral report.pdf"
    assert doc.attachment_size == len(content)
    assert doc.attachment_hash == hashlib.sha256(content).hexdigest()
    assert doc.to_json()["attachment"] == {
        "name": "Referral report.pdf",
        "size": len(content),
        "hash": doc.attachment_hash,
    }
    assert workbook.documents.attachment(doc.id) == ("Referral report.pdf", content)
    out = tmp_path / "out" / "copy.pdf"
    out.parent.mkdir()
    assert workbook.documents.save_attachment(doc.id, out) == out
    assert out.read_bytes() == content
    into_folder = workbook.documents.save_attachment(doc.id, out.parent)
    assert into_folder == out.parent / "Referral report.pdf"
    assert into_folder.read_bytes() == content
    assert [p.name for p in out.parent.iterdir() if "ctdesk-tmp" in p.name] == []


def test_same_file_is_stored_once(workbook: Workbook, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"same")
    add(workbook, file=source)
    add(workbook, title="Copy", file=source)
    assert stored(workbook)["attachments"] == 1


def test_empty_file_is_allowed(workbook: Workbook, tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.touch()
    doc = add(workbook, file=source)
    assert doc.attachment_size == 0
    assert workbook.documents.attachment(doc.id) == ("empty.txt", b"")


def test_attach_replace_and_detach_keep_old_files_in_history(
    workbook: Workbook, tmp_path: Path
) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_bytes(b"first version")
    two.write_bytes(b"second version")
    doc = add(workbook)
    workbook.documents.attach(doc.id, one)
    assert workbook.documents.attachment(doc.id)[1] == b"first version"
    workbook.documents.attach(doc.id, two)
    assert workbook.documents.attachment(doc.id) == ("two.txt", b"second version")
    detached = workbook.documents.detach(doc.id).value
    assert detached.attachment_hash is None and detached.attachment_name is None
    assert not workbook.documents.detach(doc.id).changes
    with pytest.raises(NotFound, match="has no attached file"):
        workbook.documents.attachment(doc.id)
    with_one = workbook.documents.history(doc.id)[1]
    assert workbook.documents.revert(doc.id, with_one.hash).value.attachment_name == "one.txt"
    assert workbook.documents.attachment(doc.id)[1] == b"first version"


def test_set_can_attach_in_the_same_revision(workbook: Workbook, tmp_path: Path) -> None:
    source = tmp_path / "brief.docx"
    source.write_bytes(b"briefing")
    doc = add(workbook)
    workbook.documents.set(doc.id, title="Briefing pack", file=source)
    revisions = workbook.documents.history(doc.id)
    assert len(revisions) == 2
    assert revisions[-1].content["title"] == "Briefing pack"
    assert revisions[-1].content["attachment_name"] == "brief.docx"


def test_too_large_file_is_refused_and_nothing_written(workbook: Workbook, tmp_path: Path) -> None:
    big = tmp_path / "report.pdf"
    with big.open("wb") as handle:  # sparse: 31.2 MB on paper, nothing on disk
        handle.truncate(int(31.2 * 1024 * 1024))
    before = stored(workbook)
    with pytest.raises(InvalidInput) as caught:
        add(workbook, file=big)
    assert str(caught.value) == (
        "report.pdf is 31.2 MB; attachments can be at most 25 MB, so keep the file elsewhere "
        "and record its reference."
    )
    assert stored(workbook) == before
    doc = add(workbook)
    before = stored(workbook)
    with pytest.raises(InvalidInput, match="at most 25 MB"):
        workbook.documents.attach(doc.id, big)
    with pytest.raises(InvalidInput, match="at most 25 MB"):
        workbook.documents.set(doc.id, title="Changed", file=big)
    assert stored(workbook) == before
    assert workbook.documents.get(doc.id).title == "Prevent strategy"


def test_size_limit_is_inclusive(
    workbook: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "MAX_ATTACHMENT", 10)
    exact, over = tmp_path / "ten.txt", tmp_path / "eleven.txt"
    exact.write_bytes(b"0123456789")
    over.write_bytes(b"0123456789A")
    assert add(workbook, file=exact).attachment_size == 10
    with pytest.raises(
        InvalidInput, match=r"eleven\.txt is 11 bytes; attachments can be at most 10 "
    ):
        add(workbook, file=over)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.pdf", "There is no file"),
        (lambda d: d, "is a folder"),
    ],
)
def test_unreadable_paths_are_refused(
    workbook: Workbook, tmp_path: Path, make: Any, words: str
) -> None:
    before = stored(workbook)
    with pytest.raises(InvalidInput, match=words):
        add(workbook, file=make(tmp_path))
    assert stored(workbook) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_file_without_read_permission_is_refused(workbook: Workbook, tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"secret")
    locked.chmod(0)
    before = stored(workbook)
    with pytest.raises(InvalidInput, match=r"Cannot read .*Permission denied"):
        add(workbook, file=locked)
    assert stored(workbook) == before


def test_read_error_is_refused(
    workbook: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"secret")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    before = stored(workbook)
    with pytest.raises(InvalidInput) as caught:
        add(workbook, file=locked)
    assert str(caught.value) == (f"Cannot read {locked}: Permission denied; choose another file.")
    assert stored(workbook) == before


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("folder/sub\\report.pdf", "report.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        ("/", "attachment"),
        ("bad\x00na\nme\x1b.txt", "badname.txt"),
        ("what?<now>.pdf", "what__now_.pdf"),
        ("trailing. . ", "trailing"),
        ("Plan 2024 – final.docx", "Plan 2024 – final.docx"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_long_name_keeps_its_extension() -> None:
    name = safe_name("x" * 500 + ".pdf")
    assert len(name) == evidence.MAX_NAME and name.endswith(".pdf")


def test_stored_name_is_sanitised(workbook: Workbook, tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_bytes(b"x")
    doc = add(workbook)
    attached = workbook.documents.attach(doc.id, source, name="../../.ssh/id_rsa").value
    assert attached.attachment_name == "id_rsa"
    out = workbook.documents.save_attachment(doc.id, tmp_path)
    assert out == tmp_path / "id_rsa"


def test_emptying_the_trash_removes_the_file(workbook: Workbook, tmp_path: Path) -> None:
    shared, own = tmp_path / "shared.txt", tmp_path / "own.txt"
    shared.write_bytes(b"shared")
    own.write_bytes(b"own")
    keep = add(workbook, file=shared)
    gone = add(workbook, file=shared)
    workbook.documents.attach(gone.id, own)  # shared is now only in gone's history
    workbook.documents.delete(gone.id)
    workbook.documents.purge(gone.id)
    assert stored(workbook)["attachments"] == 1  # own.txt gone; shared.txt still used by keep
    assert workbook.documents.attachment(keep.id)[1] == b"shared"


def test_human_size() -> None:
    assert human_size(0) == "0 bytes"
    assert human_size(1) == "1 byte"
    assert human_size(2048) == "2 KB"
    assert human_size(25 * 1024 * 1024) == "25 MB"
    assert human_size(int(31.2 * 1024 * 1024)) == "31.2 MB"


def test_short_id_prefix_and_unknown_id(workbook: Workbook) -> None:
    doc = add(workbook)
    assert workbook.documents.get(doc.id[:8]).id == doc.id
    with pytest.raises(NotFound, match="ctdesk evidence list"):
        workbook.documents.get("zzzzzzzz")
