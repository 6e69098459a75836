"""The dashboard page: colours with words, overdue counts, scores per round, the as-of month,
the yellow thresholds as saved settings, refresh on edits, and jumping to a row."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pmqa_desktop.core import dashboard as dash
from pmqa_desktop.core.devplan_demo import rayong_year
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.ui.devplan import pages
from pmqa_desktop.ui.devplan.dashboard_view import C_OVERDUE, C_S9, C_STATUS, JumpRole
from pmqa_desktop.ui.devplan.models import COL_TEXT, K_ACTUAL, K_SCORE
from pmqa_desktop.ui.main_window import MainWindow
from gui_helpers import type_into_cell


@pytest.fixture
def window(qtbot, demo_db):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(demo_db)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close_store()


@pytest.fixture
def year_id(window):
    return rayong_year(window.store)


@pytest.fixture
def board(window, year_id):
    b = pages.open_page(window, year_id, pages.DASHBOARD_PAGE)
    assert b is not None and window.stack.currentWidget() is b
    return b


def plan_named(store, year_id, start):
    return next(p for p in dp.plans(store, year_id) if p["title"].startswith(start))


def test_colours_in_words_counts_and_scores(board, window, year_id):
    store = window.store
    # a finished year opens just after its latest reported round (9: as of ก.ค.53)
    assert board.today().key == "2010-07"
    red = plan_named(store, year_id, "แผนหมวด 3")
    yellow = plan_named(store, year_id, "แนวนโยบาย 2")
    assert board.status_of("dev_plan", red["id"]) == "red"
    assert board.status_of("dev_plan", yellow["id"]) == "yellow"
    item = board.item_for("dev_plan", red["id"])
    assert item.text(C_STATUS) == dash.status_label("red")       # words, not colour alone
    expected = dash.compute_dashboard(store, year_id, board.today(), board.settings).plan(red["id"])
    assert item.text(C_OVERDUE) == str(expected.overdue) and expected.overdue > 0
    assert item.text(C_S9) == f"{expected.scores[9]:.4f}"
    kids = [item.child(k).data(0, JumpRole) for k in range(item.childCount())]
    assert [k["id"] for k in kids if k["table"] == "plan_step"] == [s.step_id for s in expected.overdue_steps]
    assert len([k for k in kids if k["table"] == "kpi"]) == len(dp.kpis(store, red["id"]))
    cat = item.parent()
    assert cat.data(C_STATUS, Qt.ItemDataRole.UserRole) == "red"
    assert str(expected.overdue) in board.summary.text()
    assert len(board.chart.series) >= 2
    assert not board.chart.grab().isNull()


def test_as_of_month_changes_what_is_overdue(board, window, year_id):
    red = plan_named(window.store, year_id, "แผนหมวด 3")
    board.set_as_of("2010-06")               # before the June steps end
    assert board.status_of("dev_plan", red["id"]) != "red"
    board.set_as_of("2010-10")
    assert board.status_of("dev_plan", red["id"]) == "red"


def test_round_result_entered_in_form_turns_plan_green(qtbot, board, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    assert board.status_of("dev_plan", plan["id"]) == "yellow"   # KPI score 2.8 is below 3
    page = pages.open_plan(window, year_id, plan_id=plan["id"])
    page.tabs.setCurrentWidget(page.kpi_editor)
    ed = page.kpi_editor
    ed.set_round(9)
    km, view = ed.model, ed.view
    for row in [r for r in range(km.rowCount()) if km.kpi_at(r)]:
        view.setCurrentIndex(km.index(row, K_ACTUAL))
        view.setFocus()
        type_into_cell(qtbot, view, "80")
        assert km.cell_text(row, K_SCORE) == "5.0000"
    pages.open_page(window, year_id, pages.DASHBOARD_PAGE)
    qtbot.waitUntil(lambda: board.status_of("dev_plan", plan["id"]) == "green", timeout=3000)
    assert board.item_for("dev_plan", plan["id"]).text(C_S9) == "5.0000"
    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: board.status_of("dev_plan", plan["id"]) == "yellow", timeout=3000)


def test_yellow_threshold_is_a_saved_setting(qtbot, board, window, year_id):
    plan = plan_named(window.store, year_id, "แนวนโยบาย 2")
    board.score_below.setValue(2.5)
    board.score_below.editingFinished.emit()     # (typed and left: see test_forms_autosave)
    assert board.status_of("dev_plan", plan["id"]) == "green"
    assert dash.load_settings().score_below == 2.5
    board.use_score.setChecked(True)
    board.score_below.setValue(3.5)
    board.lag.setValue(5)
    board.lag.editingFinished.emit()
    assert board.status_of("dev_plan", plan["id"]) == "yellow"
    s = dash.load_settings()
    assert (s.score_below, s.lag_points) == (3.5, 5.0)


def test_click_overdue_step_jumps_to_its_row(qtbot, board, window, year_id):
    red = plan_named(window.store, year_id, "แผนหมวด 3")
    plan_item = board.item_for("dev_plan", red["id"])
    plan_item.setExpanded(True)
    step_item = next(plan_item.child(k) for k in range(plan_item.childCount())
                     if plan_item.child(k).data(0, JumpRole)["table"] == "plan_step")
    step_id = step_item.data(0, JumpRole)["id"]
    board.tree.scrollToItem(step_item)
    rect = board.tree.visualItemRect(step_item)
    qtbot.mouseClick(board.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())   # one click is enough
    page = pages.page_for(window, year_id, pages.DEVPLAN_PAGE)
    assert page is not None and window.stack.currentWidget() is page
    assert page.plan_id == red["id"]
    assert page.tabs.currentWidget() is page.grid
    cur = page.grid.currentIndex()
    assert page.grid_model.row_key(cur.row()) == step_id and cur.column() == COL_TEXT


def test_go_to_plan_and_refresh_only_when_visible(qtbot, board, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แนวนโยบาย 2")
    board.tree.setCurrentItem(board.item_for("dev_plan", plan["id"]))
    qtbot.mouseClick(board.goto_button, Qt.MouseButton.LeftButton)
    page = pages.page_for(window, year_id, pages.DEVPLAN_PAGE)
    assert window.stack.currentWidget() is page and page.plan_id == plan["id"]
    # an edit while the dashboard is hidden marks it stale; showing it recomputes
    calls = []
    orig = board.refresh
    board.refresh = lambda: (calls.append(1), orig())
    board._timer.timeout.disconnect()
    board._timer.timeout.connect(board.refresh)
    m = page.grid_model
    row = next(r for r in range(m.rowCount()) if m.is_step(r))
    assert m.set_block(row, COL_TEXT, [["แก้ไขข้อความ"]], edit=True)
    QApplication.processEvents()
    assert calls == [] and board._dirty
    pages.open_page(window, year_id, pages.DASHBOARD_PAGE)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=3000)
    assert not board._dirty


def test_kpi_row_shows_scores_and_enter_jumps_to_it(qtbot, board, window, year_id):
    store = window.store
    plan = plan_named(store, year_id, "แผนหมวด 3")
    kpi = next(k for k in dp.kpis(store, plan["id"]) if k["direction"] == "higher")
    item = board.item_for("kpi", kpi["id"])
    assert item is not None
    scores = dash.plan_scores(store, plan["id"])
    assert item.text(C_S9) == scores[9].scores[kpi["id"]].display(4)
    board.tree.setCurrentItem(item)
    board.tree.setFocus()
    qtbot.keyClick(board.tree, Qt.Key.Key_Return)
    page = pages.page_for(window, year_id, pages.DEVPLAN_PAGE)
    assert window.stack.currentWidget() is page and page.tabs.currentWidget() is page.kpi_editor
    ed = page.kpi_editor
    assert ed.model.row_key(ed.view.currentIndex().row()) == kpi["id"]
