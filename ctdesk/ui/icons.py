"""The application icon, from the SVG shipped in ``resources/icons`` (``ctdesk.resources``)."""

from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

PNG_SIZES = (16, 32, 48, 64, 128, 256)  # rendered from the SVGs by packaging/render_icons.py


def _pixmap(name: str) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(resources.files("ctdesk.resources").joinpath("icons", name).read_bytes())
    return pixmap


def app_icon() -> QIcon:
    """ctdesk's icon: drawn from the SVG at any size and screen scale, the hinted PNG at 16 px.

    Falls back to the PNGs (16 to 256 px) when the resources are not plain files or Qt's SVG
    icon engine is missing.
    """
    svg = resources.files("ctdesk.resources").joinpath("icons", "ctdesk.svg")
    if isinstance(svg, Path) and svg.is_file():
        icon = QIcon(str(svg))
        # Qt's SVG engine keeps one extra pixmap and uses it when asked for exactly its size.
        if not icon.isNull() and not icon.availableSizes():
            icon.addPixmap(_pixmap("ctdesk-16.png"))
            return icon
    icon = QIcon()
    for size in PNG_SIZES:
        icon.addPixmap(_pixmap(f"ctdesk-{size}.png"))
    return icon
