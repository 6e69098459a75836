"""A clerk's comforts, plugged into the main window (see ``ui/extensions.py``): saving shown in
the status bar, the window's layout remembered, the welcome page and File > New, the manual
(Help, F1)."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from ..i18n import _
from . import file_places, full_text_style, manual, save_notice, welcome
from .layout_memory import remember_splitter


def _action(window: Any, text: str, fn, shortcut: Any = None, name: str = "") -> QAction:
    a = QAction(text, window)
    if shortcut is not None:
        a.setShortcut(QKeySequence(shortcut))
    a.triggered.connect(lambda checked=False: fn())
    if name:
        a.setObjectName(name)
        setattr(window, name, a)
    return a


def install(window: Any) -> None:
    full_text_style.install()
    save_notice.install(window)
    remember_splitter(window.splitter, "main_split")    # the tree's width
    file_menu = window.menus["file"]
    first = file_menu.actions()[0] if file_menu.actions() else None
    new = _action(window, _("&New…"), lambda: welcome.new_file(window), QKeySequence.StandardKey.New, "action_new")
    new.setToolTip(_("Start a new file of your own, with the criteria catalog (Ctrl+N)"))
    file_menu.insertAction(first, new)
    copy = _action(window, _("Save a &copy as…"), lambda: file_places.save_copy(window), None, "action_save_copy")
    copy.setToolTip(_("A copy of the whole file, for safekeeping or to hand on; this one stays open"))
    location = next((a for a in file_menu.actions() if a.objectName() == "action_show_location"), None)
    file_menu.insertAction(location, copy)
    help_menu = window.menus["help"]
    first = help_menu.actions()[0] if help_menu.actions() else None
    help_menu.insertAction(first, _action(window, _("&Manual"), lambda: manual.show_manual(window),
                                          QKeySequence.StandardKey.HelpContents, "action_manual"))
    help_menu.insertAction(first, _action(window, _("&Welcome page"), lambda: welcome.show_welcome(window),
                                          None, "action_welcome"))
    window.register_file_listener(lambda store: welcome.on_file_opened(window, store))
