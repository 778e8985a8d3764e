"""The coverage dashboard: a force × area matrix of evidence, and fieldwork progress.

The page recomputes when it is shown after the workbook changed, and (shortly) after each change
while it is on screen; hidden, it only notes that it is out of date, so typing a note elsewhere
never pays for counting 100,000 notes.
"""

from html import escape

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ctdesk.changes import Changes
from ctdesk.coverage import Coverage, coverage
from ctdesk.ui.coverage_model import CELL_ROLE, TINTS, CoverageModel, blend, readable_on
from ctdesk.ui.session import Session

#: Record kinds whose changes alter the counts.
COUNTED_KINDS = frozenset({"note", "document", "finding", "activity"})
REFRESH_DELAY_MS = 150  # coalesces a burst of changes (an import, undoing several steps)
LEGEND_LEVELS = ("none", "1–4", "5–19", "20+")


class _CellDelegate(QStyledItemDelegate):
    """Paints each tinted cell inset by a pixel, so the matrix reads as cells, not a block."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(background, QColor):
            painter.fillRect(option.rect.adjusted(1, 0, -1, -1), background)
        super().paint(painter, option, index)

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.backgroundBrush = QBrush()  # already painted, inset, by ``paint``


class CoverageView(QTreeView):
    """The matrix; Enter or Return on a cell means the same as clicking it."""

    cell_chosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Handled here rather than through ``activated``: on styles that activate on a single
        # click, ``activated`` would fire as well as ``clicked`` and open the force twice.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.cell_chosen.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class CoveragePage(QWidget):
    """Evidence per force and area, and fieldwork progress, for the current inspection."""

    #: (force id, area id): a force × area cell was clicked or activated; area id "" when the
    #: force itself was (its name, activities or documents).
    cell_activated = Signal(str, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Coverage and progress")
        self._session = session
        self._stale = True
        self.coverage: Coverage | None = None
        insp = session.workbook.scope.current

        title = escape(f"Coverage and progress: {insp.code} {insp.title}")
        self.heading = QLabel(f"<h2 style='margin:0'>{title}</h2>", self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Coverage heading")

        self.activities_label = QLabel(self)
        self.activities_label.setAccessibleName("Fieldwork progress")
        self.activities_bar = QProgressBar(self)
        self.activities_bar.setAccessibleName("Activities done of planned")
        self.documents_label = QLabel(self)
        self.documents_label.setAccessibleName("Documents progress")
        self.documents_bar = QProgressBar(self)
        self.documents_bar.setAccessibleName("Documents reviewed against the target")
        self.national_label = QLabel(self)
        self.national_label.setAccessibleName("National findings")
        for label in (self.activities_label, self.documents_label, self.national_label):
            label.setWordWrap(True)
        for bar in (self.activities_bar, self.documents_bar):
            em = bar.fontMetrics().averageCharWidth()  # sizes follow the system font
            bar.setMaximumWidth(em * 43)
            bar.setMinimumWidth(em * 27)
        progress = QGridLayout()
        progress.setColumnStretch(2, 1)
        progress.addWidget(QLabel("<b>Fieldwork</b>", self), 0, 0)
        progress.addWidget(self.activities_bar, 0, 1)
        progress.addWidget(self.activities_label, 0, 2)
        progress.addWidget(QLabel("<b>Documents</b>", self), 1, 0)
        progress.addWidget(self.documents_bar, 1, 1)
        progress.addWidget(self.documents_label, 1, 2)
        progress.addWidget(self.national_label, 2, 0, 1, 3)

        self.legend_text = QLabel(
            "Each cell: notes · documents · findings on that area in that force; "
            "<b>none</b> means nothing yet. Click a cell (or press Enter) to open the force "
            "at that area, or a force's name to open the force.",
            self,
        )
        self.legend_text.setWordWrap(True)
        self.legend_text.setAccessibleName("How to read the coverage table")
        self.swatches = [QLabel(text, self) for text in LEGEND_LEVELS]
        legend = QHBoxLayout()
        shading = QLabel("Shading by records in a cell:", self)
        legend.addWidget(shading)
        for swatch, text in zip(self.swatches, LEGEND_LEVELS, strict=True):
            swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
            swatch.setMinimumWidth(swatch.fontMetrics().horizontalAdvance("20 or more") + 12)
            swatch.setFrameShape(QFrame.Shape.Box)
            swatch.setAutoFillBackground(True)
            swatch.setAccessibleName(f"Shading for {text} records")
            legend.addWidget(swatch)
        legend.addStretch(1)

        self.model = CoverageModel(self)
        self.view = CoverageView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(_CellDelegate(self.view))
        self.view.setAccessibleName("Evidence by force and area")
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.clicked.connect(self._chosen)
        self.view.cell_chosen.connect(self._chosen)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(progress)
        layout.addWidget(self.legend_text)
        layout.addLayout(legend)
        layout.addWidget(self.view, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        session.changed.connect(self._on_changed)
        self._apply_palette()
        # No counting yet: the first showing does it (``_stale``), so startup never waits on it.

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recount from the workbook and show the result.

        The current cell, scroll position and collapsed regions stay as they were unless the
        forces or areas themselves changed.
        """
        self._timer.stop()
        self.coverage = coverage(self._session.workbook)
        if self.model.set_coverage(self.coverage):
            # New rows or columns (the first time, or the scope changed): show them all.
            self.view.expandAll()
            for column in range(self.model.columnCount()):
                self.view.resizeColumnToContents(column)
        self._show_progress(self.coverage)
        self._stale = False

    def _show_progress(self, cov: Coverage) -> None:
        t = cov.totals
        self.activities_bar.setRange(0, max(t.activities_planned, 1))
        self.activities_bar.setValue(t.activities_done)
        self.activities_bar.setFormat(f"{t.activities_percent}%")
        self.activities_label.setText(
            f"{t.activities_done} of {t.activities_planned} planned activities done "
            f"({t.activities_percent}%)"
        )
        # The target is "over N" reviewed, so the bar is full only once N + 1 are.
        goal = cov.documents_target + 1
        self.documents_bar.setRange(0, max(goal, 1))
        self.documents_bar.setValue(min(t.documents_reviewed, goal))
        self.documents_bar.setFormat(f"{t.documents_reviewed} reviewed")
        met = "target met" if cov.documents_target_met else "target not yet met"
        self.documents_label.setText(
            f"{t.documents} registered, {t.documents_reviewed} reviewed; "
            f"the target is over {cov.documents_target} reviewed ({met})"
        )
        national = sum(cov.national_findings.values())
        self.national_label.setVisible(bool(national))
        what = "finding, which belongs" if national == 1 else "findings, which belong"
        self.national_label.setText(
            f"Also {national} national or cross-force {what} to no force's row."
        )

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        if not changes.kinds & COUNTED_KINDS:
            return
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- colours -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        # The page's own palette: on a change, the page hears of it before its children do.
        palette = self.palette()
        self.model.set_palette(palette)
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        for swatch, tint in zip(self.swatches, TINTS, strict=True):
            colour = blend(base, highlight, tint)
            own = QPalette(swatch.palette())
            own.setColor(QPalette.ColorRole.Window, colour)
            own.setColor(QPalette.ColorRole.WindowText, readable_on(colour, palette))
            swatch.setPalette(own)

    # -- choosing ------------------------------------------------------------------------------

    def _chosen(self, index: QModelIndex) -> None:
        cell = index.data(CELL_ROLE) if index.isValid() else None
        if cell:
            self.cell_activated.emit(cell[0], cell[1])
