"""What the grids keep to scroll and switch quickly, and that it never shows a stale cell:
the view over the frozen columns draws the layouts the grid measured its rows with, and an
edited (or undone) cell is drawn with its new text at its new height."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop.ui.common.delegates import TextLayouts
from pmqa_desktop.ui.schedules.grid_models import CalendarModel
from gui_helpers import type_into_cell
from test_grid_gui import _ready, cal, go, month_col  # noqa: F401 (fixtures; year_id is conftest's)

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _undo_stack_emptied_while_alive(cal):
    """The page's own undo stack is emptied while its commands live (dropped later by the
    garbage collector, QUndoStack's destructor would delete commands Python already freed)."""
    yield
    cal.undo_stack_ref.clear()


def _cell_image(table, row, col):
    return table.viewport().grab(table.visualRect(table.model().index(row, col))).toImage()


def _same_pixels(a, b) -> bool:
    """Equal up to the rounding of a picture blended onto a transparent one (see the paint tests)."""
    if a.size() != b.size():
        return False
    diffs = [abs(x - y) for x, y in zip(bytes(a.constBits()), bytes(b.constBits())) if x != y]
    return len(diffs) < 50 and max(diffs, default=0) <= 2


def test_frozen_columns_draw_the_layouts_the_grid_measured(qtbot, cal, monkeypatch):
    _ready(qtbot)
    t = cal.table
    overlay = t.frozen.overlay
    assert t.frozen.active()
    made = []
    make = TextLayouts._make

    def counting(self, text, width, font, align):
        made.append((text, width, int(align)))
        return make(self, text, width, font, align)
    monkeypatch.setattr(TextLayouts, "_make", counting)
    t.cell_delegate.layouts.clear()
    overlay.cell_delegate.layouts.clear()
    t._heights.clear()
    t.fit_visible_rows()
    t.viewport().grab()
    shot = overlay.viewport().grab().toImage()
    steps = {cal.model.cell_text(r, CalendarModel.COL_TEXT) for r in range(cal.model.rowCount())}
    shaped = [m for m in made if m[0] in steps]
    assert shaped, "the step texts in view were laid out"
    assert len(shaped) == len(set(shaped)), "each step text is laid out once, for both views"
    # and the frozen column shows them (row 2: the first is current, drawn light on the highlight)
    rect = overlay.visualRect(cal.model.index(2, CalendarModel.COL_TEXT)).intersected(shot.rect())
    dark = [1 for y in range(rect.top(), rect.bottom()) for x in range(rect.left(), rect.right())
            if max(shot.pixelColor(x, y).red(), shot.pixelColor(x, y).green(), shot.pixelColor(x, y).blue()) < 110]
    assert dark, "the third step's text is drawn in the frozen column"


def test_an_edited_cell_is_drawn_with_its_new_text_and_height_and_undo_brings_both_back(qtbot, cal):
    _ready(qtbot)
    t, m = cal.table, cal.model
    overlay = t.frozen.overlay
    row = 1
    # a step (frozen column, drawn by the view over it) and a month cell (drawn by the grid)
    col = month_col(m, "2011-03")
    go(cal, 4, col)   # the cursor away from the cells compared
    t.fit_visible_rows()
    height = t.rowHeight(row)
    step_before = _cell_image(overlay, row, CalendarModel.COL_TEXT)
    month_before = _cell_image(t, row, col)
    month_text = m.cell_text(row, col)
    long_text = "ประชุมคณะทำงานเพื่อทบทวนแผนการดำเนินงานและติดตามผลการดำเนินงานตามตัวชี้วัด" * 3

    go(cal, row, col)
    type_into_cell(qtbot, t, long_text)
    assert m.cell_text(row, col) == long_text
    qtbot.waitUntil(lambda: t.rowHeight(row) > height)
    assert overlay.rowHeight(row) == t.rowHeight(row), "the frozen columns follow the new height"
    assert not _same_pixels(_cell_image(t, row, col), month_before), "the new text is drawn"

    go(cal, row, CalendarModel.COL_TEXT)
    type_into_cell(qtbot, t, "ทดสอบ")
    assert m.cell_text(row, CalendarModel.COL_TEXT) == "ทดสอบ"
    assert not _same_pixels(_cell_image(overlay, row, CalendarModel.COL_TEXT), step_before)

    t.setFocus()
    qtbot.keyClick(t, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(t, Qt.Key.Key_Z, CTRL)
    assert m.cell_text(row, col) == month_text
    qtbot.waitUntil(lambda: t.rowHeight(row) == height)
    go(cal, 4, col)
    t.clearSelection()
    assert overlay.rowHeight(row) == height
    assert _same_pixels(_cell_image(overlay, row, CalendarModel.COL_TEXT), step_before)
    assert _same_pixels(_cell_image(t, row, col), month_before)
