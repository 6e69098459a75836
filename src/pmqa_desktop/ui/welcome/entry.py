"""The first start plugged into the main window: File > New (a file of one's own, with the criteria
catalog), Help > Welcome page, and the welcome page over the example file at the first start."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence

from ...i18n import _
from ..features import Window


def _page():
    """The welcome page's module: imported when first needed (File > New, Help > Welcome page, the
    first start), not at every start."""
    from . import page
    return page


def _on_file_opened(window: Window, store) -> None:
    """At the first start (the example file, welcome not yet done): the welcome page first.
    (``page.on_file_opened``; the page's module is imported only when the file is the example,
    ``page.is_example``'s test.)"""
    from ...paths import default_db_path
    shown = window.store
    if shown is not None and shown.path is not None and Path(shown.path).resolve() == default_db_path().resolve():
        _page().on_file_opened(window, store)


def install(window: Window) -> None:
    file_menu = window.menus["file"]
    first = file_menu.actions()[0] if file_menu.actions() else None
    new = window.add_action("file", _("&New…"), lambda: _page().new_file(window), QKeySequence.StandardKey.New,
                            "action_new")
    new.setToolTip(_("Start a new file of your own, with the criteria catalog (Ctrl+N)"))
    if first is not None:    # File > New comes first, as in every program
        file_menu.removeAction(new)
        file_menu.insertAction(first, new)
    help_menu = window.menus["help"]
    about = next((a for a in help_menu.actions() if a.objectName() == "action_about"), None)
    welcome = window.add_action("help", _("&Welcome page"), lambda: _page().show_welcome(window), None,
                                "action_welcome")
    if about is not None:
        help_menu.removeAction(welcome)
        help_menu.insertAction(about, welcome)
    window.register_file_listener(lambda store: _on_file_opened(window, store))
