"""Dates typed by inspectors: ISO (2018-10-15), UK style (15/10/2018), or 'today'."""

import re
from datetime import date

from ctdesk.errors import InvalidInput

_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str, what: str = "date") -> str:
    """The date as ISO ``YYYY-MM-DD``; raises ``InvalidInput`` with a sentence if it is not one."""
    value = text.strip().lower()
    if value == "today":
        return date.today().isoformat()
    try:
        match = _UK.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day).isoformat()
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a {what}; write it as YYYY-MM-DD (e.g. 2018-10-15) or DD/MM/YYYY."
        ) from None


def optional_date(text: str | None, what: str = "date") -> str | None:
    """``parse_date`` for optional values; an empty string clears the date."""
    if text is None or not text.strip():
        return None
    return parse_date(text, what)


def today_iso() -> str:
    """Today's local date as ``YYYY-MM-DD``."""
    return date.today().isoformat()
