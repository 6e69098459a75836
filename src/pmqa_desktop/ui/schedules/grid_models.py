"""Qt table models over the store for the operations calendar and the weekly plan.

The models read the core (``core.storage.planning``) and keep a light per-row cache; they
never copy data into widgets. They listen to ``Store.subscribe`` and refresh incrementally,
so an edit from anywhere (a command, an import, undo) shows at once. Every edit a user makes
through a model is a ``GridCommand`` pushed on the undo stack.
"""
from __future__ import annotations

import bisect
import re
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from ...core.storage import planning
from ...core.storage.store import Change, Store
from ...core.thai_calendar import MonthKey, format_thai_date, header_labels, parse_cell_date
from ...core.thai_text import strip_zwsp
from ...i18n import _, ngettext, english_screen
from ..common.delegates import display_text
from ..common.grid_model import (ALIGN, BACKGROUND, DISPLAY, EDIT, EDITABLE, FONT, HEADING, RAW, READ_ONLY, TOOLTIP,
                                 TOP_CENTER, TOP_LEFT, GridModel, RowKeyRole)


_BRUSHES: list = []


def _brushes() -> list:
    """Backgrounds: a หมวด heading row, a week cell holding an activity."""
    if not _BRUSHES:
        _BRUSHES.extend([QBrush(QColor(222, 232, 245)), QBrush(QColor(255, 244, 214))])
    return _BRUSHES
from .grid_commands import CalendarCellOp, CalendarSpanOp, DeleteOp, InsertOp, UpdateOp, WeeklySpanOp

MonthLabelRole = Qt.ItemDataRole.UserRole + 10   # header: the month label over a week column
WeekLabelRole = Qt.ItemDataRole.UserRole + 11    # header: 'W1'..'W4'
MonthGroupRole = Qt.ItemDataRole.UserRole + 12   # header: (label, first column, count) of a week column




# ====================================================================== operations calendar

class _Step:
    __slots__ = ("id", "sort_key", "text", "remark", "cells", "load")

    def __init__(self, row: dict[str, Any], cells: dict[str, str]):
        self.id = row["id"]
        self.sort_key = row["sort_key"]
        self.text = row["text"]
        self.remark = row["remark"]
        self.cells = cells

    @classmethod
    def of(cls, step_id: str, sort_key: float, text: str, remark: str, cells: dict[str, str]) -> "_Step":
        s = cls.__new__(cls)
        s.id, s.sort_key, s.text, s.remark, s.cells = step_id, sort_key, text, remark, cells
        return s

    @classmethod
    def read_later(cls, step_id: str, sort_key: float, load: Callable[[], None]) -> "_Step":
        """A step whose text, remark and cells are read when first asked for (``load`` reads them
        for all such steps)."""
        s = cls.__new__(cls)
        s.id, s.sort_key, s.load = step_id, sort_key, load
        return s

    def __getattr__(self, name: str) -> Any:   # (only for a slot never set: not read yet)
        if name not in ("cells", "text", "remark"):
            raise AttributeError(name)
        object.__getattribute__(self, "load")()
        return object.__getattribute__(self, name)

    def fill(self, text: str, remark: str, cells: dict[str, str]) -> None:
        """What ``load`` read; a text or remark set meanwhile (a change notice) stays."""
        for name, value in (("text", text), ("remark", remark)):
            try:
                object.__getattribute__(self, name)
            except AttributeError:
                object.__setattr__(self, name, value)
        self.cells = cells


