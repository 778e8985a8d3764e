"""A force's findings as a tree: one group per area of the inspection ("A1 Capability", ...)
and a last group "Not tied to an area", each holding its findings in the order they were written.

Columns: the finding's first line, its kind, how many notes and documents it cites, and its
warnings in words ("⚠ no evidence") so that a flag never depends on colour alone.

``sync`` updates rows in place (removing and inserting only findings that appeared, went, or
moved to another area) so that a view's selection survives the autosave of the finding it shows.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from ctdesk.finding import Finding, Flag
from ctdesk.scope import Area
from ctdesk.ui.table_model import header_label
from ctdesk.ui.theme import tone_colour

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # finding id (finding rows) or None (area rows)
AREA_ROLE = Qt.ItemDataRole.UserRole + 2  # area id of the row's group; "" = not tied to an area
UNTIED = ""
UNTIED_LABEL = "Not tied to an area"


@dataclass
class _Row:
    finding: Finding
    flags: tuple[Flag, ...]


@dataclass
class _Group:
    area_id: str  # UNTIED for findings not tied to an area
    label: str
    tooltip: str
    rows: list[_Row] = field(default_factory=list)


def _order(finding: Finding) -> tuple[str, str]:
    return (finding.created_at, finding.id)


def flag_summary(flags: Sequence[Flag]) -> str:
    """``⚠ no evidence, no recommendation``, or "" when nothing is flagged."""
    return "⚠ " + ", ".join(f.short for f in flags) if flags else ""


class FindingsModel(QAbstractItemModel):
    """Area groups at the top level; findings below them. Group rows have internal id 0,
    finding rows the number of their group plus one."""

    COLUMNS = ("Finding", "Kind", "Evidence", "Warnings", "Marking")

    def __init__(self, areas: Sequence[Area], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups = [_Group(a.id, a.label, a.question or a.label) for a in areas] + [
            _Group(UNTIED, UNTIED_LABEL, "Findings about the force as a whole or several areas")
        ]

    # ---- content ------------------------------------------------------------------------------
    def _group_of(self, finding: Finding) -> int:
        key = finding.area_id or UNTIED
        return next((g for g, group in enumerate(self._groups) if group.area_id == key), -1)

    def set_findings(
        self, findings: Sequence[Finding], flags: Mapping[str, Sequence[Flag]]
    ) -> None:
        """Replace every row."""
        self.beginResetModel()
        for group in self._groups:
            group.rows = []
        for finding in sorted(findings, key=_order):
            g = self._group_of(finding)
            if g >= 0:
                self._groups[g].rows.append(_Row(finding, tuple(flags.get(finding.id, ()))))
        self.endResetModel()

    def sync(self, findings: Sequence[Finding], flags: Mapping[str, Sequence[Flag]]) -> None:
        """Make the rows match ``findings``, changing only what differs."""
        wanted = {f.id: f for f in findings}
        touched: set[int] = set()
        for g, group in enumerate(self._groups):
            for row in range(len(group.rows) - 1, -1, -1):
                finding = wanted.get(group.rows[row].finding.id)
                if finding is None or self._group_of(finding) != g:
                    self.beginRemoveRows(self.index(g, 0), row, row)
                    del group.rows[row]
                    self.endRemoveRows()
                    touched.add(g)
        present = {r.finding.id for group in self._groups for r in group.rows}
        for g, group in enumerate(self._groups):
            for row, item in enumerate(group.rows):
                finding = wanted[item.finding.id]
                new_flags = tuple(flags.get(finding.id, ()))
                if finding != item.finding or new_flags != item.flags:
                    group.rows[row] = _Row(finding, new_flags)
                    parent = self.index(g, 0)
                    last = len(self.COLUMNS) - 1
                    self.dataChanged.emit(self.index(row, 0, parent), self.index(row, last, parent))
        for finding in sorted(findings, key=_order):
            if finding.id in present:
                continue
            g = self._group_of(finding)
            if g < 0:
                continue
            group = self._groups[g]
            row = next(
                (r for r, item in enumerate(group.rows) if _order(item.finding) > _order(finding)),
                len(group.rows),
            )
            self.beginInsertRows(self.index(g, 0), row, row)
            group.rows.insert(row, _Row(finding, tuple(flags.get(finding.id, ()))))
            self.endInsertRows()
            touched.add(g)
        for g in sorted(touched):  # the counts in the group labels changed
            self.dataChanged.emit(self.index(g, 0), self.index(g, 0))

    def finding_count(self) -> int:
        return sum(len(g.rows) for g in self._groups)

    def flagged_count(self) -> int:
        return sum(1 for g in self._groups for r in g.rows if r.flags)

    def finding(self, index: AnyIndex) -> Finding | None:
        """The finding a row shows, or None for an area row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.rows[index.row()].finding if index.row() < len(group.rows) else None

    def flags_of(self, finding_id: str) -> tuple[Flag, ...]:
        for group in self._groups:
            for row in group.rows:
                if row.finding.id == finding_id:
                    return row.flags
        return ()

    def index_of(self, finding_id: str) -> QModelIndex:
        """The index (column 0) of a finding's row, or an invalid index."""
        for g, group in enumerate(self._groups):
            for row, item in enumerate(group.rows):
                if item.finding.id == finding_id:
                    return self.index(row, 0, self.index(g, 0))
        return QModelIndex()

    def area_index(self, area_id: str | None) -> QModelIndex:
        key = area_id or UNTIED
        g = next((g for g, group in enumerate(self._groups) if group.area_id == key), -1)
        return self.index(g, 0) if g >= 0 else QModelIndex()

    # ---- Qt model API -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not 0 <= column < len(self.COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        g = parent.row()
        if g >= len(self._groups) or row >= len(self._groups[g].rows):
            return QModelIndex()
        return self.createIndex(row, column, g + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()].rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_label(self.COLUMNS, section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        if index.row() >= len(group.rows):
            return None
        return self._row_data(group, group.rows[index.row()], index.column(), role)

    def _group_data(self, group: _Group, col: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col != 0:
                return None
            flagged = sum(1 for r in group.rows if r.flags)
            extra = f", ⚠ {flagged} to check" if flagged else ""
            return f"{group.label} ({len(group.rows)}{extra})"
        if role == Qt.ItemDataRole.FontRole and col == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return group.tooltip
        if role == AREA_ROLE:
            return group.area_id
        return None

    def _row_data(self, group: _Group, row: _Row, col: int, role: int) -> Any:
        f = row.finding
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return f.first_line
            if col == 1:
                return f"{f.kind_name} · {f.grade_name}" if f.grade_name else f.kind_name
            if col == 2:
                return str(len(f.evidence))
            if col == 3:
                return flag_summary(row.flags) or (
                    "no warnings" if role == Qt.ItemDataRole.AccessibleTextRole else ""
                )
            if col == 4:
                return f.marking
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f.kind_name, f.text]
            lines += [f"⚠ {flag.text}" for flag in row.flags]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and row.flags:
            return QBrush(tone_colour("warning"))  # the palette now: light or dark
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ID_ROLE:
            return f.id
        if role == AREA_ROLE:
            return group.area_id
        return None
