"""Protective markings (UK Government Security Classifications), parsed and put in canonical form.

A marking is a classification (OFFICIAL, SECRET, TOP SECRET), the ``-SENSITIVE`` marking (only
with OFFICIAL), at most one handling instruction and at most one descriptor, written in capitals
in that order: ``OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA``.

ctdesk runs on an ordinary laptop, so it is for OFFICIAL and OFFICIAL-SENSITIVE material only;
:func:`parse_marking` refuses SECRET and TOP SECRET unless the caller explicitly allows them.

Input is forgiving (any case, any whitespace, ``OFFICIAL SENSITIVE`` or an en dash for the
hyphen, handling instruction and descriptor in either order); the result is strict and
canonical, and ``parse_marking(str(m)) == m`` for every :class:`Marking` (pass
``allow_above_official=True`` for SECRET and TOP SECRET ones).

Handling instructions are ``RECIPIENTS ONLY`` (not with plain OFFICIAL), ``FOR PUBLIC RELEASE``
(plain OFFICIAL only, and without a descriptor), ``[ORGANISATION] USE ONLY`` (``HMG USE ONLY``,
``HOME OFFICE USE ONLY``, ...) and ``EMBARGOED UNTIL YYYY-MM-DD`` with an optional ``HH:MM``
(24-hour clock; ``DD/MM/YYYY`` and ``H.MM`` are accepted as input).

An organisation name is one or more words of ASCII letters, digits and ``& ' . - ( )``; it may
not contain the words OFFICIAL, SECRET, SENSITIVE, RECIPIENTS, USE, ONLY, UNTIL or EMBARGOED, nor
begin with a descriptor: ``OFFICIAL-SENSITIVE LEGAL HOME OFFICE USE ONLY`` reads as the
descriptor LEGAL with ``HOME OFFICE USE ONLY``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from enum import IntEnum

from ctdesk.errors import InvalidInput

__all__ = [
    "DESCRIPTORS",
    "HANDLING_INSTRUCTIONS",
    "LABELS",
    "OFFICIAL",
    "OFFICIAL_SENSITIVE",
    "ORGANISATION_USE_ONLY",
    "Classification",
    "Marking",
    "MarkingError",
    "allows",
    "highest",
    "parse_marking",
]


class MarkingError(InvalidInput, ValueError):
    """A marking that cannot be accepted; ``str(error)`` is one sentence worded for the user."""


class Classification(IntEnum):
    """The three classification tiers; each value is the level of the unadorned tier."""

    OFFICIAL = 0
    SECRET = 2
    TOP_SECRET = 3

    @property
    def label(self) -> str:
        """The tier as written in a marking: ``OFFICIAL``, ``SECRET`` or ``TOP SECRET``."""
        return self.name.replace("_", " ")


_RECIPIENTS_ONLY = "RECIPIENTS ONLY"
_FOR_PUBLIC_RELEASE = "FOR PUBLIC RELEASE"
ORGANISATION_USE_ONLY = "[ORGANISATION] USE ONLY"
"""Template for the organisation form: replace ``[ORGANISATION]`` by the organisation's name."""

#: Handling instructions for UI choices, in the order to offer them. Two are templates to
#: complete before use: ``[ORGANISATION] USE ONLY`` (e.g. ``HOME OFFICE USE ONLY``) and
#: ``EMBARGOED`` (``EMBARGOED UNTIL 2026-12-01 09:00``; the time is optional).
HANDLING_INSTRUCTIONS: tuple[str, ...] = (
    _RECIPIENTS_ONLY,
    _FOR_PUBLIC_RELEASE,
    "HMG USE ONLY",
    ORGANISATION_USE_ONLY,
    "EMBARGOED",
)

#: Descriptors, in the order the Government Security Classifications list them.
DESCRIPTORS: tuple[str, ...] = (
    "PERSONAL DATA",
    "LEGAL PROFESSIONAL PRIVILEGE",
    "LEGAL",
    "MARKET SENSITIVE",
    "COMMERCIAL",
    "HR / MANAGEMENT",
)

#: The levels this laptop tool accepts, for combo boxes.
LABELS: tuple[str, ...] = ("OFFICIAL", "OFFICIAL-SENSITIVE")

