"""The PDF export: real pages with a real text layer, read back with pypdf. Every page is marked
at top and bottom and numbered; the contents give the right pages; no text is leaked, doubled
or lost at page breaks; cancelling stops it."""

import io
import os
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from pypdf import PdfReader

from ctdesk.export import pdf
from ctdesk.export.document import (
    BulletList,
    Contents,
    ExportDocument,
    Heading,
    Paragraph,
    Run,
    Table,
)
from ctdesk.export.progress import ExportCancelled, Progress
from tests.export_samples import HOSTILE, SENTINEL, sample_document

TITLE = "Kent Police: CT4 force summary"
A4_HEIGHT = 842  # points


Placed = list[tuple[str, float]]


def read(data: bytes) -> tuple[list[str], list[Placed]]:
    """Each page's text, and the pieces of text drawn on it with their height above the bottom
    of the sheet (in points)."""
    assert data.startswith(b"%PDF-")
    texts, placed = [], []
    for page in PdfReader(io.BytesIO(data)).pages:
        drawn: Placed = []

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, drawn: Placed = drawn
        ) -> None:
            if text.strip():
                drawn.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

        texts.append(page.extract_text(visitor_text=visit))
        placed.append(drawn)
    return texts, placed


def pages_of(data: bytes) -> list[str]:
    return read(data)[0]


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def body_lines(text: str) -> list[str]:
    """A page's text without its header and footer (drawn first, so extracted first)."""
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[0] == lines[1] == "OFFICIAL-SENSITIVE" and lines[2] == TITLE, lines[:4]
    assert re.fullmatch(r"Page \d+ of \d+", lines[3]), lines[3]
    return lines[4:]


