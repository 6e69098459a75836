"""Development plans page: typing in the step grid, dragging Gantt bars, ditto marks, budgets,
form 7.2 with a round's results and scores, approval and revision, with undo of each.
Driven through real widgets in the main window with the demo database (Rayong FY 2553)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel

from pmqa_desktop.core.devplan_demo import rayong_year
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.ui.devplan import pages
from pmqa_desktop.ui.devplan.models import (COL_BUDGET, COL_END, COL_M0, COL_RESP, COL_START, COL_TEXT, K_ACTUAL,
                                            K_DIR, K_SCORE, K_WEIGHT, P_PERCENT, P_STATUS)
from pmqa_desktop.ui.devplan.gantt import month_cell_rect
from pmqa_desktop.ui.main_window import MainWindow
from gui_helpers import type_into_cell, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, demo_db):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(demo_db)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close_store()


@pytest.fixture
def year_id(window):
    return rayong_year(window.store)


@pytest.fixture
def page(qtbot, window, year_id):
    p = pages.open_page(window, year_id, pages.DEVPLAN_PAGE)
    assert p is not None and window.stack.currentWidget() is p
    return p


def plan_named(store, year_id, start):
    return next(p for p in dp.plans(store, year_id) if p["title"].startswith(start))


def go(view, row, col):
    view.setCurrentIndex(view.model().index(row, col))
    view.setFocus()


# ---------------------------------------------------------------- the page and the grid

def test_page_lists_plans_activities_with_sums_and_gantt_header(page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    assert page.select_plan(plan["id"])
    assert pages.current_plan_id(window) == plan["id"]
    m = page.grid_model
    assert m.headerData(COL_M0, Qt.Orientation.Horizontal) == "ต.ค.52"
    assert m.headerData(COL_M0 + 11, Qt.Orientation.Horizontal) == "ก.ย.53"
    act_rows = [r for r in range(m.rowCount()) if m.row_key(r).startswith("a:")]
    assert len(act_rows) == 3
    summary = dp.budget_summary(store, plan["id"])
    for r, ab in zip(act_rows, summary.activities):
        assert m.cell_text(r, COL_BUDGET) == f"{ab.total:,}"
    assert m.cell_text(act_rows[2], COL_BUDGET) == "60,000"
    assert m.cell_text(m.rowCount() - 1, COL_BUDGET) == f"{summary.total:,}"
    assert f"{summary.total:,}" in page.budget_label.text()


def test_edit_step_text_by_typing_then_undo_redo(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    row = next(r for r in range(m.rowCount()) if m.is_step(r))
    sid = m.step_at(row)["id"]
    old = dp.step(store, sid)
    go(view, row, COL_TEXT)
    type_into_cell(qtbot, view, "7 ประชุมคณะทำงานครั้งที่สอง")
    s = dp.step(store, sid)
    assert (s["number"], s["text"]) == ("7", "ประชุมคณะทำงานครั้งที่สอง")
    assert m.cell_text(m.row_of_key(sid), COL_TEXT) == "7 ประชุมคณะทำงานครั้งที่สอง"
    assert view.currentIndex().row() == row + 1          # Enter moved down, the cursor survived
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    s = dp.step(store, sid)
    assert (s["number"], s["text"]) == (old["number"], old["text"])
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert dp.step(store, sid)["text"] == "ประชุมคณะทำงานครั้งที่สอง"


def test_typed_thai_month_moves_the_bar_and_bad_month_is_refused(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    row = next(r for r in range(m.rowCount()) if m.is_step(r))
    sid = m.step_at(row)["id"]
    go(view, row, COL_END)
    type_into_cell(qtbot, view, "มี.ค. 53")
    assert dp.step(store, sid)["end_month"] == "2010-03"
    assert m.span_of(m.row_of_key(sid)) == (3, 5)          # ม.ค.53 .. มี.ค.53
    go(view, row, COL_END)
    type_into_cell(qtbot, view, "ธ.ค. 52")                 # before the start: refused with a message
    assert dp.step(store, sid)["end_month"] == "2010-03"
    assert page.error_label.isVisible() and page.error_label.text()
    window.undo_stack.undo()
    assert dp.step(store, sid)["end_month"] == "2010-01"


def drag(qtbot, view, row, from_month, to_month, where="middle"):
    vp = view.viewport()
    a = month_cell_rect(view, row, from_month)
    b = month_cell_rect(view, row, to_month)
    x = {"middle": a.center().x(), "left": a.left() + 3, "right": a.right() - 3}[where]
    start = QPoint(x, a.center().y())
    end = QPoint(b.center().x() + (x - a.center().x()), b.center().y())
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    assert view.dragging()
    mid = QPoint((start.x() + end.x()) // 2, start.y())
    qtbot.mouseMove(vp, mid)
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    assert not view.dragging()


def test_drag_bar_moves_then_stretches_one_undo_each(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    # a two-month step: ก.พ.53 .. มี.ค.53
    row = next(r for r in range(m.rowCount()) if m.is_step(r) and m.step_at(r)["start_month"] == "2010-02"
               and m.step_at(r)["end_month"] == "2010-03")
    sid = m.step_at(row)["id"]
    view.scrollTo(m.index(row, COL_M0 + 4))
    depth = window.undo_stack.count()
    drag(qtbot, view, row, 4, 6)                           # grab the middle of ก.พ., drop on เม.ย.
    s = dp.step(store, sid)
    assert (s["start_month"], s["end_month"]) == ("2010-04", "2010-05")
    assert window.undo_stack.count() == depth + 1          # one command for the whole drag
    assert m.cell_text(m.row_of_key(sid), COL_START) == "เม.ย.53"
    row = m.row_of_key(sid)
    drag(qtbot, view, row, 7, 9, where="right")            # stretch the end from พ.ค. to ก.ค.
    s = dp.step(store, sid)
    assert (s["start_month"], s["end_month"]) == ("2010-04", "2010-07")
    assert window.undo_stack.count() == depth + 2
    window.undo_stack.undo()
    s = dp.step(store, sid)
    assert (s["start_month"], s["end_month"]) == ("2010-04", "2010-05")
    window.undo_stack.undo()
    s = dp.step(store, sid)
    assert (s["start_month"], s["end_month"]) == ("2010-02", "2010-03")
    assert m.span_of(m.row_of_key(sid)) == (4, 5)


def test_escape_cancels_a_drag(qtbot, page, window, year_id):
    plan = plan_named(window.store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    row = next(r for r in range(m.rowCount()) if m.is_step(r) and m.step_at(r)["start_month"] == "2010-01")
    sid = m.step_at(row)["id"]
    a = month_cell_rect(view, row, 3)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a.center())
    qtbot.mouseMove(view.viewport(), month_cell_rect(view, row, 6).center())
    assert m.span_of(row) == (6, 6)                      # the preview follows the mouse
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=month_cell_rect(view, row, 6).center())
    assert dp.step(window.store, sid)["start_month"] == "2010-01"
    assert m.span_of(row) == (3, 3)


def test_ditto_mark_resolves_to_the_value_above(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    rows = [r for r in range(m.rowCount()) if m.is_step(r)]
    first, second = rows[0], rows[1]
    go(view, first, COL_RESP)
    type_into_cell(qtbot, view, "กลุ่มงานยุทธศาสตร์")
    go(view, second, COL_RESP)
    type_into_cell(qtbot, view, '"')
    assert dp.step(store, m.step_at(second)["id"])["responsible"] == "กลุ่มงานยุทธศาสตร์"
    assert m.cell_text(second, COL_RESP) == "กลุ่มงานยุทธศาสตร์"


def test_budget_edits_keep_sums_current_and_flag_mismatch(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    act_rows = [r for r in range(m.rowCount()) if m.row_key(r).startswith("a:")]
    last_act = act_rows[2]                                # กิจกรรมที่ 3: 3 x 20,000 = 60,000 stated 60,000
    assert m.mismatch(last_act) == ""
    step_row = last_act + 1
    go(view, step_row, COL_BUDGET)
    type_into_cell(qtbot, view, "25,000")
    assert m.cell_text(m.row_of_key("a:" + m.activity_ids()[2]), COL_BUDGET) == "65,000"
    assert "65,000" in m.mismatch(last_act) and "60,000" in m.mismatch(last_act)
    assert "⚠" in page.budget_label.text()
    go(view, step_row + 1, COL_BUDGET)
    type_into_cell(qtbot, view, "ในม.")                  # a marker: kept, never summed
    assert m.cell_text(step_row + 1, COL_BUDGET) == "ในม."
    assert m.cell_text(last_act, COL_BUDGET) == "45,000"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert m.cell_text(last_act, COL_BUDGET) == "60,000"
    assert m.mismatch(last_act) == ""


def test_add_activity_and_step_delete_and_undo(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    m = page.grid_model
    n_acts = len(m.activity_ids())
    aid = page.add_activity("การประเมินผล", stated_budget="10,000")
    assert len(m.activity_ids()) == n_acts + 1
    assert page.grid.currentIndex().row() == m.row_of_key("a:" + aid)
    sid = page.add_step("สรุปผล", start_month="ส.ค. 53", end_month="ก.ย. 53", budget="10,000")
    assert dp.step(store, sid)["activity_id"] == aid
    assert m.span_of(m.row_of_key(sid)) == (10, 11)
    assert m.mismatch(m.row_of_key("a:" + aid)) == ""
    page.delete_row()
    assert dp.step(store, sid) is None
    window.undo_stack.undo()
    assert dp.step(store, sid) is not None and m.row_of_key(sid) > 0
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert len(m.activity_ids()) == n_acts


def test_add_plan_through_dialog_and_undo(qtbot, page, window, year_id):
    store = window.store
    n = len(dp.plans(store, year_id))
    dlg = page.add_plan_dialog()
    dlg.title.setText("แผนหมวด 4: การวัด การวิเคราะห์")
    dlg.category.setCurrentIndex(4)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    plans = dp.plans(store, year_id)
    assert len(plans) == n + 1
    new = next(p for p in plans if p["title"].startswith("แผนหมวด 4"))
    assert new["category_id"] is not None
    assert page.plan_id == new["id"]
    assert page.plan_model.rowCount() == n + 1
    window.undo_stack.undo()
    assert len(dp.plans(store, year_id)) == n
    assert page.plan_model.rowCount() == n


# ---------------------------------------------------------------- form 7.2 and rounds

def test_round_result_gives_score_and_undo(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    ed.set_round(12)
    km, view = ed.model, ed.view
    assert [km.cell_text(r, 0)[:3] for r in range(km.rowCount()) if km.row_key(r).startswith("d:")] == \
        ["7.1", "7.2", "7.3", "7.4"]                      # all four dimensions, even empty ones
    row = next(r for r in range(km.rowCount()) if km.kpi_at(r))
    kid = km.kpi_at(row)["id"]
    assert km.cell_text(row, K_SCORE) == "-"
    go(view, row, K_ACTUAL)
    type_into_cell(qtbot, view, "72")
    assert dp.kpi_results(store, kid)[12]["actual"] == 72.0
    assert km.cell_text(row, K_SCORE) == "3.4000"
    assert "0 points" in ed.rule_label.text() or "0 คะแนน" in ed.rule_label.text()
    assert "3.4000" in ed.score_label.text()              # one of two KPIs scored: the plan's result is 3.4
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert 12 not in dp.kpi_results(store, kid)
    assert km.cell_text(row, K_SCORE) == "-"


def test_weights_not_summing_to_one_are_flagged(qtbot, page, window, year_id):
    plan = plan_named(window.store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    km, view = ed.model, ed.view
    row = next(r for r in range(km.rowCount()) if km.kpi_at(r))
    assert ed.weight_label.text() and "⚠" not in ed.weight_label.text()
    go(view, row, K_WEIGHT)
    type_into_cell(qtbot, view, "0.4")
    assert "⚠" in ed.weight_label.text() and "0.9" in ed.weight_label.text()
    assert km.data(km.index(row, K_WEIGHT), Qt.ItemDataRole.BackgroundRole) is not None
    window.undo_stack.undo()
    assert "⚠" not in ed.weight_label.text()


def test_ladder_slip_is_flagged(page, window, year_id):
    plan = plan_named(window.store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    ed = page.kpi_editor
    assert ed.ladder_label.isVisibleTo(ed)
    assert "ไม่พึงพอใจ" in ed.ladder_label.text()


def test_step_progress_for_a_round(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    ed.set_round(12)
    pm, view = ed.progress_model, ed.progress_view
    row = next(r for r in range(pm.rowCount()) if not pm.row_key(r).startswith("a:"))
    sid = pm.row_key(row)
    go(view, row, P_PERCENT)
    type_into_cell(qtbot, view, "40")
    assert dp.step_progress(store, sid)[12]["percent"] == 40.0
    assert pm.cell_text(row, P_PERCENT) == "40"
    assert pm.set_block(row, P_STATUS, [["done"]], edit=True)
    assert dp.step_progress(store, sid)[12]["status"] == "done"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert 12 not in dp.step_progress(store, sid)


# ---------------------------------------------------------------- approval and revisions

def test_approve_then_edit_starts_revision_two_snapshot_readable(qtbot, page, window, year_id):
    store = window.store
    pid = page.add_plan("แผนทดลอง")
    aid = page.add_activity("กิจกรรมแรก")
    sid = page.add_step("ขั้นตอนแรก", start_month="ม.ค. 53", end_month="ก.พ. 53", budget="5,000")
    dlg = page.approve_dialog()
    dlg.name.setText("นายสมชาย ใจดี")
    dlg.positions.setPlainText("รองผู้ว่าราชการจังหวัดระยอง ปฏิบัติราชการแทน\nผู้ว่าราชการจังหวัดระยอง")
    QTimer.singleShot(0, dlg.accept)
    qtbot.waitUntil(lambda: dp.plan(store, pid)["status"] == "approved", timeout=3000)
    p = dp.plan(store, pid)
    assert (p["revision"], p["status"]) == (1, "approved")
    assert page.state_label.text().count("1") and not page.approve_button.isEnabled()
    appr = dp.approvals(store, pid)
    assert len(appr) == 1 and appr[0]["position_lines"].splitlines()[1] == "ผู้ว่าราชการจังหวัดระยอง"
    # an edit after approval starts version 2
    m, view = page.grid_model, page.grid
    go(view, m.row_of_key(sid), COL_TEXT)
    type_into_cell(qtbot, view, "ขั้นตอนแรก (แก้ไข)")
    p = dp.plan(store, pid)
    assert (p["revision"], p["status"]) == (2, "draft")
    assert page.approve_button.isEnabled()
    assert "2" in page.state_label.text()
    assert "2" in window.statusBar().currentMessage() and "1" in window.statusBar().currentMessage()
    # the approved version stays readable, read-only
    snap = page.view_version(appr[0]["id"])
    sm = snap.grid_model
    srow = sm.row_of_key(sid)
    assert sm.cell_text(srow, COL_TEXT) == "1 ขั้นตอนแรก"
    assert not (sm.flags(sm.index(srow, COL_TEXT)) & Qt.ItemFlag.ItemIsEditable)
    assert "นายสมชาย ใจดี" in snap.findChild(QLabel, "snapshot_info").text()
    snap.close()
    # undo the edit: back to the approved version 1; undo the approval: a draft again
    window.undo_stack.undo()
    p = dp.plan(store, pid)
    assert (p["revision"], p["status"]) == (1, "approved")
    assert dp.step(store, sid)["text"] == "ขั้นตอนแรก"
    window.undo_stack.undo()
    p = dp.plan(store, pid)
    assert (p["revision"], p["status"]) == (1, "draft")
    assert dp.approvals(store, pid) == []
    assert page.approve_button.isEnabled()
    window.undo_stack.redo()
    assert dp.plan(store, pid)["status"] == "approved" and len(dp.approvals(store, pid)) == 1
    assert aid


def test_approval_needs_a_name(qtbot, page, window, year_id):
    pid = page.add_plan("แผนทดลอง 2")
    depth = window.undo_stack.count()
    assert page.approve("", ["ผู้ว่าราชการจังหวัดระยอง"]) is None
    assert page.error_label.isVisibleTo(page) and page.error_label.text()
    assert dp.plan(window.store, pid)["status"] == "draft"
    assert window.undo_stack.count() == depth


def test_month_picker_on_f2_sets_start_month(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    m, view = page.grid_model, page.grid
    row = next(r for r in range(m.rowCount()) if m.is_step(r) and m.step_at(r)["start_month"] == "2010-02"
               and m.step_at(r)["end_month"] == "2010-03")
    sid = m.step_at(row)["id"]
    go(view, row, COL_START)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.findChild(QComboBox, "choice_editor")
    assert combo is not None and combo.isVisible()
    assert combo.currentData() == "2010-02"
    i = combo.findData("2009-12")
    assert combo.itemText(i) == "ธ.ค.52"
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert dp.step(store, sid)["start_month"] == "2009-12"
    assert m.span_of(m.row_of_key(sid)) == (2, 5)
    window.undo_stack.undo()
    assert dp.step(store, sid)["start_month"] == "2010-02"


def test_kpi_direction_picked_from_a_list(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    page.select_plan(plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    km, view = ed.model, ed.view
    row = next(r for r in range(km.rowCount()) if km.kpi_at(r) and km.kpi_at(r)["direction"] == "lower")
    kid = km.kpi_at(row)["id"]
    assert "ไม่พึงพอใจ" in ed.ladder_label.text()            # the seed's slip: lower-is-better, rising ladder
    go(view, row, K_DIR)
    type_text(view, "x")                                       # typing does not open a list
    assert view.findChild(QComboBox, "choice_editor") is None or not view.findChild(
        QComboBox, "choice_editor").isVisible()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.findChild(QComboBox, "choice_editor")
    i = combo.findData("higher")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert dp.kpi(store, kid)["direction"] == "higher"
    assert not ed.ladder_label.isVisibleTo(ed)               # the flag went away
    window.undo_stack.undo()
    assert dp.kpi(store, kid)["direction"] == "lower"
    assert ed.ladder_label.isVisibleTo(ed)


def test_milestone_ladder_dialog_scores_by_steps_done(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    kid = ed.add_kpi("7.4", "ระดับความสำเร็จของการจัดทำแผนบริหารความเสี่ยง", weight=0, ladder_kind="milestone")
    assert kid
    steps = dp.plan_steps(store, plan["id"])
    dlg = ed.edit_milestones(kid)
    for k in range(5):                                         # level k+1: step k done
        dlg.lists[k].item(k % len(steps)).setCheckState(Qt.CheckState.Checked)
    dlg.accept()
    k = dp.kpi(store, kid)
    assert k["ladder_kind"] == "milestone"
    from pmqa_desktop.core.scoring import milestones_of
    levels = milestones_of(k)
    assert [lv[0]["step_id"] for lv in levels] == [steps[i % len(steps)]["id"] for i in range(5)]
    row = ed.model.row_of_key(kid)
    assert ed.model.dimension_at(row) == "7.4"
    assert steps[0]["text"] in ed.model.cell_text(row, 6)     # level 1 lists its step
    window.undo_stack.undo()
    assert milestones_of(dp.kpi(store, kid)) == []


def test_read_only_file_refuses_edits(qtbot, demo_db):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(demo_db, read_only=True)
    w.show()
    try:
        yid = rayong_year(w.store)
        p = pages.open_page(w, yid, pages.DEVPLAN_PAGE)
        m = p.grid_model
        row = next(r for r in range(m.rowCount()) if m.is_step(r))
        assert not (m.flags(m.index(row, COL_TEXT)) & Qt.ItemFlag.ItemIsEditable)
        assert not p.add_step_button.isEnabled() and not p.approve_button.isEnabled()
        assert not p.grid.hit(month_cell_rect(p.grid, row, 3).center())
    finally:
        w.close_store()


def test_context_menu_adds_first_step_and_delete_plan_undo(qtbot, page, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    page.select_plan(plan["id"])
    m = page.grid_model
    aid = next(a for a in m.activity_ids() if dp.steps(store, a))   # (activities 1-4 have no steps yet)
    first_before = dp.steps(store, aid)[0]["id"]
    go(page.grid, m.row_of_key("a:" + aid), COL_TEXT)
    menu = page.grid_menu()
    act = next(a for a in menu.actions() if a.text() == page.add_step_button.text())
    act.trigger()
    new_first = dp.steps(store, aid)[0]["id"]
    assert new_first != first_before                          # on the heading: the new step goes first
    assert m.row_of_key(new_first) == m.row_of_key("a:" + aid) + 1
    assert page.grid.currentIndex().row() == m.row_of_key(new_first)
    page.delete_plan()
    assert dp.plan(store, plan["id"]) is None
    assert page.plan_id != plan["id"]
    window.undo_stack.undo()
    assert dp.plan(store, plan["id"]) is not None
    assert page.plan_model.row_of(plan["id"]) >= 0
    window.undo_stack.undo()
    assert dp.steps(store, aid)[0]["id"] == first_before
