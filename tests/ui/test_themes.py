"""Light and dark themes: ctdesk's own colours read well in both, and follow a change of theme.

Every pair of text colour and background ctdesk draws itself (coverage cells and their legend,
the conflicts diff, redaction bars, search matches, problems, warnings, muted text) is checked
for a WCAG contrast of at least 4.5:1 under the light and the dark palette.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ctdesk.ui import theme
from ctdesk.ui.conflicts_page import ConflictsPage
from ctdesk.ui.coverage_model import TINTS, blend, readable_on
from ctdesk.ui.coverage_page import CoveragePage
from ctdesk.ui.main_window import MainWindow
from ctdesk.ui.redaction_highlighter import RedactionHighlighter
from ctdesk.ui.session import Session
from ctdesk.ui.theme import READABLE, contrast, flatten, is_dark, muted, tone_colour
from ctdesk.workbook import Workbook
from tests.ui.conftest import OpenWindow

Role = QPalette.ColorRole
SCHEMES = ("light", "dark")


def palettes() -> dict[str, QPalette]:
    """The palettes ctdesk shows: its own, and the platform's as ctdesk adjusts it."""
    platform = theme.readable_palette(QApplication.style().standardPalette())
    return {"light": theme.light_palette(), "dark": theme.dark_palette(), "platform": platform}


@pytest.fixture(params=["light", "dark", "platform"])
def palette(request: pytest.FixtureRequest) -> QPalette:
    return palettes()[request.param]


@pytest.fixture
def themed() -> Iterator[None]:
    """Undo whatever theme a test applies."""
    yield
    found = QApplication.instance().findChild(theme.Theme)  # type: ignore[union-attr]
    if found is not None:
        found.release()
    QApplication.processEvents()


def readable(text: QColor, background: QColor, what: str) -> str | None:
    ratio = contrast(text, background)
    return (
        None if ratio >= READABLE else f"{what}: {text.name()} on {background.name()} {ratio:.2f}"
    )


def check(pairs: list[tuple[QColor, QColor, str]]) -> list[str]:
    return [p for p in (readable(*pair) for pair in pairs) if p]


def test_the_palettes_themselves(palette: QPalette) -> None:
    pairs = [
        (palette.color(Role.Text), palette.color(Role.Base), "text"),
        (palette.color(Role.Text), palette.color(Role.AlternateBase), "text on alternate rows"),
        (palette.color(Role.WindowText), palette.color(Role.Window), "window text"),
        (palette.color(Role.ButtonText), palette.color(Role.Button), "button text"),
        (palette.color(Role.HighlightedText), palette.color(Role.Highlight), "selected text"),
        (palette.color(Role.ToolTipText), palette.color(Role.ToolTipBase), "tooltip"),
        (
            flatten(palette.color(Role.PlaceholderText), palette.color(Role.Base)),
            palette.color(Role.Base),
            "placeholder",
        ),
    ]
    assert check(pairs) == []


def test_dark_is_dark_and_light_is_light() -> None:
    assert is_dark(theme.dark_palette())
    assert not is_dark(theme.light_palette())
    assert tone_colour("problem", theme.dark_palette()) != tone_colour(
        "problem", theme.light_palette()
    )


def test_coverage_cells_and_legend_read_in_every_palette(
    qtbot: QtBot, workbook: Workbook, palette: QPalette
) -> None:
    base, highlight = palette.color(Role.Base), palette.color(Role.Highlight)
    pairs = []
    for tint in TINTS:  # every level of evidence a cell can show
        background = blend(base, highlight, tint)
        pairs.append((readable_on(background, palette), background, f"cell tinted {tint}"))
    page = CoveragePage(Session(workbook))
    qtbot.addWidget(page)
    page.setPalette(palette)
    for swatch in page.swatches:
        own = swatch.palette()
        pairs.append((own.color(Role.WindowText), own.color(Role.Window), swatch.text()))
    assert check(pairs) == []


def test_conflict_differences_read_in_every_palette(
    qtbot: QtBot, workbook: Workbook, palette: QPalette
) -> None:
    page = ConflictsPage(Session(workbook))
    qtbot.addWidget(page)
    page.setPalette(palette)
    base = palette.color(Role.Base)
    pairs = []
    for name, fmt in page._formats().items():
        background = (
            fmt.background().color() if fmt.hasProperty(fmt.Property.BackgroundBrush) else base
        )
        if fmt.hasProperty(fmt.Property.ForegroundBrush):
            pairs.append((fmt.foreground().color(), background, name))
    assert {"changed", "dim", "plain"} <= {p[2] for p in pairs}
    assert check(pairs) == []


def test_redaction_bars_and_search_matches_read_in_every_palette(palette: QPalette) -> None:
    base, text = palette.color(Role.Base), palette.color(Role.Text)
    highlighter = RedactionHighlighter(QTextDocument())
    highlighter._colour(palette)
    hidden, marker = highlighter.hidden, highlighter.marker
    # A search match in an editor (reveal.py): the highlight at alpha 90 over the page.
    match = palette.color(Role.Highlight)
    match.setAlpha(90)
    pairs = [
        (hidden.foreground().color(), hidden.background().color(), "redacted words"),
        (marker.foreground().color(), base, "redaction markers"),
        (text, flatten(match, base), "search match in an editor"),
        (muted(palette), base, "muted text (search result details, switcher)"),
        (muted(palette), palette.color(Role.AlternateBase), "muted text on alternate rows"),
        # Files dragged over the evidence register tint it (evidence_tab._drop_cue).
        (text, blend(base, palette.color(Role.Highlight), 0.2), "register under a drag"),
    ]
    assert check(pairs) == []
    # The bar stands out from the page as a bar.
    assert contrast(hidden.background().color(), base) >= READABLE


