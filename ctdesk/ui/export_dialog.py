"""Choosing what to export: scope, format, maximum marking, redaction, destination."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ctdesk import export
from ctdesk.marking import LABELS
from ctdesk.ui.theme import set_tone
from ctdesk.workbook import Workbook

NO_LIMIT = "No limit"


@dataclass(frozen=True)
class ExportRequest:
    scope: export.ExportScope
    fmt: str
    options: export.ExportOptions
    path: Path
    open_folder: bool


class ExportDialog(QDialog):
    """``request()`` gives what the inspector chose, after Accept."""

    def __init__(
        self, workbook: Workbook, force_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._wb = workbook
        self.setWindowTitle("Export a summary")
        scope = workbook.scope
        self.what = QComboBox(self)
        self.what.setAccessibleName("What to export")
        if force_id:
            self.what.addItem(f"This force: {scope.force(force_id).name}", f"force:{force_id}")
        self.what.addItem("One area across all forces", "area:")
        self.what.addItem("The forces of one CT region", "region:")
        self.what.addItem(f"The whole inspection ({scope.current.code})", "inspection:")
        self.which = QComboBox(self)
        self.which.setAccessibleName("Which area or region")
        self.format = QComboBox(self)
        self.format.setAccessibleName("File format")
        for fmt, name in export.FORMATS.items():
            self.format.addItem(name, fmt)
        self.format.setCurrentIndex(self.format.findData("pdf"))
        self.max_marking = QComboBox(self)
        self.max_marking.setAccessibleName("Maximum marking")
        self.max_marking.addItems([NO_LIMIT, *LABELS])
        self.max_marking.setToolTip(
            "Records marked above this are left out; the export says how many."
        )
        self.redacted = QCheckBox("Remove text marked for redaction", self)
        self.redacted.setAccessibleName("Redacted export")
        self.public = QCheckBox("Mark it OFFICIAL FOR PUBLIC RELEASE", self)
        self.public.setAccessibleName("Mark for public release")
        self.public.setToolTip("Only for a redacted export limited to OFFICIAL.")
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Save to")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose where to save")
        browse.clicked.connect(self._browse)
        self.open_folder = QCheckBox("Open the folder when done", self)
        self.open_folder.setAccessibleName("Open the folder when done")
        self.open_folder.setChecked(True)
        self.problem = QLabel(self)
        set_tone(self.problem, "problem")
        self.problem.setWordWrap(True)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = self._form = QFormLayout(self)
        form.addRow("&Export", self.what)
        form.addRow("&Which", self.which)
        form.addRow("&Format", self.format)
        form.addRow("Maximum &marking", self.max_marking)
        form.addRow("", self.redacted)
        form.addRow("", self.public)
        form.addRow("Save to", path_row)
        form.addRow("", self.open_folder)
        form.addRow(self.problem)
        form.addRow(buttons)
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self.what.currentIndexChanged.connect(self._scope_changed)
        for signal in (
            self.which.currentIndexChanged,
            self.format.currentIndexChanged,
            self.redacted.toggled,
            self.max_marking.currentIndexChanged,
        ):
            signal.connect(self._refresh)
        self._scope_changed()
        self.resize(620, self.sizeHint().height())

    def _scope_changed(self) -> None:
        kind = self.what.currentData().partition(":")[0]
        self.which.blockSignals(True)
        self.which.clear()
        if kind == "area":
            for area in self._wb.scope.current.areas:
                self.which.addItem(area.label, area.id)
        elif kind == "region":
            for region in self._wb.scope.regions:
                self.which.addItem(region.name, region.id)
        self.which.blockSignals(False)
        self.which.setEnabled(kind in ("area", "region"))
        self._form.setRowVisible(self.which, kind in ("area", "region"))
        self._refresh()

    def scope(self) -> export.ExportScope:
        kind, _, ref = self.what.currentData().partition(":")
        return export.resolve_scope(self._wb, kind, ref or self.which.currentData() or None)

    def options(self) -> export.ExportOptions:
        limit = self.max_marking.currentText()
        return export.ExportOptions(
            max_marking=None if limit == NO_LIMIT else limit,
            redacted=self.redacted.isChecked(),
            public_release=self.public.isChecked() and self.public.isEnabled(),
        )

    def _refresh(self) -> None:
        public_ok = self.redacted.isChecked() and self.max_marking.currentText() == "OFFICIAL"
        self.public.setEnabled(public_ok)
        if not public_ok:
            self.public.setChecked(False)
        name = export.suggested_name(
            self._wb, self.scope(), self.format.currentData(), self.redacted.isChecked()
        )
        current = Path(self.path.text()) if self.path.text() else None
        folder = current.parent if current else self._folder
        self.path.setText(str(folder / name))

    def _browse(self) -> None:
        fmt = self.format.currentData()
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), f"{export.FORMATS[fmt]} (*.{fmt})"
        )
        if chosen:
            self.path.setText(chosen)

    def _accept(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.problem.setText("Choose where to save the export.")
            return
        if not Path(text).parent.is_dir():
            self.problem.setText(f"The folder {Path(text).parent} does not exist; choose another.")
            return
        self.accept()

    def request(self) -> ExportRequest:
        return ExportRequest(
            self.scope(),
            self.format.currentData(),
            self.options(),
            Path(self.path.text().strip()),
            self.open_folder.isChecked(),
        )
