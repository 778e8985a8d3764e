"""Flat table models with named columns: the Qt boilerplate written once."""

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


def header_label(
    columns: tuple[str, ...], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """The horizontal header text for ``section``, or None (Qt's headerData contract)."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(columns)
    ):
        return columns[section]
    return None


class ColumnsTableModel(QAbstractTableModel):
    """Subclasses name their ``COLUMNS`` and say how many rows they hold in ``row_total``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_label(self.COLUMNS, section, orientation, role)

    def emit_row_changed(self, row: int) -> None:
        """Tell views every cell of ``row`` changed."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