def test_problems_warnings_and_markings_read_in_every_palette(palette: QPalette) -> None:
    window, base = palette.color(Role.Window), palette.color(Role.Base)
    text, back, _border = theme.box_colours(palette)
    pairs = [(text, back, "warning box")]
    for tone in ("problem", "warning", "ok"):
        colour = tone_colour(tone, palette)
        pairs += [(colour, window, f"{tone} on the window"), (colour, base, f"{tone} in a list")]
    # Markings are words in the Text colour (never a colour alone): the palette's own pair.
    pairs.append((palette.color(Role.Text), base, "marking"))
    assert check(pairs) == []


def test_findings_flags_follow_the_application_palette(
    qtbot: QtBot, open_window: OpenWindow, themed: None
) -> None:
    window = open_window()
    finding = window.session.apply(
        lambda wb: wb.findings.add(force="kent", area="ct4.a1", kind="strength", text="Good.")
    )
    window.select_force("kent")
    tab = window.force_page.findings
    window.force_page.tabs.setCurrentWidget(tab)
    flags = tab.model.index_of(finding.id).siblingAtColumn(3)
    assert "evidence" in str(flags.data())  # said in words, the colour only adds to it
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    colours = {}
    for scheme in SCHEMES:
        theme.apply_theme(app, scheme)
        assert theme.is_dark(QGuiApplication.palette()) == (scheme == "dark")
        colours[scheme] = flags.data(Qt.ItemDataRole.ForegroundRole).color()
        base = QGuiApplication.palette().color(Role.Base)
        assert contrast(colours[scheme], base) >= READABLE, scheme
    assert colours["light"] != colours["dark"]


def test_switching_theme_recolours_what_is_shown(
    qtbot: QtBot, open_window: OpenWindow, themed: None
) -> None:
    window: MainWindow = open_window()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problem = QLabel("That is not the passphrase.")
    qtbot.addWidget(problem)
    theme.set_tone(problem, "problem")
    window.show_coverage()
    page = window.coverage_page
    light_cell = page.model._background(0)

    theme.apply_theme(app, "dark")
    QApplication.processEvents()
    dark = QGuiApplication.palette()
    assert is_dark(window.palette())
    assert tone_colour("problem", dark).name() in problem.styleSheet()
    assert page.model._background(0) == dark.color(Role.Base) != light_cell
    swatch = page.swatches[-1].palette()
    assert contrast(swatch.color(Role.WindowText), swatch.color(Role.Window)) >= READABLE

    theme.apply_theme(app, "light")
    QApplication.processEvents()
    assert not is_dark(window.palette())
    assert tone_colour("problem", QGuiApplication.palette()).name() in problem.styleSheet()
    assert page.model._background(0) == light_cell


def test_the_choice_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in (
        ("dark", "dark"),
        (" Light ", "light"),
        ("", "system"),
        ("x", "system"),
    ):
        monkeypatch.setenv(theme.ENV, value)
        assert theme.requested() == expected


def test_a_dark_window_is_drawn_dark(
    qtbot: QtBot, open_window: OpenWindow, themed: None, tmp_path: Path
) -> None:
    """Rendered, not just configured: most of the dark window is dark."""
    window = open_window()
    window.select_force("kent")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "dark")
    QApplication.processEvents()
    image = window.grab().toImage()
    step = 16
    samples = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    ]
    dark_share = sum(1 for s in samples if s < 90) / len(samples)
    assert dark_share > 0.8, dark_share


def test_a_change_of_the_system_scheme_is_followed(
    qtbot: QtBot, themed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    found = theme.apply_theme(app, "system")
    assert not is_dark(QGuiApplication.palette())  # the offscreen platform has no scheme
    monkeypatch.setattr(theme.Theme, "wanted", lambda self: "dark")  # the system turns dark
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert found.scheme == "dark" and is_dark(QGuiApplication.palette())


def test_a_new_theme_does_not_count_as_an_edit_of_the_open_note(
    qtbot: QtBot, open_window: OpenWindow, themed: None
) -> None:
    window: MainWindow = open_window()
    workbook = window.session.workbook
    body = "some [[redact]]hidden[[/redact]] text"
    note = workbook.notes.add(force="kent", title="Themed", body=body).value
    window.show_force("kent")
    editor = window.force_page.notes.editor
    editor.load(workbook.notes.get(note.id))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "dark")
    QApplication.processEvents()
    assert not editor.has_unsaved_changes()  # repainting the redaction marks is not typing
    qtbot.keyClicks(editor.body, "x")
    assert editor.has_unsaved_changes()  # ... and typing still is
    editor.flush()
    theme.apply_theme(app, "light")
    QApplication.processEvents()
    assert not editor.has_unsaved_changes()
    assert len(workbook.notes.history(note.id)) == 2
