"""Markdown export: golden file, marking top and bottom, escaping, atomic writes."""

import os
from pathlib import Path

import pytest

from ctdesk import export
from ctdesk.errors import CtdeskError
from ctdesk.export import markdown
from ctdesk.workbook import Workbook
from tests.export_samples import HOSTILE, SENTINEL, sample_document

GOLDEN = Path(__file__).parent / "golden" / "sample.md"


def test_golden_markdown() -> None:
    text = markdown.render(sample_document()).decode("utf-8")
    if os.environ.get("CTDESK_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_marking_top_and_bottom_and_text_escaped() -> None:
    text = markdown.render(sample_document(marking="OFFICIAL")).decode("utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == lines[-1] == "**OFFICIAL**"
    assert SENTINEL in text
    assert HOSTILE not in text  # the raw HTML is escaped, not passed through
    assert "\\<script\\>" in text


def test_force_export_writes_atomically_and_leaves_no_temp_files(
    workbook: Workbook, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    workbook.notes.add(force="kent", title="t", body="body words")
    path = export.export_force(workbook, "kent", "md", out_dir / "kent.md")
    assert "body words" in path.read_text(encoding="utf-8")
    assert [p.name for p in out_dir.iterdir()] == ["kent.md"]


def test_failed_write_keeps_the_old_file(
    workbook: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kent.md"
    target.write_text("previous export")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(CtdeskError, match="No space left"):
        export.export_force(workbook, "kent", "md", target)
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".ctdesk-tmp")] == []
