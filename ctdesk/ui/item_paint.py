"""Shared painting for delegates that draw their own text over the style's item background."""

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from ctdesk.ui.theme import muted


def draw_background(painter: QPainter, option: QStyleOptionViewItem) -> tuple[QColor, QColor]:
    """Draw the item's background (selection, focus, hover) as the style does, without text.

    Returns the colours for text on it: (main, muted), both readable when the row is selected.
    """
    style = option.widget.style() if option.widget else None
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    option.text = ""
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
    if selected:
        colour = option.palette.color(QPalette.ColorRole.HighlightedText)
        return colour, colour
    # Not PlaceholderText: half-transparent black on white is too faint to read (3.9:1).
    return option.palette.color(QPalette.ColorRole.Text), muted(option.palette)
