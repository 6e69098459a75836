"""The development plan's Gantt: zoom (a month per column, a quarter's width, or the whole
fiscal year fitted beside the activity column) and a line at today's date."""
from __future__ import annotations

import calendar
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from ...core.thai_calendar import MonthKey
from ...i18n import _, english_screen
from ..common import layout_memory
from .models import COL_M0, N_MONTHS

TODAY = QColor("#d32f2f")
MONTH_WIDTH = {"month": 46, "quarter": 22}
MIN_FIT = 14   # px per month when the year is fitted into a narrow grid
HEADING_ROOM = 10   # px around a month's heading (the header's margins)
SAVED_AS = "gantt_zoom"   # (layout memory)


def today_x(view: Any, today: date) -> float | None:
    """Viewport x of ``today`` over the view's month columns, None outside its fiscal year."""
    model = view.model()
    months = getattr(model, "months", None) or []
    key = MonthKey(today.year, today.month)
    if key not in months:
        return None
    col = COL_M0 + months.index(key)
    if view.isColumnHidden(col):
        return None
    days = calendar.monthrange(today.year, today.month)[1]
    return view.columnViewportPosition(col) + view.columnWidth(col) * (today.day - 0.5) / days


def paint_today(view: Any, today: date) -> float | None:
    """Draw the today line over the grid's rows (called after the grid painted itself)."""
    x = today_x(view, today)
    if x is None:
        return None
    p = QPainter(view.viewport())
    p.setPen(QPen(TODAY, 2, Qt.PenStyle.SolidLine))
    bottom = view.viewport().height()
    rows = view.model().rowCount()
    if rows:
        last = view.rowViewportPosition(rows - 1) + view.rowHeight(rows - 1)
        bottom = min(bottom, last)
    p.drawLine(int(round(x)), 0, int(round(x)), bottom)
    p.end()
    return x


class GanttZoom(QObject):
    """The zoom choice beside the plan's buttons; it sets the month columns' widths."""

    def __init__(self, grid: Any, parent: QWidget):
        super().__init__(parent)
        self.grid = grid
        grid.widths = dict(grid.widths)      # this page's own widths (the zoom changes them)
        box = QWidget(parent)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(_("Gantt:"), box))
        self.combo = QComboBox(box)
        self.combo.setObjectName("gantt_zoom")
        self.combo.addItem(_("Months"), "month")
        self.combo.addItem(_("Quarters"), "quarter")
        self.combo.addItem(_("Whole fiscal year"), "fit")
        self.combo.setToolTip(_("How wide the months of the Gantt bars are"))
        self._take_saved()                 # the clerk's last choice, on every plans page and after a restart
        self.combo.currentIndexChanged.connect(lambda *_a: self._chosen())
        lay.addWidget(self.combo)
        self.widget = box
        grid.viewport().installEventFilter(self)
        self.apply()

    def _take_saved(self) -> bool:
        """Take the saved zoom (chosen on another page perhaps); True when it changed."""
        index = self.combo.findData(layout_memory.load(SAVED_AS))
        if index < 0 or index == self.combo.currentIndex():
            return False
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        return True

    def _chosen(self) -> None:
        layout_memory.save(SAVED_AS, self.mode())
        self.apply()

    def mode(self) -> str:
        return self.combo.currentData()

    def month_width(self) -> int:
        mode = self.mode()
        if mode == "month":   # as wide as the headings need ("Nov 52" is wider than "พ.ย.52")
            months = getattr(self.grid.model(), "months", None) or []
            header = self.grid.horizontalHeader()
            labels = [m.abbr(english=english_screen()) for m in months]   # (with the year: months are wide)
            need = max((header.fontMetrics().horizontalAdvance(t) for t in labels), default=0) + HEADING_ROOM
            return max(MONTH_WIDTH[mode], need)
        if mode != "fit":
            return MONTH_WIDTH[mode]
        frozen = getattr(self.grid, "frozen", None)
        room = self.grid.viewport().width() - (frozen.width() if frozen is not None and frozen.active() else 0)
        return max(MIN_FIT, (room - 4) // N_MONTHS)

    def apply(self) -> None:
        width = self.month_width()
        hh = self.grid.horizontalHeader()
        model = self.grid.model()
        if model is not None:   # narrow months drop the year from their headers ("ม.ค.70", "ก.พ.", ...)
            narrow = width < MONTH_WIDTH["month"]
            if getattr(model, "narrow_months", False) != narrow:
                model.narrow_months = narrow
                model.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_M0, COL_M0 + N_MONTHS - 1)
        self.grid.applying_zoom = True
        try:
            for c in range(COL_M0, COL_M0 + N_MONTHS):
                self.grid.widths[c] = width
                if hh.sectionSize(c) != width:
                    hh.resizeSection(c, width)
        finally:
            self.grid.applying_zoom = False
        if self.mode() == "fit":   # the first month right beside the frozen activity column
            frozen = getattr(self.grid, "frozen", None)
            left = frozen.width() if frozen is not None and frozen.active() else 0
            bar = self.grid.horizontalScrollBar()
            bar.setValue(bar.value() + self.grid.columnViewportPosition(COL_M0) - left)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == event.Type.Show and self._take_saved():
            self.apply()
        elif event.type() == event.Type.Resize and self.mode() == "fit":
            self.apply()
        return False


def install(page: Any, add: Callable[[QWidget], None]) -> GanttZoom:
    zoom = GanttZoom(page.grid, page)
    add(zoom.widget)
    return zoom
