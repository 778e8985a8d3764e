"""``ctdesk demo``: deterministic, realistic, and consistent with what the services write."""

import json
import subprocess
import sys
from pathlib import Path

from ctdesk import history
from ctdesk.demo import generate
from ctdesk.workbook import Workbook


def fill(path: Path, notes: int, seed: int) -> Workbook:
    wb = Workbook.create(path)
    generate(wb, notes=notes, seed=seed)
    return wb


def snapshot(wb: Workbook) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return sorted((n.id, n.title, n.body, n.areas) for n in wb.notes.all())


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    with fill(tmp_path / "a.ctdesk", 300, 5) as a, fill(tmp_path / "b.ctdesk", 300, 5) as b:
        assert snapshot(a) == snapshot(b)
        assert sorted(d.id for d in a.documents.all()) == sorted(d.id for d in b.documents.all())
    with fill(tmp_path / "c.ctdesk", 300, 6) as c, Workbook.open(tmp_path / "a.ctdesk") as a:
        assert snapshot(a) != snapshot(c)


def test_realistic_spread(workbook: Workbook) -> None:
    summary = generate(workbook, notes=2000, seed=3)
    notes = workbook.notes.all()
    assert len(notes) == summary.notes == 2000
    forces = {n.force_id for n in notes}
    assert len(forces) == 46
    assert sum(bool(n.areas) for n in notes) > 0.9 * len(notes)
    assert sum(n.activity_id is not None for n in notes) > 0.5 * len(notes)
    assert {n.marking for n in notes} == {
        "OFFICIAL",
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE PERSONAL DATA",
    }
    progress = workbook.activities.progress()
    assert progress.done > 0.7 * progress.planned
    assert workbook.documents.counts()[0] >= 8 * 46
    words = sum(len(n.body.split()) for n in notes) / len(notes)
    assert 30 < words < 600


def test_findings_cite_their_own_force_and_validate(workbook: Workbook) -> None:
    generate(workbook, notes=500, seed=2)
    findings = workbook.findings.all()
    assert findings
    for finding in findings:
        for evidence_id in finding.evidence:
            ref = workbook.findings.evidence_ref(evidence_id)
            assert ref.record.force_id == finding.force_id
    concerns = [f for f in findings if f.kind == "cause-of-concern"]
    assert any(f.recommendations for f in concerns)


def test_generated_revisions_are_genuine(workbook: Workbook) -> None:
    generate(workbook, notes=50, seed=9)
    note = workbook.notes.all()[0]
    (rev,) = workbook.notes.history(note.id)
    again = history.make(
        kind="note",
        record_id=note.id,
        content=workbook.notes.content(note),
        parents=(),
        op="create",
        author=rev.author,
        workbook_id=rev.workbook_id,
        created_at=rev.created_at,
    )
    assert again.hash == rev.hash == note.head
    # and the services carry on from generated records as from any other
    edited = workbook.notes.edit(note.id, body="edited").value
    assert workbook.notes.history(note.id)[-1].parents == (rev.hash,)
    assert edited.body == "edited"


def test_cli_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.ctdesk"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ctdesk",
            "--workbook",
            str(path),
            "demo",
            "--notes",
            "200",
            "--seed",
            "4",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["notes"] == 200 and data["documents"] > 0 and data["findings"] > 0
    bad = subprocess.run(
        [sys.executable, "-m", "ctdesk", "--workbook", str(path), "demo", "--notes", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1 and "--notes" in bad.stderr
