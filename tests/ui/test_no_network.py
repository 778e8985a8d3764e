"""ctdesk makes no network connections at all, whatever the inspector writes.

A whole session in the window (a note whose Markdown and HTML name remote images and a script,
its preview, search, coverage, exports to HTML and PDF) runs with Python's socket functions
replaced by ones that record the call and refuse. Sockets made below Python (by Qt, say) are
caught on Linux by looking at the process's open files for network sockets throughout.
"""

import os
import re
import socket
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from ctdesk import export
from ctdesk.export import resolve_scope
from tests.ui.conftest import OpenWindow
from tests.ui.test_main_window import write_note

REMOTE_IMAGE = "![x](http://example.com/x.png)"
HTML_IMAGE = '<img src="https://example.com/y.png">'
SCRIPT = "<script>fetch('https://example.com/z')</script>"
BODY_LINES = [
    "Hostile words nobodyelse99 " + REMOTE_IMAGE,
    "",
    HTML_IMAGE,
    "",
    SCRIPT,
    "",
    '<iframe src="http://example.com/frame"></iframe> <link rel="stylesheet" href="//e.x/s.css">',
]
BODY = "\n".join(BODY_LINES)


class NetworkUsed(AssertionError):
    pass


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the ways Python reaches a network; returns the list of attempts made."""
    attempts: list[str] = []

    def refusing(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise NetworkUsed(f"ctdesk tried to use the network: socket.{name}{args!r}")

        return refuse

    for name in (
        "socket",
        "create_connection",
        "create_server",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
    ):
        monkeypatch.setattr(socket, name, refusing(name))
    return attempts


def _inodes_in(table: str) -> set[str]:
    try:
        lines = Path(table).read_text().splitlines()[1:]
    except OSError:
        return set()
    column = 6 if table.endswith("unix") else 9
    return {line.split()[column] for line in lines if len(line.split()) > column}


def network_sockets() -> set[str]:
    """Sockets this process holds open other than local (Unix domain) ones, by inode: TCP, UDP,
    raw, netlink, whoever made them (Python or a library below it), even before they connect.

    Linux only (empty elsewhere).
    """
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        return set()
    ours = set()
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            ours.add(match.group(1))
    return ours - _inodes_in("/proc/self/net/unix") if ours else set()


def test_no_socket_in_a_whole_gui_session(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    already = network_sockets()
    attempts = refuse_network(monkeypatch)
    seen: set[str] = set()

    def sample() -> None:
        seen.update(network_sockets() - already)

    sampler = QTimer()
    sampler.setInterval(5)
    sampler.timeout.connect(sample)
    sampler.start()
    try:
        window = open_window()
        window.select_force("kent")
        note_id = write_note(qtbot, window, "Remote <img> and <script>", BODY_LINES[0])
        editor = window.force_page.notes.editor
        for line in BODY_LINES[1:]:
            qtbot.keyClick(editor.body, Qt.Key.Key_Return)
            qtbot.keyClicks(editor.body, line)
        qtbot.waitUntil(
            lambda: window.session.workbook.notes.get(note_id).body == BODY, timeout=5000
        )

        # The preview lays out the Markdown (and the HTML within) with its images.
        qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
        assert editor.pages.currentWidget() is editor.preview
        editor.preview.resize(600, 400)
        editor.preview.viewport().repaint()
        qtbot.wait(200)
        shown = editor.preview.toPlainText()
        assert "Hostile words" in shown
        qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)

        window.show_search()
        with qtbot.waitSignal(window.search_page.results_shown, timeout=5000):
            qtbot.keyClicks(window.search_page.box, "nobodyelse99")
        qtbot.waitUntil(lambda: window.search_page.model.rowCount() == 1, timeout=5000)
        qtbot.keyClick(window.search_page.box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: editor.note_id == note_id, timeout=5000)

        window.show_coverage()
        window.coverage_page.repaint()
        qtbot.wait(100)

        wb = window.session.workbook
        scope = resolve_scope(wb, "force", "kent")
        html_out, pdf_out = tmp_path / "kent.html", tmp_path / "kent.pdf"
        export.export(wb, scope, "html", html_out)
        export.export(wb, scope, "pdf", pdf_out)
        window.close()
        qtbot.wait(50)
    finally:
        sampler.stop()
    sample()

    assert attempts == []
    assert seen == set(), "a network socket was opened during the session"

    html = html_out.read_text(encoding="utf-8")
    assert "nobodyelse99" in html
    assert_nothing_to_fetch(html)
    pdf = pdf_out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"/URI" not in pdf  # no link to anywhere


class Markup(HTMLParser):
    """The tags and attributes of a page (its text left aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


FETCHING_TAGS = {"script", "img", "iframe", "frame", "link", "object", "embed", "base", "video"}
FETCHING_ATTRS = {"src", "srcset", "action", "formaction", "poster", "data", "background"}


def assert_nothing_to_fetch(html: str) -> None:
    """Nothing in an exported page that a browser would fetch or run."""
    markup = Markup()
    markup.feed(html)
    markup.close()
    for tag, attrs in markup.tags:
        assert tag not in FETCHING_TAGS, (tag, attrs)
        assert not FETCHING_ATTRS & set(attrs), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, attrs)  # links within the page only
        assert "url(" not in (attrs.get("style") or "")
    assert "url(" not in html.lower()  # no remote fonts or backgrounds in the stylesheet
    # The note's tags are there as text a reader can see, not as markup.
    assert "&lt;script&gt;" in html and "&lt;img src=" in html
    assert "default-src 'none'" in html  # and a browser is told to fetch nothing anyway


def test_preview_loads_no_file_a_note_names(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    probe = tmp_path / "probe.png"
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(probe))
    window = open_window()
    window.select_force("kent")
    write_note(qtbot, window, "Local image", f"![probe]({probe.as_uri()}) ![again]({probe})")
    editor = window.force_page.notes.editor
    qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    editor.preview.resize(600, 400)
    editor.preview.viewport().repaint()
    qtbot.wait(50)
    # A loaded 300-pixel image would make the preview's text at least that tall.
    assert editor.preview.document().size().height() < 100
