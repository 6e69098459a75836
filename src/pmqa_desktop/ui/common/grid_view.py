"""The spreadsheet-like table view both kinds of grid build on (the schedules' calendar and weekly
plan, the development plans' grids): ``GridTableView`` over a ``grid_model.GridModel``.

Keys: arrows, Tab/Shift+Tab, Enter (down), F2 or typing edits, Delete clears the selection,
Home/End, Ctrl+Home/End, Ctrl+C/Ctrl+V (Excel/Word blocks), Ctrl+Z/Ctrl+Y, Alt+Up/Alt+Down ask
to move a row, Ctrl+Shift+Right/Left ask to extend or shrink a span; rows grow with their text,
Ctrl+wheel zooms.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QLine, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QGuiApplication, QKeyEvent, QKeySequence, QPainter, QPaintEvent,
                           QPalette, QPen)
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QHeaderView, QStyle, QStyleOptionViewItem,
                               QTableView, QToolTip, QWidget)

from .clipboard import put_on_clipboard, parse_tsv, to_html, to_tsv
from .delegates import PAD_X, PAD_Y, CellEditor, TextLayouts, ThaiWrapDelegate, word_breaks_notifier
from .grid_model import GridModel

#: a row grows with its text up to this many lines (a 5,000-character paste stays a few lines tall)
MAX_ROW_LINES = 8
ZOOM_STEP = 10              # percent per notch of the wheel
ZOOM_RANGE = (50, 250)


def long_text_tip(text: str) -> str:
    """A cell's whole text as a tooltip: wrapped (between Thai words too) to a readable width."""
    import html

    from ...core.thai_text import with_zwsp
    return ("<div style='white-space: pre-wrap; width: 480px'>" + html.escape(with_zwsp(text)) + "</div>")


