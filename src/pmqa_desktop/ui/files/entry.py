"""File > Open, Open recent (the recent-files list, kept in the settings) and Show file location.

A file opened in the window (File > Open, Open recent, at the start) goes to the top of the list.
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ...core.storage.store import Store
from ...i18n import _
from .. import qt_settings
from ..features import Window
from ..qt_util import MessageDialog

MAX_RECENT = 8


def _save_copy(window: Window) -> None:
    """File > Save a copy as… (its module, with Qt's standard-paths and desktop-services types,
    is imported when first used, not at the start)."""
    from ..common import file_places
    file_places.save_copy(window)


class FileActions:
    def __init__(self, window: Window):
        self.window = window
        self.recent_menu: QMenu | None = None

    def open_file_dialog(self) -> None:
        store = self.window.store
        start = str(store.path.parent) if store is not None and store.path else str(Path.home())
        fn = ask_open_file(self.window, start)
        if fn:
            self.window.open_database(fn)

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
            a.triggered.connect(lambda checked=False, p=p: self.window.open_database(p))

    def show_file_location(self) -> MessageDialog:
        store = self.window.store
        path = str(store.path) if store is not None and store.path else _("(in memory, not saved)")
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        box = MessageDialog(self.window, _("Where this file is"),
                            _("The database open now is:\n{path}").format(path=path))
        if store is not None and store.path:
            folder = store.path.parent
            box.add_button(_("Open folder"), lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        self.window.last_message_box = box
        box.open()
        return box

    def opened(self, store: Store) -> None:
        if not getattr(self.window, "reopening", False):
            self._add_recent(store.path)


def ask_open_file(parent: QWidget, start: str) -> str:
    from PySide6.QtWidgets import QFileDialog   # (here: the start opens no dialog)
    fn, _filter = QFileDialog.getOpenFileName(parent, _("Open a PMQA Desktop database"), start,
                                              _("PMQA Desktop databases (*.db *.sqlite *.pmqa);;All files (*)"))
    return fn


def install(window: Window) -> None:
    actions = FileActions(window)
    window.files = actions
    window.add_action("file", _("&Open…"), actions.open_file_dialog, QKeySequence.Open, "action_open")
    actions.recent_menu = window.add_submenu("file", _("Open &recent"), "menu_recent")
    actions.recent_menu.aboutToShow.connect(actions._fill_recent)
    copy = window.add_action("file", _("Save a &copy as…"), lambda: _save_copy(window), None,
                             "action_save_copy")
    copy.setToolTip(_("A copy of the whole file, for safekeeping or to hand on; this one stays open"))
    window.add_action("file", _("Show file &location"), actions.show_file_location, None, "action_show_location")
    window.register_file_listener(actions.opened)
