"""Slow work runs off the UI thread with progress and cancel; the export dialog's choices."""

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ctdesk.errors import InvalidInput
from ctdesk.export.progress import Progress
from ctdesk.ui.background import BackgroundOp
from ctdesk.ui.export_dialog import ExportDialog
from ctdesk.workbook import Workbook


def test_work_runs_on_another_thread_and_reports_on_ui_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict[str, object] = {}

    def work(progress: Progress) -> str:
        seen["thread"] = threading.current_thread()
        for i in range(5):
            progress.update(i, 5)
        return "done"

    op = BackgroundOp(parent, "Working", "Working…", work)
    results: list[object] = []
    op.succeeded.connect(lambda r: results.append((r, threading.current_thread())))
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.start()
    assert seen["thread"] is not threading.main_thread()
    assert results == [("done", threading.main_thread())]


def test_cancel_stops_the_work(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        while True:  # until cancelled: update() raises then
            progress.update(1, 2)

    op = BackgroundOp(parent, "Working", "Working…", work)
    cancelled: list[bool] = []
    op.cancelled.connect(lambda: cancelled.append(True))
    op.start()
    assert started.wait(5)
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.cancel()
    assert cancelled == [True]


def test_errors_arrive_as_sentences(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def user_error(progress: Progress) -> None:
        raise InvalidInput("The folder is read-only; choose another.")

    def bug(progress: Progress) -> None:
        raise ZeroDivisionError("oops")

    for work, words in ((user_error, "read-only"), (bug, "Something went wrong")):
        op = BackgroundOp(parent, "Working", "Working…", work)
        failures: list[str] = []
        op.failed.connect(failures.append)
        with qtbot.waitSignal(op.finished, timeout=5000):
            op.start()
        assert len(failures) == 1 and words in failures[0]


def test_export_dialog_choices(qtbot: QtBot, workbook: Workbook, tmp_path: Path) -> None:
    dialog = ExportDialog(workbook, "kent")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "x.pdf"))
    dialog.what.setCurrentIndex(dialog.what.findData("area:"))
    assert dialog.which.isEnabled() and dialog.which.count() == 3
    dialog.which.setCurrentIndex(1)
    assert dialog.scope().id == "ct4.a2"
    assert dialog.path.text() == str(tmp_path / "ct4-a2-across-forces.pdf")
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    assert dialog.path.text().endswith("ct4-a2-across-forces.docx")
    assert not dialog.public.isEnabled()
    dialog.redacted.setChecked(True)
    dialog.max_marking.setCurrentText("OFFICIAL")
    assert dialog.public.isEnabled()
    dialog.public.setChecked(True)
    options = dialog.options()
    assert (options.max_marking, options.redacted, options.public_release) == (
        "OFFICIAL",
        True,
        True,
    )
    assert dialog.path.text().endswith("ct4-a2-across-forces-redacted.docx")
    dialog.max_marking.setCurrentText("OFFICIAL-SENSITIVE")
    assert not dialog.public.isEnabled() and not dialog.options().public_release
    dialog.path.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog._accept()
    assert "does not exist" in dialog.problem.text()


@pytest.mark.parametrize("kind", ["region", "inspection"])
def test_export_dialog_other_scopes(qtbot: QtBot, workbook: Workbook, kind: str) -> None:
    dialog = ExportDialog(workbook, None)
    qtbot.addWidget(dialog)
    dialog.what.setCurrentIndex(dialog.what.findData(f"{kind}:"))
    assert dialog.scope().kind == kind
