"""An ExportDocument as a Word document (DOCX), built with python-docx.

Contract of :func:`render`:

- A4 portrait, 2 cm margins. The protective marking (``doc.marking``, in capitals, bold,
  centred) is in the header and the footer of every section, and in the first-page and
  even-page headers and footers whenever a section uses them; the footer also carries
  "Page N of M" (PAGE and NUMPAGES fields).
- The first level-1 heading (or ``doc.title`` if the blocks do not start with one) is set in
  Word's built-in "Title" style, followed by the "about" facts as a small two-column table.
  Heading levels 2, 3, 4 become the built-in "Heading 1", "Heading 2", "Heading 3", so Word's
  navigation pane and any table of contents the reader adds work; any later level-1 heading is
  another "Title".
- ``Contents`` becomes a list of the heading texts, each a link to a bookmark on its heading.
  It is not a Word TOC field: a TOC field shows its entries only after the reader updates it
  (Word leaves it empty or asks on opening), whereas this list is right the moment the file
  opens, in Word, LibreOffice and viewers. It has no page numbers for the same reason.
- Runs keep bold, italic and monospace ("Code" character style). A redacted run is always the
  literal text ``[REDACTED]`` in white on black, whatever text the run carried: the renderer
  never writes a redacted run's own text. Paragraph styles: body → "Normal", meta → "Meta"
  (small grey), quote → "Quote". Lists use "List Bullet" / "List Number" (each numbered list
  starts again at 1). Tables are "Table Grid" in 9 pt text with a bold, shaded header row
  repeated on every page, their columns sized to their content (``column_widths``).
  ``PageBreak`` starts the next block on a new page.
- All text is user text: it is written as XML text nodes (never parsed as markup); characters
  that XML cannot hold (control characters) are dropped, tabs and line breaks are kept.
- Core properties: title, the marking as category, "ctdesk" as author. The template's
  thumbnail (a picture of an empty page) is removed.
- ``progress.update(done, total)`` is called every few hundred blocks; it raises
  ``ExportCancelled`` when the user cancels, and then no bytes are returned.

For speed the body is built as raw WordprocessingML with lxml (python-docx's per-paragraph API
costs milliseconds per paragraph); python-docx supplies the template, styles, sections, headers
and footers and writes the package.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ctdesk.export.document import (
    BulletList,
    Contents,
    ExportDocument,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from ctdesk.export.progress import NO_PROGRESS, Progress

REDACTED = "[REDACTED]"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_WIDTH_TWIPS = int((PAGE_WIDTH - 2 * MARGIN) / 635)  # EMU → twentieths of a point
PROGRESS_EVERY = 250
CHAR_TWIPS = 105  # a wide average character of 9 pt Arial (table text), bold included
CELL_PADDING_TWIPS = 240  # left and right cell margins, and a little air
LONGEST_WHOLE_WORD = 16  # longer words may break across lines in a narrow column
FONT = "Arial"

# Characters XML 1.0 cannot hold; Word refuses a file that contains them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_W_VAL, _W_TYPE, _W_W = qn("w:val"), qn("w:type"), qn("w:w")
_P, _PPR, _PSTYLE, _R, _RPR, _T = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:t")
)


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as the bytes of a .docx file; see the module docstring for the contract."""
    word: Any = Document()
    _setup_page_and_styles(word)
    writer = _BodyWriter(word)
    blocks = doc.blocks
    total = len(blocks)
    progress.update(0, total)
    start = 0
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        writer.heading(blocks[0])
        start = 1
    else:
        writer.paragraph_of_text(doc.title, "Title")
    writer.about(doc.about)
    for i in range(start, total):
        if i % PROGRESS_EVERY == 0:
            progress.update(i, total)
        writer.block(blocks[i])
    writer.finish()
    _mark_every_page(word, doc.marking.upper())
    _set_properties(word, doc)
    progress.update(total, total)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def clean(text: str) -> str:
    """``text`` without the characters an XML document cannot contain."""
    return _ILLEGAL.sub("", text)


