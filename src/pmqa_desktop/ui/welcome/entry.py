"""The first start plugged into the main window: File > New (a file of one's own, with the criteria
catalog), Help > Welcome page, and the welcome page over the example file at the first start."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence

from ...i18n import _
from ..features import Window
from . import page


def install(window: Window) -> None:
    file_menu = window.menus["file"]
    first = file_menu.actions()[0] if file_menu.actions() else None
    new = window.add_action("file", _("&New…"), lambda: page.new_file(window), QKeySequence.StandardKey.New,
                            "action_new")
    new.setToolTip(_("Start a new file of your own, with the criteria catalog (Ctrl+N)"))
    if first is not None:    # File > New comes first, as in every program
        file_menu.removeAction(new)
        file_menu.insertAction(first, new)
    help_menu = window.menus["help"]
    about = next((a for a in help_menu.actions() if a.objectName() == "action_about"), None)
    welcome = window.add_action("help", _("&Welcome page"), lambda: page.show_welcome(window), None,
                                "action_welcome")
    if about is not None:
        help_menu.removeAction(welcome)
        help_menu.insertAction(about, welcome)
    window.register_file_listener(lambda store: page.on_file_opened(window, store))
