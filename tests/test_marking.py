"""Protective markings: parsing, canonical form, validation and ordering (no Qt)."""

import itertools
import string
from datetime import date, time

import pytest
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from ctdesk.marking import (
    DESCRIPTORS,
    HANDLING_INSTRUCTIONS,
    LABELS,
    OFFICIAL,
    OFFICIAL_SENSITIVE,
    Classification,
    Marking,
    MarkingError,
    allows,
    highest,
    parse_marking,
)

# --- valid input -> canonical string ---------------------------------------------------------

VALID = [
    ("OFFICIAL", "OFFICIAL"),
    ("official", "OFFICIAL"),
    ("  Official \t", "OFFICIAL"),
    ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
    ("official-sensitive", "OFFICIAL-SENSITIVE"),
    ("OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE"),
    ("OFFICIAL–SENSITIVE", "OFFICIAL-SENSITIVE"),  # en dash
    ("Official — Sensitive", "OFFICIAL-SENSITIVE"),  # em dash with spaces
    ("OFFICIAL-SENSITIVE PERSONAL DATA", "OFFICIAL-SENSITIVE PERSONAL DATA"),
    ("official  sensitive\npersonal   data", "OFFICIAL-SENSITIVE PERSONAL DATA"),
    (
        "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA",
        "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA",
    ),
    (
        "official-sensitive personal data recipients only",
        "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA",
    ),
    ("OFFICIAL FOR PUBLIC RELEASE", "OFFICIAL FOR PUBLIC RELEASE"),
    ("OFFICIAL-SENSITIVE HMG USE ONLY", "OFFICIAL-SENSITIVE HMG USE ONLY"),
    ("OFFICIAL HMG USE ONLY", "OFFICIAL HMG USE ONLY"),
    ("OFFICIAL-SENSITIVE HOME OFFICE USE ONLY", "OFFICIAL-SENSITIVE HOME OFFICE USE ONLY"),
    (
        "official sensitive home office use only legal",
        "OFFICIAL-SENSITIVE HOME OFFICE USE ONLY LEGAL",
    ),
    (
        "OFFICIAL-SENSITIVE PERSONAL DATA HOME OFFICE USE ONLY",
        "OFFICIAL-SENSITIVE HOME OFFICE USE ONLY PERSONAL DATA",
    ),
    (
        "OFFICIAL-SENSITIVE DEPARTMENT FOR EDUCATION USE ONLY",
        "OFFICIAL-SENSITIVE DEPARTMENT FOR EDUCATION USE ONLY",
    ),
    (
        "OFFICIAL-SENSITIVE GOVERNMENT LEGAL DEPARTMENT USE ONLY",
        "OFFICIAL-SENSITIVE GOVERNMENT LEGAL DEPARTMENT USE ONLY",
    ),
    (
        "OFFICIAL-SENSITIVE Dyfed-Powys Police use only",
        "OFFICIAL-SENSITIVE DYFED-POWYS POLICE USE ONLY",
    ),
    (
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 09:00",
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 09:00",
    ),
    (
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01",
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01",
    ),
    ("official embargoed until 01/12/2026 9.00", "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00"),
    (
        "OFFICIAL EMBARGOED 2026-12-01T09:00 MARKET SENSITIVE",
        "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 MARKET SENSITIVE",
    ),
    (
        "OFFICIAL-SENSITIVE COMMERCIAL EMBARGOED UNTIL 2026-12-01 17:30",
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 17:30 COMMERCIAL",
    ),
    ("OFFICIAL-SENSITIVE HR/MANAGEMENT", "OFFICIAL-SENSITIVE HR / MANAGEMENT"),
    ("OFFICIAL-SENSITIVE hr / management", "OFFICIAL-SENSITIVE HR / MANAGEMENT"),
    ("OFFICIAL LEGAL PROFESSIONAL PRIVILEGE", "OFFICIAL LEGAL PROFESSIONAL PRIVILEGE"),
    ("OFFICIAL-SENSITIVE LEGAL", "OFFICIAL-SENSITIVE LEGAL"),
    ("OFFICIAL COMMERCIAL", "OFFICIAL COMMERCIAL"),
    ("OFFICIAL MARKET SENSITIVE", "OFFICIAL MARKET SENSITIVE"),
    ("OFFICIAL-SENSITIVE MARKET SENSITIVE", "OFFICIAL-SENSITIVE MARKET SENSITIVE"),
    (
        "OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE RECIPIENTS ONLY",
        "OFFICIAL-SENSITIVE RECIPIENTS ONLY LEGAL PROFESSIONAL PRIVILEGE",
    ),
]


