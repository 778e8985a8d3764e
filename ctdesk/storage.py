"""The store refusing a write (full disk, read-only file, busy workbook), for the layers above
the database: the error to catch and the sentence that explains it."""

from ctdesk.db import connection

StoreError = connection.Error
explain = connection.explain

__all__ = ["StoreError", "explain"]
