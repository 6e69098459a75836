"""Undo operations of the schedule grids: small operations on the core (a row's columns, a new row,
a deleted row, a calendar month cell, the calendar's or weekly plan's month span), run inside a
``common.grid_commands.GridCommand`` (one user action, one undo step).
"""
from __future__ import annotations

from typing import Any, Callable

from ...core.storage import planning
from ...core.storage.store import Store
from ...core.thai_calendar import MonthKey
from ..common.grid_commands import Op


class UpdateOp(Op):
    """Change some columns of one row (text, remark, sort_key, span ...)."""

    def __init__(self, table: str, row_id: str, old: dict[str, Any], new: dict[str, Any]):
        self.table, self.row_id, self.old, self.new = table, row_id, dict(old), dict(new)

    def redo(self, store):
        store.update(self.table, self.row_id, self.new)

    def undo(self, store):
        store.update(self.table, self.row_id, self.old)


class CalendarCellOp(Op):
    """Set the text of one month cell of a calendar step; an emptied cell is tombstoned, and
    filling it again brings the same cell row back (``planning.set_calendar_cell``)."""

    def __init__(self, step_id: str, month: str, old: str, new: str):
        self.step_id, self.month, self.old, self.new = step_id, month, old, new

    def _set(self, store, text: str) -> None:
        if text:
            planning.set_calendar_cell(store, self.step_id, self.month, text)
        else:
            for row in store.select("calendar_cell", {"step_id": self.step_id, "month": self.month}, order_by=""):
                store.delete("calendar_cell", row["id"])

    def redo(self, store):
        self._set(store, self.new)

    def undo(self, store):
        self._set(store, self.old)


class InsertOp(Op):
    """Create a row the first time; later redos bring the same row back from its tombstone."""

    def __init__(self, table: str, create: Callable[[Store], str]):
        self.table, self.create = table, create
        self.row_id: str | None = None
        self.tombstoned: list[tuple[str, str]] = []

    def redo(self, store):
        if self.row_id is None:
            self.row_id = self.create(store)
        else:
            store.undelete(self.table, self.tombstoned or [(self.table, self.row_id)])

    def undo(self, store):
        self.tombstoned = store.delete(self.table, self.row_id)


class DeleteOp(Op):
    """Tombstone a row (and its children); undo brings back exactly what was tombstoned."""

    def __init__(self, table: str, row_id: str):
        self.table, self.row_id = table, row_id
        self.tombstoned: list[tuple[str, str]] = []

    def redo(self, store):
        self.tombstoned = store.delete(self.table, self.row_id)

    def undo(self, store):
        store.undelete(self.table, self.tombstoned)


class CalendarSpanOp(Op):
    """The calendar's month span (start month and number of months) of a fiscal year."""

    def __init__(self, year_id: str, old: tuple[MonthKey, int], new: tuple[MonthKey, int]):
        self.year_id, self.old, self.new = year_id, old, new

    def redo(self, store):
        planning.set_calendar_span(store, self.year_id, *self.new)

    def undo(self, store):
        planning.set_calendar_span(store, self.year_id, *self.old)


class WeeklySpanOp(CalendarSpanOp):
    def redo(self, store):
        planning.set_weekly_span(store, self.year_id, *self.new)

    def undo(self, store):
        planning.set_weekly_span(store, self.year_id, *self.old)
