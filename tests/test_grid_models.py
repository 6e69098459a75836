"""The grid models against the demo data and the seed, their incremental refresh, the undo
commands they push, and the Excel/Word clipboard format."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from pmqa_desktop.core.importers import schedule_import
from pmqa_desktop.core.demo import read_seed
from pmqa_desktop.core.storage import Actor, Store, planning
from pmqa_desktop.core.thai_calendar import MonthKey
from pmqa_desktop.i18n import _
from pmqa_desktop.resources import SEED_CALENDAR_WEEKLY
from pmqa_desktop.ui.common.clipboard import parse_tsv, to_html, to_tsv
from pmqa_desktop.ui.schedules.grid_models import CalendarModel, WeeklyPlanModel, criterion_label, describe_cell_date


@pytest.fixture
def seed() -> str:
    return read_seed(SEED_CALENDAR_WEEKLY)


@pytest.fixture
def stack(qapp):
    return QUndoStack()


@pytest.fixture
def cal(demo_store, year_id, stack):
    m = CalendarModel(demo_store, stack, year_id)
    yield m
    m.detach()


@pytest.fixture
def weekly(demo_store, year_id, stack):
    m = WeeklyPlanModel(demo_store, stack, year_id)
    yield m
    m.detach()


# ---------------------------------------------------------------- calendar model

def test_calendar_model_matches_the_seed(cal, seed):
    parsed = schedule_import.parse_calendar(seed)
    assert cal.rowCount() == len(parsed.steps)
    months = parsed.months
    assert cal.columnCount() == 2 + len(months) + 1
    assert [cal.month_of_column(c) for c in range(cal.FIRST_MONTH, cal.col_remark)] == months
    for r, step in enumerate(parsed.steps):
        assert cal.index(r, CalendarModel.COL_NO).data(Qt.ItemDataRole.EditRole) == str(r + 1)
        assert cal.index(r, CalendarModel.COL_TEXT).data(Qt.ItemDataRole.EditRole) == step.text
        assert cal.index(r, cal.col_remark).data(Qt.ItemDataRole.EditRole) == step.remark
        for c in range(cal.FIRST_MONTH, cal.col_remark):
            assert cal.index(r, c).data(Qt.ItemDataRole.EditRole) == step.cells.get(cal.month_of_column(c).key, "")


def test_calendar_flags_and_tooltips(cal):
    assert not cal.flags(cal.index(0, CalendarModel.COL_NO)) & Qt.ItemFlag.ItemIsEditable
    assert cal.flags(cal.index(0, CalendarModel.COL_TEXT)) & Qt.ItemFlag.ItemIsEditable
    row, col = next((r, c) for r in range(cal.rowCount()) for c in range(cal.FIRST_MONTH, cal.col_remark)
                    if cal.index(r, c).data(Qt.ItemDataRole.EditRole) == "9 - 10 มิ.ย. 54")
    tip = cal.index(row, col).data(Qt.ItemDataRole.ToolTipRole)
    assert "9 มิถุนายน 2554 - 10 มิถุนายน 2554" in tip
    assert cal.index(row, CalendarModel.COL_TEXT).data(Qt.ItemDataRole.ToolTipRole) is None


def test_describe_cell_date_forms():
    june = MonthKey(2011, 6)
    assert "9 มิถุนายน 2554" in describe_cell_date("9 - 10 มิ.ย. 54", june, 2554)
    assert describe_cell_date("9 มี.ย. 54", june, 2554).endswith(_(" (month name corrected)"))
    assert describe_cell_date("ทุกวันพุธ", june, 2554).endswith("(ทุกวันพุธ)")
    assert describe_cell_date("", june, 2554) is None
    assert describe_cell_date("ตามความเหมาะสม", june, 2554) == _("Free text (not read as a date)")


def test_calendar_follows_changes_made_elsewhere(cal, demo_store, year_id):
    steps = planning.calendar_steps(demo_store, year_id)
    key = planning.sort_key_between(steps[0]["sort_key"], steps[1]["sort_key"])
    inserted = []
    cal.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    sid = planning.add_calendar_step(demo_store, year_id, "ขั้นตอนจากที่อื่น", "", key, {"2011-01": "5 ม.ค. 54"})
    assert inserted == [(1, 1)]
    assert cal.step_id(1) == sid
    assert cal.index(1, cal.FIRST_MONTH + 3).data(Qt.ItemDataRole.EditRole) == "5 ม.ค. 54"
    assert cal.index(2, CalendarModel.COL_NO).data(Qt.ItemDataRole.EditRole) == "3"
    planning.set_calendar_cell(demo_store, steps[0]["id"], "2011-01", "7 ม.ค. 54")
    assert cal.index(0, cal.FIRST_MONTH + 3).data(Qt.ItemDataRole.EditRole) == "7 ม.ค. 54"
    demo_store.delete("calendar_step", sid)
    assert cal.rowCount() == len(steps) and cal.step_id(1) == steps[1]["id"]
    planning.set_calendar_span(demo_store, year_id, MonthKey(2010, 10), 12)
    assert cal.columnCount() == 2 + 12 + 1


def test_calendar_commands_undo_and_redo_exactly(cal, demo_store, year_id, stack):
    before = planning.calendar_steps(demo_store, year_id)
    assert cal.set_block(0, CalendarModel.COL_TEXT, [["ก", "x"], ["ข", ""]])
    assert stack.count() == 1
    assert cal.delete_steps([0, 2])
    assert cal.move_step(0, 1)
    assert cal.insert_step(0)
    assert stack.count() == 4
    after = [(s["id"], s["text"], s["sort_key"]) for s in planning.calendar_steps(demo_store, year_id)]
    while stack.canUndo():
        stack.undo()
    snap = lambda: [(s["id"], s["text"], s["remark"], s["sort_key"], {m: c["text"] for m, c in s["cells"].items()})
                    for s in planning.calendar_steps(demo_store, year_id)]
    assert snap() == [(s["id"], s["text"], s["remark"], s["sort_key"], {m: c["text"] for m, c in s["cells"].items()})
                      for s in before]
    while stack.canRedo():
        stack.redo()
    assert [(s["id"], s["text"], s["sort_key"]) for s in planning.calendar_steps(demo_store, year_id)] == after
    assert [cal.step_id(r) for r in range(cal.rowCount())] == [a[0] for a in after]


def test_moves_renumber_when_sort_keys_collide(cal, demo_store, year_id):
    steps = planning.calendar_steps(demo_store, year_id)
    with demo_store.transaction():
        for s in steps[:3]:
            demo_store.update("calendar_step", s["id"], {"sort_key": 5.0})
    ids = [cal.step_id(r) for r in range(3)]
    assert cal.move_step(0, 1)
    assert [cal.step_id(r) for r in range(3)] == [ids[1], ids[0], ids[2]]
    assert [s["id"] for s in planning.calendar_steps(demo_store, year_id)][:3] == [ids[1], ids[0], ids[2]]


def test_refused_edit_is_a_message_not_a_traceback(cal, stack):
    messages = []
    cal.message.connect(messages.append)
    assert not cal.set_month_span(MonthKey(2010, 10), 40)
    assert messages and stack.count() == 0


# ---------------------------------------------------------------- weekly model

def test_weekly_model_matches_the_seed(weekly, seed, demo_store):
    parsed = schedule_import.parse_weekly(seed)
    cats = {r.code: planning.criteria_by_code(demo_store)[r.code]["category_id"] for r in parsed.rows}
    n_groups = len(set(cats.values()))
    assert weekly.rowCount() == len(parsed.rows) + n_groups
    assert weekly.columnCount() == 1 + 4 * len(parsed.months) + 1
    data_rows = [r for r in range(weekly.rowCount()) if not weekly.is_heading(r)]
    assert [weekly.cell_text(r, 0).split(" ")[0] + weekly.cell_text(r, 0).split(" ")[1] for r in data_rows] == \
        [row.code for row in parsed.rows]
    # every activity of the seed is in its week column
    for r, row in zip(data_rows, parsed.rows):
        shown = {(weekly.columns[c - 1][0].key, weekly.columns[c - 1][1]): weekly.cell_text(r, c)
                 for c in range(weekly.FIRST_WEEK, weekly.col_remark) if weekly.cell_text(r, c)}
        assert shown == {(a.month, a.week): a.text for a in row.activities}


def test_weekly_spans_are_clipped_at_the_next_activity(weekly, demo_store):
    r = next(r for r in range(weekly.rowCount()) if weekly.cell_text(r, 0).startswith("LD 4"))
    row_id = weekly.row_key(r)
    spans_before = set(weekly.spans())
    # LD4 has activities in May W1, W2, W3: a 3-week activity in April W3 is shown up to April W4
    planning.add_weekly_activity(demo_store, row_id, "2011-04", 3, "เตรียมการ", 3)
    col = weekly.FIRST_WEEK + 2
    assert weekly.cell_text(r, col) == "เตรียมการ"
    assert weekly.display_span(r, 2) == 2
    assert set(weekly.spans()) - spans_before == {(r, col, 1, 2)}
    assert not weekly.flags(weekly.index(r, col + 1)) & Qt.ItemFlag.ItemIsEditable
    assert weekly.activity_at(r, col + 1)[1]["text"] == "เตรียมการ"


def test_weekly_headings_and_labels(weekly):
    assert criterion_label("LD2", "การมอบอำนาจ") == "LD 2 การมอบอำนาจ"
    heads = [r for r in range(weekly.rowCount()) if weekly.is_heading(r)]
    assert heads[0] == 0 and len(heads) == 6
    assert not weekly.flags(weekly.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    assert (0, 0, 1, weekly.columnCount()) in weekly.spans()
    assert weekly.set_block(0, 1, [["ทดสอบ"]])  # a block pasted on a heading starts at the first row below
    assert weekly.cell_text(1, 1) == "ทดสอบ"


def test_models_over_generated_data(qapp, tmp_path):
    from pmqa_desktop.core.demo import build_large
    store = Store.open(tmp_path / "big.db", Actor("t"))
    build_large(store, agencies=1, years=1, steps_per_year=300)
    org = planning.find_organisation(store, "จังหวัดตัวอย่าง")
    year = planning.fiscal_years(store, org["id"])[0]
    cal = CalendarModel(store, None, year["id"])
    weekly = WeeklyPlanModel(store, None, year["id"])
    assert cal.rowCount() == 300 and cal.columnCount() == 2 + 12 + 1
    crits = len(planning.weekly_rows(store, year["id"]))
    cats = len({r["category_code"] for r in planning.weekly_rows(store, year["id"])})
    assert weekly.rowCount() == crits + cats
    assert weekly.columnCount() == 1 + 13 * 4 + 1
    total = sum(a["span"] for r in planning.weekly_rows(store, year["id"]) for a in r["activities"])
    assert total == crits * 52
    spans = [s for s in weekly.spans() if s[1] != 0]
    assert spans and all(1 < s[3] <= 4 for s in spans)
    cal.detach()
    weekly.detach()
    store.close()


def test_model_without_year_is_empty(demo_store, stack):
    m = CalendarModel(demo_store, stack)
    assert m.rowCount() == 0 and m.columnCount() == 0
    assert not m.index(0, 0).isValid() and m.data(QModelIndex()) is None
    m.detach()


# ---------------------------------------------------------------- clipboard

def test_tsv_like_excel():
    block = [["a", "b\tc"], ['say "hi"', "two\nlines"]]
    text = to_tsv(block)
    assert text == 'a\t"b\tc"\n"say ""hi"""\t"two\nlines"\n'
    assert parse_tsv(text) == block
    assert parse_tsv("x\r\ny\r\n") == [["x"], ["y"]]
    assert parse_tsv("a\t\tb") == [["a", "", "b"]]
    assert parse_tsv("") == []
    assert parse_tsv("a\tb\nc") == [["a", "b"], ["c", ""]]


