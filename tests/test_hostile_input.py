"""Hostile and bad input: whatever a user hands ctdesk is taken safely or refused in one sentence.

Workbook files that are not workbooks, truncated, from a newer ctdesk, tampered with or damaged;
attachments that are empty, huge, binary or badly named; command-line arguments that are very
long or full of control characters, right-to-left text and emoji; settings edited by hand. A
refusal is a ``CtdeskError`` (exit status 1 from the CLI, one line, no traceback) and leaves the
file it refused exactly as it was.

Tests marked ``xfail(strict=True)`` document bugs found here: each passes once the bug is fixed,
and then fails as an unexpected pass until its mark is removed.
"""

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ctdesk.errors import CtdeskError, PassphraseNeeded
from ctdesk.evidence import MAX_ATTACHMENT, MAX_NAME, safe_name
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR
from tests.test_cli import ctdesk, fails, ok

PAGE = 4096
PASSPHRASE = "hostile input passphrase"
ADD = ("note", "add", "--force", "kent", "--title", "Anything")


# ---- helpers ----------------------------------------------------------------------------------


def one_sentence(message: str) -> None:
    assert message.strip(), "no message"
    assert "\n" not in message.strip() and "Traceback" not in message, message
    assert message.rstrip().endswith((".", "?", ")")), message


def folder_state(path: Path) -> dict[str, bytes]:
    """Every file beside (and including) the workbook, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def cli_refuses(path: Path, *args: str, words: str = "", env: dict[str, str] | None = None) -> str:
    result = ctdesk("--workbook", str(path), *args, env=env)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.startswith("ctdesk: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and words in result.stderr, result.stderr
    return result.stderr


def refused_untouched(
    path: Path, words: str, *, passphrase: str | None = None, cli_words: str | None = None
) -> None:
    """The workbook at ``path`` is refused by the services and by the CLI, and left as it was
    (no byte changed, no file added beside it)."""
    before = folder_state(path) if path.is_file() else None
    with pytest.raises(CtdeskError) as caught:
        Workbook.open(path, passphrase=passphrase).close()
    one_sentence(str(caught.value))
    assert words in str(caught.value), str(caught.value)
    env = {"CTDESK_PASSPHRASE": passphrase} if passphrase else None
    cli_refuses(path, *ADD, words=words if cli_words is None else cli_words, env=env)
    if before is not None:
        assert folder_state(path) == before


def make_workbook(path: Path, passphrase: str | None = None) -> Path:
    """A workbook with some fieldwork in it: notes (one of many pages), a document and file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = path.parent.parent / "referrals.txt"
    source.write_text("Referral received from a school.\n" * 200, encoding="utf-8")
    with Workbook.create(path, passphrase=passphrase) as wb:
        for n in range(20):
            wb.notes.add(force="kent", title=f"Interview {n}", body=f"Training {n}. " * 50)
        wb.notes.add(force="essex", title="Long", body="Supervision is patchy. " * 3000)
        wb.documents.add(force="kent", title="Referral log", category="other", file=source)
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "books" / "real.ctdesk")


