"""The workbook's highest marking: what the window title shows, cheap at 100,000 notes."""

import time
from pathlib import Path

from ctdesk.db import records as records_db
from ctdesk.demo import generate
from ctdesk.marking import OFFICIAL, OFFICIAL_SENSITIVE, parse_marking
from ctdesk.workbook import Workbook


def test_the_highest_live_marking_of_every_kind(workbook: Workbook) -> None:
    assert workbook.highest_marking() == OFFICIAL  # nothing yet
    note = workbook.notes.add(force="kent", title="t", marking="OFFICIAL").value
    assert workbook.highest_marking() == OFFICIAL
    workbook.notes.edit(note.id, marking="OFFICIAL-SENSITIVE PERSONAL DATA")
    assert workbook.highest_marking().label == "OFFICIAL-SENSITIVE"
    workbook.notes.delete(note.id)  # the trash does not count
    assert workbook.highest_marking() == OFFICIAL
    activity = workbook.activities.plan("kent")[0]
    workbook.activities.set(activity.id, marking="OFFICIAL-SENSITIVE")
    assert workbook.highest_marking() == OFFICIAL_SENSITIVE
    workbook.activities.delete(activity.id)
    workbook.findings.add(
        force="kent", area="ct4.a1", kind="strength", text="x", marking="OFFICIAL-SENSITIVE"
    )
    assert workbook.highest_marking() == OFFICIAL_SENSITIVE


def test_markings_compare_as_text_in_level_order() -> None:
    ordered = [
        "OFFICIAL",
        "OFFICIAL FOR PUBLIC RELEASE",
        "OFFICIAL PERSONAL DATA",
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA",
        "SECRET",
        "TOP SECRET",
    ]
    parsed = [parse_marking(text, allow_above_official=True) for text in ordered]
    assert [str(m) for m in parsed] == ordered  # canonical, as ctdesk stores them
    for a in parsed:
        for b in parsed:
            if a.level < b.level:
                assert str(a) < str(b), (a, b)


def test_it_stays_cheap_on_a_big_workbook(tmp_path: Path) -> None:
    # Every note OFFICIAL: the query must read every live record, and still be quick.
    with Workbook.create(tmp_path / "big.ctdesk") as wb:
        generate(wb, notes=10_000)
        wb.db.execute("UPDATE notes SET marking = 'OFFICIAL'")
        wb.db.execute("UPDATE documents SET marking = 'OFFICIAL'")
        wb.db.execute("UPDATE findings SET marking = 'OFFICIAL'")
        wb.db.conn.commit()
        assert records_db.highest_live_marking(wb.db) == "OFFICIAL"
        started = time.perf_counter()
        for _ in range(5):
            assert wb.highest_marking() == OFFICIAL
        per_call = (time.perf_counter() - started) / 5
    assert per_call < 0.05  # 100,000 notes take about 10 ms