class CalendarModel(GridModel):
    """Rows: the year's calendar steps in order. Columns: number, step text, one per month of
    the year's calendar span, remark."""

    COL_NO = 0
    COL_TEXT = 1
    FIRST_MONTH = 2

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, year_id: str | None = None, parent=None):
        self._steps: list[_Step] = []
        self._pos: dict[str, int] = {}
        self.months: list[MonthKey] = []
        self._keys: list[str] = []
        self._labels: list[str] = []
        super().__init__(store, undo_stack, parent)
        if year_id:
            self.set_year(year_id)

    # ------------------------------------------------------------ loading
    def _load(self) -> None:
        self.read_later = None
        self.year = self.store.get("fiscal_year", self.year_id) if (self.store and self.year_id) else None
        if self.year is None:
            self.months, self._keys, self._labels, self._steps = [], [], [], []
        else:
            self.months = planning.calendar_months(self.year)
            self._keys = [m.key for m in self.months]
            self._labels = header_labels(self.months, english=english_screen())
            self._steps, self.read_later = self._read_steps(self.store, self.year_id)
        self._reindex()

    # A large year opens faster when only its first rows are read whole before the grid is first
    # painted: every step's id and place (the row count, hence the scroll bar, is right from the
    # start), the text, remark and cells of the first FIRST_CELLS steps (more than a screen holds;
    # only the rows in view are painted and fitted), and the other steps' texts, remarks and cells
    # all at once just after the grid's first paint (``read_rest``), or before that the first time
    # one of them is asked for. A 2,000-step year: ~3 ms before the paint instead of ~14 ms.
    FIRST_CELLS = 200
    read_later: Callable[[], None] | None = None   # reads the texts and cells not read yet (None: all read)

    def read_rest(self) -> None:
        """Read the cells not read yet (the grid calls it once it has been painted)."""
        load, self.read_later = self.read_later, None
        if load is not None:
            load()

    @classmethod
    def _read_steps(cls, store: Store, year_id: str) -> tuple[list[_Step], Callable[[], None] | None]:
        rows = planning.calendar_step_keys(store, year_id)
        head = [r[0] for r in rows[:cls.FIRST_CELLS]]
        texts = planning.calendar_step_texts_of(store, head) if head else {}
        cells = planning.calendar_cells_of(store, head) if head else {}
        of = _Step.of
        steps = [of(sid, key, *texts[sid], cells.pop(sid, None) or {}) for sid, key in rows[:len(head)]]
        if len(rows) == len(head):
            return steps, None
        later: list[_Step] = []

        def load() -> None:
            if not later:
                return
            # (a file let go before they were read: its grid shows none, as it repaints nothing)
            rest_texts = {} if store.closed else planning.calendar_step_texts(store, year_id)
            rest = {} if store.closed else planning.calendar_cells(store, year_id)
            for step in later:
                step.fill(*rest_texts.pop(step.id, ("", "")), rest.pop(step.id, None) or {})
            later.clear()
        later.extend(_Step.read_later(sid, key, load) for sid, key in rows[len(head):])
        steps.extend(later)
        return steps, load

    def _reindex(self) -> None:
        self._pos = {s.id: i for i, s in enumerate(self._steps)}
        n = self.FIRST_MONTH + len(self.months) + 1
        self._align = [TOP_CENTER if c == self.COL_NO or self.FIRST_MONTH <= c < n - 1 else TOP_LEFT for c in range(n)]

    @property
    def col_remark(self) -> int:
        return self.FIRST_MONTH + len(self.months)

    def month_of_column(self, col: int) -> MonthKey | None:
        i = col - self.FIRST_MONTH
        return self.months[i] if 0 <= i < len(self.months) else None

    def step_id(self, row: int) -> str:
        return self._steps[row].id

    def row_key(self, row: int) -> str:
        return self._steps[row].id

    def row_of_key(self, key: str) -> int:
        return self._pos.get(key, -1)

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.year is None else self.FIRST_MONTH + len(self.months) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_NO:
                return _("No.")
            if section == self.COL_TEXT:
                return _("Operations")
            if section == self.col_remark:
                return _("Remarks")
            i = section - self.FIRST_MONTH
            if 0 <= i < len(self._labels):
                return self._labels[i]
        if role == Qt.ItemDataRole.ToolTipRole:
            m = self.month_of_column(section)
            if m is not None:
                return m.full(english=english_screen())
        return None

    def cell_text(self, row: int, col: int) -> str:
        s = self._steps[row]
        if col == self.COL_NO:
            return str(row + 1)
        if col == self.COL_TEXT:
            return s.text
        if col == self.col_remark:
            return s.remark
        i = col - self.FIRST_MONTH
        return s.cells.get(self._keys[i], "") if 0 <= i < len(self._keys) else ""

    def _data(self, row: int, col: int, role: int) -> Any:
        # (the grid paints from paint_row; the display role serves Qt's other readers)
        if role == DISPLAY:
            if row >= len(self._steps) or col >= self.columnCount():
                return None
            return display_text(self.cell_text(row, col))
        if role == ALIGN:
            return self._align[col] if col < len(self._align) else None
        if role == EDIT or role == RAW:
            return self.cell_text(row, col) if row < len(self._steps) else None
        if role == TOOLTIP and row < len(self._steps):
            m = self.month_of_column(col)
            if m is not None:
                return describe_cell_date(self.cell_text(row, col), m, self.year["year_be"] if self.year else None)
        return None

    def paint_row(self, row: int) -> list[tuple[int, str, int, Any, bool]]:
        """What the grid draws in a row: (column, stored text, alignment, background brush or None,
        bold) of each cell with something in it (see ``GridTableView.paintEvent``)."""
        s = self._steps[row]
        align = self._align
        out = [(0, str(row + 1), align[0], None, False)]
        if s.text:
            out.append((self.COL_TEXT, s.text, align[self.COL_TEXT], None, False))
        first = self.FIRST_MONTH
        for i, k in enumerate(self._keys):
            t = s.cells.get(k)
            if t:
                out.append((first + i, t, align[first + i], None, False))
        if s.remark:
            col = self.col_remark
            out.append((col, s.remark, align[col], None, False))
        return out

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if index.column() == 0 or self.read_only:
            return READ_ONLY
        return EDITABLE

    def row_cells(self, row: int) -> list[tuple[int, int, str]]:
        s = self._steps[row]
        out = [(self.COL_TEXT, 1, s.text), (self.col_remark, 1, s.remark)]
        for i, k in enumerate(self._keys):
            t = s.cells.get(k)
            if t:
                out.append((self.FIRST_MONTH + i, 1, t))
        return out

    # ------------------------------------------------------------ change notifications
    def _on_changes(self, changes: list[Change]) -> None:
        if self.year_id is None:
            return
        if any(c.row_id == "*" and c.table in ("calendar_step", "calendar_cell") for c in changes) \
                or any(c.table == "fiscal_year" and c.row_id == self.year_id for c in changes) \
                or sum(c.table in ("calendar_step", "calendar_cell") for c in changes) > 400:
            self.reload()
            self.spansChanged.emit()
            return
        seen: set[tuple[str, str]] = set()
        for c in changes:
            if (c.table, c.row_id) in seen:
                continue
            seen.add((c.table, c.row_id))
            if c.table == "calendar_step":
                self._refresh_step(c.row_id)
            elif c.table == "calendar_cell":
                self._refresh_cell(c.row_id)

    def _refresh_cell(self, cell_id: str) -> None:
        row = self.store.get("calendar_cell", cell_id, include_deleted=True)
        if row is None:
            return
        pos = self._pos.get(row["step_id"])
        if pos is None:
            return
        step = self._steps[pos]
        text = planning.calendar_cell_text(self.store, step.id, row["month"])
        if text:
            step.cells[row["month"]] = text
        else:
            step.cells.pop(row["month"], None)
        if row["month"] in self._keys:
            col = self.FIRST_MONTH + self._keys.index(row["month"])
            idx = self.index(pos, col)
            self.dataChanged.emit(idx, idx)

    def _insert_pos(self, sort_key: float, step_id: str, exclude: int | None = None) -> int:
        # (sort key, then id: the order a reload reads, so equal keys from two offices show alike)
        keys = [(s.sort_key, s.id) for i, s in enumerate(self._steps) if i != exclude]
        return bisect.bisect_right(keys, (sort_key, step_id))

    def _refresh_step(self, step_id: str) -> None:
        row = self.store.get("calendar_step", step_id)
        pos = self._pos.get(step_id)
        if row is None or row["year_id"] != self.year_id:
            if pos is not None:
                self.beginRemoveRows(QModelIndex(), pos, pos)
                del self._steps[pos]
                self._reindex()
                self.endRemoveRows()
                self._numbers_changed(pos)
            return
        if pos is None:
            cells = {c["month"]: c["text"] for c in self.store.select("calendar_cell", {"step_id": step_id}, order_by="month")
                     if c["text"]}
            new = self._insert_pos(row["sort_key"], step_id)
            self.beginInsertRows(QModelIndex(), new, new)
            self._steps.insert(new, _Step(row, cells))
            self._reindex()
            self.endInsertRows()
            self._numbers_changed(new)
            return
        step = self._steps[pos]
        step.text, step.remark = row["text"], row["remark"]
        if row["sort_key"] != step.sort_key:
            step.sort_key = row["sort_key"]
            new = self._insert_pos(step.sort_key, step.id, exclude=pos)
            if new != pos:
                dest = new + 1 if new > pos else new
                self.beginMoveRows(QModelIndex(), pos, pos, QModelIndex(), dest)
                self._steps.insert(new, self._steps.pop(pos))
                self._reindex()
                self.endMoveRows()
                self._numbers_changed(min(pos, new))
                pos = new
        self.dataChanged.emit(self.index(pos, 0), self.index(pos, self.columnCount() - 1))

    def _numbers_changed(self, first: int) -> None:
        if self._steps and first < len(self._steps):
            self.dataChanged.emit(self.index(first, self.COL_NO), self.index(len(self._steps) - 1, self.COL_NO),
                                  [Qt.ItemDataRole.DisplayRole])

    # ------------------------------------------------------------ edits
    def _cell_op(self, row: int, col: int, text: str):
        s = self._steps[row]
        if col == self.COL_TEXT:
            return UpdateOp("calendar_step", s.id, {"text": s.text}, {"text": text}) if text != s.text else None
        if col == self.col_remark:
            return UpdateOp("calendar_step", s.id, {"remark": s.remark}, {"remark": text}) if text != s.remark else None
        m = self.month_of_column(col)
        if m is not None:
            old = s.cells.get(m.key, "")
            return CalendarCellOp(s.id, m.key, old, text) if text != old else None
        return None

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:
        """Write a block of texts at (top, left): one command; rows past the end become new steps."""
        if self.year is None or not block:
            return False
        block = [[strip_zwsp(c) for c in r] for r in block]
        n_rows = len(self._steps)
        text = _("Edit cell") if edit else ngettext("Paste {rows} x {cols} cell", "Paste {rows} x {cols} cells",
                                                    len(block) * len(block[0])).format(rows=len(block), cols=len(block[0]))
        cmd = self.command(text, focus=(lambda k=self._steps[top].id if top < n_rows else None: k, left)
                           if top < n_rows else None)
        last_key = self._steps[-1].sort_key if self._steps else 0.0
        new_ids: list[InsertOp] = []
        for r, values in enumerate(block):
            row = top + r
            if row < n_rows:
                for j, value in enumerate(values):
                    op = self._cell_op(row, left + j, value)
                    if op is not None:
                        cmd.add(op)
            else:
                fields = {"text": "", "remark": "", "cells": {}}
                for j, value in enumerate(values):
                    col = left + j
                    if col == self.COL_TEXT:
                        fields["text"] = value
                    elif col == self.col_remark:
                        fields["remark"] = value
                    elif self.month_of_column(col) is not None and value:
                        fields["cells"][self.month_of_column(col).key] = value
                last_key += 1.0
                year_id, key = self.year_id, last_key
                new_ids.append(cmd.add(InsertOp("calendar_step", lambda st, f=fields, y=year_id, k=key:
                                                planning.add_calendar_step(st, y, f["text"], f["remark"], k, f["cells"]))))
        if top >= n_rows and new_ids:
            cmd.after = self.command("", focus=(lambda: new_ids[0].row_id, left)).after
        return self.run(cmd)

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:
        cmd = self.command(ngettext("Clear {n} cell", "Clear {n} cells", len(cells)).format(n=len(cells)))
        for row, col in cells:
            op = self._cell_op(row, col, "")
            if op is not None:
                cmd.add(op)
        return self.run(cmd)

    def insert_step(self, row: int, below: bool = False) -> bool:
        """A new empty step above (or below) ``row``; at the end when the table is empty."""
        if self.year is None:
            return False
        n = len(self._steps)
        if n == 0:
            before, after = None, None
        elif below:
            before = self._steps[row].sort_key
            after = self._steps[row + 1].sort_key if row + 1 < n else None
        else:
            before = self._steps[row - 1].sort_key if row > 0 else None
            after = self._steps[row].sort_key
        key = planning.sort_key_between(before, after)
        year_id = self.year_id
        op = InsertOp("calendar_step", lambda st: planning.add_calendar_step(st, year_id, "", "", key))
        cmd = self.command(_("Insert step"), focus=(lambda: op.row_id, self.COL_TEXT))
        cmd.add(op)
        return self.run(cmd)

    def delete_steps(self, rows: list[int]) -> bool:
        rows = sorted(set(r for r in rows if 0 <= r < len(self._steps)))
        if not rows:
            return False
        cmd = self.command(ngettext("Delete {n} step", "Delete {n} steps", len(rows)).format(n=len(rows)))
        for r in rows:
            cmd.add(DeleteOp("calendar_step", self._steps[r].id))
        return self.run(cmd)

    def move_step(self, row: int, delta: int, col: int = COL_TEXT) -> bool:
        """Move one step up (delta -1) or down (+1) by giving it a sort key past its neighbour."""
        n = len(self._steps)
        target = row + delta
        if not (0 <= row < n and 0 <= target < n):
            return False
        s = self._steps[row]
        if delta > 0:
            a = self._steps[target].sort_key
            b = self._steps[target + 1].sort_key if target + 1 < n else None
        else:
            a = self._steps[target - 1].sort_key if target > 0 else None
            b = self._steps[target].sort_key
        new_key = planning.sort_key_between(a, b)
        if (a is not None and new_key <= a) or (b is not None and new_key >= b):  # keys too close or equal: renumber
            return self._renumber_and_move(row, target, col)
        sid = s.id
        cmd = self.command(_("Move step"), focus=(lambda: sid, col))
        cmd.add(UpdateOp("calendar_step", sid, {"sort_key": s.sort_key}, {"sort_key": new_key}))
        return self.run(cmd)

    def _renumber_and_move(self, row: int, target: int, col: int) -> bool:
        order = list(self._steps)
        order.insert(target, order.pop(row))
        sid = self._steps[row].id
        cmd = self.command(_("Move step"), focus=(lambda: sid, col))
        for k, s in enumerate(order):
            if s.sort_key != float(k + 1):
                cmd.add(UpdateOp("calendar_step", s.id, {"sort_key": s.sort_key}, {"sort_key": float(k + 1)}))
        return self.run(cmd)

    SPAN_FIELDS = ("calendar_start", "calendar_months")
    SPAN_OP = CalendarSpanOp

    def span_texts(self) -> tuple[str, str]:
        return _("The calendar can span 1 to 36 months."), _("Change the calendar's months")


