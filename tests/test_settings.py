"""Settings: who writes, default marking; a hand-edited file never stops ctdesk."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ctdesk.errors import CtdeskError
from ctdesk.settings import Settings


def test_round_trip(tmp_path: Path) -> None:
    Settings(author="Jo Bloggs", initials="JB", default_marking="OFFICIAL").save(tmp_path)
    loaded = Settings.load(tmp_path)
    assert (loaded.author, loaded.initials, loaded.default_marking) == (
        "Jo Bloggs",
        "JB",
        "OFFICIAL",
    )
    assert loaded.problems == []


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", '{"author": 42}', '{"default_marking": "SECRET"}', "\x00\x01"],
)
def test_hand_edited_nonsense_falls_back_to_defaults(tmp_path: Path, content: str) -> None:
    (tmp_path / "settings.json").write_text(content)
    loaded = Settings.load(tmp_path)
    assert loaded.problems
    assert loaded.default_marking == "OFFICIAL-SENSITIVE"


def test_update_validates() -> None:
    with pytest.raises(CtdeskError, match="cannot be empty"):
        Settings().update(author="   ")
    with pytest.raises(CtdeskError, match="SECRET"):
        Settings().update(default_marking="SECRET")
    assert Settings().update(initials=" a b ").initials == "AB"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_settings() -> None:
    result = run("settings", "--author", "Jo Bloggs", "--initials", "jb", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["author"] == "Jo Bloggs"
    assert json.loads(run("settings", "--json").stdout)["initials"] == "JB"
    bad = run("settings", "--default-marking", "TOP SECRET")
    assert bad.returncode == 1 and "TOP SECRET" in bad.stderr
    assert json.loads(run("settings", "--json").stdout)["default_marking"] == "OFFICIAL-SENSITIVE"
