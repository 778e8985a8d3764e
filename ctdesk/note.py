"""Notes: what an inspector writes during fieldwork in a force, tied to the areas it evidences
and, optionally, to the activity (interview, focus group, ...) it records."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ctdesk import redaction
from ctdesk.changes import Changed
from ctdesk.db.records import LinkSpec
from ctdesk.errors import InvalidInput
from ctdesk.record import AfterWrite, Record, Records

MAX_TITLE = 300
MAX_BODY = 2_000_000
# Control characters (C0 but tab and line breaks, DEL, C1): in a terminal they move the cursor,
# retitle the window or clear the screen; nothing an inspector types needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (a command-line argument typed
# in another encoding); they cannot be stored.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_encoding(text: str, what: str) -> str:
    """``text`` if it can be stored; raises ``InvalidInput`` if it holds bytes that are not
    UTF-8 (lone surrogates)."""
    if _SURROGATE.search(text):
        raise InvalidInput(
            f"The {what} holds bytes that are not UTF-8 text (typed or saved in another "
            "encoding); type it again or convert it to UTF-8."
        )
    return text


@dataclass(frozen=True)
class Note(Record):
    title: str
    body: str
    activity_id: str | None
    areas: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "force": self.force_id,
            "inspection": self.inspection_id,
            "title": self.title,
            "body": self.body,
            "areas": list(self.areas),
            "activity": self.activity_id,
            **self.common_json(),
        }


def clean_line(text: str, what: str, limit: int = MAX_TITLE, *, required: bool = True) -> str:
    """One line of text without control characters; raises if empty (when required), long, or
    not UTF-8."""
    check_encoding(text, f"{what} title" if required else what)
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    if required and not cleaned:
        raise InvalidInput(f"A {what} needs a title: a few words saying what it is about.")
    if len(cleaned) > limit:
        raise InvalidInput(f"A {what} title can be at most {limit} characters; shorten it.")
    return cleaned


def clean_text(text: str, what: str, limit: int = MAX_BODY) -> str:
    """Multi-line text with newlines normalised and control characters other than tab and
    newline removed; raises if absurdly long or not UTF-8."""
    check_encoding(text, what)
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(cleaned) > limit:
        raise InvalidInput(f"A {what} can be at most {limit:,} characters; split it up.")
    return cleaned


class Notes(Records[Note]):
    kind = "note"
    noun = "note"
    list_hint = "ctdesk note list"
    table = "notes"
    record_type = Note
    columns = ("title", "body", "marking", "activity_id")
    links: ClassVar = {"areas": LinkSpec("note_areas", "note_id", "area_id")}

    def _clean(
        self, values: dict[str, Any], old: Note | None, force_id: str | None
    ) -> dict[str, Any]:
        if "title" in values:
            values["title"] = clean_line(values["title"], "note")
        if "body" in values:
            values["body"] = redaction.check(clean_text(values["body"], "note body"))
        inspection_id = old.inspection_id if old else values.pop("inspection_id")
        if "areas" in values:
            values["areas"] = self._wb.scope.area_ids(values["areas"], inspection_id)
        if values.get("activity_id"):
            activity = self._wb.activities.get(values["activity_id"])
            if activity.force_id != force_id:
                raise InvalidInput("A note can only record an activity of its own force.")
            values["activity_id"] = activity.id
        elif "activity_id" in values:
            values["activity_id"] = None
        return values

    def add(
        self,
        *,
        force: str,
        title: str,
        body: str = "",
        areas: Sequence[str] = (),
        marking: str | None = None,
        inspection: str | None = None,
        activity: str | None = None,
        redaction_reason: str = "",
    ) -> Changed[Note]:
        """Create a note for a force (by id or name) in an inspection (default: the current).

        Spans marked ``[[redact]]…[[/redact]]`` in the body go to the redaction log with
        ``redaction_reason``."""
        frc, insp = self._wb.scope.force_in(force, inspection)
        force_id, inspection_id = frc.id, insp.id
        values = {
            "title": title,
            "body": body,
            "areas": areas,
            "marking": marking,
            "activity_id": activity,
            "inspection_id": inspection_id,
        }
        return self._create(
            force_id=force_id,
            inspection_id=inspection_id,
            values=values,
            after=self._log_redactions(redaction_reason),
        )

    def edit(
        self,
        ref: str,
        *,
        title: str | None = None,
        body: str | None = None,
        areas: Sequence[str] | None = None,
        marking: str | None = None,
        activity: str | None = None,
        redaction_reason: str = "",
    ) -> Changed[Note]:
        """Change a note; fields left as None keep their value (``activity=""`` unties it).

        Newly marked redaction spans go to the redaction log with ``redaction_reason``."""
        values: dict[str, Any] = {"title": title, "body": body, "marking": marking}
        if areas is not None:
            values["areas"] = areas
        if activity is not None:
            values["activity_id"] = activity
        return self._update(ref, values, after=self._log_redactions(redaction_reason))

    def _log_redactions(self, reason: str) -> "AfterWrite[Note]":
        def log(old: Note | None, new: Note) -> None:
            self._wb.redactions.note_changes(
                "note", new.id, new.force_id, old.body if old else "", new.body, reason
            )

        return log
