"""An export as one self-contained HTML file: inline CSS only, readable on screen, marked on
every printed page.

The file never refers to anything outside itself (no links to other sites, fonts, scripts or
images) and says so to the browser with a Content-Security-Policy that forbids loading anything:
ctdesk never makes network connections, and neither should its exports when opened.

Every piece of user text (the title, the marking, the about facts, runs, table cells, contents
entries, anchors) goes through :func:`html.escape`. A redacted run is always written as the
fixed token ``[REDACTED]``, whatever its text, so a renderer can never leak what was removed.
"""

from collections.abc import Iterable
from html import escape

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

REDACTED = "[REDACTED]"  # what a redacted run always shows, whatever its text
_PROGRESS_EVERY = 500  # blocks between progress reports (and cancellation checks)

# Content-Security-Policy: nothing may be fetched or run; only the inline stylesheet applies.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

# Screen: one readable column. Print (A4): the marking banners become fixed to the top and bottom
# of every page; the page frame's empty thead/tfoot (repeated by browsers on every printed page)
# reserve their height, so the banners never cover text.
_CSS = """
:root { color-scheme: light; }
html { font-size: 11pt; -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 0 1.5em; max-width: 48em; background: #fff; color: #1a1a1a;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif;
  line-height: 1.45; overflow-wrap: break-word;
}
.marking {
  margin: 0; padding: .35em 0; text-align: center; text-transform: uppercase;
  font-weight: 700; font-size: .95rem; letter-spacing: .08em; background: #fff;
}
.marking-top { border-bottom: 1px solid #1a1a1a; margin-bottom: 1.5em; }
.marking-bottom { border-top: 1px solid #1a1a1a; margin-top: 2em; }
.frame, .frame > thead, .frame > tbody, .frame > tfoot, .frame > * > tr, .frame > * > tr > td {
  display: block; margin: 0; padding: 0; border: 0;
}
.frame-space { display: none; }
h1, h2, h3, h4 { line-height: 1.2; margin: 1.4em 0 .5em; font-weight: 650; color: #111; }
h1 { font-size: 1.85rem; margin-top: .4em; }
h2 { font-size: 1.4rem; padding-bottom: .2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.15rem; }
h4 { font-size: 1rem; }
p, ul, ol { margin: 0 0 .7em; }
li { margin: .15em 0; }
p.meta { font-size: .82rem; color: #5f5f5f; margin-bottom: .35em; }
blockquote {
  margin: 0 0 .8em 1.2em; padding: .1em 0 .1em .9em; border-left: 3px solid #bbb;
  color: #333; font-style: italic;
}
blockquote p { margin: 0; }
code {
  font-family: ui-monospace, "SF Mono", Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  font-size: .9em; background: #f2f2f2; padding: 0 .2em; border-radius: 2px;
}
.redacted {
  background: #000; color: #fff; padding: 0 .3em; border: 1px solid #000; border-radius: 1px;
  font-family: ui-monospace, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  font-size: .85em; font-style: normal; font-weight: 700; letter-spacing: .03em;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
table { border-collapse: collapse; margin: .4em 0 1em; }
table.grid { width: 100%; font-size: .92rem; }
table.grid th, table.grid td {
  border: 1px solid #9a9a9a; padding: .3em .5em; text-align: left; vertical-align: top;
}
table.grid th { background: #ececec; font-weight: 650; }
table.about { font-size: .85rem; margin: 0 0 1.6em; }
table.about th, table.about td {
  padding: .15em 1.2em .15em 0; text-align: left; vertical-align: top;
}
table.about th { color: #555; font-weight: 600; white-space: nowrap; }
nav.contents { margin: 1em 0 2em; }
nav.contents h2 { border: 0; }
nav.contents ol { list-style: none; padding: 0; margin: 0; }
nav.contents li { margin: .25em 0; }
nav.contents li.toc-3 { margin-left: 1.6em; font-size: .95em; }
nav.contents li.toc-4 { margin-left: 3.2em; font-size: .9em; }
a { color: #0b4f8a; text-decoration: none; }
a:hover { text-decoration: underline; }
.page-break { height: 0; margin: 2em 0; border: 0; border-top: 1px dashed #ccc; }
@page { size: A4; margin: 12mm 16mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  .marking {
    position: fixed; left: 0; right: 0; height: 7mm; line-height: 7mm; padding: 0;
    border: 0; margin: 0;
  }
  .marking-top { top: 0; }
  .marking-bottom { bottom: 0; }
  .frame { display: table; width: 100%; border-collapse: collapse; }
  .frame > thead { display: table-header-group; }
  .frame > tfoot { display: table-footer-group; }
  .frame > tbody { display: table-row-group; }
  .frame > * > tr { display: table-row; }
  .frame > * > tr > td { display: table-cell; }
  .frame-space { display: block; height: 11mm; }
  a { color: inherit; }
  .page-break { break-after: page; border: 0; margin: 0; }
  h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  table.grid tr, blockquote, p.meta { break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  table.grid th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as one self-contained HTML5 file, UTF-8 encoded.

    The marking (in capitals) opens and closes the page and, when printed, heads and foots every
    sheet. The about facts sit in a small table under the title (the first block when it is a
    level-1 heading, otherwise ``doc.title``). Calls ``progress.update(done, total)`` every few
    hundred blocks and at the end, counting blocks; raises ``ExportCancelled`` (and returns
    nothing) if the user cancels.
    """
    marking = escape(doc.marking.upper())
    out: list[str] = [
        "<!doctype html>\n",
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="ctdesk">\n',
        f"<title>{escape(doc.title)} [{marking}]</title>\n",
        f"<style>{_CSS}</style>\n</head>\n<body>\n",
        f'<header class="marking marking-top" role="banner">{marking}</header>\n',
        '<table class="frame" role="presentation">',
        '<thead><tr><td><div class="frame-space"></div></td></tr></thead>',
        '<tfoot><tr><td><div class="frame-space"></div></td></tr></tfoot>',
        "<tbody><tr><td>\n<main>\n",
    ]
    blocks = doc.blocks
    total = len(blocks)
    start = 0
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        out.append(_heading(blocks[0]))
        start = 1
    else:
        out.append(f"<h1>{escape(doc.title)}</h1>\n")
    out.append(_about(doc.about))
    for i in range(start, total):
        if i % _PROGRESS_EVERY == 0:
            progress.update(i, total)
        out.append(_block(blocks[i]))
    out += [
        "</main>\n</td></tr></tbody></table>\n",
        f'<footer class="marking marking-bottom" role="contentinfo">{marking}</footer>\n',
        "</body>\n</html>\n",
    ]
    progress.update(total, total)
    return "".join(out).encode("utf-8")


