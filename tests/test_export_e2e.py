"""Exports end to end, in every format: what leaves is marked, limited and redacted as asked."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ctdesk import export
from ctdesk.errors import CtdeskError, InvalidInput
from ctdesk.workbook import Workbook

FORMATS = sorted(export.FORMATS)
REDACTED_WORDS = "SENTINEL-REDACTED-4410"
SENSITIVE_WORDS = "SENTINEL-SENSITIVE-5520"
VISIBLE_WORDS = "SENTINEL-VISIBLE-6630"


def all_text(path: Path) -> str:
    """Everything a reader of the file could get at: raw bytes, unzipped parts, PDF text."""
    raw = path.read_bytes()
    decoded = raw.decode("utf-8", errors="replace")
    parts = [decoded, decoded.replace("\\", "")]  # Markdown escapes: \[REDACTED\]
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as zipped:
            parts += [zipped.read(n).decode("utf-8", errors="replace") for n in zipped.namelist()]
    if raw[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            contents = page.get_contents()
            if contents is not None:
                parts.append(contents.get_data().decode("latin-1"))
    return "\n".join(parts)


@pytest.fixture
def fieldwork(workbook: Workbook) -> Workbook:
    wb = workbook
    visible = wb.notes.add(
        force="kent",
        title="Interview <script>alert(1)</script>",
        body=f"{VISIBLE_WORDS}. The source, [[redact]]{REDACTED_WORDS}[[/redact]], said so.",
        areas=["A1"],
        marking="OFFICIAL",
    ).value
    wb.notes.add(
        force="kent",
        title="Sensitive interview",
        body=f"{SENSITIVE_WORDS} about a named case.",
        areas=["A2"],
        marking="OFFICIAL-SENSITIVE",
    )
    doc = wb.documents.add(
        force="kent", title="Prevent delivery plan", category="policy-strategy", marking="OFFICIAL"
    ).value
    wb.findings.add(
        force="kent",
        area="A1",
        kind="strength",
        text="Training completion is tracked.",
        evidence=[visible.id, doc.id],
        marking="OFFICIAL",
    )
    return wb


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_official_export_leaks_nothing(
    fieldwork: Workbook, tmp_path: Path, fmt: str
) -> None:
    scope = export.resolve_scope(fieldwork, "force", "kent")
    options = export.ExportOptions(max_marking="OFFICIAL", redacted=True)
    out = tmp_path / f"kent.{fmt}"
    result = export.export(fieldwork, scope, fmt, out, options)
    text = all_text(out)
    assert REDACTED_WORDS not in text
    assert SENSITIVE_WORDS not in text
    assert VISIBLE_WORDS in text
    assert "[REDACTED]" in text
    assert result.marking == "OFFICIAL"
    assert result.left_out == {"note": 1}
    assert "OFFICIAL-SENSITIVE" not in text.replace("OFFICIAL-SENSITIVE PERSONAL", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unredacted_export_keeps_everything(fieldwork: Workbook, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kent.{fmt}"
    result = export.export(fieldwork, export.resolve_scope(fieldwork, "force", "kent"), fmt, out)
    text = all_text(out)
    assert REDACTED_WORDS in text and SENSITIVE_WORDS in text
    assert result.marking == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE" in text
    assert "[[redact]]" not in text  # markers never leave either


def test_html_escapes_user_markup(fieldwork: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "kent.html"
    export.export(fieldwork, export.resolve_scope(fieldwork, "force", "kent"), "html", out)
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_public_release_needs_redacted_official(fieldwork: Workbook, tmp_path: Path) -> None:
    scope = export.resolve_scope(fieldwork, "force", "kent")
    with pytest.raises(InvalidInput, match="FOR PUBLIC RELEASE"):
        export.export(
            fieldwork, scope, "md", tmp_path / "x.md", export.ExportOptions(public_release=True)
        )
    assert not (tmp_path / "x.md").exists()
    options = export.ExportOptions(max_marking="OFFICIAL", redacted=True, public_release=True)
    result = export.export(fieldwork, scope, "md", tmp_path / "y.md", options)
    assert result.marking == "OFFICIAL FOR PUBLIC RELEASE"
    assert (tmp_path / "y.md").read_text().startswith("**OFFICIAL FOR PUBLIC RELEASE**")


@pytest.mark.parametrize(
    ("kind", "ref"), [("area", "A1"), ("region", "south-east"), ("inspection", "ct4")]
)
def test_other_scopes(fieldwork: Workbook, tmp_path: Path, kind: str, ref: str) -> None:
    out = tmp_path / f"{kind}.md"
    export.export(fieldwork, export.resolve_scope(fieldwork, kind, ref), "md", out)
    text = out.read_text(encoding="utf-8")
    assert "Kent" in text
    if kind == "inspection":
        assert "**Contents**" in text and "Wales (WECTU) CT region" in text
    if kind == "area":
        assert "Forces with no evidence for this area" in text and "Essex Police" in text
    if kind == "region":
        assert "Forces side by side" in text and "Surrey" in text


def test_json_export_is_machine_readable(fieldwork: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "kent.json"
    export.export(fieldwork, export.resolve_scope(fieldwork, "force", "kent"), "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "ctdesk.export/1"
    assert {n["title"] for n in data["notes"]} >= {"Sensitive interview"}
    assert data["findings"][0]["evidence"]


def test_cancelled_export_writes_nothing(fieldwork: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "kent.md"
    with pytest.raises(export.ExportCancelled):
        export.export(
            fieldwork,
            export.resolve_scope(fieldwork, "force", "kent"),
            "md",
            out,
            progress=export.Progress(cancelled=lambda: True),
        )
    assert list(tmp_path.iterdir()) == [tmp_path / "home"] or not out.exists()
    assert not out.exists()


def ctdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_export(fieldwork: Workbook, tmp_path: Path) -> None:
    wb = str(fieldwork.path)
    fieldwork.close()
    out = tmp_path / "kent.html"
    result = ctdesk(
        "--workbook",
        wb,
        "export",
        "--force",
        "kent",
        "--format",
        "html",
        "--out",
        str(out),
        "--max-marking",
        "OFFICIAL",
        "--redacted",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["marking"] == "OFFICIAL" and data["left_out"] == {"note": 1}
    assert REDACTED_WORDS not in out.read_text(encoding="utf-8")
    for bad, words in (
        (["--force", "kent", "--area", "A1"], "exactly one"),
        (["--format", "pdf"], "exactly one"),
        (["--force", "kent", "--max-marking", "SECRET"], "SECRET"),
        (["--force", "kent", "--public-release"], "FOR PUBLIC RELEASE"),
        (["--region", "atlantis"], "no CT region"),
    ):
        failed = ctdesk("--workbook", wb, "export", *bad, "--out", str(tmp_path / "x"))
        assert failed.returncode == 1, (bad, failed.stderr)
        assert words in failed.stderr and "Traceback" not in failed.stderr
    assert not (tmp_path / "x").exists()


def test_export_in_child_process(fieldwork: Workbook, tmp_path: Path) -> None:
    """The GUI's path: a separate `ctdesk export` process, with progress, errors and cancel."""
    scope = export.resolve_scope(fieldwork, "force", "kent")
    seen: list[tuple[int, int]] = []
    out = tmp_path / "kent.html"
    result = export.export_in_child(
        fieldwork.path,
        scope,
        "html",
        out,
        export.ExportOptions(redacted=True),
        export.Progress(lambda done, total: seen.append((done, total))),
    )
    assert result.path == out and result.marking == "OFFICIAL-SENSITIVE"
    assert seen and REDACTED_WORDS not in out.read_text(encoding="utf-8")
    with pytest.raises(CtdeskError, match="FOR PUBLIC RELEASE"):
        export.export_in_child(
            fieldwork.path,
            scope,
            "md",
            tmp_path / "x.md",
            export.ExportOptions(public_release=True),
        )
    with pytest.raises(export.ExportCancelled):
        export.export_in_child(
            fieldwork.path,
            scope,
            "pdf",
            tmp_path / "y.pdf",
            None,
            export.Progress(cancelled=lambda: True),
        )
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "y.pdf").exists()
    assert not list(tmp_path.glob(".*.ctdesk-tmp"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_progress_only_goes_forward(fieldwork: Workbook, tmp_path: Path, fmt: str) -> None:
    seen: list[float] = []
    export.export(
        fieldwork,
        export.resolve_scope(fieldwork, "force", "kent"),
        fmt,
        tmp_path / f"kent.{fmt}",
        progress=export.Progress(lambda done, total: seen.append(done / total)),
    )
    assert seen == sorted(seen) and seen[-1] == 1.0