@pytest.mark.parametrize(("text", "canonical"), VALID)
def test_valid_markings_parse_to_canonical_form(text: str, canonical: str) -> None:
    marking = parse_marking(text)
    assert str(marking) == canonical
    assert parse_marking(canonical) == marking


def test_parse_fills_the_fields() -> None:
    marking = parse_marking("official sensitive personal data home office use only")
    assert marking == Marking(
        Classification.OFFICIAL,
        sensitive=True,
        handling="HOME OFFICE USE ONLY",
        descriptor="PERSONAL DATA",
    )
    assert marking.label == "OFFICIAL-SENSITIVE"
    assert marking.level == 1


def test_market_sensitive_is_a_descriptor_not_the_sensitive_marking() -> None:
    marking = parse_marking("OFFICIAL MARKET SENSITIVE")
    assert marking.sensitive is False
    assert marking.descriptor == "MARKET SENSITIVE"
    assert marking.label == "OFFICIAL"


def test_embargo_keeps_date_and_time() -> None:
    assert parse_marking("OFFICIAL EMBARGOED UNTIL 2026-02-03 00:00").handling == (
        "EMBARGOED UNTIL 2026-02-03 00:00"
    )
    assert parse_marking("OFFICIAL EMBARGOED UNTIL 3/2/2026").handling == (
        "EMBARGOED UNTIL 2026-02-03"
    )


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("SECRET", "SECRET"),
        ("secret recipients only", "SECRET RECIPIENTS ONLY"),
        ("top secret", "TOP SECRET"),
        ("TOP-SECRET HMG USE ONLY PERSONAL DATA", "TOP SECRET HMG USE ONLY PERSONAL DATA"),
    ],
)
def test_above_official_only_when_allowed(text: str, canonical: str) -> None:
    assert str(parse_marking(text, allow_above_official=True)) == canonical
    with pytest.raises(MarkingError, match="accredited system"):
        parse_marking(text)


# --- invalid input -> MarkingError -----------------------------------------------------------

