"""``ctdesk evidence`` through the real entry point (a subprocess running ``python -m ctdesk``)."""

import json
from pathlib import Path
from typing import Any

import pytest

from ctdesk.workbook import Workbook
from tests.test_cli import ctdesk, fails, ok


@pytest.fixture
def wb(tmp_path: Path) -> str:
    path = tmp_path / "cli.ctdesk"
    ok("--workbook", str(path), "init")
    return str(path)


def ev(wb: str, *args: str) -> str:
    return ok("--workbook", wb, "evidence", *args)


def add(wb: str, *args: str) -> str:
    return json.loads(ev(wb, "add", "--json", *args))["id"]  # type: ignore[no-any-return]


def show(wb: str, doc_id: str) -> dict[str, Any]:
    return json.loads(ev(wb, "show", doc_id, "--json"))  # type: ignore[no-any-return]


def snapshot(wb: str) -> tuple[int, int, int]:
    """(documents, revisions, attached files) in the workbook: proof that nothing was written."""
    with Workbook.open(Path(wb)) as book:
        return tuple(  # type: ignore[return-value]
            book.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "revisions", "attachments")
        )


def test_add_prints_the_id_and_show_reads_it_back(wb: str, tmp_path: Path) -> None:
    source = tmp_path / "strategy.pdf"
    source.write_bytes(b"%PDF-1.7 strategy")
    out = ev(
        wb,
        "add",
        "--force",
        "Kent Police",
        "--title",
        "Prevent strategy 2024",
        "--category",
        "PREVENT POLICY AND STRATEGY",
        "--reference",
        "KP/PREV/01",
        "--provided-by",
        "Prevent strategic lead",
        "--received",
        "15/10/2024",
        "--file",
        str(source),
        "--area",
        "A1",
        "--area",
        "ct4.a3",
        "--marking",
        "OFFICIAL-SENSITIVE PERSONAL DATA",
    )
    doc_id = out.strip()
    assert len(doc_id) == 36 and out.count("\n") == 1
    doc = show(wb, doc_id[:8])
    assert doc["id"] == doc_id and doc["force"] == "kent"
    assert doc["category"] == "policy-strategy"
    assert (doc["reference"], doc["provided_by"]) == ("KP/PREV/01", "Prevent strategic lead")
    assert doc["received_date"] == "2024-10-15"
    assert doc["status"] == "to-review"
    assert doc["areas"] == ["ct4.a1", "ct4.a3"]
    assert doc["marking"] == "OFFICIAL-SENSITIVE PERSONAL DATA"
    assert doc["attachment"]["name"] == "strategy.pdf"
    assert doc["attachment"]["size"] == len(b"%PDF-1.7 strategy")
    human = ev(wb, "show", doc_id[:8])
    assert "Prevent strategy 2024" in human and "Prevent policy and strategy" in human
    assert "strategy.pdf (17 bytes)" in human


def test_list_filters_and_prints_one_line_per_document(wb: str) -> None:
    a = add(wb, "--force", "kent", "--title", "Referral log", "--category", "referral report")
    b = add(wb, "--force", "kent", "--title", "Channel minutes", "--category", "channel-document")
    add(wb, "--force", "essex", "--title", "Essex briefing", "--category", "Briefing material")
    ev(wb, "set", b[:8], "--status", "Reviewed")
    kent = ok("--workbook", wb, "evidence", "list", "--force", "kent")
    lines = kent.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(b[:8]) and "Reviewed" in lines[0] and "Channel minutes" in lines[0]
    assert lines[1].startswith(a[:8]) and "To review" in lines[1] and "Referral report" in lines[1]
    listed = json.loads(ev(wb, "list", "--json"))
    assert len(listed) == 3
    reviewed = json.loads(ev(wb, "list", "--status", "reviewed", "--json"))
    assert [d["id"] for d in reviewed] == [b]
    to_review = json.loads(ev(wb, "list", "--force", "kent", "--status", "To review", "--json"))
    assert [d["id"] for d in to_review] == [a]
    briefing = json.loads(ev(wb, "list", "--category", "briefing_material", "--json"))
    assert [d["title"] for d in briefing] == ["Essex briefing"]


