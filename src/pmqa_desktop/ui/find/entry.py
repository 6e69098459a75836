"""Find and replace (Edit > Find and replace…, Ctrl+F): the feature's menu entry and its dialog,
built on first use. It may use the shell (``ui.features.Window``); a hit in another feature's page
is shown through the place that feature registers (``Window.show_place``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ...i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from ..features import Window as MainWindow
    from .dialog import FindDialog


def install(window: "MainWindow") -> None:
    """Edit > Find and replace… (Ctrl+F)."""
    action = QAction(_("&Find and replace…"), window)
    action.setObjectName("action_find")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def open_find() -> FindDialog | None:
        if window.store is None:
            return None
        dlg = getattr(window, "find_dialog", None)
        if dlg is None:
            from .dialog import FindDialog
            dlg = FindDialog(window)
            window.find_dialog = dlg
        dlg._enable()
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        dlg.find_text.setFocus()
        dlg.find_text.selectAll()
        return dlg

    action.triggered.connect(lambda checked=False: open_find())
    window.action_find = action
    window.open_find = open_find
    window.find_dialog = None
    window.menus["edit"].addSeparator()
    window.menus["edit"].addAction(action)
    window.register_file_listener(lambda store: _file_changed(window))


def _file_changed(window: "MainWindow") -> None:
    dlg = getattr(window, "find_dialog", None)
    if dlg is not None:   # results of the file before are no use
        dlg.hits = []
        dlg._fill()
        dlg._say("")