def test_word_text_with_stray_quotes():
    assert parse_tsv('5 "ดี" มาก\tx') == [['5 "ดี" มาก', "x"]]
    assert parse_tsv('"ยกมา\tx') == [['"ยกมา', "x"]]
    assert parse_tsv('a\t\n') == [["a", ""]]


def test_html_copy_escapes():
    html = to_html([["<b>", "ก\nข"]])
    assert "&lt;b&gt;" in html and "ก<br>ข" in html


cell = st.lists(st.sampled_from(list("ab ก่ข\t\n\"'") + ["ผู้", "น้ำ", "\r\n"]), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(cell, min_size=w, max_size=w), min_size=1, max_size=4)))
def test_tsv_round_trip(block):
    # a last row of one empty cell is just the final newline, in Excel's format as in ours
    while block and block[-1] == [""]:
        block = block[:-1]
    expected = [[c.replace("\r\n", "\n") for c in row] for row in block]
    assert parse_tsv(to_tsv(block)) == expected


def test_steps_of_equal_sort_keys_show_in_the_same_order_live_and_when_reloaded(demo_store, year_id, stack):
    """Two offices' steps added at the same place have equal sort keys: the grid, refreshed as they
    arrive in whatever order, shows them as a grid opened afresh does (sort key, then id), so every
    file that has seen the same edits shows the same order."""
    live = CalendarModel(demo_store, stack, year_id)
    try:
        key = planning.calendar_steps(demo_store, year_id)[0]["sort_key"] + 0.5
        for rid in ("ffff-from-office-b", "0000-from-office-a"):   # the larger id arrives first
            demo_store.insert("calendar_step", {"year_id": year_id, "text": rid, "sort_key": key}, row_id=rid)
        fresh = CalendarModel(demo_store, stack, year_id)
        try:
            def texts(m):
                return [m.index(r, CalendarModel.COL_TEXT).data(Qt.ItemDataRole.EditRole) for r in range(m.rowCount())]
            assert texts(live) == texts(fresh)
            assert texts(fresh).index("0000-from-office-a") < texts(fresh).index("ffff-from-office-b")
        finally:
            fresh.detach()
    finally:
        live.detach()
