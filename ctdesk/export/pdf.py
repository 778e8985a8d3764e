"""An export as an A4 PDF with real pagination and a real text layer, drawn by Qt.

The content is written in the HTML subset that Qt's rich text understands, laid out by
``QTextDocument`` for the page's body and painted page by page onto a ``QPdfWriter``. Every page
carries the marking, centred in capitals, in its header and footer, the document's title (small)
in the header and "Page N of M" in the footer; the contents give each entry's page.

How it stays fast and small for a whole inspection (thousands of pages):

- The document is laid out in slices of a few pages, each continuing on the page where the one
  before stopped: Qt keeps hefty data for every laid-out paragraph and its HTML parser is slower
  than linear, so one big ``QTextDocument`` would cost far more time and memory.
- Two passes. The first lays the slices out to count the pages and see where headings land (for
  "of M" and the contents); the second lays the same HTML out again and paints it.
- A heading (or a note's meta line) never ends a page with what it introduces on the next: the
  first pass ends its slice just before such a heading, and the next slice starts on a new page.
- A paragraph that runs on to the next page is cut in two where its line wrapped (see
  ``_split_at``), which keeps Qt from writing a hidden copy of a line into the PDF's text.

PySide6 is imported inside :func:`render` only, so ``import ctdesk.export`` stays free of Qt.
"""

import ctypes
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from ctdesk.errors import CtdeskError
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
from ctdesk.export.html import REDACTED
from ctdesk.export.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication, QTextBlock, QTextDocument

_app: "QGuiApplication | None" = None  # the application ctdesk made for headless export

# The sheet, in millimetres (A4 portrait), and where things sit on it.
_PAGE_W, _PAGE_H = 210.0, 297.0
_SIDE = 20.0  # left and right margins
_BODY_TOP, _BODY_BOTTOM = 25.0, 273.0  # the body's top and bottom edges
_MARGIN = 2.0  # px of room inside the body, top and bottom of every page
_TOP_ZONE = _MARGIN + 24  # a heading this near the top of its page is at the top

_SLICE_CHARS = 20_000  # HTML per slice: two or three pages
_CONTENTS_ROWS = 60  # rows per contents table (a slice may end between two)
_KEEP_BASE = 2  # Qt block user state of a heading or meta line: its piece's index + this

_SANS = ["Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans"]
_MONO = ["Consolas", "Menlo", "Liberation Mono", "DejaVu Sans Mono"]

# Qt's rich text takes a subset of CSS 2.1: selectors by element and class, margins, fonts,
# colours, backgrounds, cell padding. Lengths are in CSS px (1/96 in; scaled to the layout's
# pixels when rendering), font sizes in pt.
_CSS = """
h1 { font-size: 20pt; font-weight: 600; margin-top: 0px; margin-bottom: 12px; }
h2 { font-size: 15pt; font-weight: 600; margin-top: 22px; margin-bottom: 8px; }
h3 { font-size: 12.5pt; font-weight: 600; margin-top: 16px; margin-bottom: 5px; }
h4 { font-size: 11pt; font-weight: 600; margin-top: 12px; margin-bottom: 4px; }
p { margin-top: 0px; margin-bottom: 8px; }
p.meta { font-size: 8.5pt; color: #5f5f5f; margin-bottom: 4px; }
p.quote { margin-left: 24px; margin-right: 24px; font-style: italic; color: #333333; }
ul, ol { margin-top: 0px; margin-bottom: 8px; }
li { margin-bottom: 2px; }
code { font-family: %(mono)s; font-size: 9.5pt; background-color: #eeeeee; }
span.redacted { background-color: #000000; color: #ffffff; font-family: %(mono)s;
  font-size: 9pt; font-weight: 700; font-style: normal; }
table.grid { margin-top: 4px; margin-bottom: 12px; }
th { font-weight: 600; text-align: left; }
table.grid th { background-color: #e8e8e8; }
table.about { font-size: 9pt; margin-bottom: 20px; }
table.about th { color: #555555; padding-right: 16px; }
table.toc { margin-top: 0px; margin-bottom: 0px; }
td.toc2 { font-weight: 600; }
td.toc3 { padding-left: 22px; }
td.toc4 { padding-left: 44px; }
td.page { text-align: right; }
"""

