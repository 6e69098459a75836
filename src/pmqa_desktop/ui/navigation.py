"""The tree on the left and the pages on the right: choosing a node in the tree shows its page
(the operations calendar, the weekly plan with a criterion's details below it, a criterion or
หมวด, a feature's year page), and the tree keeps its selection and expanded nodes when it is
rebuilt.

Part of the shell: ``TreeNavigation`` is a base class of ``ui.main_window.MainWindow``. It holds the
tree and page state, the tree queries of ``features.Window`` (``current_*_id``, ``select_key``), the
features' year pages, tree menus and places (``register_place`` / ``show_place``), and the View
menu's tree entries. Builds the schedule grids and the detail pane on first use.
"""
from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QSplitter, QStackedWidget, QTreeView, QWidget

from ..core.storage import planning
from ..i18n import _, ngettext
from .tree_model import TreeModel

if TYPE_CHECKING:
    from .catalog.detail_pane import DetailPane
    from .features import TreeMenuPart, Window


class TreeNavigation:
    def _build_panes(self) -> None:
        """The tree on the left, the page stack on the right (built in the window's __init__)."""
        self._year_pages: list[tuple[str, str, Callable[["Window", str], QWidget]]] = []
        self._page_widgets: dict[tuple[str, str], QWidget] = {}
        self._tree_menu_parts: list[TreeMenuPart] = []
        self._shown_key: tuple | None = None
        self._weekly_year: str | None = None      # the year the weekly view shows
        self._saved_key: tuple | None = None
        self._saved_expanded: list[tuple] = []
        self._places: dict[str, Callable[..., bool]] = {}   # what a feature shows in its place (show_place)
        # ---- left: the tree
        self.tree_model = TreeModel(None, self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("tree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree_model.modelAboutToBeReset.connect(self._save_tree_state)
        self.tree_model.modelReset.connect(self._restore_tree_state)

        # ---- right: the pages
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.welcome = QLabel(self.stack)
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignCenter)
        self.welcome.setWordWrap(True)
        self.stack.addWidget(self.welcome)
        # the detail panes are built when first needed (see the properties below): the first
        # paint shows the calendar, and building them would only slow the start
        self._detail: DetailPane | None = None
        self.calendar_view: QWidget | None = None
        self._weekly_view: QWidget | None = None   # built when first shown (see weekly_view)
        self._weekly_cls: Any = None
        self._weekly_detail: DetailPane | None = None
        self.right = QSplitter(Qt.Vertical, self)
        self.right.addWidget(self.stack)
        self.right.setStretchFactor(0, 4)

        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 920])
        self.setCentralWidget(self.splitter)

    def _build_view_menu(self, v: QMenu) -> None:
        """View: show retired criteria, expand or collapse the tree."""
        self.action_show_retired = QAction(_("Show retired criteria"), self)
        self.action_show_retired.setCheckable(True)
        self.action_show_retired.setObjectName("action_show_retired")
        self.action_show_retired.toggled.connect(self.tree_model.set_show_retired)
        v.addAction(self.action_show_retired)
        self.add_action("view", _("Expand all"), self.tree.expandAll, None, "action_expand_all")
        self.add_action("view", _("Collapse all"), self.tree.collapseAll, None, "action_collapse_all")

    def _welcome_text(self, path: str | None) -> None:
        """What the page on the right says before a node is chosen: the open file, or that none is."""
        if path is not None:
            self.welcome.setText(_("<h2>PMQA Desktop</h2><p>File: {path}</p><p>Choose an organisation's fiscal year, "
                                   "its operations calendar or weekly plan, or a criterion in the tree.</p>").format(
                path=path))
        else:
            self.welcome.setText(_("<h2>PMQA Desktop</h2><p>No file is open. Use File > Open.</p>"))

    def _set_pages_store(self, store) -> None:
        """The pages of the file before go; the panes, grids and tree show ``store`` (the window's new file)."""
        for w in self._page_widgets.values():
            self.stack.removeWidget(w)
            w.deleteLater()
        self._page_widgets.clear()
        self._shown_key = None
        self._weekly_year = None
        self.store = store
        for pane in (self._detail, self._weekly_detail):
            if pane is not None:
                pane.set_store(store)
        self._hide_weekly_detail()
        self._ensure_grid_views()
        for view in (self.calendar_view, self._weekly_view):
            if view is not None:
                view.set_store(store)
        self.tree_model.set_store(store)

    # ================================================================ where the clerk is; the features' pages
    def current_org_id(self) -> str | None:
        node = self.tree_model.node(self.tree.currentIndex())
        if node.kind == "org":
            return node.key[1]
        year = self.current_year_id()
        return self.tree_model.org_of_year(year) if year else None

    def current_year_id(self) -> str | None:
        idx = self.tree.currentIndex()
        if idx.isValid():
            return self.tree_model.year_of(idx)
        orgs = self.tree_model.orgs()
        if orgs:
            return self.tree_model.year_of(self.tree_model.index_of(orgs[0]))
        return None

    def current_criterion_id(self) -> str | None:
        return self.tree_model.criterion_of(self.tree.currentIndex())

    def register_year_page(self, key: str, label: str, factory: Callable[["Window", str], QWidget]) -> None:
        self._year_pages.append((key, label, factory))
        self.tree_model.add_year_page(key, label)

    def register_tree_menu(self, part: TreeMenuPart) -> None:
        self._tree_menu_parts.append(part)

    def register_place(self, kind: str, show: Callable[..., bool]) -> None:
        self._places[kind] = show

    def show_place(self, kind: str, year_id: str, **where: Any) -> bool:
        show = self._places.get(kind)
        return bool(show is not None and show(self, year_id, **where))

    # ================================================================ detail panes (built on first use)
    @property
    def detail(self) -> "DetailPane":
        """The criterion / หมวด page of the stack."""
        if self._detail is None:
            from .catalog.detail_pane import DetailPane
            pane = DetailPane(self, self.stack)
            pane.setObjectName("detail_pane")
            pane.show_weekly_requested.connect(self.show_in_weekly)
            pane.set_store(self.store)
            self.stack.addWidget(pane)
            self._detail = pane
        return self._detail

    @property
    def weekly_detail(self) -> "DetailPane":
        """The compact criterion pane below the weekly plan (hidden until a criterion is chosen there)."""
        if self._weekly_detail is None:
            from .catalog.detail_pane import DetailPane
            pane = DetailPane(self, None, compact=True)
            pane.setObjectName("weekly_detail_pane")
            pane.set_store(self.store)
            pane.hide()
            self.right.addWidget(pane)
            self.right.setStretchFactor(1, 1)
            self._weekly_detail = pane
        return self._weekly_detail

    def _hide_weekly_detail(self) -> None:
        if self._weekly_detail is not None:
            self._weekly_detail.hide()

    def _ensure_grid_views(self) -> None:
        if self.calendar_view is not None or self.store is None:
            return
        from .schedules.grid_views import CalendarView, WeeklyPlanView
        self._weekly_cls = WeeklyPlanView
        self.calendar_view = CalendarView(self.store, self.undo_stack, self.stack)
        self.calendar_view.setObjectName("calendar_view")
        self.stack.addWidget(self.calendar_view)

    @property
    def weekly_view(self) -> QWidget | None:
        """The weekly-plan page; built the first time it is asked for (the first paint shows the
        calendar), None while no file is open."""
        if self._weekly_view is None and self.calendar_view is not None and self.store is not None:
            view = self._weekly_cls(self.store, self.undo_stack, self.stack)
            view.setObjectName("weekly_view")
            self.stack.addWidget(view)
            self._weekly_view = view
        return self._weekly_view

    def _select_start(self) -> None:
        orgs = self.tree_model.orgs()
        if not orgs:
            self.welcome.setText(_("<h2>PMQA Desktop</h2><p>File: {path}</p><p>This file has no organisation yet. "
                                   "Tools > Add organisation adds your province or agency; File > Import text "
                                   "table brings in a calendar or weekly plan typed in Word.</p>").format(
                path=self.store.path if self.store is not None else ""))
            self.stack.setCurrentWidget(self.welcome)
            return
        org_index = self.tree_model.index_of(orgs[0])
        self.tree.expand(org_index)
        year_id = self.tree_model.year_of(org_index)
        if year_id:
            idx = self.tree_model.find(("year", year_id))
            self.tree.expand(idx)
            self.select_key(("calendar", year_id))
        else:
            self.tree.setCurrentIndex(org_index)

    # ================================================================ tree
    def select_key(self, key: tuple) -> bool:
        idx = self.tree_model.find(key)
        if not idx.isValid():
            return False
        parent = idx.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        return True

    def _save_tree_state(self) -> None:
        idx = self.tree.currentIndex()
        self._saved_key = self.tree_model.node(idx).key if idx.isValid() else None
        expanded: list[tuple] = []

        def walk(parent: QModelIndex) -> None:
            node = self.tree_model.node(parent)
            for child in node._children or []:
                ci = self.tree_model.index_of(child)
                if child._children is not None and child.kind in ("org", "year", "category") \
                        and self.tree.isExpanded(ci):
                    expanded.append(child.key)
                    walk(ci)
        walk(QModelIndex())
        self._saved_expanded = expanded

    def _restore_tree_state(self) -> None:
        self.tree.setUpdatesEnabled(False)
        try:
            for key in self._saved_expanded:
                idx = self.tree_model.find(key)
                if idx.isValid():
                    self.tree.expand(idx)
        finally:
            self.tree.setUpdatesEnabled(True)
        key = self._saved_key
        self._saved_key, self._saved_expanded = None, []
        if key is None:
            return
        if not self.select_key(key):
            # the node went away (undo of an add, a retired criterion hidden): select its parent
            if key[0] == "criterion":
                crit = self.store.get("criterion", key[2], include_deleted=True) if self.store else None
                if crit and self.select_key(("category", key[1], crit["category_id"])):
                    return
            if len(key) > 1 and self.select_key(("year", key[1])):
                return
            # a deleted year (or organisation): its organisation, else the first one
            year = self.store.get("fiscal_year", key[1], include_deleted=True) if (self.store and len(key) > 1) else None
            org_id = year["org_id"] if year else (key[1] if key[0] == "org" else None)
            if org_id and self.select_key(("org", org_id)):
                return
            first = self.tree_model.index(0, 0)
            if first.isValid():
                self.tree.setCurrentIndex(first)
                return
            self._shown_key = None
            self.stack.setCurrentWidget(self.welcome)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.tree_model.node(current)
        if not current.isValid():
            return
        if node.key == self._shown_key and node.kind != "criterion":
            if node.kind == "category" and self._detail is not None:
                self._detail.refresh()
            return
        self._shown_key = node.key
        kind = node.kind
        if kind != "criterion":
            self._hide_weekly_detail()
        if kind == "org":
            years = len(node._children or []) if node._children is not None else len(
                planning.fiscal_years(self.store, node.key[1]))
            self.welcome.setText(ngettext("<h2>{name}</h2><p>{n} fiscal year in this file.</p>"
                                          "<p>Tools > New fiscal year or Roll over adds another.</p>",
                                          "<h2>{name}</h2><p>{n} fiscal years in this file.</p>"
                                          "<p>Tools > New fiscal year or Roll over adds another.</p>", years).format(
                name=node.label, n=years))
            self.stack.setCurrentWidget(self.welcome)
        elif kind in ("year", "calendar"):
            self.calendar_view.set_year(node.key[1])
            self.stack.setCurrentWidget(self.calendar_view)
        elif kind == "weekly":
            self.weekly_view.set_year(node.key[1])
            self._weekly_year = node.key[1]
            self.stack.setCurrentWidget(self.weekly_view)
        elif kind == "page":
            self.stack.setCurrentWidget(self._year_page(node.key[2], node.key[1]))
        elif kind == "category":
            self.detail.show_category(node.key[1], node.key[2])
            self.stack.setCurrentWidget(self.detail)
        elif kind == "criterion":
            year_id, crit_id = node.key[1], node.key[2]
            weekly_front = (self._weekly_view is not None and self.stack.currentWidget() is self._weekly_view
                            and self._weekly_year == year_id)
            if weekly_front:
                self.show_in_weekly(crit_id)
            else:
                self._hide_weekly_detail()
                self.detail.show_criterion(year_id, crit_id)
                self.stack.setCurrentWidget(self.detail)

    def show_in_weekly(self, criterion_id: str) -> None:
        """Bring the weekly plan to the front at this criterion's rows, details below it."""
        year_id = self.current_year_id()
        if not criterion_id or not year_id or self.weekly_view is None:
            return
        if self._weekly_year != year_id:
            self.weekly_view.set_year(year_id)
            self._weekly_year = year_id
        self.stack.setCurrentWidget(self.weekly_view)
        if not self.weekly_detail.isVisible():   # first the pane below, so the plan keeps its scroll
            self.weekly_detail.show()
            total = sum(self.right.sizes())
            self.right.setSizes([max(200, total - 200), 200])
        self.weekly_detail.show_criterion(year_id, criterion_id)
        self.weekly_view.show_criterion(criterion_id)

    def show_details(self, criterion_id: str | None) -> None:
        """From below the weekly plan to the full detail pane (catalog buttons, owner editor)."""
        year_id = self.current_year_id()
        if not criterion_id:
            return
        self._hide_weekly_detail()
        self.detail.show_criterion(year_id, criterion_id)
        self.stack.setCurrentWidget(self.detail)

    def _year_page(self, key: str, year_id: str) -> QWidget:
        w = self._page_widgets.get((key, year_id))
        if w is None:
            factory = next(f for k, _l, f in self._year_pages if k == key)
            try:
                w = factory(self, year_id)
            except Exception as exc:  # a feature's bug: say so, keep the window usable
                traceback.print_exc()
                w = QLabel(_("This page could not be shown: {error}").format(error=exc))
            self._page_widgets[(key, year_id)] = w
            self.stack.addWidget(w)
        return w

    def _tree_menu(self, pos: QPoint) -> None:
        menu = self.tree_context_menu(self.tree.indexAt(pos))
        if menu is not None and not menu.isEmpty():
            menu.popup(self.tree.viewport().mapToGlobal(pos))

    def tree_context_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu for a tree node (built here so tests can trigger its actions)."""
        if not index.isValid() or self.store is None:
            return None
        node = self.tree_model.node(index)
        ro = self.store.read_only
        menu = QMenu(self.tree)
        menu.setAttribute(Qt.WA_DeleteOnClose)

        def add(text: str, fn: Callable[[], Any], enabled: bool = True, key: str = "") -> QAction:
            act = menu.addAction(text)
            act.triggered.connect(fn)
            act.setEnabled(enabled and not ro)
            if key:   # shown for the tree's own keys (F2, Ctrl+Up, ...), active only in the menu
                act.setShortcut(QKeySequence(key))
                act.setShortcutContext(Qt.WidgetShortcut)
            return act
        for part in self._tree_menu_parts:
            part(node, menu, add)
        return menu