class GridTableView(QTableView):
    """A QTableView that behaves like a spreadsheet over a ``GridModel``."""

    moveRowRequested = Signal(int)     # -1 up, +1 down
    spanChangeRequested = Signal(int)  # +1 extend, -1 shrink
    zoomChanged = Signal(int)          # percent (Ctrl+wheel, Ctrl+0)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # The viewport is a widget Qt made: the first viewport() asked PySide to find its Python
        # type, which it does by building the types of all QtWidgets' widget classes (70 enum
        # types, ~5 ms at the start). Found by its name, the same widget comes as a plain QWidget
        # at once, and viewport() then returns this object (kept here so that it stays the one).
        self._viewport_found = self.findChild(QWidget, "qt_scrollarea_viewport",
                                              Qt.FindChildOption.FindDirectChildrenOnly)
        self.cell_delegate = ThaiWrapDelegate(self)
        self.setItemDelegate(self.cell_delegate)
        self.setWordWrap(True)  # Qt wraps; the display text marks the Thai word breaks
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setTabKeyNavigation(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._line = self.fontMetrics().lineSpacing() + 8
        vh.setDefaultSectionSize(self._line)
        vh.setMinimumSectionSize(self._line)
        self._heights: dict[str, int] = {}
        self._clipped: set[str] = set()      # rows whose text is taller than they are shown
        self.frozen: Any = None              # ui.frozen_view.FrozenColumns over this grid's first columns
        self.zoom = 100                      # percent of the cells' normal font size
        self.empty_hint = ""                 # shown in the grid while it has no rows
        self._base_font: QFont | None = None
        self.leader: QTableView | None = None   # set on that view over them: the grid it follows
        self._row_spans: dict[int, dict[int, int]] | None = {}
        self._fonts: tuple | None = None
        self._fitting = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_visible_rows)
        self.verticalScrollBar().valueChanged.connect(self.fit_visible_rows)
        self.horizontalHeader().sectionResized.connect(self._columns_resized)
        word_breaks_notifier().ready.connect(self._word_breaks_ready)

    def text_layouts(self) -> TextLayouts:
        """The laid-out texts this view draws: the view over the frozen columns draws the very
        layouts its grid measured the rows with, so each text is shaped once, not once per view."""
        leader = self.leader
        return (leader if isinstance(leader, GridTableView) else self).cell_delegate.layouts

    # ------------------------------------------------------------ model wiring
    def setModel(self, model) -> None:
        old = self.model()
        if isinstance(old, GridModel):
            for sig, slot in self._connections(old):
                try:
                    sig.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        super().setModel(model)
        if isinstance(model, GridModel):
            for sig, slot in self._connections(model):
                sig.connect(slot)
        self._model_reset()

    def _connections(self, model: GridModel):
        out = [(model.dataChanged, self._data_changed), (model.modelReset, self._model_reset),
               (model.rowsInserted, self._rows_changed), (model.rowsRemoved, self._rows_changed),
               (model.rowsMoved, self._rows_changed), (model.layoutChanged, self._rows_changed),
               (model.spansChanged, self.apply_spans)]
        if self.leader is None:   # (the view over frozen columns shares the grid's current cell)
            out.append((model.focusRequested, self.focus_key))
        return out

    def grid(self) -> GridModel:
        return self.model()

    def _model_reset(self) -> None:
        self._heights.clear()
        self.apply_column_widths()
        self.apply_spans()
        self.schedule_fit()

    def _rows_changed(self, *args) -> None:
        self.schedule_fit()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles=()) -> None:
        model = self.grid()
        if top.column() == bottom.column() == 0 and top.row() != bottom.row():
            return  # only the generated numbers changed
        for r in range(top.row(), min(bottom.row(), model.rowCount() - 1) + 1):
            self._heights.pop(model.row_key(r), None)
        self.schedule_fit()

    def _word_breaks_ready(self) -> None:
        self.cell_delegate.layouts.clear()
        self._heights.clear()
        model = self.model()
        if isinstance(model, GridModel):
            model.refresh_display()
        self.schedule_fit()

    def _columns_resized(self, *args) -> None:
        self._heights.clear()
        self.schedule_fit()

    def apply_column_widths(self) -> None:
        model = self.model()
        if model is None:
            return
        hh = self.horizontalHeader()
        hh.blockSignals(True)
        for c in range(model.columnCount()):
            hh.resizeSection(c, self.column_width(c))
        hh.blockSignals(False)

    def column_width(self, col: int) -> int:  # overridden per grid
        return 100

    def apply_spans(self) -> None:
        self.clearSpans()
        self._row_spans = {}
        model = self.model()
        if isinstance(model, GridModel):
            for row, col, rs, cs in model.spans():
                self.setSpan(row, col, rs, cs)
                if rs == 1:
                    self._row_spans.setdefault(row, {})[col] = cs
                else:  # (the grids span columns only; anything else is left to Qt's painting)
                    self._row_spans = None
                    break
        self._heights.clear()
        self.schedule_fit()

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the grid in one pass over the model's rows.

        Qt's own painting calls into a Python model five or more times per cell (index, flags
        twice, the delegate and its seven roles), which alone costs more than a frame on a page
        of a large calendar. Here a row costs one Python call that lists its non-empty cells,
        and a wrapped Thai text is drawn from the same layout that decided the row's height
        (``TextLayouts.draw``, which keeps texts painted again as pictures). Grids this does not
        cover (row spans, other delegates) are left to Qt.
        """
        model = self.model()
        if getattr(model, "read_later", None) is not None:   # (a large calendar: its other rows' cells)
            QTimer.singleShot(0, model.read_rest)   # (queued after this paint)
        if self.empty_hint and model is not None and self.is_empty():
            return self._paint_hint()
        if (self._row_spans is None or not hasattr(model, "paint_row")
                or type(self.itemDelegate()) is not ThaiWrapDelegate):
            return super().paintEvent(event)
        n_rows, n_cols = model.rowCount(), model.columnCount()
        if not n_rows or not n_cols:
            return
        area = event.rect()
        vh, hh = self.verticalHeader(), self.horizontalHeader()
        left = area.left()
        frozen = self.frozen
        if frozen is not None and frozen.active():
            # what lies under the frozen columns' view is never seen: not laid out or drawn twice
            left = max(left, frozen.width())
            if left > area.right():
                return
        first_r = vh.logicalIndexAt(area.top())
        first_c = hh.logicalIndexAt(left)
        if first_r < 0 or first_c < 0:
            return
        last_r = vh.logicalIndexAt(area.bottom())
        last_r = n_rows - 1 if last_r < 0 else last_r
        last_c = hh.logicalIndexAt(area.right())
        last_c = n_cols - 1 if last_c < 0 else last_c
        xs = [hh.sectionViewportPosition(c) for c in range(n_cols)]
        ws = [hh.sectionSize(c) for c in range(n_cols)]
        x_end = xs[last_c] + ws[last_c]

        pal = self.palette()
        group = (QPalette.ColorGroup.Disabled if not self.isEnabled()
                 else QPalette.ColorGroup.Active if self.isActiveWindow() else QPalette.ColorGroup.Inactive)
        highlight = pal.brush(group, QPalette.ColorRole.Highlight)
        colours = (pal.color(group, QPalette.ColorRole.Text), pal.color(group, QPalette.ColorRole.HighlightedText))
        fonts = self.fonts()
        selection = self.selectionModel()
        ranges = [(g.top(), g.left(), g.bottom(), g.right()) for g in selection.selection()] if selection else []
        cur = self.currentIndex()
        cur_rc = (cur.row(), cur.column()) if cur.isValid() and (self.leader or self).hasFocus() else None
        cache = self.text_layouts()
        spans = self._row_spans
        painter = QPainter(self.viewport())
        dpr = painter.device().devicePixelRatioF()
        lines: list[tuple[int, int, int, int]] = []  # grid lines as (x, y, width, height)
        boundaries = [xs[c] + ws[c] - 1 for c in range(first_c, last_c + 1)]
        run_top = None  # a run of rows without spans gets whole vertical grid lines
        focus_rect = None
        y = h = 0
        for r in range(first_r, last_r + 1):
            y, h = vh.sectionViewportPosition(r), vh.sectionSize(r)
            starts = spans.get(r)
            selected_cols: set[int] = set()
            for top, left, bottom, right in ranges:
                if top <= r <= bottom:
                    selected_cols.update(range(max(left, first_c), min(right, last_c) + 1))
            if starts:  # cells joined across columns: the spans decide the cells' extents
                if run_top is not None:
                    lines.extend((x, run_top, 1, y - run_top) for x in boundaries)
                    run_top = None
                c = first_c
                for sc, cs in starts.items():
                    if sc < first_c < sc + cs:
                        c = sc
                while c <= last_c:
                    cs = starts.get(c, 1)
                    x, w = xs[c], sum(ws[c:c + cs])
                    lines.append((x + w - 1, y, 1, h))
                    if c in selected_cols or (cs > 1 and not selected_cols.isdisjoint(range(c, c + cs))):
                        painter.fillRect(x, y, w - 1, h - 1, highlight)
                    c += cs
            else:
                if run_top is None:
                    run_top = y
                for c in sorted(selected_cols):
                    painter.fillRect(xs[c], y, ws[c] - 1, h - 1, highlight)
            lines.append((xs[first_c], y + h - 1, x_end - xs[first_c], 1))
            for c, text, align, brush, is_bold in model.paint_row(r):
                cs = starts.get(c, 1) if starts else 1
                if c > last_c or c + cs <= first_c:
                    continue
                x, w = xs[c], (ws[c] if cs == 1 else sum(ws[c:c + cs]))
                selected = c in selected_cols
                if brush is not None and not selected:
                    painter.fillRect(x, y, w - 1, h - 1, brush)
                if text:
                    f, fkey = fonts[is_bold]
                    cache.draw(painter, x + PAD_X, y + PAD_Y, text, max(1, w - 2 * PAD_X), h - 1 - 2 * PAD_Y,
                               f, fkey, align, colours[selected], dpr)
            if cur_rc is not None and cur_rc[0] == r and first_c <= cur_rc[1] <= last_c:
                c = cur_rc[1]
                cs = starts.get(c, 1) if starts else 1
                focus_rect = QRect(xs[c], y, sum(ws[c:c + cs]) - 1, h - 1)
        if run_top is not None:
            lines.extend((x, run_top, 1, y + h - run_top) for x in boundaries)
        if self.showGrid():
            pen = self._grid_pen()
            if pen.style() == Qt.PenStyle.SolidLine:  # one-pixel rectangles fill four times faster than lines
                colour = pen.color()
                for x, y, w, h in lines:
                    painter.fillRect(x, y, w, h, colour)
            else:
                painter.setPen(pen)
                painter.drawLines([QLine(x, y, x + w - 1, y + h - 1) for x, y, w, h in lines])
        if focus_rect is not None and self.state() != QAbstractItemView.State.EditingState:
            painter.setPen(QPen(highlight.color().darker(125), 2))
            painter.drawRect(focus_rect.adjusted(1, 1, -1, -1))
        painter.end()

    def is_empty(self) -> bool:
        """No rows (or, where ``empty_check`` is set, nothing the clerk entered yet)."""
        check = getattr(self, "empty_check", None)
        return check() if callable(check) else self.model().rowCount() == 0

    def _paint_hint(self) -> None:
        """What to press to begin, in the middle of an empty grid."""
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        painter.setFont(font)
        painter.drawText(self.viewport().rect().adjusted(20, 20, -20, -20),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.empty_hint)
        painter.end()

    def _grid_pen(self) -> QPen:
        opt = QStyleOptionViewItem()
        self.initViewItemOption(opt)
        colour = QColor.fromRgba(self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, opt, self) & 0xFFFFFFFF)
        return QPen(colour, 0, self.gridStyle())

    # ------------------------------------------------------------ row heights (lazy, cached)
    def schedule_fit(self) -> None:
        self._fit_timer.start()

    def row_height(self, row: int) -> int:
        model = self.grid()
        key = model.row_key(row)
        h = self._heights.get(key)
        if h is None:
            hh = self.horizontalHeader()
            h = self._line
            if hasattr(model, "paint_row") and self._row_spans is not None:
                # measured on the layouts the paint will draw (same font, alignment and width)
                layouts, fonts = self.cell_delegate.layouts, self.fonts()
                starts = self._row_spans.get(row)
                for col, text, align, _brush, bold in model.paint_row(row):
                    if not text or (len(text) < 8 and text.isdigit()):  # a row number: one line, the minimum
                        continue
                    span = starts.get(col, 1) if starts else 1
                    width = sum(hh.sectionSize(c) for c in range(col, col + span))
                    font, fkey = fonts[bold]
                    text_h = layouts.layout(text, max(1, width - 2 * PAD_X), font, align, fkey)[1]
                    h = max(h, int(text_h + 0.999) + 2 * PAD_Y + 1)
            else:
                font = self.font()
                for col, span, text in model.row_cells(row):
                    if not text:
                        continue
                    width = sum(hh.sectionSize(c) for c in range(col, col + span))
                    h = max(h, self.cell_delegate.text_height(text, width, font))
            cap = self.max_row_height()
            if h > cap:   # a very long text (a pasted page): a few lines here, the whole on hover or F2
                self._clipped.add(key)
                h = cap
            else:
                self._clipped.discard(key)
            self._heights[key] = h
        return h

    def text_is_cut(self, index) -> bool:
        """True when the cell's text is taller than its row may grow (only part of it shows)."""
        grid = self.leader or self     # (over the frozen columns, the grid keeps the heights)
        model = self.model()
        if not index.isValid() or not isinstance(model, GridModel) or \
                model.row_key(index.row()) not in grid._clipped:
            return False
        text = index.data(Qt.ItemDataRole.EditRole)
        width = self.columnWidth(index.column())
        return isinstance(text, str) and \
            self.cell_delegate.text_height(text, width, self.font()) > grid.max_row_height()

    def max_row_height(self) -> int:
        """The tallest a row grows: MAX_ROW_LINES lines of the cells' font."""
        return QFontMetrics(self.fonts()[0][0]).lineSpacing() * MAX_ROW_LINES + 2 * PAD_Y + 1

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            idx = self.indexAt(event.pos())
            model = self.model()
            if idx.isValid() and isinstance(model, GridModel) and model.row_key(idx.row()) in self._clipped:
                text = idx.data(Qt.ItemDataRole.EditRole)
                if isinstance(text, str) and text.strip():
                    QToolTip.showText(event.globalPos(), long_text_tip(text), self.viewport(),
                                      self.visualRect(idx))
                    return True
        return super().viewportEvent(event)

    def fonts(self) -> tuple[tuple[QFont, str], tuple[QFont, str]]:
        """((font, key), (bold font, key)) of the cells (kept until the view's font changes)."""
        if self._fonts is None:
            font = self.font()
            bold = QFont(font)
            bold.setBold(True)
            self._fonts = ((font, font.key()), (bold, bold.key()))
        return self._fonts

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fonts = None
            self._heights.clear()
            self.schedule_fit()
        super().changeEvent(event)

    def fit_visible_rows(self, *args) -> None:
        """Fit the heights of the rows in view (and a few more); never all rows."""
        model = self.model()
        if not isinstance(model, GridModel) or self._fitting or self.leader is not None:
            return   # (the view over the frozen columns takes the grid's row heights)
        n = model.rowCount()
        if n == 0:
            return
        self._fitting = True
        try:
            vh = self.verticalHeader()
            # the vertical header always has the viewport's height (QTableView.updateGeometries, also
            # when hidden); asking it, not viewport(), spares the start PySide's look-up of the
            # viewport's type, which builds the Python types of all the other QtWidgets classes
            for _attempt in range(4):
                first = max(0, vh.logicalIndexAt(0))
                last = vh.logicalIndexAt(vh.height() - 1)
                last = n - 1 if last < 0 else min(n - 1, last + 2)
                changed = False
                for r in range(first, last + 1):
                    h = self.row_height(r)
                    if vh.sectionSize(r) != h:
                        vh.resizeSection(r, h)
                        changed = True
                if not changed:
                    break
        finally:
            self._fitting = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.schedule_fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_visible_rows()

    # ------------------------------------------------------------ selection helpers
    def focus_key(self, key: str, col: int) -> None:
        model = self.grid()
        row = model.row_of_key(key)
        if row < 0:
            return
        col = max(0, min(col, model.columnCount() - 1))
        idx = model.index(row, col)
        self.setCurrentIndex(idx)
        self.scrollTo(idx)

    def selected_rect(self) -> tuple[int, int, int, int] | None:
        """Bounding rectangle (top, left, bottom, right) of the selection, spans included."""
        idxs = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not idxs:
            cur = self.currentIndex()
            if not cur.isValid():
                return None
            idxs = [cur]
        top = min(i.row() for i in idxs)
        left = min(i.column() for i in idxs)
        bottom = max(i.row() + self.rowSpan(i.row(), i.column()) - 1 for i in idxs)
        right = max(i.column() + self.columnSpan(i.row(), i.column()) - 1 for i in idxs)
        return top, left, bottom, right

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in (self.selectionModel().selectedIndexes() if self.selectionModel() else [])}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    # ------------------------------------------------------------ clipboard and clearing
    def copy_selection(self) -> bool:
        rect = self.selected_rect()
        if rect is None:
            return False
        block = self.grid().block_text(*rect)
        put_on_clipboard(to_tsv(block), to_html(block))
        return True

    def paste(self) -> bool:
        cur = self.currentIndex()
        if not cur.isValid():
            rect = self.selected_rect()
            if rect is None:
                return False
            row, col = rect[0], rect[1]
        else:
            row, col = cur.row(), cur.column()
        block = parse_tsv(QGuiApplication.clipboard().text())
        if not block:
            return False
        return self.grid().set_block(row, col, block)

    def cut(self) -> bool:
        return self.copy_selection() and self.delete_selection()

    def delete_selection(self) -> bool:
        idxs = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not idxs and self.currentIndex().isValid():
            idxs = [self.currentIndex()]
        cells = [(i.row(), i.column()) for i in idxs if i.flags() & Qt.ItemFlag.ItemIsEditable]
        return bool(cells) and self.grid().clear_cells(sorted(cells))

    # ------------------------------------------------------------ keys and editing
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        model = self.model()
        if isinstance(model, GridModel) and self.state() != QAbstractItemView.State.EditingState:
            stack = model.undo_stack
            if event.matches(QKeySequence.StandardKey.Undo):
                if stack is not None:
                    stack.undo()
                return
            if event.matches(QKeySequence.StandardKey.Redo) or (ctrl and key == Qt.Key.Key_Y):
                if stack is not None:
                    stack.redo()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.matches(QKeySequence.StandardKey.Cut):
                self.cut()
                return
            if key == Qt.Key.Key_Delete and not (ctrl or alt):
                self.delete_selection()
                return
            if alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.moveRowRequested.emit(-1 if key == Qt.Key.Key_Up else 1)
                return
            if ctrl and shift and key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
                self.spanChangeRequested.emit(1 if key == Qt.Key.Key_Right else -1)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (ctrl or alt):
                self.move_current(-1 if shift else 1, 0)
                return
            if ctrl and key == Qt.Key.Key_0:      # zoom back to normal
                self.set_zoom(100)
                return
        super().keyPressEvent(event)

    def move_current(self, drow: int, dcol: int) -> None:
        model = self.model()
        cur = self.currentIndex()
        if model is None or not cur.isValid():
            return
        row, col = cur.row(), cur.column()
        if dcol > 0:
            col = col + self.columnSpan(row, col)
        elif dcol < 0:
            col = col - 1
        if drow > 0:
            row = row + self.rowSpan(row, col)
        elif drow < 0:
            row = row - 1
        row = max(0, min(model.rowCount() - 1, row))
        col = max(0, min(model.columnCount() - 1, col))
        idx = model.index(row, col)
        self.setCurrentIndex(idx)
        self.scrollTo(idx)

    def edit(self, index, trigger=None, event=None):  # noqa: D401 - Qt override (both overloads)
        frozen = self.frozen
        if frozen is not None and index.isValid() and index.column() < frozen.count and frozen.active():
            # a frozen cell: its editor opens in the view over it, not hidden underneath
            return frozen.overlay.edit(index) if trigger is None else frozen.overlay.edit(index, trigger, event)
        if trigger is None:
            return super().edit(index)
        if trigger in (QAbstractItemView.EditTrigger.EditKeyPressed, QAbstractItemView.EditTrigger.DoubleClicked) \
                and self.text_is_cut(index):   # F2 / double-click on a text longer than its row: a window
            from .text_popup import edit_whole_text
            edit_whole_text(self, index)
            return False
        self.cell_delegate.replace_on_edit = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
        try:
            return super().edit(index, trigger, event)
        finally:
            self.cell_delegate.replace_on_edit = False

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        how = getattr(editor, "move_after", None)
        super().closeEditor(editor, hint)
        if how == "down":
            self.move_current(1, 0)
        elif how == "next":
            self.move_current(0, 1)
        elif how == "previous":
            self.move_current(0, -1)
        if self.leader is not None:   # edited over a frozen column: the keys go back to the grid
            self.leader.setFocus()
            self.leader.scrollTo(self.leader.currentIndex())
        else:
            self.setFocus()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        frozen = self.frozen
        if self.leader is not None or (frozen is not None and frozen.active() and index.isValid()
                                       and index.column() < frozen.count):
            # a frozen cell is always in view sideways: only the rows scroll
            bar = self.horizontalScrollBar()
            value = bar.value() if self.leader is None else 0
            super().scrollTo(index, hint)
            bar.setValue(value)
            return
        super().scrollTo(index, hint)
        if frozen is not None:
            frozen.scroll_clear_of(index)

    def wheelEvent(self, event) -> None:  # noqa: N802
        if self.leader is not None:   # the wheel over the frozen columns scrolls the grid
            self.leader.wheelEvent(event)
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:   # zoom, as in Excel
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom + int(round(steps * ZOOM_STEP)))
            event.accept()
            return
        super().wheelEvent(event)

    def set_zoom(self, percent: int) -> None:
        """Draw the cells larger or smaller (ZOOM_RANGE percent); the rows fit again."""
        percent = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], int(percent)))
        if self._base_font is None:
            self._base_font = QFont(self.font())
        if percent == self.zoom:
            return
        self.zoom = percent
        font = QFont(self._base_font)
        if self._base_font.pointSizeF() > 0:
            font.setPointSizeF(self._base_font.pointSizeF() * percent / 100)
        else:
            font.setPixelSize(max(6, round(self._base_font.pixelSize() * percent / 100)))
        for view in (self, self.frozen.overlay if self.frozen is not None else None):
            if view is not None:
                view.setFont(font)
                view._line = view.fontMetrics().lineSpacing() + 8
                view.verticalHeader().setMinimumSectionSize(view._line)
                view.verticalHeader().setDefaultSectionSize(view._line)
        self._heights.clear()
        self.schedule_fit()
        if self.frozen is not None:
            self.frozen.copy_rows()
        self.zoomChanged.emit(percent)

    def current_editor(self) -> CellEditor | None:
        for ed in self.findChildren(CellEditor):
            if ed.isVisible():
                return ed
        return None
