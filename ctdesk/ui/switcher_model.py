"""What the quick switcher offers and how typed text picks among it.

``SwitcherModel`` lists every destination (the forces in navigator order, then Coverage and
progress and the national findings, then "Search everything for …"); ``SwitcherFilter`` keeps
the rows whose names contain every word typed and ranks them.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ctdesk.scope import Force, Scope

AnyIndex = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # (kind, key): ("force", "kent"), ("search", text)
MATCH_ROLE = Qt.ItemDataRole.UserRole + 2  # every name the row goes by, folded, one a line
NAMES_ROLE = Qt.ItemDataRole.UserRole + 3  # the row's own names, folded, its name first
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 4  # where it is: the CT region or group

SEARCH_KIND = "search"
ACROSS_FORCES = "Across forces"


def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed: how typed text and names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Destination:
    kind: str
    key: str
    label: str
    detail: str
    tooltip: str
    names: tuple[str, ...]  # folded; the label first
    also: tuple[str, ...] = ()  # folded; matched but not "a name" (region, group)

    @property
    def match_text(self) -> str:
        return "\n".join((*self.names, *self.also))


def _force_destination(force: Force, group: str, current_id: str, current_code: str) -> Destination:
    detail = group if current_id in force.inspections else f"{group} · not in {current_code}"
    tip = f"{force.name}, {force.nation}."
    if force.region_name:
        tip += f" CT region: {force.region_name}"
        if force.region_confidence and force.region_confidence != "confirmed":
            tip += f" ({force.region_confidence}, not confirmed)"
        tip += "."
    if force.aliases:
        tip += f" Also called {', '.join(force.aliases)}."
    for former in force.former_names:
        tip += f" Called {former.name} until {former.until}."
    if current_id not in force.inspections:
        tip += f" Not in the scope of {current_code}."
    own = [force.name, force.short_name, *force.aliases, *(f.name for f in force.former_names)]
    names = tuple(dict.fromkeys(fold(n) for n in own if n))
    return Destination("force", force.id, force.name, detail, tip, names, (fold(group),))


def destinations(scope: Scope) -> list[Destination]:
    """The forces in navigator order (regions, special forces, Scotland), then the fixed places."""
    current = scope.current
    result: list[Destination] = []
    seen: set[str] = set()

    def add(force: Force, group: str) -> None:
        seen.add(force.id)
        result.append(_force_destination(force, group, current.id, current.code))

    for region in scope.regions:
        for force in scope.forces_of_region(region.id):
            add(force, region.name)
    for kind, title in (("special", "Special forces"), ("scotland", "Scotland")):
        for force in scope.forces:
            if force.kind == kind and force.id not in seen:
                add(force, title)
    for force in scope.forces:  # any force the groups above missed still gets a row
        if force.id not in seen:
            add(force, force.region_name or force.kind)
    across = fold(ACROSS_FORCES)
    result.append(
        Destination(
            "coverage",
            current.id,
            "Coverage and progress",
            ACROSS_FORCES,
            "How much evidence each force and area has, and how far fieldwork has got.",
            (fold("Coverage and progress"),),
            (across, "matrix"),
        )
    )
    result.append(
        Destination(
            "national",
            current.id,
            "National and cross-force findings",
            ACROSS_FORCES,
            "Findings that belong to no single force.",
            (fold("National and cross-force findings"),),
            (across,),
        )
    )
    return result


class SwitcherModel(QAbstractListModel):
    """Every place the switcher can go, then a last row "Search everything for …"."""

    def __init__(self, scope: Scope, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = destinations(scope)
        self._search_text = ""

    @property
    def search_text(self) -> str:
        """What the inspector typed, as the last row offers to search for it."""
        return self._search_text

    @search_text.setter
    def search_text(self, text: str) -> None:
        text = " ".join(text.split())
        if text == self._search_text:
            return
        self._search_text = text
        last = self.index(len(self._rows), 0)
        self.dataChanged.emit(last, last)

    @property
    def search_row(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows) + 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _search_data(self, role: int) -> Any:
        text = self._search_text
        label = f"Search everything for “{text}”" if text else "Search everything…"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return label
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Search the notes, documents and findings of every force."
        if role == DETAIL_ROLE:
            return "Notes, documents, findings"
        if role == KEY_ROLE:
            return (SEARCH_KIND, text)
        if role in (MATCH_ROLE, NAMES_ROLE):
            return "" if role == MATCH_ROLE else ()
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() <= len(self._rows):
            return None
        if index.row() == len(self._rows):
            return self._search_data(role)
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.label}, {row.detail}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == DETAIL_ROLE:
            return row.detail
        if role == KEY_ROLE:
            return (row.kind, row.key)
        if role == MATCH_ROLE:
            return row.match_text
        if role == NAMES_ROLE:
            return row.names
        return None


def _at_word_start(text: str, hay: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(text)}", hay) is not None


def _rank(words: list[str], query: str, names: tuple[str, ...], match: str) -> int | None:
    """How well a row matches, 0 best; None if some typed word is not in any of its names.

    0: its name starts with the text; 1: another of its names does; then the text, or else
    every word, at the start of a word — first in its own names (2, 3), then in everything it
    matches, such as its region (4, 5); 6: the words occur inside words.
    """
    if not all(word in match for word in words):
        return None
    if names and names[0].startswith(query):
        return 0
    if any(name.startswith(query) for name in names[1:]):
        return 1
    for tier, hay in ((2, "\n".join(names)), (4, match)):
        if _at_word_start(query, hay):
            return tier
        if all(_at_word_start(word, hay) for word in words):
            return tier + 1
    return 6


class SwitcherFilter(QSortFilterProxyModel):
    """Rows whose names contain every typed word, best first; "Search everything" always last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self._ranks: dict[int, int] = {}
        self.setDynamicSortFilter(True)
        self.sort(0)

    @property
    def text(self) -> str:
        return self._query

    def set_text(self, text: str) -> None:
        """Filter and rank by what the inspector typed; also relabels the search row."""
        source = self.sourceModel()
        if isinstance(source, SwitcherModel):
            source.search_text = text
        self._query = fold(text)
        self._ranks = {}
        if source is not None and self._query:
            words = self._query.split()
            for row in range(source.rowCount()):
                index = source.index(row, 0)
                if index.data(KEY_ROLE)[0] == SEARCH_KIND:
                    continue
                rank = _rank(words, self._query, index.data(NAMES_ROLE), index.data(MATCH_ROLE))
                if rank is not None:
                    self._ranks[row] = rank
        self.invalidate()
        self.sort(0)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self.sourceModel()
        if source is None or source_parent.isValid():
            return False
        if source.index(source_row, 0).data(KEY_ROLE)[0] == SEARCH_KIND:
            return bool(self._query)
        return not self._query or source_row in self._ranks

    def _order(self, index: AnyIndex) -> tuple[int, int]:
        if index.data(KEY_ROLE)[0] == SEARCH_KIND:
            return (99, index.row())
        return (self._ranks.get(index.row(), 0), index.row())

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        return self._order(left) < self._order(right)