def test_list_summary_goes_to_stderr(wb: str) -> None:
    add(wb, "--force", "kent", "--title", "One", "--category", "other")
    result = ctdesk("--workbook", wb, "evidence", "list", "--force", "kent")
    assert result.stderr == "1 document registered, 0 reviewed.\n"
    assert "One" in result.stdout


def test_set_marks_reviewed_and_edits(wb: str) -> None:
    doc_id = add(
        wb, "--force", "kent", "--title", "Briefing", "--category", "other", "--area", "A2"
    )
    changed = json.loads(
        ev(
            wb,
            "set",
            doc_id,
            "--status",
            "reviewed",
            "--title",
            "Briefing pack",
            "--category",
            "briefing material",
            "--reference",
            "BP-7",
            "--provided-by",
            "CTP South East",
            "--received",
            "2024-02-01",
            "--marking",
            "official",
            "--json",
        )
    )
    assert changed["status"] == "reviewed" and changed["reviewer"] == "Test Inspector"
    assert (changed["title"], changed["category"]) == ("Briefing pack", "briefing-material")
    assert (changed["reference"], changed["provided_by"]) == ("BP-7", "CTP South East")
    assert (changed["received_date"], changed["marking"]) == ("2024-02-01", "OFFICIAL")
    assert changed["areas"] == ["ct4.a2"]
    areas = json.loads(ev(wb, "set", doc_id, "--area", "A1", "--area", "A3", "--json"))["areas"]
    assert areas == ["ct4.a1", "ct4.a3"]
    assert json.loads(ev(wb, "set", doc_id, "--no-areas", "--json"))["areas"] == []
    cleared = json.loads(ev(wb, "set", doc_id, "--received", "", "--reviewer", "DS Lee", "--json"))
    assert (cleared["received_date"], cleared["reviewer"]) == (None, "DS Lee")
    same = ctdesk("--workbook", wb, "evidence", "set", doc_id, "--title", "Briefing pack")
    assert same.returncode == 0 and same.stderr == "Nothing changed.\n"


def test_history_delete_restore_revert(wb: str) -> None:
    doc_id = add(wb, "--force", "kent", "--title", "Old title", "--category", "other")
    ev(wb, "set", doc_id, "--title", "New title")
    ok("--workbook", wb, "evidence", "delete", doc_id[:8])
    assert json.loads(ev(wb, "list", "--json")) == []
    assert show(wb, doc_id)["deleted_at"] is not None
    ok("--workbook", wb, "evidence", "restore", doc_id[:8])
    assert [d["id"] for d in json.loads(ev(wb, "list", "--json"))] == [doc_id]
    history = json.loads(ev(wb, "history", doc_id, "--json"))
    assert [r["op"] for r in history] == ["create", "edit", "delete", "restore"]
    assert all({"hash", "op", "author", "created_at", "content"} <= set(r) for r in history)
    assert history[0]["content"]["title"] == "Old title"
    assert history[0]["author"] == "Test Inspector"
    human = ev(wb, "history", doc_id)
    assert len(human.splitlines()) == 4 and "(in trash)" in human.splitlines()[2]
    ev(wb, "revert", doc_id, "--to", history[0]["hash"][:12])
    assert show(wb, doc_id)["title"] == "Old title"


