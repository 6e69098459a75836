"""Forms save like the grids: on leaving a field (and on switching row or closing), validated,
one undo command per edit, and a visible "saved" in the status bar. Driven through real widgets."""
from __future__ import annotations

from PySide6.QtCore import Qt

from pmqa_desktop.core.storage import planning
from pmqa_desktop.i18n import _
from gui_helpers import type_text
from test_gui_shell import crit, select_criterion


def _activate(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)


def test_owner_edit_kept_when_clicking_the_next_criterion(qtbot, window):
    _activate(qtbot, window)
    select_criterion(qtbot, window, "IT5")
    owner = window.detail.owner
    year_id = window.current_year_id()
    it5 = crit(window.store, "IT5")["id"]
    qtbot.mouseClick(owner.fields["name"], Qt.LeftButton)
    type_text(owner.fields["name"], "นางสาวสมใจ ใจดี", qtbot)
    # straight to the next criterion, no Save button, no Enter
    select_criterion(qtbot, window, "IT6")
    row = planning.owner(window.store, year_id, it5)
    assert row is not None and row["name"] == "นางสาวสมใจ ใจดี"
    assert window.statusBar().currentMessage().startswith("บันทึกแล้ว")
    # the next criterion's form is its own, empty
    assert owner.fields["name"].text() == ""
    select_criterion(qtbot, window, "IT5")
    assert owner.fields["name"].text() == "นางสาวสมใจ ใจดี"


def test_owner_fields_save_one_by_one_each_undoable(qtbot, window):
    _activate(qtbot, window)
    select_criterion(qtbot, window, "IT5")
    owner = window.detail.owner
    year_id = window.current_year_id()
    it5 = crit(window.store, "IT5")["id"]
    qtbot.mouseClick(owner.fields["name"], Qt.LeftButton)
    type_text(owner.fields["name"], "นายเก่ง มาก", qtbot)
    qtbot.keyClick(owner.fields["name"], Qt.Key_Tab)          # leaving the field saves it
    assert planning.owner(window.store, year_id, it5)["name"] == "นายเก่ง มาก"
    assert window.undo_stack.count() == 1
    assert window.statusBar().currentMessage().startswith("บันทึกแล้ว")
    assert owner.fields["position"].hasFocus()
    type_text(owner.fields["position"], "นักวิเคราะห์นโยบายและแผน", qtbot)
    qtbot.keyClick(owner.fields["position"], Qt.Key_Tab)
    assert window.undo_stack.count() == 2
    # a bad e-mail is refused with a message, kept in its field, nothing else lost
    qtbot.mouseClick(owner.fields["email"], Qt.LeftButton)
    type_text(owner.fields["email"], "kaeng.moi.go.th", qtbot)
    qtbot.keyClick(owner.fields["email"], Qt.Key_Tab)
    assert owner.error.isVisible() and "kaeng.moi.go.th" in owner.error.text()
    assert "c62828" in owner.fields["email"].styleSheet()
    assert owner.fields["email"].text() == "kaeng.moi.go.th"
    assert (planning.owner(window.store, year_id, it5)["email"] or "") == ""
    assert window.undo_stack.count() == 2
    # undo takes back one field at a time
    window.action_undo.trigger()
    row = planning.owner(window.store, year_id, it5)
    assert row["name"] == "นายเก่ง มาก" and (row["position"] or "") == ""
    window.action_undo.trigger()
    assert not (planning.owner(window.store, year_id, it5) or {}).get("name")
    window.action_redo.trigger()
    window.action_redo.trigger()
    assert planning.owner(window.store, year_id, it5)["position"] == "นักวิเคราะห์นโยบายและแผน"


def test_owner_edit_saved_when_the_window_closes(qtbot, window):
    _activate(qtbot, window)
    select_criterion(qtbot, window, "LD2")
    owner = window.detail.owner
    year_id = window.current_year_id()
    ld2 = crit(window.store, "LD2")["id"]
    qtbot.mouseClick(owner.fields["phone"], Qt.LeftButton)
    type_text(owner.fields["phone"], "0 3232 1234", qtbot)
    path = window.store.path
    window.close()
    from pmqa_desktop.core.storage import Actor, Store
    store = Store.open(path, Actor(office="t", clerk="t"))
    try:
        assert planning.owner(store, year_id, ld2)["phone"] == "0 3232 1234"
    finally:
        store.close()


def test_invalid_owner_edit_left_behind_is_reported(qtbot, window):
    _activate(qtbot, window)
    select_criterion(qtbot, window, "IT5")
    owner = window.detail.owner
    qtbot.mouseClick(owner.fields["email"], Qt.LeftButton)
    type_text(owner.fields["email"], "not-an-address", qtbot)
    select_criterion(qtbot, window, "IT6")
    # told, in a box that stays until read
    box = window.last_message_box
    assert box is not None and "not-an-address" in box.text()


def test_dashboard_thresholds_apply_on_leaving_and_no_save_on_a_read_only_file(qtbot, window, demo_db):
    from PySide6.QtWidgets import QPushButton

    from pmqa_desktop.core import dashboard as dash
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.core.storage import devplan as dp
    from pmqa_desktop.ui.devplan import pages
    _activate(qtbot, window)
    year_id = rayong_year(window.store)
    board = pages.open_page(window, year_id, pages.DASHBOARD_PAGE)
    plan = next(p for p in dp.plans(window.store, year_id) if p["title"].startswith("แนวนโยบาย 2"))
    assert board.status_of("dev_plan", plan["id"]) == "yellow"
    qtbot.mouseClick(board.score_below, Qt.LeftButton)
    board.score_below.selectAll()
    qtbot.keyClicks(board.score_below, "2")
    qtbot.keyClick(board.score_below, Qt.Key_Tab)       # leaving the field applies and keeps it
    assert dash.load_settings().score_below == 2.0
    assert board.status_of("dev_plan", plan["id"]) == "green"
    qtbot.mouseClick(board.use_score, Qt.LeftButton)    # a tick applies at once too
    assert dash.load_settings().use_score is (not dash.DashboardSettings().use_score)
    # on a read-only file nothing offers to "Save"
    assert window.open_database(demo_db, read_only=True)
    board = pages.open_page(window, year_id, pages.DASHBOARD_PAGE)
    assert not [b for b in board.findChildren(QPushButton)
                if b.text() == _("Save") and b.isVisible() and b.isEnabled()]
