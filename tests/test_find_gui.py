"""Edit > Find and replace (Ctrl+F) through the real widgets: results with their places, a click
shows the cell, replace all is one undo step saved at once."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop.core.storage import planning, search
from pmqa_desktop.core.storage.store import Store
from gui_helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")  # offscreen limits


def open_find(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dlg = window.find_dialog
    assert dlg is not None and dlg.isVisible()
    return dlg


def find(qtbot, dlg, text):
    dlg.find_text.clear()
    type_text(dlg.find_text, text, qtbot)
    qtbot.keyClick(dlg.find_text, Qt.Key.Key_Return)


def click_result(qtbot, dlg, row):
    table = dlg.results
    rect = table.visualRect(table.model().index(row, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def rows(dlg):
    t = dlg.results
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_ctrl_f_finds_thai_inside_words_and_a_click_shows_the_cell(qtbot, window):
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "วหน้า")
    found = rows(dlg)
    assert len(found) == 82 and all("วหน้า" in r[4] for r in found)
    assert found[0][:4] == ["จังหวัดราชบุรี", "2554", "แผนการดำเนินงานรายสัปดาห์", found[0][3]]
    assert "82" in dlg.status.text()
    # a calendar cell: the calendar comes to the front with the cursor on step 7, มิ.ย. 54
    find(qtbot, dlg, "9 - 10 มิ.ย.")
    assert rows(dlg) == [["จังหวัดราชบุรี", "2554", "ปฏิทินการดำเนินงาน", "ขั้นตอนที่ 7, มิ.ย.54", "9 - 10 มิ.ย. 54"]]
    click_result(qtbot, dlg, 0)
    view = window.calendar_view
    assert window.stack.currentWidget() is view
    cur = view.table.currentIndex()
    assert cur.row() == 6 and view.model.month_of_column(cur.column()).key == "2011-06"
    assert cur.data() == "9 - 10 มิ.ย. 54"


def test_a_weekly_activity_result_puts_the_cursor_on_its_week(qtbot, window):
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "24-25 พ.ค.")
    (hit,) = dlg.hits
    click_result(qtbot, dlg, 0)
    view = window.weekly_view
    assert window.stack.currentWidget() is view
    cur = view.table.currentIndex()
    assert "24-25 พ.ค. 54" in (cur.data() or "")


def test_a_step_of_a_development_plan_is_shown_on_its_page(qtbot, window):
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "ถ่ายทอดแผนไปสู่การปฏิบัติ")
    assert dlg.hits and dlg.hits[0].table == "plan_step"
    click_result(qtbot, dlg, 0)
    page = window.stack.currentWidget()
    cur = page.grid.currentIndex()
    assert cur.row() == page.grid_model.row_of_key(dlg.hits[0].row_id) >= 0
    assert "ถ่ายทอด" in cur.data()


def test_replace_all_is_one_undo_step_and_saved_at_once(qtbot, window):
    store = window.store
    before = len(search.search(store, "ความก้าวหน้า"))
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "ความก้าวหน้า")
    assert len(dlg.hits) == before > 5
    type_text(dlg.replace_text, "ความคืบหน้า", qtbot)
    qtbot.mouseClick(dlg.replace_all_button, Qt.MouseButton.LeftButton)
    assert dlg.results.rowCount() == 0 and str(before) in dlg.status.text()
    assert window.undo_stack.count() == 1
    other = Store.open(store.path, read_only=True)      # in the file already
    try:
        assert len(search.search(other, "ความคืบหน้า")) >= before
        assert not search.search(other, "ความก้าวหน้า")
    finally:
        other.close()
    window.action_undo.trigger()
    assert len(search.search(store, "ความก้าวหน้า")) == before
    find(qtbot, dlg, "ความก้าวหน้า")
    assert len(dlg.hits) == before


def test_replace_selected_changes_only_the_chosen_rows(qtbot, window):
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "มี.ค. 54")
    assert len(dlg.hits) == 2
    click_result(qtbot, dlg, 0)
    dlg.activateWindow()
    type_text(dlg.replace_text, "มี.ค. 55", qtbot)
    qtbot.mouseClick(dlg.replace_button, Qt.MouseButton.LeftButton)
    y = planning.find_year(window.store, planning.find_organisation(window.store, "จังหวัดราชบุรี")["id"], 2554)
    cells = [s["cells"].get("2011-03", {}).get("text") for s in planning.calendar_steps(window.store, y["id"])[:2]]
    assert cells == ["31 มี.ค. 55", "28 มี.ค. 54"]
    assert window.undo_stack.count() == 1


def test_replace_is_off_for_a_read_only_file_and_a_bad_replacement_is_said(qtbot, window):
    store = window.store
    y = planning.find_year(store, planning.find_organisation(store, "จังหวัดราชบุรี")["id"], 2554)
    ld2 = planning.criteria_by_code(store)["LD2"]
    planning.set_owner(store, y["id"], ld2["id"], {"name": "สมใจ", "email": "somjai@moi.go.th"})
    dlg = open_find(qtbot, window)
    find(qtbot, dlg, "@moi")
    type_text(dlg.replace_text, " ที่ ", qtbot)
    qtbot.mouseClick(dlg.replace_all_button, Qt.MouseButton.LeftButton)
    assert "อีเมล" in dlg.status.text() or "e-mail" in dlg.status.text()
    assert planning.owner(store, y["id"], ld2["id"])["email"] == "somjai@moi.go.th"
    assert window.undo_stack.count() == 0
