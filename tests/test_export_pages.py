"""PDF and HTML exports: read back with their own readers, marked on every page."""

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from ctdesk.export import html, pdf
from ctdesk.export.progress import ExportCancelled, Progress
from tests.export_samples import SENTINEL, sample_document


def test_pdf_every_page_marked_and_numbered() -> None:
    data = pdf.render(sample_document(long=True))
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 3
    texts = [page.extract_text() or "" for page in reader.pages]
    for number, text in enumerate(texts, 1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks header and footer"
        assert f"Page {number} of {pages}" in text
    assert "Kent Police: CT4 force summary" in texts[0]
    compact = [re.sub(r"\s+", "", t) for t in texts]  # a line may wrap inside a word
    assert any(SENTINEL in t for t in compact)
    assert any("[REDACTED]" in t for t in texts)


def test_pdf_public_release_banner() -> None:
    data = pdf.render(sample_document(marking="OFFICIAL FOR PUBLIC RELEASE"))
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text() or ""
    assert first.count("OFFICIAL FOR PUBLIC RELEASE") >= 2


def test_pdf_cancel() -> None:
    with pytest.raises(ExportCancelled):
        pdf.render(sample_document(long=True), Progress(cancelled=lambda: True))


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value:
                self.links.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_self_contained_escaped_and_marked() -> None:
    page = html.render(sample_document()).decode("utf-8")
    parsed = _Collect()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert "script" not in parsed.tags  # the hostile <script> in user text stayed text
    assert "<script>alert('x')</script>" in text  # ...and reads as the user wrote it
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", page)
    assert SENTINEL in text and "[REDACTED]" in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2
    for link in parsed.links:
        assert link.startswith("#") and link[1:] in parsed.ids
