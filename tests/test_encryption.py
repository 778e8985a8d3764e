"""Encryption at rest: an encrypted workbook's file reveals nothing, opens only with its
passphrase, and can be re-keyed without loss."""

import hashlib
from pathlib import Path

import pytest

from ctdesk import export, passphrase
from ctdesk.errors import CtdeskError, InvalidInput, PassphraseNeeded, WrongPassphrase
from ctdesk.search import Searcher
from ctdesk.workbook import Workbook
from tests.test_cli import ctdesk as cli

SECRET = "correct horse battery staple"
SENTINEL = "SENTINEL-QX7-never-in-plaintext"


def files_of(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def leaked(path: Path) -> bool:
    return any(SENTINEL.encode() in p.read_bytes() for p in files_of(path))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(path: Path) -> str:
    with Workbook.create(path, passphrase=SECRET) as wb:
        return wb.notes.add(force="kent", title=SENTINEL, body=f"The {SENTINEL} body.").value.id


def test_the_file_and_its_journal_reveal_nothing(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path, passphrase=SECRET)
    wb.notes.add(force="kent", title="Source", body=f"The {SENTINEL} body.")
    assert Path(f"{workbook_path}-wal").exists()  # written, not yet checkpointed
    assert not leaked(workbook_path)
    wb.close()
    assert not leaked(workbook_path)
    assert not workbook_path.read_bytes().startswith(b"SQLite format 3")


def test_an_unencrypted_workbook_does_show_its_text(workbook_path: Path) -> None:
    # The check above can fail: without a passphrase the text is in the file.
    with Workbook.create(workbook_path) as wb:
        wb.notes.add(force="kent", title="Source", body=f"The {SENTINEL} body.")
        wb.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert leaked(workbook_path)


def test_it_opens_only_with_its_passphrase_and_a_wrong_one_changes_nothing(
    workbook_path: Path,
) -> None:
    note_id = make(workbook_path)
    before = digest(workbook_path)
    with pytest.raises(PassphraseNeeded, match="encrypted"):
        Workbook.open(workbook_path)
    with pytest.raises(WrongPassphrase, match="nothing was changed"):
        Workbook.open(workbook_path, passphrase="not the passphrase")
    assert digest(workbook_path) == before
    with Workbook.open(workbook_path, passphrase=SECRET) as wb:
        assert wb.notes.get(note_id).title == SENTINEL
        assert wb.encrypted


def test_rekey_round_trip_keeps_every_record_and_revision(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path)
    note = wb.notes.add(force="kent", title="First", body="one").value
    wb.notes.edit(note.id, body=f"two {SENTINEL}")
    history = [r.hash for r in wb.notes.history(note.id)]
    wb.close()
    passphrase.set_passphrase(workbook_path, SECRET)
    assert not leaked(workbook_path)
    passphrase.change_passphrase(workbook_path, SECRET, "a different long phrase")
    with pytest.raises(WrongPassphrase):
        Workbook.open(workbook_path, passphrase=SECRET)
    before = digest(workbook_path)
    with pytest.raises(WrongPassphrase):
        passphrase.change_passphrase(workbook_path, SECRET, "whatever else it is")
    assert digest(workbook_path) == before
    with Workbook.open(workbook_path, passphrase="a different long phrase") as wb:
        assert [r.hash for r in wb.notes.history(note.id)] == history
        assert wb.search(SENTINEL.split("-")[0]).total == 1
    passphrase.remove_passphrase(workbook_path, "a different long phrase")
    with Workbook.open(workbook_path) as wb:
        assert wb.notes.get(note.id).body == f"two {SENTINEL}"
    assert not list(workbook_path.parent.glob(".*rekey*"))  # no temporary file left


def test_passphrases_are_checked(workbook_path: Path) -> None:
    with pytest.raises(InvalidInput, match="8 characters"):
        passphrase.set_passphrase(workbook_path, "short")
    make(workbook_path)
    with pytest.raises(CtdeskError, match="already has a passphrase"):
        passphrase.set_passphrase(workbook_path, SECRET)


def test_search_thread_and_export_child_open_an_encrypted_workbook(
    workbook_path: Path, tmp_path: Path
) -> None:
    make(workbook_path)
    searcher = Searcher(workbook_path, SECRET)
    assert searcher.search(SENTINEL.split("-")[0]).total == 1
    searcher.close()
    with Workbook.open(workbook_path, passphrase=SECRET) as wb:
        scope = export.resolve_scope(wb, "force", "kent")
    out = tmp_path / "kent.md"
    result = export.export_in_child(workbook_path, scope, "md", out, passphrase=SECRET)
    assert SENTINEL in result.path.read_text(encoding="utf-8")


def test_cli_passphrase_from_file_stdin_or_environment(tmp_path: Path) -> None:
    path = str(tmp_path / "cli.ctdesk")
    secret_file = tmp_path / "pw"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    made = cli("--workbook", path, "--passphrase-file", str(secret_file), "init", "--encrypt")
    assert made.returncode == 0, made.stderr
    added = cli(
        "--workbook",
        path,
        "--passphrase-file",
        "-",
        "note",
        "add",
        "--force",
        "kent",
        "--title",
        SENTINEL,
        stdin=SECRET + "\n",
    )
    assert added.returncode == 0, added.stderr
    listed = cli("--workbook", path, "note", "list", env={"CTDESK_PASSPHRASE": SECRET})
    assert SENTINEL in listed.stdout
    for result in (
        cli("--workbook", path, "note", "list", stdin=""),
        cli("--workbook", path, "note", "list", env={"CTDESK_PASSPHRASE": "wrong one"}),
    ):
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not leaked(Path(path))


def test_no_rekey_while_another_ctdesk_has_the_workbook_open(workbook_path: Path) -> None:
    make(workbook_path)
    window = Workbook.open(workbook_path, passphrase=SECRET)
    assert window.claim() is None
    before = digest(workbook_path)
    with pytest.raises(CtdeskError, match="open for writing in ctdesk on"):
        passphrase.change_passphrase(workbook_path, SECRET, "a different long phrase")
    assert digest(workbook_path) == before
    window.notes.add(force="kent", title="Still saved")
    window.close()
    with Workbook.open(workbook_path, passphrase=SECRET) as wb:
        assert "Still saved" in {n.title for n in wb.notes.all()}


def test_rekey_keeps_the_file_private(workbook_path: Path) -> None:
    Workbook.create(workbook_path).close()
    workbook_path.chmod(0o600)
    passphrase.set_passphrase(workbook_path, SECRET)
    assert workbook_path.stat().st_mode & 0o777 == 0o600
    passphrase.remove_passphrase(workbook_path, SECRET)
    assert workbook_path.stat().st_mode & 0o777 == 0o600


def test_a_passphrase_with_control_characters_is_refused_and_nothing_made(
    workbook_path: Path,
) -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        passphrase.check_new("abcdefgh\x00ijk")
    with pytest.raises(InvalidInput, match="control characters"):
        Workbook.create(workbook_path, passphrase="abcdefgh\x00ijk")
    assert not workbook_path.exists()
