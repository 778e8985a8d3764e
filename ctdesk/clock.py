"""Timestamps and identifiers for records."""

import uuid
from datetime import UTC, datetime


def now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds, e.g. ``2026-11-29T09:40:12.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    """A fresh random UUID for a fieldwork record."""
    return str(uuid.uuid4())
