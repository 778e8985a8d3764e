"""Light and dark: ctdesk follows the system's colour scheme, or the one ``CTDESK_THEME`` names.

``CTDESK_THEME`` is ``system`` (the default), ``light`` or ``dark``. Where the platform draws the
scheme asked for, its palette is used as it is; where it cannot (the offscreen platform, a Linux
desktop without a colour-scheme portal, an older Windows style), ctdesk draws it with the Fusion
style and a palette of its own (``dark_palette``, ``light_palette``).

Colours ctdesk adds to the palette's — a problem in red, a warning in amber, "all is well" in
green, muted text — come from here in a variant for each scheme, every one readable on its
background (WCAG contrast at least 4.5:1; ``tests/ui/test_themes.py`` checks). Widgets showing
such a colour get it with ``set_tone``, and get it again when the palette changes; views
colouring items ask ``tone_colour`` as they paint.
"""

import os
from typing import Literal

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

ENV = "CTDESK_THEME"
Choice = Literal["system", "light", "dark"]
CHOICES: tuple[Choice, ...] = ("system", "light", "dark")
#: WCAG AA for normal text.
READABLE = 4.5
#: The dynamic property holding a widget's tone (see ``set_tone``).
TONE = "ctdeskTone"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


# ---- measuring colours -------------------------------------------------------------------------


