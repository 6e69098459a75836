"""Grid comforts of issue 12 through real widgets: a current cell after deleting, long pastes
kept to a readable row height with the whole text on hover."""
from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from pmqa_desktop.core.devplan_demo import rayong_year
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.ui import devplan_pages as pages
from pmqa_desktop.ui.grid_models import CalendarModel

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _click_action(qtbot, toolbar, action):
    button = toolbar.widgetForAction(action)
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_after_deleting_a_step_the_next_one_is_current(qtbot, window):
    cal = window.calendar_view
    table = cal.table
    ids = [s["id"] for s in planning.calendar_steps(window.store, window.current_year_id())]
    table.setCurrentIndex(cal.model.index(2, CalendarModel.COL_TEXT))
    _click_action(qtbot, cal.toolbar, cal.act_delete)
    assert cal.model.step_id(2) == ids[3]
    cur = table.currentIndex()
    assert cur.isValid() and (cur.row(), cur.column()) == (2, CalendarModel.COL_TEXT)
    # the keyboard goes on from there
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 3
    # deleting the last step makes the one above current
    last = cal.model.rowCount() - 1
    table.setCurrentIndex(cal.model.index(last, CalendarModel.COL_TEXT))
    _click_action(qtbot, cal.toolbar, cal.act_delete)
    assert table.currentIndex().isValid() and table.currentIndex().row() == last - 1


def test_after_deleting_a_plan_step_a_cell_is_current(qtbot, window):
    year_id = rayong_year(window.store)
    page = pages.open_page(window, year_id, pages.DEVPLAN_PAGE)
    m, view = page.grid_model, page.grid
    plan = next(p for p in dp.plans(window.store, year_id) if p["title"].startswith("แนวนโยบาย 2"))
    page.select_plan(plan["id"])
    row = next(r for r in range(m.rowCount()) if m.step_at(r) is not None)
    next_key = m.row_key(row + 1)
    view.setCurrentIndex(m.index(row, 1))
    qtbot.mouseClick(page.delete_row_button, Qt.MouseButton.LeftButton)
    cur = view.currentIndex()
    assert cur.isValid() and m.row_key(cur.row()) == next_key and cur.column() == 1


@pytest.mark.qt_log_ignore("does not support raise")    # the offscreen platform, showing a tooltip
def test_a_5000_character_paste_keeps_the_row_readable(qtbot, window):
    cal = window.calendar_view
    table = cal.table
    text = ("การประชุมเชิงปฏิบัติการเพื่อทบทวนแผนยุทธศาสตร์ของจังหวัด " * 100)[:5000]
    table.setCurrentIndex(cal.model.index(1, CalendarModel.COL_TEXT))
    table.setFocus()
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(table, Qt.Key.Key_V, CTRL)
    assert cal.model.index(1, CalendarModel.COL_TEXT).data(Qt.ItemDataRole.EditRole) == text
    qtbot.wait(50)
    line = table.fontMetrics().lineSpacing()
    height = table.rowHeight(1)
    assert line * 3 < height <= line * 12          # taller than one line, but a handful, not hundreds
    # the whole text on hover
    rect = table.visualRect(cal.model.index(1, CalendarModel.COL_TEXT))
    pos = rect.center()
    QApplication.sendEvent(table.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, table.viewport().mapToGlobal(pos)))
    shown = html.unescape(re.sub("<[^>]+>", "", QToolTip.text())).replace("\u200b", "")
    assert text[:60] in shown and text[-40:] in shown.replace("\n", "")
    QToolTip.hideText()
