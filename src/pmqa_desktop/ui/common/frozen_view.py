"""Frozen columns: the first columns of a grid (ลำดับ and แนวทาง, the criterion, the activity)
stay in view while the months scroll, as Excel's "freeze panes" do.

As in Qt's Frozen Column example, a second view of the same model and selection lies over the
left of the grid: it shows only those columns, never scrolls sideways, and follows the grid's
rows (their heights and the vertical scrolling). Keys stay with the grid; a frozen cell is
edited in the view over it, so that its editor is not hidden under it."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

#: the frozen part may take at most this share of the grid's width (else nothing is frozen)
MAX_SHARE = 0.75
BORDER = 2        # the line that marks where the months scroll under


class FrozenColumns(QObject):
    def __init__(self, view: QTableView, count: int, make: Callable[[QTableView], QTableView]):
        super().__init__(view)
        self.view = view
        self.count = count
        overlay = make(view)
        self.overlay = overlay
        overlay.setObjectName((view.objectName() or "grid") + "_frozen")
        overlay.leader = view
        if "column_width" in vars(view):          # a grid's own widths (the calendar's, the weekly plan's)
            overlay.column_width = view.column_width
        if hasattr(view, "widths"):
            overlay.widths = view.widths
        header_type = type(view.horizontalHeader())
        if header_type is not QHeaderView:   # the weekly plan's two-row header: the same height
            overlay.setHorizontalHeader(header_type(overlay))
        overlay.setModel(view.model())
        overlay.setSelectionModel(view.selectionModel())
        overlay.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        overlay.verticalHeader().hide()
        overlay.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        overlay.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        overlay.setFrameShape(QFrame.Shape.NoFrame)
        overlay.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        overlay.setVerticalScrollMode(view.verticalScrollMode())
        overlay.setStyleSheet(f"QTableView {{ border: none; border-right: {BORDER}px solid #9e9e9e; }}")
        view.frozen = self
        # rows: the grid decides their heights, the overlay follows
        view.verticalHeader().sectionResized.connect(self._row_resized)
        view.verticalScrollBar().valueChanged.connect(overlay.verticalScrollBar().setValue)
        overlay.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        overlay.horizontalScrollBar().valueChanged.connect(self._stay_left)
        # columns: a frozen column made wider on either header is wider on both
        view.horizontalHeader().sectionResized.connect(self._column_resized)
        overlay.horizontalHeader().sectionResized.connect(self._overlay_column_resized)
        view.model().modelReset.connect(self.update_geometry)
        view.model().columnsInserted.connect(self.update_geometry)
        view.model().columnsRemoved.connect(self.update_geometry)
        view.installEventFilter(self)
        self.copy_rows()
        self.update_geometry()

    # ------------------------------------------------------------ following the grid
    def copy_rows(self) -> None:
        """Every row as tall as in the grid (rows measured so far; later ones follow by signal)."""
        vh, oh = self.view.verticalHeader(), self.overlay.verticalHeader()
        default = vh.defaultSectionSize()
        oh.setDefaultSectionSize(default)
        oh.setMinimumSectionSize(vh.minimumSectionSize())
        for r in range(min(vh.count(), oh.count())):
            size = vh.sectionSize(r)
            if size != default or oh.sectionSize(r) != default:
                oh.resizeSection(r, size)
        self.overlay.verticalScrollBar().setValue(self.view.verticalScrollBar().value())

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        oh = self.overlay.verticalHeader()
        if row < oh.count() and oh.sectionSize(row) != new:
            oh.resizeSection(row, new)

    def _stay_left(self, value: int) -> None:
        if value:
            self.overlay.horizontalScrollBar().setValue(0)

    def _column_resized(self, col: int, _old: int, new: int) -> None:
        if col < self.count:
            oh = self.overlay.horizontalHeader()
            if oh.sectionSize(col) != new:
                oh.resizeSection(col, new)
            self.update_geometry()

    def _overlay_column_resized(self, col: int, _old: int, new: int) -> None:
        if col < self.count:
            vh = self.view.horizontalHeader()
            if vh.sectionSize(col) != new:
                vh.resizeSection(col, new)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange,
                                                 QEvent.Type.LayoutRequest):
            self.update_geometry()
        return False

    # ------------------------------------------------------------ geometry
    def width(self) -> int:
        hh = self.view.horizontalHeader()
        return sum(hh.sectionSize(c) for c in range(min(self.count, hh.count())))

    def active(self) -> bool:
        return self.overlay.isVisible()

    def update_geometry(self) -> None:
        view, overlay = self.view, self.overlay
        hh = view.horizontalHeader()
        oh = overlay.horizontalHeader()
        n = view.model().columnCount() if view.model() is not None else 0
        for c in range(min(self.count, n, oh.count())):   # (the months lie beyond its right edge)
            if oh.sectionSize(c) != hh.sectionSize(c):
                oh.resizeSection(c, hh.sectionSize(c))
        width = self.width()
        if n <= self.count or width > view.viewport().width() * MAX_SHARE or not view.isVisible():
            overlay.hide()   # too narrow a grid: it scrolls as a whole
            return
        oh.setFixedHeight(hh.height())
        x = view.frameWidth() + (view.verticalHeader().width() if view.verticalHeader().isVisible() else 0)
        overlay.setGeometry(x, view.frameWidth(), width + BORDER, view.viewport().height() + hh.height())
        overlay.show()
        overlay.raise_()

    def scroll_clear_of(self, index: Any) -> None:
        """After the grid scrolled to a month cell: not under the frozen columns."""
        if not self.active() or not index.isValid() or index.column() < self.count:
            return
        rect = self.view.visualRect(index)
        width = self.width()
        if rect.left() < width:
            bar = self.view.horizontalScrollBar()
            bar.setValue(bar.value() - (width - rect.left()))


def freeze_columns(view: QTableView, count: int, make: Callable[[QTableView], QTableView] | None = None
                   ) -> FrozenColumns:
    """Keep the first ``count`` columns of ``view`` in view; ``make(view)`` builds the view laid
    over them (by default one of the view's own class)."""
    return FrozenColumns(view, count, make or (lambda v: type(v)(v)))
