"""The navigator: forces grouped by CT region, and the inspection scope as a tree."""

from PySide6.QtCore import QItemSelection, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QTabWidget, QTreeView, QWidget

from ctdesk.scope import Scope
from ctdesk.ui.tree_model import KEY_ROLE, Node, TreeModel


def force_tree(scope: Scope) -> Node:
    """The overview, regions (in order) with their forces, special forces, Police Scotland,
    then what belongs to no single force."""
    current = scope.current
    root = Node("forces")
    overview = root.add(Node("Overview", "group", "overview", bold=True))
    overview.add(
        Node(
            "Coverage and progress",
            "coverage",
            current.id,
            "What has been recorded for each force and area, and how far the fieldwork has got.",
        )
    )
    overview.add(
        Node(
            "Conflicts",
            "conflicts",
            current.id,
            "Records you and someone else both changed: see both versions and choose.",
        )
    )
    for region in scope.regions:
        forces = scope.forces_of_region(region.id)
        group = root.add(Node(f"{region.name} ({len(forces)})", "region", region.id, bold=True))
        for force in forces:
            tip = f"{force.name}, {force.nation}. CT region: {region.name}"
            if force.region_confidence and force.region_confidence != "confirmed":
                tip += f" ({force.region_confidence}, not confirmed)"
            group.add(Node(force.short_name, "force", force.id, tip + "."))
    for kind, title in (("special", "Special forces"), ("scotland", "Scotland")):
        forces = [f for f in scope.forces if f.kind == kind]
        if not forces:
            continue
        group = root.add(Node(f"{title} ({len(forces)})", "group", kind, bold=True))
        for force in forces:
            in_scope = current.id in force.inspections
            label = force.name if in_scope else f"{force.name} (not in {current.code})"
            group.add(Node(label, "force", force.id, force.note or force.name))
    group = root.add(Node("Across forces", "group", "national", bold=True))
    group.add(
        Node(
            "National and cross-force findings",
            "national",
            current.id,
            "Findings that belong to no single force.",
        )
    )
    return root


def scope_tree(scope: Scope) -> Node:
    """Programme → inspections → areas (→ lines of enquiry) and methodology."""
    root = Node("scope")
    programme = root.add(Node(scope.programme.title, "programme", "programme", bold=True))
    for insp in scope.inspections:
        label = f"{insp.code} {insp.title}"
        node = programme.add(Node(label, "inspection", insp.id, insp.subject, bold=insp.current))
        for area in insp.areas:
            area_node = node.add(Node(area.label, "area", area.id, area.question))
            for n, loe in enumerate(area.lines_of_enquiry, 1):
                area_node.add(Node(f"{area.code}.{n} {loe.text}", "loe", loe.id, loe.text))
        if insp.methodology:
            node.add(Node("Methodology", "methodology", insp.id, insp.methodology_summary))
    return root


class Navigator(QTabWidget):
    """Two tabs: Forces and Scope. Emits what the inspector picked."""

    force_selected = Signal(str)
    national_selected = Signal()
    coverage_selected = Signal()
    conflicts_selected = Signal()
    scope_selected = Signal(str, str)  # kind, key

    def __init__(self, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Navigator")
        self.forces_model = TreeModel(force_tree(scope), self)
        self.scope_model = TreeModel(scope_tree(scope), self)
        self.forces_view = self._view(self.forces_model, "Forces by CT region")
        self.scope_view = self._view(self.scope_model, "Inspection scope")
        self.forces_view.expandAll()
        self.scope_view.expandToDepth(1)
        # No Alt letters (they are the menus' and the panes'): Alt+1 and Alt+9 come here.
        self.addTab(self.forces_view, "Forces")
        self.addTab(self.scope_view, "Scope")
        self.forces_view.selectionModel().selectionChanged.connect(self._force_picked)
        # A click on the node already selected still goes there (from search, say).
        self.forces_view.clicked.connect(self._force_clicked)
        self.scope_view.selectionModel().selectionChanged.connect(self._scope_picked)

    def _view(self, model: TreeModel, name: str) -> QTreeView:
        view = QTreeView(self)
        view.setModel(model)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAccessibleName(name)
        return view

    @staticmethod
    def _picked(selection: QItemSelection) -> tuple[str, str] | None:
        indexes = selection.indexes()
        if not indexes:
            return None
        kind, key = indexes[0].data(KEY_ROLE)
        return kind, key

    def _force_clicked(self, index: QModelIndex) -> None:
        self._emit_force_node(index.data(KEY_ROLE))

    def _force_picked(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._emit_force_node(self._picked(selected))

    def _emit_force_node(self, picked: tuple[str, str] | None) -> None:
        if picked and picked[0] == "force":
            self.force_selected.emit(picked[1])
        elif picked and picked[0] == "national":
            self.national_selected.emit()
        elif picked and picked[0] == "coverage":
            self.coverage_selected.emit()
        elif picked and picked[0] == "conflicts":
            self.conflicts_selected.emit()

    def _scope_picked(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        picked = self._picked(selected)
        if picked:
            self.scope_selected.emit(*picked)

    def select_force(self, force_id: str) -> bool:
        """Select a force in the Forces tab; False if there is no such force."""
        return self.select("force", force_id)

    def select(self, kind: str, key: str) -> bool:
        """Select any node of the Forces tab (a force, the overview, national findings)."""
        index: QModelIndex = self.forces_model.find(kind, key)
        if not index.isValid():
            return False
        self.setCurrentWidget(self.forces_view)
        self.forces_view.setCurrentIndex(index)
        self.forces_view.scrollTo(index)
        return True

    def selected_force(self) -> str | None:
        index = self.forces_view.currentIndex()
        if not index.isValid():
            return None
        kind, key = index.data(KEY_ROLE)
        return key if kind == "force" else None
