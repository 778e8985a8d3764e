"""Search results as a list model, and the delegate that draws a hit: title, where, snippet."""

from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from ctdesk.scope import Scope
from ctdesk.search import KINDS, Hit, Results
from ctdesk.ui.item_paint import draw_background

AnyIndex = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 3

KIND_NAMES = {"note": "Note", "document": "Document", "finding": "Finding"}
assert set(KIND_NAMES) == set(KINDS)


def snippet_html(hit: Hit) -> str:
    """The snippet as escaped HTML with the matched words in bold."""
    parts, at = [], 0
    for start, end in hit.spans:
        parts.append(escape(hit.snippet[at:start]))
        parts.append(f"<b>{escape(hit.snippet[start:end])}</b>")
        at = end
    parts.append(escape(hit.snippet[at:]))
    return "".join(parts)


class SearchResultsModel(QAbstractListModel):
    """One row per hit, best first."""

    def __init__(self, scope: Scope, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scope = scope
        self._hits: tuple[Hit, ...] = ()

    def set_results(self, results: Results) -> None:
        self.beginResetModel()
        self._hits = results.hits
        self.endResetModel()

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def _where(self, hit: Hit) -> str:
        if hit.force_id is None:
            return "National"
        try:
            return self._scope.force(hit.force_id).short_name
        except Exception:  # a force no longer in the scope data
            return hit.force_id

    def detail(self, hit: Hit) -> str:
        changed = hit.updated_at[:10]
        return f"{KIND_NAMES[hit.kind]} · {self._where(hit)} · {hit.marking} · {changed}"

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == DETAIL_ROLE:
            return self.detail(hit)
        if role == SNIPPET_HTML_ROLE:
            return snippet_html(hit)
        if role == HIT_ROLE:
            return hit
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.title}. {self.detail(hit)}. {hit.snippet}"
        return None


class HitDelegate(QStyledItemDelegate):
    """Three lines per hit: the title in bold, where it is, the snippet with matches in bold."""

    PADDING = 6

    def _lines(self, option: QStyleOptionViewItem) -> tuple[int, int]:
        line = option.fontMetrics.height()
        return line, 4 * line + 2 * self.PADDING

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        _line, height = self._lines(option)
        return QSize(0, height)  # as wide as the view: the text elides

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self.initStyleOption(option, index)
        text_colour, muted = draw_background(painter, option)
        line, _height = self._lines(option)
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        painter.save()
        font = option.font
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_colour)
        title = option.fontMetrics.elidedText(
            str(index.data()), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(rect.x(), rect.y(), rect.width(), line, 0, title)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(muted)
        detail = option.fontMetrics.elidedText(
            str(index.data(DETAIL_ROLE)), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(rect.x(), rect.y() + line, rect.width(), line, 0, detail)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setTextWidth(rect.width())
        document.setHtml(str(index.data(SNIPPET_HTML_ROLE)))
        painter.translate(rect.x(), rect.y() + 2 * line)
        clip = QRectF(0, 0, rect.width(), 2 * line)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_colour)
        context.clip = clip
        painter.setClipRect(clip)
        document.documentLayout().draw(painter, context)
        painter.restore()
