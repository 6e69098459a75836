"""Saving made visible: "บันทึกแล้ว" in the status bar after every edit (grids and forms alike),
and the form field being typed in is saved when the window closes.

Every edit goes through the window's undo stack (``catalog_commands.perform``), so the stack's
index moving forward is exactly "an edit was stored"; moving back is an undo, also stored."""
from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit

from ..i18n import _

#: set on a form's QLineEdit that stores its text on ``editingFinished`` (leaving the field)
SAVES_ON_LEAVE = "pmqa_saves_on_leave"
NOTICE_MS = 6000


class SaveNotice(QObject):
    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self._index = window.undo_stack.index()
        window.undo_stack.indexChanged.connect(self._changed)
        window.installEventFilter(self)

    def _changed(self, index: int) -> None:
        stack = self.window.undo_stack
        if not shiboken6.isValid(stack) or not shiboken6.isValid(self.window):   # the window is going away
            return
        old, self._index = self._index, index
        if index > old and index <= stack.count():
            text = _("Saved: {what}").format(what=stack.text(index - 1))
        elif index < old and index < stack.count():
            text = _("Undone and saved: {what}").format(what=stack.text(index))
        else:   # the stack was cleared (another file opened)
            return
        self.window.statusBar().showMessage(text, NOTICE_MS)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.window and event.type() == QEvent.Type.Close:
            flush_forms(self.window)
        return False


def flush_forms(root: Any) -> None:
    """Let every form field typed in and not left yet store its text, as leaving it would."""
    for edit in root.findChildren(QLineEdit):
        if edit.property(SAVES_ON_LEAVE) and edit.isModified() and not edit.isReadOnly():
            edit.editingFinished.emit()


def install(window: Any) -> SaveNotice:
    window.save_notice = SaveNotice(window)
    return window.save_notice
