"""Bundles, keys, conflicts and the team folder through the real ``ctdesk`` entry point."""

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pyrage
import pytest

from tests.age_tool import age_tool
from tests.test_cli import ctdesk, fails, ok


@pytest.fixture
def two(tmp_path: Path) -> tuple[str, str]:
    paths = []
    for name in ("alex", "bea"):
        path = str(tmp_path / f"{name}.ctdesk")
        ok("--workbook", path, "init")
        paths.append(path)
    return paths[0], paths[1]


def note(wb: str, title: str, body: str = "") -> str:
    out = ok("--workbook", wb, "note", "add", "--force", "kent", "--title", title, "--body", body)
    return out.strip().splitlines()[-1]


def test_export_refuses_to_write_unencrypted_without_saying_so(two, tmp_path):
    a, _ = two
    note(a, "Interview")
    out = tmp_path / "x.ctbundle"
    fails("--workbook", a, "bundle", "export", "--out", str(out), words="--no-encrypt")
    assert not out.exists()


def test_recipient_bundle_round_trip_twice_and_inspect(two, tmp_path):
    a, b = two
    note_id = note(a, "Interview with the Prevent lead", "Said the board meets monthly.")
    public = ok("key", "generate").strip()
    assert public.startswith("age1") and ok("key", "show").strip() == public
    out = tmp_path / "alex.ctbundle"
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--recipient", public)
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")
    shown = ok("bundle", "inspect", str(out), "--json")
    manifest = json.loads(shown)["manifest"]
    assert manifest["counts"]["note"] == 1 and manifest["highest_marking"] == "OFFICIAL-SENSITIVE"
    preview = json.loads(ok("--workbook", b, "bundle", "import", str(out), "--dry-run", "--json"))
    assert (preview["added"], preview["dry_run"]) == (1, True)
    assert json.loads(ok("--workbook", b, "note", "list", "--json")) == []
    first = json.loads(ok("--workbook", b, "bundle", "import", str(out), "--json"))
    assert {k: first[k] for k in ("added", "updated", "unchanged", "deleted", "conflicts")} == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "conflicts": 0,
    }
    again = json.loads(ok("--workbook", b, "bundle", "import", str(out), "--json"))
    assert (again["added"], again["unchanged"]) == (0, 1)
    shown = json.loads(ok("--workbook", b, "note", "show", note_id, "--json"))
    assert shown["body"] == "Said the board meets monthly." and shown["author"] != ""


def test_passphrase_bundle_and_wrong_passphrase(two, tmp_path):
    a, b = two
    note(a, "Focus group")
    secret, wrong = tmp_path / "pass.txt", tmp_path / "wrong.txt"
    secret.write_text("correct horse battery\n")
    wrong.write_text("not the passphrase\n")
    out = tmp_path / "p.ctbundle"
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--passphrase-file", str(secret))
    args = ("--workbook", b, "bundle", "import", str(out), "--passphrase-file")
    fails(*args, str(wrong), words="passphrase")
    assert json.loads(ok("--workbook", b, "note", "list", "--json")) == []
    ok(*args, str(secret))
    assert len(json.loads(ok("--workbook", b, "note", "list", "--json"))) == 1


def test_conflicts_listed_and_resolved_from_the_command_line(two, tmp_path):
    a, b = two
    note_id = note(a, "Channel panel", "start")
    out = tmp_path / "a.ctbundle"
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--no-encrypt")
    ok("--workbook", b, "bundle", "import", str(out))
    ok("--workbook", a, "note", "edit", note_id, "--body", "Alex's account")
    ok("--workbook", b, "note", "edit", note_id, "--body", "Bea's account")
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--no-encrypt")
    receipt = json.loads(ok("--workbook", b, "bundle", "import", str(out), "--json"))
    assert receipt["conflicts"] == 1 and receipt["conflict_ids"] == [note_id]
    listed = json.loads(ok("--workbook", b, "conflicts", "--json"))["conflicts"]
    [conflict] = listed
    bodies = {v["content"]["body"]: v for v in conflict["versions"]}
    assert set(bodies) == {"Alex's account", "Bea's account"}
    bea = bodies["Bea's account"]
    assert bea["mine"] and conflict["mine"] == bea["revision"]
    assert all(v["author"] and v["created_at"] for v in conflict["versions"])
    assert "Channel panel" in ok("--workbook", b, "conflicts")
    fails("--workbook", b, "conflicts", "resolve", "ffff0000", "--keep", "mine", words="conflict")
    ok("--workbook", b, "conflicts", "resolve", note_id[:8], "--keep", "theirs")
    assert json.loads(ok("--workbook", b, "conflicts", "--json"))["conflicts"] == []
    shown = json.loads(ok("--workbook", b, "note", "show", note_id, "--json"))
    assert shown["body"] == "Alex's account"


