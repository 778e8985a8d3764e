"""Undo and redo for record actions, built on revisions: undoing makes the earlier revision
current again (as a new revision), so nothing is ever lost by undoing either."""

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ctdesk.changes import Changes
from ctdesk.errors import CtdeskError

if TYPE_CHECKING:
    from ctdesk.ui.session import Session

_VERBS = {
    "create": "add",
    "edit": "edit",
    "delete": "move to trash",
    "restore": "restore",
    "revert": "restore a version of",
}
_MERGE_ID = 0x4354  # consecutive edits of one record merge into one undo step


class RecordCommand(QUndoCommand):
    """One user action on one record: ``before`` (None when it was created) → ``after``."""

    def __init__(
        self,
        session: "Session",
        kind: str,
        record_id: str,
        before: str | None,
        after: str,
        label: str,
    ) -> None:
        super().__init__(label)
        self._session = session
        self.kind = kind
        self.record_id = record_id
        self.before = before
        self.after = after
        self._done = True  # pushed after the action already happened

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, RecordCommand) or other.record_id != self.record_id:
            return False
        if not self.text().startswith("Edit") or not other.text().startswith("Edit"):
            return False
        self.after = other.after
        return True

    def _go(self, revision: str | None) -> None:
        service = self._session.workbook.record_kinds()[self.kind]
        try:
            if revision is None:
                service.delete(self.record_id)
            else:
                service.revert(self.record_id, revision)
        except CtdeskError as exc:
            self.setObsolete(True)
            self._session.failed.emit(f"Could not undo or redo this step: {exc}")
            return
        self._session.announce(Changes.of(self.kind, self.record_id), origin=self)

    def undo(self) -> None:
        self._go(self.before)
        self._done = False

    def redo(self) -> None:
        if self._done:
            return  # the action itself already did this
        self._go(self.after)
        self._done = True


def label_for(op: str, noun: str, title: str) -> str:
    verb = _VERBS.get(op, op)
    short = title if len(title) <= 40 else title[:39] + "…"
    return f"{verb.capitalize()} {noun} “{short}”"
