"""Undo commands for the grids: one ``QUndoCommand`` per user action (``GridModel.command`` makes them).

A command is a list of small operations on the core (``Op``), applied in order inside one
store transaction and undone in reverse inside another, so an action is all-or-nothing and
the models hear of it in one batch. Undoing a creation tombstones the rows and redoing it
brings the same rows back (``Store.undelete``), so ids survive undo/redo.

The first application happens in ``push`` before the command goes on the stack: if the core
refuses the edit (a ``UserError``) nothing is pushed and the caller shows the message.
"""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ...core.storage.store import Store

log = logging.getLogger(__name__)


class Op:
    def redo(self, store: Store) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def undo(self, store: Store) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class GridCommand(QUndoCommand):
    """One user action over the core."""

    def __init__(self, store: Store, text: str, ops: list[Op] | None = None,
                 after: Callable[[bool], None] | None = None):
        super().__init__(text)
        self.store = store
        self.ops: list[Op] = list(ops or [])
        self.after = after  # called with True after redo, False after undo (to restore the selection)
        self._skip_first_redo = False

    def add(self, op: Op) -> Op:
        self.ops.append(op)
        return op

    def apply(self) -> None:
        with self.store.transaction():
            for op in self.ops:
                op.redo(self.store)

    def revert(self) -> None:
        with self.store.transaction():
            for op in reversed(self.ops):
                op.undo(self.store)

    def redo(self):
        if self._skip_first_redo:
            self._skip_first_redo = False
        else:
            try:
                self.apply()
            except Exception:  # the stack cannot refuse a redo; say what happened and keep going
                log.exception("redo of %r failed", self.text())
                return
        if self.after:
            self.after(True)

    def undo(self):
        try:
            self.revert()
        except Exception:
            log.exception("undo of %r failed", self.text())
            return
        if self.after:
            self.after(False)


def push(stack: QUndoStack | None, command: GridCommand) -> bool:
    """Apply ``command`` now and put it on ``stack``; a refused edit (``UserError``) propagates
    and nothing is pushed. A command with no operations is dropped."""
    if not command.ops:
        return False
    command.apply()
    if stack is None:
        return True
    command._skip_first_redo = True
    stack.push(command)
    return True