# A paragraph with a fixed line height and no text to speak of: the first block of a slice that
# continues a page (as tall as the page's used part) and the last block of every slice (no
# height: where it sits is where the slice's content ends). Painting leaves both out.
_SPACER = (
    '<p style="margin-top: 0px; margin-bottom: 0px; font-size: 1px;'
    ' -qt-line-height-type: fixed; line-height: %dpx">&nbsp;</p>'
)


class PdfUnavailable(CtdeskError):
    """Qt could not be started to draw the PDF."""


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as an A4 PDF (bytes) whose text can be selected, searched and extracted.

    Every page has the marking in capitals centred in its header and footer, the title in the
    header and "Page N of M" in the footer. The about facts sit in a small table under the title
    (the first block when it is a level-1 heading, otherwise ``doc.title``); the contents list
    each entry's page. Redacted runs are the token ``[REDACTED]`` in white on a black box; their
    own text is never written.

    Makes a headless QGuiApplication if the program has none; may run on a worker thread.
    Progress covers two passes: ``update(done, total)`` after each slice laid out (the first
    half) and after each page painted (the second half; ``total`` is then twice the page
    count). Raises ``ExportCancelled`` (and returns nothing) if the user cancels.
    """
    refs = _NoneRefs()
    try:
        return _render(doc, progress, refs)
    finally:
        refs.settle()


class _NoneRefs:
    """Guards against a PySide6 6.12.0 bug on Python 3.11: its stable-ABI build drops a
    reference to ``None`` each time Python calls a Qt method that returns nothing
    (``QPainter.setPen``, ``QTextDocument.drawContents`` ...). A few thousand such calls free
    ``None`` and abort the interpreter ("Fatal Python error: none_dealloc"); a PDF of a thousand
    pages makes tens of thousands. The project pins PySide6 below 6.12; this keeps an export
    alive anyway should that build come back. ``settle()`` gives back what was lost since the
    last call, with a margin: an extra reference to ``None`` costs nothing, a missing one is
    fatal. Where nothing is lost (other builds; Python 3.12+, where ``None`` is immortal) it
    does nothing.
    """

    _MARGIN = 64

    def __init__(self) -> None:
        self._active = sys.version_info < (3, 12)
        self._mark = sys.getrefcount(None)

    def settle(self) -> None:
        if not self._active:
            return
        lost = self._mark - sys.getrefcount(None)
        if lost > 0:
            for _ in range(lost + self._MARGIN):
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        self._mark = sys.getrefcount(None)


def _ensure_gui_app() -> None:
    """QtGui paints only inside a QGuiApplication: make one, headless, if there is none."""
    global _app
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    existing = QCoreApplication.instance()
    if isinstance(existing, QGuiApplication):
        return
    if existing is not None:
        raise PdfUnavailable(
            "ctdesk cannot draw a PDF inside a program without a graphical application; "
            "export to HTML instead."
        )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["ctdesk"])


@dataclass
class _Slice:
    """A run of pieces laid out in one QTextDocument."""

    pieces: range  # indices into the document's pieces
    first_page: int  # the page (0-based) its first page is
    carry: int = 0  # px of its first page already used by the slice before; 0: a fresh page
    pages: int = 0  # pages it covers, the first of which it may share with the slice before
    breaks: list[tuple[int, int]] = field(default_factory=list)  # see _Walk


def _render(doc: ExportDocument, progress: Progress, refs: _NoneRefs) -> bytes:
    _ensure_gui_app()
    from PySide6.QtCore import (
        QBuffer,
        QByteArray,
        QIODevice,
        QLineF,
        QMarginsF,
        QRectF,
        QSizeF,
        Qt,
    )
    from PySide6.QtGui import (
        QColor,
        QFont,
        QFontInfo,
        QFontMetricsF,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QPen,
        QTextDocument,
    )

    # Qt lays text out in the pixels of the screen's logical resolution (fonts in points are
    # turned into those pixels). Laying out for the PDF writer instead (setPaintDevice) makes
    # every QTextDocument twice as slow to fill, so the writer works in the layout's pixels.
    probe = QFont()
    probe.setPointSizeF(72)
    dpi = QFontInfo(probe).pixelSize() or 96  # pixels per inch of the layout

    def px(mm: float) -> float:
        return mm * dpi / 25.4

    def font(families: list[str], points: float, bold: bool = False) -> QFont:
        f = QFont()
        f.setFamilies(families)
        f.setPointSizeF(points)
        f.setBold(bold)
        return f

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(dpi)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(doc.title)
    writer.setCreator("ctdesk")

    body = QRectF(px(_SIDE), px(_BODY_TOP), px(_PAGE_W - 2 * _SIDE), px(_BODY_BOTTOM - _BODY_TOP))
    page_h = body.height()
    css = re.sub(
        r"(\d+)px",
        lambda length: f"{round(int(length.group(1)) * dpi / 96)}px",
        _CSS % {"mono": ", ".join(f"'{m}'" for m in _MONO)},
    )
    body_font = font(_SANS, 10.5)

    def layout(html: str, breaks: list[tuple[int, int]] | None) -> QTextDocument:
        """The HTML in pages. First pass (``breaks`` None): laid out lazily, as ``_walk``
        asks. Second pass: paragraphs cut at ``breaks``, laid out at once. (Qt makes a
        document's layout when first asked for it: filling the document before that, with
        its page size already set, saves laying it out twice.)"""
        qdoc = QTextDocument()
        qdoc.setUseDesignMetrics(True)
        qdoc.setDefaultFont(body_font)
        qdoc.setDefaultStyleSheet(css)
        qdoc.setDocumentMargin(_MARGIN)
        qdoc.setPageSize(QSizeF(body.width(), page_h))
        qdoc.setHtml(html)
        if breaks is not None:
            _split_at(qdoc, breaks)
            qdoc.pageCount()
        return qdoc

    pieces = list(_pieces(doc))

    # Pass 1: cut the pieces into slices; find their pages and the pages of the headings.
    slices: list[_Slice] = []
    anchor_pages: dict[str, int] = {}
    start, page, carry = 0, 0, 0
    while start < len(pieces):
        piece_slice = _Slice(_slice_range(pieces, start), page, carry)
        qdoc = layout(_slice_html(pieces, piece_slice, None), None)
        walk = _walk(qdoc, page_h, start if carry else start + 1)
        del qdoc
        refs.settle()
        if walk.cut == start:  # its first heading would end the page it continues: next page
            page, carry = page + 1, 0
            continue
        if walk.cut is not None:
            piece_slice.pieces = range(start, walk.cut)
        piece_slice.pages = walk.last_page + 1
        piece_slice.breaks = walk.breaks
        slices.append(piece_slice)
        anchors = [pieces[i].anchor for i in piece_slice.pieces]
        headings = [a for a in anchors if a is not None]
        if len(walk.headings) == len(headings):  # else (cannot happen) no page numbers
            for anchor, local in zip(headings, walk.headings, strict=True):
                if anchor:
                    anchor_pages.setdefault(anchor, page + local)
        start = piece_slice.pieces.stop
        page += walk.last_page
        carry = 0 if walk.cut is not None else round(walk.end - walk.last_page * page_h - _MARGIN)
        if walk.cut is not None or carry > page_h - 2 * _MARGIN - 24:  # start a fresh page
            page, carry = page + 1, 0
        elif carry < 4:  # the page holds nothing of the slice before: start at its top
            carry = 0
        progress.update(start, 2 * len(pieces))
    pages = slices[-1].first_page + slices[-1].pages
    numbers = {anchor: str(p + 1) for anchor, p in anchor_pages.items()}

    # Pass 2: paint, slice by slice, page by page.
    marking = doc.marking.upper()
    marking_font = font(_SANS, 9.5, bold=True)
    small_font = font(_SANS, 8)
    title = QFontMetricsF(small_font, writer).elidedText(
        doc.title, Qt.TextElideMode.ElideRight, body.width()
    )
    black, grey = QColor("#000000"), QColor("#555555")
    rule = QPen(QColor("#8a8a8a"))
    rule.setWidthF(0.75)
    sheet_w = px(_PAGE_W)
    top_marking = QRectF(0, px(8), sheet_w, px(6))
    title_rect = QRectF(body.left(), px(14.5), body.width(), px(5))
    page_rect = QRectF(body.left(), px(_BODY_BOTTOM + 3.5), body.width(), px(5))
    bottom_marking = QRectF(0, px(_BODY_BOTTOM + 10), sheet_w, px(6))
    top_rule = QLineF(body.left(), body.top() - px(3), body.right(), body.top() - px(3))
    bottom_rule = QLineF(body.left(), body.bottom() + px(2), body.right(), body.bottom() + px(2))
    centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

    painter = QPainter()
    if not painter.begin(writer):
        raise PdfUnavailable("ctdesk could not start drawing the PDF.")
    try:
        started = -1  # the last page begun
        for piece_slice in slices:
            qdoc = layout(_slice_html(pieces, piece_slice, numbers), piece_slice.breaks)
            spacer = qdoc.lastBlock().layout()  # the closing one: its text sits above it
            end = spacer.position().y() + min(0.0, spacer.lineAt(0).y())
            if int(end // page_h) > piece_slice.pages:  # cannot happen: the same layout
                raise RuntimeError("The PDF's pages moved between its two passes.")
            for local in range(piece_slice.pages):
                number = piece_slice.first_page + local
                if number > started:
                    if started >= 0:
                        writer.newPage()
                    started = number
                    painter.setPen(black)
                    painter.setFont(marking_font)
                    painter.drawText(top_marking, centred, marking)
                    painter.drawText(bottom_marking, centred, marking)
                    painter.setPen(grey)
                    painter.setFont(small_font)
                    painter.drawText(title_rect, left, title)
                    painter.drawText(page_rect, right, f"Page {number + 1} of {pages}")
                    painter.setPen(rule)
                    painter.drawLine(top_rule)
                    painter.drawLine(bottom_rule)
                # The part of the slice that falls on this page: on a page it continues, below
                # what the slice before drew there (and the opening spacer); above the closing
                # spacer.
                top = local * page_h
                skip = _MARGIN + piece_slice.carry if local == 0 and piece_slice.carry else 0.0
                height = min(page_h - skip, end - top - skip - 0.01)
                if height > 0:
                    painter.save()
                    painter.translate(body.left(), body.top() - top)
                    qdoc.drawContents(painter, QRectF(0, top + skip, body.width(), height))
                    painter.restore()
                refs.settle()
                progress.update(pages + number + 1, 2 * pages)
            del qdoc
    finally:
        painter.end()
        buffer.close()
    return _spaces_not_tabs(bytes(data.data()))


@dataclass
class _Walk:
    """What the first pass learns from a slice's layout, up to its cut if it has one."""

    headings: list[int]  # the page (within the slice) of each heading, in order
    # (block number, offset in the block) of each line that a page break pushed down, in a
    # paragraph that began on the page before
    breaks: list[tuple[int, int]]
    cut: int | None = None  # the piece where a heading run would end a page: the slice ends
    last_page: int = 0  # the page (within the slice) where its content ends
    end: float = 0.0  # the y where its content ends (when not cut)


