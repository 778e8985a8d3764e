"""``ctdesk check``: a sound workbook passes; damage, tampering and drift are told in words."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctdesk import check
from ctdesk.db import connection
from ctdesk.workbook import Workbook

SECRET = "correct horse battery staple"


def _fill(wb: Workbook) -> dict[str, str]:
    """A few records of every kind, edited, trashed, purged and linked."""
    note = wb.notes.add(force="kent", title="Interview", body="Referrals " * 300, areas=["A1"])
    wb.notes.edit(note.value.id, body="Edited " * 300, areas=["A2", "A1"])
    other = wb.notes.add(force="kent", title="Focus group", body="Short.").value
    wb.notes.delete(other.id)
    wb.notes.restore(other.id)
    doomed = wb.notes.add(force="essex", title="Doomed", body="gone").value
    wb.notes.delete(doomed.id)
    wb.empty_trash()
    doc = wb.documents.add(force="kent", title="Delivery plan", category="policy-strategy").value
    finding = wb.findings.add(
        force="kent", area="A2", kind="strength", text="Good.", evidence=[note.value.id, doc.id]
    ).value
    first = wb.notes.history(note.value.id)[0].hash
    wb.notes.revert(note.value.id, first)
    return {"note": note.value.id, "document": doc.id, "finding": finding.id}


def _raw(path: Path, key: str | None) -> connection.sqlite3.Connection:
    return connection.connect_file(path, "rw", key)


@pytest.mark.parametrize("key", [None, SECRET])
def test_a_sound_workbook_passes(workbook_path: Path, key: str | None) -> None:
    with Workbook.create(workbook_path, passphrase=key) as wb:
        _fill(wb)
        assert check.check(wb) == []
        assert not wb.db.conn.in_transaction  # the check leaves no transaction open
    assert check.check_file(workbook_path, key) == []


def _root_page(path: Path, key: str | None, table: str) -> int:
    conn = _raw(path, key)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        )
    finally:
        conn.close()


def _overwrite_page(path: Path, page: int, offset: int, size: int = 48) -> None:
    with path.open("r+b") as f:
        f.seek((page - 1) * 4096 + offset)
        f.write(b"\xa5" * size)


def test_a_corrupted_page_is_found(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        _fill(wb)
    # the page header of the notes table's b-tree: SQLite's own check must see it
    _overwrite_page(workbook_path, _root_page(workbook_path, None, "notes"), 0)
    problems = check.check_file(workbook_path, None)
    assert problems and problems[0].area == "file"
    assert problems[0].text.startswith("The workbook file is damaged")
    assert all("\n" not in p.text for p in problems)


def test_a_corrupted_page_of_an_encrypted_workbook_is_found(workbook_path: Path) -> None:
    with Workbook.create(workbook_path, passphrase=SECRET) as wb:
        _fill(wb)
    page = _root_page(workbook_path, SECRET, "revisions")
    _overwrite_page(workbook_path, page, 1000, 8)  # a few bytes in the middle of a page
    problems = check.check_file(workbook_path, SECRET)
    encryption = [p for p in problems if p.area == "encryption"]
    assert encryption, problems
    assert encryption[0].text.startswith(f"Page {page} of the encrypted workbook was altered")


def test_a_tampered_revision_is_found(workbook_path: Path) -> None:
    with Workbook.create(workbook_path, passphrase=SECRET) as wb:
        ids = _fill(wb)
    conn = _raw(workbook_path, SECRET)
    rev_hash, content = conn.execute(
        "SELECT hash, content FROM revisions WHERE record_id = ? ORDER BY rowid LIMIT 1",
        [ids["note"]],
    ).fetchone()
    conn.execute(
        "UPDATE revisions SET content = ? WHERE hash = ?",
        [content.replace("Referrals", "Rewritten"), rev_hash],
    )
    conn.commit()
    conn.close()

    problems = check.check_file(workbook_path, SECRET)

    assert [p.area for p in problems] == ["history"]
    assert problems[0].text == (
        f"The history of the note {ids['note'][:8]} was altered: the content of revision "
        f"{rev_hash[:8]} does not match its hash."
    )


def test_a_rewritten_author_and_a_record_changed_behind_ctdesk_are_found(
    workbook_path: Path,
) -> None:
    with Workbook.create(workbook_path) as wb:
        ids = _fill(wb)
    conn = _raw(workbook_path, None)
    conn.execute(
        "UPDATE revisions SET author = 'Someone Else' WHERE record_id = ?", [ids["finding"]]
    )
    conn.execute("UPDATE documents SET title = 'Another plan' WHERE id = ?", [ids["document"]])
    conn.commit()
    conn.close()

    texts = [p.text for p in check.check_file(workbook_path, None)]

    assert any(
        t.startswith(f"The history of the finding {ids['finding'][:8]} was altered: revision")
        and "does not match its hash" in t
        for t in texts
    ), texts
    assert (
        f"The document {ids['document'][:8]} is not as its latest revision records it: it was "
        "changed outside ctdesk, or damaged." in texts
    )


def test_a_head_that_is_not_a_revision_is_found(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        ids = _fill(wb)
    conn = _raw(workbook_path, None)
    conn.execute("UPDATE notes SET head = 'feedface' || head WHERE id = ?", [ids["note"]])
    conn.commit()
    conn.close()
    (problem,) = check.check_file(workbook_path, None)
    assert problem.text.startswith(f"The note {ids['note'][:8]} says its current version is")


def test_search_index_drift_and_broken_links_are_found(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        ids = _fill(wb)
    conn = _raw(workbook_path, None)
    conn.execute("DELETE FROM search_keys WHERE record_id = ?", [ids["document"]])
    conn.execute(
        "INSERT INTO note_areas (note_id, area_id) VALUES (?, 'ct4.nowhere')", [ids["note"]]
    )
    conn.commit()
    conn.close()

    problems = check.check_file(workbook_path, None)

    texts = [p.text for p in problems]
    assert (
        f"The document {ids['document'][:8]} is missing from the search index, so search "
        "cannot find it." in texts
    )
    assert any(t.startswith("The search index has text (row") for t in texts)
    assert any(p.area == "links" and "note_areas" in p.text for p in problems)


def test_a_damaged_search_index_is_found_once(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        _fill(wb)
    conn = _raw(workbook_path, None)
    conn.execute(
        "UPDATE search_text_content SET c1 = 'other words' "
        "WHERE id = (SELECT min(id) FROM search_text_content)"
    )
    conn.commit()
    conn.close()
    (problem,) = check.check_file(workbook_path, None)
    assert (problem.area, problem.text) == (
        "search",
        "The search index is damaged (SQLite: malformed inverted index for FTS5 table "
        "main.search_text).",
    )


def test_many_problems_are_summed_up(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        for i in range(check.MAX_PER_CHECK + 5):
            wb.notes.add(force="kent", title=f"Note {i}", body="x")
    conn = _raw(workbook_path, None)
    conn.execute("UPDATE revisions SET content = content || ' '")
    conn.commit()
    conn.close()
    problems = check.check_file(workbook_path, None)
    assert len(problems) == check.MAX_PER_CHECK + 1
    assert problems[-1].text.startswith("The history has")


# ---- the command line ----------------------------------------------------------------------


def ctdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_cli_check(workbook_path: Path) -> None:
    with Workbook.create(workbook_path, passphrase=SECRET) as wb:
        ids = _fill(wb)
    env = {"CTDESK_PASSPHRASE": SECRET}
    wb_arg = ("--workbook", str(workbook_path))

    clean = ctdesk(*wb_arg, "check", env=env)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == "" and "passed every check" in clean.stderr
    assert json.loads(ctdesk(*wb_arg, "check", "--json", env=env).stdout)["ok"] is True

    conn = _raw(workbook_path, SECRET)
    conn.execute("UPDATE revisions SET content = '{}' WHERE record_id = ?", [ids["finding"]])
    conn.commit()
    conn.close()

    found = ctdesk(*wb_arg, "check", env=env)
    assert found.returncode == 1
    lines = found.stdout.splitlines()
    assert lines and all(line.startswith("The history of the finding") for line in lines)
    assert found.stderr.count("\n") == 1 and "Traceback" not in found.stderr
    assert f"The check found {len(lines)} problem" in found.stderr

    as_json = ctdesk(*wb_arg, "check", "--json", env=env)
    assert as_json.returncode == 1
    data = json.loads(as_json.stdout)
    assert data["ok"] is False and {p["area"] for p in data["problems"]} == {"history"}

    wrong = ctdesk(*wb_arg, "check", env={"CTDESK_PASSPHRASE": "not the passphrase"})
    assert wrong.returncode == 1 and "passphrase" in wrong.stderr and wrong.stdout == ""


def test_cli_check_a_workbook_too_damaged_to_open(tmp_path: Path) -> None:
    path = tmp_path / "ruin.ctdesk"
    Workbook.create(path).close()
    with path.open("r+b") as f:
        f.seek(100)
        f.write(b"\xa5" * 3000)  # the first page: the schema itself
    result = ctdesk("--workbook", str(path), "check")
    assert result.returncode == 1
    assert result.stdout.strip() and "Traceback" not in result.stderr
