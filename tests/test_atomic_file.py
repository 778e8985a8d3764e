"""Files replaced whole or not at all."""

import os
from pathlib import Path

import pytest

from ctdesk.atomic_file import replace_whole


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.bin"
    target.write_bytes(b"old")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        replace_whole(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["out.bin"]


def test_the_mode_is_set_before_the_data_lands(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    replace_whole(target, b"key", mode=0o600)
    assert target.read_bytes() == b"key"
    assert target.stat().st_mode & 0o777 == 0o600
