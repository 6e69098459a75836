"""The navigation tree over the store: organisation / fiscal year / pages and หมวด / criteria.

A ``QAbstractItemModel`` with its own light node objects. A year's children are built the
first time they are asked for, so a file with hundreds of years opens as fast as a small one.
Every node has a ``key`` (a tuple) that survives a rebuild, so the window can keep the
selection and the expanded nodes when the store changes.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..core.storage import planning
from ..core.storage.store import Change, Store
from ..core.thai_text import with_zwsp
from ..i18n import _

KEY_ROLE = Qt.UserRole + 1
KIND_ROLE = Qt.UserRole + 2
_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable   # built once: PySide enum arithmetic is slow
_NO_FLAGS = Qt.NoItemFlags
# plain ints: data() runs for every visible row and role, and comparing with PySide enums is slow
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND, _FONT = int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole)
# tables whose changes reshape the tree
TREE_TABLES = frozenset({"organisation", "fiscal_year", "category", "criterion"})


class Node:
    __slots__ = ("kind", "key", "label", "parent", "_children", "row", "data", "tooltip")

    def __init__(self, kind: str, key: tuple, label: str, parent: "Node | None", data: dict | None = None,
                 tooltip: str = ""):
        self.kind = kind
        self.key = key
        self.label = label
        self.parent = parent
        self._children: list[Node] | None = None
        self.row = 0
        self.data = data or {}
        self.tooltip = tooltip

    def set_children(self, children: list["Node"]) -> None:
        for i, c in enumerate(children):
            c.row = i
        self._children = children


def criterion_label(crit: dict[str, Any]) -> str:
    return f"{crit['code']} {crit['short_name']}".strip()


def category_label(cat: dict[str, Any]) -> str:
    return _("Category {code} {name}").format(code=cat["code"], name=cat["name"])


def year_label(year_be: int) -> str:
    return _("Fiscal year {year}").format(year=year_be)


class TreeModel(QAbstractItemModel):
    def __init__(self, store: Store | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.show_retired = False
        self.year_pages: list[tuple[str, str]] = []   # (key, label) added by the features
        self._root = Node("root", ("root",), "", None)
        self._cats: list[dict] = []
        self._crits: dict[str, list[dict]] = {}
        self._crit_by_id: dict[str, dict] = {}
        self._by_key: dict[tuple, Node] = {}
        self._year_org: dict[str, str] = {}
        if store is not None:
            self.set_store(store)

    # ------------------------------------------------------------ data source
    def set_store(self, store: Store | None) -> None:
        if self.store is not None:
            self.store.unsubscribe(self._on_changes)
        self.store = store
        if store is not None:
            store.subscribe(self._on_changes)
        self.rebuild()

    def _on_changes(self, changes: list[Change]) -> None:
        if any(c.table in TREE_TABLES for c in changes):
            self.rebuild()

    def set_show_retired(self, show: bool) -> None:
        if show != self.show_retired:
            self.show_retired = show
            self.rebuild()

    def add_year_page(self, key: str, label: str) -> None:
        self.year_pages.append((key, label))
        self.rebuild()

    def rebuild(self) -> None:
        self.beginResetModel()
        self._by_key = {}
        self._year_org = {}
        root = Node("root", ("root",), "", None)
        self._root = root
        if self.store is None:
            root.set_children([])
        else:
            s = self.store
            self._cats = planning.categories(s)
            self._labels = (_("Operations calendar"), _("Weekly plan"),
                            {c["id"]: category_label(c) for c in self._cats})
            crits = planning.criteria(s, include_retired=True)
            self._crits = {c["id"]: [] for c in self._cats}
            self._crit_by_id = {c["id"]: c for c in crits}
            for c in crits:
                self._crits.setdefault(c["category_id"], []).append(c)
            orgs = []
            years_of = planning.fiscal_years_by_org(s)
            for org in planning.organisations(s):
                node = Node("org", ("org", org["id"]), org["name"], root, org)
                years = []
                for y in years_of.get(org["id"], ()):
                    yn = Node("year", ("year", y["id"]), year_label(y["year_be"]), node, y)
                    self._year_org[y["id"]] = org["id"]
                    years.append(yn)
                    self._by_key[yn.key] = yn
                node.set_children(years)
                orgs.append(node)
                self._by_key[node.key] = node
            root.set_children(orgs)
        self.endResetModel()

    def _children(self, node: Node) -> list[Node]:
        if node._children is None:
            if node.kind == "year":
                self._build_year(node)
            elif node.kind == "category":
                self._build_category(node)
            else:
                node.set_children([])
        return node._children  # type: ignore[return-value]

    def _build_year(self, node: Node) -> None:
        yid = node.data["id"]
        cal_label, weekly_label, cat_labels = self._labels
        kids = [Node("calendar", ("calendar", yid), cal_label, node),
                Node("weekly", ("weekly", yid), weekly_label, node)]
        for key, label in self.year_pages:
            kids.append(Node("page", ("page", yid, key), label, node))
        for cat in self._cats:
            kids.append(Node("category", ("category", yid, cat["id"]), cat_labels[cat["id"]], node, cat))
        node.set_children(kids)
        for k in kids:
            self._by_key[k.key] = k

    def _build_category(self, node: Node) -> None:
        yid = node.key[1]
        kids = []
        for c in self._crits.get(node.data["id"], []):
            if c["retired"] and not self.show_retired:
                continue
            kids.append(Node("criterion", ("criterion", yid, c["id"]), criterion_label(c), node, c))
        node.set_children(kids)
        for k in kids:
            self._by_key[k.key] = k

    # ------------------------------------------------------------ lookups
    def node(self, index: QModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def index_of(self, node: Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def find(self, key: tuple) -> QModelIndex:
        """The index of the node with this key, building the nodes on its path."""
        node = self._by_key.get(key)
        if node is None and self.store is not None and len(key) >= 2:
            kind = key[0]
            if kind in ("calendar", "weekly", "page", "category", "criterion"):
                year = self._by_key.get(("year", key[1]))
                if year is not None:
                    self._children(year)
                    if kind == "criterion":
                        crit = self._crit_by_id.get(key[2])
                        if crit is not None:
                            cat = self._by_key.get(("category", key[1], crit["category_id"]))
                            if cat is not None:
                                self._children(cat)
                    node = self._by_key.get(key)
        return self.index_of(node) if node is not None else QModelIndex()

    def orgs(self) -> list[Node]:
        return list(self._root._children or [])

    def year_of(self, index: QModelIndex) -> str | None:
        node = self.node(index)
        while node is not None and node.kind != "year":
            if node.kind == "org":
                kids = self._children(node)
                return kids[-1].data["id"] if kids else None
            node = node.parent
        return node.data["id"] if node is not None else None

    def org_of_year(self, year_id: str | None) -> str | None:
        return self._year_org.get(year_id) if year_id else None

    def criterion_of(self, index: QModelIndex) -> str | None:
        node = self.node(index)
        return node.key[2] if node.kind == "criterion" else None

    # ------------------------------------------------------------ QAbstractItemModel
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0:
            return QModelIndex()
        kids = self._children(self.node(parent))
        if 0 <= row < len(kids):
            return self.createIndex(row, 0, kids[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        return self.index_of(node.parent) if node.parent is not None else QModelIndex()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._children(self.node(parent)))

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        node = self.node(parent)
        if node._children is None and node.kind in ("year", "category"):
            return node.kind == "year" or bool(self._crits.get(node.data["id"]))
        return bool(self._children(node))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        if role == _DISPLAY:
            if node.kind == "criterion" and node.data.get("retired"):
                return _("{label} (retired)").format(label=node.label)
            return node.label
        if role == _TOOLTIP:
            if node.kind == "criterion" and node.data.get("full_text") and not node.tooltip:
                node.tooltip = with_zwsp(node.data["full_text"][:400])
            return node.tooltip or (node.label if node.kind in ("category", "org") else None)
        if role == _FOREGROUND and node.kind == "criterion" and node.data.get("retired"):
            return QBrush(QColor("#8a8a8a"))
        if role == _FONT and node.kind in ("org", "year"):
            f = QFont()
            f.setBold(True)
            return f
        if role == KEY_ROLE:
            return node.key
        if role == KIND_ROLE:
            return node.kind
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and section == 0:
            return _("Organisations and fiscal years")
        return None
