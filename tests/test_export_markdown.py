"""The force summary in Markdown: golden file, markings, grouping, escaping, atomic writes."""

import os
from dataclasses import replace
from pathlib import Path

import pytest

from ctdesk import export
from ctdesk.errors import CtdeskError
from ctdesk.export import force_summary, markdown
from ctdesk.workbook import Workbook

GOLDEN = Path(__file__).parent / "golden" / "kent-summary.md"
FIXED = "2026-11-29T10:00:00.000Z"


def fixed_summary(workbook: Workbook) -> force_summary.ForceSummary:
    workbook.notes.add(
        force="kent",
        title="Interview: chief officer [ACC] #1",
        body="# Training\n\nTraining is **mandatory**.\n\n- tracked monthly\n- 87% done",
        areas=["A1", "A3"],
        marking="OFFICIAL-SENSITIVE",
    )
    workbook.notes.add(
        force="kent",
        title="Focus group",
        body="Officers knew the SPOC.",
        areas=["A1"],
        marking="OFFICIAL",
    )
    workbook.notes.add(force="kent", title="Loose thought", body="", marking="OFFICIAL")
    summary = force_summary.build(workbook, "kent")
    notes = tuple(
        replace(n, created_at=FIXED, updated_at=FIXED, author="A. Inspector") for n in summary.notes
    )
    by_id = {n.id: n for n in notes}
    sections = tuple(
        replace(s, notes=tuple(by_id[n.id] for n in s.notes)) for s in summary.sections
    )
    return replace(
        summary,
        notes=notes,
        sections=sections,
        exported_at="2026-11-29 10:00 UTC",
        author="A. Inspector",
        version="0.1.0",
    )


def test_golden_force_summary(workbook: Workbook) -> None:
    text = markdown.render(fixed_summary(workbook))
    if os.environ.get("CTDESK_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_marking_is_the_highest_and_sits_top_and_bottom(workbook: Workbook) -> None:
    workbook.notes.add(force="kent", title="a", marking="OFFICIAL")
    text = markdown.render(force_summary.build(workbook, "kent"))
    assert text.splitlines()[0] == "**OFFICIAL**"
    workbook.notes.add(force="kent", title="b", marking="OFFICIAL-SENSITIVE PERSONAL DATA")
    text = markdown.render(force_summary.build(workbook, "kent"))
    lines = text.strip().splitlines()
    assert lines[0] == lines[-1] == "**OFFICIAL-SENSITIVE**"


def test_other_forces_notes_are_not_included(workbook: Workbook) -> None:
    workbook.notes.add(force="kent", title="Kent only", body="KENT-TEXT")
    workbook.notes.add(force="essex", title="Essex only", body="ESSEX-TEXT")
    text = markdown.render(force_summary.build(workbook, "kent"))
    assert "KENT-TEXT" in text and "ESSEX-TEXT" not in text


def test_export_writes_atomically_and_leaves_no_temp_files(
    workbook: Workbook, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    workbook.notes.add(force="kent", title="t", body="body")
    path = export.export_force(workbook, "kent", "md", out_dir / "kent.md")
    assert path.read_text(encoding="utf-8").count("body") == 1
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