def luminance(colour: QColor) -> float:
    """WCAG relative luminance (0 black to 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(base: QColor, top: QColor, amount: float) -> QColor:
    """``base`` moved ``amount`` (0–1) of the way towards ``top``."""
    return QColor(
        round(base.red() + (top.red() - base.red()) * amount),
        round(base.green() + (top.green() - base.green()) * amount),
        round(base.blue() + (top.blue() - base.blue()) * amount),
    )


def flatten(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows over ``background``."""
    return blend(background, QColor(colour.red(), colour.green(), colour.blue()), colour.alphaF())


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark one (light text on a dark window)."""
    return luminance(palette.color(Role.Window)) < luminance(palette.color(Role.WindowText))


def muted(palette: QPalette, background: QColor | None = None) -> QColor:
    """Secondary text: as far from the palette's Text towards ``background`` (default Base) as
    it can go while staying readable on it."""
    back = background if background is not None else palette.color(Role.Base)
    text = palette.color(Role.Text)
    for step in range(60, 101, 2):
        colour = blend(back, text, step / 100)
        if contrast(colour, back) >= READABLE:
            return colour
    return text


# ---- ctdesk's own colours ------------------------------------------------------------------------

#: tone → (light variant, dark variant): the text colour, on the palette's Window or Base.
_TEXT_TONES: dict[str, tuple[str, str]] = {
    "problem": ("#b00020", "#ff8a80"),
    "warning": ("#8a4500", "#ffb74d"),
    "ok": ("#2e6b30", "#8fd694"),
}
#: The warning box (finding editor): (text, background, border) for light and dark.
_BOX: tuple[tuple[str, str, str], tuple[str, str, str]] = (
    ("#5c3200", "#fff4e0", "#e0b070"),
    ("#ffdca8", "#3b2a12", "#8a6a30"),
)
TONES = (*_TEXT_TONES, "warning-box")


def tone_colour(tone: str, palette: QPalette | None = None) -> QColor:
    """The text colour of ``tone`` ("problem", "warning", "ok", "warning-box") for ``palette``
    (default: the application's)."""
    pal = palette if palette is not None else QGuiApplication.palette()
    dark = is_dark(pal)
    if tone == "warning-box":
        return QColor(_BOX[dark][0])
    return QColor(_TEXT_TONES[tone][dark])


def box_colours(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """(text, background, border) of the warning box for ``palette``."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return tuple(QColor(c) for c in _BOX[is_dark(pal)])  # type: ignore[return-value]


def _style_sheet(tone: str, palette: QPalette) -> str:
    if not tone:
        return ""
    if tone == "warning-box":
        text, back, border = (c.name() for c in box_colours(palette))
        return (
            f"QLabel {{ background: {back}; border: 1px solid {border}; border-radius: 3px;"
            f" padding: 4px; color: {text}; }}"
        )
    colour = tone_colour(tone, palette).name()
    if tone == "ok":
        return f"QLabel {{ color: {colour}; padding: 4px; }}"
    return f"color: {colour};"


def set_tone(widget: QWidget, tone: str) -> None:
    """Show ``widget``'s text in ``tone`` ("" for the palette's own colour), in whichever
    variant suits the palette now and after every change of it."""
    if tone and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}")
    _watch_palette()
    widget.setProperty(TONE, tone)
    widget.setStyleSheet(_style_sheet(tone, QGuiApplication.palette()))


def retint() -> None:
    """Give every toned widget the variant of its tone that suits the palette now."""
    palette = QGuiApplication.palette()
    for widget in QApplication.allWidgets():
        tone = widget.property(TONE)
        if isinstance(tone, str) and tone:
            widget.setStyleSheet(_style_sheet(tone, palette))


class _PaletteWatcher(QObject):
    """Re-tints toned widgets when the application's palette changes (a theme change)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        changed = event.type() == QEvent.Type.ApplicationPaletteChange
        if changed and watched is QApplication.instance():
            retint()
        return False


_watcher: _PaletteWatcher | None = None


def _watch_palette() -> None:
    global _watcher
    app = QApplication.instance()
    if _watcher is None and app is not None:
        _watcher = _PaletteWatcher(app)
        app.installEventFilter(_watcher)


# ---- palettes ------------------------------------------------------------------------------------


def dark_palette() -> QPalette:
    """ctdesk's dark palette for the Fusion style, for platforms that draw no dark scheme."""
    p = QPalette()
    colours = {
        Role.Window: "#2d2d2d",
        Role.WindowText: "#ececec",
        Role.Base: "#1e1e1e",
        Role.AlternateBase: "#262626",
        Role.ToolTipBase: "#3a3a3a",
        Role.ToolTipText: "#ececec",
        Role.PlaceholderText: "#a0a0a0",
        Role.Text: "#ececec",
        Role.Button: "#363636",
        Role.ButtonText: "#ececec",
        Role.BrightText: "#ff8a80",
        Role.Light: "#4a4a4a",
        Role.Midlight: "#3e3e3e",
        Role.Mid: "#2a2a2a",
        Role.Dark: "#1a1a1a",
        Role.Shadow: "#0a0a0a",
        Role.Highlight: "#2f6ab4",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#8ab8ff",
        Role.LinkVisited: "#c8a2ff",
        Role.Accent: "#2f6ab4",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = {
        Role.WindowText: "#8a8a8a",
        Role.Text: "#8a8a8a",
        Role.ButtonText: "#8a8a8a",
        Role.Base: "#262626",
        Role.Button: "#303030",
        Role.Highlight: "#4a4a4a",
        Role.HighlightedText: "#bdbdbd",
        Role.PlaceholderText: "#6e6e6e",
    }
    for role, colour in disabled.items():
        p.setColor(Group.Disabled, role, QColor(colour))
    return p


def light_palette() -> QPalette:
    """ctdesk's light palette: Fusion's, with its placeholder and selected text made readable."""
    return readable_palette(QStyleFactory.create("Fusion").standardPalette())


def palette_for(scheme: Literal["light", "dark"]) -> QPalette:
    return dark_palette() if scheme == "dark" else light_palette()


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with the two pairs platforms most often make too faint made readable:
    placeholder text on Base, and selected text on Highlight (Fusion's light palette has
    3.9:1 and 3.7:1). Everything else is left as the platform has it."""
    fixed = QPalette(palette)
    for group in (Group.Active, Group.Inactive):
        base = palette.color(group, Role.Base)
        hint = flatten(palette.color(group, Role.PlaceholderText), base)
        if contrast(hint, base) < READABLE:
            fixed.setColor(group, Role.PlaceholderText, muted(palette, base))
        text = palette.color(group, Role.HighlightedText)
        highlight = palette.color(group, Role.Highlight)
        if contrast(text, highlight) < READABLE:
            # Move the selection colour away from its text until the text reads on it.
            away = QColor("#000000") if luminance(text) > 0.5 else QColor("#ffffff")
            for step in range(1, 21):
                darker = blend(highlight, away, step / 20)
                if contrast(text, darker) >= READABLE:
                    break
            fixed.setColor(group, Role.Highlight, darker)
    return fixed


class ReadableFusion(QProxyStyle):
    """Fusion, with check box and radio button outlines that show on the page.

    Fusion outlines them in a shade of the window colour, which all but vanishes on a list's
    background (1.1:1 in a dark palette): a ticked-or-not box must be seen to be used.
    """

    OUTLINED = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    )

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self.OUTLINED:
            return
        palette = option.palette  # type: ignore[attr-defined]
        outline = blend(palette.color(Role.Base), palette.color(Role.Text), 0.55)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(outline, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = option.rect  # type: ignore[attr-defined]
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect.toRectF().adjusted(1, 1, -1, -1))
        else:
            painter.drawRect(rect.toRectF().adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()


# ---- choosing ------------------------------------------------------------------------------------


def requested() -> Choice:
    """What ``CTDESK_THEME`` asks for (``system`` when unset or not understood)."""
    value = os.environ.get(ENV, "").strip().lower()
    return value if value in CHOICES else "system"  # type: ignore[return-value]


class Theme(QObject):
    """Keeps the application in the chosen scheme, following the system's when asked to."""

    def __init__(self, app: QApplication, choice: Choice) -> None:
        super().__init__(app)
        self._app = app
        self.choice = choice
        self._style = app.style().name()
        self._own = False  # whether ctdesk's palette (with Fusion) is in use
        self._restyled = False  # whether ctdesk's Fusion replaced the platform's style
        self.scheme: Literal["light", "dark"] = "light"
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def wanted(self) -> Literal["light", "dark"] | None:
        """The scheme to show: the one chosen, or the system's (None if it says nothing)."""
        if self.choice != "system":
            return self.choice
        scheme = self._app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return "dark"
        if scheme == Qt.ColorScheme.Light:
            return "light"
        return None

    def apply(self) -> None:
        app = self._app
        want = self.wanted()
        hints = app.styleHints()
        if self.choice == "system":
            hints.unsetColorScheme()
        else:
            # Ask the platform first (Qt 6.8+): a native dark or light look where it has one.
            hints.setColorScheme(Qt.ColorScheme.Dark if want == "dark" else Qt.ColorScheme.Light)
        # Back to the platform's own style and palette before judging them.
        if self._restyled:
            app.setStyle(self._style)
            self._restyled = False
        app.setPalette(QPalette())
        palette = app.palette()
        shown: Literal["light", "dark"] = "dark" if is_dark(palette) else "light"
        self._own = want is not None and shown != want
        if self._own:  # the platform cannot draw it: Fusion in ctdesk's palette
            palette, shown = palette_for(want), want  # type: ignore[arg-type]
        if self._own or self._style.lower() == "fusion":
            app.setStyle(ReadableFusion())  # (resets the palette: set again below)
            self._restyled = True
        app.setPalette(readable_palette(palette))
        self.scheme = shown
        retint()

    def release(self) -> None:
        """Stop following the system and put back the style and palette found (for tests)."""
        app = self._app
        app.styleHints().colorSchemeChanged.disconnect(self._system_changed)
        app.styleHints().unsetColorScheme()
        if self._restyled:
            app.setStyle(self._style)
        app.setPalette(QPalette())
        self.setParent(None)
        self.deleteLater()
        retint()

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply()


def apply_theme(app: QApplication, choice: Choice | None = None) -> Theme:
    """Put ``app`` in the chosen scheme (default: ``CTDESK_THEME``, else the system's) and keep
    it there, following the system's changes when the choice is ``system``."""
    _watch_palette()
    existing = app.findChild(Theme)
    if existing is not None:
        existing.choice = choice or requested()
        existing.apply()
        return existing
    theme = Theme(app, choice or requested())
    theme.apply()
    return theme