_HANDLING_HELP = (
    "RECIPIENTS ONLY, FOR PUBLIC RELEASE, HMG USE ONLY, [ORGANISATION] USE ONLY "
    "or EMBARGOED UNTIL a date"
)
_DESCRIPTOR_HELP = ", ".join(DESCRIPTORS[:-1]) + " or " + DESCRIPTORS[-1]
_EMBARGO_EXAMPLE = "EMBARGOED UNTIL 2026-12-01 09:00"

# Phrases as word lists, longest first so that LEGAL PROFESSIONAL PRIVILEGE wins over LEGAL.
_FIXED_HANDLING: tuple[tuple[str, ...], ...] = (
    ("FOR", "PUBLIC", "RELEASE"),
    ("RECIPIENTS", "ONLY"),
)
_DESCRIPTOR_WORDS: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(d.split(" ")) for d in DESCRIPTORS), key=len, reverse=True)
)
_CLASSIFICATION_WORDS = frozenset({"OFFICIAL", "SECRET", "SENSITIVE", "TOP"})
_RESERVED_IN_ORGANISATION = frozenset(
    {"OFFICIAL", "SECRET", "SENSITIVE", "RECIPIENTS", "USE", "ONLY", "UNTIL", "EMBARGOED"}
)
_ORGANISATION_WORD = re.compile(r"[A-Z0-9][A-Z0-9&'.()-]*|&")
_MAX_ORGANISATION = 80

_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u2018\u2019\u02bc", "'"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", " "),
    }
)
_CLASSIFICATION = re.compile(r"(OFFICIAL|SECRET|TOP[ -]?SECRET)(?:(?: ?- ?| )(SENSITIVE))?(?= |$)")
_HR_MANAGEMENT = re.compile(r"\bHR ?/ ?MANAGEMENT\b")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_DATE_T_TIME = re.compile(r"[\d-]+T[\d:.]+")

_NO_UNCLASSIFIED = ("UNCLASSIFIED", "NOT PROTECTIVELY MARKED", "NPM", "UNMARKED")
_PRE_2014 = ("RESTRICTED", "CONFIDENTIAL", "PROTECT")


@dataclass(frozen=True, order=False)
class Marking:
    """A valid protective marking; construction normalises and checks it (:class:`MarkingError`).

    ``handling`` and ``descriptor`` may be given in any case and spacing; they are stored in
    canonical form, and a blank string counts as none.
    """

    classification: Classification
    sensitive: bool = False
    handling: str | None = None
    descriptor: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.classification, Classification):
            raise TypeError(f"classification must be a Classification, not {self.classification!r}")
        handling = _normalise_handling(self.handling)
        descriptor = _normalise_descriptor(self.descriptor)
        object.__setattr__(self, "sensitive", bool(self.sensitive))
        object.__setattr__(self, "handling", handling)
        object.__setattr__(self, "descriptor", descriptor)
        _check_combination(self.classification, self.sensitive, handling, descriptor)

    @property
    def level(self) -> int:
        """OFFICIAL 0, OFFICIAL-SENSITIVE 1, SECRET 2, TOP SECRET 3: the order exports use."""
        return int(self.classification) + (1 if self.sensitive else 0)

    @property
    def label(self) -> str:
        """Classification and -SENSITIVE only: ``OFFICIAL-SENSITIVE``, ``TOP SECRET``, ..."""
        return "OFFICIAL-SENSITIVE" if self.sensitive else self.classification.label

    def __str__(self) -> str:
        parts = (self.label, self.handling, self.descriptor)
        return " ".join(part for part in parts if part)


def parse_marking(text: str, *, allow_above_official: bool = False) -> Marking:
    """Read a marking typed by a user (or stored by ctdesk) and return it in canonical form.

    Raises :class:`MarkingError`, with one sentence for the user, if the text is not a valid
    marking, or is SECRET or TOP SECRET and ``allow_above_official`` is false.
    """
    folded = _fold(text)
    if not folded:
        raise MarkingError(
            "The protective marking is empty: enter OFFICIAL or OFFICIAL-SENSITIVE, optionally "
            "followed by a handling instruction and a descriptor."
        )
    _refuse_punctuation(folded)
    match = _CLASSIFICATION.match(folded)
    if match is None:
        raise MarkingError(_unknown_classification(folded, allow_above_official))
    tier = match.group(1)
    classification = Classification.TOP_SECRET if tier.startswith("TOP") else Classification[tier]
    sensitive = match.group(2) is not None
    if classification is not Classification.OFFICIAL and not allow_above_official:
        raise MarkingError(
            f"{classification.label} material does not belong in ctdesk: this laptop tool is "
            "for OFFICIAL and OFFICIAL-SENSITIVE information; record it on an accredited system."
        )
    if sensitive and classification is not Classification.OFFICIAL:
        raise MarkingError(_sensitive_above_official(classification))
    scan = _scan(folded[match.end() :].split())
    _check_scan(scan)
    return Marking(
        classification,
        sensitive=sensitive,
        handling=scan.handlings[0] if scan.handlings else None,
        descriptor=scan.descriptors[0] if scan.descriptors else None,
    )


