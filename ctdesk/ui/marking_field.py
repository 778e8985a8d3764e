"""Choosing a protective marking: level, optional handling instruction and descriptor.

Only valid markings are ever reported: an invalid combination (FOR PUBLIC RELEASE with
-SENSITIVE, say) is explained beside the field and nothing is emitted until it is fixed.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ctdesk.marking import DESCRIPTORS, LABELS, MarkingError, parse_marking
from ctdesk.ui.theme import set_tone

_HANDLING_CHOICES = ("", "RECIPIENTS ONLY", "FOR PUBLIC RELEASE", "HMG USE ONLY")
# What the optional parts show when there is none: in words, so that each says what it is (to
# the eye, and to a screen reader on Linux, where a combo box is announced by its value).
NO_HANDLING = "no handling"
NO_DESCRIPTOR = "no descriptor"
NO_CHOICE = "—"  # (shown by earlier versions; still read as none)


class MarkingField(QWidget):
    """Emits ``changed`` with the canonical marking whenever the user makes a valid change."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, label: str = "Protective marking"):
        super().__init__(parent)
        self._setting = False
        self._last = ""
        self.level = QComboBox(self)
        self.level.addItems(list(LABELS))
        self.level.setAccessibleName(label)
        self.level.setToolTip(
            "OFFICIAL or OFFICIAL-SENSITIVE. SECRET and above do not belong on this laptop tool."
        )
        self.handling = QComboBox(self)
        self.handling.setEditable(True)
        self.handling.addItems([NO_HANDLING, *_HANDLING_CHOICES[1:]])
        self.handling.setAccessibleName(f"{label}: handling instruction")
        self.handling.setToolTip(
            "Optional. Type e.g. HOME OFFICE USE ONLY or EMBARGOED UNTIL 2026-12-01 09:00."
        )
        self.descriptor = QComboBox(self)
        self.descriptor.addItems([NO_DESCRIPTOR, *DESCRIPTORS])
        self.descriptor.setAccessibleName(f"{label}: descriptor")
        self.descriptor.setToolTip("Optional descriptor, e.g. PERSONAL DATA.")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        set_tone(self.problem, "problem")
        self.problem.setAccessibleName("Marking problem")
        self.problem.hide()
        self.level.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for combo in (self.handling, self.descriptor):
            # Let long entries (LEGAL PROFESSIONAL PRIVILEGE) elide rather than widen the window.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(5)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.level, 2)
        row.addWidget(self.handling, 2)
        row.addWidget(self.descriptor, 2)
        # The form's "Marking" label (and its shortcut) lands on the level.
        self.setFocusProxy(self.level)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.level.currentTextChanged.connect(self._edited)
        self.handling.currentTextChanged.connect(self._edited)
        self.descriptor.currentTextChanged.connect(self._edited)

    def _text(self) -> str:
        parts = [self.level.currentText()]
        for combo in (self.handling, self.descriptor):
            text = combo.currentText().strip()
            if text and text not in (NO_CHOICE, NO_HANDLING, NO_DESCRIPTOR):
                parts.append(text)
        return " ".join(parts)

    def value(self) -> str | None:
        """The canonical marking shown, or None while the combination is invalid."""
        try:
            return str(parse_marking(self._text()))
        except MarkingError:
            return None

    def error(self) -> str:
        return self.problem.text() if self.problem.isVisible() else ""

    def set_value(self, marking: str) -> None:
        """Show a stored marking (already valid) without emitting ``changed``."""
        m = parse_marking(marking)
        self._setting = True
        try:
            self.level.setCurrentText(m.label)
            self.handling.setCurrentText(m.handling or NO_HANDLING)
            self.descriptor.setCurrentText(m.descriptor or NO_DESCRIPTOR)
            self.problem.hide()
            self._last = str(m)
        finally:
            self._setting = False

    def _edited(self) -> None:
        if self._setting:
            return
        try:
            marking = str(parse_marking(self._text()))
        except MarkingError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.problem.hide()
        if marking != self._last:
            self._last = marking
            self.changed.emit(marking)
