"""Print preview comforts, as in Word: zoom (fit width, whole page, percentages; Ctrl+wheel)
and a column of page thumbnails to jump to a page."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QListView, QListWidget, QListWidgetItem, QWidget

from ...i18n import _

PERCENTS = (50, 75, 100, 125, 150, 200, 300)
SCREEN_DPI = 96
THUMB_WIDTH = 110


class ZoomBox(QComboBox):
    """Fit width / whole page / a percentage of the printed size."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("print_zoom")
        self.addItem(_("Fit width"), "width")
        self.addItem(_("Whole page"), "page")
        for p in PERCENTS:
            self.addItem(f"{p}%", p)
        self.setCurrentIndex(0)
        self.currentIndexChanged.connect(lambda *_a: self.changed.emit())

    def dpi(self, page_pt: tuple[float, float], room: QSize) -> float:
        """The resolution to draw a page of ``page_pt`` points at, for the chosen zoom."""
        mode = self.currentData()
        w_pt, h_pt = page_pt
        if mode == "width":
            return max(20.0, (room.width() - 24) * 72.0 / max(1.0, w_pt))
        if mode == "page":
            return max(20.0, min((room.width() - 24) * 72.0 / max(1.0, w_pt),
                                 (room.height() - 24) * 72.0 / max(1.0, h_pt)))
        return SCREEN_DPI * int(mode) / 100.0

    def step(self, notches: int) -> None:
        """Ctrl+wheel: the next percentage up or down (from a fitted zoom, 100 %)."""
        mode = self.currentData()
        current = mode if isinstance(mode, int) else 100
        larger = [p for p in PERCENTS if p > current]
        smaller = [p for p in PERCENTS if p < current]
        target = (larger[0] if larger else current) if notches > 0 else (smaller[-1] if smaller else current)
        self.setCurrentIndex(self.findData(target))


class _WheelZoom(QObject):
    def __init__(self, target: QWidget, box: ZoomBox):
        super().__init__(target)
        self.box = box

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            notches = event.angleDelta().y()
            if notches:
                self.box.step(1 if notches > 0 else -1)
            return True
        return False


def zoom_with_wheel(scroll: QWidget, box: ZoomBox) -> None:
    scroll.viewport().installEventFilter(_WheelZoom(scroll.viewport(), box))


class Thumbnails(QListWidget):
    """Small pictures of the pages; a click shows that page."""

    pageChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("print_thumbnails")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setFixedWidth(THUMB_WIDTH + 40)
        self.setSpacing(6)
        self.currentRowChanged.connect(lambda row: row >= 0 and self.pageChosen.emit(row + 1))

    def fill(self, pdf_path: Path, pages: int, render: Callable) -> None:
        self.blockSignals(True)
        self.clear()
        for n in range(pages):
            img = render(pdf_path, n, 14)
            item = QListWidgetItem(QIcon(QPixmap.fromImage(img)), _("Page {n}").format(n=n + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.blockSignals(False)

    def set_current(self, number: int) -> None:
        if 0 < number <= self.count() and self.currentRow() != number - 1:
            self.blockSignals(True)
            self.setCurrentRow(number - 1)
            self.blockSignals(False)
