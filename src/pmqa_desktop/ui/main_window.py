"""The main window: the criteria tree on the left, the selected page on the right.

Implements the API that feature modules use (see ``ui/extensions.py``).
"""
from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QMainWindow, QMenu, QSplitter,
                               QStackedWidget, QTreeView, QWidget)

from .. import __version__
from . import qt_settings
from ..core.errors import FileProblem, UserError
from ..core.storage import planning
from ..core.storage.store import Actor, Store
from ..i18n import _
from . import catalog_commands as cc
from .catalog_commands import StoreCommand
from .extensions import EXTENSION_MODULES
from .tree_model import TreeModel

if TYPE_CHECKING:
    from .detail_pane import DetailPane
    from .qt_util import MessageDialog

MAX_RECENT = 8


def _grid_classes() -> tuple[Any, Any]:
    """The calendar and weekly-plan views, or None while they are not there."""
    try:
        from .grid_views import CalendarView, WeeklyPlanView
    except ImportError as exc:
        if exc.name and exc.name.startswith("pmqa_desktop.ui.grid"):
            return None, None
        raise
    return CalendarView, WeeklyPlanView


class _Placeholder(QLabel):
    """Stands in for a view that is not built yet."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.year_id: str | None = None

    def set_year(self, year_id: str | None) -> None:
        self.year_id = year_id

    def set_store(self, store: Store) -> None:
        pass

    def show_criterion(self, criterion_id: str) -> None:
        pass


class MainWindow(QMainWindow):
    def __init__(self, store: Store | None = None, parent: QWidget | None = None, install_extensions: bool = True):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.store: Store | None = None
        self.undo_stack = QUndoStack(self)
        self.menus: dict[str, QMenu] = {}
        self._year_pages: list[tuple[str, str, Callable[["MainWindow", str], QWidget]]] = []
        self._page_widgets: dict[tuple[str, str], QWidget] = {}
        self._file_listeners: list[Callable[[Store], None]] = []
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
        from .status_path import PathLabel
        self.file_label = PathLabel(self)
        self.file_label.setObjectName("file_label")
        self.statusBar().addPermanentWidget(self.file_label)
        self.readonly_label = QLabel(self)
        self.readonly_label.setObjectName("readonly_label")
        self.readonly_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.readonly_label.hide()
        self.statusBar().addPermanentWidget(self.readonly_label)

        self._build_menus()
        self._tree_keys()
        # a fixed minimum size: the layout then never changes it while the window is up
        self.setMinimumSize(720, 480)
        self.resize(1280, 800)
        if store is not None:
            self._set_store(store)
        else:
            self._update_title()
        if install_extensions:
            self._install_extensions()

    # ================================================================ detail panes (built on first use)
    @property
    def detail(self) -> "DetailPane":
        """The criterion / หมวด page of the stack."""
        if self._detail is None:
            from .detail_pane import DetailPane
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
            from .detail_pane import DetailPane
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
        self._add_recent(store.path)
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
        cal_cls, self._weekly_cls = _grid_classes()
        if cal_cls is None:
            self.calendar_view = _Placeholder(_("The operations calendar is being built."), self.stack)
        else:
            self.calendar_view = cal_cls(self.store, self.undo_stack, self.stack)
        self.calendar_view.setObjectName("calendar_view")
        self.stack.addWidget(self.calendar_view)

    @property
    def weekly_view(self) -> QWidget | None:
        """The weekly-plan page; built the first time it is asked for (the first paint shows the
        calendar), None while no file is open."""
        if self._weekly_view is None and self.calendar_view is not None and self.store is not None:
            if self._weekly_cls is None:
                view = _Placeholder(_("The weekly plan is being built."), self.stack)
            else:
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
        if node.kind == "criterion":
            cid, retired = node.key[2], bool(node.data.get("retired"))
            cat = node.data["category_id"]
            add(_("Rename / renumber…"), lambda: self.edit_criterion(cid), key="F2")
            add(_("Move up"), lambda: self.move_criterion(cid, -1), node.row > 0, key="Ctrl+Up")
            add(_("Move down"), lambda: self.move_criterion(cid, +1), node.row < len(node.parent._children) - 1,
                key="Ctrl+Down")
            add(_("Bring back") if retired else _("Retire"), lambda: self.toggle_retired(cid), key="Del")
            menu.addSeparator()
            add(_("Add criterion after this one…"), lambda: self.add_criterion(cat, after_id=cid), key="Ins")
            a = menu.addAction(_("Show in weekly plan"))
            a.triggered.connect(lambda: self.show_in_weekly(cid))
        elif node.kind == "category":
            add(_("Add criterion…"), lambda: self.add_criterion(node.key[2]), key="Ins")
        elif node.kind in ("year", "calendar", "weekly"):
            add(_("Import text table…"), self.import_text)
            add(_("Roll over to a new fiscal year…"), lambda: self.roll_over(node.key[1]))
            if node.kind == "year":
                menu.addSeparator()
                add(_("Delete this fiscal year…"), lambda: self.delete_year(node.key[1]))
        elif node.kind == "org":
            add(_("New fiscal year…"), lambda: self.new_year(node.key[1]))
            add(_("Add organisation…"), self.add_organisation)
            add(_("Rename organisation…"), lambda: self.rename_organisation(node.key[1]))
            menu.addSeparator()
            add(_("Delete this organisation…"), lambda: self.delete_organisation(node.key[1]))
        return menu

    # ================================================================ catalog actions
    def _dialog(self, dlg: Any) -> Any:
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()
        from .first_field import focus_first_field
        focus_first_field(dlg)
        return dlg

    def _category_of(self, criterion_id: str) -> str | None:
        crit = self.store.get("criterion", criterion_id) if self.store else None
        return crit["category_id"] if crit else None

    def edit_criterion(self, criterion_id: str | None):
        from .dialogs import CriterionDialog
        if not criterion_id or self.store is None:
            return None
        return self._dialog(CriterionDialog(self, self._category_of(criterion_id), criterion_id))

    def add_criterion(self, category_id: str | None, after_id: str | None = None):
        from .dialogs import CriterionDialog
        if not category_id or self.store is None:
            return None
        dlg = CriterionDialog(self, category_id, None, after_id)
        year = self.current_year_id()

        def done() -> None:
            if dlg.result_value and year:
                self.select_key(("criterion", year, dlg.result_value))
        dlg.accepted.connect(done)
        return self._dialog(dlg)

    def move_criterion(self, criterion_id: str | None, delta: int) -> None:
        if criterion_id:
            self._guarded(lambda: cc.move_criterion(self.undo_stack, self.store, criterion_id, delta))

    def toggle_retired(self, criterion_id: str | None) -> None:
        if not criterion_id or self.store is None:
            return
        crit = self.store.get("criterion", criterion_id)
        if crit is None:
            return
        if not crit["retired"] and not self.tree_model.show_retired:
            self.show_message(_("{code} is retired; View > Show retired criteria shows it again.").format(
                code=crit["code"]))
        self._guarded(lambda: cc.set_retired(self.undo_stack, self.store, criterion_id, not crit["retired"]))

    def _guarded(self, fn: Callable[[], Any]) -> Any:
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

        def action(m: QMenu, text: str, fn: Callable[[], Any], shortcut: Any = None, name: str = "",
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
            m.addAction(a)
            return a

        f = menu("file", _("&File"))
        action(f, _("&Open…"), self.open_file_dialog, QKeySequence.Open, "action_open")
        self.recent_menu = f.addMenu(_("Open &recent"))
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        action(f, _("Show file &location"), self.show_file_location, None, "action_show_location")
        f.addSeparator()
        action(f, _("&Import text table…"), self.import_text, None, "action_import", edits=True)
        f.addSeparator()
        action(f, _("&Quit"), self.close, QKeySequence.Quit, "action_quit")

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
        action(e, _("Rename / renumber criterion…"), lambda: self.edit_criterion(self.current_criterion_id()),
               None, "action_edit_criterion", edits=True)
        action(e, _("Add criterion…"), self._add_criterion_here, None, "action_add_criterion", edits=True)

        v = menu("view", _("&View"))
        self.action_show_retired = QAction(_("Show retired criteria"), self)
        self.action_show_retired.setCheckable(True)
        self.action_show_retired.setObjectName("action_show_retired")
        self.action_show_retired.toggled.connect(self.tree_model.set_show_retired)
        v.addAction(self.action_show_retired)
        action(v, _("Expand all"), self.tree.expandAll, None, "action_expand_all")
        action(v, _("Collapse all"), self.tree.collapseAll, None, "action_collapse_all")

        t = menu("tools", _("&Tools"))
        action(t, _("&Settings…"), self.open_settings, None, "action_settings")
        t.addSeparator()
        action(t, _("&New fiscal year…"), lambda: self.new_year(self.current_org_id()), None, "action_new_year",
               edits=True)
        action(t, _("&Roll over a fiscal year…"), lambda: self.roll_over(self.current_year_id()), None,
               "action_roll_over", edits=True)
        action(t, _("&Add organisation…"), self.add_organisation, None, "action_add_org", edits=True)

        menu("print", _("&Print"))
        h = menu("help", _("&Help"))
        action(h, _("&About PMQA Desktop"), self.about, None, "action_about")

    def _tree_keys(self) -> None:
        """Catalog editing from the keyboard while the tree has the focus."""
        def here(fn: Callable[[str], Any]) -> Callable[[], None]:
            def run() -> None:
                cid = self.current_criterion_id()
                if cid and self.store is not None and not self.store.read_only:
                    fn(cid)
            return run
        keys = ((QKeySequence(Qt.Key_F2), here(self.edit_criterion)),
                (QKeySequence("Ctrl+Up"), here(lambda cid: self.move_criterion(cid, -1))),
                (QKeySequence("Ctrl+Down"), here(lambda cid: self.move_criterion(cid, +1))),
                (QKeySequence(Qt.Key_Delete), here(self.toggle_retired)),
                (QKeySequence(Qt.Key_Insert), self._add_criterion_here))
        for seq, fn in keys:
            sc = QShortcut(seq, self.tree, context=Qt.WidgetShortcut)
            sc.activated.connect(fn)

    def _add_criterion_here(self) -> None:
        if self.store is None or self.store.read_only:
            return
        node = self.tree_model.node(self.tree.currentIndex())
        if node.kind == "category":
            self.add_criterion(node.key[2])
        elif node.kind == "criterion":
            self.add_criterion(node.data["category_id"], after_id=node.key[2])
        else:
            self.show_message(_("Choose a หมวด or a criterion in the tree first."))

    # ================================================================ file actions
    def open_file_dialog(self) -> None:
        from .dialogs import ask_open_file
        start = str(self.store.path.parent) if self.store is not None and self.store.path else str(Path.home())
        fn = ask_open_file(self, start)
        if fn:
            self.open_database(fn)

    def recent_files(self) -> list[str]:
        try:
            items = json.loads(qt_settings.get("recent_files", "[]"))
        except ValueError:
            items = []
        return [str(p) for p in items if isinstance(p, str)]

    def _add_recent(self, path: Path | None) -> None:
        if path is None:
            return
        current = self.recent_files()
        items = [p for p in current if p != str(path)]
        items.insert(0, str(path))
        if items[:MAX_RECENT] == current:   # already first: nothing to write (most starts)
            return
        try:
            qt_settings.set_values({"recent_files": json.dumps(items[:MAX_RECENT], ensure_ascii=False)})
        except OSError:
            pass

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = self.recent_files()
        if not items:
            a = self.recent_menu.addAction(_("(none yet)"))
            a.setEnabled(False)
        for p in items:
            a = self.recent_menu.addAction(p)
            a.triggered.connect(lambda checked=False, p=p: self.open_database(p))

    def show_file_location(self) -> MessageDialog:
        path = str(self.store.path) if self.store is not None and self.store.path else _("(in memory, not saved)")
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from .qt_util import MessageDialog
        box = MessageDialog(self, _("Where this file is"), _("The database open now is:\n{path}").format(path=path))
        if self.store is not None and self.store.path:
            folder = self.store.path.parent
            box.add_button(_("Open folder"), lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        self.last_message_box = box
        box.open()
        return box

    def import_text(self, path: str | None = None, kind: str = "calendar"):
        from .dialogs import ImportDialog
        if self.store is None:
            return None
        return self._dialog(ImportDialog(self, path, kind))

    def roll_over(self, year_id: str | None = None):
        from .dialogs import RollOverDialog
        if self.store is None:
            return None
        dlg = RollOverDialog(self, year_id)
        dlg.accepted.connect(lambda: dlg.result_value and self.select_key(("calendar", dlg.result_value)))
        return self._dialog(dlg)

    def new_year(self, org_id: str | None = None):
        from .dialogs import AddYearDialog
        if self.store is None:
            return None
        dlg = AddYearDialog(self, org_id)
        dlg.accepted.connect(lambda: dlg.result_value and self.select_key(("calendar", dlg.result_value)))
        return self._dialog(dlg)

    def add_organisation(self):
        from .dialogs import AddOrganisationDialog
        if self.store is None:
            return None
        dlg = AddOrganisationDialog(self)

        def done() -> None:
            oid, yid = dlg.result_value or (None, None)
            if yid:
                self.select_key(("calendar", yid))
            elif oid:
                self.select_key(("org", oid))
        dlg.accepted.connect(done)
        return self._dialog(dlg)

    def rename_organisation(self, org_id: str | None):
        from .dialogs import RenameOrganisationDialog
        if self.store is None or not org_id:
            return None
        return self._dialog(RenameOrganisationDialog(self, org_id))

    def delete_year(self, year_id: str | None) -> "MessageDialog | None":
        """Ask, then delete a fiscal year as one undo step (a tombstone: nothing is erased)."""
        year = self.store.get("fiscal_year", year_id) if (self.store and year_id) else None
        if year is None:
            return None
        org = self.store.get("organisation", year["org_id"]) or {"name": ""}
        text = _("Delete fiscal year {year} of {org}, with its calendar, weekly plan, owners and plans?\n\n"
                 "Edit > Undo brings it back. The deletion goes with this file to the offices you share it "
                 "with.").format(year=year["year_be"], org=org["name"])
        label = _("Delete fiscal year {year}").format(year=year["year_be"])
        return self._confirm_delete(text, label, lambda: planning.delete_fiscal_year(self.store, year_id))

    def delete_organisation(self, org_id: str | None) -> "MessageDialog | None":
        org = self.store.get("organisation", org_id) if (self.store and org_id) else None
        if org is None:
            return None
        years = planning.fiscal_years(self.store, org_id)
        text = _("Delete {org} and its {n} fiscal years?\n\nEdit > Undo brings it back. The deletion goes with "
                 "this file to the offices you share it with.").format(org=org["name"], n=len(years))
        label = _("Delete organisation {name}").format(name=org["name"])
        return self._confirm_delete(text, label, lambda: planning.delete_organisation(self.store, org_id))

    def _confirm_delete(self, text: str, label: str, fn: Callable[[], Any]) -> "MessageDialog":
        from .qt_util import MessageDialog
        box = MessageDialog(self, _("Delete"), text, error=True)
        box.setObjectName("confirm_delete")
        box.buttons.button(box.buttons.StandardButton.Close).setText(_("Cancel"))
        box.add_button(_("Delete"), lambda: self._guarded(lambda: cc.perform(self.undo_stack, self.store, label, fn)))
        box.open()
        self.last_message_box = box
        return box

    def offer_restart(self, lang: str) -> "MessageDialog":
        """After a change of language: offer to start again now, in the new language too."""
        from ..i18n import gettext_in
        from .qt_util import MessageDialog
        here = _("The program shows the new language when it starts again. Restart now?")
        there = gettext_in(lang, "The program shows the new language when it starts again. Restart now?")
        box = MessageDialog(self, _("Language"), here if here == there else f"{here}\n\n{there}")
        box.setObjectName("offer_restart")
        here, there = _("Restart now"), gettext_in(lang, "Restart now")
        box.add_button(here if here == there else f"{here} / {there}", self.restart)
        box.open()
        self.last_message_box = box
        return box

    def restart(self) -> bool:
        """Start the program again on the same file, then end this one (the file is let go first,
        so the new one does not find it in use)."""
        from PySide6.QtCore import QProcess
        from PySide6.QtWidgets import QApplication
        path = self.store.path if self.store is not None else None
        args = [] if getattr(sys, "frozen", False) else ["-m", "pmqa_desktop"]
        if path is not None:
            args += ["--db", str(path)]
        self.close_store()
        ok = QProcess.startDetached(sys.executable, args)
        if isinstance(ok, tuple):   # (started, pid) in some PySide versions
            ok = ok[0]
        if not ok:
            self.show_message(_("The program could not be started again; start it yourself."), error=True)
            return False
        QApplication.quit()
        return True

    def open_settings(self):
        from .dialogs import SettingsDialog
        return self._dialog(SettingsDialog(self))

    def about(self) -> MessageDialog:
        from .qt_util import message
        self.last_message_box = message(self, _(
            "PMQA Desktop {version}\nPlan and track PMQA work offline, for Thai provincial offices.\n"
            "Free software under the GNU GPL, version 3 or later.").format(version=__version__),
            title=_("About PMQA Desktop"))
        return self.last_message_box

    # ================================================================ extensions
    def _install_extensions(self) -> None:
        for name in EXTENSION_MODULES:
            try:
                mod = importlib.import_module(name)
            except ImportError as exc:
                if exc.name == name:
                    continue
                traceback.print_exc()
                self.show_message(_("A part of the program could not be loaded ({name}): {error}").format(
                    name=name, error=exc), error=True)
                continue
            except Exception as exc:
                traceback.print_exc()
                self.show_message(_("A part of the program could not be loaded ({name}): {error}").format(
                    name=name, error=exc), error=True)
                continue
            try:
                mod.install(self)
            except Exception as exc:
                traceback.print_exc(file=sys.stderr)
                self.show_message(_("A part of the program could not be loaded ({name}): {error}").format(
                    name=name, error=exc), error=True)

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