def describe_cell_date(text: str, month: MonthKey, year_be: int | None) -> str | None:
    """What the program understood of a month cell, for its tooltip."""
    if not text.strip():
        return None
    d = parse_cell_date(text, month, year_be)
    if d.kind in ("day", "range", "days") and d.month is not None:
        dates = [f"{day} {d.month.full(english=True)}" if english_screen() else format_thai_date(day, d.month, full=True)
                 for day in d.days]
        joined = (" - " if d.kind == "range" else ", ").join(dates)
        note = _(" (month name corrected)") if d.typo else ""
        return _("Read as: {dates}").format(dates=joined) + note
    if d.kind == "recurring":
        return _("Read as: a recurring day ({text})").format(text=d.note)
    if d.kind == "month" and d.month is not None:
        return _("Read as: the month {month}").format(month=d.month.full(english=english_screen()))
    return _("Free text (not read as a date)")


# ====================================================================== weekly plan

class _WRow:
    __slots__ = ("key", "kind", "title", "category_code", "data", "starts", "cover", "dspan")

    def __init__(self, key: str, kind: str, title: str = "", category_code: str = "", data=None):
        self.key, self.kind, self.title, self.category_code, self.data = key, kind, title, category_code, data
        self.starts: dict[int, dict] = {}   # week index -> activity starting there
        self.cover: dict[int, int] = {}     # week index -> week index of the activity covering it
        self.dspan: dict[int, int] = {}     # week index -> span as shown (clipped at the next activity)


