"""Help > Manual (F1), first in the Help menu, and Help > About PMQA Desktop, last."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence

from ...i18n import _
from ..features import Window


def install(window: Window) -> None:
    help_menu = window.menus["help"]
    first = help_menu.actions()[0] if help_menu.actions() else None
    a = window.add_action("help", _("&Manual"), lambda: _show_manual(window),
                          QKeySequence.StandardKey.HelpContents, "action_manual")
    if first is not None:
        help_menu.removeAction(a)
        help_menu.insertAction(first, a)
    window.add_action("help", _("&About PMQA Desktop"), lambda: _show_about(window), None, "action_about")


def _show_manual(window: Window):
    from .manual import show_manual   # (built on first use)
    return show_manual(window)


def _show_about(window: Window):
    from .about import show_about   # (built on first use)
    return show_about(window)
