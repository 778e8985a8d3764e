"""Showing where a search matched inside a text editor."""

from collections.abc import Sequence

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit


def reveal_words(edit: QPlainTextEdit, words: Sequence[str]) -> bool:
    """Scroll to the first occurrence of any of ``words`` and mark every occurrence.

    The marks are extra selections, not the selection, so typing never replaces a match; the
    cursor rests at the start of the first one. False if no word occurs.
    """
    document = edit.document()
    colour = edit.palette().highlight().color()
    colour.setAlpha(90)
    fmt = QTextCharFormat()
    fmt.setBackground(colour)
    marks: list[QTextEdit.ExtraSelection] = []
    first: QTextCursor | None = None
    # Finding is case-insensitive, so 'Schools' and 'schools' are one word.
    for word in dict.fromkeys(w.strip().lower() for w in words if w.strip()):
        cursor = QTextCursor(document)
        while True:
            cursor = document.find(word, cursor, QTextDocument.FindFlag(0))
            if cursor.isNull():
                break
            mark = QTextEdit.ExtraSelection()
            mark.cursor = QTextCursor(cursor)  # type: ignore[misc]
            mark.format = fmt  # type: ignore[misc]
            marks.append(mark)
            if first is None or cursor.selectionStart() < first.selectionStart():
                first = QTextCursor(cursor)
    edit.setExtraSelections(marks)
    if first is None:
        return False
    at = QTextCursor(document)
    at.setPosition(first.selectionStart())
    edit.setTextCursor(at)
    edit.centerCursor()
    return True