def highest(markings: Iterable[Marking]) -> Marking:
    """The marking with the highest level (the first of equals); OFFICIAL if there is none."""
    best: Marking | None = None
    for marking in markings:
        if best is None or marking.level > best.level:
            best = marking
    return OFFICIAL if best is None else best


def allows(maximum: Marking, marking: Marking) -> bool:
    """Whether ``marking`` is at or below the level of ``maximum``."""
    return marking.level <= maximum.level


# --- normalisation and checks -------------------------------------------------------------------


def _fold(text: str) -> str:
    """Capitals, one space between words, one kind of hyphen, ``HR / MANAGEMENT`` spaced."""
    folded = " ".join(text.translate(_TRANSLATION).upper().split())
    return _HR_MANAGEMENT.sub("HR / MANAGEMENT", folded)


def _refuse_punctuation(folded: str) -> None:
    for mark in (",", ";"):
        if mark in folded:
            raise MarkingError(
                f"Separate the parts of a marking with spaces, not '{mark}': for example "
                "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA."
            )


def _unknown_classification(folded: str, allow_above_official: bool) -> str:
    first = folded.split(" ")[0]
    for phrase in _NO_UNCLASSIFIED:
        if folded == phrase or folded.startswith(phrase + " "):
            return (
                f"There is no {phrase} marking under the Government Security Classifications: "
                "mark the material OFFICIAL, or OFFICIAL-SENSITIVE if it must not be released."
            )
    for old in _PRE_2014:
        if first == old or first.startswith(old + "-"):
            return (
                f"{old} is an old marking from before the 2014 Government Security "
                "Classifications: use OFFICIAL-SENSITIVE instead (or OFFICIAL if the material "
                "is not sensitive)."
            )
    if first == "SENSITIVE":
        return "Write SENSITIVE after OFFICIAL, as OFFICIAL-SENSITIVE, at the start of the marking."
    try:
        scan = _scan(folded.split(" "))
    except MarkingError:
        scan = _Scan(unknown=[folded])
    if not scan.unknown:
        return (
            f"A marking starts with its classification: put OFFICIAL or OFFICIAL-SENSITIVE "
            f"before '{folded}'."
        )
    choices = (
        "OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET"
        if allow_above_official
        else "OFFICIAL or OFFICIAL-SENSITIVE"
    )
    return f"'{first}' is not a classification: a marking starts with {choices}."


def _sensitive_above_official(classification: Classification) -> str:
    return (
        f"-SENSITIVE goes only with OFFICIAL: mark the material {classification.label} "
        "without -SENSITIVE."
    )


def _check_combination(
    classification: Classification, sensitive: bool, handling: str | None, descriptor: str | None
) -> None:
    if sensitive and classification is not Classification.OFFICIAL:
        raise MarkingError(_sensitive_above_official(classification))
    plain_official = classification is Classification.OFFICIAL and not sensitive
    if handling == _RECIPIENTS_ONLY and plain_official:
        raise MarkingError(
            "RECIPIENTS ONLY cannot go with plain OFFICIAL: mark the material "
            "OFFICIAL-SENSITIVE RECIPIENTS ONLY, or remove RECIPIENTS ONLY."
        )
    if handling == _FOR_PUBLIC_RELEASE:
        if sensitive:
            raise MarkingError(
                "FOR PUBLIC RELEASE goes only with plain OFFICIAL, never with "
                "OFFICIAL-SENSITIVE: remove -SENSITIVE if the material has been cleared for "
                "release, or remove FOR PUBLIC RELEASE."
            )
        if not plain_official:
            raise MarkingError(
                f"FOR PUBLIC RELEASE goes only with plain OFFICIAL: {classification.label} "
                "material is not for public release, so remove FOR PUBLIC RELEASE."
            )
        if descriptor is not None:
            raise MarkingError(
                f"FOR PUBLIC RELEASE cannot carry a descriptor: remove {descriptor}, or remove "
                "FOR PUBLIC RELEASE if the material is not cleared for release."
            )


