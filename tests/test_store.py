"""The workbook file: creation, re-opening, migrations and refusals."""

import sqlite3
from pathlib import Path

import pytest

from ctdesk.db import migrations
from ctdesk.errors import WorkbookError
from ctdesk.workbook import Workbook


def test_new_workbook_records_every_migration_and_pragmas(workbook: Workbook) -> None:
    applied = [m.name for m in migrations.migrations.applied(workbook.db)]
    assert applied == migrations.known_names()
    conn = workbook.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_reopen_keeps_identity_and_notes(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        wb_id = wb.id
        note = wb.notes.add(force="kent", title="Interview", body="Said X").value
    with Workbook.open(workbook_path) as wb:
        assert wb.id == wb_id
        assert wb.notes.get(note.id).body == "Said X"
        assert [m.name for m in migrations.migrations.applied(wb.db)] == migrations.known_names()


def test_create_refuses_to_overwrite(workbook_path: Path) -> None:
    workbook_path.write_text("precious")
    with pytest.raises(WorkbookError, match="never overwrites"):
        Workbook.create(workbook_path)
    assert workbook_path.read_text() == "precious"


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="no workbook at"):
        Workbook.open(tmp_path / "nope.ctdesk")
    assert not (tmp_path / "nope.ctdesk").exists()


def test_open_non_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"just some text, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="not a ctdesk workbook"):
        Workbook.open(path)
    assert path.read_bytes() == before


def test_open_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="another program"):
        Workbook.open(path)
    assert path.read_bytes() == before


def test_workbook_from_newer_version_is_refused_not_modified(workbook_path: Path) -> None:
    Workbook.create(workbook_path).close()
    conn = sqlite3.connect(workbook_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ("ctdesk", "9999_from_the_future", "2030-01-01"),
    )
    conn.commit()
    conn.close()
    before = workbook_path.read_bytes()
    with pytest.raises(WorkbookError, match="newer version of ctdesk"):
        Workbook.open(workbook_path)
    assert workbook_path.read_bytes() == before


def test_failed_migration_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(migrations, "apply", broken)
    folder = tmp_path / "workbooks"
    folder.mkdir()
    with pytest.raises(RuntimeError):
        Workbook.create(folder / "new.ctdesk")
    assert list(folder.iterdir()) == []
