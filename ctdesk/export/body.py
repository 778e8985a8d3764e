"""Turning the Markdown inspectors write into export blocks, with redaction applied first.

Redacted spans are replaced by a placeholder *before* the Markdown is parsed, so the redacted
words never reach any renderer; the placeholder becomes a ``[REDACTED]`` run. Remote images are
never fetched: an image becomes its alt text.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ctdesk import redaction
from ctdesk.export.document import Block, BulletList, Paragraph, Run

_md = MarkdownIt("commonmark")
_PLACEHOLDER = "\ue000"  # a private-use character: never typed, survives Markdown parsing


def prepare(text: str, *, redacted: bool) -> str:
    """Text with spans replaced by the placeholder (redacted) or unmarked (kept)."""
    return redaction.redact(text, _PLACEHOLDER) if redacted else redaction.unmark(text)


def plain_text(text: str, *, redacted: bool) -> str:
    """Text for plain-text places (titles, spreadsheets): spans become ``[REDACTED]``."""
    return redaction.redact(text) if redacted else redaction.unmark(text)


def _runs(children: list[Token]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = False
    for tok in children:
        if tok.type == "strong_open":
            bold = True
        elif tok.type == "strong_close":
            bold = False
        elif tok.type == "em_open":
            italic = True
        elif tok.type == "em_close":
            italic = False
        elif tok.type in ("text", "html_inline"):
            _add_text(runs, tok.content, bold, italic)
        elif tok.type == "code_inline":
            runs.append(Run(tok.content, code=True))
        elif tok.type in ("softbreak", "hardbreak"):
            _add_text(runs, " " if tok.type == "softbreak" else "\n", bold, italic)
        elif tok.type == "image":
            alt = "".join(c.content for c in tok.children or [])
            _add_text(runs, f"[image: {alt}]" if alt else "[image]", bold, italic)
        elif tok.type == "link_close":
            continue
    return tuple(runs)


def _add_text(runs: list[Run], text: str, bold: bool, italic: bool) -> None:
    parts = text.split(_PLACEHOLDER)
    for i, part in enumerate(parts):
        if i:
            runs.append(Run(redaction.TOKEN, redacted=True))
        if part:
            runs.append(Run(part, bold=bold, italic=italic))


_INLINE_SYNTAX = re.compile(r"[*_`\[\]<>!&\\|~]")
_BLOCK_SYNTAX = re.compile(r"^(?: {4}|\t| {0,3}(?:[#>*+=-]|\d+[.)]|```|~~~))", re.MULTILINE)


def blocks(text: str, *, redacted: bool) -> list[Block]:
    """Blocks for a note body or finding text; headings inside become bold paragraphs."""
    source = prepare(text, redacted=redacted)
    if not _INLINE_SYNTAX.search(source) and not _BLOCK_SYNTAX.search(source):
        # Plain prose (most notes): paragraphs are what Markdown would make of it, only faster.
        paragraphs = [" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", source)]
        out: list[Block] = []
        for para in paragraphs:
            if para:
                pieces: list[Run] = []
                _add_text(pieces, para, False, False)
                out.append(Paragraph(tuple(pieces)))
        return out
    tokens = _md.parse(source)
    out = []
    items: list[tuple[Run, ...]] = []
    ordered = False
    depth = 0  # list nesting: nested items are flattened into their list
    quote = False
    heading = False
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if depth == 0:
                items, ordered = [], tok.type == "ordered_list_open"
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and items:
                out.append(BulletList(tuple(items), ordered))
        elif tok.type == "blockquote_open":
            quote = True
        elif tok.type == "blockquote_close":
            quote = False
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline":
            runs = _runs(tok.children or [])
            if heading:
                runs = tuple(
                    Run(r.text, bold=True, italic=r.italic, redacted=r.redacted) for r in runs
                )
            if depth:
                items.append(runs)
            elif runs:
                out.append(Paragraph(runs, "quote" if quote else "body"))
        elif tok.type in ("fence", "code_block"):
            code = tok.content.rstrip("\n")
            runs = tuple(r if r.redacted else Run(r.text, code=True) for r in _split_code(code))
            out.append(Paragraph(runs))
        elif tok.type == "html_block":
            out.append(Paragraph(tuple(_split_code(tok.content.strip())), "body"))
    return out


def _split_code(text: str) -> list[Run]:
    runs: list[Run] = []
    _add_text(runs, text, False, False)
    return runs