def _normalise_handling(handling: str | None) -> str | None:
    if handling is None:
        return None
    folded = _fold(handling)
    if not folded:
        return None
    _refuse_punctuation(folded)
    scan = _scan(folded.split(" "))
    if scan.descriptors and not scan.handlings and not scan.unknown:
        raise MarkingError(
            f"{scan.descriptors[0]} is a descriptor, not a handling instruction: give it as the "
            "descriptor."
        )
    if scan.descriptors and not scan.unknown:
        descriptor = scan.descriptors[0]
        if folded.startswith(descriptor + " ") and folded.endswith(" USE ONLY"):
            raise MarkingError(
                f"'{folded}' cannot be used: an organisation name cannot begin with the "
                f"descriptor {descriptor}, so write the organisation another way, such as its "
                "abbreviation."
            )
        raise MarkingError(
            f"'{folded}' is not a single handling instruction: {descriptor} is a descriptor, "
            "so give it as the descriptor instead."
        )
    _check_scan(scan)
    if len(scan.handlings) != 1:  # unreachable: words that are not handling are unrecognised
        raise MarkingError(f"'{folded}' is not a handling instruction: use {_HANDLING_HELP}.")
    return scan.handlings[0]


def _normalise_descriptor(descriptor: str | None) -> str | None:
    if descriptor is None:
        return None
    folded = _fold(descriptor)
    if not folded:
        return None
    if folded not in DESCRIPTORS:
        raise MarkingError(f"'{folded}' is not a descriptor: use {_DESCRIPTOR_HELP}.")
    return folded


# --- reading what follows the classification ----------------------------------------------------


