"""The quick switcher (Ctrl+K): type part of a force's name to jump to it.

``QuickSwitcher`` is the popup that puts ``switcher_model``'s model and filter together and
emits ``chosen(kind, key)``.
"""

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ctdesk.scope import Scope
from ctdesk.ui.item_paint import draw_background
from ctdesk.ui.switcher_model import (
    DETAIL_ROLE,
    KEY_ROLE,
    AnyIndex,
    SwitcherFilter,
    SwitcherModel,
)


class SwitcherDelegate(QStyledItemDelegate):
    """One line per row: the name, and where it is (region or group) muted on the right."""

    PADDING = 8

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        height = option.fontMetrics.height() + self.PADDING
        return QSize(option.rect.width() or 440, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self.initStyleOption(option, index)
        text_colour, muted = draw_background(painter, option)
        rect = option.rect.adjusted(self.PADDING, 0, -self.PADDING, 0)
        metrics = option.fontMetrics

        def fit(text: str, width: int) -> str:
            # elidedText() shortens text that exactly fits, so only call it when it must.
            if metrics.horizontalAdvance(text) <= width:
                return text
            return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)

        detail = str(index.data(DETAIL_ROLE) or "")
        detail_width = min(metrics.horizontalAdvance(detail), rect.width() // 2)
        detail = fit(detail, detail_width)
        gap = 2 * self.PADDING if detail else 0
        label = fit(str(index.data() or ""), rect.width() - detail_width - gap)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(option.font)
        painter.setPen(text_colour)
        painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignLeft), label)
        painter.setPen(muted)
        painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignRight), detail)
        painter.restore()


class _TypingLine(QLineEdit):
    """The line typed in: Up, Down, Page Up and Page Down move through the list; Enter goes."""

    step = Signal(int)  # rows to move the selection by
    entered = Signal()

    def __init__(self, page: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: self._page,
            Qt.Key.Key_PageUp: -self._page,
        }
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if key in steps and plain:
            self.step.emit(steps[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit()
        else:
            super().keyPressEvent(event)


class QuickSwitcher(QDialog):
    """A popup: a line to type in over the matching places; Enter goes, Escape closes.

    ``chosen(kind, key)`` is emitted after the dialog has closed, with kind ``force`` (key: the
    force id), ``coverage`` or ``national`` (key: the current inspection's id) or ``search``
    (key: the text typed).
    """

    chosen = Signal(str, str)

    WIDTH = 480
    VISIBLE_ROWS = 10

    def __init__(self, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Go to")
        self.setAccessibleName("Go to")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.model = SwitcherModel(scope, self)
        self.filter = SwitcherFilter(self)
        self.filter.setSourceModel(self.model)
        self.filter.set_text("")

        self.edit = _TypingLine(max(self.VISIBLE_ROWS - 1, 1), self)
        self.edit.setPlaceholderText("Type part of a force's name…")
        self.edit.setAccessibleName("Go to")
        self.edit.setAccessibleDescription(
            "Type part of a force's name; Up and Down choose, Enter goes, Escape closes."
        )
        self.edit.setClearButtonEnabled(True)
        self._size_font()
        self.edit.step.connect(self._step)
        self.edit.entered.connect(self._choose)

        self.list = QListView(self)
        self.list.setModel(self.filter)
        self.list.setItemDelegate(SwitcherDelegate(self.list))
        self.list.setAccessibleName("Places to go to")
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing always goes to the line
        self.list.doubleClicked.connect(self._choose)

        frame = QFrame(self)  # the visible edge of a window without a frame of its own
        frame.setFrameStyle(QFrame.Shape.Box | QFrame.Shadow.Plain)
        frame.setForegroundRole(QPalette.ColorRole.Mid)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(8, 8, 8, 8)
        inner.setSpacing(6)
        inner.addWidget(self.edit)
        inner.addWidget(self.list)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.edit.textChanged.connect(self._text_changed)
        self._fit_size()
        self._select_row(0)

    def _size_font(self) -> None:
        """The typed line a little larger than the system font (whatever size that is)."""
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.edit.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "list"):
            self._size_font()
            self._fit_size()

    def _fit_size(self) -> None:
        rows = self.VISIBLE_ROWS * max(self.list.sizeHintForRow(0), 1)
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth())
        # At least WIDTH; wider with a larger system font.
        self.setFixedWidth(max(self.WIDTH, self.fontMetrics().averageCharWidth() * 80))
        self.setFixedHeight(self.sizeHint().height())

    # -- typing and choosing ------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        self.filter.set_text(text)
        self._select_row(0)

    def _select_row(self, row: int) -> None:
        count = self.filter.rowCount()
        if count == 0:
            self.list.clearSelection()
            return
        index = self.filter.index(max(0, min(row, count - 1)), 0)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)

    def current(self) -> tuple[str, str] | None:
        """The (kind, key) of the selected row, or None."""
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        kind, key = index.data(KEY_ROLE)
        return kind, key

    def _choose(self, index: QModelIndex | None = None) -> None:
        if index is not None and index.isValid():
            self.list.setCurrentIndex(index)
        picked = self.current()
        if picked is None:
            return
        self.accept()  # close first, so whatever the choice opens is not under the popup
        self.chosen.emit(*picked)

    def _step(self, rows: int) -> None:
        self._select_row(self.list.currentIndex().row() + rows)

    # -- showing ------------------------------------------------------------------------------

    def popup(self, text: str = "") -> None:
        """Show centred near the top of the parent window, with ``text`` typed, ready to type."""
        self.edit.setText(text)
        self._text_changed(text)  # setText does not signal when the text is unchanged
        self._place()
        if not self.isVisible():
            self.open()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.edit.selectAll()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            area = parent.window().geometry()
        else:
            screen = self.screen()
            area = screen.availableGeometry()
        x = area.x() + (area.width() - self.width()) // 2
        y = area.y() + max(area.height() // 8, 24)
        screen = self.screen()
        if screen is not None:
            bounds = screen.availableGeometry()
            x = max(bounds.left(), min(x, bounds.right() - self.width()))
            y = max(bounds.top(), min(y, bounds.bottom() - self.height()))
        self.move(QPoint(x, y))
