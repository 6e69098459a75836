"""What a feature may use of the main window: the one interface between the shell and the features.

A feature is a module with ``install(window)`` (the ``Feature`` protocol below). The shell
(``ui.main_window``) imports every feature statically and lists them in ``FEATURES``; it
calls ``install`` once after it has built its menus and tree. A feature that fails to install
stops the start with a ``FeatureError`` that names it: nothing is skipped silently.

A feature's ``install`` only adds menu entries, tree pages, tree menu entries and file
listeners; it builds its widgets and imports its heavy modules when they are first used,
so the start does not wait for them.

A feature may use the window only through ``Window``; it never imports ``ui.main_window``
nor another feature (checked by the import-linter contracts in ``pyproject.toml``).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QUndoStack
    from PySide6.QtWidgets import QMenu, QStackedWidget, QTreeView, QWidget

    from ..core.storage.store import Store
    from .tree_model import Node, TreeModel

# a tree menu entry: add(text, fn, enabled=True, key="") -> QAction; disabled for a read-only file
AddEntry = Callable[..., "QAction"]
# a feature's part of the tree's right-click menu: fn(node, menu, add)
TreeMenuPart = Callable[["Node", "QMenu", AddEntry], None]


class FeatureError(RuntimeError):
    """A part of the program could not be loaded; the message names it."""


class Window(Protocol):
    """The main window as the features see it."""

    store: Store | None                 # the open file (changes when another file is opened)
    undo_stack: QUndoStack              # every edit goes through it
    menus: dict[str, QMenu]             # 'file', 'edit', 'view', 'tools', 'print', 'help'
    tree: QTreeView
    tree_model: TreeModel
    stack: QStackedWidget               # the pages on the right (the one in front: currentWidget())
    reopening: bool                     # True while ``reload`` opens the same file again
    last_dialog: Any                    # the dialog opened last (tests drive it)
    last_message_box: Any

    # ---- where the clerk is in the tree
    def current_org_id(self) -> str | None: ...
    def current_year_id(self) -> str | None: ...
    def current_criterion_id(self) -> str | None: ...
    def select_key(self, key: tuple) -> bool: ...
    def show_in_weekly(self, criterion_id: str) -> None: ...
    def show_details(self, criterion_id: str | None) -> None: ...

    # ---- registration (called from install)
    def add_action(self, menu: str, text: str, fn: Callable[[], Any], shortcut: Any = None, name: str = "",
                   edits: bool = False) -> QAction:
        """An entry at the end of a menu (File: before Quit); ``edits`` = off for a read-only file;
        ``name`` = the action's object name, also an attribute of the window (tests find it)."""
    def add_separator(self, menu: str) -> None: ...
    def add_submenu(self, menu: str, title: str, name: str) -> QMenu: ...
    def register_year_page(self, key: str, label: str, factory: Callable[[Any, str], QWidget]) -> None:
        """A child node under every fiscal year in the tree; factory(window, year_id) builds its page
        the first time it is shown."""
    def register_tree_menu(self, part: TreeMenuPart) -> None: ...
    def register_file_listener(self, fn: Callable[[Store], None]) -> None:
        """fn(store) after a file is opened or reloaded."""
    def register_opening_backup(self, wait: Callable[[], None]) -> None:
        """A feature backs up every file opened here, in the background: the window then does not back
        it up before showing it, and calls wait() before it lets go of a file."""
    def after_first_paint(self, fn: Callable[[], None]) -> None:
        """fn() once the window has been painted for the first time at the program's start (work the
        first paint does not need); at once when the window is not starting."""
    def register_place(self, kind: str, show: Callable[..., bool]) -> None:
        """How to show a place of this kind (e.g. 'devplan': a plan, a step, a KPI): show(window, year_id,
        **where) -> shown; another feature asks for it with ``show_place`` without importing this one."""

    # ---- services
    def open_database(self, path: str | Path, read_only: bool = False) -> bool: ...
    def reload(self) -> None:
        """Read the current file again (after a merge or a restore)."""
    def close_store(self) -> None: ...
    def apply_identity(self) -> None: ...
    def show_place(self, kind: str, year_id: str, **where: Any) -> bool:
        """Show a place a feature registered (``register_place``); False when none shows this kind."""
    def show_message(self, text: str, error: bool = False) -> None: ...
    def open_dialog(self, dlg: Any) -> Any:
        """Open a dialog window-modal (not blocking), deleted when closed."""
    def guarded(self, fn: Callable[[], Any]) -> Any:
        """Run fn; a refused edit (``UserError``) is shown to the clerk instead of raised."""
    def feature_modules(self) -> tuple[str, ...]:
        """The program's parts by module name (Help > About checks that each loads)."""


class Feature(Protocol):
    """A module of a feature package (``ui/<feature>/entry.py``)."""

    __name__: str

    def install(self, window: Window) -> None: ...
