"""The DOCX renderer: Word reads it, headings navigate, tables, markings on every page,
redacted text never written, nothing but the document's own text in the file."""

import re
import zipfile
from dataclasses import replace
from io import BytesIO
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from ctdesk.export import docx as docx_export
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


def open_docx(data: bytes) -> Any:
    return docx.Document(BytesIO(data))


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def texts_of_part(xml: bytes) -> list[str]:
    """Every text node (w:t, w:instrText) of a WordprocessingML part, unescaped."""
    from lxml import etree

    root = etree.fromstring(xml)
    return [t.text or "" for t in root.iter(qn("w:t"), qn("w:instrText"))]


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def sample() -> ExportDocument:
    return sample_document()


@pytest.fixture(scope="module")
def rendered(sample: ExportDocument) -> bytes:
    return docx_export.render(sample)


def test_opens_with_python_docx_a4_with_title_and_about_table(
    rendered: bytes, sample: ExportDocument
) -> None:
    document = open_docx(rendered)
    first = document.paragraphs[0]
    assert (first.style.name, first.text) == ("Title", sample.title)
    about = document.tables[0]
    assert [(r.cells[0].text, r.cells[1].text) for r in about.rows] == list(sample.about)
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert Mm(15) <= section.left_margin <= Mm(25)
    assert document.core_properties.title == sample.title


def test_headings_use_words_heading_styles_in_order(rendered: bytes) -> None:
    document = open_docx(rendered)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Fieldwork plan"),
        ("Heading 1", "A1 Capability"),
        ("Heading 2", "Interview"),
    ]
    # The title is not repeated: level 1 is the document's title, shown once.
    assert [p.style.name for p in document.paragraphs].count("Title") == 1


def test_level_four_heading_is_heading_3_and_a_missing_title_comes_from_the_document() -> None:
    doc = replace(sample_document(), blocks=(Heading(2, "Part", "p"), Heading(4, "Deep", "d")))
    paragraphs = open_docx(docx_export.render(doc)).paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Title", doc.title)
    styles = [(p.style.name, p.text) for p in paragraphs if p.text in ("Part", "Deep")]
    assert styles == [("Heading 1", "Part"), ("Heading 3", "Deep")]


def test_the_plan_is_a_word_table_with_a_repeated_header_row(rendered: bytes) -> None:
    plan = open_docx(rendered).tables[1]
    rows = [[c.text for c in r.cells] for r in plan.rows]
    assert rows == [
        ["Activity", "Status", "Done on"],
        ["Interview: Chief officer", "Done", "2018-10-15"],
        ["Document review", "Planned", ""],
    ]
    header = plan.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert plan.style.name == "Table Grid"


def test_table_columns_fill_the_page_and_keep_short_words_whole() -> None:
    table = Table(
        ("Activity", "Status", "Planned", "Participants"),
        (("Focus group: representatives of other public agencies " * 2, "Cancelled", "", ""),),
    )
    widths = docx_export.column_widths(table)
    assert abs(sum(widths) - docx_export.TEXT_WIDTH_TWIPS) <= len(widths)
    for width, word in zip(
        widths, ("Activity", "Cancelled", "Planned", "Participants"), strict=True
    ):
        assert width >= len(word) * docx_export.CHAR_TWIPS
    assert widths[0] == max(widths)
    many = Table(tuple(f"Column number {i}" for i in range(30)), ())
    assert sum(docx_export.column_widths(many)) <= docx_export.TEXT_WIDTH_TWIPS