def squeeze(text: str) -> str:
    """Text without whitespace: a line may wrap inside a hyphenated word."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return pdf.render(sample_document(long=True))


@pytest.fixture(scope="module")
def long_read(long_pdf: bytes) -> tuple[list[str], list[Placed]]:
    return read(long_pdf)


@pytest.fixture(scope="module")
def long_pages(long_read: tuple[list[str], list[Placed]]) -> list[str]:
    return long_read[0]


@pytest.fixture(scope="module")
def notes_pages() -> list[str]:
    return pages_of(pdf.render(notes_document(150)))


def notes_document(count: int, marking: str = "OFFICIAL-SENSITIVE") -> ExportDocument:
    """A document of many short notes under two areas, with a contents of them all."""
    blocks: list = [Heading(1, TITLE, "top")]
    entries = []
    for k in range(count):
        if k % (count // 2) == 0:
            area = f"Area {k // (count // 2) + 1}"
            blocks.append(Heading(2, area, f"area{k}"))
            entries.append((2, area, f"area{k}"))
        blocks.append(Heading(3, f"Note {k}: an interview", f"n{k}"))
        entries.append((3, f"Note {k}: an interview", f"n{k}"))
        blocks.append(Paragraph((Run(f"{marking} · A. Inspector · 2018-10-15"),), "meta"))
        body = f"Body of note {k}. " + "Words of fieldwork. " * (10 + (k * 7) % 40)
        blocks.append(Paragraph((Run(body), Run("[REDACTED]", redacted=True), Run(" End."))))
        if k % 9 == 4:
            blocks.append(BulletList(tuple((Run(f"point {k}.{i}"),) for i in range(3))))
    blocks.insert(1, Contents(tuple(entries)))
    return replace(sample_document(marking=marking), blocks=tuple(blocks))


def test_opens_as_a4_pages_with_the_content(long_pdf: bytes, long_pages: list[str]) -> None:
    reader = PdfReader(io.BytesIO(long_pdf))
    assert len(reader.pages) >= 10
    assert [round(float(v)) for v in reader.pages[0].mediabox] == [0, 0, 595, A4_HEIGHT]
    assert reader.metadata is not None and reader.metadata.title == TITLE
    everything = "\n".join(long_pages)
    assert SENTINEL in squeeze(everything)
    assert "Note 119" in everything
    assert "\t" not in everything  # spaces are spaces, not tabs


def test_every_page_is_marked_top_and_bottom_and_numbered(
    long_read: tuple[list[str], list[Placed]],
) -> None:
    texts, pages = long_read
    total = len(texts)
    for number, (text, placed) in enumerate(zip(texts, pages, strict=True)):
        heights = [y for t, y in placed if t == "OFFICIAL-SENSITIVE"]
        assert any(y > A4_HEIGHT - 50 for y in heights), f"no header marking on {number + 1}"
        assert any(y < 50 for y in heights), f"no footer marking on {number + 1}"
        footer = [t for t, y in placed if y < 80 and t.startswith("Page ")]
        assert footer == [f"Page {number + 1} of {total}"]
        header = [t for t, y in placed if y > A4_HEIGHT - 80 and t != "OFFICIAL-SENSITIVE"]
        assert header == [TITLE]
        assert f"Page {number + 1} of {total}" in text


def test_the_title_opens_page_one_with_the_about_facts(
    long_read: tuple[list[str], list[Placed]],
) -> None:
    body = [t for t, y in long_read[1][0] if 80 < y < A4_HEIGHT - 80]
    assert body[0] == TITLE
    for key, value in sample_document().about:
        assert key in body and value in body
    assert "Contents" in body


def test_official_for_public_release_and_lower_case_markings() -> None:
    for marking in ("OFFICIAL FOR PUBLIC RELEASE", "official for public release"):
        _texts, pages = read(pdf.render(sample_document(marking=marking)))
        assert len(pages) == 2
        for placed in pages:
            heights = [y for t, y in placed if t == "OFFICIAL FOR PUBLIC RELEASE"]
            assert len([y for y in heights if y > A4_HEIGHT - 50]) == 1  # header
            assert len([y for y in heights if y < 50]) == 1  # footer


def test_user_text_is_text_not_markup(long_pages: list[str]) -> None:
    everything = "\n".join(long_pages)
    assert "<script>alert('x')</script>" in everything
    assert HOSTILE.split("</script> ")[1] in everything  # '& "quotes" <b>not bold</b>'
    doc = replace(sample_document(), title=HOSTILE, marking="<b>X</b>")
    text = "\n".join(pages_of(pdf.render(doc)))
    assert "<B>X</B>" in text


def test_redacted_runs_show_the_token_never_the_text() -> None:
    doc = replace(
        sample_document(),
        blocks=(
            Heading(1, TITLE, "top"),
            Paragraph((Run("said "), Run("NAME-OF-INFORMANT", redacted=True), Run("."))),
        ),
    )
    data = pdf.render(doc)
    text = "\n".join(pages_of(data))
    assert "[REDACTED]" in text
    assert "INFORMANT" not in text and b"INFORMANT" not in data


def test_tables_and_lists_come_through(long_pages: list[str]) -> None:
    page = long_pages[1]
    for cell in ("Activity", "Status", "Done on", "Interview: Chief officer", "2018-10-15"):
        assert cell in page
    assert "first point" in page and "step two" in page and "A quoted line." in page


def test_contents_give_the_page_of_each_heading(notes_pages: list[str]) -> None:
    pages = notes_pages
    assert len(pages) > 20
    listed = {}
    for text in pages[:6]:  # the contents pages
        for name, number in re.findall(r"^(Note \d+: an interview|Area \d)\n(\d+)$", text, re.M):
            listed[name] = int(number)
    assert len(listed) == 152
    for name, number in listed.items():
        body = pages[number - 1]
        assert re.search(rf"^{name}$", body, re.M), f"{name} is not on page {number}"


def test_page_breaks_lose_nothing_double_nothing_and_orphan_no_heading(
    notes_pages: list[str],
) -> None:
    pages = notes_pages
    bodies = [body_lines(text) for text in pages]
    everything = "\n".join("\n".join(lines) for lines in bodies)
    for k in range(150):
        assert everything.count(f"Body of note {k}.") == 1
    assert everything.count("[REDACTED]") == 150
    words = sum(10 + (k * 7) % 40 for k in range(150))
    assert squeeze(everything).count("Wordsoffieldwork.") == words
    for number, body in enumerate(bodies[6:], start=7):
        last = body[-1]
        assert not re.fullmatch(r"Note \d+: an interview|Area \d|OFFICIAL-SENSITIVE · .*", last), (
            f"page {number} ends with a heading: {last}"
        )


def test_a_long_table_keeps_its_rows() -> None:
    rows = tuple((f"Activity {i}", "Done", f"2018-10-{i % 28 + 1:02d}") for i in range(120))
    doc = replace(
        sample_document(),
        blocks=(Heading(1, TITLE, "top"), Table(("Activity", "Status", "Done on"), rows)),
    )
    everything = "\n".join(pages_of(pdf.render(doc)))
    for i in range(120):
        assert re.search(rf"^Activity {i}$", everything, re.M)


def test_progress_runs_to_the_end_and_cancel_returns_nothing() -> None:
    seen: list[tuple[int, int]] = []
    pdf.render(sample_document(long=True), Progress(lambda d, t: seen.append((d, t))))
    fractions = [done / total for done, total in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(seen) >= page_count(pdf.render(sample_document(long=True)))
    with pytest.raises(ExportCancelled):
        pdf.render(sample_document(long=True), Progress(cancelled=lambda: True))
    calls = iter(range(10_000))
    with pytest.raises(ExportCancelled):  # cancelled while painting
        pdf.render(
            sample_document(long=True), Progress(cancelled=lambda: next(calls) > len(seen) - 3)
        )


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )


def test_importing_the_renderers_pulls_in_no_qt() -> None:
    code = (
        "import sys\nimport ctdesk.export.pdf, ctdesk.export.html\n"
        "print(','.join(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = _run(code, dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_renders_headless_without_an_application_and_exits_cleanly() -> None:
    """As from the CLI: no QGuiApplication, no display, no QT_QPA_PLATFORM."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    code = (
        "from ctdesk.export import pdf\n"
        "from tests.export_samples import sample_document\n"
        "data = pdf.render(sample_document(long=True))\n"
        "print(data[:5].decode(), data.count(b'/Type /Page\\n'))\n"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr[-2000:]
    header, count = result.stdout.split()
    assert header == "%PDF-" and int(count) > 10


def test_rendering_gives_back_the_references_to_none_that_pyside_drops() -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to None on every Qt call that returns
    nothing; unchecked, a long PDF frees None and aborts the interpreter."""
    before = sys.getrefcount(None)
    pdf.render(sample_document(long=True))
    assert sys.getrefcount(None) >= before - 20
