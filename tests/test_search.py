"""Full-text search: the forgiving query syntax, ranking and snippets, filters, and the index
kept in step with every change."""

import dataclasses
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctdesk import search_query
from ctdesk.errors import CtdeskError, InvalidInput, NotFound
from ctdesk.search import Filters, filters_for
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR

# --- the query syntax -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("referral", '(("referral"))'),
        ("Referral forms", '(("Referral") AND ("forms"))'),
        ('"referral form"', '(("referral form"))'),
        ("refer*", '(("refer"*))'),
        ('"referral fo"*', '(("referral fo"*))'),
        ("channel -panel", '(("channel")) NOT ("panel")'),
        ('channel -"panel minutes"', '(("channel")) NOT ("panel minutes")'),
        ("schools OR colleges training", '(("schools" OR "colleges") AND ("training"))'),
        ("a OR b OR c", '(("a" OR "b" OR "c"))'),
        ("OR schools", '(("OR") AND ("schools"))'),
        ("schools OR", '(("schools") AND ("OR"))'),
        ("schools or colleges", '(("schools") AND ("or") AND ("colleges"))'),
        ("referral-form", '(("referral-form"))'),
        ('say "hello', '(("say") AND ("hello"))'),
        ('he said ""quoted""', '(("he") AND ("said") AND ("quoted"))'),
        ("NEAR(a b)", '(("NEAR(a") AND ("b)"))'),
        ("title:foo", '(("title:foo"))'),
    ],
)
def test_typed_queries_become_quoted_fts_expressions(typed: str, expression: str) -> None:
    assert search_query.parse(typed).fts() == expression


@pytest.mark.parametrize("typed", ["", "   ", "*", "-", '"', '""', "-referral", "🙂", "- * ''"])
def test_queries_with_nothing_to_find_are_empty(typed: str) -> None:
    assert search_query.parse(typed).empty


# --- searching a workbook ----------------------------------------------------------------------


@pytest.fixture
def notes(workbook: Workbook) -> dict[str, str]:
    """A few notes across forces; returns title → id."""
    add = workbook.notes.add
    made = [
        add(force="kent", title="Referral forms", body="Schools send referrals by email."),
        add(force="kent", title="Channel panel", body="The panel meets monthly; minutes kept."),
        add(force="surrey", title="Training", body="Prevent training is mandatory for officers."),
        add(force="essex", title="Information sharing", body="Partners share information late."),
    ]
    return {note.value.title: note.value.id for note in made}


def found(workbook: Workbook, text: str, filters: Filters | None = None) -> set[str]:
    return {hit.record_id for hit in workbook.search(text, filters).hits}


