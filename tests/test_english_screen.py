"""An English screen is English throughout (issue 12): the grids' month headers and tooltips,
the Gantt's months and the dashboard's as-of months follow the UI language; the data stays as
typed; Thai screens keep the Thai forms."""
from __future__ import annotations

from PySide6.QtCore import Qt

from pmqa_desktop.core.devplan_demo import rayong_year
from pmqa_desktop.core.thai_calendar import MonthKey, header_labels
from pmqa_desktop.ui.devplan import pages
from pmqa_desktop.ui.devplan.models import COL_M0
from pmqa_desktop.ui.main_window import MainWindow

H = Qt.Orientation.Horizontal


def _window(qtbot, demo_db):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(demo_db)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_month_headers_follow_an_english_screen(qtbot, english, demo_db):
    w = _window(qtbot, demo_db)
    try:
        m = w.calendar_view.model
        labels = [m.headerData(c, H) for c in range(m.FIRST_MONTH, m.col_remark)]
        assert labels[0] == "Oct 53" and "Jan 54" in labels and labels[-1] == "Nov 54"
        assert m.headerData(m.FIRST_MONTH, H, Qt.ItemDataRole.ToolTipRole) == "October 2553"
        # the cells keep what was typed
        texts = [m.index(r, c).data(Qt.ItemDataRole.EditRole) for r in range(m.rowCount())
                 for c in range(m.FIRST_MONTH, m.col_remark)]
        assert "31 มี.ค. 54" in texts
        board = pages.open_page(w, rayong_year(w.store), pages.DASHBOARD_PAGE)
        assert all("." not in board.as_of.itemText(i) for i in range(board.as_of.count()))
        page = pages.open_page(w, rayong_year(w.store), pages.DEVPLAN_PAGE)
        assert page.grid_model.headerData(COL_M0, H) == "Oct 52"
    finally:
        w.close_store()


def test_thai_screen_keeps_thai_months(qtbot, demo_db):
    w = _window(qtbot, demo_db)
    try:
        m = w.calendar_view.model
        assert m.headerData(m.FIRST_MONTH, H) == "ต.ค.53"
    finally:
        w.close_store()


def test_header_labels_in_both_languages():
    months = [MonthKey(2010, 10).shifted(i) for i in range(14)]
    th, en = header_labels(months), header_labels(months, english=True)
    assert th[0] == "ต.ค.53" and en[0] == "Oct 53" and en[3] == "Jan 54" and en[1] == "Nov"
    assert len(th) == len(en) == 14


def test_month_choices_and_tips_follow_an_english_screen(qtbot, english, demo_db):
    """The span's start month, the weekly plan's week tips and the plan's start/end months."""
    from pmqa_desktop.ui.devplan.models import COL_START
    w = _window(qtbot, demo_db)
    try:
        combo = w.calendar_view.span_start
        assert combo.currentText() == "October 2553"
        assert w.select_key(("weekly", w.current_year_id()))
        wm = w.weekly_view.model
        assert wm.headerData(wm.FIRST_WEEK, H, Qt.ItemDataRole.ToolTipRole).endswith(", week 1")
        assert "April 2554" in wm.headerData(wm.FIRST_WEEK, H, Qt.ItemDataRole.ToolTipRole)
        page = pages.open_page(w, rayong_year(w.store), pages.DEVPLAN_PAGE)
        gm = page.grid_model
        starts = {gm.index(r, COL_START).data() for r in range(gm.rowCount())} - {"", None}
        assert starts and all("." not in s and s[:3].isascii() for s in starts), starts
    finally:
        w.close_store()


def test_gantt_month_headings_fit_their_columns_in_english(qtbot, english, demo_db):
    """"Nov 52" is wider than "พ.ย.52": the month columns are as wide as their headings need."""
    w = _window(qtbot, demo_db)
    try:
        w.resize(1366, 760)
        page = pages.open_page(w, rayong_year(w.store), pages.DEVPLAN_PAGE)
        qtbot.wait(20)
        header, model = page.grid.horizontalHeader(), page.grid_model
        need = max(header.fontMetrics().horizontalAdvance(model.headerData(c, H)) for c in range(COL_M0, COL_M0 + 12))
        assert all(header.sectionSize(c) >= need + 8 for c in range(COL_M0, COL_M0 + 12))
        combo = page.gantt_zoom.combo                     # to quarters and back: as wide again
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert header.sectionSize(COL_M0) < need
        qtbot.keyClick(combo, Qt.Key.Key_Up)
        assert model.headerData(COL_M0, H) == "Oct 52"
        assert all(header.sectionSize(c) >= need + 8 for c in range(COL_M0, COL_M0 + 12))
    finally:
        w.close_store()


def test_what_a_date_cell_was_read_as_is_said_in_english(qtbot, english, demo_db):
    w = _window(qtbot, demo_db)
    try:
        m = w.calendar_view.model
        tips = [m.index(r, c).data(Qt.ItemDataRole.ToolTipRole) for r in range(m.rowCount())
                for c in range(m.FIRST_MONTH, m.col_remark)
                if m.index(r, c).data(Qt.ItemDataRole.EditRole) == "31 มี.ค. 54"]
        assert tips and "31 March 2554" in tips[0], tips
    finally:
        w.close_store()
