"""The coverage matrix as a tree: CT regions (with their totals) → forces; a column per area.

Columns: Force, one per area of the inspection, Activities (done of planned), Documents
(registered, reviewed). An area cell reads ``12 · 3 · 1`` (notes · documents · findings) or
``none``, so colour is never the only signal; its background is a tint of the palette's Highlight
over its Base, darker with more evidence, so it reads in light and dark themes alike.
"""

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from ctdesk.coverage import AreaCounts, Coverage, ForceCoverage, Tally
from ctdesk.scope import Area
from ctdesk.ui.theme import blend, contrast

AnyIndex = QModelIndex | QPersistentModelIndex
#: (force id, area id) of a force row's cell; the area id is "" outside the area columns (the
#: force name, activities and documents: "open the force"). None on region rows.
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
#: The evidence level of an area cell: 0 (nothing), 1 (1–4), 2 (5–19) or 3 (20 or more).
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 2
LEVELS = ((20, 3), (5, 2), (1, 1))  # (at least this many records, level), highest first
#: How far each level moves Base towards Highlight. Level 0 stays Base: a gap looks empty.
TINTS = (0.0, 0.3, 0.55, 0.85)
SEPARATOR = " · "


def level(total: int) -> int:
    """The evidence level for a count of notes, documents and findings together."""
    for least, value in LEVELS:
        if total >= least:
            return value
    return 0


def short_title(area: Area) -> str:
    """``A3 Information sharing``: the area code and its title up to the first "and"."""
    return f"{area.code} {area.title.split(' and ')[0]}"


def cell_text(counts: AreaCounts) -> str:
    """``12 · 3 · 1`` (notes · documents · findings), or ``none``."""
    if not counts.total:
        return "none"
    return SEPARATOR.join(str(n) for n in (counts.notes, counts.documents, counts.findings))


def readable_on(background: QColor, palette: QPalette) -> QColor:
    """Whichever of the palette's Text and HighlightedText contrasts more with ``background``."""
    choices = (
        palette.color(QPalette.ColorRole.Text),
        palette.color(QPalette.ColorRole.HighlightedText),
    )
    return max(choices, key=lambda c: contrast(c, background))


@dataclass(eq=False)
class _Row:
    label: str
    place: str  # "Kent Police" or "the North East region (7 forces)", for spoken text
    tally: Tally
    force_id: str | None
    parent: "_Row | None" = None
    number: int = 0
    children: list["_Row"] = field(default_factory=list)


def _shape(root: _Row) -> list[tuple[str, list[str | None]]]:
    return [(g.label, [f.force_id for f in g.children]) for g in root.children]


