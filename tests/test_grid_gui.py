"""The schedule grids driven through real widgets: typing, undo/redo keys, clipboard blocks,
row moves, deletes, weekly spans, month spans, reopening the file, and no ZWSP in the store."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication

from pmqa_desktop.core.storage import Actor, Store, planning
from pmqa_desktop.core.thai_calendar import MonthKey
from pmqa_desktop.core.thai_text import ZWSP, break_opportunities
from pmqa_desktop.ui.common.delegates import HeaderRowRole, display_text, load_word_breaks, word_breaks_ready
from pmqa_desktop.ui.schedules.grid_models import CalendarModel, WeeklyPlanModel
from pmqa_desktop.ui.schedules.grid_views import CalendarView, WeeklyPlanView
from gui_helpers import type_into_cell, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier

# the offscreen platform says this whenever a top-level widget with a layout is shown
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shown(qtbot, view_class, store, year_id):
    """A grid page on its own, over one year, shown (its undo stack kept alive with it)."""
    stack = QUndoStack()
    view = view_class(store, stack)
    view.undo_stack_ref = stack
    qtbot.addWidget(view)
    view.set_year(year_id)
    view.resize(1300, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def cal(qtbot, demo_store, year_id):
    view = _shown(qtbot, CalendarView, demo_store, year_id)
    yield view
    view.model.detach()


@pytest.fixture
def weekly(qtbot, demo_store, year_id):
    view = _shown(qtbot, WeeklyPlanView, demo_store, year_id)
    yield view
    view.model.detach()


def month_col(model: CalendarModel, key: str) -> int:
    return model.FIRST_MONTH + [m.key for m in model.months].index(key)


def go(view, row, col):
    view.table.setCurrentIndex(view.model.index(row, col))
    view.table.setFocus()


def steps(store, year_id):
    return planning.calendar_steps(store, year_id)


# ---------------------------------------------------------------- calendar

def test_headers_are_thai_buddhist_era(cal):
    m = cal.model
    labels = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.FIRST_MONTH, m.col_remark)]
    assert len(labels) == 14
    assert labels[0] == "ต.ค.53" and labels[-1] == "พ.ย.54"
    assert "ม.ค.54" in labels


def test_type_in_cell_then_undo_and_redo_with_keys(qtbot, cal, demo_store, year_id):
    col = month_col(cal.model, "2011-01")
    go(cal, 1, col)
    sid = cal.model.step_id(1)
    type_into_cell(qtbot, cal.table, "15 ม.ค. 54")
    assert planning.calendar_cell_text(demo_store, sid, "2011-01") == "15 ม.ค. 54"
    assert cal.model.index(1, col).data(Qt.ItemDataRole.EditRole) == "15 ม.ค. 54"
    assert cal.table.currentIndex().row() == 2  # Enter moved down
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    assert planning.calendar_cell_text(demo_store, sid, "2011-01") == ""
    assert cal.model.index(1, col).data(Qt.ItemDataRole.EditRole) == ""
    qtbot.keyClick(cal.table, Qt.Key.Key_Y, CTRL)
    assert planning.calendar_cell_text(demo_store, sid, "2011-01") == "15 ม.ค. 54"


def test_typing_replaces_and_f2_edits(qtbot, cal, demo_store):
    go(cal, 0, CalendarModel.COL_TEXT)
    old = cal.model.cell_text(0, CalendarModel.COL_TEXT)
    qtbot.keyClick(cal.table, Qt.Key.Key_F2)
    editor = cal.table.current_editor()
    assert editor.toPlainText() == old  # F2 keeps the text
    type_text(editor, " (ทบทวน)")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert cal.table.currentIndex().column() == CalendarModel.COL_TEXT + 1  # Tab moved right
    assert demo_store.get("calendar_step", cal.model.step_id(0))["text"] == old + " (ทบทวน)"


def test_paste_block_from_excel_is_one_undo_and_grows_rows(qtbot, cal, demo_store, year_id):
    before = steps(demo_store, year_id)
    n = len(before)
    col = month_col(cal.model, "2010-10")
    go(cal, n - 1, CalendarModel.COL_TEXT)
    # Excel form: a quoted cell with a newline and a doubled quote, trailing newline
    QGuiApplication.clipboard().setText('ขั้นตอนแรก\t"1 ต.ค. 53\nและ ""ประชุม"""\nขั้นตอนใหม่\t2 ต.ค. 53\n')
    qtbot.keyClick(cal.table, Qt.Key.Key_V, CTRL)
    after = steps(demo_store, year_id)
    assert len(after) == n + 1
    assert after[n - 1]["text"] == "ขั้นตอนแรก"
    assert after[n - 1]["cells"]["2010-10"]["text"] == '1 ต.ค. 53\nและ "ประชุม"'
    assert after[n]["text"] == "ขั้นตอนใหม่" and after[n]["cells"]["2010-10"]["text"] == "2 ต.ค. 53"
    assert cal.model.rowCount() == n + 1
    assert cal.model.index(n, col).data(Qt.ItemDataRole.EditRole) == "2 ต.ค. 53"
    new_id = after[n]["id"]
    cal.undo_stack_ref.undo()  # the whole block in one step
    again = steps(demo_store, year_id)
    assert [s["id"] for s in again] == [s["id"] for s in before]
    assert again[n - 1]["text"] == before[n - 1]["text"] and "2010-10" not in again[n - 1]["cells"]
    cal.undo_stack_ref.redo()
    redone = steps(demo_store, year_id)
    assert redone[n]["id"] == new_id and redone[n]["cells"]["2010-10"]["text"] == "2 ต.ค. 53"


