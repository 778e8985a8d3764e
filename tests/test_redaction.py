"""Redaction spans: parsing, wrapping, redacting, and the log."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctdesk import redaction
from ctdesk.errors import InvalidInput
from ctdesk.workbook import Workbook

plain = st.text(alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a [[redact]] b", "not closed"),
        ("a [[/redact]] b", "with no"),
        ("[[redact]]a[[redact]]b[[/redact]][[/redact]]", "inside another"),
    ],
)
def test_unbalanced_markers_are_input_errors(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        redaction.spans(text)


def test_redact_and_unmark() -> None:
    text = "The source, [[redact]]DS Jane Smith[[/redact]], said [[REDACT]]x[[/Redact]]."
    assert redaction.redact(text) == "The source, [REDACTED], said [REDACTED]."
    assert redaction.unmark(text) == "The source, DS Jane Smith, said x."
    assert [s.text for s in redaction.spans(text)] == ["DS Jane Smith", "x"]


@given(before=plain, secret=plain.filter(lambda s: s.strip() != ""), after=plain)
def test_wrapped_words_never_survive_redaction(before: str, secret: str, after: str) -> None:
    text = before + secret + after
    wrapped = redaction.wrap(text, len(before), len(before) + len(secret))
    assert redaction.unmark(wrapped) == text
    redacted = redaction.redact(wrapped)
    assert redacted == before + redaction.TOKEN + after
    assert redaction.redact(redacted) == redacted  # idempotent: nothing left to redact


@given(parts=st.lists(st.tuples(plain, st.booleans()), max_size=8))
def test_redact_removes_every_span(parts: list[tuple[str, bool]]) -> None:
    text = "".join(f"{redaction.OPEN}{p}{redaction.CLOSE}" if secret else p for p, secret in parts)
    assert len(redaction.spans(text)) == sum(secret for _, secret in parts)
    redacted = redaction.redact(text)
    assert redaction.OPEN not in redacted and redaction.CLOSE not in redacted
    assert redacted.count(redaction.TOKEN) == sum(secret for _, secret in parts)


def test_wrap_refuses_overlaps_and_empty_selection() -> None:
    text = "one [[redact]]two[[/redact]] three"
    with pytest.raises(InvalidInput):
        redaction.wrap(text, 3, 3)
    with pytest.raises(InvalidInput, match=r"overlaps|markers"):
        redaction.wrap(text, 2, 20)


def test_log_records_new_spans_with_reason(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="t", body="plain").value
    workbook.notes.edit(
        note.id, body="x [[redact]]Name One[[/redact]]", redaction_reason="Personal data"
    )
    workbook.notes.edit(note.id, body="x [[redact]]Name One[[/redact]] and more")  # no new span
    workbook.notes.edit(note.id, body="x [[redact]]Name One[[/redact]] [[redact]]Two[[/redact]]")
    entries = workbook.redactions.entries()
    assert [(e.excerpt, e.reason) for e in entries] == [
        ("Name One", "Personal data"),
        ("Two", ""),
    ]
    assert all(e.author == workbook.author and e.force_id == "kent" for e in entries)
    assert workbook.redactions.entries("essex") == []


def test_unclosed_marker_writes_nothing(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="t", body="keep").value
    with pytest.raises(InvalidInput, match="not closed"):
        workbook.notes.edit(note.id, body="oops [[redact]] unclosed")
    assert workbook.notes.get(note.id).body == "keep"
    assert workbook.redactions.entries() == []