HOSTILE = [
    '"',
    "AND",
    "OR",
    "NOT",
    "*",
    "referral-form",
    "NEAR(",
    "NEAR(referral schools, 2)",
    "'; DROP TABLE notes; --",
    "title:referral",
    "^referral",
    "referral +schools",
    "(((",
    ")",
    "{title body}: referral",
    "-",
    "--referral",
    "**",
    "a\x00b",
    "\x1b[31mred",
    "refer\u200bral",
    "\u202eferral",
    "إحالة",
    "🙂 referral 🙂",
    "x" * 5000,
    " ".join(["referral"] * 300),
    '"unterminated phrase',
    "\\",
    "%_",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_queries_return_results_or_nothing(
    workbook: Workbook, notes: dict[str, str], typed: str
) -> None:
    results = workbook.search(typed)
    assert results.total == len(results.hits)
    assert {h.record_id for h in results.hits} <= set(notes.values())
    # The table is intact afterwards.
    assert len(workbook.notes.all()) == len(notes)


def test_words_match_regardless_of_case_and_common_endings(
    workbook: Workbook, notes: dict[str, str]
) -> None:
    assert found(workbook, "REFERRAL") == {notes["Referral forms"]}
    assert found(workbook, "officer") == {notes["Training"]}
    assert found(workbook, "shared") == {notes["Information sharing"]}


def test_all_words_must_match(workbook: Workbook, notes: dict[str, str]) -> None:
    assert found(workbook, "panel minutes") == {notes["Channel panel"]}
    assert found(workbook, "panel referral") == set()


def test_phrase_prefix_exclusion_and_or(workbook: Workbook, notes: dict[str, str]) -> None:
    assert found(workbook, '"late information"') == set()
    assert found(workbook, '"share information"') == {notes["Information sharing"]}
    assert found(workbook, "manda*") == {notes["Training"]}
    assert found(workbook, "panel OR training") == {notes["Channel panel"], notes["Training"]}
    assert found(workbook, "monthly -minutes") == set()
    assert found(workbook, "referral-forms") == {notes["Referral forms"]}


def test_title_matches_rank_above_body_matches(workbook: Workbook) -> None:
    body = workbook.notes.add(force="kent", title="Meeting", body="We discussed the hub.").value
    title = workbook.notes.add(force="kent", title="Hub visit", body="We met people.").value
    assert [h.record_id for h in workbook.search("hub").hits] == [title.id, body.id]


def test_snippet_highlights_the_matched_words(workbook: Workbook, notes: dict[str, str]) -> None:
    hit = workbook.search("referrals email").hits[0]
    marked = [hit.snippet[start:end].lower() for start, end in hit.spans]
    assert marked == ["referrals", "email"]
    assert hit.title == "Referral forms" and hit.kind == "note" and hit.force_id == "kent"
    assert hit.marking == "OFFICIAL-SENSITIVE" and hit.author == AUTHOR


def test_limit_keeps_the_best_and_total_counts_them_all(workbook: Workbook) -> None:
    for n in range(7):
        workbook.notes.add(force="kent", title=f"Visit {n}", body="hub " * (n + 1))
    results = workbook.search("hub", limit=3)
    assert results.total == 7 and len(results.hits) == 3
    assert [h.title for h in results.hits] == ["Visit 6", "Visit 5", "Visit 4"]


# --- the index follows every change ------------------------------------------------------------


def test_index_follows_edit_delete_restore_revert_and_purge(workbook: Workbook) -> None:
    note = workbook.notes.add(force="kent", title="Hub", body="radicalisation concerns").value
    assert found(workbook, "radicalisation") == {note.id}
    first = workbook.notes.history(note.id)[-1].hash
    workbook.notes.edit(note.id, body="safeguarding concerns")
    assert found(workbook, "radicalisation") == set()
    assert found(workbook, "safeguarding") == {note.id}
    workbook.notes.delete(note.id)
    assert found(workbook, "safeguarding") == set()
    workbook.notes.restore(note.id)
    assert found(workbook, "safeguarding") == {note.id}
    workbook.notes.revert(note.id, first)
    assert found(workbook, "radicalisation") == {note.id}
    workbook.notes.delete(note.id)
    workbook.empty_trash()
    assert found(workbook, "radicalisation concerns hub") == set()


def test_documents_are_found_by_title_reference_provider_and_text_file(
    workbook: Workbook, tmp_path: Path
) -> None:
    text = tmp_path / "minutes.txt"
    text.write_text("The board agreed a new escalation protocol.", encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01escalation\xff")
    doc = workbook.documents.add(
        force="kent",
        title="Prevent board minutes",
        category="channel-document",
        reference="PB/2019/04",
        provided_by="Kent Prevent lead",
        file=text,
    ).value
    other = workbook.documents.add(
        force="kent", title="Scanned letter", category="other", file=binary
    ).value
    assert found(workbook, "board minutes") == {doc.id}
    assert found(workbook, "PB/2019/04") == {doc.id}
    assert found(workbook, "lead") == {doc.id}
    assert found(workbook, "escalation protocol") == {doc.id}
    assert found(workbook, "scanned") == {other.id}
    assert found(workbook, "escalation") == {doc.id}  # the binary file is not read as text
    workbook.documents.attach(doc.id, binary, name="scan.txt")
    assert found(workbook, "protocol") == set()


def test_findings_are_found_by_text_and_kind(workbook: Workbook) -> None:
    finding = workbook.findings.add(
        force="kent", area="A1", kind="cause-of-concern", text="Referrals are not tracked."
    ).value
    assert found(workbook, "referral tracked") == {finding.id}
    assert found(workbook, '"cause of concern"') == {finding.id}
    hit = workbook.search("tracked").hits[0]
    assert hit.title == "Cause of concern: Referrals are not tracked."


def test_the_index_survives_reopening(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        note = wb.notes.add(force="kent", title="Hub", body="radicalisation").value
    with Workbook.open(workbook_path) as wb:
        assert found(wb, "radicalisation") == {note.id}


# --- filters -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filtered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workbook, dict[str, str]]]:
    """Records varying in every filtered property, all containing the word 'hub'."""
    path = tmp_path_factory.mktemp("filters") / "filters.ctdesk"
    wb = Workbook.create(path)
    ids: dict[str, str] = {}
    ids["kent-note"] = wb.notes.add(force="kent", title="hub", areas=["A1"]).value.id
    ids["kent-os"] = wb.notes.add(
        force="kent", title="hub", marking="OFFICIAL-SENSITIVE PERSONAL DATA", areas=["A2"]
    ).value.id
    ids["surrey-note"] = wb.notes.add(
        force="surrey", title="hub", marking="OFFICIAL", areas=["A1", "A3"]
    ).value.id
    ids["essex-doc"] = wb.documents.add(
        force="essex", title="hub", category="channel-document", areas=["A1"], marking="OFFICIAL"
    ).value.id
    ids["kent-finding"] = wb.findings.add(
        force="kent", area="A3", kind="strength", text="hub"
    ).value.id
    ids["national"] = wb.findings.add(
        force=None, area="A2", kind="area-for-improvement", text="hub"
    ).value.id
    wb.settings = dataclasses.replace(wb.settings, author="Another Inspector")
    ids["cumbria-note"] = wb.notes.add(force="cumbria", title="hub", marking="OFFICIAL").value.id
    yield wb, ids
    wb.close()


FILTER_VALUES: dict[str, list[str]] = {
    "force": ["kent", "Surrey Police", "essex"],
    "region": ["south east", "north west", "eastern"],
    "area": ["A1", "A2", "A3"],
    "kind": ["note", "evidence", "findings"],
    "marking": ["OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE PERSONAL DATA"],
    "author": ["test", "another"],
    "since": ["2000-01-01", "2999-01-01"],
    "until": ["2000-01-01", "2999-01-01"],
}


def hits(wb: Workbook, **typed: str) -> set[str]:
    return found(wb, "hub", filters_for(wb.scope, **typed))


def test_each_filter_keeps_the_right_records(filtered: tuple[Workbook, dict[str, str]]) -> None:
    wb, ids = filtered
    names = {v: k for k, v in ids.items()}

    def named(**typed: str) -> set[str]:
        return {names[i] for i in hits(wb, **typed)}

    assert named() == set(ids)
    assert named(force="kent") == {"kent-note", "kent-os", "kent-finding"}
    assert named(region="north west") == {"cumbria-note"}
    assert named(area="A1") == {"kent-note", "surrey-note", "essex-doc"}
    assert named(area="A2") == {"kent-os", "national"}
    assert named(kind="document") == {"essex-doc"}
    assert named(kind="finding") == {"kent-finding", "national"}
    assert named(marking="OFFICIAL") == {"surrey-note", "essex-doc", "cumbria-note"}
    sensitive = {"kent-note", "kent-os", "kent-finding", "national"}
    assert named(marking="official-sensitive") == sensitive
    assert named(marking="OFFICIAL-SENSITIVE PERSONAL DATA") == {"kent-os"}
    assert named(author="another") == {"cumbria-note"}
    assert named(since="2999-01-01") == set()
    assert named(until="2000-01-01") == set()
    assert named(until="today") == set(ids)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(sorted(FILTER_VALUES)),
        st.integers(min_value=0, max_value=2),
        min_size=2,
    )
)
def test_filters_combine_as_the_intersection_of_each(
    filtered: tuple[Workbook, dict[str, str]], chosen: dict[str, int]
) -> None:
    wb, _ids = filtered
    typed = {name: FILTER_VALUES[name][i % len(FILTER_VALUES[name])] for name, i in chosen.items()}
    each = [hits(wb, **{name: value}) for name, value in typed.items()]
    assert hits(wb, **typed) == set.intersection(*each)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ({"force": "atlantis"}, NotFound),
        ({"kind": "memo"}, InvalidInput),
        ({"since": "last tuesday"}, InvalidInput),
        ({"marking": "SECRET"}, CtdeskError),
        ({"area": "Z9"}, NotFound),
    ],
)
def test_bad_filter_values_are_refused_with_a_sentence(
    workbook: Workbook, typed: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        filters_for(workbook.scope, **typed)
    assert str(caught.value).endswith(".")


def test_every_pair_of_kinds_and_forces_is_searchable(workbook: Workbook) -> None:
    for force, kind in itertools.product(["kent", "surrey"], ["note", "document", "finding"]):
        if kind == "note":
            workbook.notes.add(force=force, title="hub")
        elif kind == "document":
            workbook.documents.add(force=force, title="hub", category="channel-document")
        else:
            workbook.findings.add(force=force, area="A1", kind="strength", text="hub")
    for force, kind in itertools.product(["kent", "surrey"], ["note", "document", "finding"]):
        filters = filters_for(workbook.scope, force=force, kind=kind)
        assert len(workbook.search("hub", filters).hits) == 1


def test_national_findings_can_be_searched_alone(
    filtered: tuple[Workbook, dict[str, str]],
) -> None:
    wb, ids = filtered
    assert hits(wb, force="national") == {ids["national"]}


def test_past_the_rank_window_only_the_newest_matches_compete(
    workbook: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctdesk.search as search_mod

    monkeypatch.setattr(search_mod, "RANK_WINDOW", 3)
    old = workbook.notes.add(force="kent", title="hub hub", body="hub hub hub").value
    newer = [
        workbook.notes.add(force="kent", title=f"Visit {n}", body="hub").value for n in range(4)
    ]
    results = workbook.search("hub")
    assert (results.total, results.ranked, results.windowed) == (5, 3, True)
    assert {h.record_id for h in results.hits} == {n.id for n in newer[1:]}
    # Editing the old note makes it one of the newest again, and its title match wins.
    workbook.notes.edit(old.id, body="hub hub hub hub")
    assert workbook.search("hub").hits[0].record_id == old.id
    assert workbook.search("hub", filters_for(workbook.scope, kind="finding")).total == 0


def test_a_text_file_in_another_encoding_is_found_and_never_breaks_search(
    workbook: Workbook, tmp_path: Path
) -> None:
    latin = tmp_path / "minutes.csv"
    latin.write_bytes("Minutes of the café meeting about referrals, £200".encode("cp1252"))
    doc = workbook.documents.add(
        force="kent", title="Board minutes", category="channel-document", file=latin
    ).value
    results = workbook.search("café referrals")
    assert [h.record_id for h in results.hits] == [doc.id]
    assert "£200" in results.hits[0].snippet


@pytest.mark.parametrize(
    ("marking", "word"),
    [
        ("OFFICIAL-SENSITIVE HOME OFFICE USE ONLY", "office"),
        ("OFFICIAL-SENSITIVE HR / MANAGEMENT", "management"),
        ("OFFICIAL-SENSITIVE D.O.E. USE ONLY", "use"),
    ],
)
def test_words_of_a_marking_are_not_searchable_text(
    workbook: Workbook, marking: str, word: str
) -> None:
    note = workbook.notes.add(force="kent", title="Visit", body="hub", marking=marking).value
    assert found(workbook, word) == set()
    assert found(workbook, word[:3] + "*") == set()
    assert found(workbook, f"hub -{word}") == {note.id}
    assert found(workbook, "hub", filters_for(workbook.scope, marking=marking)) == {note.id}
    other = "OFFICIAL-SENSITIVE PERSONAL DATA"
    assert found(workbook, "hub", filters_for(workbook.scope, marking=other)) == set()


def test_emptying_the_trash_leaves_no_trace_of_the_words_in_the_file(
    workbook: Workbook, workbook_path: Path
) -> None:
    sentinel = "zyxwvutsrq"
    for n in range(30):  # enough rows that the index has several segments
        workbook.notes.add(force="kent", title=f"Other {n}", body="ordinary words " * 20)
    note = workbook.notes.add(force="kent", title="Gone", body=f"The {sentinel} source.").value
    workbook.notes.edit(note.id, body=f"The {sentinel} source, edited.")
    workbook.notes.delete(note.id)
    workbook.empty_trash()
    workbook.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert found(workbook, sentinel) == set()
    assert sentinel.encode() not in workbook_path.read_bytes()


def test_author_filter_folds_every_letter_not_only_ascii(workbook: Workbook) -> None:
    workbook.settings = dataclasses.replace(workbook.settings, author="ÉLODIE Durand")
    note = workbook.notes.add(force="kent", title="hub").value
    assert hits(workbook, author="élodie") == {note.id}
    assert hits(workbook, author="ELODIE") == set()  # an accent is part of the name


def test_dates_are_local_days(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from ctdesk.dates import day_start_utc

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert day_start_utc("2026-07-01") == "2026-06-30T23:00:00.000Z"  # summer time
        assert day_start_utc("2026-12-01") == "2026-12-01T00:00:00.000Z"
        assert day_start_utc("2026-07-01", 1) == "2026-07-01T23:00:00.000Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_one_letter_prefix_is_the_letter_itself() -> None:
    assert search_query.parse("t*").fts() == '(("t"))'
    assert search_query.parse("tr*").fts() == '(("tr"*))'


def test_only_the_start_of_a_long_text_file_is_searched(workbook: Workbook, tmp_path: Path) -> None:
    from ctdesk.db.search_schema import MAX_TEXT

    log = tmp_path / "referral-log.csv"
    filler = "row,closed,panel,channel\n" * (MAX_TEXT // 20)
    log.write_text("opening-marker\n" + filler + "tail-marker\n", encoding="utf-8")
    doc = workbook.documents.add(
        force="kent", title="Referral log", category="channel-document", file=log
    ).value
    assert found(workbook, "opening-marker") == {doc.id}
    assert found(workbook, "tail-marker") == set()
