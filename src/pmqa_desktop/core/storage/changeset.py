"""Recording what one operation changed, so that it can be undone and redone as a whole.

``record(store, fn)`` runs ``fn`` in one transaction and returns a ``ChangeSet`` naming every
row the operation inserted, changed, deleted or brought back, with the row as it was before
(from the ``history`` table, which keeps every superseded version) and as it is after.
``ChangeSet.undo(store)`` puts every row back as it was (rows the operation inserted become
tombstones); ``ChangeSet.redo(store)`` makes them as they were after the operation again.
Both run in one transaction, so an undo is all or nothing too. No Qt here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from .store import Change, Store, own_columns


@dataclass
class RowChange:
    table: str
    row_id: str
    existed: bool                      # the row was there (live or tombstoned) before
    before: dict[str, Any] | None      # own columns before (None when inserted)
    before_deleted: int
    after: dict[str, Any]              # own columns after
    after_deleted: int


@dataclass
class ChangeSet:
    rows: list[RowChange] = field(default_factory=list)
    result: Any = None
    # (undo, redo) of bookkeeping outside the synced tables (such as a conflict's record),
    # run in the same transaction as the rows
    local: list[tuple[Callable[[Store], None], Callable[[Store], None]]] = field(default_factory=list)

    @property
    def inserted(self) -> list[tuple[str, str]]:
        return [(r.table, r.row_id) for r in self.rows if not r.existed]

    def __bool__(self) -> bool:
        return bool(self.rows or self.local)

    def undo(self, store: Store) -> None:
        with store.transaction():
            for rc in reversed(self.rows):
                _put(store, rc.table, rc.row_id, rc.before, rc.before_deleted if rc.existed else 1)
            for undo, _redo in reversed(self.local):
                undo(store)

    def redo(self, store: Store) -> None:
        with store.transaction():
            for rc in self.rows:
                _put(store, rc.table, rc.row_id, rc.after, rc.after_deleted)
            for _undo, redo in self.local:
                redo(store)


def _put(store: Store, table: str, row_id: str, values: dict[str, Any] | None, deleted: int) -> None:
    cur = store.get(table, row_id, include_deleted=True)
    if cur is None:
        return
    if values is not None:
        store.update(table, row_id, values)
    if deleted and not cur["deleted"]:
        store.delete(table, row_id)
    elif not deleted and cur["deleted"]:
        store.undelete(table, row_id)


def _history_mark(store: Store) -> int:
    return store.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM history").fetchone()[0]


def record(store: Store, fn: Callable[[], Any]) -> ChangeSet:
    """Run ``fn()`` in one transaction and return what it changed (and its result)."""
    seen: list[Change] = []
    with store.transaction():
        mark = _history_mark(store)
        pending_at = len(store._pending)  # noqa: SLF001
        result = fn()
        seen.extend(store._pending[pending_at:])  # noqa: SLF001
        cs = ChangeSet(result=result)
        order: dict[tuple[str, str], bool] = {}
        for ch in seen:
            if ch.row_id == "*":
                raise RuntimeError("bulk inserts cannot be recorded for undo")
            k = (ch.table, ch.row_id)
            if k not in order:
                order[k] = ch.kind != "insert"
            elif ch.kind == "insert":
                order[k] = False
        for (table, row_id), existed in order.items():
            row = store.get(table, row_id, include_deleted=True)
            cols = own_columns(table)
            after = {c: row[c] for c in cols}
            before, before_deleted = None, 0
            if existed:
                h = store.conn.execute(
                    "SELECT data, deleted FROM history WHERE table_name = ? AND row_id = ? AND rowid > ? "
                    "ORDER BY rowid LIMIT 1", (table, row_id, mark)).fetchone()
                if h is None:  # the operation wrote the same version again: nothing to restore
                    continue
                before, before_deleted = json.loads(h[0]), h[1]
            cs.rows.append(RowChange(table, row_id, existed, before, before_deleted, after, row["deleted"]))
    return cs
