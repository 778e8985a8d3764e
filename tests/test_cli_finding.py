"""``ctdesk finding ...`` through the real entry point (a subprocess: ``python -m ctdesk``)."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ctdesk.workbook import Workbook

CONCERN_WARNING = "A cause of concern should come with at least one recommendation."


def ctdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )


@dataclass(frozen=True)
class Book:
    path: str
    kent_note: str
    kent_note_2: str
    essex_note: str
    kent_doc: str
    existing: str  # a Kent finding citing nothing

    def ok(self, *args: str) -> str:
        result = ctdesk("--workbook", self.path, "finding", *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def fails(self, *args: str, words: str) -> str:
        result = ctdesk("--workbook", self.path, "finding", *args)
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert words in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr  # one sentence, one line
        return result.stderr


@pytest.fixture
def book(tmp_path: Path) -> Book:
    path = tmp_path / "findings.ctdesk"
    with Workbook.create(path) as wb:
        kent = wb.notes.add(force="kent", title="Chief officer interview").value
        kent_2 = wb.notes.add(force="kent", title="Focus group").value
        essex = wb.notes.add(force="essex", title="Essex interview").value
        doc = wb.documents.add(
            force="kent", title="Prevent strategy 2025", category="policy-strategy"
        ).value
        existing = wb.findings.add(force="kent", area="A1", kind="strength", text="Existing")
        return Book(str(path), kent.id, kent_2.id, essex.id, doc.id, existing.value.id)


def counts(book: Book) -> tuple[int, int]:
    """(findings, finding revisions) in the workbook."""
    with Workbook.open(Path(book.path)) as wb:
        sql = "SELECT count(*) FROM revisions WHERE kind = 'finding'"
        return len(wb.findings.all(deleted=None)), wb.db.execute(sql).fetchone()[0]


def test_add_list_show_set(book: Book) -> None:
    added = book.json(
        "add",
        "--force",
        "KENT POLICE",
        "--area",
        "a2",
        "--kind",
        "Cause of Concern",
        "--text",
        "Referral forms differ.\nSecond line.",
        "--evidence",
        book.kent_note[:8],
        "--evidence",
        book.kent_doc,
        "--marking",
        "OFFICIAL-SENSITIVE PERSONAL DATA",
    )
    assert (added["force"], added["area"], added["kind"]) == ("kent", "ct4.a2", "cause-of-concern")
    assert added["evidence"] == sorted([book.kent_note, book.kent_doc])
    assert added["marking"] == "OFFICIAL-SENSITIVE PERSONAL DATA"
    assert added["warnings"] == [CONCERN_WARNING]
    short = added["id"][:8]

    listed = book.ok("list", "--force", "kent")
    line = next(ln for ln in listed.splitlines() if ln.startswith(short))
    assert "Cause of concern" in line and " A2 " in line and "2 evidence" in line
    assert line.endswith("Referral forms differ.")
    assert f"⚠ {CONCERN_WARNING}" in listed
    assert book.kent_note[:8] in listed and book.kent_doc[:8] in listed

    only = book.json("list", "--force", "kent", "--area", "A2", "--kind", "cause-of-concern")
    assert [f["id"] for f in only] == [added["id"]]
    assert only[0]["evidence"] == added["evidence"]

    shown = book.ok("show", short)
    assert "Kent Police" in shown and "A2 Consistency" in shown
    assert "Chief officer interview" in shown and "Prevent strategy 2025" in shown
    assert "Second line." in shown

    edited = book.json(
        "set", short, "--text", "Reworded", "--no-area", "--kind", "Area For Improvement"
    )
    assert (edited["text"], edited["area"], edited["kind"]) == (
        "Reworded",
        None,
        "area-for-improvement",
    )
    assert edited["warnings"] == []


def test_add_prints_id_and_warns_on_stderr(book: Book) -> None:
    result = ctdesk(
        "--workbook",
        book.path,
        "finding",
        "add",
        "--force",
        "kent",
        "--kind",
        "strength",
        "--text",
        "No evidence yet",
    )
    assert result.returncode == 0
    assert len(result.stdout.strip()) == 36
    assert "⚠ This finding cites no evidence." in result.stderr


def test_national_finding_and_recommendations(book: Book) -> None:
    rec = book.json("add", "--national", "--kind", "recommendation", "--text", "All forces should")
    assert rec["force"] is None and rec["area"] is None
    concern = book.json(
        "add",
        "--force",
        "kent",
        "--kind",
        "cause-of-concern",
        "--text",
        "Concern",
        "--evidence",
        book.kent_note,
        "--recommendation",
        rec["id"][:8],
    )
    assert concern["recommendations"] == [rec["id"]] and concern["warnings"] == []
    assert [f["id"] for f in book.json("list", "--national")] == [rec["id"]]
    cleared = book.json("set", concern["id"], "--no-recommendations")
    assert cleared["warnings"] == [CONCERN_WARNING]


def test_link_unlink(book: Book) -> None:
    linked = book.json(
        "link", book.existing, "--evidence", book.kent_note, "--evidence", book.kent_note_2[:8]
    )
    assert linked["evidence"] == sorted([book.kent_note, book.kent_note_2])
    unlinked = book.json("unlink", book.existing[:8], "--evidence", book.kent_note[:8])
    assert unlinked["evidence"] == [book.kent_note_2]


def test_delete_restore_history(book: Book) -> None:
    book.ok("set", book.existing, "--text", "Changed")
    book.ok("delete", book.existing[:8])
    assert book.json("list", "--force", "kent") == []
    assert book.json("show", book.existing)["deleted_at"] is not None
    book.ok("restore", book.existing)
    assert [f["id"] for f in book.json("list", "--force", "kent")] == [book.existing]
    history = book.json("history", book.existing)
    assert [r["op"] for r in history] == ["create", "edit", "delete", "restore"]
    assert history[1]["content"]["text"] == "Changed"
    lines = book.ok("history", book.existing).splitlines()
    assert len(lines) == 4 and "delete" in lines[2]
    reverted = book.json("revert", book.existing, history[0]["hash"][:12])
    assert reverted["text"] == "Existing"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "--force", "kent", "--kind", "opinion", "--text", "t"), "'opinion' is not a kind"),
        (("add", "--force", "kent", "--kind", "strength", "--text", " "), "needs its text"),
        (("add", "--force", "kent", "--kind", "strength", "--text", "t", "--area", "A9"), "A9"),
        (
            ("add", "--force", "kent", "--kind", "strength", "--text", "t", "--marking", "PURPLE"),
            "PURPLE",
        ),
        (
            ("add", "--force", "kent", "--kind", "strength", "--text", "t", "--marking", "SECRET"),
            "SECRET",
        ),
        (
            ("add", "--force", "kent", "--kind", "strength", "--text", "t", "--grade", "good"),
            "CT4 is not graded; leave the grade out.",
        ),
        (("add", "--kind", "strength", "--text", "t"), "--national"),
        (("add", "--force", "kent", "--national", "--kind", "strength", "--text", "t"), "not both"),
        (
            ("add", "--force", "kent", "--kind", "strength", "--text", "t", "--evidence", "beef0"),
            "no note or document with id 'beef0'",
        ),
        (("show", "deadbeef"), "no finding with id 'deadbeef'"),
        (("delete", "deadbeef"), "no finding"),
        (("list", "--kind", "bogus"), "'bogus' is not a kind"),
    ],
)
def test_bad_input_one_sentence_exit_1_nothing_written(
    book: Book, args: tuple[str, ...], words: str
) -> None:
    before = counts(book)
    book.fails(*args, words=words)
    assert counts(book) == before


def test_evidence_of_another_force_refused(book: Book) -> None:
    before = counts(book)
    message = book.fails(
        "add",
        "--force",
        "kent",
        "--kind",
        "strength",
        "--text",
        "t",
        "--evidence",
        book.essex_note,
        words="link only this force's notes and documents.",
    )
    assert f"Evidence {book.essex_note[:8]} is a note of Essex Police, not Kent Police" in message
    book.fails("link", book.existing, "--evidence", book.essex_note, words="Essex Police")
    book.fails("set", book.existing, "--kind", "bogus", words="'bogus' is not a kind")
    book.fails("set", book.existing, "--area", "A1", "--no-area", words="not both")
    book.fails("unlink", book.existing, "--evidence", book.kent_note, words="does not cite")
    assert counts(book) == before