INVALID = [
    ("", "empty"),
    ("   \t ", "empty"),
    ("UNCLASSIFIED", "no UNCLASSIFIED"),
    ("unclassified personal data", "no UNCLASSIFIED"),
    ("NOT PROTECTIVELY MARKED", "OFFICIAL"),
    ("RESTRICTED", "2014"),
    ("CONFIDENTIAL PERSONAL DATA", "OFFICIAL-SENSITIVE"),
    ("PROTECT", "old marking"),
    ("SECRET", "does not belong in ctdesk"),
    ("TOP SECRET", "accredited system"),
    ("SECRET-SENSITIVE", "does not belong in ctdesk"),
    ("OFFICIALS", "not a classification"),
    ("PERSONAL DATA", "starts with its classification"),
    ("SENSITIVE", "OFFICIAL-SENSITIVE"),
    ("OFFICIAL RECIPIENTS ONLY", "plain OFFICIAL"),
    ("OFFICIAL-SENSITIVE FOR PUBLIC RELEASE", "never with OFFICIAL-SENSITIVE"),
    ("OFFICIAL FOR PUBLIC RELEASE PERSONAL DATA", "descriptor"),
    ("OFFICIAL PERSONAL DATA FOR PUBLIC RELEASE", "descriptor"),
    ("OFFICIAL-SENSITIVE EMBARGOED", "date and time"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL", "date and time"),
    ("OFFICIAL-SENSITIVE EMBARGOED PERSONAL DATA", "date and time"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-13-01", "not a real date"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-02-30 09:00", "not a real date"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL 1ST DECEMBER", "YYYY-MM-DD"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 25:00", "HH:MM"),
    ("OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 9AM", "HH:MM"),
    ("OFFICIAL-SENSITIVE RECIPIENTS ONLY HMG USE ONLY", "one handling instruction"),
    ("OFFICIAL-SENSITIVE RECIPIENTS ONLY RECIPIENTS ONLY", "one handling instruction"),
    (
        "OFFICIAL-SENSITIVE EMBARGOED UNTIL 2026-12-01 RECIPIENTS ONLY",
        "one handling instruction",
    ),
    ("OFFICIAL-SENSITIVE PERSONAL DATA COMMERCIAL", "one descriptor"),
    ("OFFICIAL-SENSITIVE LEGAL RECIPIENTS ONLY LEGAL", "one descriptor"),
    ("OFFICIAL-SENSITIVE UK EYES ONLY", "'UK EYES ONLY'"),
    ("OFFICIAL-SENSITIVE PERSONAL DATA PLEASE", "'PLEASE'"),
    ("OFFICIAL-SENSITIVE HOME OFFICE ONLY", "HOME OFFICE USE ONLY"),
    ("OFFICIAL-SENSITIVE, PERSONAL DATA", "spaces"),
    ("OFFICIAL-SENSITIVE; RECIPIENTS ONLY", "spaces"),
    ("OFFICIAL-SENSITIVE USE ONLY", "name of the organisation"),
    ("OFFICIAL FOR OFFICIAL USE ONLY", "cannot contain OFFICIAL"),
    ("OFFICIAL-SENSITIVE HOME OFFICE! USE ONLY", "organisation name"),
    ("OFFICIAL " + "X" * 81 + " USE ONLY", "80 characters"),
    ("OFFICIAL PERSONAL DATA SENSITIVE", "out of place"),
    ("OFFICIAL OFFICIAL-SENSITIVE", "out of place"),
]


@pytest.mark.parametrize(("text", "key"), INVALID)
def test_invalid_markings_are_refused_with_a_sentence(text: str, key: str) -> None:
    with pytest.raises(MarkingError) as caught:
        parse_marking(text)
    message = str(caught.value)
    assert key in message
    assert "\n" not in message
    assert message.endswith(".")
    assert message[0].isupper() or message[0] in "'-"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("SECRET SENSITIVE", "-SENSITIVE goes only with OFFICIAL"),
        ("TOP SECRET-SENSITIVE", "-SENSITIVE goes only with OFFICIAL"),
        ("SECRET FOR PUBLIC RELEASE", "not for public release"),
        ("UNCLASSIFIED", "no UNCLASSIFIED"),
        ("BANANA", "SECRET or TOP SECRET"),
    ],
)
def test_invalid_even_when_above_official_is_allowed(text: str, key: str) -> None:
    with pytest.raises(MarkingError, match=key):
        parse_marking(text, allow_above_official=True)


def test_secret_refusal_names_the_level_and_says_where_it_belongs() -> None:
    with pytest.raises(MarkingError) as caught:
        parse_marking("top secret personal data")
    assert str(caught.value) == (
        "TOP SECRET material does not belong in ctdesk: this laptop tool is for OFFICIAL and "
        "OFFICIAL-SENSITIVE information; record it on an accredited system."
    )


def test_marking_error_is_a_value_error() -> None:
    assert issubclass(MarkingError, ValueError)


# --- direct construction ---------------------------------------------------------------------


