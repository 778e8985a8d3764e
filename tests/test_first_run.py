"""First run without a window: initials from a name, the demo workbook, the About facts."""

from pathlib import Path

import pytest

from ctdesk import about, first_run
from ctdesk.errors import WorkbookError
from ctdesk.workbook import Workbook


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Jo Bloggs", "JB"),
        ("  jo   bloggs ", "JB"),
        ("Mary-Anne O'Neil", "MAO"),
        ("Zoë Ó Dálaigh", "ZÓD"),
        ("J. R. R. Tolkien the Third", "JRRTT"),  # at most 5
        ("", ""),
        ("123 456", ""),
    ],
)
def test_initials_are_suggested_from_the_name(name: str, initials: str) -> None:
    assert first_run.suggest_initials(name) == initials


def test_the_demo_workbook_is_made_whole_in_the_data_folder(isolated_folders: Path) -> None:
    path = first_run.demo_path()
    assert path == isolated_folders / "data" / "demo.ctdesk"
    stages: list[str] = []
    made = first_run.make_demo_workbook(
        path, notes=60, progress=lambda stage, done, total: stages.append(stage)
    )
    assert made == path and {"plans", "notes"} <= set(stages)
    leftovers = [p.name for p in path.parent.iterdir() if ".part" in p.name]
    assert leftovers == []
    with Workbook.open(path) as wb:
        assert len(wb.notes.all()) == 60
        assert wb.highest_marking().label == "OFFICIAL-SENSITIVE"
    with pytest.raises(WorkbookError, match="never overwrites"):
        first_run.make_demo_workbook(path, notes=1)


def test_a_failed_demo_leaves_nothing_behind(
    isolated_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise WorkbookError("The disk is full; nothing was written.")

    monkeypatch.setattr(first_run.demo, "generate", broken)
    path = first_run.demo_path()
    with pytest.raises(WorkbookError, match="disk is full"):
        first_run.make_demo_workbook(path)
    assert list(path.parent.iterdir()) == []


def test_about_names_the_folders_and_versions(workbook: Workbook) -> None:
    rows = dict(about.workbook_details(workbook) + about.runtime_details())
    assert rows["Workbook"] == f"{workbook.path} (not encrypted)"
    assert rows["Backups folder"].endswith(workbook.id)
    assert rows["Settings folder"].endswith("config")
    assert rows["SQLCipher"][0].isdigit() and rows["SQLite"].startswith("3.")
    assert "Python: 3." in about.as_text(about.runtime_details())
