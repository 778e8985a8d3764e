"""The evidence register of one force as a table model, and the proxy that filters and sorts it."""

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ctdesk.evidence import STATUSES, Document, human_size
from ctdesk.ui.table_model import ColumnsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a string; "" means empty, which always sorts last
EMPTY = "—"


class Column(IntEnum):
    TITLE = 0
    CATEGORY = 1
    REFERENCE = 2
    RECEIVED = 3
    STATUS = 4
    AREAS = 5
    MARKING = 6
    ATTACHMENT = 7


HEADERS = {
    Column.TITLE: "Title",
    Column.CATEGORY: "Category",
    Column.REFERENCE: "Reference",
    Column.RECEIVED: "Received",
    Column.STATUS: "Status",
    Column.AREAS: "Areas",
    Column.MARKING: "Marking",
    Column.ATTACHMENT: "Attachment",
}


def show_date(iso: str | None) -> str:
    """``15 Oct 2024``: unambiguous for UK readers, unlike 10/15 or 15/10."""
    if not iso:
        return EMPTY
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


class DocumentTableModel(ColumnsTableModel):
    """Rows are documents; ``upsert``/``remove`` keep other rows in place so selections survive."""

    COLUMNS = tuple(HEADERS[c] for c in Column)

    def __init__(
        self,
        categories: dict[str, str],
        area_codes: dict[str, str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._docs: list[Document] = []
        self._categories = categories
        self._codes = area_codes

    # ---- contents ----------------------------------------------------------------------------
    def set_documents(self, documents: list[Document]) -> None:
        self.beginResetModel()
        self._docs = list(documents)
        self.endResetModel()

    def upsert(self, doc: Document) -> None:
        row = self.row_of(doc.id)
        if row >= 0:
            self._docs[row] = doc
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
            return
        row = len(self._docs)
        self.beginInsertRows(QModelIndex(), row, row)
        self._docs.append(doc)
        self.endInsertRows()

    def remove(self, doc_id: str) -> None:
        row = self.row_of(doc_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._docs[row]
            self.endRemoveRows()

    def document_at(self, row: int) -> Document:
        return self._docs[row]

    def documents(self) -> list[Document]:
        return list(self._docs)

    def row_of(self, doc_id: str) -> int:
        return next((r for r, d in enumerate(self._docs) if d.id == doc_id), -1)

    def category_name(self, slug: str) -> str:
        return self._categories.get(slug, slug)

    # ---- Qt model API ------------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._docs)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        doc = self._docs[index.row()]
        col = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(doc, col)
        if role == SORT_ROLE:
            return self._sort_key(doc, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(doc, col)
        if role == ID_ROLE:
            return doc.id
        return None

    def _display(self, doc: Document, col: Column) -> str:
        if col == Column.TITLE:
            return doc.title
        if col == Column.CATEGORY:
            return self.category_name(doc.category)
        if col == Column.REFERENCE:
            return doc.reference or EMPTY
        if col == Column.RECEIVED:
            return show_date(doc.received_date)
        if col == Column.STATUS:
            return STATUSES.get(doc.review_status, doc.review_status)
        if col == Column.AREAS:
            return ", ".join(self._codes.get(a, a) for a in doc.areas) or EMPTY
        if col == Column.MARKING:
            return doc.marking
        if doc.attachment_name is None:
            return EMPTY
        return f"{doc.attachment_name} ({human_size(doc.attachment_size or 0)})"

    def _sort_key(self, doc: Document, col: Column) -> str:
        if col == Column.RECEIVED:
            return doc.received_date or ""  # ISO dates sort as dates
        if col == Column.STATUS:
            return "0" if doc.review_status == "to-review" else "1"  # to review first
        if col == Column.AREAS:
            return ",".join(doc.areas)
        if col == Column.ATTACHMENT:
            return (doc.attachment_name or "").casefold()
        if col == Column.MARKING:
            return doc.marking
        value = self._display(doc, col)
        return "" if value == EMPTY else value.casefold()

    def _tooltip(self, doc: Document, col: Column) -> str | None:
        if col == Column.TITLE:
            who = f"\nProvided by {doc.provided_by}" if doc.provided_by else ""
            return f"{doc.title}{who}\n{doc.marking}"
        if col == Column.STATUS and doc.reviewer:
            return f"Reviewer: {doc.reviewer}"
        if col == Column.RECEIVED and not doc.received_date:
            return "Date received not known"
        if col in (Column.CATEGORY, Column.REFERENCE, Column.MARKING, Column.ATTACHMENT):
            text = self._display(doc, col)  # columns are narrow: show the whole value on hover
            return None if text == EMPTY else text
        return None


class DocumentFilterProxy(QSortFilterProxyModel):
    """Filters by words (title, reference, provided by), category and status; sorts with empty
    values last whichever way a column is sorted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._category: str | None = None
        self._status: str | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filter(
        self, *, text: str | None = None, category: str | None = None, status: str | None = None
    ) -> None:
        """Change what is shown; None keeps a criterion, "" clears it."""
        self._begin_change()
        if text is not None:
            self._words = text.casefold().split()
        if category is not None:
            self._category = category or None
        if status is not None:
            self._status = status or None
        self._end_change()

    def set_text(self, text: str) -> None:
        self.set_filter(text=text)

    def set_category(self, slug: str | None) -> None:
        self.set_filter(category=slug or "")

    def set_status(self, status: str | None) -> None:
        self.set_filter(status=status or "")

    # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); ctdesk supports both.
    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def is_filtering(self) -> bool:
        return bool(self._words or self._category or self._status)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DocumentTableModel) or source_parent.isValid():
            return True
        doc = model.document_at(source_row)
        if self._category and doc.category != self._category:
            return False
        if self._status and doc.review_status != self._status:
            return False
        haystack = f"{doc.title}\n{doc.reference}\n{doc.provided_by}".casefold()
        return all(word in haystack for word in self._words)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a, b = left.data(SORT_ROLE) or "", right.data(SORT_ROLE) or ""
        if a and b:
            if a != b:
                return bool(a < b)
            # Equal keys: keep a stable, meaningful order by title.
            ta = left.siblingAtColumn(Column.TITLE).data(SORT_ROLE) or ""
            tb = right.siblingAtColumn(Column.TITLE).data(SORT_ROLE) or ""
            return bool(ta < tb) if self.sortOrder() == Qt.SortOrder.AscendingOrder else tb < ta
        if not a and not b:
            return False
        # Exactly one is empty: it goes last, so it must look "greater" when sorting up and
        # "smaller" when sorting down (Qt reverses the comparison for descending order).
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        return not a if not ascending else not b