def test_marking_in_capitals_in_every_header_and_footer_of_every_section() -> None:
    data = docx_export.render(sample_document(long=True, marking="official-sensitive"))
    document = open_docx(data)
    assert len(document.sections) >= 1
    for section in document.sections:
        for part in (section.header, section.footer):
            assert not part.is_linked_to_previous
            first = part.paragraphs[0]
            assert first.text == "OFFICIAL-SENSITIVE"
            assert first.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
            assert all(run.bold for run in first.runs)
        # Any other header or footer a page could show carries it too.
        if section.different_first_page_header_footer:
            assert "OFFICIAL-SENSITIVE" in section.first_page_header.paragraphs[0].text
    parts = members(data)
    headers = [n for n in parts if re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
    assert len(headers) >= 2
    for name in headers:
        assert "OFFICIAL-SENSITIVE" in "".join(texts_of_part(parts[name])), name
    # Every header and footer the body refers to is one of those parts.
    document_xml = parts["word/document.xml"].decode()
    refs = re.findall(r"<w:(header|footer)Reference [^>]*/>", document_xml)
    assert sorted(refs) == ["footer", "header"]


def test_footer_numbers_the_pages(rendered: bytes) -> None:
    footer = open_docx(rendered).sections[0].footer
    instructions = [
        t.text.strip() for t in footer._element.iter(qn("w:instrText")) if t.text is not None
    ]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_runs_keep_bold_italic_monospace_and_redaction_is_black(rendered: bytes) -> None:
    document = open_docx(rendered)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Training is"))
    runs = {r.text: r for r in paragraph.runs}
    assert runs["mandatory"].bold and not runs["mandatory"].italic
    assert runs["tracked"].italic and not runs["tracked"].bold
    assert runs["TRN-01"].style.name == "Code"
    assert runs["TRN-01"].style.font.name == "Consolas"
    redacted = runs["[REDACTED]"]
    shading = redacted._r.rPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "000000"
    assert str(redacted.font.color.rgb) == "FFFFFF"


def test_sentinel_and_hostile_text_are_kept_literally(rendered: bytes) -> None:
    document = open_docx(rendered)
    text = all_text(document)
    assert SENTINEL in text
    assert HOSTILE in text  # text, not markup: nothing was interpreted or lost
    assert "[REDACTED]" in text
    xml = members(rendered)["word/document.xml"].decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_meta_quote_and_list_styles(rendered: bytes) -> None:
    document = open_docx(rendered)
    style_of = {p.text: p.style.name for p in document.paragraphs}
    assert style_of["OFFICIAL-SENSITIVE · A. Inspector · 2018-10-15"] == "Meta"
    assert document.styles["Meta"].font.size.pt < 11
    assert style_of["A quoted line."] == "Quote"
    assert style_of["first point"] == style_of["second point"] == "List Bullet"
    assert style_of["step one"] == style_of["step two"] == "List Number"


def test_each_numbered_list_starts_again_at_one() -> None:
    lists = (
        BulletList(((Run("a1"),), (Run("a2"),)), ordered=True),
        Paragraph((Run("between"),)),
        BulletList(((Run("b1"),),), ordered=True),
    )
    data = docx_export.render(replace(sample_document(), blocks=lists))
    document = open_docx(data)
    num_ids = {
        p.text: p._p.pPr.numPr.numId.val
        for p in document.paragraphs
        if p.text in ("a1", "a2", "b1")
    }
    assert num_ids["a1"] == num_ids["a2"] != num_ids["b1"]
    numbering = document.part.numbering_part.element
    for text in ("a1", "b1"):
        num = numbering.num_having_numId(num_ids[text])
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1"


def test_contents_lists_the_headings_as_links_to_them(rendered: bytes) -> None:
    document = open_docx(rendered)
    body = document.element.body
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    links = list(body.iter(qn("w:hyperlink")))
    entries = ["".join(t.text for t in link.iter(qn("w:t"))) for link in links]
    assert entries == ["Fieldwork plan", "A1 Capability", "Interview"]
    for link, text in zip(links, entries, strict=True):
        target = bookmarks[link.get(qn("w:anchor"))]
        assert "".join(t.text for t in target.iter(qn("w:t"))) == text
        assert target.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")).startswith("Heading")
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", name) for name in bookmarks)


def test_repeated_anchors_still_give_unique_bookmarks() -> None:
    blocks = (Heading(2, "One", "same"), Heading(2, "Two", "same"), Heading(3, "Odd", "a b.c-d"))
    body = open_docx(docx_export.render(replace(sample_document(), blocks=blocks))).element.body
    names = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names)) == len(set(ids)) == 3


