"""Redaction spans in the text inspectors write: ``[[redact]]…[[/redact]]``.

The same markers are used by the editor, the CLI, bundles and exports. A redacted export
replaces each span by the fixed token ``[REDACTED]`` before any formatting happens, so the text
is absent from every file, not hidden. An unclosed or nested marker is an input error.
"""

import re
from dataclasses import dataclass

from ctdesk.errors import InvalidInput

OPEN = "[[redact]]"
CLOSE = "[[/redact]]"
TOKEN = "[REDACTED]"
_MARKER = re.compile(r"\[\[(/?)redact\]\]", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int  # index of the opening marker
    end: int  # index just after the closing marker
    text: str  # what is redacted


def spans(text: str) -> list[Span]:
    """The redaction spans in ``text``; raises ``InvalidInput`` for unbalanced markers."""
    found: list[Span] = []
    opened: re.Match[str] | None = None
    for marker in _MARKER.finditer(text):
        closing = marker.group(1) == "/"
        if not closing:
            if opened is not None:
                raise InvalidInput(
                    "A [[redact]] marker opens inside another redaction; close the first with "
                    "[[/redact]] before opening a new one."
                )
            opened = marker
        else:
            if opened is None:
                raise InvalidInput(
                    "There is a [[/redact]] marker with no [[redact]] before it; remove it or "
                    "add the opening marker."
                )
            found.append(Span(opened.start(), marker.end(), text[opened.end() : marker.start()]))
            opened = None
    if opened is not None:
        raise InvalidInput(
            "A [[redact]] marker is not closed; end the redacted text with [[/redact]]."
        )
    return found


def check(text: str) -> str:
    """``text`` unchanged if its markers are balanced; raises otherwise."""
    spans(text)
    return text


def _replace(text: str, replacement: str | None) -> str:
    out, last = [], 0
    for span in spans(text):
        out.append(text[last : span.start])
        out.append(span.text if replacement is None else replacement)
        last = span.end
    out.append(text[last:])
    return "".join(out)


def redact(text: str, token: str = TOKEN) -> str:
    """``text`` with every span replaced by ``token``: the redacted words are gone."""
    return _replace(text, token)


def unmark(text: str) -> str:
    """``text`` with the markers removed and the words kept (an unredacted export)."""
    return _replace(text, None)


def wrap(text: str, start: int, end: int) -> str:
    """Mark ``text[start:end]`` for redaction (the editor's "Mark for redaction")."""
    if not 0 <= start < end <= len(text):
        raise InvalidInput("Select the words to redact first.")
    inside = text[start:end]
    if _MARKER.search(inside):
        raise InvalidInput("The selection already contains redaction markers; select plain text.")
    for span in spans(text):
        if span.start < end and start < span.end:
            raise InvalidInput("The selection overlaps text already marked for redaction.")
    return text[:start] + OPEN + inside + CLOSE + text[end:]
