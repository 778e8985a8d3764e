"""Showing text marked for redaction as such in the editor: a bar in the text's own colour
with the words in the page's (black on a light page, light on a dark one), markers muted."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from ctdesk.ui.theme import muted

_OPEN = 1  # block state: inside a span that continues on the next line


class RedactionHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.hidden = QTextCharFormat()
        self.marker = QTextCharFormat()
        self.marker.setFontWeight(QFont.Weight.Bold)
        self._colour(QGuiApplication.palette())
        app = QGuiApplication.instance()
        if app is not None:  # a change of theme recolours the bars
            app.installEventFilter(self)

    def _colour(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        self.hidden.setBackground(palette.color(QPalette.ColorRole.Text))
        self.hidden.setForeground(base)
        self.marker.setForeground(muted(palette, base))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        changed = event.type() == QEvent.Type.ApplicationPaletteChange
        if changed and watched is QGuiApplication.instance():
            self._colour(QGuiApplication.palette())
            self.rehighlight()
        return False

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
