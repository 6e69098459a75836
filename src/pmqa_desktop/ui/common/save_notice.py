"""Saving made visible: "บันทึกแล้ว" in the status bar after every edit (grids and forms alike),
and the form field being typed in is saved when the window closes.

Every edit goes through the window's undo stack (``catalog_commands.perform``), so the stack's
index moving forward is exactly "an edit was stored"; moving back is an undo, also stored."""
from __future__ import annotations

import time
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit

from ...i18n import _

#: set on a form's QLineEdit that stores its text on ``editingFinished`` (leaving the field)
SAVES_ON_LEAVE = "pmqa_saves_on_leave"
NOTICE_MS = 6000
FRESH_S = 1.0     # a message shown this recently was about the edit being saved


class SaveNotice(QObject):
    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self._index = window.undo_stack.index()
        self._own = ""            # the last notice shown here
        self._other_at = -1.0     # when someone else last showed a message
        window.undo_stack.indexChanged.connect(self._changed)
        window.statusBar().messageChanged.connect(self._message_changed)
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
        bar = self.window.statusBar()
        current = bar.currentMessage()
        if current and time.monotonic() - self._other_at < FRESH_S:
            text = f"{text} — {current}"   # what the edit itself said (a new version begun ...) stays
        self._own = text
        bar.showMessage(text, NOTICE_MS)

    def _message_changed(self, text: str) -> None:
        if text and text != self._own:
            self._other_at = time.monotonic()

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
