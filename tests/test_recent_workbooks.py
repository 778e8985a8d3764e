"""The recent workbooks list: most recent first, no repeats, at most eight, never fatal."""

from pathlib import Path

import pytest

from ctdesk import paths, recent_workbooks
from ctdesk.recent_workbooks import LIMIT, RECENT_FILE


def test_most_recent_first_without_repeats(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ctdesk", tmp_path / "b.ctdesk"
    recent_workbooks.add(a)
    recent_workbooks.add(b)
    assert recent_workbooks.load() == [b, a]
    recent_workbooks.add(a)  # opened again: moves up, not in twice
    assert recent_workbooks.load() == [a, b]
    assert (paths.config_dir() / RECENT_FILE).exists()


def test_at_most_eight_and_the_oldest_go(tmp_path: Path) -> None:
    for number in range(LIMIT + 3):
        recent_workbooks.add(tmp_path / f"w{number}.ctdesk")
    kept = recent_workbooks.load()
    assert len(kept) == LIMIT == 8
    assert kept[0].name == f"w{LIMIT + 2}.ctdesk" and kept[-1].name == "w3.ctdesk"


def test_paths_are_kept_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    recent_workbooks.add(Path("here.ctdesk"))
    assert recent_workbooks.load() == [tmp_path / "here.ctdesk"]


def test_remove_and_clear(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ctdesk", tmp_path / "b.ctdesk"
    recent_workbooks.add(a)
    recent_workbooks.add(b)
    assert recent_workbooks.remove(a) == [b]
    recent_workbooks.clear()
    assert recent_workbooks.load() == []


def test_a_damaged_file_is_an_empty_list(tmp_path: Path) -> None:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for junk in ("not json {", '"a string"', '{"workbooks": 3}', "[" * 100_000):
        (folder / RECENT_FILE).write_text(junk, encoding="utf-8")
        assert recent_workbooks.load() == []
    (folder / RECENT_FILE).write_text(
        '{"workbooks": [3, null, "", "/x/a.ctdesk", "/x/a.ctdesk", "nul\\u0000.ctdesk"]}',
        encoding="utf-8",
    )
    assert recent_workbooks.load() == [Path("/x/a.ctdesk")]  # the rest skipped
    recent_workbooks.add(tmp_path / "b.ctdesk")  # and it is usable again
    assert recent_workbooks.load() == [tmp_path / "b.ctdesk", Path("/x/a.ctdesk")]


def test_a_folder_that_refuses_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    assert recent_workbooks.add(tmp_path / "a.ctdesk", blocker) == [tmp_path / "a.ctdesk"]
    assert recent_workbooks.load(blocker) == []
