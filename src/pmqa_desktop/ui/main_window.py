"""The main window (the shell): the criteria tree on the left, the selected page on the right,
the menus, and the open file.

It implements ``ui.features.Window``, the one interface the features use, and installs every
feature listed in ``FEATURES``. What the features add (menu entries, tree pages and tree menu
entries, file listeners) lives in their packages.
"""
from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from . import qt_settings
from ..core.errors import FileProblem, UserError
from ..core.storage.store import Actor, Store
from ..i18n import _
from .catalog import entry as catalog
from .common.undo import StoreCommand
from .devplan import entry as devplan
from .features import Feature, FeatureError
from .files import entry as files
from .help import entry as help
from .find import entry as find
from .importing import entry as importing
from .organisations import entry as organisations
from .printing import entry as printing
from .settings import entry as settings
from .sharing import entry as sharing
from .welcome import entry as welcome
from .navigation import TreeNavigation

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .qt_util import MessageDialog

# Every feature of the program, installed in this order (menus are filled in this order).
# The packagers' check (``diagnose``) and the tests take the list from here.
FEATURES: tuple[Feature, ...] = (files, importing, catalog, settings, organisations, devplan, printing, sharing,
                                 find, help, welcome)


def feature_modules() -> tuple[str, ...]:
    """The features by module name (for ``diagnose``, Help > About and the packagers' hidden imports)."""
    return tuple(f.__name__ for f in FEATURES)


class MainWindow(TreeNavigation, QMainWindow):
    def __init__(self, store: Store | None = None, parent: QWidget | None = None,
                 features: tuple[Feature, ...] | None = FEATURES):
        super().__init__(parent)
        from .common import full_text_style
        full_text_style.install()   # menu items drawn whole (run_gui sets it before any widget; tests here)
        self.setObjectName("main_window")
        self.store: Store | None = None
        self.undo_stack = QUndoStack(self)
        self.menus: dict[str, QMenu] = {}
        self._file_listeners: list[Callable[[Store], None]] = []
        self.reopening = False  # True while ``reload`` puts the same file back
        self.last_message_box: MessageDialog | None = None
        self.last_dialog: Any = None
        self._opening_backup_wait: Callable[[], None] | None = None   # see register_opening_backup
        self._until_painted: list[Callable[[], None]] | None = None   # see hold_until_painted
        StoreCommand.report = staticmethod(lambda msg: self.show_message(msg, error=True))

        self._build_panes()

        from .common.status_path import add_to_status_bar
        self.file_label, self.readonly_label = add_to_status_bar(self)

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
        from .common import save_notice
        from .common.layout_memory import remember_splitter
        save_notice.install(self)                          # 'Saved: …' after every edit
        remember_splitter(self.splitter, "main_split")     # the tree's width comes back next time

    # ================================================================ the features' interface (ui.features.Window)
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
        _log.info("open %s%s", store.path, " (read-only)" if store.read_only else "")
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

    def register_opening_backup(self, wait: Callable[[], None]) -> None:
        self._opening_backup_wait = wait

    def hold_until_painted(self) -> None:
        """The program's start: what ``after_first_paint`` is given waits for ``painted()``."""
        if self._until_painted is None:
            self._until_painted = []

    def painted(self) -> None:
        """The window has been painted for the first time (run_gui): what waited for it runs now."""
        held, self._until_painted = self._until_painted or [], None
        for fn in held:
            fn()

    def after_first_paint(self, fn: Callable[[], None]) -> None:
        if self._until_painted is not None:
            self._until_painted.append(fn)
        else:
            fn()

    def backs_up_on_open(self) -> bool:
        """True when a feature backs up every file opened here, in the background (the sharing
        feature's automatic backups); the file then need not be backed up before the window shows it."""
        return self._opening_backup_wait is not None

    def feature_modules(self) -> tuple[str, ...]:
        return feature_modules()

    def show_message(self, text: str, error: bool = False) -> None:
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 0 if error else 8000)
        if error:
            _log.warning("%s", text)
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
        self._set_pages_store(store)
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

    def _update_title(self) -> None:
        if self.store is not None and self.store.path is not None:
            path = str(self.store.path)
            ro = _(" (read-only)") if self.store.read_only else ""
            self.setWindowTitle(_("PMQA Desktop — {path}{ro}").format(path=path, ro=ro))
            self.file_label.setText(path)
            self.file_label.setToolTip(path)
            self._welcome_text(path)
        else:
            self.setWindowTitle(_("PMQA Desktop"))
            self.file_label.setText(_("No file open"))
            self._welcome_text(None)

    # ================================================================ dialogs
    def open_dialog(self, dlg: Any) -> Any:
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()
        from .common.first_field import focus_first_field
        focus_first_field(dlg)
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

        self._build_view_menu(menu("view", _("&View")))
        menu("tools", _("&Tools"))
        menu("print", _("&Print"))
        menu("help", _("&Help"))

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

    def wait_for_opening_backup(self) -> None:
        """A backup on open still running in the background finishes (or fails) before this returns."""
        if self._opening_backup_wait is not None:
            self._opening_backup_wait()

    def close_store(self) -> None:
        """Let go of the file (tests, and before the process ends)."""
        self.wait_for_opening_backup()
        if self.store is not None:
            from ..core.sharing import release
            self.tree_model.set_store(None)
            release(self.store)
            self.store = None