def test_construction_normalises_handling_and_descriptor() -> None:
    marking = Marking(
        Classification.OFFICIAL,
        sensitive=True,
        handling=" home  office use only ",
        descriptor="hr/management",
    )
    assert marking.handling == "HOME OFFICE USE ONLY"
    assert marking.descriptor == "HR / MANAGEMENT"
    assert str(marking) == "OFFICIAL-SENSITIVE HOME OFFICE USE ONLY HR / MANAGEMENT"
    assert Marking(Classification.OFFICIAL, handling="", descriptor=" ") == OFFICIAL


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"classification": Classification.SECRET, "sensitive": True}, "-SENSITIVE"),
        ({"classification": Classification.OFFICIAL, "handling": "RECIPIENTS ONLY"}, "plain"),
        (
            {
                "classification": Classification.OFFICIAL,
                "sensitive": True,
                "handling": "FOR PUBLIC RELEASE",
            },
            "FOR PUBLIC RELEASE",
        ),
        (
            {
                "classification": Classification.OFFICIAL,
                "handling": "FOR PUBLIC RELEASE",
                "descriptor": "LEGAL",
            },
            "descriptor",
        ),
        ({"classification": Classification.OFFICIAL, "descriptor": "SECRET"}, "not a descriptor"),
        ({"classification": Classification.OFFICIAL, "handling": "PERSONAL DATA"}, "descriptor"),
        ({"classification": Classification.OFFICIAL, "handling": "EMBARGOED"}, "date and time"),
        ({"classification": Classification.OFFICIAL, "handling": "EYES ONLY"}, "'EYES ONLY'"),
        (
            {"classification": Classification.OFFICIAL, "handling": "HMG USE ONLY RECIPIENTS ONLY"},
            "one handling instruction",
        ),
        (
            {"classification": Classification.OFFICIAL, "handling": "LEGAL AID AGENCY USE ONLY"},
            "cannot begin with the descriptor LEGAL",
        ),
    ],
)
def test_invalid_construction_is_refused(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(MarkingError, match=key):
        Marking(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("organisation", "word"),
    [
        ("SENSITIVE", "SENSITIVE"),
        ("RECIPIENTS", "RECIPIENTS"),
        ("HOME OFFICIAL", "OFFICIAL"),
        ("TOP-SECRET", "SECRET"),
        ("UNTIL", "UNTIL"),
    ],
)
def test_organisation_names_cannot_hold_marking_words(organisation: str, word: str) -> None:
    # e.g. "OFFICIAL SENSITIVE USE ONLY" would read back as OFFICIAL-SENSITIVE.
    with pytest.raises(MarkingError, match=f"cannot contain {word}"):
        Marking(Classification.OFFICIAL, handling=f"{organisation} USE ONLY")


@pytest.mark.parametrize(
    "handling",
    [
        "GOVERNMENT LEGAL DEPARTMENT USE ONLY",
        "HOME PERSONAL DATA USE ONLY",
        "DEPARTMENT FOR EDUCATION USE ONLY",
        "MARKET USE ONLY",
        "TOP USE ONLY",
        "HM TREASURY & CABINET OFFICE USE ONLY",
        "EMBARGOED UNTIL 2026-12-01",
    ],
)
@pytest.mark.parametrize("descriptor", [None, *DESCRIPTORS])
def test_awkward_handling_round_trips(handling: str, descriptor: str | None) -> None:
    marking = Marking(
        Classification.OFFICIAL, sensitive=True, handling=handling, descriptor=descriptor
    )
    assert parse_marking(str(marking)) == marking
    assert marking.handling == handling


def test_classification_must_be_the_enum() -> None:
    with pytest.raises(TypeError):
        Marking("OFFICIAL")  # type: ignore[arg-type]


def test_marking_is_frozen_and_hashable() -> None:
    with pytest.raises(AttributeError):
        OFFICIAL.sensitive = True  # type: ignore[misc]
    assert len({OFFICIAL, parse_marking("official"), OFFICIAL_SENSITIVE}) == 2


# --- constants -------------------------------------------------------------------------------


def test_constants() -> None:
    assert LABELS == ("OFFICIAL", "OFFICIAL-SENSITIVE")
    assert [parse_marking(label).label for label in LABELS] == list(LABELS)
    assert str(OFFICIAL) == "OFFICIAL" and OFFICIAL.level == 0
    assert str(OFFICIAL_SENSITIVE) == "OFFICIAL-SENSITIVE" and OFFICIAL_SENSITIVE.level == 1
    assert DESCRIPTORS == (
        "PERSONAL DATA",
        "LEGAL PROFESSIONAL PRIVILEGE",
        "LEGAL",
        "MARKET SENSITIVE",
        "COMMERCIAL",
        "HR / MANAGEMENT",
    )
    for descriptor in DESCRIPTORS:
        assert parse_marking(f"OFFICIAL-SENSITIVE {descriptor}").descriptor == descriptor
    for required in ("RECIPIENTS ONLY", "FOR PUBLIC RELEASE", "HMG USE ONLY", "EMBARGOED"):
        assert required in HANDLING_INSTRUCTIONS
    assert "[ORGANISATION] USE ONLY" in HANDLING_INSTRUCTIONS


def test_complete_handling_instructions_parse_as_themselves() -> None:
    for handling in ("RECIPIENTS ONLY", "HMG USE ONLY"):
        assert parse_marking(f"OFFICIAL-SENSITIVE {handling}").handling == handling
    assert parse_marking("OFFICIAL FOR PUBLIC RELEASE").handling == "FOR PUBLIC RELEASE"


# --- ordering --------------------------------------------------------------------------------

SECRET = Marking(Classification.SECRET)
TOP_SECRET = Marking(Classification.TOP_SECRET)


def test_levels_order_the_markings() -> None:
    ordered = [OFFICIAL, OFFICIAL_SENSITIVE, SECRET, TOP_SECRET]
    assert [m.level for m in ordered] == [0, 1, 2, 3]
    assert [m.label for m in ordered] == ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]
    assert Classification.OFFICIAL < Classification.SECRET < Classification.TOP_SECRET
    assert parse_marking("OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA").level == 1
    assert parse_marking("OFFICIAL FOR PUBLIC RELEASE").level == 0


