"""A read-only tree model over plain Python nodes, used by the navigator's trees."""

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

AnyIndex = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # (kind, id) of the item


@dataclass(eq=False)
class Node:
    label: str
    kind: str = ""
    key: str = ""
    tooltip: str = ""
    enabled: bool = True
    bold: bool = False
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)

    def add(self, child: "Node") -> "Node":
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class TreeModel(QAbstractItemModel):
    """Shows a ``Node`` tree; the root itself is invisible."""

    def __init__(self, root: Node, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = root

    def set_root(self, root: Node) -> None:
        self.beginResetModel()
        self._root = root
        self.endResetModel()

    def node(self, index: AnyIndex) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        children = self.node(parent).children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable
        if self.node(index).enabled:
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip or None
        if role == Qt.ItemDataRole.FontRole and node.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == KEY_ROLE:
            return (node.kind, node.key)
        return None

    def find(self, kind: str, key: str) -> QModelIndex:
        """The index of the node with this kind and key, or an invalid index."""

        def walk(node: Node) -> Node | None:
            for child in node.children:
                if child.kind == kind and child.key == key:
                    return child
                found = walk(child)
                if found:
                    return found
            return None

        hit = walk(self._root)
        return self.createIndex(hit.row(), 0, hit) if hit else QModelIndex()
