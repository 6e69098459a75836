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
    path = window.store.path
    window.close_store()
    window.close()
    again = _second_window(qtbot, path)
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
    path = window.store.path
    window.close_store()
    window.close()
    again = _second_window(qtbot, path)
    try:
        t2 = again.calendar_view.table
        assert t2.zoom == 130
        t2.setFocus()
        qtbot.keyClick(t2, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert t2.zoom == 100 and abs(t2.font().pointSizeF() - normal) < 0.01
    finally:
        again.close_store()