@dataclass
class _Scan:
    handlings: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _match(words: Sequence[str], start: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """The number of words of the first phrase found at ``words[start:]``; 0 if none is."""
    for phrase in phrases:
        if tuple(words[start : start + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _scan(words: Sequence[str]) -> _Scan:
    """Sort the words after the classification into handling, descriptors and unrecognised.

    Words that are not a known phrase are held back: ``USE ONLY`` makes them the organisation
    name, anything else leaves them unrecognised. A descriptor is taken as such when it starts a
    run of words (so it may come before the handling instruction) and, within held-back words,
    when they turn out not to be an organisation name.
    """
    scan = _Scan()
    pending: list[str] = []
    i = 0
    while i < len(words):
        if length := _match(words, i, _FIXED_HANDLING):
            _flush(pending, scan)
            scan.handlings.append(" ".join(words[i : i + length]))
            i += length
        elif tuple(words[i : i + 2]) == ("USE", "ONLY"):
            scan.handlings.append(_organisation_handling(pending))
            pending = []
            i += 2
        elif words[i] == "EMBARGOED":
            _flush(pending, scan)
            handling, i = _embargo(words, i)
            scan.handlings.append(handling)
        elif not pending and (length := _match(words, i, _DESCRIPTOR_WORDS)):
            scan.descriptors.append(" ".join(words[i : i + length]))
            i += length
        else:
            pending.append(words[i])
            i += 1
    _flush(pending, scan)
    return scan


def _flush(pending: list[str], scan: _Scan) -> None:
    """Record held-back words that are not an organisation name: descriptors or unrecognised."""
    run: list[str] = []
    i = 0
    while i < len(pending):
        if length := _match(pending, i, _DESCRIPTOR_WORDS):
            if run:
                scan.unknown.append(" ".join(run))
                run = []
            scan.descriptors.append(" ".join(pending[i : i + length]))
            i += length
        else:
            run.append(pending[i])
            i += 1
    if run:
        scan.unknown.append(" ".join(run))
    pending.clear()


def _check_scan(scan: _Scan) -> None:
    if scan.unknown:
        words = " ".join(scan.unknown).split(" ")
        if any(part in _CLASSIFICATION_WORDS for word in words for part in word.split("-")):
            raise MarkingError(
                f"'{' '.join(scan.unknown)}' is out of place: the classification, with "
                "-SENSITIVE if any, comes once at the start of the marking, for example "
                "OFFICIAL-SENSITIVE RECIPIENTS ONLY PERSONAL DATA."
            )
        only = len(scan.unknown) == 1 and scan.unknown[0].endswith(" ONLY")
        if only and "EYES" not in scan.unknown[0].split(" "):  # UK EYES ONLY is no organisation
            organisation = scan.unknown[0].removesuffix(" ONLY")
            raise MarkingError(
                f"Remove or correct '{scan.unknown[0]}': if it limits the material to an "
                f"organisation, write {organisation} USE ONLY."
            )
        quoted = " and ".join(f"'{run}'" for run in scan.unknown)
        raise MarkingError(
            f"Remove or correct {quoted}: ctdesk knows no such handling instruction or "
            f"descriptor, and a marking takes at most one handling instruction ({_HANDLING_HELP}) "
            f"and at most one descriptor ({_DESCRIPTOR_HELP})."
        )
    if len(scan.handlings) > 1:
        raise MarkingError(
            "A marking takes one handling instruction, but this one has "
            f"{' and '.join(scan.handlings)}: keep only one."
        )
    if len(scan.descriptors) > 1:
        raise MarkingError(
            "A marking takes one descriptor, but this one has "
            f"{' and '.join(scan.descriptors)}: keep only one."
        )


def _organisation_handling(name: Sequence[str]) -> str:
    if not name:
        raise MarkingError(
            "USE ONLY needs the name of the organisation in front of it, for example "
            "HOME OFFICE USE ONLY or HMG USE ONLY."
        )
    organisation = " ".join(name)
    for word in name:
        reserved = _RESERVED_IN_ORGANISATION.intersection(word.split("-"))
        if reserved:
            raise MarkingError(
                f"'{organisation} USE ONLY' is not a handling instruction ctdesk accepts: an "
                f"organisation name cannot contain {min(reserved)}, so name the organisation, "
                "for example HOME OFFICE USE ONLY."
            )
        if not _ORGANISATION_WORD.fullmatch(word):
            raise MarkingError(
                f"'{word}' cannot be part of an organisation name: use letters, digits and "
                "& ' . - ( ) only, for example DYFED-POWYS POLICE USE ONLY."
            )
    if len(organisation) > _MAX_ORGANISATION:
        raise MarkingError(
            f"The organisation name in '{organisation} USE ONLY' is longer than "
            f"{_MAX_ORGANISATION} characters: use its usual abbreviation."
        )
    return f"{organisation} USE ONLY"


def _embargo(words: Sequence[str], start: int) -> tuple[str, int]:
    """Read ``EMBARGOED [UNTIL] date [time]`` at ``words[start]``; return it and the next index."""
    i = start + 1
    if i < len(words) and words[i] == "UNTIL":
        i += 1
    if i >= len(words) or not _has_digit(words[i]):
        raise MarkingError(
            "EMBARGOED needs the date and time the embargo ends: write it as "
            f"{_EMBARGO_EXAMPLE} (the time is optional)."
        )
    date_text, time_text = words[i], ""
    if _DATE_T_TIME.fullmatch(date_text):
        date_text, _, time_text = date_text.partition("T")
    i += 1
    if not time_text and i < len(words) and _has_digit(words[i]):
        time_text = words[i]
        i += 1
    until = _embargo_date(date_text).isoformat()
    if time_text:
        until += " " + _embargo_time(time_text).strftime("%H:%M")
    return f"EMBARGOED UNTIL {until}", i


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _embargo_date(text: str) -> date:
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in iso.groups())
    elif uk := _UK_DATE.fullmatch(text):
        day, month, year = (int(g) for g in uk.groups())
    else:
        raise MarkingError(
            f"'{text}' is not an embargo date ctdesk can read: write the date as YYYY-MM-DD, "
            f"for example {_EMBARGO_EXAMPLE}."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise MarkingError(
            f"'{text}' is not a real date: check the day and month of the embargo, for example "
            f"{_EMBARGO_EXAMPLE}."
        ) from None


def _embargo_time(text: str) -> time:
    found = _TIME.fullmatch(text)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise MarkingError(
            f"'{text}' is not an embargo time ctdesk can read: write the time as HH:MM on the "
            f"24-hour clock, for example {_EMBARGO_EXAMPLE}."
        )
    return time(int(found.group(1)), int(found.group(2)))


# Built last: constructing a Marking uses the helpers above.
OFFICIAL = Marking(Classification.OFFICIAL)
OFFICIAL_SENSITIVE = Marking(Classification.OFFICIAL, sensitive=True)