def test_page_break_starts_the_next_block_on_a_new_page(rendered: bytes) -> None:
    document = open_docx(rendered)
    plan = next(
        p for p in document.paragraphs if p.text == "Fieldwork plan" and p.style.name != "Normal"
    )
    assert plan.paragraph_format.page_break_before
    breaks = [p._p for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [plan._p]


def test_a_redacted_run_never_writes_its_own_text() -> None:
    # A builder bug that left text in a redacted run must not reach the file.
    doc = replace(
        sample_document(),
        blocks=(Paragraph((Run("kept "), Run("LEAKED-WORD-99", redacted=True))),),
    )
    data = docx_export.render(doc)
    assert "kept [REDACTED]" in all_text(open_docx(data))
    for name, content in members(data).items():
        assert b"LEAKED-WORD-99" not in content, name


def test_the_file_holds_only_the_documents_text_and_fixed_labels() -> None:
    doc = sample_document()
    data = docx_export.render(doc)
    allowed: list[str] = [doc.title, doc.marking, "Contents", "[REDACTED]", "Page ", " of ", "1"]
    allowed += [x for pair in doc.about for x in pair]
    for block in doc.blocks:
        if isinstance(block, Heading):
            allowed.append(block.text)
        elif isinstance(block, Paragraph):
            allowed += [r.text for r in block.runs]
        elif isinstance(block, BulletList):
            allowed += [r.text for item in block.items for r in item]
        elif isinstance(block, Table):
            allowed += [*block.columns, *(c for row in block.rows for c in row)]
        elif isinstance(block, Contents):
            allowed += [text for _, text, _ in block.entries]
    parts = members(data)
    written = [
        text
        for name, xml in parts.items()
        if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        for text in texts_of_part(xml)
    ]
    assert written
    stray = [t for t in written if t.strip() not in ("", "PAGE", "NUMPAGES") and t not in allowed]
    assert stray == []
    # Nor anything in the package's metadata, nor a stray word anywhere.
    assert b"python-docx" not in parts["docProps/core.xml"]
    assert not any(name.endswith("thumbnail.jpeg") for name in parts)
    assert not any(b"SECRET-WORD-99" in content for content in parts.values())


def test_control_characters_are_dropped_and_breaks_and_tabs_kept() -> None:
    doc = replace(
        sample_document(),
        title="Bad\x00 title\x1b",
        blocks=(Paragraph((Run("a\x00b\x0bc\nd\te\r\nf"),)),),
    )
    document = open_docx(docx_export.render(doc))
    assert document.paragraphs[0].text == "Bad title"
    assert document.paragraphs[-1].text == "abc\nd\te\nf"


def test_cancelling_raises_and_progress_reaches_the_end() -> None:
    with pytest.raises(ExportCancelled):
        docx_export.render(sample_document(), Progress(cancelled=lambda: True))
    calls: list[tuple[int, int]] = []
    docx_export.render(
        sample_document(long=True), Progress(report=lambda d, t: calls.append((d, t)))
    )
    total = calls[-1][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total) and len(calls) >= 3
    asked = iter(range(100))
    with pytest.raises(ExportCancelled):  # cancelled part-way, after the first report
        docx_export.render(sample_document(long=True), Progress(cancelled=lambda: next(asked) >= 1))


def test_many_paragraphs_render() -> None:
    blocks = tuple(Paragraph((Run(f"Paragraph {i}"), Run(" bold", bold=True))) for i in range(2000))
    document = open_docx(docx_export.render(replace(sample_document(), blocks=blocks)))
    assert document.paragraphs[-1].text == "Paragraph 1999 bold"
