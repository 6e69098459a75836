"""Undoable edits over the core, for every feature.

Every edit runs once through ``perform``: the core function runs in one transaction while
``core.storage.changeset`` records what it changed; only when it succeeded is a
``StoreCommand`` pushed on the window's QUndoStack, so a refused edit (a ``UserError``)
changes nothing and leaves nothing to undo.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QUndoCommand, QUndoStack

from ...core.errors import UserError
from ...core.storage import changeset
from ...core.storage.store import Store


def _ignore(message: str) -> None:
    pass


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while a long edit (a roll-over, an import, their undo) runs."""
    QGuiApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class StoreCommand(QUndoCommand):
    """One recorded edit: redo/undo replay the recorded change set in one transaction."""

    report: Callable[[str], None] = staticmethod(_ignore)   # set by the main window

    def __init__(self, store: Store, text: str, changes: changeset.ChangeSet):
        super().__init__(text)
        self.store = store
        self.changes = changes
        self._done = True   # pushed after the edit was made: the first redo has nothing to do

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        try:
            with busy():
                self.changes.redo(self.store)
        except UserError as exc:
            StoreCommand.report(str(exc))

    def undo(self) -> None:
        try:
            with busy():
                self.changes.undo(self.store)
        except UserError as exc:
            StoreCommand.report(str(exc))


def perform(stack: QUndoStack, store: Store, text: str, fn: Callable[[], Any],
            local: tuple[Callable[[], Any], Callable[[Store, Any], None]] | None = None) -> Any:
    """Run ``fn`` as one undoable edit and return its result.

    ``local`` = (read, write) covers bookkeeping outside the synced tables that ``fn`` also
    changes (a conflict's record): its state is read before and after, and undo/redo write it back.
    A ``UserError`` from ``fn`` propagates with nothing changed and nothing pushed.
    """
    before = local[0]() if local else None
    with busy():
        changes = changeset.record(store, fn)
    if local:
        after, write = local[0](), local[1]
        if after != before:
            changes.local.append((lambda s: write(s, before), lambda s: write(s, after)))
    if changes:
        stack.push(StoreCommand(store, text, changes))
    return changes.result
