"""Tools > Settings (the clerk's name and office, the language) and, after a change of language,
the offer to start the program again.

The settings themselves are read and written by ``ui.qt_settings``; the dialog loads when first opened.
"""
from __future__ import annotations

import sys

from ...i18n import _
from ..features import Window
from ..qt_util import MessageDialog


class SettingsActions:
    def __init__(self, window: Window):
        self.window = window

    def offer_restart(self, lang: str) -> "MessageDialog":
        """After a change of language: offer to start again now, in the new language too."""
        from ...i18n import gettext_in
        here = _("The program shows the new language when it starts again. Restart now?")
        there = gettext_in(lang, "The program shows the new language when it starts again. Restart now?")
        box = MessageDialog(self.window, _("Language"), here if here == there else f"{here}\n\n{there}")
        box.setObjectName("offer_restart")
        here, there = _("Restart now"), gettext_in(lang, "Restart now")
        box.add_button(here if here == there else f"{here} / {there}", self.restart)
        box.open()
        self.window.last_message_box = box
        return box

    def restart(self) -> bool:
        """Start the program again on the same file, then end this one (the file is let go first,
        so the new one does not find it in use)."""
        from PySide6.QtCore import QProcess
        from PySide6.QtWidgets import QApplication
        path = self.window.store.path if self.window.store is not None else None
        args = [] if getattr(sys, "frozen", False) else ["-m", "pmqa_desktop"]
        if path is not None:
            args += ["--db", str(path)]
        self.window.close_store()
        ok = QProcess.startDetached(sys.executable, args)
        if isinstance(ok, tuple):   # (started, pid) in some PySide versions
            ok = ok[0]
        if not ok:
            self.window.show_message(_("The program could not be started again; start it yourself."), error=True)
            return False
        QApplication.quit()
        return True

    def open_settings(self):
        from .dialog import SettingsDialog
        return self.window.open_dialog(SettingsDialog(self.window))


def install(window: Window) -> None:
    actions = SettingsActions(window)
    window.settings = actions
    window.add_action("tools", _("&Settings…"), actions.open_settings, None, "action_settings")
