"""The store refusing a write is explained in a sentence, and nothing half-written stays."""

import pytest

from ctdesk.db import connection
from ctdesk.workbook import Workbook


def test_full_disk_is_explained_and_the_transaction_rolled_back(workbook: Workbook) -> None:
    before = len(workbook.notes.all())
    pages = workbook.db.execute("PRAGMA page_count").fetchone()[0]
    workbook.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(connection.Error) as caught:
        workbook.notes.add(force="kent", title="Big", body="words " * 50_000)
    message = connection.explain(caught.value)
    assert message is not None and message.startswith("The disk is full")
    workbook.db.execute("PRAGMA max_page_count = 1073741823")
    assert len(workbook.notes.all()) == before  # no half-written note
    assert workbook.search("words").total == 0


def test_read_only_and_other_errors(workbook: Workbook) -> None:
    workbook.db.execute("PRAGMA query_only = ON")
    with pytest.raises(connection.Error) as caught:
        workbook.notes.add(force="kent", title="t")
    assert "read-only" in (connection.explain(caught.value) or "")
    assert connection.explain(ValueError("full")) is None
