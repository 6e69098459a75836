"""Undo operations only the schedule grids make: a month cell of the operations calendar, and the
month span of the calendar and of the weekly plan. They run inside a ``common.grid_commands.GridCommand``.
"""
from __future__ import annotations

from ...core.storage import planning
from ...core.thai_calendar import MonthKey
from ..common.grid_commands import Op


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
