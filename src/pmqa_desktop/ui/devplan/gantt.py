"""The development plan's grid view: Thai text cells, a Gantt bar over the 12 fiscal months
that can be dragged (move the middle, stretch an end), and choice cells.

``DevGridView`` is a ``common.grid_view.GridTableView`` (keys, clipboard, row heights) that keeps the
current cell across model reloads. ``PlanGridView`` adds the bar dragging: the mouse handling
keeps a preview in the model while the button is down and pushes ONE undoable command when
it is released (Esc cancels).
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QMouseEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QWidget)

from ...core.thai_text import strip_zwsp
from ..common.delegates import CellEditor, ThaiWrapDelegate
from .models import COL_M0, COL_OUTPUT, N_MONTHS, ChoicesRole, PlanGridModel, TypedChoiceRole, ValueRole
from ..common.grid_view import GridTableView

BAR = QColor("#2f6db3")
BAR_PREVIEW = QColor("#f08c00")
WARN = QColor("#e65100")
END_ZONE = 0.34     # the outer third of an end cell stretches the bar


class PlanCellDelegate(ThaiWrapDelegate):
    """Wrapped Thai text; editors start from the model's ``edit_text``; a warning mark where
    the model reports a budget mismatch."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        model = index.model()
        warn = getattr(model, "mismatch", None)
        if warn is not None and index.column() == model.columnCount() - 1 and warn(index.row()):
            r = option.rect
            size = min(16, r.height() - 4)
            x, y = r.left() + 4, r.top() + (r.height() - size) / 2
            tri = QPolygonF([QPointF(x + size / 2, y), QPointF(x + size, y + size), QPointF(x, y + size)])
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QBrush(WARN))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(tri)
            painter.setPen(QPen(QColor("white")))
            f = painter.font()
            f.setBold(True)
            f.setPixelSize(max(8, int(size * 0.7)))
            painter.setFont(f)
            painter.drawText(QRectF(x, y + size * 0.2, size, size * 0.8), Qt.AlignmentFlag.AlignCenter, "!")
            painter.restore()

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, CellEditor) and not self.replace_on_edit and hasattr(index.model(), "edit_text"):
            editor.setPlainText(index.model().edit_text(index.row(), index.column()))
            editor.moveCursor(editor.textCursor().MoveOperation.End)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, CellEditor) and hasattr(model, "edit_text"):
            text = editor.text()
            if text != strip_zwsp(model.edit_text(index.row(), index.column())):
                model.setData(index, text, Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class ChoiceDelegate(PlanCellDelegate):
    """A drop-down for cells whose model gives choices (``ChoicesRole``); text elsewhere."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        choices = index.model().data(index, ChoicesRole)
        if not choices or (self.replace_on_edit and index.model().data(index, TypedChoiceRole)):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("choice_editor")
        for value, label in choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: (self.commitData.emit(c), self.closeEditor.emit(c)))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = index.model().data(index, ValueRole) or ""
            i = editor.findData(value)
            editor.setCurrentIndex(max(0, i))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value != (model.data(index, ValueRole) or ""):
                model.set_block(index.row(), index.column(), [[str(value)]], edit=True)
            return
        super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setGeometry(option.rect)
            return
        super().updateEditorGeometry(editor, option, index)


class GanttDelegate(QStyledItemDelegate):
    """Paints one fiscal month of a step's bar (the bar runs from its start to its end month;
    an arrow marks a bar that goes on beyond the fiscal year)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        model = index.model()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        bg = model.data(index, Qt.ItemDataRole.BackgroundRole)
        if selected:
            painter.fillRect(rect, option.palette.highlight().color().lighter(170))
        elif bg is not None:
            painter.fillRect(rect, bg)
        if not isinstance(model, PlanGridModel) or not model.is_step(index.row()):
            return
        start, end = model.span_of(index.row())
        if start is None and end is None:
            return
        if start is None:
            start = end
        if end is None:
            end = start
        m = index.column() - COL_M0
        if not start <= m <= end:
            return
        step = model.step_at(index.row())
        colour = BAR_PREVIEW if step and step["id"] in model.preview else BAR
        line = option.fontMetrics.lineSpacing() + 6          # the first text line of the row
        h = max(6, min(12, line // 2))
        top = rect.top() + (min(rect.height(), line) - h) / 2 + 1
        left = rect.left() + (4 if m == start else 0)
        right = rect.right() + 1 - (4 if m == end else 0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if m == end and end < N_MONTHS:   # arrow head at the end, as on the paper form
            head = min(h, (right - left) / 2)
            painter.drawRect(QRectF(left, top, max(0.0, right - left - head), h))
            painter.drawPolygon(QPolygonF([QPointF(right - head, top - h / 3), QPointF(right, top + h / 2),
                                           QPointF(right - head, top + h + h / 3)]))
        else:
            painter.drawRect(QRectF(left, top, right - left, h))
        if m == start and start >= 0:
            painter.drawRect(QRectF(left, top - h / 3, 2, h + 2 * h / 3))   # the start tick
        if (m == 0 and start < 0) or (m == N_MONTHS - 1 and end >= N_MONTHS):
            # the bar continues outside the fiscal year: a chevron at the edge
            painter.setPen(QPen(QColor("white"), 2))
            x = rect.left() + 6 if m == 0 and start < 0 else rect.right() - 6
            d = -3 if m == 0 and start < 0 else 3
            painter.drawLine(QPointF(x - d, top + 1), QPointF(x, top + h / 2))
            painter.drawLine(QPointF(x, top + h / 2), QPointF(x - d, top + h - 1))
        painter.restore()
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.save()
            painter.setPen(QPen(option.palette.highlight().color().darker(130), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()


class DevGridView(GridTableView):
    """A GridTableView over a development-plan model: keeps the current cell across reloads."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.cell_delegate = ChoiceDelegate(self)
        self.setItemDelegate(self.cell_delegate)
        self._saved_current: tuple[str, int] | None = None
        self.widths: dict[int, int] = {}

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            try:
                old.modelAboutToBeReset.disconnect(self._save_current)
                old.modelReset.disconnect(self._restore_current)
            except (RuntimeError, TypeError):
                pass
        super().setModel(model)
        model.modelAboutToBeReset.connect(self._save_current)
        model.modelReset.connect(self._restore_current)

    def column_width(self, col: int) -> int:
        return self.widths.get(col, 90)

    def _save_current(self) -> None:
        cur = self.currentIndex()
        self._saved_current = (self.model().row_key(cur.row()), cur.column(), cur.row()) if cur.isValid() else None

    def _restore_current(self) -> None:
        if self._saved_current:
            key, col, row = self._saved_current
            self._saved_current = None
            if self.model().row_of_key(key) >= 0:
                self.focus_key(key, col)
            elif self.model().rowCount():   # its row went (deleted): the one now in its place
                idx = self.model().index(min(row, self.model().rowCount() - 1), col)
                self.setCurrentIndex(idx)
                self.scrollTo(idx)

    def edit(self, index, trigger=None, event=None):  # noqa: D401 - Qt override
        if trigger == QAbstractItemView.EditTrigger.AnyKeyPressed and index.isValid() \
                and index.model().data(index, ChoicesRole) and not index.model().data(index, TypedChoiceRole):
            return False   # typing does not open a drop-down; F2 or a double-click does
        return super().edit(index, trigger, event) if trigger is not None else super().edit(index)


class PlanGridView(DevGridView):
    """The plan grid with draggable Gantt bars."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.gantt_delegate = GanttDelegate(self)
        for c in range(COL_M0, COL_OUTPUT):
            self.setItemDelegateForColumn(c, self.gantt_delegate)
        self.viewport().setMouseTracking(True)
        self._drag: dict | None = None
        self.today: Callable[[], date] = date.today   # (tests set another day)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        from .gantt_zoom import paint_today
        paint_today(self, self.today())

    # ------------------------------------------------------------ hit testing
    def _month_at(self, x: int) -> int:
        """Month index under viewport x, clamped to the fiscal year."""
        col = self.columnAt(x)
        if col < 0:
            col = COL_OUTPUT - 1 if x > 0 else COL_M0
        return max(0, min(N_MONTHS - 1, col - COL_M0))

    def hit(self, pos) -> tuple[str, int, int] | None:
        """('move'|'start'|'end'|'new', row, month) for a press at ``pos`` on a step's month cell."""
        idx = self.indexAt(pos)
        model = self.model()
        if not idx.isValid() or not isinstance(model, PlanGridModel) or model.read_only:
            return None
        col, row = idx.column(), idx.row()
        if not (COL_M0 <= col < COL_OUTPUT) or not model.is_step(row):
            return None
        m = col - COL_M0
        start, end = model.span_of(row)
        if start is None and end is None:
            return "new", row, m
        start = end if start is None else start
        end = start if end is None else end
        if not start <= m <= end:
            return None
        rect = self.visualRect(idx)
        frac = (pos.x() - rect.left()) / max(1, rect.width())
        if m == start and frac < END_ZONE:
            return "start", row, m
        if m == end and frac > 1 - END_ZONE:
            return "end", row, m
        return "move", row, m

    # ------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.state() != QAbstractItemView.State.EditingState:
            h = self.hit(event.position().toPoint())
            if h is not None:
                mode, row, m = h
                model: PlanGridModel = self.model()
                start, end = model.span_of(row)
                start = end if start is None else start
                end = start if end is None else end
                step = model.step_at(row)
                self._drag = {"mode": mode, "row": row, "anchor": m, "orig": (start, end), "step_id": step["id"],
                              "span": (start, end)}
                hs, vs = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
                self.setCurrentIndex(model.index(row, COL_M0 + m))
                self.horizontalScrollBar().setValue(hs)   # the grid must not scroll under the mouse
                self.verticalScrollBar().setValue(vs)
                if mode == "new":
                    self._drag["orig"] = (m, m)
                    self._drag["span"] = (m, m)
                    model.set_preview(step["id"], (m, m))
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is None:
            if not event.buttons():
                h = self.hit(pos)
                shape = None
                if h is not None:
                    shape = Qt.CursorShape.SizeHorCursor if h[0] in ("start", "end") else (
                        Qt.CursorShape.OpenHandCursor if h[0] == "move" else Qt.CursorShape.CrossCursor)
                if shape is None:
                    self.viewport().unsetCursor()
                else:
                    self.viewport().setCursor(QCursor(shape))
            super().mouseMoveEvent(event)
            return
        d = self._drag
        m = self._month_at(pos.x())
        s, e = d["orig"]
        delta = m - d["anchor"]
        if d["mode"] == "move":
            span = (s + delta, e + delta)
        elif d["mode"] == "start":
            span = (min(s + delta, e), e)
        elif d["mode"] == "end":
            span = (s, max(e + delta, s))
        else:
            span = (min(d["anchor"], m), max(d["anchor"], m))
        if span != d["span"]:
            d["span"] = span
            self.model().set_preview(d["step_id"], span)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        d, self._drag = self._drag, None
        model: PlanGridModel = self.model()
        model.set_preview(d["step_id"], None)
        if d["span"] != d["orig"] or d["mode"] == "new":
            model.move_span(d["step_id"], *d["span"])
        event.accept()

    def keyPressEvent(self, event) -> None:
        if self._drag is not None and event.key() == Qt.Key.Key_Escape:
            d, self._drag = self._drag, None
            self.model().set_preview(d["step_id"], None)
            return
        super().keyPressEvent(event)

    def dragging(self) -> bool:
        return self._drag is not None


def month_cell_rect(view: PlanGridView, row: int, month: int) -> QRect:
    """Viewport rectangle of a step's month cell (tests and screenshots)."""
    return view.visualRect(view.model().index(row, COL_M0 + month))