def test_attach_save_and_detach(wb: str, tmp_path: Path) -> None:
    doc_id = add(wb, "--force", "kent", "--title", "Channel panel minutes", "--category", "other")
    source = tmp_path / "minutes.docx"
    source.write_bytes(bytes(range(256)))
    ok("--workbook", wb, "evidence", "attach", doc_id, str(source))
    out = tmp_path / "saved.docx"
    ok("--workbook", wb, "evidence", "attachment", doc_id, "--out", str(out))
    assert out.read_bytes() == bytes(range(256))
    folder = tmp_path / "folder"
    folder.mkdir()
    saved = json.loads(ev(wb, "attachment", doc_id, "--out", str(folder), "--json"))
    assert saved == {"path": str(folder / "minutes.docx"), "size": 256}
    assert show(wb, doc_id)["attachment"]["name"] == "minutes.docx"
    ok("--workbook", wb, "evidence", "detach", doc_id)
    assert show(wb, doc_id)["attachment"] is None
    fails(
        "--workbook",
        wb,
        "evidence",
        "attachment",
        doc_id,
        "--out",
        str(tmp_path / "x"),
        words="has no attached file",
    )
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--category", "minutes"], "'minutes' is not a document category; use one of"),
        (["--category", "other", "--received", "31/02/2024"], "is not a received date"),
        (["--category", "other", "--received", "soon"], "YYYY-MM-DD"),
        (["--category", "other", "--marking", "SECRET"], "does not belong in ctdesk"),
        (["--category", "other", "--marking", "OFFICIAL-SENSITIVE HUSH"], "'HUSH'"),
        (["--category", "other", "--area", "A9"], "no area 'A9'"),
        (["--category", "other", "--file", "/no/such/file.pdf"], "There is no file"),
        (["--category", "other", "--file", "/"], "is a folder"),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(wb: str, extra: list[str], words: str) -> None:
    before = snapshot(wb)
    fails(
        "--workbook", wb, "evidence", "add", "--force", "kent", "--title", "T", *extra, words=words
    )
    assert snapshot(wb) == before


def test_too_large_file_is_refused(wb: str, tmp_path: Path) -> None:
    big = tmp_path / "report.pdf"
    with big.open("wb") as handle:
        handle.truncate(int(31.2 * 1024 * 1024))  # sparse: costs no disk
    before = snapshot(wb)
    message = fails(
        "--workbook",
        wb,
        "evidence",
        "add",
        "--force",
        "kent",
        "--title",
        "Big report",
        "--category",
        "other",
        "--file",
        str(big),
        words="report.pdf is 31.2 MB; attachments can be at most 25 MB, so keep the file",
    )
    assert message.startswith("ctdesk: ")
    doc_id = add(wb, "--force", "kent", "--title", "Small", "--category", "other")
    before = snapshot(wb)
    fails("--workbook", wb, "evidence", "attach", doc_id, str(big), words="at most 25 MB")
    assert snapshot(wb) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["set", "{id}", "--status", "done"], "'done' is not a review status"),
        (["set", "{id}", "--received", "yesterday-ish"], "is not a received date"),
        (["set", "{id}", "--category", "gossip"], "is not a document category"),
        (["set", "{id}", "--marking", "TOP SECRET"], "does not belong in ctdesk"),
        (["set", "{id}", "--area", "A1", "--no-areas"], "not both"),
        (["set", "{id}", "--title", " "], "needs a title"),
        (["set", "zzzzzzzz", "--status", "reviewed"], "no document with id 'zzzzzzzz'"),
        (["show", "zzzzzzzz"], "run 'ctdesk evidence list'"),
        (["delete", "zzzzzzzz"], "no document with id"),
        (["history", "zzzzzzzz"], "no document with id"),
        (["list", "--status", "maybe"], "'maybe' is not a review status"),
        (["list", "--category", "memo"], "'memo' is not a document category"),
        (["list", "--force", "Atlantis"], "no force called 'Atlantis'"),
        (["attach", "{id}", "/no/such.pdf"], "There is no file"),
        (["attachment", "{id}", "--out", "/no/such/folder/x.pdf"], "does not exist"),
    ],
)
def test_commands_refuse_bad_input_in_one_line(
    wb: str, tmp_path: Path, args: list[str], words: str
) -> None:
    source = tmp_path / "target.txt"
    source.write_bytes(b"target")
    doc_id = add(
        wb, "--force", "kent", "--title", "Target", "--category", "other", "--file", str(source)
    )
    before = snapshot(wb)
    fails("--workbook", wb, "evidence", *[a.format(id=doc_id) for a in args], words=words)
    assert snapshot(wb) == before
    assert show(wb, doc_id)["title"] == "Target"


def test_json_output_is_only_json(wb: str) -> None:
    doc_id = add(wb, "--force", "kent", "--title", "Only JSON", "--category", "other")
    for args in (["list", "--json"], ["show", doc_id, "--json"], ["history", doc_id, "--json"]):
        result = ctdesk("--workbook", wb, "evidence", *args)
        assert result.returncode == 0
        json.loads(result.stdout)
