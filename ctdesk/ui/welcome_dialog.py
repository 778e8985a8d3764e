"""The first-run welcome: who you are, an optional passphrase, markings in two lines, and a
choice between starting your own workbook and exploring a demo one first.

Nothing else is asked: the default marking and the lock delay keep their defaults (File →
Settings changes them). Closing the dialog keeps the defaults, as cancelling always has.
"""

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctdesk import first_run
from ctdesk import passphrase as passphrase_mod
from ctdesk.crashlog import write_crash_log
from ctdesk.errors import CtdeskError
from ctdesk.settings import Settings
from ctdesk.ui.theme import set_tone

SHOW_PROGRESS_AFTER_MS = 50  # making the demo: say so if it is not done at once

MARKINGS_LINES = (
    "Every note, document and finding carries a protective marking: OFFICIAL for routine "
    "inspection material, OFFICIAL-SENSITIVE for what would do harm if lost or released "
    "(new records start OFFICIAL-SENSITIVE).",
    "Exports carry the highest marking of what they hold at the top and bottom of every page; "
    "SECRET and above never go in ctdesk.",
)
_STAGES = {"plans": ("Planning fieldwork", "forces"), "notes": ("Writing notes", "notes")}


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(f"<b>{text}</b>", parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _line(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class WelcomeDialog(QDialog):
    """Asked once, when no settings exist. After it is accepted: ``saved`` holds the saved
    settings, ``passphrase`` the new workbook's passphrase (None for none) and ``demo_path``
    the demo workbook to open first (None: start with the inspector's own workbook)."""

    _demo_progress = Signal(str, int, int)
    _demo_done = Signal(object)  # the demo's path, or a sentence saying why it was not made

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        offer_passphrase: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else Settings.load()
        self._offer_passphrase = offer_passphrase
        self.saved: Settings | None = None
        self.passphrase: str | None = None
        self.demo_path: Path | None = None
        self._busy = False
        self._initials_typed = bool(self._settings.initials)
        self.setWindowTitle("Welcome to ctdesk")

        title = QLabel("<h2 style='margin:0'>Welcome to ctdesk</h2>", self)
        title.setTextFormat(Qt.TextFormat.RichText)
        intro = _line(
            "Your inspection fieldwork, kept on this laptop and never sent anywhere. "
            "A few things first:",
            self,
        )

        self.name = QLineEdit(self._settings.author, self)
        self.name.setAccessibleName("Your name")
        self.name.setMaxLength(200)
        self.initials = QLineEdit(
            self._settings.initials or first_run.suggest_initials(self._settings.author), self
        )
        self.initials.setAccessibleName("Your initials")
        self.initials.setMaxLength(5)
        self.initials.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMMMM") + 16)
        self.name.textEdited.connect(self._name_edited)
        self.initials.textEdited.connect(self._initials_edited)
        who = QFormLayout()
        who.addRow("Your &name", self.name)
        who.addRow("&Initials", self.initials)

        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Passphrase for your workbook (optional)")
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Repeat the passphrase")
        secret = QFormLayout()
        secret.addRow("&Passphrase", self.first)
        secret.addRow("&Repeat it", self.second)

        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        set_tone(self.problem, "problem")
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        self.progress_label = QLabel(self)
        self.progress_label.setAccessibleName("Demo workbook progress")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Making the demo workbook")
        self.progress.setRange(0, 100)
        self.progress_label.hide()
        self.progress.hide()

        self.start_button = QPushButton("&Start my workbook", self)
        self.start_button.setAccessibleName("Start my workbook")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.demo_button = QPushButton("E&xplore a demo workbook first", self)
        self.demo_button.setAccessibleName("Explore a demo workbook first")
        demo_words = (
            "Opens a separate workbook of made-up fieldwork to try things on; your own "
            "workbook is kept empty and untouched, under File → Open recent."
        )
        self.demo_button.setToolTip(demo_words)
        self.demo_button.setAccessibleDescription(demo_words)
        self.demo_button.clicked.connect(self.explore_demo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(10)
        layout.addWidget(_heading("1. Who you are", self))
        layout.addWidget(
            _line("Your name is recorded as the author of everything you write.", self)
        )
        layout.addLayout(who)
        if offer_passphrase:
            layout.addSpacing(10)
            layout.addWidget(_heading("2. A passphrase for your workbook (optional)", self))
            layout.addWidget(
                _line(
                    "It encrypts the workbook on this laptop. ctdesk cannot recover a forgotten "
                    "passphrase; leave both fields empty for none.",
                    self,
                )
            )
            layout.addLayout(secret)
        else:
            for edit in (self.first, self.second):
                edit.hide()
        layout.addSpacing(10)
        layout.addWidget(_heading(f"{3 if offer_passphrase else 2}. Protective markings", self))
        for text in MARKINGS_LINES:
            layout.addWidget(_line(text, self))
        layout.addSpacing(10)
        layout.addWidget(self.problem)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._show_progress = QTimer(self)
        self._show_progress.setSingleShot(True)
        self._show_progress.setInterval(SHOW_PROGRESS_AFTER_MS)
        self._show_progress.timeout.connect(self._reveal_progress)
        self._demo_progress.connect(self._progressed)
        self._demo_done.connect(self._demo_finished)
        self.resize(600, max(layout.totalHeightForWidth(600), 200))
        self.name.setFocus()
        self.name.selectAll()

    # ---- the name and initials ----------------------------------------------------------------
    def _name_edited(self, text: str) -> None:
        if not self._initials_typed:
            self.initials.setText(first_run.suggest_initials(text))

    def _initials_edited(self, text: str) -> None:
        # Once typed, the initials are the inspector's; emptied, they follow the name again.
        self._initials_typed = bool(text.strip())

    # ---- choosing -----------------------------------------------------------------------------
    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self._fit()

    def _fit(self) -> None:
        """Grow to show what appeared (a problem, progress) without squeezing the rest."""
        layout = self.layout()
        need = layout.totalHeightForWidth(self.width()) if layout is not None else 0
        if need > self.height():
            self.resize(self.width(), need)

    def _checked(self) -> bool:
        """Check and save what was typed; False (and a sentence shown) if something is wrong."""
        passphrase: str | None = None
        if self._offer_passphrase and (self.first.text() or self.second.text()):
            if self.first.text() != self.second.text():
                self._say("The two passphrases differ; type the same one twice, or neither.")
                self.second.setFocus()
                return False
            try:
                passphrase = passphrase_mod.check_new(self.first.text())
            except CtdeskError as exc:
                self._say(str(exc))
                self.first.setFocus()
                return False
        try:
            settings = self._settings.update(author=self.name.text(), initials=self.initials.text())
            settings.save()
        except CtdeskError as exc:
            self._say(str(exc))
            self.name.setFocus()
            return False
        except OSError as exc:
            self._say(f"Your settings could not be saved: {exc.strerror or exc}.")
            return False
        self._say("")
        self.saved = settings
        self.passphrase = passphrase
        return True

    def start(self) -> None:
        """Start my workbook: save who I am, and go on to my own workbook."""
        if self._busy or not self._checked():
            return
        self.demo_path = None
        self.accept()

    def explore_demo(self) -> None:
        """Save who I am, then open the demo workbook (made now, unless it exists already)."""
        if self._busy or not self._checked():
            return
        path = first_run.demo_path()
        if path.exists():
            self.demo_path = path
            self.accept()
            return
        self._set_busy(True)
        settings = self.saved
        report = self._demo_progress.emit
        done = self._demo_done.emit

        def work() -> None:
            try:
                done(first_run.make_demo_workbook(path, settings=settings, progress=report))
            except CtdeskError as exc:
                done(f"The demo workbook could not be made: {exc}")
            except OSError as exc:
                done(f"The demo workbook could not be made: {exc.strerror or exc}.")
            except Exception as exc:  # a bug: logged, told in a sentence
                where = write_crash_log(exc)
                done(f"The demo workbook could not be made; details were written to {where}.")

        self._show_progress.start()
        self._worker = threading.Thread(target=work, name="ctdesk-demo", daemon=True)
        self._worker.start()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.name, self.initials, self.first, self.second):
            widget.setEnabled(not busy)
        self.start_button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)
        if not busy:
            self._show_progress.stop()
            self.progress.hide()
            self.progress_label.hide()

    def _reveal_progress(self) -> None:
        if self._busy:
            self.progress_label.setText("Making the demo workbook…")
            self.progress_label.show()
            self.progress.show()
            self._fit()

    @Slot(str, int, int)
    def _progressed(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        # Plans come first (up to 40%), then notes (up to 90%); findings end it.
        start, span = (0, 40) if stage == "plans" else (40, 50)
        self.progress.setValue(start + span * done // total)
        what, unit = _STAGES.get(stage, ("Making the demo workbook", ""))
        self.progress_label.setText(f"{what}: {done:,} of {total:,} {unit}…".replace(" …", "…"))

    @Slot(object)
    def _demo_finished(self, outcome: object) -> None:
        self._set_busy(False)
        if isinstance(outcome, Path):
            self.demo_path = outcome
            self.accept()
        else:
            self._say(str(outcome))

    # ---- not while the demo is being made -----------------------------------------------------
    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._busy and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