def _walk(qdoc: "QTextDocument", page_h: float, first_cut: int) -> _Walk:
    """Reads the slice's blocks in order while Qt lays them out lazily, and stops at the first
    run of headings and meta lines that would end a page with what it introduces (two lines of
    it) on the next, unless the run already starts its page or its piece comes before
    ``first_cut``.

    Headings are found by their level, not by HTML anchors: Qt puts an anchor on the first
    letter alone, which splits the word in the PDF's text. The breaks are where the second pass
    cuts paragraphs (``_split_at``).
    """
    layout = qdoc.documentLayout()

    def line_y(block: "QTextBlock", line: int) -> float:
        top = float(layout.blockBoundingRect(block).top())  # lays out up to here
        text_layout = block.layout()
        lines = text_layout.lineCount()
        if lines:
            top += text_layout.lineAt(min(line, lines - 1)).y()
        return top

    walk = _Walk([], [])
    run: list[QTextBlock] = []  # headings and meta lines just before this block
    marks = (0, 0)  # len(walk.headings), len(walk.breaks) where the run began
    block = qdoc.begin()
    while block.isValid():
        first = line_y(block, 0)
        if block.userState() >= _KEEP_BASE:
            if not run:
                marks = (len(walk.headings), len(walk.breaks))
            run.append(block)
        elif run:
            head = line_y(run[0], 0)
            head_page = int(head // page_h)
            cut = run[0].userState() - _KEEP_BASE
            below = int(line_y(block, 1) // page_h) > head_page
            if below and cut >= first_cut and head - head_page * page_h > _TOP_ZONE:
                before = run[0].previous()
                last = line_y(before, before.layout().lineCount()) if before.isValid() else head
                del walk.headings[marks[0] :], walk.breaks[marks[1] :]
                walk.cut = cut
                walk.last_page = min(int(last // page_h), head_page)
                return walk
            run = []
        if block.blockFormat().headingLevel() > 0:
            walk.headings.append(int(first // page_h))
        text_layout = block.layout()
        lines = text_layout.lineCount()
        if lines > 1:
            line = text_layout.lineAt(0)
            bottom = line.y() + line.height()
            for i in range(1, lines):
                line = text_layout.lineAt(i)
                if line.y() - bottom > 0.5:
                    walk.breaks.append((block.blockNumber(), line.textStart()))
                bottom = line.y() + line.height()
        block = block.next()
    walk.end = line_y(qdoc.lastBlock(), 0)  # the closing spacer
    walk.last_page = int(walk.end // page_h)
    return walk


def _split_at(qdoc: "QTextDocument", breaks: list[tuple[int, int]]) -> None:
    """Cut paragraphs into two where a page break falls inside them.

    Qt, drawing a page, also draws the last line of the page before when that line's paragraph
    continues on this page: hidden by the clip, yet written into the PDF's text a second time
    (its QTextLayout::draw keeps the last line above the clip). A paragraph that ends at the
    page break has no such line. The cut falls where the line wrapped, and neither half keeps a
    margin at the cut, so lines and pages stay where they were; a list item's second half
    leaves the list (no new bullet or number) but keeps its indent.
    """
    from PySide6.QtGui import QTextBlockFormat, QTextCursor

    no_bottom, no_top = QTextBlockFormat(), QTextBlockFormat()
    no_bottom.setBottomMargin(0)
    no_top.setTopMargin(0)
    cursor = QTextCursor(qdoc)
    cursor.beginEditBlock()
    for number, offset in sorted(breaks, reverse=True):  # later cuts first: numbers hold
        block = qdoc.findBlockByNumber(number)
        cursor.setPosition(block.position() + offset)
        cursor.insertBlock()
        cursor.mergeBlockFormat(no_top)
        QTextCursor(cursor.block().previous()).mergeBlockFormat(no_bottom)
        text_list = cursor.block().textList()
        if text_list is not None:
            text_list.remove(cursor.block())
    cursor.endEditBlock()


# The document as pieces of Qt HTML: one per block, long contents in several tables.
@dataclass(frozen=True)
class _Piece:
    head: str  # up to inside its first element's style attribute (or all of it)
    tail: str = ""  # the rest
    keep: bool = False  # a heading or meta line: keep with what follows
    brk: bool = False  # a forced page break comes before it
    anchor: str | None = None  # a heading's anchor ("" for one without); None: not a heading
    toc: tuple[tuple[int, str, str], ...] = ()  # contents rows: rendered per pass

    def html(self, index: int, numbers: dict[str, str] | None) -> str:
        if self.toc:
            return _toc_table(self.toc, numbers)
        style = f"-qt-user-state: {index + _KEEP_BASE}; " if self.keep else ""
        if self.brk:
            style += "page-break-before: always; "
        return self.head + style + self.tail


def _pieces(doc: ExportDocument) -> Iterator[_Piece]:
    blocks = doc.blocks
    start = 0
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        yield _heading(blocks[0], False)
        start = 1
    else:
        yield _Piece('<h1 style="', f'">{_text(doc.title)}</h1>', keep=True, anchor="")
    if doc.about:
        rows = "".join(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in doc.about)
        yield _Piece(f'<table class="about" cellspacing="0" cellpadding="2">{rows}</table>')
    brk = False
    for block in blocks[start:]:
        if isinstance(block, PageBreak):
            brk = True
            continue
        if isinstance(block, Heading):
            yield _heading(block, brk)
        elif isinstance(block, Contents):
            yield _Piece('<h2 style="', '">Contents</h2>', keep=True, brk=brk, anchor="")
            for group in _toc_groups(block.entries):
                yield _Piece("", toc=group)
        elif isinstance(block, Paragraph):
            cls = block.style if block.style in ("meta", "quote") else "body"
            yield _Piece(
                f'<p class="{cls}" style="', f'">{_runs(block.runs)}</p>', cls == "meta", brk
            )
        elif isinstance(block, BulletList):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_runs(item)}</li>" for item in block.items[1:])
            first = _runs(block.items[0]) if block.items else ""
            yield _Piece(f'<{tag}><li style="', f'">{first}</li>{items}</{tag}>', brk=brk)
        elif isinstance(block, Table):
            head = "".join(f"<th>{_text(c)}</th>" for c in block.columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            yield _Piece(
                '<table class="grid" width="100%" border="1" cellspacing="0" cellpadding="4"'
                ' style="border-collapse: collapse; border-style: solid; border-color: #8a8a8a; ',
                f'"><thead><tr>{head}</tr></thead>{rows}</table>',
                brk=brk,
            )
        else:
            raise TypeError(f"ctdesk cannot render a {type(block).__name__} block as PDF.")
        brk = False


def _heading(block: Heading, brk: bool) -> _Piece:
    level = min(max(block.level, 1), 4)
    return _Piece(
        f'<h{level} style="',
        f'">{_text(block.text)}</h{level}>',
        keep=True,
        brk=brk,
        anchor=block.anchor,
    )


def _toc_groups(
    entries: tuple[tuple[int, str, str], ...],
) -> Iterator[tuple[tuple[int, str, str], ...]]:
    """Contents rows in tables of at most _CONTENTS_ROWS, a new table at each level-2 entry."""
    group: list[tuple[int, str, str]] = []
    for entry in entries:
        if group and (entry[0] <= 2 or len(group) >= _CONTENTS_ROWS):
            yield tuple(group)
            group = []
        group.append(entry)
    if group:
        yield tuple(group)


def _toc_table(entries: tuple[tuple[int, str, str], ...], numbers: dict[str, str] | None) -> str:
    """Contents rows with their page numbers; in the first pass "0" holds the place (the page
    column has a fixed width, so the numbers do not change the layout)."""
    rows = []
    for level, text, anchor in entries:
        page = "0" if numbers is None else numbers.get(anchor, "")
        rows.append(
            f'<tr><td class="toc{min(max(level, 2), 4)}">{_text(text)}</td>'
            f'<td class="page" width="56">{escape(page)}</td></tr>'
        )
    return (
        '<table class="toc" width="100%" cellspacing="0" cellpadding="3">'
        + "".join(rows)
        + "</table>"
    )


def _slice_range(pieces: list[_Piece], start: int) -> range:
    """From ``start``, about _SLICE_CHARS of HTML, never ending on a heading or meta line."""
    size, end = 0, start
    while end < len(pieces):
        piece = pieces[end]
        size += len(piece.head) + len(piece.tail) + 120 * len(piece.toc)
        end += 1
        if size >= _SLICE_CHARS and not piece.keep:
            break
    return range(start, end)


def _slice_html(pieces: list[_Piece], piece_slice: _Slice, numbers: dict[str, str] | None) -> str:
    out = ["<html><body>"]
    if piece_slice.carry:
        out.append(_SPACER % piece_slice.carry)
    out += [pieces[i].html(i, numbers) for i in piece_slice.pieces]
    out.append(_SPACER % 0)
    out.append("</body></html>")
    return "".join(out)


def _text(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def _runs(runs: Iterable[Run]) -> str:
    parts: list[str] = []
    for run in runs:
        if run.redacted:
            parts.append(f'<span class="redacted">&nbsp;{REDACTED}&nbsp;</span>')
            continue
        text = _text(run.text)
        if run.code:
            text = f"<code>{text}</code>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


_CMAP = re.compile(rb"begincmap\n(.*?)endcmap", re.DOTALL)
_SECTION = re.compile(rb"(\d+ beginbf(range|char)\n)(.*?)(endbf(?:range|char))", re.DOTALL)
_SOURCES = {
    b"range": re.compile(rb"^(<[0-9A-Fa-f]+> <[0-9A-Fa-f]+>)(.*)$"),
    b"char": re.compile(rb"^(<[0-9A-Fa-f]+>)(.*)$"),
}


def _spaces_not_tabs(pdf: bytes) -> bytes:
    """Qt's PDF writer maps the space glyph back to U+0009 (tab) in its fonts' ToUnicode maps,
    so text copied or extracted from the PDF has tabs between words. Map it to U+0020.

    Only the Unicode side of each mapping changes, byte for byte the same length, so every
    offset in the file stays right. Qt writes these maps uncompressed; anything else is left
    alone.
    """

    def fix_section(section: re.Match[bytes]) -> bytes:
        sources = _SOURCES[section.group(2)]
        lines = []
        for line in section.group(3).split(b"\n"):
            mapping = sources.match(line)
            if mapping is not None:
                line = mapping.group(1) + mapping.group(2).replace(b"<0009>", b"<0020>")
            lines.append(line)
        return section.group(1) + b"\n".join(lines) + section.group(4)

    def fix_cmap(cmap: re.Match[bytes]) -> bytes:
        return b"begincmap\n" + _SECTION.sub(fix_section, cmap.group(1)) + b"endcmap"

    if b"<0009>" not in pdf:
        return pdf
    fixed = _CMAP.sub(fix_cmap, pdf)
    return fixed if len(fixed) == len(pdf) else pdf
