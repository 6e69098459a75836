"""File > Export / Merge / Backups and Edit > History in the menus, and the automatic backups.

Plugged into the main window by ``install(window)`` (see ``ui.features``). The dialogs
themselves (``ui.sharing.dialogs``) load when one is first opened, so the start does not
wait for them.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from ...core import sharing
from ...i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtWidgets import QDialog

    from ..features import Window as MainWindow


class SharingActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.last_dialog: QDialog | None = None
        window.add_separator("file")
        self.action_export = window.add_action("file", _("E&xport for another office…"), self.export, None,
                                               "action_export")
        # merging writes: off for a read-only file
        self.action_merge = window.add_action("file", _("&Merge a file from another office…"), self.merge, None,
                                              "action_merge", edits=True)
        self.action_merge_folder = window.add_action("file", _("Merge every file in a &folder…"), self.merge_folder,
                                                     None, "action_merge_folder", edits=True)
        self.action_backups = window.add_action("file", _("&Backups…"), self.backups, None, "action_backups")
        window.add_separator("edit")
        self.action_history = window.add_action("edit", _("&History of the selected cell…"), self.history, None,
                                                "action_history")
        self.action_recent = window.add_action("edit", _("Recent &changes…"), self.recent, None,
                                               "action_recent_changes")

    def _open(self, dlg: QDialog) -> QDialog:
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.last_dialog = dlg
        self.window.last_dialog = dlg
        dlg.open()
        return dlg

    def _need_file(self) -> bool:
        store = self.window.store
        if store is None or store.path is None:
            self.window.show_message(_("Open a database file first."), error=True)
            return False
        return True

    def export(self) -> QDialog | None:
        from .dialogs import ExportDialog
        return self._open(ExportDialog(self.window)) if self._need_file() else None

    def merge(self, path: str | None = None) -> QDialog | None:
        from .dialogs import MergeDialog
        return self._open(MergeDialog(self.window, path)) if self._need_file() else None

    def merge_folder(self, path: str | None = None) -> QDialog | None:
        """The merge dialog for all the files a province receives together (one backup, one commit)."""
        from .dialogs import MergeDialog
        return self._open(MergeDialog(self.window, path, folder=True)) if self._need_file() else None

    def backups(self) -> QDialog | None:
        from .dialogs import BackupsDialog
        return self._open(BackupsDialog(self.window)) if self._need_file() else None

    def history(self) -> QDialog | None:
        if self.window.store is None:
            return None
        from .dialogs import HistoryDialog, selected_cell
        cell = selected_cell(self.window)
        if cell is None:
            return self.recent()
        return self._open(HistoryDialog(self.window, *cell))

    def recent(self) -> QDialog | None:
        if self.window.store is None:
            return None
        from .dialogs import RecentChangesDialog
        return self._open(RecentChangesDialog(self.window))


class _AutoBackup(QObject):
    """Backups when a file is opened (in a background thread, so a large file does not delay the
    window; not when the window only opens the same file again after a merge) and when the
    window closes, unless the file has not changed since the last backup.
    A backup on open that fails is reported to the clerk (the work goes on)."""

    failed = Signal(str)

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.threads: list[threading.Thread] = []
        self.failed.connect(self._report, Qt.QueuedConnection)
        window.register_file_listener(self.opened)
        window.installEventFilter(self)

    def opened(self, store) -> None:
        if store is None or store.read_only or store.path is None or self.window.reopening:
            return
        path = Path(store.path)
        failed = self.failed

        def run() -> None:
            try:
                sharing.backup_file(path, "open", skip_if_unchanged=True)
            except Exception as exc:  # noqa: BLE001 - a failed automatic backup must never stop the clerk's work
                try:
                    failed.emit(str(exc))
                except RuntimeError:   # the window is gone already
                    pass
        t = threading.Thread(target=run, name="pmqa-backup", daemon=True)
        self.threads = [x for x in self.threads if x.is_alive() or x.ident is None] + [t]
        # at the program's start, once the window is painted: the first paint does not wait for
        # the backup's look at the file, nor share Python's lock with it
        self.window.after_first_paint(lambda: self._start(t))

    @staticmethod
    def _start(t: threading.Thread) -> None:
        if t.ident is None:
            t.start()

    def _report(self, text: str) -> None:
        self.window.show_message(text, error=True)

    def wait(self, timeout: float = 30.0) -> None:
        for t in list(self.threads):
            self._start(t)   # (one still held for the first paint is made now)
            t.join(timeout)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Close:
            self.wait()
            store = self.window.store
            if store is not None and not store.read_only and store.path is not None:
                try:
                    sharing.backup_now(store, "close", skip_if_unchanged=True)
                except Exception:  # noqa: BLE001
                    pass
        return False


def install(window: "MainWindow") -> SharingActions:
    window.sharing = SharingActions(window)
    window.sharing.auto_backup = _AutoBackup(window)
    window.register_opening_backup(window.sharing.auto_backup.wait)
    if window.store is not None:
        window.sharing.auto_backup.opened(window.store)
    return window.sharing
