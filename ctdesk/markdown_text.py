"""Small operations on the Markdown inspectors write in note bodies (parsed with markdown-it)."""

import re

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark")
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~&])")


def escape(text: str) -> str:
    """Text that renders literally in Markdown (for titles and names placed in headings/tables)."""
    return _ESCAPE.sub(r"\\\1", text)


def demote_headings(text: str, levels: int) -> str:
    """Shift ATX headings (``# Title``) down by ``levels`` (capped at level 6), so a body's own
    headings sit below the document's; setext headings become ATX ones at the new level."""
    lines = text.split("\n")
    for token in _md.parse(text):
        if token.type != "heading_open" or token.map is None:
            continue
        level = min(int(token.tag[1:]) + levels, 6)
        start, end = token.map
        if token.markup.startswith("#"):
            lines[start] = "#" * level + " " + lines[start].lstrip().lstrip("#").lstrip()
        else:  # setext: text lines followed by an underline of = or -
            heading = " ".join(line.strip() for line in lines[start : end - 1])
            lines[start] = "#" * level + " " + heading
            for i in range(start + 1, end):
                lines[i] = "\x00"
    return "\n".join(line for line in lines if line != "\x00")