def test_sync_through_a_team_folder(two, tmp_path):
    a, b = two
    team = tmp_path / "team"
    team.mkdir()
    public = ok("key", "generate").strip()
    for wb in (a, b):
        ok("--workbook", wb, "team", "set", "--folder", str(team), "--recipient", public)
    note(a, "From Alex")
    note(b, "From Bea")
    ok("--workbook", a, "sync")
    report = json.loads(ok("--workbook", b, "sync", "--json"))
    assert report["wrote"] and sum(r["added"] for r in report["imported"].values()) == 1
    report = json.loads(ok("--workbook", a, "sync", "--json"))
    assert sum(r["added"] for r in report["imported"].values()) == 1
    titles = {n["title"] for n in json.loads(ok("--workbook", a, "note", "list", "--json"))}
    assert titles == {"From Alex", "From Bea"}
    # Bea's sync picks up Alex's bundle, which now relays her own note: nothing changes.
    settle = json.loads(ok("--workbook", b, "sync", "--json"))
    assert all(r["added"] + r["updated"] == 0 for r in settle["imported"].values())
    # Nothing new: nothing imported, nothing written.
    before = {p.name: p.stat().st_mtime_ns for p in team.iterdir()}
    for wb in (a, b):
        quiet = json.loads(ok("--workbook", wb, "sync", "--json"))
        assert quiet["imported"] == {} and not quiet["wrote"]
    assert {p.name: p.stat().st_mtime_ns for p in team.iterdir()} == before
    assert len(before) == 2


def test_sync_warns_when_the_workbook_lives_in_the_team_folder(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    wb = str(team / "inside.ctdesk")
    ok("--workbook", wb, "init")
    ok("key", "generate")
    ok("--workbook", wb, "team", "set", "--folder", str(team), "--recipient", ok("key", "show"))
    result = ctdesk("--workbook", wb, "sync")
    assert result.returncode == 0 and "inside the team folder" in result.stderr


def test_import_of_a_file_that_is_not_a_bundle_is_one_sentence(two, tmp_path):
    _, b = two
    junk = tmp_path / "junk.ctbundle"
    junk.write_text("hello")
    fails("--workbook", b, "bundle", "import", str(junk), words="not a ctdesk bundle")
    fails("--workbook", b, "bundle", "import", str(tmp_path / "none"), words="no file")


def test_the_format_is_age_the_reference_tool_opens_what_ctdesk_seals(two, tmp_path):
    a, b = two
    note(a, "Interoperable")
    public = ok("key", "generate").strip()
    out = tmp_path / "to-key.ctbundle"
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--recipient", public)
    identity = json.loads(ok("key", "show", "--json"))["identity_file"]
    opened = subprocess.run(
        [age_tool(), "-d", "-i", identity, str(out)], capture_output=True, check=True
    ).stdout
    with zipfile.ZipFile(io.BytesIO(opened)) as archive:
        assert json.loads(archive.read("manifest.json"))["format"] == "ctdesk-bundle"
    # ... and ctdesk imports a bundle the reference tool sealed.
    plain = tmp_path / "plain.zip"
    plain.write_bytes(opened)
    resealed = tmp_path / "by-age.ctbundle"
    subprocess.run([age_tool(), "-r", public, "-o", str(resealed), str(plain)], check=True)
    receipt = json.loads(ok("--workbook", b, "bundle", "import", str(resealed), "--json"))
    assert receipt["added"] == 1


def test_a_passphrase_bundle_opens_with_pyrage_outside_ctdesk(two, tmp_path):
    a, _ = two
    note(a, "Sealed with a passphrase")
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n")
    out = tmp_path / "p.ctbundle"
    ok("--workbook", a, "bundle", "export", "--out", str(out), "--passphrase-file", str(secret))
    opened = pyrage.passphrase.decrypt(out.read_bytes(), "correct horse battery")
    with zipfile.ZipFile(io.BytesIO(opened)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["counts"]["note"] == 1
