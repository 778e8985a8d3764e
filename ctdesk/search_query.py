"""The search box's forgiving query syntax, translated into a valid SQLite FTS5 expression.

Syntax: words (all must match), ``"quoted phrases"``, a trailing ``*`` for a prefix of at
least two letters, ``-word`` (or ``-"phrase"``) to exclude, ``OR`` between two terms.
Everything else is literal text: every term reaches FTS5 as a quoted string, so no input can be
an FTS5 operator, column filter or syntax error. Terms with nothing FTS5 would index (``*``,
``-``, emoji, punctuation) are dropped.
"""

import re
import unicodedata
from dataclasses import dataclass

# Quoted phrases (possibly unterminated), or runs of anything else that is not a space.
_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|([^\s"]+)')


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, as typed."""

    text: str
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        """The term as an FTS5 string: quoted, inner quotes doubled, ``*`` after for a prefix."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    """A parsed query: groups of alternatives that must all match, and terms that must not."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        """True when nothing positive is asked for: such a query matches no record."""
        return not self.groups

    def fts(self) -> str:
        """The FTS5 MATCH expression ('' when ``empty``); fully parenthesised."""
        if self.empty:
            return ""
        groups = ["(" + " OR ".join(t.fts() for t in group) + ")" for group in self.groups]
        expression = "(" + " AND ".join(groups) + ")"
        if self.excluded:
            expression += " NOT (" + " OR ".join(t.fts() for t in self.excluded) + ")"
        return expression

    def words(self) -> list[str]:
        """The positive terms' text, for highlighting a match in an editor."""
        return [t.text for group in self.groups for t in group]


def indexable(text: str) -> bool:
    """Whether FTS5's unicode61 tokenizer would find a token in ``text`` (letters, digits)."""
    return any(
        unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" for ch in text
    )


def _clean(text: str) -> str:
    # Control characters (NUL included) never reach SQLite.
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _term(token: re.Match[str]) -> Term | None:
    negated_quote, phrase, star, word = token.groups()
    if word is None:
        negated, text, prefix = bool(negated_quote), phrase, bool(star)
    else:
        negated = word.startswith("-") and len(word) > 1
        text = word[1:] if negated else word
        prefix = text.endswith("*")
        text = text.rstrip("*")
    text = text.strip()
    if not indexable(text):
        return None
    # A one-letter prefix would match most of the index; it is taken as the letter itself.
    prefix = prefix and sum(ch.isalnum() for ch in text) >= 2
    return Term(text, prefix, negated)


def parse(text: str) -> Query:
    """Parse what the inspector typed; never raises."""
    items: list[Term | str] = []
    for token in _TOKEN.finditer(_clean(text)):
        if token.group(4) == "OR":
            items.append("OR")
            continue
        term = _term(token)
        if term is not None:
            items.append(term)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False
    for index, item in enumerate(items):
        if item == "OR":
            # An operator only between two positive terms; otherwise the literal word "or".
            before = items[index - 1] if index else None
            after = items[index + 1] if index + 1 < len(items) else None
            if _positive(before) and _positive(after) and groups:
                joining = True
                continue
            item = Term("OR")
        assert isinstance(item, Term)
        if item.negated:
            excluded.append(item)
        elif joining:
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _positive(item: Term | str | None) -> bool:
    return isinstance(item, Term) and not item.negated