def test_label_leaves_out_handling_and_descriptor() -> None:
    assert parse_marking("OFFICIAL-SENSITIVE RECIPIENTS ONLY LEGAL").label == "OFFICIAL-SENSITIVE"
    assert parse_marking("OFFICIAL COMMERCIAL").label == "OFFICIAL"


def test_highest() -> None:
    assert highest([]) == OFFICIAL
    assert highest(iter([OFFICIAL, TOP_SECRET, OFFICIAL_SENSITIVE, SECRET])) == TOP_SECRET
    assert highest([OFFICIAL_SENSITIVE, OFFICIAL]) == OFFICIAL_SENSITIVE
    first = parse_marking("OFFICIAL-SENSITIVE PERSONAL DATA")
    second = parse_marking("OFFICIAL-SENSITIVE RECIPIENTS ONLY")
    assert highest([OFFICIAL, first, second]) is first
    assert highest([OFFICIAL, second, first]) is second


def test_allows() -> None:
    assert allows(OFFICIAL_SENSITIVE, OFFICIAL)
    assert allows(OFFICIAL_SENSITIVE, parse_marking("OFFICIAL-SENSITIVE PERSONAL DATA"))
    assert not allows(OFFICIAL_SENSITIVE, SECRET)
    assert not allows(OFFICIAL, OFFICIAL_SENSITIVE)
    assert allows(TOP_SECRET, SECRET)


# --- properties ------------------------------------------------------------------------------

_ORGANISATION_WORDS = st.sampled_from(
    [
        "HOME",
        "OFFICE",
        "HMICFRS",
        "NCTPHQ",
        "CPS",
        "POLICE",
        "DYFED-POWYS",
        "FOR",
        "AND",
        "OF",
        "EDUCATION",
        "MAJESTY'S",
        "&",
        "LEGAL",
        "PERSONAL",
        "DATA",
        "MARKET",
        "PUBLIC",
        "RELEASE",
        "COMMERCIAL",
        "HR",
        "MANAGEMENT",
        "PRIVILEGE",
        "TOP",
        "USE",
        "ONLY",
        "RECIPIENTS",
        "EMBARGOED",
        "UNTIL",
        "SENSITIVE",
        "OFFICIAL",
        "2026",
        "home",
        "Office",
    ]
) | st.text(alphabet=string.ascii_letters + string.digits + "&'.-()", min_size=1, max_size=8)


@st.composite
def _handlings(draw: st.DrawFn) -> str | None:
    kind = draw(st.sampled_from(["none", "recipients", "public", "hmg", "organisation", "embargo"]))
    if kind == "none":
        return None
    if kind == "recipients":
        return "RECIPIENTS ONLY"
    if kind == "public":
        return "FOR PUBLIC RELEASE"
    if kind == "hmg":
        return "HMG USE ONLY"
    if kind == "organisation":
        words = draw(st.lists(_ORGANISATION_WORDS, min_size=1, max_size=4))
        return " ".join(words) + " USE ONLY"
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    at = draw(st.none() | st.times().map(lambda t: time(t.hour, t.minute)))
    return f"EMBARGOED UNTIL {day.isoformat()}" + ("" if at is None else f" {at:%H:%M}")