def criterion_label(code: str | None, name: str | None) -> str:
    """'LD 2 การมอบอำนาจ' as the weekly plan writes it."""
    code = re.sub(r"^([A-Za-z]+)(\d)", r"\1 \2", code or "")
    return (code + " " + (name or "")).strip()


class WeeklyPlanModel(GridModel):
    """Rows: a heading per หมวด and the year's weekly rows under it. Columns: the criterion
    ('LD 2 การมอบอำนาจ'), months x W1-W4, remark. An activity over several weeks is one span."""

    COL_CODE = 0
    FIRST_WEEK = 1

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, year_id: str | None = None, parent=None):
        self._rows: list[_WRow] = []
        self._pos: dict[str, int] = {}
        self.columns: list[tuple[MonthKey, int]] = []
        self._month_labels: list[str] = []
        self._bold = QFont()
        self._bold.setBold(True)
        super().__init__(store, undo_stack, parent)
        if year_id:
            self.set_year(year_id)

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        super().reload()
        self.spansChanged.emit()

    def _load(self) -> None:
        self.year = self.store.get("fiscal_year", self.year_id) if (self.store and self.year_id) else None
        if self.year is None:
            self.columns, self._month_labels, self._rows = [], [], []
            self._pos = {}
            return
        self.columns = planning.weekly_columns(self.year)
        months = [m for m, w in self.columns if w == 1]
        self._month_labels = header_labels(months, english=english_screen())
        self._rows = self._build_rows()
        self._pos = {r.key: i for i, r in enumerate(self._rows)}

    def _build_rows(self) -> list[_WRow]:
        names = {c["code"]: c["name"] for c in planning.categories(self.store)}
        n_weeks = len(self.columns)
        out: list[_WRow] = []
        current = object()
        for r in planning.weekly_rows(self.store, self.year_id):
            cat = r.get("category_code")
            if cat != current:
                current = cat
                if cat is None:
                    title = _("Other rows")
                else:
                    title = _("Category {code} {name}").format(code=cat, name=names.get(cat, "")).strip()
                out.append(_WRow("cat:" + str(cat), "heading", title, cat or ""))
            wr = _WRow(r["id"], "row", criterion_label(r.get("criterion_code"), r.get("criterion_name")) or r["label"],
                       cat or "", r)
            starts = []
            for a in r["activities"]:
                w = planning.week_index(self.year, a["month"], a["week"])
                if 0 <= w < n_weeks and w not in wr.starts:
                    wr.starts[w] = a
                    starts.append(w)
            starts.sort()
            for k, w in enumerate(starts):
                limit = starts[k + 1] if k + 1 < len(starts) else n_weeks
                span = max(1, min(int(wr.starts[w]["span"] or 1), limit - w))
                wr.dspan[w] = span
                for x in range(w + 1, w + span):
                    wr.cover[x] = w
            out.append(wr)
        return out

    def _on_changes(self, changes: list[Change]) -> None:
        if self.year_id is None:
            return
        if any(c.table == "fiscal_year" and c.row_id == self.year_id for c in changes):
            year = self.store.get("fiscal_year", self.year_id)
            if year is None or year["weekly_start"] != self.year["weekly_start"] \
                    or year["weekly_months"] != self.year["weekly_months"]:
                self.reload()
                return
        if not any(c.table in ("weekly_row", "weekly_activity", "criterion", "category") for c in changes):
            return
        self._refresh()

    def _refresh(self) -> None:
        """Re-read the rows; keep selections and the current cell on the same rows."""
        new_rows = self._build_rows()
        old_keys = [r.key for r in self._rows]
        new_keys = [r.key for r in new_rows]
        if old_keys == new_keys:
            self._rows = new_rows
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
            self.spansChanged.emit()
            return
        self.layoutAboutToBeChanged.emit()
        new_pos = {k: i for i, k in enumerate(new_keys)}
        old_list = self.persistentIndexList()
        new_list = []
        for idx in old_list:
            key = old_keys[idx.row()] if idx.row() < len(old_keys) else None
            r = new_pos.get(key, -1)
            new_list.append(self.createIndex(r, idx.column()) if r >= 0 else QModelIndex())
        self._rows = new_rows
        self._pos = new_pos
        self.changePersistentIndexList(old_list, new_list)
        self.layoutChanged.emit()
        self.spansChanged.emit()

    # ------------------------------------------------------------ geometry
    @property
    def col_remark(self) -> int:
        return self.FIRST_WEEK + len(self.columns)

    def week_of_column(self, col: int) -> int | None:
        w = col - self.FIRST_WEEK
        return w if 0 <= w < len(self.columns) else None

    def row_key(self, row: int) -> str:
        return self._rows[row].key

    def row_of_key(self, key: str) -> int:
        return self._pos.get(key, -1)

    def is_heading(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row].kind == "heading"

    def rows_of_criterion(self, criterion_id: str) -> list[int]:
        return [i for i, r in enumerate(self._rows) if r.kind == "row" and r.data.get("criterion_id") == criterion_id]

    def activity_at(self, row: int, col: int) -> tuple[int, dict] | None:
        """(start week, activity) of the activity shown in (row, col), if any."""
        w = self.week_of_column(col)
        if w is None or not 0 <= row < len(self._rows):
            return None
        r = self._rows[row]
        start = w if w in r.starts else r.cover.get(w)
        return (start, r.starts[start]) if start is not None else None

    def display_span(self, row: int, week: int) -> int:
        return self._rows[row].dspan.get(week, 1)

    def spans(self) -> list[tuple[int, int, int, int]]:
        out = []
        n_cols = self.columnCount()
        for i, r in enumerate(self._rows):
            if r.kind == "heading":
                if n_cols > 1:
                    out.append((i, 0, 1, n_cols))
                continue
            for w, span in r.dspan.items():
                if span > 1:
                    out.append((i, self.FIRST_WEEK + w, 1, span))
        return out

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.year is None else self.FIRST_WEEK + len(self.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return None
        w = self.week_of_column(section)
        if w is not None:
            month, week = self.columns[w]
            label = self._month_labels[w // planning.WEEKS_PER_MONTH]
            if role == Qt.ItemDataRole.DisplayRole:
                return "{} W{}".format(label, week)
            if role == MonthLabelRole:
                return label
            if role == WeekLabelRole:
                return "W{}".format(week)
            if role == MonthGroupRole:
                first = self.FIRST_WEEK + (w // planning.WEEKS_PER_MONTH) * planning.WEEKS_PER_MONTH
                return (label, first, planning.WEEKS_PER_MONTH)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("{month}, week {week}").format(month=month.full(english=english_screen()), week=week)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_CODE:
                return _("Criterion")
            if section == self.col_remark:
                return _("Remarks")
        return None

    def cell_text(self, row: int, col: int) -> str:
        r = self._rows[row]
        if r.kind == "heading":
            return r.title if col == self.COL_CODE else ""
        if col == self.COL_CODE:
            return r.title
        if col == self.col_remark:
            return r.data["remark"] or ""
        w = self.week_of_column(col)
        if w is not None and w in r.starts:
            return r.starts[w]["text"] or ""
        return ""

    def paint_row(self, row: int) -> list[tuple[int, str, int, Any, bool]]:
        """(column, stored text, alignment, background brush or None, bold) of each cell with
        something to draw; an activity is drawn once, at the week it starts."""
        r = self._rows[row]
        brushes = _BRUSHES or _brushes()
        if r.kind == "heading":
            return [(self.COL_CODE, r.title, TOP_LEFT, brushes[0], True)]
        out = [(self.COL_CODE, r.title, TOP_LEFT, None, False)] if r.title else []
        first = self.FIRST_WEEK
        for w, a in r.starts.items():
            out.append((first + w, a["text"] or "", TOP_LEFT, brushes[1], False))
        remark = r.data["remark"] or ""
        if remark:
            out.append((self.col_remark, remark, TOP_LEFT, None, False))
        return out

    def _data(self, row: int, col: int, role: int) -> Any:
        if row >= len(self._rows):
            return None
        r = self._rows[row]
        if role == DISPLAY:   # (the grid paints from paint_row)
            return display_text(self.cell_text(row, col)) if col < self.columnCount() else None
        if role == EDIT or role == RAW:
            return self.cell_text(row, col)
        if role == BACKGROUND:
            brushes = _BRUSHES or _brushes()
            if r.kind == "heading":
                return brushes[0]
            if (col - self.FIRST_WEEK) in r.starts:
                return brushes[1]
            return None
        if role == ALIGN:
            return TOP_LEFT
        if role == FONT:
            return self._bold if r.kind == "heading" else None
        if role == HEADING:
            return r.kind == "heading"
        if role == TOOLTIP and r.kind == "row":
            w = self.week_of_column(col)
            if w is not None and w in r.starts:
                span = r.dspan.get(w, 1)
                return ngettext("{text}\n({n} week)", "{text}\n({n} weeks)", span).format(
                    text=r.starts[w]["text"], n=span) if span > 1 else None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        r = self._rows[index.row()]
        if r.kind == "heading" or index.column() == 0 or self.read_only:
            return READ_ONLY
        w = self.week_of_column(index.column())
        if w is not None and w in r.cover:
            return READ_ONLY
        return EDITABLE

    def row_cells(self, row: int) -> list[tuple[int, int, str]]:
        r = self._rows[row]
        if r.kind == "heading":
            return [(0, self.columnCount(), r.title)]
        out = [(self.COL_CODE, 1, r.title), (self.col_remark, 1, r.data["remark"] or "")]
        for w, a in r.starts.items():
            out.append((self.FIRST_WEEK + w, r.dspan.get(w, 1), a["text"] or ""))
        return out

    # ------------------------------------------------------------ edits
    def _cell_op(self, row: int, col: int, text: str):
        r = self._rows[row]
        if r.kind != "row":
            return None
        if col == self.col_remark:
            old = r.data["remark"] or ""
            return UpdateOp("weekly_row", r.key, {"remark": old}, {"remark": text}) if text != old else None
        w = self.week_of_column(col)
        if w is None or w in r.cover:
            return None
        act = r.starts.get(w)
        if act is not None:
            if text == (act["text"] or ""):
                return None
            if not text.strip():
                return DeleteOp("weekly_activity", act["id"])
            return UpdateOp("weekly_activity", act["id"], {"text": act["text"]}, {"text": text})
        if not text.strip():
            return None
        month, week = self.columns[w]
        row_id = r.key
        return InsertOp("weekly_activity",
                        lambda st: planning.add_weekly_activity(st, row_id, month.key, week, text, 1))

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:
        """Write a block at (top, left) over the plan's rows (headings are skipped); one command."""
        if self.year is None or not block:
            return False
        block = [[strip_zwsp(c) for c in r] for r in block]
        rows = [i for i in range(top, len(self._rows)) if self._rows[i].kind == "row"][:len(block)]
        if not rows:
            return False
        text = _("Edit cell") if edit else ngettext("Paste {rows} x {cols} cell", "Paste {rows} x {cols} cells",
                                                    len(block) * len(block[0])).format(rows=len(block), cols=len(block[0]))
        key = self._rows[rows[0]].key
        cmd = self.command(text, focus=(lambda: key, left))
        for row, values in zip(rows, block):
            for j, value in enumerate(values):
                op = self._cell_op(row, left + j, value)
                if op is not None:
                    cmd.add(op)
        return self.run(cmd)

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:
        cmd = self.command(ngettext("Clear {n} cell", "Clear {n} cells", len(cells)).format(n=len(cells)))
        done = set()
        for row, col in cells:
            hit = self.activity_at(row, col)
            if hit is not None:
                col = self.FIRST_WEEK + hit[0]
            if (row, col) in done:
                continue
            done.add((row, col))
            op = self._cell_op(row, col, "")
            if op is not None:
                cmd.add(op)
        return self.run(cmd)

    def change_span(self, row: int, col: int, delta: int) -> bool:
        """Extend (delta +1) or shrink (-1) the activity shown in (row, col) by one week."""
        hit = self.activity_at(row, col)
        if hit is None:
            self.message.emit(_("There is no activity in this cell to extend or shrink."))
            return False
        start, act = hit
        shown = self.display_span(row, start)
        new = shown + delta
        if new < 1:
            self.message.emit(_("An activity spans at least one week."))
            return False
        end = start + new - 1
        if end >= len(self.columns):
            self.message.emit(_("The activity already reaches the last week of the plan."))
            return False
        if delta > 0 and end in self._rows[row].starts:
            self.message.emit(_("The next week already holds another activity."))
            return False
        key = self._rows[row].key
        cmd = self.command(_("Extend activity") if delta > 0 else _("Shrink activity"),
                           focus=(lambda: key, self.FIRST_WEEK + start))
        cmd.add(UpdateOp("weekly_activity", act["id"], {"span": act["span"]}, {"span": new}))
        return self.run(cmd)

    def add_row(self, criterion_id: str | None, after_row: int | None = None, label: str = "") -> bool:
        """A new weekly row for a criterion, after ``after_row`` when it is in the same หมวด, else last in its หมวด."""
        if self.year is None:
            return False
        crit = self.store.get("criterion", criterion_id) if criterion_id else None
        cat_code = None
        if crit is not None:
            cat = self.store.get("category", crit["category_id"])
            cat_code = cat["code"] if cat else None
        group = [i for i, r in enumerate(self._rows) if r.kind == "row" and (r.category_code or None) == cat_code]
        key = None
        if after_row is not None and after_row in group:
            k = group.index(after_row)
            a = self._rows[after_row].data["sort_key"]
            b = self._rows[group[k + 1]].data["sort_key"] if k + 1 < len(group) else None
            key = planning.sort_key_between(a, b)
        elif group:
            key = self._rows[group[-1]].data["sort_key"] + 1.0
        year_id = self.year_id
        op = InsertOp("weekly_row", lambda st: planning.add_weekly_row(st, year_id, criterion_id, label, key))
        cmd = self.command(_("Add weekly row"), focus=(lambda: op.row_id, self.COL_CODE))
        cmd.add(op)
        return self.run(cmd)

    def delete_rows(self, rows: list[int]) -> bool:
        rows = sorted(set(r for r in rows if 0 <= r < len(self._rows) and self._rows[r].kind == "row"))
        if not rows:
            return False
        cmd = self.command(ngettext("Delete {n} weekly row", "Delete {n} weekly rows", len(rows)).format(n=len(rows)))
        for r in rows:
            cmd.add(DeleteOp("weekly_row", self._rows[r].key))
        return self.run(cmd)

    def move_row(self, row: int, delta: int, col: int = COL_CODE) -> bool:
        """Move a row up or down inside its หมวด."""
        if not (0 <= row < len(self._rows)) or self._rows[row].kind != "row":
            return False
        cat = self._rows[row].category_code
        group = [i for i, r in enumerate(self._rows) if r.kind == "row" and r.category_code == cat]
        k = group.index(row)
        t = k + delta
        if not 0 <= t < len(group):
            return False
        keys = [self._rows[i].data["sort_key"] for i in group]
        if delta > 0:
            a, b = keys[t], (keys[t + 1] if t + 1 < len(keys) else None)
        else:
            a, b = (keys[t - 1] if t > 0 else None), keys[t]
        new_key = planning.sort_key_between(a, b)
        rid = self._rows[row].key
        cmd = self.command(_("Move weekly row"), focus=(lambda: rid, col))
        if (a is not None and new_key <= a) or (b is not None and new_key >= b):
            order = [self._rows[i] for i in group]
            order.insert(t, order.pop(k))
            for n, r in enumerate(order):
                if r.data["sort_key"] != float(n + 1):
                    cmd.add(UpdateOp("weekly_row", r.key, {"sort_key": r.data["sort_key"]}, {"sort_key": float(n + 1)}))
        else:
            cmd.add(UpdateOp("weekly_row", rid, {"sort_key": keys[k]}, {"sort_key": new_key}))
        return self.run(cmd)

    SPAN_FIELDS = ("weekly_start", "weekly_months")
    SPAN_OP = WeeklySpanOp

    def span_texts(self) -> tuple[str, str]:
        return _("The weekly plan can span 1 to 36 months."), _("Change the weekly plan's months")


__all__ = ["CalendarModel", "WeeklyPlanModel", "criterion_label", "describe_cell_date",
           "MonthLabelRole", "WeekLabelRole", "MonthGroupRole", "RowKeyRole"]