def _text(text: str) -> str:
    """User text, escaped, with its line breaks kept."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def runs_html(runs: Iterable[Run]) -> str:
    """Inline runs as escaped HTML: ``<strong>``, ``<em>``, ``<code>``, and redacted runs as
    ``<span class="redacted">[REDACTED]</span>`` (the run's own text is never written)."""
    parts: list[str] = []
    for run in runs:
        if run.redacted:
            parts.append(f'<span class="redacted" title="Redacted">{REDACTED}</span>')
            continue
        text = _text(run.text)
        if run.code:
            text = f"<code>{text}</code>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        parts.append(text)
    return "".join(parts)


def _heading(block: Heading) -> str:
    level = min(max(block.level, 1), 4)
    return f'<h{level} id="{escape(block.anchor)}">{_text(block.text)}</h{level}>\n'


def _about(about: tuple[tuple[str, str], ...]) -> str:
    if not about:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{_text(key)}</th><td>{_text(value)}</td></tr>' for key, value in about
    )
    return f'<table class="about" aria-label="About this export"><tbody>{rows}</tbody></table>\n'


def _block(block: object) -> str:
    if isinstance(block, Heading):
        return _heading(block)
    if isinstance(block, Paragraph):
        body = runs_html(block.runs)
        if block.style == "quote":
            return f"<blockquote><p>{body}</p></blockquote>\n"
        if block.style == "meta":
            return f'<p class="meta">{body}</p>\n'
        return f"<p>{body}</p>\n"
    if isinstance(block, BulletList):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{runs_html(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>\n"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{_text(c)}</th>' for c in block.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n'
    if isinstance(block, Contents):
        items = "".join(
            f'<li class="toc-{min(max(level, 2), 4)}">'
            f'<a href="#{escape(anchor)}">{_text(text)}</a></li>'
            for level, text, anchor in block.entries
        )
        return (
            f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>\n'
        )
    if isinstance(block, PageBreak):
        return '<div class="page-break" aria-hidden="true"></div>\n'
    raise TypeError(f"ctdesk cannot render a {type(block).__name__} block as HTML.")