def tamper(path: Path, *statements: str) -> None:
    """Change a (plain) workbook behind ctdesk's back, with SQLite's own tool."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


# ---- workbook files ---------------------------------------------------------------------------


def _another_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


STRANGERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "text file": (lambda p: p.write_text("hello " * 1000), "not a ctdesk workbook"),
    "zero-byte file": (lambda p: p.write_bytes(b""), "empty file"),
    "HTML page": (
        lambda p: p.write_text("<html><body>workbook</body></html>\n" * 50),
        "not a ctdesk workbook",
    ),
    "SQLite header then garbage": (
        lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40),
        "not a ctdesk workbook",
    ),
    "random bytes, odd size": (
        lambda p: p.write_bytes(bytes((i * 7919) % 251 for i in range(5000))),
        "not a ctdesk workbook",
    ),
    "another program's SQLite database": (_another_programs_database, "another program"),
    "a folder": (lambda p: p.mkdir(), "is a folder"),
}


@pytest.mark.parametrize("kind", list(STRANGERS))
def test_files_that_are_not_workbooks_are_refused_untouched(tmp_path: Path, kind: str) -> None:
    make, words = STRANGERS[kind]
    path = tmp_path / "books" / "stranger.ctdesk"
    path.parent.mkdir()
    make(path)
    refused_untouched(path, words)


def test_random_bytes_look_encrypted_and_need_a_passphrase(tmp_path: Path) -> None:
    # Whole pages of random bytes are what an encrypted workbook looks like: ctdesk asks for the
    # passphrase, and a passphrase does not open it.
    path = tmp_path / "books" / "noise.ctdesk"
    path.parent.mkdir()
    path.write_bytes(bytes((i * 7919 + i // 3) % 256 for i in range(8 * PAGE)))
    before = folder_state(path)
    with pytest.raises(PassphraseNeeded):
        Workbook.open(path)
    cli_refuses(path, *ADD, words="passphrase")
    refused_untouched(path, "passphrase", passphrase=PASSPHRASE)
    assert folder_state(path) == before


@pytest.mark.parametrize(
    "length",
    [
        lambda n: 16,  # the magic words only
        lambda n: 100,  # half the header
        lambda n: PAGE,  # the first page only
        lambda n: n // 2 // PAGE * PAGE,  # the first half
        lambda n: n - PAGE,  # all but the last page
    ],
    ids=["16-bytes", "100-bytes", "first-page", "first-half", "last-page-missing"],
)
def test_truncated_copies_are_refused_untouched(
    book: Path, tmp_path: Path, length: Callable[[int], int]
) -> None:
    data = book.read_bytes()
    copy = tmp_path / "copies" / "truncated.ctdesk"
    copy.parent.mkdir()
    copy.write_bytes(data[: length(len(data))])
    refused_untouched(copy, "not a ctdesk workbook")


@pytest.mark.parametrize("length", [lambda n: PAGE, lambda n: n - PAGE], ids=["page", "all-but-1"])
def test_truncated_encrypted_copies_are_refused_untouched(
    tmp_path: Path, length: Callable[[int], int]
) -> None:
    book = make_workbook(tmp_path / "books" / "secret.ctdesk", passphrase=PASSPHRASE)
    data = book.read_bytes()
    copy = tmp_path / "copies" / "truncated.ctdesk"
    copy.parent.mkdir()
    copy.write_bytes(data[: length(len(data))])
    refused_untouched(copy, "not a ctdesk workbook", passphrase=PASSPHRASE)


def test_a_workbook_from_a_newer_ctdesk_is_refused_untouched(book: Path) -> None:
    tamper(
        book,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('ctdesk', '9999_from_the_future', '2031-01-01')",
    )
    refused_untouched(book, "newer version of ctdesk")


def test_another_application_id_is_refused_untouched(book: Path) -> None:
    tamper(book, "PRAGMA application_id = 1")
    refused_untouched(book, "another program")


SCHEMA_BUG = (
    "bug: a workbook whose schema was changed outside ctdesk is opened as if sound (and "
    "written to, or fails with an internal error); ctdesk/db/connection.py open_existing should "
    "compare sqlite_master with the schema its recorded migrations make, before writing"
)
TAMPERED: dict[str, tuple[str, ...]] = {
    "dropped table": ("DROP TABLE findings",),
    "dropped trigger": ("DROP TRIGGER notes_search_insert",),
    # A trigger that wipes the history whenever a note changes: the worst kind of edit.
    "changed trigger": (
        "DROP TRIGGER notes_search_update",
        "CREATE TRIGGER notes_search_update AFTER UPDATE ON notes BEGIN DELETE FROM revisions; END",
    ),
    "added trigger": (
        "CREATE TRIGGER wipe AFTER INSERT ON notes BEGIN DELETE FROM revisions; END",
    ),
    "renamed column": ("ALTER TABLE notes RENAME COLUMN body TO text",),
    "dropped migration log": ("DROP TABLE _sqlite_migrations",),
    "emptied meta": ("DELETE FROM meta",),
}


@pytest.mark.parametrize("change", list(TAMPERED))
def test_a_tampered_workbook_is_refused_untouched(book: Path, change: str) -> None:
    tamper(book, *TAMPERED[change])
    refused_untouched(book, "", cli_words="")


DAMAGE_BUG = (
    "bug: SQLite's 'database disk image is malformed' after the workbook opened is an internal "
    "error (exit 2, a bug report); connection.explain (ctdesk/db/connection.py) should word "
    "'malformed' and 'not a database' as a damaged workbook to restore from a backup"
)


def zero_pages_of(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    pages = [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert pages, table
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size)
            handle.write(bytes(size))


@pytest.mark.parametrize(
    ("table", "command"),
    [("notes", ("note", "list")), ("search_text_data", ("search", "training"))],
)
def test_a_damaged_workbook_is_told_in_one_sentence(
    book: Path, table: str, command: tuple[str, ...]
) -> None:
    zero_pages_of(book, table)
    cli_refuses(book, *command)


# ---- attachments ------------------------------------------------------------------------------


def doc_json(book: Path, doc_id: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        ok("--workbook", str(book), "evidence", "show", doc_id, "--json")
    )
    return data


def test_zero_byte_and_binary_text_files_are_kept_exactly(book: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.touch()
    binary = tmp_path / "notes.txt"  # a text file in name only
    content = b"\x00\x01\xff\xfe escalation \x00" + bytes(range(256)) * 64
    binary.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    ids: list[str] = []
    for source in (empty, binary):
        added = ok(
            "--workbook",
            str(book),
            "evidence",
            "add",
            "--force",
            "kent",
            "--title",
            "File",
            "--category",
            "other",
            "--file",
            str(source),
        ).strip()
        attachment = doc_json(book, added)["attachment"]
        assert isinstance(attachment, dict)
        assert (attachment["name"], attachment["size"]) == (source.name, len(source.read_bytes()))
        saved = ok(
            "--workbook", str(book), "evidence", "attachment", added, "--out", str(out), "--json"
        )
        assert Path(json.loads(saved)["path"]).read_bytes() == source.read_bytes()
        ids.append(added)
    # Binary content is not searched, and searching for it is no error.
    found = json.loads(ok("--workbook", str(book), "search", "escalation", "--json"))
    assert ids[1] not in [hit["id"] for hit in found["results"]]


def test_a_file_over_the_limit_is_refused_before_reading(book: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:  # sparse: 4 GB on paper, nothing on disk, nothing read
        handle.truncate(4 * 1024**3)
    before = folder_state(book)
    fails(
        "--workbook",
        str(book),
        "evidence",
        "add",
        "--force",
        "kent",
        "--title",
        "Huge",
        "--category",
        "other",
        "--file",
        str(huge),
        words="attachments can be at most 25 MB",
    )
    just_over = tmp_path / "just over.pdf"
    with just_over.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT + 1)
    fails(
        "--workbook",
        str(book),
        "evidence",
        "add",
        "--force",
        "kent",
        "--title",
        "Over",
        "--category",
        "other",
        "--file",
        str(just_over),
        words="at most 25 MB",
    )
    # Nothing stored: the register is as it was (a backup may have been taken on opening).
    assert folder_state(book)[book.name] == before[book.name]
    listed = json.loads(ok("--workbook", str(book), "evidence", "list", "--json"))
    assert [d["title"] for d in listed] == ["Referral log"]


HOSTILE_NAMES = {
    "../../../etc/cron.d/evil": "evil",
    "..\\..\\Windows\\System32\\evil.dll": "evil.dll",
    "/absolute/path.txt": "path.txt",
    "report\x1b[2J\x07.txt": "report[2J.txt",
    "line\nbreak\r.txt": "linebreak.txt",
    "invoice\u202efdp.exe": "invoicefdp.exe",  # right-to-left override: shows as invoiceexe.pdf
    "zero\u200bwidth.txt": "zerowidth.txt",
    "CON.txt": "_CON.txt",
    "nul": "_nul",
    "R\udce9union.txt": "R\ufffdunion.txt",  # a name in bytes that are not UTF-8
    "..": "attachment",
    " . . ": "attachment",
    "emoji 👮\u200d♀️ مقابلة.txt": "emoji 👮♀️ مقابلة.txt",
}


@pytest.mark.parametrize("given", list(HOSTILE_NAMES))
def test_hostile_attachment_names_are_stored_safely(
    workbook: Workbook, tmp_path: Path, given: str
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"data")
    doc = workbook.documents.add(force="kent", title="Named", category="other").value
    stored = workbook.documents.attach(doc.id, source, name=given).value.attachment_name
    assert stored == HOSTILE_NAMES[given] == safe_name(given)
    out = tmp_path / "saved"
    out.mkdir()
    written = workbook.documents.save_attachment(doc.id, out)
    assert written.parent == out and written.read_bytes() == b"data"
    assert [p.name for p in out.iterdir()] == [stored]


def test_a_very_long_attachment_name_keeps_its_extension(
    workbook: Workbook, tmp_path: Path
) -> None:
    source = tmp_path / "x.bin"
    source.write_bytes(b"x")
    doc = workbook.documents.add(force="kent", title="Long", category="other").value
    stored = workbook.documents.attach(doc.id, source, name="é" * 5000 + ".docx").value
    assert stored.attachment_name is not None
    assert len(stored.attachment_name) == MAX_NAME and stored.attachment_name.endswith(".docx")


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters")
def test_files_named_with_control_characters_attach_from_the_cli(
    book: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    source = folder / "minutes\x1b]0;pwned\x07 \\..\\x.txt"
    source.write_bytes(b"Panel minutes")
    odd = folder / os.fsdecode(b"r\xe9union.txt")  # a name that is not UTF-8
    odd.write_bytes(b"Meeting")
    out = tmp_path / "out"
    out.mkdir()
    for path, name in ((source, "x.txt"), (odd, "r\ufffdunion.txt")):
        doc_id = ok(
            "--workbook",
            str(book),
            "evidence",
            "add",
            "--force",
            "kent",
            "--title",
            "Minutes",
            "--category",
            "other",
            "--file",
            str(path),
        ).strip()
        attachment = doc_json(book, doc_id)["attachment"]
        assert isinstance(attachment, dict) and attachment["name"] == name
        ok("--workbook", str(book), "evidence", "attachment", doc_id, "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(["x.txt", "r\ufffdunion.txt"])


# ---- command-line arguments -------------------------------------------------------------------

RTL_AND_EMOJI = "مقابلة مع الضابط — ראיון 👮\u200d♀️🇬🇧 \u202eevil\u202c café"


def add_note(book: Path, title: str, body: str, *, body_file: bool = False) -> dict[str, object]:
    """Add a note through the CLI (the body as an argument, or in a file) and read it back."""
    if body_file:
        path = book.parent / "body.md"
        path.write_bytes(body.encode("utf-8"))
        given = ["--body-file", str(path)]
    else:
        given = ["--body", body]
    out = ok(
        "--workbook",
        str(book),
        "note",
        "add",
        "--force",
        "kent",
        "--title",
        title,
        *given,
        "--json",
    )
    note_id = json.loads(out)["id"]
    shown: dict[str, object] = json.loads(
        ok("--workbook", str(book), "note", "show", note_id, "--json")
    )
    return shown


def test_rtl_text_and_emoji_are_kept_exactly(book: Path) -> None:
    note = add_note(book, RTL_AND_EMOJI, RTL_AND_EMOJI + "\n\n" + RTL_AND_EMOJI * 600)
    assert note["title"] == RTL_AND_EMOJI
    assert note["body"] == RTL_AND_EMOJI + "\n\n" + RTL_AND_EMOJI * 600
    found = json.loads(ok("--workbook", str(book), "search", "ראיון", "--json"))
    assert [hit["id"] for hit in found["results"]] == [note["id"]]


def test_control_characters_are_cleaned_the_documented_way(book: Path) -> None:
    title = "Chief\x07 officer\x1b[2J\x1b]0;pwned\x07 interview\x85\x9b31m\t end"
    body = "line one\r\nline two\x1b[31m red\x00\rline three\x0c\ttabbed\x7f\x9b2J"
    note = add_note(book, title, body, body_file=True)  # a NUL cannot be an argument
    # Titles: control characters become spaces, then runs of space become one.
    assert note["title"] == "Chief officer [2J ]0;pwned interview 31m end"
    # Bodies: line breaks normalised, control characters but tab and newline removed.
    assert note["body"] == "line one\nline two[31m red\nline three\ttabbed2J"
    shown = ok("--workbook", str(book), "note", "show", str(note["id"]))
    assert not any(ch in shown for ch in "\x1b\x07\x9b\x00\x7f")  # nothing for a terminal


def test_very_long_arguments_are_refused_in_one_sentence(book: Path) -> None:
    long = "x" * 100_000
    fails("--workbook", str(book), *ADD[:-1], long, words="at most 300 characters")
    fails("--workbook", str(book), "note", "add", "--force", long, "--title", "t", words="force")
    fails(
        "--workbook",
        str(book),
        "evidence",
        "add",
        "--force",
        "kent",
        "--title",
        "t",
        "--category",
        "other",
        "--reference",
        long,
        words="at most 300 characters",
    )
    # A long body is fine, up to its limit.
    note = add_note(book, "Long body", "word " * 20_000)
    assert note["body"] == "word " * 20_000


def test_arguments_in_bytes_that_are_not_utf8_are_refused(book: Path) -> None:
    bad = os.fsdecode(b"R\xe9union \xff\xfe")  # how Python sees such bytes on the command line
    before = folder_state(book)[book.name]
    fails("--workbook", str(book), *ADD[:-1], bad, words="not UTF-8")
    fails("--workbook", str(book), *ADD, "--body", bad, words="not UTF-8")
    fails(
        "--workbook",
        str(book),
        "evidence",
        "add",
        "--force",
        "kent",
        "--title",
        "t",
        "--category",
        "other",
        "--provided-by",
        bad,
        words="not UTF-8",
    )
    assert folder_state(book)[book.name] == before


@pytest.mark.parametrize(
    "query",
    [
        "x" * 100_000,
        "\x1b[2J\x07\x7f\x9b",  # (a NUL cannot be an argument)
        RTL_AND_EMOJI,
        "👮",
        '"unbalanced',
        "((((",
        "NEAR(a b",
        "title:secret",
        "body : x",
        "a OR OR b",
        "-",
        "*",
        "^training",
        "{title body}: x",
        os.fsdecode(b"\xff\xfe"),
    ],
)
def test_any_search_query_gives_results_or_a_sentence(book: Path, query: str) -> None:
    result = ctdesk("--workbook", str(book), "search", query, "--json")
    if result.returncode == 1:
        one_sentence(result.stderr)
    else:
        assert result.returncode == 0, result.stderr
        assert "results" in json.loads(result.stdout)


# ---- settings edited by hand ------------------------------------------------------------------

SETTINGS: dict[str, tuple[bytes, str, str]] = {
    # name: (file content, author to expect, words of the problem; "" = no problem)
    "not JSON": (b"{author: 'Jo'", AUTHOR, "Ignored the settings file"),
    "not UTF-8": (b'{"author": "J\xf6"}', AUTHOR, "Ignored the settings file"),
    "a list": (b'["Jo"]', AUTHOR, "not a JSON object"),
    "nested too deep": (b"[" * 100_000, AUTHOR, "Ignored the settings file"),
    "wrong types": (
        b'{"author": 42, "initials": ["J"], "default_marking": {}, "lock_minutes": "ten"}',
        AUTHOR,
        "is not a text value",
    ),
    "SECRET": (b'{"default_marking": "SECRET"}', AUTHOR, "Ignored the setting 'default_marking'"),
    "TOP SECRET": (b'{"default_marking": "TOP SECRET STRAP1"}', AUTHOR, "default_marking"),
    "huge author": (b'{"author": "' + b"J" * 5_000_000 + b'"}', "J" * 200, ""),
    "huge number": (b'{"lock_minutes": 1' + b"0" * 4000 + b"}", AUTHOR, "lock_minutes"),
    "long initials": (b'{"initials": "ABCDEFGHIJ"}', AUTHOR, "at most 5 letters"),
    "unknown keys": (b'{"theme": "dark", "author": "Jo Bloggs", "x": [1]}', "Jo Bloggs", ""),
    "control characters": (
        b'{"author": "Jo\\u001b]0;pwned\\u0007 Bloggs\\u009b"}',
        "Jo ]0;pwned Bloggs",
        "",
    ),
    "lone surrogate": (b'{"author": "Jo \\udcff"}', AUTHOR, "not UTF-8"),
}


@pytest.mark.parametrize("case", list(SETTINGS))
def test_hand_edited_settings_fall_back_with_a_message(
    isolated_folders: Path, book: Path, case: str
) -> None:
    content, author, problem = SETTINGS[case]
    settings_file = isolated_folders / "config" / "settings.json"
    settings_file.write_bytes(content)
    loaded = Settings.load(settings_file.parent)
    assert loaded.author == author
    assert loaded.default_marking == "OFFICIAL-SENSITIVE"
    if problem:
        assert any(problem in p for p in loaded.problems), loaded.problems
    else:
        assert loaded.problems == []
    for text in loaded.problems:
        assert "\n" not in text and len(text) < 1000, text[:200]

    shown = ctdesk("settings", "--json")
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    assert json.loads(shown.stdout)["author"] == author
    assert (problem in shown.stderr) if problem else shown.stderr == ""
    # Work goes on with the settings that could be read, under a sane author.
    note = json.loads(ok("--workbook", str(book), *ADD, "--json"))
    assert (
        json.loads(ok("--workbook", str(book), "note", "show", note["id"], "--json"))["author"]
        == author
    )


def test_a_settings_folder_in_place_of_the_file(isolated_folders: Path) -> None:
    settings_file = isolated_folders / "config" / "settings.json"
    settings_file.unlink()
    settings_file.mkdir()
    loaded = Settings.load(settings_file.parent)
    assert loaded.author == AUTHOR and loaded.problems
    result = ctdesk("settings")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    shutil.rmtree(settings_file)
