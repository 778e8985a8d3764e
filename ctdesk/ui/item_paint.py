"""Shared painting for delegates that draw their own text over the style's item background."""

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem


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
    return (
        option.palette.color(QPalette.ColorRole.Text),
        option.palette.color(QPalette.ColorRole.PlaceholderText),
    )