@st.composite
def markings(draw: st.DrawFn, above_official: bool = True, complete: bool = False) -> Marking:
    """Valid markings; ``complete`` ones have both a handling instruction and a descriptor."""
    tiers = list(Classification) if above_official else [Classification.OFFICIAL]
    classification = draw(st.sampled_from(tiers))
    sensitive = classification is Classification.OFFICIAL and draw(st.booleans())
    handling = draw(_handlings())
    descriptor = draw(
        st.sampled_from(DESCRIPTORS) if complete else st.none() | st.sampled_from(DESCRIPTORS)
    )
    if complete and handling is None:
        reject()
    try:
        return Marking(classification, sensitive, handling, descriptor)
    except MarkingError:
        reject()


@given(markings())
def test_round_trip(marking: Marking) -> None:
    assert parse_marking(str(marking), allow_above_official=True) == marking


@given(markings(above_official=False))
def test_round_trip_without_allowing_above_official(marking: Marking) -> None:
    assert parse_marking(str(marking)) == marking


@given(markings())
def test_parse_is_idempotent_on_canonical_strings(marking: Marking) -> None:
    canonical = str(marking)
    once = parse_marking(canonical, allow_above_official=True)
    assert str(once) == canonical
    assert parse_marking(str(once), allow_above_official=True) == once


@given(markings())
def test_str_is_canonical(marking: Marking) -> None:
    text = str(marking)
    assert text == text.upper() == text.strip()
    assert "  " not in text
    parts = [marking.label, marking.handling, marking.descriptor]
    assert text == " ".join(p for p in parts if p is not None)


_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", " \t "])


@given(markings(), st.data())
def test_case_and_whitespace_do_not_matter(marking: Marking, data: st.DataObject) -> None:
    canonical = str(marking)
    if marking.sensitive:
        hyphen = data.draw(st.sampled_from(["-", " ", "–", " - ", "—"]))
        canonical = "OFFICIAL" + hyphen + canonical.removeprefix("OFFICIAL-")
    pieces = []
    for ch in canonical:
        if ch == " ":
            pieces.append(data.draw(_SPACES))
        else:
            pieces.append(ch.lower() if data.draw(st.booleans()) else ch)
    messy = data.draw(st.sampled_from(["", " ", "\n\t"])) + "".join(pieces) + data.draw(_SPACES)
    assert parse_marking(messy, allow_above_official=True) == marking


@given(markings(complete=True))
def test_descriptor_may_come_before_the_handling_instruction(marking: Marking) -> None:
    assert marking.handling is not None and marking.descriptor is not None
    # The one reading that cannot be told apart: LEGAL before an organisation whose name starts
    # PROFESSIONAL PRIVILEGE is read as LEGAL PROFESSIONAL PRIVILEGE.
    assume(not (marking.descriptor == "LEGAL" and marking.handling.startswith("PROFESSIONAL")))
    swapped = f"{marking.label} {marking.descriptor} {marking.handling}"
    assert parse_marking(swapped, allow_above_official=True) == marking


@given(st.lists(markings(), max_size=8), st.data())
def test_highest_is_order_independent_in_level(
    markings_: list[Marking], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(markings_))
    top = highest(markings_)
    assert top.level == highest(shuffled).level == max((m.level for m in markings_), default=0)
    if markings_:
        # The first marking of the highest level is the one returned.
        assert top is next(m for m in markings_ if m.level == top.level)
        assert all(allows(top, m) for m in markings_)
    else:
        assert top == OFFICIAL


@given(markings(), markings(), markings())
def test_allows_is_a_total_preorder_consistent_with_level(
    a: Marking, b: Marking, c: Marking
) -> None:
    assert allows(a, a)
    assert allows(a, b) or allows(b, a)
    if allows(a, b) and allows(b, c):
        assert allows(a, c)
    assert allows(a, b) == (b.level <= a.level)
    assert (allows(a, b) and allows(b, a)) or a.level != b.level


def test_every_pair_of_levels_compares_as_expected() -> None:
    ladder = [OFFICIAL, OFFICIAL_SENSITIVE, SECRET, TOP_SECRET]
    for (i, lower), (j, upper) in itertools.product(enumerate(ladder), repeat=2):
        assert allows(upper, lower) == (i <= j)
