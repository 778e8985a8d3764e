"""The CLI through its real entry point (a subprocess running ``python -m ctdesk``)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctdesk.workbook import Workbook


def ctdesk(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.fixture
def wb(tmp_path: Path) -> str:
    path = tmp_path / "cli.ctdesk"
    result = ctdesk("--workbook", str(path), "init")
    assert result.returncode == 0, result.stderr
    return str(path)


def ok(*args: str, stdin: str | None = None) -> str:
    result = ctdesk(*args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def fails(*args: str, words: str, stdin: str | None = None) -> str:
    result = ctdesk(*args, stdin=stdin)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one sentence, one line
    return result.stderr


def test_init_creates_workbook_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "new.ctdesk"
    out = json.loads(ok("--workbook", str(path), "init", "--json"))
    assert out["path"] == str(path) and out["inspection"] == "ct4"
    size = path.stat().st_size
    fails("--workbook", str(path), "init", words="never overwrites")
    assert path.stat().st_size == size


def test_workbook_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.ctdesk"
    result = ctdesk("init", env={"CTDESK_WORKBOOK": str(path)})
    assert result.returncode == 0 and path.exists()
    result = ctdesk("forces", "--json", env={"CTDESK_WORKBOOK": str(path)})
    assert len(json.loads(result.stdout)) == 47


def test_default_workbook_lives_in_data_folder(isolated_folders: Path) -> None:
    ok("init")
    assert (isolated_folders / "data" / "workbook.ctdesk").exists()


def test_scope_json(wb: str) -> None:
    data = json.loads(ok("--workbook", wb, "scope", "--json"))
    inspections = data["inspections"]
    assert [i["code"] for i in inspections] == ["CT1", "CT2", "CT3", "CT4"]
    ct4 = inspections[-1]
    assert set(ct4) >= {"id", "code", "title", "year", "status", "areas"}
    assert [a["id"] for a in ct4["areas"]] == ["ct4.a1", "ct4.a2", "ct4.a3"]
    assert all(set(a) >= {"id", "code", "title", "lines_of_enquiry"} for a in ct4["areas"])
    assert inspections[0]["status"] == "not-published"


def test_scope_text(wb: str) -> None:
    out = ok("--workbook", wb, "scope")
    assert "CT4" in out and "A2  Consistency" in out


def test_forces_json(wb: str) -> None:
    forces = json.loads(ok("--workbook", wb, "forces", "--json"))
    kent = next(f for f in forces if f["id"] == "kent")
    assert kent["name"] == "Kent Police"
    assert (kent["nation"], kent["kind"], kent["region"]) == (
        "England",
        "territorial",
        "south-east",
    )
    assert {f["kind"] for f in forces} == {"territorial", "special", "scotland"}


def test_note_add_list_show_edit(wb: str, tmp_path: Path) -> None:
    added = json.loads(
        ok(
            "--workbook",
            wb,
            "note",
            "add",
            "--force",
            "KENT POLICE",
            "--title",
            "Interview",
            "--body",
            "Referral forms differ.",
            "--area",
            "A2",
            "--area",
            "ct4.a3",
            "--marking",
            "OFFICIAL",
            "--json",
        )
    )
    note_id = added["id"]
    plain_id = ok("--workbook", wb, "note", "add", "--force", "essex", "--title", "Other").strip()
    assert len(plain_id) == 36
    listed = json.loads(ok("--workbook", wb, "note", "list", "--force", "kent", "--json"))
    assert [n["id"] for n in listed] == [note_id]
    note = json.loads(ok("--workbook", wb, "note", "show", note_id[:8], "--json"))
    assert set(note) >= {
        "id",
        "force",
        "title",
        "body",
        "areas",
        "marking",
        "author",
        "created_at",
        "updated_at",
    }
    assert note["areas"] == ["ct4.a2", "ct4.a3"]
    assert note["force"] == "kent" and note["marking"] == "OFFICIAL"
    body_file = tmp_path / "body.md"
    body_file.write_text("# New\n\nRewritten from file.", encoding="utf-8")
    edited = json.loads(
        ok(
            "--workbook",
            wb,
            "note",
            "edit",
            note_id,
            "--body-file",
            str(body_file),
            "--area",
            "A1",
            "--json",
        )
    )
    assert edited["body"] == "# New\n\nRewritten from file."
    assert edited["areas"] == ["ct4.a1"]
    assert edited["title"] == "Interview"
    shown = ok("--workbook", wb, "note", "show", note_id)
    assert "Rewritten from file." in shown and "Kent Police" in shown


def test_note_body_from_stdin(wb: str) -> None:
    out = ok(
        "--workbook",
        wb,
        "note",
        "add",
        "--force",
        "kent",
        "--title",
        "t",
        "--body-file",
        "-",
        "--json",
        stdin="from stdin\n",
    )
    note = json.loads(ok("--workbook", wb, "note", "show", json.loads(out)["id"], "--json"))
    assert note["body"] == "from stdin\n"


def test_json_output_is_only_json(wb: str) -> None:
    result = ctdesk("--workbook", wb, "note", "list", "--json")
    assert json.loads(result.stdout) == []


def test_export_markdown(wb: str, tmp_path: Path) -> None:
    ok(
        "--workbook",
        wb,
        "note",
        "add",
        "--force",
        "kent",
        "--title",
        "Chief officer",
        "--body",
        "SENTINEL-TEXT-42",
        "--area",
        "A1",
    )
    out = tmp_path / "kent.md"
    ok("--workbook", wb, "export", "--force", "Kent Police", "--format", "md", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "SENTINEL-TEXT-42" in text
    assert text.startswith("**OFFICIAL-SENSITIVE**")
    assert text.rstrip().endswith("**OFFICIAL-SENSITIVE**")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("note", "add", "--force", "Atlantis", "--title", "t"), "no force called 'Atlantis'"),
        (("note", "add", "--force", "kent", "--title", "t", "--area", "A9"), "no area 'A9'"),
        (("note", "add", "--force", "kent", "--title", ""), "needs a title"),
        (("note", "add", "--force", "kent", "--title", "t", "--marking", "SECRET"), "SECRET"),
        (("note", "add", "--force", "kent", "--title", "t", "--marking", "BLUE"), "BLUE"),
        (
            ("note", "add", "--force", "kent", "--title", "t", "--body", "a", "--body-file", "x"),
            "not both",
        ),
        (
            ("note", "add", "--force", "kent", "--title", "t", "--body-file", "/no/such"),
            "Cannot read",
        ),
        (("note", "add", "--force", "kent"), "--title"),
        (("note", "show", "deadbeef"), "no note"),
        (("note", "edit", "deadbeef", "--title", "x"), "no note"),
        (("export", "--force", "Atlantis", "--out", "x.md"), "no force"),
        (("export", "--force", "kent", "--format", "odt", "--out", "x.md"), "odt"),
        (("export", "--force", "kent", "--out", "/no/such/folder/x.md"), "does not exist"),
        (("frobnicate",), "No such command"),
    ],
)
def test_bad_input_one_sentence_exit_1_nothing_written(
    wb: str, args: tuple[str, ...], words: str
) -> None:
    fails("--workbook", wb, *args, words=words)
    with Workbook.open(Path(wb)) as book:
        assert book.notes.all() == []


def test_missing_workbook(tmp_path: Path) -> None:
    fails("--workbook", str(tmp_path / "none.ctdesk"), "forces", words="no workbook at")
    assert not (tmp_path / "none.ctdesk").exists()


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "text.ctdesk"
    path.write_text("hello " * 1000)
    fails("--workbook", str(path), "note", "list", words="not a ctdesk workbook")
    assert path.read_text() == "hello " * 1000


def test_newer_schema_refused(wb: str) -> None:
    import sqlite3

    conn = sqlite3.connect(wb)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('ctdesk', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    fails("--workbook", wb, "forces", words="newer version of ctdesk")


def test_binary_body_file_refused(wb: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00\x81 not utf8")
    fails(
        "--workbook",
        wb,
        "note",
        "add",
        "--force",
        "kent",
        "--title",
        "t",
        "--body-file",
        str(bad),
        words="not UTF-8",
    )


def test_no_display_gives_a_sentence(wb: str) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "ctdesk", "--workbook", wb],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "no display" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert "Traceback" not in result.stderr


def test_screenshot_renders_png(wb: str, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    ok("--workbook", wb, "--screenshot", str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 500


def test_version_and_help() -> None:
    assert "ctdesk" in ok("--version")
    assert "note" in ok("--help")


def test_activity_commands(wb: str) -> None:
    listed = json.loads(ok("--workbook", wb, "activity", "list", "--force", "kent", "--json"))
    assert (listed["done"], listed["planned"]) == (0, 6)
    first = listed["activities"][0]["id"]
    ok("--workbook", wb, "activity", "set", first[:8], "--status", "done")
    new = json.loads(
        ok(
            "--workbook",
            wb,
            "activity",
            "add",
            "--force",
            "kent",
            "--kind",
            "observation",
            "--title",
            "Referral triage meeting",
            "--date",
            "2018-11-20",
            "--json",
        )
    )["id"]
    listed = json.loads(ok("--workbook", wb, "activity", "list", "--force", "kent", "--json"))
    assert (listed["done"], listed["planned"]) == (1, 7)
    assert listed["activities"][-1]["id"] == new
    fails(
        "--workbook",
        wb,
        "activity",
        "set",
        new,
        "--done-date",
        "yesterday-ish",
        words="not a done date",
    )
    fails(
        "--workbook",
        wb,
        "activity",
        "add",
        "--force",
        "kent",
        "--kind",
        "party",
        "--title",
        "x",
        words="not a kind of activity",
    )


def test_note_delete_restore_history_revert_and_trash(wb: str) -> None:
    note_id = ok(
        "--workbook", wb, "note", "add", "--force", "kent", "--title", "One", "--body", "first"
    ).strip()
    ok("--workbook", wb, "note", "edit", note_id, "--body", "second")
    history = json.loads(ok("--workbook", wb, "note", "history", note_id, "--json"))
    assert [h["op"] for h in history] == ["create", "edit"]
    ok("--workbook", wb, "note", "revert", note_id, "--to", history[0]["hash"][:10])
    assert json.loads(ok("--workbook", wb, "note", "show", note_id, "--json"))["body"] == "first"
    ok("--workbook", wb, "note", "delete", note_id)
    assert json.loads(ok("--workbook", wb, "note", "list", "--json")) == []
    trash = json.loads(ok("--workbook", wb, "trash", "--json"))
    assert [(t["kind"], t["id"]) for t in trash] == [("note", note_id)]
    ok("--workbook", wb, "note", "restore", note_id)
    assert json.loads(ok("--workbook", wb, "trash", "--json")) == []
    ok("--workbook", wb, "note", "delete", note_id)
    fails("--workbook", wb, "trash", "empty", words="--yes")
    ok("--workbook", wb, "trash", "empty", "--yes")
    fails("--workbook", wb, "note", "show", note_id, words="no note")
    fails("--workbook", wb, "note", "revert", "deadbeef", "--to", "abc", words="no note")
