"""Who the inspector is and how new records are marked; asked once on first run."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ctdesk.errors import CtdeskError
from ctdesk.settings import Settings
from ctdesk.ui.marking_field import MarkingField
from ctdesk.ui.theme import set_tone

_WELCOME = (
    "ctdesk records who wrote each note, document and finding. Tell it your name once; "
    "you can change it later under File → Settings."
)
_MARKINGS = (
    "Everything you record carries a protective marking: OFFICIAL, or OFFICIAL-SENSITIVE for "
    "material not for public release. SECRET and above do not belong on this laptop tool."
)


class SettingsDialog(QDialog):
    """Edits ``Settings``; ``saved`` holds the new settings after Accept."""

    def __init__(
        self, settings: Settings, *, first_run: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.saved: Settings | None = None
        self.setWindowTitle("Welcome to ctdesk" if first_run else "Settings")
        intro = QLabel(_WELCOME if first_run else "", self)
        intro.setWordWrap(True)
        intro.setVisible(first_run)
        self.author = QLineEdit(settings.author, self)
        self.author.setAccessibleName("Your name")
        self.initials = QLineEdit(settings.initials, self)
        self.initials.setAccessibleName("Your initials")
        self.initials.setMaxLength(5)
        self.marking = MarkingField(self, label="Default marking for new records")
        self.marking.set_value(settings.default_marking)
        self.lock = QSpinBox(self)
        self.lock.setRange(0, 24 * 60)
        self.lock.setSuffix(" minutes idle")
        self.lock.setSpecialValueText("Never")
        self.lock.setValue(settings.lock_minutes)
        self.lock.setAccessibleName("Lock an encrypted workbook after this many minutes idle")
        self.lock.setToolTip(
            "An encrypted workbook's window hides its content after this long without use, "
            "until the passphrase is given again."
        )
        markings = QLabel(_MARKINGS, self)
        markings.setWordWrap(True)
        self.problem = QLabel(self)
        set_tone(self.problem, "problem")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Your &name", self.author)
        form.addRow("&Initials", self.initials)
        form.addRow("Default &marking", self.marking)
        form.addRow(markings)
        form.addRow("&Lock after", self.lock)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.resize(560, self.sizeHint().height())

    def _save(self) -> None:
        marking = self.marking.value()
        if marking is None:
            self.problem.setText(self.marking.error() or "Choose a valid marking.")
            return
        try:
            new = self._settings.update(
                author=self.author.text(),
                initials=self.initials.text(),
                default_marking=marking,
                lock_minutes=self.lock.value(),
            )
            new.save()
        except (CtdeskError, OSError) as exc:
            self.problem.setText(str(exc))
            return
        self.saved = new
        self.accept()
