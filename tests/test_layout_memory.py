"""Layout that stays put (issue 12): the tree's width, a grid's column widths and its zoom come
back in the next window; Ctrl+wheel zooms a grid, Ctrl+0 brings it back. Real widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from pmqa_desktop.ui.schedules.grid_models import CalendarModel
from pmqa_desktop.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    """Press, move with the button held, release: as a hand drags (QTest's move carries no button)."""
    def send(kind, pos, buttons):
        ev = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), LEFT, buttons,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, ev)
    send(QEvent.Type.MouseButtonPress, start, LEFT)
    for k in range(1, 6):
        send(QEvent.Type.MouseMove, start + (end - start) * k / 5, LEFT)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def _second_window(qtbot, path):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def _reopened(qtbot, window):
    """Close the window and its file, and open the file in a new window (a restart)."""
    path = window.store.path
    window.close_store()
    window.close()
    return _second_window(qtbot, path)


def test_tree_width_and_column_widths_come_back(qtbot, window):
    window.resize(1280, 800)
    qtbot.wait(20)
    handle = window.splitter.handle(1)
    before = window.tree.width()
    drag(qtbot, handle, QPoint(2, 100), QPoint(2 + 140, 100))
    assert window.tree.width() >= before + 100
    tree_width = window.tree.width()
    # the calendar's remark column made wider by dragging its header's edge
    table = window.calendar_view.table
    header = table.horizontalHeader()
    col = window.calendar_view.model.col_remark
    table.scrollTo(window.calendar_view.model.index(0, col))
    edge = header.sectionViewportPosition(col) + header.sectionSize(col) - 1
    old = header.sectionSize(col)
    drag(qtbot, header.viewport(), QPoint(edge, 5), QPoint(edge - 60, 5))
    assert header.sectionSize(col) == old - 60
    qtbot.wait(600)                        # (written a moment after the drag stops)
    again = _reopened(qtbot, window)
    try:
        assert abs(again.tree.width() - tree_width) <= 2
        assert again.calendar_view.table.horizontalHeader().sectionSize(col) == old - 60
        assert again.calendar_view.table.horizontalHeader().sectionSize(CalendarModel.COL_TEXT) == \
            table.horizontalHeader().sectionSize(CalendarModel.COL_TEXT)
    finally:
        again.close_store()


def wheel(widget, pos: QPoint, notches: int, ctrl: bool = True) -> None:
    ev = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120 * notches),
                     Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)


