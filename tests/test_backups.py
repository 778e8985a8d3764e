"""Backups: rotation keeps what it promises, restore round-trips, encrypted backups say nothing."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctdesk import backups, passphrase
from ctdesk.backups import KEPT_DAYS, KEPT_HOURS, KEPT_WEEKS, Stamp
from ctdesk.db import connection
from ctdesk.errors import PassphraseNeeded, WorkbookError, WrongPassphrase
from ctdesk.workbook import Workbook

SECRET = "correct horse battery staple"
SENTINEL = "QUOKKA-7731-SENTINEL"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# ---- rotation ------------------------------------------------------------------------------

stamps = st.lists(
    st.builds(
        Stamp,
        st.integers(min_value=0, max_value=120 * 24 * 3600 * 1000).map(
            lambda ms: T0 + timedelta(milliseconds=ms)
        ),
        st.sampled_from(backups.REASONS),
    ),
    max_size=300,
)


def _periods(items: list[Stamp], period: str) -> list[object]:
    def key(at: datetime) -> object:
        if period == "hour":
            return (at.date(), at.hour)
        if period == "day":
            return at.date()
        return at.isocalendar()[:2]

    seen: list[object] = []
    for s in sorted(items, reverse=True):
        if key(s.at) not in seen:
            seen.append(key(s.at))
    return seen


@settings(max_examples=300, deadline=None)
@given(stamps)
def test_rotation_keeps_what_it_promises(items: list[Stamp]) -> None:
    kept = backups.to_keep(items)
    assert kept <= set(items)
    automatic = [s for s in set(items) if s.reason != "manual"]
    kept_auto = [s for s in kept if s.reason != "manual"]
    # every manual backup, the newest of all, and at most 12 + 14 + 8 (+ 5) automatic ones
    assert {s for s in items if s.reason == "manual"} <= kept
    if items:
        assert max(items) in kept
    assert len(kept_auto) <= KEPT_HOURS + KEPT_DAYS + KEPT_WEEKS + len(backups.AUTOMATIC)
    for reason in backups.AUTOMATIC:  # the newest before each kind of risky operation
        of_reason = [s for s in items if s.reason == reason]
        assert not of_reason or max(of_reason) in kept
    # the newest of each of the most recent periods that have one
    for period, count in (("hour", KEPT_HOURS), ("day", KEPT_DAYS), ("week", KEPT_WEEKS)):
        for key in _periods(automatic, period)[:count]:
            newest = max(s for s in automatic if _periods([s], period)[0] == key)
            assert newest in kept, (period, key)
    # rotating what rotation kept removes nothing more
    assert backups.to_keep(kept) == kept


def test_hourly_backups_for_ten_weeks_keep_the_promised_counts() -> None:
    items = [Stamp(T0 + timedelta(hours=h, minutes=7), "open") for h in range(70 * 24)]
    kept = backups.to_keep(items)
    newest = items[-1].at
    hourly = [s for s in kept if newest - s.at < timedelta(hours=KEPT_HOURS)]
    assert len(hourly) == KEPT_HOURS
    days = sorted({s.at.date() for s in items}, reverse=True)[:KEPT_DAYS]
    assert days == sorted({s.at.date() for s in kept}, reverse=True)[:KEPT_DAYS]
    weeks = sorted({s.at.isocalendar()[:2] for s in items}, reverse=True)[:KEPT_WEEKS]
    assert weeks == sorted({s.at.isocalendar()[:2] for s in kept}, reverse=True)
    assert len(kept) <= KEPT_HOURS + KEPT_DAYS + KEPT_WEEKS
    assert min(s.at for s in kept) > newest - timedelta(weeks=KEPT_WEEKS)


def test_a_season_away_keeps_the_old_backups() -> None:
    before = [Stamp(T0 + timedelta(days=d), "open") for d in range(20)]
    after = [*before, Stamp(T0 + timedelta(days=200), "open")]
    assert len(backups.to_keep(after)) == len(backups.to_keep(before)) + 1


def test_rotate_removes_files_as_to_keep_says_and_leaves_others(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    items = [Stamp(T0 + timedelta(minutes=20 * i), "open") for i in range(100)]
    items.append(Stamp(T0, "manual"))
    for s in items:
        (folder / backups.file_name(s.at, s.reason)).write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    stale = folder / ".20260302T090000.000Z-open.ctdesk.1.partial"
    fresh = folder / ".20260302T090001.000Z-open.ctdesk.2.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    now = datetime.now(UTC)
    os.utime(stale, (now.timestamp() - 7200, now.timestamp() - 7200))

    removed = backups.rotate(folder, now)

    left = {b.stamp for b in backups.list_backups(folder)}
    assert left == backups.to_keep(items)
    assert len(removed) == len(items) - len(left)
    assert (folder / "notes.txt").exists() and fresh.exists() and not stale.exists()


def test_names_carry_time_and_reason() -> None:
    at = datetime(2026, 1, 29, 9, 40, 12, 123456, tzinfo=UTC)
    name = backups.file_name(at, "before-empty-trash")
    assert name == "20260129T094012.123Z-before-empty-trash.ctdesk"
    assert backups.parse_name(name) == Stamp(at.replace(microsecond=123000), "before-empty-trash")
    assert backups.parse_name("20260129T094012.123Z-holiday.ctdesk") is None
    assert backups.parse_name("workbook.ctdesk") is None


# ---- taking backups ------------------------------------------------------------------------


def test_backup_folder_is_per_workbook_under_the_data_folder(
    workbook: Workbook, isolated_folders: Path
) -> None:
    made = backups.backup(workbook, "manual")
    assert made.parent == isolated_folders / "data" / "backups" / workbook.id
    assert made.parent != workbook.path.parent
    (found,) = backups.backups_of(workbook)
    assert (found.path, found.reason, found.encrypted) == (made, "manual", False)
    assert found.size == made.stat().st_size > 0
    assert backups.folder_for("../../etc") == backups.root() / "______etc"


def test_backup_on_open_at_most_one_an_hour(workbook: Workbook) -> None:
    first = backups.backup_on_open(workbook, now=T0)
    assert first is not None and "-open." in first.name
    assert backups.backup_on_open(workbook, now=T0 + timedelta(minutes=59)) is None
    second = backups.backup_on_open(workbook, now=T0 + timedelta(minutes=61))
    assert second is not None and second != first
    assert [b.reason for b in backups.backups_of(workbook)] == ["open", "open"]


def test_backup_contains_what_is_still_in_the_write_ahead_log(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="Fresh", body="only in the WAL").value
    assert Path(f"{workbook.path}-wal").stat().st_size > 0
    made = backups.backup(workbook, "manual")
    with Workbook.open(made) as copy:
        assert copy.notes.get(note.id).body == "only in the WAL"
    assert not list(made.parent.glob(".*"))  # no temporary file left behind


def test_backup_in_the_middle_of_a_change_takes_what_is_committed(workbook: Workbook) -> None:
    kept = workbook.notes.add(force="kent", title="Kept", body="committed").value
    with workbook.db.atomic():
        half = workbook.notes.add(force="kent", title="Half", body="not yet").value
        made = backups.backup(workbook, "manual")  # must not wait for this very transaction
    with Workbook.open(made) as copy:
        assert copy.notes.exists(kept.id) and not copy.notes.exists(half.id)


def test_the_backup_api_never_waits_for_its_own_transaction(workbook: Workbook) -> None:
    from ctdesk.db import backup as backup_db

    with workbook.db.atomic(), pytest.raises(WorkbookError, match="middle of a change"):
        workbook.notes.add(force="kent", title="Half", body="written")
        backup_db.copy_database(workbook.db, workbook.path.with_name("x.ctdesk"), None)


def test_backup_to_out_refuses_to_overwrite(workbook: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "copy.ctdesk"
    backups.backup_to(workbook, out)
    size = out.stat().st_size
    with pytest.raises(WorkbookError, match="never overwrites"):
        backups.backup_to(workbook, out)
    assert out.stat().st_size == size
    assert backups.backups_of(workbook) == []  # a copy elsewhere is not a rotated backup


def test_emptying_the_trash_backs_up_first(workbook: Workbook) -> None:
    workbook.empty_trash()
    assert backups.backups_of(workbook) == []  # nothing to remove, nothing to back up
    note = workbook.notes.add(force="kent", title="Doomed", body="gone soon").value
    workbook.notes.delete(note.id)
    workbook.empty_trash()
    (made,) = backups.backups_of(workbook)
    assert made.reason == "before-empty-trash"
    with Workbook.open(made.path) as copy:
        assert copy.notes.get(note.id).body == "gone soon"


def _all_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


@pytest.mark.parametrize("encrypted", [True, False])
def test_encrypted_backups_contain_no_sentinel(
    tmp_path: Path, isolated_folders: Path, encrypted: bool
) -> None:
    key = SECRET if encrypted else None
    path = tmp_path / "secret.ctdesk"
    wb = Workbook.create(path, passphrase=key)
    note = wb.notes.add(force="kent", title=f"Title {SENTINEL}", body=f"Body {SENTINEL}").value
    gone = wb.notes.add(force="kent", title="Trash", body=f"trashed {SENTINEL}").value
    wb.notes.delete(gone.id)
    backups.backup_on_open(wb)
    backups.backup(wb, "manual")
    wb.empty_trash()
    out = tmp_path / "elsewhere" / "copy.ctdesk"
    out.parent.mkdir()
    backups.backup_to(wb, out)
    (manual,) = [b.path for b in backups.backups_of(wb) if b.reason == "manual"]
    wb.close()
    backups.restore(path, manual, key)

    files = _all_bytes(isolated_folders / "data" / "backups") + _all_bytes(out.parent)
    # Beside the backups: where their workbook lives (a path, no content).
    files = [(p, data) for p, data in files if p.name != backups.SOURCE_FILE]
    reasons = {backups.parse_name(p.name).reason for p, _ in files if backups.parse_name(p.name)}
    assert reasons == {"manual", "open", "before-empty-trash", "before-restore"}
    assert all(backups.parse_name(p.name) or p == out for p, _ in files)  # nothing half-made
    needle = SENTINEL.encode()
    if encrypted:
        for p, data in files:
            assert needle not in data, p
            assert connection.is_encrypted(p)
        assert needle not in path.read_bytes()
    else:  # the same test finds the text when there is no passphrase
        assert all(needle in data for _, data in files)
    with Workbook.open(path, passphrase=key) as back:
        assert back.notes.get(note.id).title == f"Title {SENTINEL}"


# ---- restore -------------------------------------------------------------------------------


def test_restore_round_trip(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path)
    note = wb.notes.add(force="kent", title="Interview", body="As first written.").value
    kept = backups.backup(wb, "manual")
    wb.notes.edit(note.id, body="Edited afterwards.", title="Changed")
    later = wb.notes.add(force="kent", title="Later", body="after the backup").value
    wb.close()

    before = backups.restore(workbook_path, kept, None)

    with Workbook.open(workbook_path) as back:
        restored = back.notes.get(note.id)
        assert (restored.title, restored.body) == ("Interview", "As first written.")
        assert restored.head == note.head
        assert not back.notes.exists(later.id)
        assert {b.reason for b in backups.backups_of(back)} == {"manual", "before-restore"}
    assert before is not None and "before-restore" in before.name
    with Workbook.open(before) as previous:  # the state replaced is kept
        assert previous.notes.get(note.id).body == "Edited afterwards."
        assert previous.notes.exists(later.id)
    assert sorted(p.name for p in workbook_path.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_encrypted_needs_and_keeps_its_passphrase(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path, passphrase=SECRET)
    note = wb.notes.add(force="kent", title="Sealed", body="first").value
    kept = backups.backup(wb, "manual")
    wb.notes.edit(note.id, body="second")
    wb.close()
    original = workbook_path.read_bytes()
    with pytest.raises(PassphraseNeeded, match="nothing was changed"):
        backups.restore(workbook_path, kept, None)
    with pytest.raises(WrongPassphrase, match="nothing was changed"):
        backups.restore(workbook_path, kept, SECRET, backup_passphrase="not the passphrase")
    assert workbook_path.read_bytes() == original
    backups.restore(workbook_path, kept, SECRET)
    with Workbook.open(workbook_path, passphrase=SECRET) as back:
        assert back.notes.get(note.id).body == "first"


def _corrupt_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2)
        f.write(b"\xa5" * 200)


def test_restore_refuses_a_corrupt_backup_and_changes_nothing(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path, passphrase=SECRET)
    wb.notes.add(force="kent", title="Sealed", body="text " * 2000)
    kept = backups.backup(wb, "manual")
    wb.close()
    _corrupt_middle(kept)
    original = workbook_path.read_bytes()
    folder_before = sorted(kept.parent.iterdir())

    with pytest.raises(WorkbookError, match="not restored") as caught:
        backups.restore(workbook_path, kept, SECRET)

    assert "\n" not in str(caught.value)
    assert workbook_path.read_bytes() == original
    assert sorted(kept.parent.iterdir()) == folder_before  # not even a before-restore backup
    assert not [p for p in workbook_path.parent.iterdir() if p.name.startswith(".")]


def test_restore_refuses_a_missing_backup_and_the_workbook_itself(workbook_path: Path) -> None:
    Workbook.create(workbook_path).close()
    with pytest.raises(WorkbookError, match="There is no backup"):
        backups.restore(workbook_path, workbook_path.with_name("nope.ctdesk"), None)
    with pytest.raises(WorkbookError, match="the workbook itself"):
        backups.restore(workbook_path, workbook_path, None)


def test_restore_refuses_while_the_workbook_is_open(workbook: Workbook) -> None:
    kept = backups.backup(workbook, "manual")
    with pytest.raises(WorkbookError, match="open for writing in ctdesk"):
        backups.restore(workbook.path, kept, None)
    assert [b.reason for b in backups.backups_of(workbook)] == ["manual"]


def test_restore_refuses_while_the_workbook_is_open_read_only(workbook_path: Path) -> None:
    Workbook.create(workbook_path).close()
    with Workbook.open(workbook_path, read_only=True) as reader:
        kept = backups.backup(reader, "manual")
        before = workbook_path.read_bytes()
        with pytest.raises(WorkbookError, match="open in another ctdesk"):
            backups.restore(workbook_path, kept, None)
        assert workbook_path.read_bytes() == before
        assert reader.notes.all() == []


def test_restore_where_the_workbook_was_lost(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path)
    note = wb.notes.add(force="kent", title="Saved", body="in the backup").value
    kept = backups.backup(wb, "manual")
    wb.close()
    workbook_path.unlink()
    assert backups.restore(workbook_path, kept, None) is None
    with Workbook.open(workbook_path) as back:
        assert back.notes.get(note.id).body == "in the backup"


def test_restore_over_a_damaged_workbook_keeps_a_copy_of_it(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path, passphrase=SECRET)
    kept = backups.backup(wb, "manual")
    wb.close()
    workbook_path.write_bytes(b"\x00" * 8192)  # beyond repair
    before = backups.restore(workbook_path, kept, SECRET)
    assert before is not None and before.read_bytes() == b"\x00" * 8192
    Workbook.open(workbook_path, passphrase=SECRET).close()


# ---- re-keying -----------------------------------------------------------------------------


def test_rekey_backups_follows_the_workbook(workbook_path: Path) -> None:
    wb = Workbook.create(workbook_path)
    wb.notes.add(force="kent", title="Plain", body=SENTINEL)
    backups.backup(wb, "manual")
    wb.close()
    made = backups.backup_file(workbook_path, None, "before-rekey")
    assert SENTINEL.encode() in made.read_bytes()

    passphrase.set_passphrase(workbook_path, SECRET)  # re-keys the backups too

    with Workbook.open(workbook_path, passphrase=SECRET) as wb:
        found = backups.backups_of(wb)
    assert {b.reason for b in found} == {"before-rekey", "manual"}
    for b in found:
        assert b.encrypted and SENTINEL.encode() not in b.path.read_bytes()
        Workbook.open(b.path, passphrase=SECRET).close()


# ---- the command line ----------------------------------------------------------------------


def ctdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
        timeout=60,
    )


def one_sentence(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert words in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_cli_backup_backups_restore(tmp_path: Path) -> None:
    wb = str(tmp_path / "cli.ctdesk")
    assert ctdesk("--workbook", wb, "init").returncode == 0
    added = ctdesk(
        "--workbook", wb, "note", "add", "--force", "kent", "--title", "T", "--body", "B"
    )
    assert added.returncode == 0, added.stderr
    note_id = added.stdout.strip()

    listed = json.loads(ctdesk("--workbook", wb, "backups", "--json").stdout)
    assert [b["reason"] for b in listed["backups"]] == ["open"]  # the first open of the hour

    made = ctdesk("--workbook", wb, "backup", "--json")
    assert made.returncode == 0, made.stderr
    manual = json.loads(made.stdout)["path"]
    text = ctdesk("--workbook", wb, "backups")
    assert text.returncode == 0 and "manual" in text.stdout and "not encrypted" in text.stdout

    out = tmp_path / "copy.ctdesk"
    assert ctdesk("--workbook", wb, "backup", "--out", str(out)).returncode == 0
    one_sentence(ctdesk("--workbook", wb, "backup", "--out", str(out)), "never overwrites")

    edited = ctdesk("--workbook", wb, "note", "edit", note_id, "--body", "changed")
    assert edited.returncode == 0, edited.stderr
    one_sentence(ctdesk("--workbook", wb, "restore", manual), "--yes")
    one_sentence(
        ctdesk("--workbook", wb, "restore", str(tmp_path / "none.ctdesk"), "--yes"),
        "There is no backup",
    )
    bad = tmp_path / "bad.ctdesk"
    bad.write_bytes(b"not a workbook at all" * 100)
    before = Path(wb).read_bytes()
    one_sentence(ctdesk("--workbook", wb, "restore", str(bad), "--yes"), "not restored")
    assert Path(wb).read_bytes() == before

    restored = ctdesk("--workbook", wb, "restore", manual, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stderr
    shown = json.loads(ctdesk("--workbook", wb, "note", "show", note_id, "--json").stdout)
    assert shown["body"] == "B"


def test_cli_backups_without_a_workbook(tmp_path: Path) -> None:
    one_sentence(
        ctdesk("--workbook", str(tmp_path / "gone.ctdesk"), "backups"), "ctdesk restore BACKUP"
    )


def test_cli_goes_on_when_the_backup_on_open_fails(tmp_path: Path) -> None:
    wb = str(tmp_path / "cli.ctdesk")
    assert ctdesk("--workbook", wb, "init").returncode == 0
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    result = subprocess.run(
        [sys.executable, "-m", "ctdesk", "--workbook", wb, "forces", "--json"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "CTDESK_DATA_DIR": str(blocked)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 47
    assert "not backed up on opening" in result.stderr and "Traceback" not in result.stderr