def test_copy_block_to_clipboard_as_tsv(qtbot, cal, demo_store, year_id):
    rows = steps(demo_store, year_id)
    col = month_col(cal.model, "2011-03")
    sel = cal.table.selectionModel()
    go(cal, 0, CalendarModel.COL_TEXT)
    sel.select(cal.model.index(0, CalendarModel.COL_TEXT), sel.SelectionFlag.ClearAndSelect)
    for r in (0, 1):
        for c in range(CalendarModel.COL_TEXT, col + 1):
            sel.select(cal.model.index(r, c), sel.SelectionFlag.Select)
    qtbot.keyClick(cal.table, Qt.Key.Key_C, CTRL)
    text = QApplication.clipboard().text()
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 3
    for r, line in enumerate(lines[:2]):
        cells = line.split("\t")
        assert cells[0] == rows[r]["text"]
        assert len(cells) == col - CalendarModel.COL_TEXT + 1
        assert cells[-1] == rows[r]["cells"]["2011-03"]["text"]
    assert ZWSP not in text


def test_alt_down_moves_step_and_undo(qtbot, cal, demo_store, year_id):
    ids = [s["id"] for s in steps(demo_store, year_id)]
    go(cal, 0, CalendarModel.COL_TEXT)
    qtbot.keyClick(cal.table, Qt.Key.Key_Down, ALT)
    moved = [s["id"] for s in steps(demo_store, year_id)]
    assert moved == [ids[1], ids[0]] + ids[2:]
    assert cal.table.currentIndex().row() == 1  # the selection follows the step
    assert cal.model.step_id(1) == ids[0]
    assert cal.model.index(0, CalendarModel.COL_NO).data(Qt.ItemDataRole.EditRole) == "1"
    qtbot.keyClick(cal.table, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(cal.table, Qt.Key.Key_Up, ALT)  # already at the top: nothing happens
    assert [s["id"] for s in steps(demo_store, year_id)] == ids
    cal.undo_stack_ref.undo()
    assert [s["id"] for s in steps(demo_store, year_id)] == moved
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    assert [s["id"] for s in steps(demo_store, year_id)] == ids
    assert [cal.model.step_id(r) for r in range(cal.model.rowCount())] == ids


def test_delete_steps_and_undo_restores_same_rows(qtbot, cal, demo_store, year_id):
    before = steps(demo_store, year_id)
    sel = cal.table.selectionModel()
    go(cal, 2, 1)
    sel.select(cal.model.index(2, 1), sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
    sel.select(cal.model.index(3, 1), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    cal.act_delete.trigger()
    after = steps(demo_store, year_id)
    assert [s["id"] for s in after] == [s["id"] for i, s in enumerate(before) if i not in (2, 3)]
    assert demo_store.get("calendar_step", before[2]["id"], include_deleted=True)["deleted"] == 1
    assert cal.model.rowCount() == len(before) - 2
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    back = steps(demo_store, year_id)
    assert [(s["id"], s["text"], {m: c["text"] for m, c in s["cells"].items()}) for s in back] == \
           [(s["id"], s["text"], {m: c["text"] for m, c in s["cells"].items()}) for s in before]
    assert cal.model.rowCount() == len(before)


def test_delete_key_clears_selection_as_one_command(qtbot, cal, demo_store, year_id):
    rows = steps(demo_store, year_id)
    filled = [(r, m) for r, s in enumerate(rows) for m in s["cells"]][:3]
    assert len(filled) == 3
    sel = cal.table.selectionModel()
    sel.clearSelection()
    for r, m in filled:
        sel.select(cal.model.index(r, month_col(cal.model, m)), sel.SelectionFlag.Select)
    cal.table.setFocus()
    qtbot.keyClick(cal.table, Qt.Key.Key_Delete)
    for r, m in filled:
        assert planning.calendar_cell_text(demo_store, rows[r]["id"], m) == ""
    assert cal.undo_stack_ref.count() == 1
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    for r, m in filled:
        assert planning.calendar_cell_text(demo_store, rows[r]["id"], m) == rows[r]["cells"][m]["text"]


def test_insert_step_above_and_below(qtbot, cal, demo_store, year_id):
    ids = [s["id"] for s in steps(demo_store, year_id)]
    go(cal, 3, 1)
    cal.act_insert_above.trigger()
    now = [s["id"] for s in steps(demo_store, year_id)]
    assert len(now) == len(ids) + 1 and now[:3] == ids[:3] and now[4:] == ids[3:]
    assert cal.table.currentIndex().row() == 3
    type_into_cell(qtbot, cal.table, "ขั้นตอนที่แทรก")
    assert steps(demo_store, year_id)[3]["text"] == "ขั้นตอนที่แทรก"
    go(cal, len(now) - 1, 1)
    cal.act_insert_below.trigger()
    assert len(steps(demo_store, year_id)) == len(ids) + 2
    assert cal.table.currentIndex().row() == len(ids) + 1
    for _ in range(3):
        cal.undo_stack_ref.undo()
    assert [s["id"] for s in steps(demo_store, year_id)] == ids


def test_month_span_change_is_undoable(qtbot, cal, demo_store, year_id):
    assert cal.model.columnCount() == 2 + 14 + 1
    cal.span_months.setValue(12)
    assert demo_store.get("fiscal_year", year_id)["calendar_months"] == 12
    assert cal.model.columnCount() == 2 + 12 + 1
    assert cal.model.headerData(cal.model.col_remark - 1, Qt.Orientation.Horizontal) == "ก.ย.54"
    cal.span_start.setCurrentIndex(cal.span_start.findData(MonthKey(2010, 9).key))
    assert demo_store.get("fiscal_year", year_id)["calendar_start"] == "2010-09"
    assert cal.model.headerData(2, Qt.Orientation.Horizontal) == "ก.ย.53"
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)
    y = demo_store.get("fiscal_year", year_id)
    assert (y["calendar_start"], y["calendar_months"]) == ("2010-10", 14)
    assert cal.span_months.value() == 14 and cal.span_start.currentData() == "2010-10"


def test_keyboard_navigation_home_end(qtbot, cal):
    go(cal, 3, 4)
    qtbot.keyClick(cal.table, Qt.Key.Key_Home, CTRL)
    assert (cal.table.currentIndex().row(), cal.table.currentIndex().column()) == (0, 0)
    qtbot.keyClick(cal.table, Qt.Key.Key_End, CTRL)
    assert cal.table.currentIndex().row() == cal.model.rowCount() - 1
    assert cal.table.currentIndex().column() == cal.model.columnCount() - 1
    qtbot.keyClick(cal.table, Qt.Key.Key_Home)
    assert cal.table.currentIndex().column() == 0
    qtbot.keyClick(cal.table, Qt.Key.Key_Right)
    qtbot.keyClick(cal.table, Qt.Key.Key_Up)
    assert (cal.table.currentIndex().row(), cal.table.currentIndex().column()) == (cal.model.rowCount() - 2, 1)


FOLLOWING = "ะัาำิีึืฺุู็่้๊๋์ํ"  # vowels and marks that belong to the character before them
LEADING = "เแโใไ"                  # vowels written before their consonant


def test_rows_fit_wrapped_thai_text(qtbot, cal):
    load_word_breaks()
    qtbot.waitUntil(word_breaks_ready, timeout=60000)
    qtbot.wait(1)  # the 'ready' signal is delivered through the event loop
    t = cal.table
    long_row = max(range(cal.model.rowCount()), key=lambda r: len(cal.model.cell_text(r, 1)))
    short_row = min(range(cal.model.rowCount()), key=lambda r: len(cal.model.cell_text(r, 1)))
    t.scrollTo(cal.model.index(long_row, 1))
    t.fit_visible_rows()
    assert t.rowHeight(long_row) > 2 * t.rowHeight(short_row)
    text = cal.model.cell_text(long_row, 1)
    shown = display_text(text)
    assert ZWSP in shown and shown.replace(ZWSP, "") == text
    assert cal.model.index(long_row, 1).data() == shown  # what Qt lays out carries the word breaks
    # every line of the wrapped text starts at a word boundary: one of ours, or (on Linux, where
    # Qt also asks libthai) at least never inside a character cluster
    layout, _h = t.cell_delegate.layouts.layout(text, t.columnWidth(1) - 8, t.font(), Qt.AlignmentFlag.AlignLeft)
    starts = [layout.lineAt(i).textStart() for i in range(1, layout.lineCount())]
    assert len(starts) >= 2
    bounds = set(break_opportunities(text))
    for st in starts:
        raw = len(shown[:st].replace(ZWSP, ""))
        assert raw in bounds or (text[raw] not in FOLLOWING and text[raw - 1] not in LEADING), (text[:raw], text[raw:])


def test_edits_survive_reopening_the_file(qtbot, cal, demo_store, year_id, demo_db):
    col = month_col(cal.model, "2011-05")
    go(cal, 0, col)
    type_into_cell(qtbot, cal.table, "ทุกวันพุธ")
    go(cal, 0, CalendarModel.COL_TEXT)
    qtbot.keyClick(cal.table, Qt.Key.Key_Down, ALT)
    ids = [s["id"] for s in steps(demo_store, year_id)]
    other = Store.open(demo_db, Actor(office="other", clerk="x"))
    try:
        again = planning.calendar_steps(other, year_id)
        assert [s["id"] for s in again] == ids
        assert again[1]["cells"]["2011-05"]["text"] == "ทุกวันพุธ"
    finally:
        other.close()


def test_zwsp_never_reaches_the_store(qtbot, cal, demo_store, year_id):
    go(cal, 0, CalendarModel.COL_TEXT)
    QGuiApplication.clipboard().setText("ประชุม\u200bชี้แจง\tหมายเหตุ\u200bหนึ่ง")
    qtbot.keyClick(cal.table, Qt.Key.Key_V, CTRL)
    go(cal, 1, CalendarModel.COL_TEXT)
    qtbot.keyClick(cal.table, Qt.Key.Key_F2)
    editor = cal.table.current_editor()
    assert ZWSP not in editor.toPlainText()
    editor.insertPlainText("\u200bเพิ่ม")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert steps(demo_store, year_id)[0]["text"] == "ประชุมชี้แจง"
    bad = demo_store.query(
        "SELECT (SELECT count(*) FROM calendar_step WHERE instr(text, ?) OR instr(remark, ?)) + "
        "(SELECT count(*) FROM calendar_cell WHERE instr(text, ?)) + "
        "(SELECT count(*) FROM weekly_activity WHERE instr(text, ?)) AS n", [ZWSP] * 4)[0]["n"]
    assert bad == 0
    assert steps(demo_store, year_id)[1]["text"].endswith("เพิ่ม")


def test_read_only_file_refuses_edits(qtbot, demo_db, year_id, demo_store):
    ro = Store.open(demo_db, read_only=True)
    stack = QUndoStack()
    view = CalendarView(ro, stack)
    qtbot.addWidget(view)
    view.set_year(year_id)
    view.show()
    go(view, 0, month_col(view.model, "2011-01"))
    qtbot.keyClicks(view.table, "x")
    assert view.table.current_editor() is None
    view.insert_step()
    assert not view.status.isHidden() and stack.count() == 0
    view.model.detach()
    ro.close()


# ---------------------------------------------------------------- weekly plan

def data_row(view, code):
    for r in range(view.model.rowCount()):
        if view.model.cell_text(r, 0).replace(" ", "").startswith(code):
            return r
    raise AssertionError(code)


def week_col(model: WeeklyPlanModel, month: str, week: int) -> int:
    return model.FIRST_WEEK + [(m.key, w) for m, w in model.columns].index((month, week))


def test_weekly_headers_and_groups(weekly, demo_store, year_id):
    m = weekly.model
    assert m.headerData(1, Qt.Orientation.Horizontal) == "เม.ย.54 W1"
    assert m.headerData(8, Qt.Orientation.Horizontal) == "พ.ค. W4"
    heads = [r for r in range(m.rowCount()) if m.is_heading(r)]
    assert weekly.table.columnSpan(heads[0], 0) == m.columnCount()
    assert m.cell_text(heads[0] + 1, 0).startswith("LD 1 ")
    assert m.cell_text(data_row(weekly, "LD2"), 0) == "LD 2 การมอบอำนาจ"


def test_weekly_span_shown_extended_and_undone(qtbot, weekly, demo_store):
    m = weekly.model
    r = data_row(weekly, "LD2")
    row_id = m.row_key(r)
    aid = planning.add_weekly_activity(demo_store, row_id, "2011-08", 1, "จัดประชุมติดตามผล", 3)
    col = week_col(m, "2011-08", 1)
    assert weekly.table.columnSpan(r, col) == 3
    assert m.cell_text(r, col) == "จัดประชุมติดตามผล"
    go(weekly, r, col)
    qtbot.keyClick(weekly.table, Qt.Key.Key_Right, CTRL | SHIFT)
    assert demo_store.get("weekly_activity", aid)["span"] == 4
    assert weekly.table.columnSpan(r, col) == 4
    qtbot.keyClick(weekly.table, Qt.Key.Key_Right, CTRL | SHIFT)  # the next week holds an activity? no: Sep W1 free
    assert demo_store.get("weekly_activity", aid)["span"] == 5
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert demo_store.get("weekly_activity", aid)["span"] == 3
    assert weekly.table.columnSpan(r, col) == 3
    weekly.act_shrink.trigger()
    assert demo_store.get("weekly_activity", aid)["span"] == 2 and weekly.table.columnSpan(r, col) == 2


def test_weekly_extend_refuses_to_swallow_the_next_activity(qtbot, weekly, demo_store):
    m = weekly.model
    r = data_row(weekly, "LD4")
    col = week_col(m, "2011-05", 1)   # LD4 has activities in May W1, W2, W3
    go(weekly, r, col)
    qtbot.keyClick(weekly.table, Qt.Key.Key_Right, CTRL | SHIFT)
    assert weekly.table.columnSpan(r, col) == 1
    assert not weekly.status.isHidden()
    assert weekly.undo_stack_ref.count() == 0


def test_weekly_typing_creates_and_clearing_tombstones(qtbot, weekly, demo_store):
    m = weekly.model
    r = data_row(weekly, "LD2")
    row_id = m.row_key(r)
    col = week_col(m, "2011-08", 2)
    assert m.cell_text(r, col) == ""
    go(weekly, r, col)
    type_into_cell(qtbot, weekly.table, "ทบทวนแผน")
    acts = [a for a in planning.weekly_rows(demo_store, m.year_id) if a["id"] == row_id][0]["activities"]
    new = [a for a in acts if (a["month"], a["week"]) == ("2011-08", 2)]
    assert len(new) == 1 and new[0]["text"] == "ทบทวนแผน" and new[0]["span"] == 1
    go(weekly, r, col)
    qtbot.keyClick(weekly.table, Qt.Key.Key_Delete)
    row = demo_store.get("weekly_activity", new[0]["id"], include_deleted=True)
    assert row["deleted"] == 1
    assert m.cell_text(r, col) == ""
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert demo_store.get("weekly_activity", new[0]["id"])["text"] == "ทบทวนแผน"
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert demo_store.get("weekly_activity", new[0]["id"]) is None
    qtbot.keyClick(weekly.table, Qt.Key.Key_Y, CTRL)
    assert demo_store.get("weekly_activity", new[0]["id"])["text"] == "ทบทวนแผน"  # the same row again


def test_weekly_show_criterion_and_move_rows(qtbot, weekly, demo_store):
    m = weekly.model
    crit = planning.criteria_by_code(demo_store)["IT3"]
    assert weekly.show_criterion(crit["id"])
    r = weekly.table.currentIndex().row()
    assert m.cell_text(r, 0).startswith("IT 3 ")
    assert weekly.table.selectionModel().isRowSelected(r)
    above = m.cell_text(r - 1, 0)
    qtbot.keyClick(weekly.table, Qt.Key.Key_Up, ALT)
    assert m.cell_text(r - 1, 0).startswith("IT 3 ") and m.cell_text(r, 0) == above
    assert weekly.table.currentIndex().row() == r - 1
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert m.cell_text(r, 0).startswith("IT 3 ")


def test_weekly_add_and_delete_rows(qtbot, weekly, demo_store):
    m = weekly.model
    crit = planning.criteria_by_code(demo_store)["LD3"]
    n_rows = len(planning.weekly_rows(demo_store, m.year_id))
    go(weekly, data_row(weekly, "LD1"), 0)
    weekly.choose_criterion = lambda: crit["id"]
    weekly.act_add.trigger()
    rows = planning.weekly_rows(demo_store, m.year_id)
    assert len(rows) == n_rows + 1
    assert [r["criterion_code"] for r in rows[:3]] == ["LD1", "LD3", "LD2"]
    r = weekly.table.currentIndex().row()
    assert m.cell_text(r, 0).startswith("LD 3 ") and m.cell_text(r - 1, 0).startswith("LD 1 ")
    sel = weekly.table.selectionModel()
    sel.select(m.index(r, 0), sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
    weekly.act_delete.trigger()
    assert len(planning.weekly_rows(demo_store, m.year_id)) == n_rows
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert len(planning.weekly_rows(demo_store, m.year_id)) == n_rows + 1


def test_weekly_paste_and_copy_block(qtbot, weekly, demo_store):
    m = weekly.model
    r = data_row(weekly, "CS1")
    col = week_col(m, "2011-09", 1)
    go(weekly, r, col)
    QGuiApplication.clipboard().setText("ก\tข\nค\t\n")
    qtbot.keyClick(weekly.table, Qt.Key.Key_V, CTRL)
    assert (m.cell_text(r, col), m.cell_text(r, col + 1)) == ("ก", "ข")
    assert m.cell_text(r + 1, col) == "ค"
    sel = weekly.table.selectionModel()
    sel.select(m.index(r, col), sel.SelectionFlag.ClearAndSelect)
    for idx in (m.index(r, col + 1), m.index(r + 1, col), m.index(r + 1, col + 1)):
        sel.select(idx, sel.SelectionFlag.Select)
    qtbot.keyClick(weekly.table, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "ก\tข\nค\t\n"
    qtbot.keyClick(weekly.table, Qt.Key.Key_Z, CTRL)
    assert (m.cell_text(r, col), m.cell_text(r, col + 1), m.cell_text(r + 1, col)) == ("", "", "")


# ---------------------------------------------------------------- inside the main window

def test_grids_in_the_main_window_share_its_undo_stack(qtbot, window):
    w = window
    store = w.store
    org = planning.find_organisation(store, "จังหวัดราชบุรี")
    yid = planning.find_year(store, org["id"], 2554)["id"]
    w.select_key(("calendar", yid))
    cal = w.calendar_view
    assert isinstance(cal, CalendarView) and cal.model.year_id == yid
    col = month_col(cal.model, "2011-07")
    go(cal, 2, col)
    type_into_cell(qtbot, cal.table, "1 ก.ค. 54")
    sid = cal.model.step_id(2)
    assert planning.calendar_cell_text(store, sid, "2011-07") == "1 ก.ค. 54"
    assert w.undo_stack.count() == 1
    qtbot.keyClick(cal.table, Qt.Key.Key_Z, CTRL)  # the window's Undo action or the grid: never both
    assert planning.calendar_cell_text(store, sid, "2011-07") == ""
    crit = planning.criteria_by_code(store)["IT3"]
    w.weekly_view.set_year(yid)
    assert w.weekly_view.show_criterion(crit["id"])


# ---------------------------------------------------------------- what the grids paint
# The grids paint their cells themselves (GridTableView.paintEvent); these look at the pixels.

def _shot(view):
    return view.table.viewport().grab().toImage()


def _colours(img, rect):
    """The set of RGB colours inside ``rect`` of ``img`` (the part within the picture)."""
    rect = rect.intersected(img.rect())
    out = set()
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            out.add(img.pixelColor(x, y).rgb() & 0xFFFFFF)
    return out


def _dark(colours, limit=110):
    return [c for c in colours if max((c >> 16) & 255, (c >> 8) & 255, c & 255) < limit]


def _ready(qtbot):
    load_word_breaks()
    qtbot.waitUntil(word_breaks_ready, timeout=60000)
    qtbot.wait(1)


def test_calendar_paints_text_selection_grid_and_clips(qtbot, cal, demo_store, year_id):
    _ready(qtbot)
    t, m = cal.table, cal.model
    pal = t.palette()
    base = pal.color(pal.ColorGroup.Active, pal.ColorRole.Base).rgb() & 0xFFFFFF
    col = month_col(m, "2011-03")
    row = next(r for r in range(m.rowCount()) if m.cell_text(r, col) and not m.cell_text(r, col + 1))
    t.scrollTo(m.index(row, col))
    t.fit_visible_rows()
    img = _shot(cal)
    filled, empty = t.visualRect(m.index(row, col)), t.visualRect(m.index(row, col + 1))
    assert _dark(_colours(img, filled)), "the date in the cell is drawn"
    assert _colours(img, empty) == {base}, "an empty cell is left blank"
    grid = img.pixelColor(filled.right() + 1, filled.center().y()).rgb() & 0xFFFFFF
    assert grid != base and img.pixelColor(filled.center().x(), filled.bottom() + 1).rgb() & 0xFFFFFF == grid

    # a selected empty cell is filled with the selection colour; the cursor cell gets a frame
    t.setFocus()
    t.setCurrentIndex(m.index(row, col + 1))
    img = _shot(cal)
    highlight = pal.color(pal.ColorGroup.Active, pal.ColorRole.Highlight).rgb() & 0xFFFFFF
    inner = empty.adjusted(3, 3, -3, -3)
    assert _colours(img, inner) == {highlight}
    assert highlight not in _colours(img, filled)

    # a word wider than its cell stays inside it (the next cell keeps its background)
    m.set_block(row, col + 1, [["X" * 120]])
    t.setCurrentIndex(m.index(row, 1))
    t.fit_visible_rows()
    img = _shot(cal)
    wide, after = t.visualRect(m.index(row, col + 1)), t.visualRect(m.index(row, col + 2))
    assert _dark(_colours(img, wide))
    assert _colours(img, after) == {base}


def test_cell_pictures_match_direct_drawing(qtbot, cal):
    """Texts are drawn straight the first two times and from cached pictures after: the same pixels."""
    _ready(qtbot)
    layouts = cal.table.cell_delegate.layouts
    layouts.clear()
    first, second = _shot(cal), _shot(cal)
    t, m = cal.table, cal.model
    shown = [m.cell_text(r, c) for r in range(m.rowCount()) for c in range(m.columnCount())
             if t.visualRect(m.index(r, c)).intersects(t.viewport().rect())]
    pictured = {key[0] for key in layouts._pixmaps}
    # a page painted twice makes pictures only of the texts it shows in several cells
    assert all(shown.count(text) >= 2 for text in pictured), pictured
    assert first == second
    third, fourth = _shot(cal), _shot(cal)
    assert len(layouts._pixmaps) > len(pictured), "the third paint made pictures"
    assert third == fourth
    # blending onto a transparent picture may round a pixel's channel by one
    diffs = [abs(x - y) for x, y in zip(bytes(first.constBits()), bytes(third.constBits())) if x != y]
    assert len(diffs) < 50 and max(diffs, default=0) <= 2, (len(diffs), max(diffs))


def test_weekly_paints_headings_and_spans_as_one_cell(qtbot, weekly, demo_store):
    _ready(qtbot)
    t, m = weekly.table, weekly.model
    heading = next(r for r in range(m.rowCount()) if m.data(m.index(r, 0), HeaderRowRole))
    t.setCurrentIndex(m.index(heading + 1, 3))  # the cursor elsewhere
    img = _shot(weekly)

    rect = t.visualRect(m.index(heading, 0))
    assert rect.width() > t.viewport().width() - 20, "the heading spans the row"
    band = _colours(img, rect.adjusted(0, rect.height() - 3, 0, -1))  # under the title: only its colour
    assert band == {QColor(222, 232, 245).rgb() & 0xFFFFFF}
    assert _dark(_colours(img, rect)), "the title is drawn"

    r = data_row(weekly, "LD2")
    planning.add_weekly_activity(demo_store, m.row_key(r), "2011-08", 1, "จัดประชุมติดตามผล", 3)
    col = week_col(m, "2011-08", 1)
    t.scrollTo(m.index(r, col))
    t.fit_visible_rows()
    img = _shot(weekly)
    span = t.visualRect(m.index(r, col))
    assert span.width() >= 3 * t.columnWidth(col) - 3
    bottom = _colours(img, span.adjusted(1, span.height() - 3, -1, -1))
    assert bottom == {QColor(255, 244, 214).rgb() & 0xFFFFFF}, "no grid lines inside the three weeks"
    assert _dark(_colours(img, span))


def test_a_grid_over_a_closed_file_ignores_late_word_breaks(qtbot, demo_db, year_id):
    """The Thai dictionary may arrive after a window let its file go: its grids stay quiet
    (a plan page listening to them would otherwise read the closed file)."""
    store = Store.open(demo_db, Actor("test-office", "tester"))
    model = CalendarModel(store, QUndoStack(), year_id)
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        model.refresh_display()
    store.close()
    with qtbot.assertNotEmitted(model.dataChanged):
        model.refresh_display()
