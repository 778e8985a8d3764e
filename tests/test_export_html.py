"""The HTML export: one self-contained file that parses, is marked top and bottom (and on every
printed page), escapes all user text, and never shows redacted text."""

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from ctdesk.export import html
from ctdesk.export.document import Contents, Heading, Paragraph, Run
from ctdesk.export.progress import ExportCancelled, Progress
from tests.export_samples import HOSTILE, SENTINEL, sample_document

VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "source"}


class Page(HTMLParser):
    """Parses a whole page, checking that every element is closed in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []  # text in <body>, in order
        self.ids: set[str] = set()
        self.in_body = False
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "body":
            self.in_body = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body and data.strip():
            self.texts.append(data.strip())

    @property
    def text(self) -> str:
        return " ".join(self.texts)


@pytest.fixture(scope="module")
def out() -> str:
    data = html.render(sample_document())
    assert isinstance(data, bytes)
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def page(out: str) -> Page:
    return Page(out)


def test_is_one_well_formed_page(out: str, page: Page) -> None:
    assert out.startswith("<!doctype html>\n")
    assert page.errors == []
    assert [t for t, _a in page.tags][:3] == ["html", "head", "meta"]
    assert ("meta", {"charset": "utf-8"}) in page.tags
    title = re.search(r"<title>(.*?)</title>", out)
    assert title is not None and "Kent Police: CT4 force summary" in title.group(1)
    assert out.count("<style>") == 1


def test_refers_to_nothing_outside_itself(out: str, page: Page) -> None:
    lowered = out.lower()
    for needle in ("http://", "https://", "src=", "<link", "@import", "url(", "<script", "<img"):
        assert needle not in lowered
    assert {t for t, _a in page.tags} & {"script", "link", "img", "iframe", "object"} == set()
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert hrefs and all(str(h).startswith("#") for h in hrefs)
    # The browser is told to load nothing, in case anything slipped through.
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in str(csp[0]["content"])


def test_marking_in_capitals_at_top_and_bottom_and_on_every_printed_page(
    out: str, page: Page
) -> None:
    assert page.texts[0] == "OFFICIAL-SENSITIVE"
    assert page.texts[-1] == "OFFICIAL-SENSITIVE"
    # Printed, both banners are fixed to every sheet, with room kept for them.
    print_css = out[out.index("@media print") :]
    assert re.search(r"\.marking \{[^}]*position: fixed", print_css)
    assert ".marking-top { top: 0; }" in print_css and ".marking-bottom { bottom: 0; }" in print_css
    assert "table-header-group" in print_css and "table-footer-group" in print_css
    lower = html.render(sample_document(marking="official for public release")).decode()
    assert Page(lower).texts[0] == Page(lower).texts[-1] == "OFFICIAL FOR PUBLIC RELEASE"


def test_has_the_content_and_about_facts(out: str, page: Page) -> None:
    assert SENTINEL in page.text
    for key, value in sample_document().about:
        assert key in page.texts and value in page.texts
    assert ("h1", {"id": "top"}) in page.tags
    assert [t for t, _a in page.tags].count("th") >= 3 + 6  # grid header cells + about rows
    assert '<th scope="col">Activity</th>' in out
    assert "<ul>" in out and "<ol>" in out and "<blockquote>" in out
    assert '<p class="meta">' in out


def test_user_text_is_escaped(out: str, page: Page) -> None:
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "&lt;b&gt;not bold&lt;/b&gt;" in out
    assert "<b>not bold" not in out
    assert HOSTILE in page.text  # shown as the text it is


def test_hostile_title_marking_about_and_table_are_escaped() -> None:
    doc = replace(
        sample_document(),
        title=HOSTILE,
        marking="<i>SECRET</i>",
        about=((HOSTILE, HOSTILE),),
        blocks=(
            Heading(1, HOSTILE, '"><script>x</script>'),
            Contents(((2, HOSTILE, '"><script>x</script>'),)),
            Heading(2, HOSTILE, "h2"),
        ),
    )
    out = html.render(doc).decode()
    assert re.search(r"<script", out, re.IGNORECASE) is None
    assert "<i>SECRET" not in out and "&lt;I&gt;SECRET&lt;/I&gt;" in out
    parsed = Page(out)
    assert parsed.errors == []
    assert parsed.texts.count(HOSTILE) >= 4  # heading, about key and value, contents, h2


def test_contents_links_point_at_headings(page: Page) -> None:
    targets = [str(a["href"])[1:] for t, a in page.tags if t == "a"]
    assert targets == ["plan", "a1", "n1"]
    assert set(targets) <= page.ids


def test_redacted_runs_show_the_token_never_the_text() -> None:
    doc = replace(
        sample_document(),
        blocks=(Paragraph((Run("said "), Run("the informant's name", redacted=True), Run("."))),),
    )
    out = html.render(doc).decode()
    assert "informant" not in out
    assert re.search(r'<span class="redacted"[^>]*>\[REDACTED\]</span>', out)
    assert ".redacted {" in out and "background: #000" in out


def test_progress_reports_and_cancel_stops_it() -> None:
    seen: list[tuple[int, int]] = []
    html.render(sample_document(long=True), Progress(lambda d, t: seen.append((d, t))))
    assert seen and seen[-1][0] == seen[-1][1] > 0
    with pytest.raises(ExportCancelled):
        html.render(sample_document(long=True), Progress(cancelled=lambda: True))


def test_long_documents_stay_well_formed() -> None:
    page = Page(html.render(sample_document(long=True)).decode())
    assert page.errors == []
    assert page.texts[0] == page.texts[-1] == "OFFICIAL-SENSITIVE"
    assert "Note 119" in page.texts