class CoverageModel(QAbstractItemModel):
    """Regions (bold, with totals, untinted) → forces; call ``set_coverage`` to fill it."""

    FORCE = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Row("", "", Tally({}, 0, 0, 0, 0), None)
        self._areas: tuple[Area, ...] = ()
        self._palette = QGuiApplication.palette()
        self._bold = QFont()
        self._bold.setBold(True)

    # -- filling -------------------------------------------------------------------------------

    def set_coverage(self, cov: Coverage) -> bool:
        """Show ``cov``. Returns True if the model was reset (its rows or columns changed).

        When the same forces and areas are shown again, only the counts change (``dataChanged``),
        so views keep their selection and whatever regions the inspector collapsed.
        """
        root = _Row("", "", cov.totals, None)
        for g_number, group in enumerate(cov.groups):
            count = len(group.forces)
            noun = "force" if count == 1 else "forces"
            if group.id == "special":
                where = f"the special forces ({count})"
            elif group.id in ("scotland", "other"):
                where = group.name
            else:
                where = f"the {group.name} region ({count} {noun})"
            node = _Row(f"{group.name} ({count})", where, group.totals, None, root, g_number)
            root.children.append(node)
            for f_number, force in enumerate(group.forces):
                node.children.append(
                    _Row(force.short_name, force.name, force, force.force_id, node, f_number)
                )
        if cov.areas == self._areas and _shape(root) == _shape(self._root):
            for old, new in zip(self._root.children, root.children, strict=True):
                old.tally = new.tally
                for old_force, new_force in zip(old.children, new.children, strict=True):
                    old_force.tally = new_force.tally
            self._root.tally = root.tally
            self._all_changed()
            return False
        self.beginResetModel()
        self._root = root
        self._areas = cov.areas
        self.endResetModel()
        return True

    def set_palette(self, palette: QPalette) -> None:
        """Derive cell colours from ``palette`` (call when the theme changes)."""
        self._palette = QPalette(palette)
        self._all_changed()

    def _all_changed(self) -> None:
        last = self.columnCount() - 1
        for group in range(self.rowCount()):
            parent = self.index(group, 0)
            self.dataChanged.emit(self.index(group, 0), self.index(group, last))
            rows = self.rowCount(parent)
            if rows:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(rows - 1, last, parent))

    # -- columns -------------------------------------------------------------------------------

    @property
    def activities_column(self) -> int:
        return len(self._areas) + 1

    @property
    def documents_column(self) -> int:
        return len(self._areas) + 2

    def area_column(self, area_id: str) -> int:
        """The column of an area, or -1."""
        for number, area in enumerate(self._areas, 1):
            if area.id == area_id:
                return number
        return -1

    def _area_at(self, column: int) -> Area | None:
        return self._areas[column - 1] if 1 <= column <= len(self._areas) else None

    def force_index(self, force_id: str, column: int = 0) -> QModelIndex:
        """The index of a force's cell in ``column``, or an invalid index."""
        for group in self._root.children:
            for row in group.children:
                if row.force_id == force_id:
                    return self.createIndex(row.number, column, row)
        return QModelIndex()

    # -- the item model ------------------------------------------------------------------------

    def _row(self, index: AnyIndex) -> _Row:
        if not index.isValid():
            return self._root
        row = index.internalPointer()
        assert isinstance(row, _Row)
        return row

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if row < 0 or not 0 <= column < self.columnCount():
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._row(parent).children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._row(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.number, 0, up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._row(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(self._areas) + 3

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        area = self._area_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if area is not None:
                return short_title(area)
            return {self.FORCE: "Force", self.activities_column: "Activities"}.get(
                section, "Documents"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if area is not None:
                return f"{area.label}: {area.question} (notes · documents · findings)"
            if section == self.activities_column:
                return "Fieldwork plan: activities done of those planned (not cancelled)."
            if section == self.documents_column:
                return "Documents registered, and how many of them are reviewed."
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row(index)
        column = index.column()
        area = self._area_at(column)
        is_force = row.force_id is not None
        if role == CELL_ROLE:
            return (row.force_id, area.id if area else "") if is_force else None
        if role == Qt.ItemDataRole.FontRole:
            return None if is_force else self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.FORCE:
            return Qt.AlignmentFlag.AlignCenter
        if area is not None:
            return self._area_data(row, area, role, is_force)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._spoken(row, column, is_force)
        return None

    def _text(self, row: _Row, column: int) -> str:
        t = row.tally
        if column == self.activities_column:
            return f"{t.activities_done} of {t.activities_planned}"
        if column == self.documents_column:
            return f"{t.documents} ({t.documents_reviewed} reviewed)"
        return row.label

    def _spoken(self, row: _Row, column: int, is_force: bool) -> str:
        t = row.tally
        if column == self.activities_column:
            return (
                f"{t.activities_done} of {t.activities_planned} planned activities done "
                f"in {row.place}."
            )
        if column == self.documents_column:
            registered = "document" if t.documents == 1 else "documents"
            return (
                f"{t.documents} {registered} registered, {t.documents_reviewed} reviewed, "
                f"in {row.place}."
            )
        if not is_force:
            return row.place[0].upper() + row.place[1:]
        loose = t.findings_without_area if isinstance(t, ForceCoverage) else 0
        extra = f" {loose} finding(s) tied to no area are not in any cell." if loose else ""
        return f"{row.place}: open the force.{extra}"

    def _area_data(self, row: _Row, area: Area, role: int, is_force: bool) -> Any:
        counts = row.tally.areas.get(area.id, AreaCounts())
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(counts)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if not counts.total:
                return f"Nothing yet on {area.title} in {row.place}."
            return f"{counts.describe()} on {area.title} in {row.place}."
        if role == LEVEL_ROLE:
            return level(counts.total)
        # Region rows stay untinted: their sums would be dark everywhere and hide the gaps.
        if not is_force:
            return None
        background = self._background(counts.total)
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        if role == Qt.ItemDataRole.ForegroundRole:
            return readable_on(background, self._palette)
        return None

    def _background(self, total: int) -> QColor:
        base = self._palette.color(QPalette.ColorRole.Base)
        highlight = self._palette.color(QPalette.ColorRole.Highlight)
        return blend(base, highlight, TINTS[level(total)])
