"""Dates typed by inspectors: ISO (2018-10-15), UK style (15/10/2018), or 'today'."""

import re
from datetime import UTC, date, datetime, timedelta

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


def day_start_utc(iso_date: str, days_after: int = 0) -> str:
    """The instant local midnight begins ``iso_date`` (plus ``days_after`` days), as a UTC
    timestamp in the records' format (``2026-11-28T23:00:00.000Z``): what a date typed by
    the inspector means when compared with when records changed."""
    day = date.fromisoformat(iso_date) + timedelta(days=days_after)
    start = datetime.combine(day, datetime.min.time()).astimezone(UTC)
    return start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
