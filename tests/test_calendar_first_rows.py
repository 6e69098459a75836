"""A large year's calendar is shown before all its steps are read whole (issue 15): the grid reads
every step's id and place (so its row count and scroll bar are right from the start) and the text,
remark and cells of its first rows, and the other rows' texts and cells just after its first paint,
or earlier when one of them is asked for. Whatever is asked, the grid answers as if it had read
everything at once."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from pmqa_desktop.core.storage import planning
from pmqa_desktop.ui.schedules.grid_models import CalendarModel
from pmqa_desktop.ui.schedules.grid_views import CalendarView

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FIRST = 3   # (the demo year has a few dozen steps: only its first three rows' cells are read first)


@pytest.fixture
def first_rows(monkeypatch):
    monkeypatch.setattr(CalendarModel, "FIRST_CELLS", FIRST, raising=False)


def _all_cells_read(store) -> list[str]:
    """The statements that read all the year's cells or all its steps' texts, as they run (SQLite's trace)."""
    seen: list[str] = []
    store.conn.set_trace_callback(lambda sql: seen.append(sql) if (
        "SELECT c.step_id, c.month, c.text FROM calendar_cell c JOIN" in sql
        or "SELECT id, text, remark FROM calendar_step WHERE year_id" in sql) else None)
    return seen


def _everything(m: CalendarModel) -> list:
    rows = range(m.rowCount())
    return ([[m.cell_text(r, c) for c in range(m.columnCount())] for r in rows]
            + [m.paint_row(r) for r in rows] + [m.row_cells(r) for r in rows]
            + [[m.index(r, c).data(Qt.ItemDataRole.ToolTipRole) for c in range(m.columnCount())] for r in rows])


def test_the_rows_below_the_first_ones_are_read_once_just_after_the_grid_is_painted(
        qtbot, demo_store, year_id, first_rows):
    n = len(planning.calendar_steps(demo_store, year_id))
    reads = _all_cells_read(demo_store)
    stack = QUndoStack()
    view = CalendarView(demo_store, stack)
    qtbot.addWidget(view)
    try:
        view.set_year(year_id)
        assert n > FIRST and view.model.rowCount() == n
        assert reads == []   # shown with its first rows' cells only
        view.resize(1300, 700)
        view.show()
        qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: len(reads) == 2)
        qtbot.wait(50)
        assert len(reads) == 2   # once: the texts and the cells
    finally:
        demo_store.conn.set_trace_callback(None)
        view.model.detach()


def test_every_row_answers_as_when_all_cells_are_read_at_once(demo_store, year_id, qapp, monkeypatch):
    whole = CalendarModel(demo_store, None, year_id)
    expected = _everything(whole)
    whole.detach()
    monkeypatch.setattr(CalendarModel, "FIRST_CELLS", FIRST, raising=False)
    for first_asked in (FIRST + 2, 0, None):   # a later row first, a first row first, read after the paint
        m = CalendarModel(demo_store, None, year_id)
        try:
            if first_asked is None:
                m.read_rest()
            else:
                m.cell_text(first_asked, m.FIRST_MONTH)
            assert _everything(m) == expected
        finally:
            m.detach()


def test_an_edit_in_a_row_not_read_yet_shows_and_undoes(demo_store, year_id, qapp, first_rows):
    stack = QUndoStack()
    m = CalendarModel(demo_store, stack, year_id)
    try:
        row = m.rowCount() - 1
        col = m.FIRST_MONTH + 1
        before = [m.cell_text(r, c) for r in range(m.rowCount()) for c in range(m.columnCount())]
        fresh = CalendarModel(demo_store, None, year_id)   # (nothing of it read beyond its first rows)
        try:
            assert m.setData(m.index(row, col), "15 ธ.ค. 53")
            assert m.cell_text(row, col) == "15 ธ.ค. 53"
            assert fresh.cell_text(row, col) == "15 ธ.ค. 53"
        finally:
            fresh.detach()
        stack.undo()
        assert [m.cell_text(r, c) for r in range(m.rowCount()) for c in range(m.columnCount())] == before
    finally:
        m.detach()


def test_a_change_to_a_row_not_read_yet_stays_when_the_rest_is_read(demo_store, year_id, qapp, first_rows):
    """A step changed elsewhere (another window, a merge) before its row was read: the grid shows
    the new text, before and after the rest of the rows are read."""
    m = CalendarModel(demo_store, None, year_id)
    try:
        row = m.rowCount() - 1
        demo_store.update("calendar_step", m.step_id(row), {"text": "changed elsewhere"})
        assert m.cell_text(row, m.COL_TEXT) == "changed elsewhere"
        m.read_rest()
        assert m.cell_text(row, m.COL_TEXT) == "changed elsewhere"
    finally:
        m.detach()
