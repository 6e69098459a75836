"""Painting and editing grid cells that hold multi-line Thai text.

Qt breaks Thai lines between words only through libthai, which Windows lacks. The delegate
therefore lays text out itself with ``QTextLayout`` after putting zero-width spaces between
Thai words (``core.thai_text.with_zwsp``): display only, the model and the store never see
them. Layouts and heights are cached by (text, width) so repaints and row-height fitting
stay cheap with thousands of rows.
"""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import (QAbstractItemDelegate, QPlainTextEdit, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QWidget)

from ..core.thai_text import strip_zwsp, with_zwsp

PAD_X = 4
PAD_Y = 3
RawTextRole = Qt.ItemDataRole.UserRole + 1      # the stored text of a cell (no ZWSP)
HeaderRowRole = Qt.ItemDataRole.UserRole + 2    # True on a weekly plan's หมวด heading row


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        try:
            value = self[key]
            self.move_to_end(key)
            return value
        except KeyError:
            value = make()
            self[key] = value
            if len(self) > self.size:
                self.popitem(last=False)
            return value


_DISPLAY = _LRU(20000)


def display_text(text: str) -> str:
    """Text with Thai word breaks marked for Qt (cached)."""
    if not text:
        return ""
    return _DISPLAY.get_or(text, lambda: with_zwsp(text))


class TextLayouts:
    """Wrapped layouts of cell texts at given widths, cached."""

    def __init__(self, size: int = 4000):
        self._layouts = _LRU(size)
        self._heights = _LRU(50000)
        self.option = QTextOption()
        self.option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def clear(self) -> None:
        self._layouts.clear()
        self._heights.clear()

    def layout(self, text: str, width: int, font: QFont, align: Qt.AlignmentFlag) -> tuple[QTextLayout, float]:
        key = (text, width, font.key(), int(align))
        return self._layouts.get_or(key, lambda: self._make(text, width, font, align))

    def _make(self, text, width, font, align):
        layout = QTextLayout(display_text(text).replace("\n", "\u2028"), font)
        opt = QTextOption(self.option)
        opt.setAlignment(align)
        layout.setTextOption(opt)
        layout.beginLayout()
        y = 0.0
        leading = QFontMetrics(font).leading()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            y += leading
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout, y

    def height(self, text: str, width: int, font: QFont) -> int:
        """Pixel height of ``text`` wrapped at ``width`` (without padding)."""
        if not text:
            return 0
        key = (text, width, font.key())
        return self._heights.get_or(key, lambda: int(self._make(text, width, font, Qt.AlignmentFlag.AlignLeft)[1] + 0.999))


class CellEditor(QPlainTextEdit):
    """Multi-line cell editor: Enter finishes (and the grid moves down), Shift+Enter or
    Alt+Enter starts a new line inside the cell, Tab/Shift+Tab finish and move sideways,
    Esc cancels."""

    finished = Signal(object, str)  # editor, how: 'down', 'next', 'previous', 'stay'

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setDocumentMargin(PAD_Y)

    def text(self) -> str:
        return strip_zwsp(self.toPlainText())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier):
                self.insertPlainText("\n")
                return
            self.finished.emit(self, "down")
            return
        if key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ControlModifier:
            self.finished.emit(self, "next")
            return
        if key == Qt.Key.Key_Backtab:
            self.finished.emit(self, "previous")
            return
        super().keyPressEvent(event)


class ThaiWrapDelegate(QStyledItemDelegate):
    """Draws wrapped Thai text (breaks between words) and edits with ``CellEditor``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layouts = TextLayouts()
        self.replace_on_edit = False  # set by the view when typing starts the edit (Excel-like)

    # ------------------------------------------------------------ painting
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        # Everything comes from the Python model directly: no initStyleOption()/index.data(),
        # which cost a round trip through C++ per role (and, in PySide6 6.12 on Python 3.11,
        # leak a reference to None each time they return nothing).
        model = index.model()
        row, col = index.row(), index.column()
        get = getattr(model, "_data", None)
        if get is None:
            return super().paint(painter, option, index)
        raw = model.cell_text(row, col)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        group = QPalette.ColorGroup.Active if state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        rect = option.rect
        if selected:
            painter.fillRect(rect, palette.color(group, QPalette.ColorRole.Highlight))
        else:
            bg = get(row, col, Qt.ItemDataRole.BackgroundRole)
            if bg is not None:
                painter.fillRect(rect, bg)
        if raw:
            font = get(row, col, Qt.ItemDataRole.FontRole) or option.font
            align = get(row, col, Qt.ItemDataRole.TextAlignmentRole)
            align = Qt.AlignmentFlag(align) if align is not None else Qt.AlignmentFlag.AlignLeft
            inner = rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
            layout, height = self.layouts.layout(raw, inner.width(), font,
                                                 align & Qt.AlignmentFlag.AlignHorizontal_Mask or Qt.AlignmentFlag.AlignLeft)
            painter.save()
            painter.setClipRect(rect)
            painter.setPen(palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
            top = inner.top()
            if align & Qt.AlignmentFlag.AlignVCenter and height < inner.height():
                top += (inner.height() - height) / 2
            layout.draw(painter, QPointF(inner.left(), top))
            painter.restore()
        if state & QStyle.StateFlag.State_HasFocus:
            painter.save()
            pen = QPen(palette.color(group, QPalette.ColorRole.Highlight).darker(130))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()

    def text_height(self, text: str, width: int, font: QFont) -> int:
        """Height a cell needs for ``text`` at a column width (padding included)."""
        if not text:
            return 0
        return self.layouts.height(text, max(1, width - 2 * PAD_X), font) + 2 * PAD_Y + 1

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        model = index.model()
        raw = model.cell_text(index.row(), index.column()) if hasattr(model, "cell_text") else ""
        width = option.rect.width() if option.rect.width() > 0 else 100
        return QSize(width, max(self.text_height(str(raw), width, option.font), QFontMetrics(option.font).lineSpacing() + 2 * PAD_Y))

    # ------------------------------------------------------------ editing
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = CellEditor(parent)
        editor.setFont(option.font)
        editor.finished.connect(self._finish)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if not isinstance(editor, CellEditor):
            return super().setEditorData(editor, index)
        if self.replace_on_edit:
            editor.setPlainText("")
        else:
            editor.setPlainText(strip_zwsp(index.model().cell_text(index.row(), index.column())))
            editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if not isinstance(editor, CellEditor):
            return super().setModelData(editor, model, index)
        text = editor.text()
        if text != strip_zwsp(index.model().cell_text(index.row(), index.column())):
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rect = QRect(option.rect)
        need = QFontMetrics(option.font).lineSpacing() * 3 + 2 * PAD_Y
        if rect.height() < need:
            rect.setHeight(need)
        editor.setGeometry(rect)

    def _finish(self, editor: CellEditor, how: str) -> None:
        editor.move_after = how
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)  # the view moves on