# --- the body -------------------------------------------------------------------------------


class _BodyWriter:
    """Appends WordprocessingML for blocks to a document's body, in order."""

    def __init__(self, word: Any) -> None:
        self.body = word.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        if self.sect_pr is not None:
            self.body.remove(self.sect_pr)  # put back last, after all the content
        self.numbering = word.part.numbering_part.element
        self.style = {
            name: word.styles[name].style_id
            for name in (
                "Title",
                "Heading 1",
                "Heading 2",
                "Heading 3",
                "Quote",
                "List Bullet",
                "List Number",
                "Table Grid",
                "TOC Heading",
                "Meta",
                "Code",
                "Table Text",
            )
        }
        list_number = word.styles["List Number"].element
        num_id = int(list_number.pPr.numPr.numId.val)
        self.number_abstract = int(self.numbering.num_having_numId(num_id).abstractNumId.val)
        self.bookmarks: dict[str, str] = {}  # anchor → bookmark name
        self.placed: set[str] = set()  # bookmark names already on a heading
        self.next_bookmark = 0
        self.page_break_pending = False

    # blocks

    def block(self, block: object) -> None:
        if isinstance(block, Paragraph):
            style = {"meta": "Meta", "quote": "Quote"}.get(block.style)
            p = self._p(self.style[style] if style else None)
            self._runs(p, block.runs)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, BulletList):
            self._list(block)
        elif isinstance(block, Table):
            header = tuple((Run(c, bold=True),) for c in block.columns)
            rows = (tuple((Run(c),) for c in row) for row in block.rows)
            self._table(header, rows, column_widths(block), label_column=False)
        elif isinstance(block, Contents):
            self._contents(block)
        elif isinstance(block, PageBreak):
            self.page_break_pending = True
        else:  # pragma: no cover - a new block kind must be taught to this renderer
            raise TypeError(f"no DOCX rendering for {type(block).__name__}")

    def heading(self, h: Heading) -> None:
        name = "Title" if h.level <= 1 else f"Heading {min(h.level, 4) - 1}"
        p = self._p(self.style[name])
        bookmark = self._bookmark_name(h.anchor)
        if bookmark in self.placed:  # a repeated anchor: Word wants unique bookmark names
            bookmark = self._bookmark_name(f"{h.anchor}\x00{self.next_bookmark}")
        self.placed.add(bookmark)
        ident = str(self.next_bookmark)
        self.next_bookmark += 1
        start = etree.SubElement(p, qn("w:bookmarkStart"))
        start.set(qn("w:id"), ident)
        start.set(qn("w:name"), bookmark)
        self._text_run(p, h.text)
        etree.SubElement(p, qn("w:bookmarkEnd")).set(qn("w:id"), ident)

    def paragraph_of_text(self, text: str, style: str) -> None:
        self._text_run(self._p(self.style[style]), text)

    def about(self, facts: tuple[tuple[str, str], ...]) -> None:
        if not facts:
            return
        rows = (((Run(label, bold=True),), (Run(value),)) for label, value in facts)
        label = TEXT_WIDTH_TWIPS // 4
        self._table(None, rows, [label, TEXT_WIDTH_TWIPS - label], label_column=True)

    def finish(self) -> None:
        if self.sect_pr is not None:
            self.body.append(self.sect_pr)

    # pieces

    def _contents(self, contents: Contents) -> None:
        self.paragraph_of_text("Contents", "TOC Heading")
        for level, text, anchor in contents.entries:
            p = self._p(None)
            ppr = p[0] if len(p) else etree.SubElement(p, _PPR)
            spacing = etree.SubElement(ppr, qn("w:spacing"))
            spacing.set(qn("w:after"), "60")
            ind = etree.SubElement(ppr, qn("w:ind"))
            ind.set(qn("w:left"), str(max(level - 2, 0) * 400))
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), self._bookmark_name(anchor))
            link.set(qn("w:history"), "1")
            r = etree.SubElement(link, _R)
            rpr = etree.SubElement(r, _RPR)
            if level <= 2:
                etree.SubElement(rpr, qn("w:b"))
            etree.SubElement(rpr, qn("w:color")).set(_W_VAL, "1F4E79")
            _add_text(r, text)

    def _list(self, block: BulletList) -> None:
        style = self.style["List Number" if block.ordered else "List Bullet"]
        num_id = None
        if block.ordered:  # a fresh numbering instance, so every numbered list starts at 1
            num = self.numbering.add_num(self.number_abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            num_id = str(num.numId)
        for item in block.items:
            p = self._p(style)
            if num_id is not None:
                num_pr = etree.SubElement(p[0], qn("w:numPr"))
                etree.SubElement(num_pr, qn("w:ilvl")).set(_W_VAL, "0")
                etree.SubElement(num_pr, qn("w:numId")).set(_W_VAL, num_id)
            self._runs(p, item)

    def _table(
        self,
        header: tuple[tuple[Run, ...], ...] | None,
        rows: Iterable[tuple[tuple[Run, ...], ...]],
        widths: list[int],
        *,
        label_column: bool,
    ) -> None:
        if self.page_break_pending:
            self._p(None)  # carries the page break: a table cannot
        tbl = etree.SubElement(self.body, qn("w:tbl"))
        tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
        etree.SubElement(tbl_pr, qn("w:tblStyle")).set(_W_VAL, self.style["Table Grid"])
        tbl_w = etree.SubElement(tbl_pr, qn("w:tblW"))
        tbl_w.set(_W_W, str(sum(widths)))
        tbl_w.set(_W_TYPE, "dxa")
        margins = etree.SubElement(tbl_pr, qn("w:tblCellMar"))
        for side, size in (("top", 30), ("left", 108), ("bottom", 30), ("right", 108)):
            mar = etree.SubElement(margins, qn(f"w:{side}"))
            mar.set(_W_W, str(size))
            mar.set(_W_TYPE, "dxa")
        look = etree.SubElement(tbl_pr, qn("w:tblLook"))
        look.set(_W_VAL, "04A0")
        look.set(qn("w:firstRow"), "1" if header else "0")
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:lastRow"), "0")
        look.set(qn("w:lastColumn"), "0")
        look.set(qn("w:noHBand"), "0")
        look.set(qn("w:noVBand"), "1")
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        for w in widths:
            etree.SubElement(grid, qn("w:gridCol")).set(_W_W, str(w))
        cell_style = self.style["Table Text"]
        if header is not None:
            tr = etree.SubElement(tbl, qn("w:tr"))
            tr_pr = etree.SubElement(tr, qn("w:trPr"))
            etree.SubElement(tr_pr, qn("w:tblHeader"))
            self._cells(tr, header, widths, cell_style, shade=("D9E2F3",) * len(widths))
        # The about table shades its label column; other tables shade only their header.
        body_shade = ("F2F2F2",) if label_column else ()
        for row in rows:
            tr = etree.SubElement(tbl, qn("w:tr"))
            etree.SubElement(etree.SubElement(tr, qn("w:trPr")), qn("w:cantSplit"))
            self._cells(tr, row, widths, cell_style, shade=body_shade)
        self._spacer()  # keeps the next table apart (Word would merge two adjacent tables)

    def _spacer(self) -> None:
        """A small empty paragraph: 6 pt of air."""
        ppr = etree.SubElement(etree.SubElement(self.body, _P), _PPR)
        spacing = etree.SubElement(ppr, qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
        etree.SubElement(etree.SubElement(ppr, _RPR), qn("w:sz")).set(_W_VAL, "12")

    def _cells(
        self,
        tr: Any,
        cells: tuple[tuple[Run, ...], ...],
        widths: list[int],
        style: str | None,
        shade: tuple[str, ...],
    ) -> None:
        """One row's cells; ``shade[i]`` is the fill of cell i (none past its end)."""
        for i, w in enumerate(widths):
            tc = etree.SubElement(tr, qn("w:tc"))
            tc_pr = etree.SubElement(tc, qn("w:tcPr"))
            tc_w = etree.SubElement(tc_pr, qn("w:tcW"))
            tc_w.set(_W_W, str(w))
            tc_w.set(_W_TYPE, "dxa")
            if i < len(shade):
                shd = etree.SubElement(tc_pr, qn("w:shd"))
                shd.set(_W_VAL, "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), shade[i])
            p = etree.SubElement(tc, _P)
            if style is not None:
                etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_W_VAL, style)
            if i < len(cells):
                self._runs(p, cells[i])

    def _p(self, style_id: str | None) -> Any:
        """A new paragraph at the end of the body, carrying a pending page break."""
        p = etree.SubElement(self.body, _P)
        if style_id is not None or self.page_break_pending:
            ppr = etree.SubElement(p, _PPR)
            if style_id is not None:
                etree.SubElement(ppr, _PSTYLE).set(_W_VAL, style_id)
            if self.page_break_pending:
                etree.SubElement(ppr, qn("w:pageBreakBefore"))
                self.page_break_pending = False
        return p

    def _runs(self, p: Any, runs: tuple[Run, ...]) -> None:
        for run in runs:
            r = etree.SubElement(p, _R)
            if run.redacted:
                rpr = etree.SubElement(r, _RPR)
                etree.SubElement(rpr, qn("w:b"))
                etree.SubElement(rpr, qn("w:color")).set(_W_VAL, "FFFFFF")
                shd = etree.SubElement(rpr, qn("w:shd"))
                shd.set(_W_VAL, "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), "000000")
                _add_text(r, REDACTED)  # never the run's own text
                continue
            if run.bold or run.italic or run.code:
                rpr = etree.SubElement(r, _RPR)
                if run.code:
                    etree.SubElement(rpr, qn("w:rStyle")).set(_W_VAL, self.style["Code"])
                if run.bold:
                    etree.SubElement(rpr, qn("w:b"))
                if run.italic:
                    etree.SubElement(rpr, qn("w:i"))
            _add_text(r, run.text)

    def _text_run(self, p: Any, text: str) -> None:
        _add_text(etree.SubElement(p, _R), text)

    def _bookmark_name(self, anchor: str) -> str:
        """A valid, hidden Word bookmark name for an anchor (letters, digits, ≤ 40 chars)."""
        name = self.bookmarks.get(anchor)
        if name is None:
            name = self.bookmarks[anchor] = f"_ct{len(self.bookmarks)}"
        return name


def _add_text(r: Any, text: str) -> None:
    """Append ``text`` to run ``r`` as text nodes, with tabs and line breaks as Word's own."""
    text = clean(text)
    if "\n" not in text and "\t" not in text and "\r" not in text:
        t = etree.SubElement(r, _T)
        t.text = text
        t.set(_XML_SPACE, "preserve")
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(r, qn("w:tab"))
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(r, qn("w:br"))
        elif piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            t.set(_XML_SPACE, "preserve")


def column_widths(table: Table) -> list[int]:
    """Column widths in twips that fill the text width: every column at least as wide as its
    longest word (so dates and one-word statuses never break mid-word), the rest shared out
    by the length of the column's longest text. Looks at the header and the first 200 rows."""
    sample = [table.columns, *table.rows[:200]]
    words, texts = [], []
    for i in range(len(table.columns)):
        cells = [row[i] for row in sample if i < len(row)]
        words.append(max((len(w) for c in cells for w in c.split()), default=1))
        texts.append(max((len(c) for c in cells), default=1))
    floor = [min(w, LONGEST_WHOLE_WORD) * CHAR_TWIPS + CELL_PADDING_TWIPS for w in words]
    spare = TEXT_WIDTH_TWIPS - sum(floor)
    if spare <= 0:  # too many columns to keep every word whole: share by need
        return [TEXT_WIDTH_TWIPS * f // sum(floor) for f in floor]
    need = [
        max(min(t, 60) - min(w, LONGEST_WHOLE_WORD), 0) for t, w in zip(texts, words, strict=True)
    ]
    total_need = sum(need) or 1
    return [f + spare * n // total_need for f, n in zip(floor, need, strict=True)]


# --- page, styles, marking, properties ------------------------------------------------------


def _setup_page_and_styles(word: Any) -> None:
    for section in word.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Mm(10)
    styles = word.styles
    _use_font_and_language(styles.element)
    meta = styles.add_style("Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = styles["Normal"]
    meta.font.size = Pt(9)
    meta.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    meta.paragraph_format.space_after = Pt(4)
    meta.paragraph_format.keep_with_next = True
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    code = styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Consolas"
    code.font.size = Pt(10)
    rfonts = code.element.rPr.rFonts
    for attr in ("w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), "Consolas")


def _use_font_and_language(styles: Any) -> None:
    """Arial (Liberation Sans where Arial is missing) everywhere and British English, in place
    of the template's theme fonts (Cambria/Calibri) and US English."""
    theme_attrs = [qn(a) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")]
    for rfonts in styles.iter(qn("w:rFonts")):
        if any(a in rfonts.attrib for a in theme_attrs):
            for a in theme_attrs:
                rfonts.attrib.pop(a, None)
            for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                rfonts.set(qn(a), FONT)
    for lang in styles.iter(qn("w:lang")):
        lang.set(_W_VAL, "en-GB")


def _mark_every_page(word: Any, marking: str) -> None:
    """The marking, bold and centred, in every header and footer that any page can show."""
    settings = word.settings
    for section in word.sections:
        kinds = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            kinds.append((section.first_page_header, section.first_page_footer))
        if settings.odd_and_even_pages_header_footer:
            kinds.append((section.even_page_header, section.even_page_footer))
        for header, footer in kinds:
            header.is_linked_to_previous = False
            footer.is_linked_to_previous = False
            _marking_paragraph(header.paragraphs[0], marking)
            _marking_paragraph(footer.paragraphs[0], marking)
            _page_number_paragraph(footer.add_paragraph())


def _marking_paragraph(p: Any, marking: str) -> None:
    p.clear()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(clean(marking))
    run.bold = True
    run.font.size = Pt(11)


def _page_number_paragraph(p: Any) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain_run(p, "Page ")
    _field(p, "PAGE", "1")
    _plain_run(p, " of ")
    _field(p, "NUMPAGES", "1")


def _plain_run(p: Any, text: str) -> None:
    run = p.add_run(text)
    run.font.size = Pt(9)


def _field(p: Any, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) in paragraph ``p``."""
    for kind in ("begin", None, "separate", shown, "end"):
        r = etree.SubElement(p._p, _R)
        etree.SubElement(etree.SubElement(r, _RPR), qn("w:sz")).set(_W_VAL, "18")
        if kind in ("begin", "separate", "end"):
            etree.SubElement(r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
        elif kind is None:
            instr = etree.SubElement(r, qn("w:instrText"))
            instr.text = f" {instruction} "
            instr.set(_XML_SPACE, "preserve")
        else:
            etree.SubElement(r, _T).text = kind


def _set_properties(word: Any, doc: ExportDocument) -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props = word.core_properties
    props.title = clean(doc.title)
    props.category = clean(doc.marking.upper())
    props.author = props.last_modified_by = "ctdesk"
    props.comments = props.subject = props.keywords = ""
    props.created = props.modified = now
    props.revision = 1
    rels = word.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]
            getattr(rels, "_target_parts_by_rId", {}).pop(rid, None)