def test_ctrl_wheel_zooms_the_grid_and_ctrl_0_brings_it_back(qtbot, window):
    table = window.calendar_view.table
    normal = table.font().pointSizeF()
    row_h = table.rowHeight(1)
    wheel(table.viewport(), QPoint(100, 60), 3)
    qtbot.wait(20)
    assert table.zoom == 130 and table.font().pointSizeF() > normal
    assert table.rowHeight(1) > row_h                       # the rows fit the larger text
    assert table.frozen.overlay.font() == table.font()      # the frozen columns too
    assert table.frozen.overlay.rowHeight(1) == table.rowHeight(1)
    qtbot.wait(600)
    again = _reopened(qtbot, window)
    try:
        t2 = again.calendar_view.table
        assert t2.zoom == 130
        t2.setFocus()
        qtbot.keyClick(t2, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert t2.zoom == 100 and abs(t2.font().pointSizeF() - normal) < 0.01
    finally:
        again.close_store()


def _drag_edge(qtbot, table, col: int, by: int) -> None:
    """Drag the right edge of a column's header by ``by`` pixels."""
    header = table.horizontalHeader()
    table.scrollTo(table.model().index(0, col))
    edge = header.sectionViewportPosition(col) + header.sectionSize(col) - 1
    drag(qtbot, header.viewport(), QPoint(edge, 5), QPoint(edge + by, 5))


def _col_of(model, month_abbr: str) -> int:
    return next(c for c in range(model.columnCount()) if model.month_of_column(c) is not None
                and model.month_of_column(c).abbr().startswith(month_abbr))


def test_column_widths_follow_their_column_when_months_are_added(qtbot, window):
    """Widths are kept by what the column is (the remark, March), not by its place: a month added
    before them does not hand their widths to the wrong columns, now or in the next window."""
    window.resize(1280, 800)
    view = window.calendar_view
    table, model = view.table, view.model
    header = table.horizontalHeader()
    march, remark = _col_of(model, "มี.ค."), model.col_remark
    normal_month, normal_remark = header.sectionSize(march), header.sectionSize(remark)
    _drag_edge(qtbot, table, march, 40)
    _drag_edge(qtbot, table, remark, -60)
    assert header.sectionSize(march) == normal_month + 40
    # one month more at the end, then the span starts a month later: March moves left, the remark right
    view.span_months.setFocus()
    qtbot.keyClick(view.span_months, Qt.Key.Key_Up)
    view.span_start.setFocus()
    qtbot.keyClick(view.span_start, Qt.Key.Key_Down)
    assert model.col_remark == remark + 1 and _col_of(model, "มี.ค.") == march - 1

    def widths_follow(t) -> None:
        h, m = t.horizontalHeader(), t.model()
        assert h.sectionSize(m.col_remark) == normal_remark - 60
        assert h.sectionSize(_col_of(m, "มี.ค.")) == normal_month + 40
        assert h.sectionSize(march) == normal_month          # April now stands where March stood
        assert h.sectionSize(remark) == normal_month         # and a month where the remark stood
    widths_follow(table)
    qtbot.wait(600)
    again = _reopened(qtbot, window)
    try:
        widths_follow(again.calendar_view.table)
    finally:
        again.close_store()


def test_weekly_plan_widths_kept_by_week(qtbot, window):
    """The weekly plan keeps a widened week by its month and week, and the criterion column by name."""
    window.resize(1280, 800)
    assert window.select_key(("weekly", window.current_year_id()))
    view = window.weekly_view
    table, model = view.table, view.model
    header = table.horizontalHeader()
    second_month = model.FIRST_WEEK + 4
    normal, normal_code = header.sectionSize(second_month), header.sectionSize(model.COL_CODE)
    _drag_edge(qtbot, table, second_month, 30)
    _drag_edge(qtbot, table, model.COL_CODE, 50)
    view.span_start.setFocus()
    qtbot.keyClick(view.span_start, Qt.Key.Key_Down)          # a month later: the weeks move left by 4
    assert header.sectionSize(model.FIRST_WEEK) == normal + 30
    assert header.sectionSize(second_month) == normal
    assert header.sectionSize(model.COL_CODE) == normal_code + 50


def test_gantt_zoom_is_kept_across_pages_and_windows(qtbot, window):
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.core.storage import planning
    from pmqa_desktop.ui.devplan import pages
    from pmqa_desktop.ui.devplan.models import COL_M0
    window.resize(1366, 760)
    rayong = rayong_year(window.store)
    page = pages.open_page(window, rayong, pages.DEVPLAN_PAGE)
    combo = page.gantt_zoom.combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Down)                 # the whole fiscal year
    assert combo.currentData() == "fit"
    # another year's plans: the same zoom
    org = planning.find_organisation(window.store, "จังหวัดราชบุรี")
    other_year = planning.find_year(window.store, org["id"], 2554)["id"]
    other = pages.open_page(window, other_year, pages.DEVPLAN_PAGE)
    assert other is not page and other.gantt_zoom.combo.currentData() == "fit"
    # back to the first, switched to quarters there; the other follows when shown again
    pages.open_page(window, rayong, pages.DEVPLAN_PAGE)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentData() == "quarter"
    assert pages.open_page(window, other_year, pages.DEVPLAN_PAGE).gantt_zoom.combo.currentData() == "quarter"
    quarter_width = page.grid.columnWidth(COL_M0)
    again = _reopened(qtbot, window)
    try:
        page2 = pages.open_page(again, rayong_year(again.store), pages.DEVPLAN_PAGE)
        qtbot.wait(20)
        assert page2.gantt_zoom.combo.currentData() == "quarter"
        assert page2.grid.columnWidth(COL_M0) == quarter_width       # the months as narrow as they were
    finally:
        again.close_store()


def test_dashboard_and_kpi_panes_come_back(qtbot, window):
    """The dashboard's table/chart split and form 7.2's KPI/progress split are kept like the tree's."""
    from PySide6.QtWidgets import QSplitter
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.ui.devplan import pages
    window.resize(1280, 800)
    year = rayong_year(window.store)
    board = pages.open_page(window, year, pages.DASHBOARD_PAGE)
    qtbot.wait(20)
    split = board.findChild(QSplitter, "dashboard_split")
    before = split.sizes()
    drag(qtbot, split.handle(1), QPoint(50, 2), QPoint(50, 2 - 80))
    moved = split.sizes()
    assert moved[0] <= before[0] - 60
    plan_page = pages.open_page(window, year, pages.DEVPLAN_PAGE)
    plan_page.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    kpi_split = plan_page.kpi_editor.findChild(QSplitter, "kpi_split")
    kpi_before = kpi_split.sizes()
    drag(qtbot, kpi_split.handle(1), QPoint(50, 2), QPoint(50, 2 + 60))
    kpi_moved = kpi_split.sizes()
    assert kpi_moved[0] >= kpi_before[0] + 40
    qtbot.wait(600)
    again = _reopened(qtbot, window)
    try:
        board2 = pages.open_page(again, rayong_year(again.store), pages.DASHBOARD_PAGE)
        qtbot.wait(20)
        assert abs(board2.findChild(QSplitter, "dashboard_split").sizes()[0] - moved[0]) <= 3
        page2 = pages.open_page(again, rayong_year(again.store), pages.DEVPLAN_PAGE)
        page2.tabs.setCurrentIndex(1)
        qtbot.wait(20)
        assert abs(page2.kpi_editor.findChild(QSplitter, "kpi_split").sizes()[0] - kpi_moved[0]) <= 3
    finally:
        again.close_store()
