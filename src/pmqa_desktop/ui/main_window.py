"""The main window (the shell): the criteria tree on the left, the selected page on the right,
the menus, and the open file.

It implements ``ui.features.Window``, the one interface the features use, and installs every
feature listed in ``FEATURES``. What the features add (menu entries, tree pages and tree menu
entries, file listeners) lives in their packages.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QMainWindow, QMenu, QSplitter,
                               QStackedWidget, QTreeView, QWidget)

from .. import __version__
from . import qt_settings
from ..core.errors import FileProblem, UserError
from ..core.storage import planning
from ..core.storage.store import Actor, Store
from ..i18n import _
from .catalog import entry as catalog
from .common.undo import StoreCommand
from .devplan import entry as devplan
from .features import Feature, FeatureError, TreeMenuPart
from .files import entry as files
from .importing import entry as importing
from .organisations import entry as organisations
from .printing import entry as printing
from .settings import entry as settings
from .sharing import entry as sharing
from .tree_model import TreeModel

if TYPE_CHECKING:
    from .catalog.detail_pane import DetailPane
    from .qt_util import MessageDialog

# Every feature of the program, installed in this order (menus are filled in this order).
# The packagers' check (``diagnose``) and the tests take the list from here.
FEATURES: tuple[Feature, ...] = (files, importing, catalog, settings, organisations, devplan, printing, sharing)


class MainWindow(QMainWindow):
    def __init__(self, store: Store | None = None, parent: QWidget | None = None,
                 features: tuple[Feature, ...] | None = FEATURES):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.store: Store | None = None
        self.undo_stack = QUndoStack(self)
        self.menus: dict[str, QMenu] = {}
        self._year_pages: list[tuple[str, str, Callable[["MainWindow", str], QWidget]]] = []
        self._page_widgets: dict[tuple[str, str], QWidget] = {}
        self._file_listeners: list[Callable[[Store], None]] = []
        self._tree_menu_parts: list[TreeMenuPart] = []
        self.reopening = False  # True while ``reload`` puts the same file back
        self._shown_key: tuple | None = None
        self._weekly_year: str | None = None      # the year the weekly view shows
        self._saved_key: tuple | None = None
        self._saved_expanded: list[tuple] = []
        self.last_message_box: MessageDialog | None = None
        self.last_dialog: Any = None
        StoreCommand.report = staticmethod(lambda msg: self.show_message(msg, error=True))

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

        # ---- status bar
        self.file_label = QLabel(self)
        self.file_label.setObjectName("file_label")
        self.statusBar().addPermanentWidget(self.file_label)
        self.readonly_label = QLabel(self)
        self.readonly_label.setObjectName("readonly_label")
        self.readonly_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.readonly_label.hide()
        self.statusBar().addPermanentWidget(self.readonly_label)

        self._build_menus()
        # a fixed minimum size: the layout then never changes it while the window is up
        self.setMinimumSize(720, 480)
        self.resize(1280, 800)
        if store is not None:
            self._set_store(store)
        else:
            self._update_title()
        for feature in features or ():
            self._install(feature)

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

    # ================================================================ extension API
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

    def register_year_page(self, key: str, label: str, factory: Callable[["MainWindow", str], QWidget]) -> None:
        self._year_pages.append((key, label, factory))
        self.tree_model.add_year_page(key, label)

    def register_file_listener(self, fn: Callable[[Store], None]) -> None:
        self._file_listeners.append(fn)

    def open_database(self, path: str | Path, read_only: bool = False) -> bool:
        """Open another file; on a problem show the message and keep the current one."""
        from ..core.sharing import open_for_editing
        try:
            if not Path(path).exists():
                raise FileProblem(_("The file {path} does not exist.").format(path=path))
            store = open_for_editing(Path(path), self._actor(), read_only=read_only,
                                     backup=not self.backs_up_on_open())
        except UserError as exc:
            self.show_message(_("{path} was not opened: {reason}").format(path=path, reason=str(exc)), error=True)
            return False
        except OSError as exc:
            self.show_message(_("{path} was not opened: {reason}").format(path=path, reason=exc.strerror or exc),
                              error=True)
            return False
        self._set_store(store)
        self.show_message(_("Opened {path}").format(path=store.path))
        return True

    def reload(self) -> None:
        if self.store is None or self.store.path is None:
            return
        key = self._shown_key
        from ..core.sharing import open_for_editing, release
        path, ro = self.store.path, self.store.read_only
        release(self.store, backup=False, reopening=True)   # let go of the lock before taking it again
        try:
            store = open_for_editing(path, self._actor(), read_only=ro, backup=False)
        except UserError as exc:
            self.show_message(str(exc), error=True)
            return
        self.reopening = True   # (the same file again: not an opening to back up)
        try:
            self._set_store(store)
        finally:
            self.reopening = False
        if key:
            self.select_key(key)

    def backs_up_on_open(self) -> bool:
        """True when the automatic backups (``ui.sharing_entry``) back up every file opened here, in
        the background; the file then need not be backed up before the window can show it."""
        return getattr(getattr(self, "sharing", None), "auto_backup", None) is not None

    def show_message(self, text: str, error: bool = False) -> None:
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 0 if error else 8000)
        if error:
            from .qt_util import message
            self.last_message_box = message(self, text, error=True)

    # ================================================================ store
    def _actor(self) -> Actor:
        # the same settings file as ``settings.identity()``, read through QSettings (already loaded)
        values = qt_settings.read_all()
        return Actor(office=values.get("office", ""), clerk=values.get("clerk_name", ""))

    def apply_identity(self) -> None:
        if self.store is not None:
            self.store.actor = self._actor()

    def _set_store(self, store: Store) -> None:
        old = self.store
        self.undo_stack.clear()
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
        if old is not None and old is not store:
            from ..core.sharing import release
            release(old)
        ro = store.read_only
        self.readonly_label.setVisible(ro)
        self.readonly_label.setText(_("Read-only") if ro else "")
        if ro:
            self.statusBar().showMessage(store.read_only_reason or _("This file is open read-only."))
        notice = getattr(store, "sharing_notice", "")
        forced = ro and store.read_only_reason not in ("", _("Opened read-only."))
        if forced or notice:
            # a second opener, a newer file or a network folder: the clerk must see why
            self.show_message("\n".join(t for t in ((store.read_only_reason if forced else ""), notice) if t),
                              error=True)
        for a in self._edit_actions:
            a.setEnabled(not ro)
        self._update_title()
        self._select_start()
        for fn in list(self._file_listeners):
            try:
                fn(store)
            except Exception:  # a feature's bug must not stop the file from opening
                traceback.print_exc()

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

    def _update_title(self) -> None:
        if self.store is not None and self.store.path is not None:
            path = str(self.store.path)
            ro = _(" (read-only)") if self.store.read_only else ""
            self.setWindowTitle(_("PMQA Desktop — {path}{ro}").format(path=path, ro=ro))
            self.file_label.setText(path)
            self.file_label.setToolTip(path)
            self.welcome.setText(_("<h2>PMQA Desktop</h2><p>File: {path}</p><p>Choose an organisation's fiscal year, "
                                   "its operations calendar or weekly plan, or a criterion in the tree.</p>").format(
                path=path))
        else:
            self.setWindowTitle(_("PMQA Desktop"))
            self.file_label.setText(_("No file open"))
            self.welcome.setText(_("<h2>PMQA Desktop</h2><p>No file is open. Use File > Open.</p>"))

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
            self.welcome.setText(_("<h2>{name}</h2><p>{n} fiscal years in this file.</p>"
                                   "<p>Tools > New fiscal year or Roll over adds another.</p>").format(
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

    def register_tree_menu(self, part: TreeMenuPart) -> None:
        self._tree_menu_parts.append(part)

    # ================================================================ dialogs
    def open_dialog(self, dlg: Any) -> Any:
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def guarded(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except UserError as exc:
            self.show_message(str(exc), error=True)
            return None

    # ================================================================ menus
    def _build_menus(self) -> None:
        mb = self.menuBar()
        self._edit_actions: list[QAction] = []

        def menu(key: str, title: str) -> QMenu:
            m = mb.addMenu(title)
            m.setObjectName(f"menu_{key}")
            self.menus[key] = m
            return m

        menu("file", _("&File"))
        self.add_action("file", _("&Quit"), self.close, QKeySequence.Quit, "action_quit")
        self._file_end = self.menus["file"].insertSeparator(self.action_quit)   # the features' entries go above it

        e = menu("edit", _("&Edit"))
        self.action_undo = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.action_undo.setShortcut(QKeySequence.Undo)
        self.action_undo.setObjectName("action_undo")
        self.action_redo = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.action_redo.setObjectName("action_redo")
        e.addAction(self.action_undo)
        e.addAction(self.action_redo)
        e.addSeparator()

        v = menu("view", _("&View"))
        self.action_show_retired = QAction(_("Show retired criteria"), self)
        self.action_show_retired.setCheckable(True)
        self.action_show_retired.setObjectName("action_show_retired")
        self.action_show_retired.toggled.connect(self.tree_model.set_show_retired)
        v.addAction(self.action_show_retired)
        self.add_action("view", _("Expand all"), self.tree.expandAll, None, "action_expand_all")
        self.add_action("view", _("Collapse all"), self.tree.collapseAll, None, "action_collapse_all")
        menu("tools", _("&Tools"))
        menu("print", _("&Print"))
        menu("help", _("&Help"))
        self.add_action("help", _("&About PMQA Desktop"), self.about, None, "action_about")

    def add_action(self, menu: str, text: str, fn: Callable[[], Any], shortcut: Any = None, name: str = "",
                   edits: bool = False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(lambda checked=False: fn())
        if name:
            a.setObjectName(name)
            setattr(self, name, a)
        if edits:
            self._edit_actions.append(a)
            a.setEnabled(self.store is None or not self.store.read_only)
        self._insert(menu, a)
        return a

    def add_separator(self, menu: str) -> None:
        a = QAction(self)
        a.setSeparator(True)
        self._insert(menu, a)

    def add_submenu(self, menu: str, title: str, name: str) -> QMenu:
        sub = QMenu(title, self)
        sub.setObjectName(name)
        self._insert(menu, sub.menuAction())
        return sub

    def _insert(self, menu: str, a: QAction) -> None:
        m = self.menus[menu]
        end = getattr(self, "_file_end", None) if menu == "file" else None
        if end is not None and end in m.actions():
            m.insertAction(end, a)
        else:
            m.addAction(a)

    def _install(self, feature: Feature) -> None:
        name = feature.__name__.rsplit(".entry", 1)[0].rsplit(".", 1)[-1]
        try:
            feature.install(self)
        except Exception as exc:
            raise FeatureError(_("A part of the program could not be loaded ({name}): {error}").format(
                name=name, error=exc)) from exc

    def about(self) -> MessageDialog:
        from .qt_util import message
        self.last_message_box = message(self, _(
            "PMQA Desktop {version}\nPlan and track PMQA work offline, for Thai provincial offices.\n"
            "Free software under the GNU GPL, version 3 or later.").format(version=__version__),
            title=_("About PMQA Desktop"))
        return self.last_message_box

    def close_store(self) -> None:
        """Let go of the file (tests, and before the process ends)."""
        auto_backup = getattr(getattr(self, "sharing", None), "auto_backup", None)
        if auto_backup is not None:
            auto_backup.wait()   # a backup on open still running in the background finishes first
        if self.store is not None:
            from ..core.sharing import release
            self.tree_model.set_store(None)
            release(self.store)
            self.store = None
