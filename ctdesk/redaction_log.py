"""The redaction log: what was marked for redaction, in which record, by whom, when and why."""

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ctdesk import redaction
from ctdesk.clock import new_id, now_iso
from ctdesk.db import redactions as redactions_db

if TYPE_CHECKING:
    from ctdesk.workbook import Workbook


@dataclass(frozen=True)
class RedactionEntry:
    id: str
    record_kind: str
    record_id: str
    force_id: str | None
    excerpt: str  # the words marked for redaction
    reason: str
    author: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RedactionLog:
    def __init__(self, workbook: "Workbook") -> None:
        self._wb = workbook

    def note_changes(
        self,
        kind: str,
        record_id: str,
        force_id: str | None,
        old_text: str,
        new_text: str,
        reason: str = "",
    ) -> int:
        """Log every span ``new_text`` has that ``old_text`` did not; returns how many."""
        before = Counter(s.text for s in redaction.spans(old_text))
        rows = []
        now = now_iso()
        for span in redaction.spans(new_text):
            if before[span.text] > 0:
                before[span.text] -= 1
                continue
            rows.append(
                {
                    "id": new_id(),
                    "record_kind": kind,
                    "record_id": record_id,
                    "force_id": force_id,
                    "excerpt": span.text,
                    "reason": " ".join(reason.split())[:500],
                    "author": self._wb.author,
                    "created_at": now,
                }
            )
        redactions_db.insert_many(self._wb.db, rows)
        return len(rows)

    def entries(self, force: str | None = None) -> list[RedactionEntry]:
        """The log, oldest first, optionally for one force."""
        force_id = self._wb.scope.force(force).id if force else None
        return [
            RedactionEntry(**row) for row in redactions_db.select(self._wb.db, force_id=force_id)
        ]


def to_csv(entries: list[RedactionEntry]) -> bytes:
    """The log as CSV (UTF-8 with BOM so spreadsheet programs read it right)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    columns = ("created_at", "author", "record_kind", "record_id", "force_id", "excerpt", "reason")
    writer.writerow(columns)
    for entry in entries:
        row = [str(getattr(entry, c) or "") for c in columns]
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
