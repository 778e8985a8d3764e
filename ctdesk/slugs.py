"""Choosing from a fixed list by slug or by name, forgivingly (``cause-of-concern``,
``Cause of concern`` and ``cause_of_concern`` are the same choice)."""

from collections.abc import Mapping

from ctdesk.errors import InvalidInput


def _key(text: str) -> str:
    return "-".join(text.strip().casefold().replace("_", " ").replace("-", " ").split())


def pick(value: str, choices: Mapping[str, str], what: str) -> str:
    """The slug of ``value`` among ``choices`` (slug → name); raises with the valid slugs."""
    wanted = _key(value)
    for slug, name in choices.items():
        if wanted in (_key(slug), _key(name)):
            return slug
    raise InvalidInput(f"'{value}' is not a {what}; use one of: {', '.join(choices)}.")
