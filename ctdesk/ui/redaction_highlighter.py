"""Showing text marked for redaction as such in the editor: black bar, markers greyed."""

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

_OPEN = 1  # block state: inside a span that continues on the next line


class RedactionHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.hidden = QTextCharFormat()
        self.hidden.setBackground(QColor("#202020"))
        self.hidden.setForeground(QColor("#ffffff"))
        self.marker = QTextCharFormat()
        self.marker.setForeground(QColor("#8a8a8a"))
        self.marker.setFontWeight(QFont.Weight.Bold)

    def highlightBlock(self, text: str) -> None:
        start = 0
        if self.previousBlockState() == _OPEN:
            close = text.lower().find("[[/redact]]")
            if close < 0:
                self.setFormat(0, len(text), self.hidden)
                self.setCurrentBlockState(_OPEN)
                return
            self.setFormat(0, close, self.hidden)
            self.setFormat(close, len("[[/redact]]"), self.marker)
            start = close + len("[[/redact]]")
        self.setCurrentBlockState(0)
        pos = start
        lower = text.lower()
        while True:
            opening = lower.find("[[redact]]", pos)
            if opening < 0:
                return
            self.setFormat(opening, len("[[redact]]"), self.marker)
            inner = opening + len("[[redact]]")
            close = lower.find("[[/redact]]", inner)
            if close < 0:
                self.setFormat(inner, len(text) - inner, self.hidden)
                self.setCurrentBlockState(_OPEN)
                return
            self.setFormat(inner, close - inner, self.hidden)
            self.setFormat(close, len("[[/redact]]"), self.marker)
            pos = close + len("[[/redact]]")
