"""Render the app icon (resources/icons/ctdesk.svg) to PNGs, a Windows .ico and a macOS .icns.

    .venv/bin/python packaging/render_icons.py

Run it after editing the SVGs; the outputs are committed next to them. Sizes up to 16 px are
drawn from ctdesk-small.svg (the same picture on a 16-pixel grid, so it stays sharp), larger ones
from ctdesk.svg. Qt's own SVG renderer does the drawing (no Pillow, no Inkscape). The .ico and
.icns hold PNG images, which Windows (Vista and later) and macOS (10.7 and later) read; their
containers are written here by hand because Qt's writers store only one size per file.
"""

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "ctdesk.svg"
SMALL_SVG = ICONS / "ctdesk-small.svg"
SMALL = 16  # the largest size drawn from SMALL_SVG
PNG_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns entry types holding PNG data, by pixel size (the @2x types share the same pixels).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon as a size x size ARGB image, drawn straight from the vectors."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file with one PNG-compressed image per size."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, data in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def icns(images: dict[int, bytes]) -> bytes:
    """An ICNS file with PNG images for every size macOS asks for."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # draws off screen, needs no display
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderers = {path: QSvgRenderer(str(path)) for path in (SVG, SMALL_SVG)}
    for path, renderer in renderers.items():
        if not renderer.isValid():
            print(f"{path} is not an SVG Qt can draw", file=sys.stderr)
            return 1
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    encoded = {
        size: png_bytes(render(renderers[SMALL_SVG if size <= SMALL else SVG], size))
        for size in sizes
    }
    for size in PNG_SIZES:
        (ICONS / f"ctdesk-{size}.png").write_bytes(encoded[size])
    (ICONS / "ctdesk.ico").write_bytes(ico({size: encoded[size] for size in ICO_SIZES}))
    (ICONS / "ctdesk.icns").write_bytes(icns(encoded))
    print(f"wrote {len(PNG_SIZES)} PNGs, ctdesk.ico and ctdesk.icns to {ICONS}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
