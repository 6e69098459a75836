"""Showing, measuring and editing grid cells that hold multi-line Thai text.

Qt breaks Thai lines between words only through libthai, which Windows lacks. The models
therefore hand Qt display text with zero-width spaces between Thai words
(``display_text`` here, from ``core.thai_text.with_zwsp``); Qt's line breaker honours them
on every system. It is display only: the edit role, the clipboard and the store never carry
them. ``TextLayouts`` lays texts out with ``QTextLayout`` on the same display text, cached by
(text, width): the views measure row heights from these layouts and the schedule grids paint
the same layouts (``GridTableView.paintEvent``), so fitting rows and scrolling stay cheap with
thousands of rows.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QObject, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QKeyEvent, QPainter, QPixmap, QTextLayout, QTextOption
from PySide6.QtWidgets import (QAbstractItemDelegate, QPlainTextEdit, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QWidget)

from ...core.thai_text import strip_zwsp, wide_word_cuts, with_zwsp, words

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
_READY = threading.Event()
_LOADING = threading.Lock()
_NOTIFIER: list = []


class _WordBreaks(QObject):
    ready = Signal()


def word_breaks_notifier() -> _WordBreaks:
    """Emits ``ready`` (in the GUI thread) once the Thai dictionary is loaded."""
    if not _NOTIFIER:
        _NOTIFIER.append(_WordBreaks())
    return _NOTIFIER[0]


def word_breaks_ready() -> bool:
    return _READY.is_set()


def load_word_breaks() -> None:
    """Load the Thai dictionary in a background thread (it takes seconds); the grids show
    plain text until then and re-wrap when ``ready`` fires, so a start never waits for it."""
    notifier = word_breaks_notifier()
    if _READY.is_set() or not _LOADING.acquire(blocking=False):
        return

    def work() -> None:
        try:
            with_zwsp("การดำเนินงาน")
        finally:
            _READY.set()
            notifier.ready.emit()
    threading.Thread(target=work, name="thai-word-breaks", daemon=True).start()


_REQUESTED: list = []


def _request_load() -> None:
    """Start loading a moment after the first paint, so the import does not slow the start."""
    if not _REQUESTED:
        _REQUESTED.append(True)
        word_breaks_notifier()
        QTimer.singleShot(250, load_word_breaks)


def display_text(text: str) -> str:
    """Text with Thai word breaks marked for Qt (cached); plain text while the dictionary loads."""
    if not text:
        return ""
    shown = _DISPLAY.get(text)  # hot path while painting: a plain lookup
    if shown is not None:
        return shown
    if not _READY.is_set():
        _request_load()
        return text
    shown = _DISPLAY[text] = with_zwsp(text)
    if len(_DISPLAY) > _DISPLAY.size:
        _DISPLAY.popitem(last=False)
    return shown


_BREAK_AFTER = frozenset("\u200b \u2028\t")


def _inside_thai_word(text: str, pos: int) -> bool:
    """True when a line ending at ``pos`` would cut between two Thai letters with no break of ours
    (a zero-width space) between them."""
    return "\u0e00" <= text[pos - 1] <= "\u0e7f" and "\u0e00" <= text[pos] <= "\u0e7f"


def _last_break(text: str, start: int, end: int) -> int:
    """The last place after ``start`` and before ``end`` where the program's rules allow a line
    to end (after a zero-width space, a space or a line separator); 0 when there is none."""
    for q in range(end - 1, start, -1):
        if text[q - 1] in _BREAK_AFTER:
            return q
    return 0


def _end_between_words(line, text: str, width: float, align) -> float:
    """Qt on Linux asks libthai for Thai breaks, and its dictionary cuts words ours keeps whole
    (ตัว|ชี้วัด, ส่วน|ราชการ): a line Qt ends inside a word is laid again, narrower, until it ends at
    one of our breaks (its text then aligned in the whole width). Returns the line's x offset."""
    start = line.textStart()
    end = start + line.textLength()
    narrowed = width
    while end < len(text) and _inside_thai_word(text, end):
        back = _last_break(text, start, end)
        if not back:        # one word wider than the cell: Qt's cut stands
            break
        narrowed = line.cursorToX(back)[0] + 0.5
        line.setLineWidth(max(1.0, narrowed))
        end = start + line.textLength()
    if narrowed == width:
        return 0.0
    spare = max(0.0, width - narrowed)
    if align & Qt.AlignmentFlag.AlignHCenter:
        return spare / 2
    if align & Qt.AlignmentFlag.AlignRight:
        return spare
    return 0.0


_FITTED = _LRU(5000)
_WORD_WIDTHS: dict[tuple[str, str], float] = {}   # (font key, word) -> pixels: words repeat across cells


def _word_width(font: QFont, font_key: str, word: str) -> float:
    got = _WORD_WIDTHS.get((font_key, word))
    if got is None:
        if len(_WORD_WIDTHS) > 200000:
            _WORD_WIDTHS.clear()
        got = _WORD_WIDTHS[(font_key, word)] = QFontMetricsF(font).horizontalAdvance(word)
    return got


def widest_word(text: str, font: QFont, font_key: str | None = None) -> float:
    """Pixel width of the widest unbreakable piece of ``text`` (Thai words by the word list)."""
    fkey = font_key or font.key()
    best = 0.0
    for piece in words(text):
        for w in piece.split():
            v = _word_width(font, fkey, w)
            if v > best:
                best = v
    return best


def fitted_text(text: str, width: float, font: QFont, font_key: str | None = None) -> str | None:
    """``display_text`` of ``text`` with more breaks where a word is wider than ``width`` pixels:
    between the word's parts (ผู้ว่าราชการ|จังหวัด), as the printed forms break it
    (``core.thai_text.wide_word_cuts``). None while the dictionary loads or when no word is."""
    if not text or not _READY.is_set():
        return None
    fkey = font_key or font.key()

    def make():
        cuts = wide_word_cuts(text, lambda w: _word_width(font, fkey, w) > width)
        return with_zwsp(text, cuts) if cuts else None
    return _FITTED.get_or((text, int(width), fkey), make)


class TextLayouts:
    """Wrapped layouts of cell texts at given widths, their heights and rendered pictures, cached.

    The grids measure a row's height from these layouts and paint the same layouts (``draw``);
    a text painted a second time is kept as a picture per (text, width, font, colour), so
    scrolling back over a page is a copy of pictures, and a date that appears in hundreds of
    cells is laid out and drawn once.
    """

    PIXMAP_BUDGET = 64 << 20  # bytes of cached cell pictures
    DIRECT_DRAWS = 2          # times a text is drawn straight before it gets a picture

    def __init__(self, size: int = 4000):
        self._layouts = _LRU(size)
        self._heights = _LRU(50000)
        self._pixmaps: OrderedDict = OrderedDict()
        self._seen: OrderedDict = OrderedDict()
        self._pixmap_bytes = 0
        self.option = QTextOption()
        self.option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as Qt's item delegate lays it out

    def clear(self) -> None:
        self._layouts.clear()
        self._heights.clear()
        self._pixmaps.clear()
        self._seen.clear()
        self._pixmap_bytes = 0

    def layout(self, text: str, width: int, font: QFont, align, font_key: str | None = None) -> tuple[QTextLayout, float]:
        key = (text, width, font_key or font.key(), int(align))
        return self._layouts.get_or(key, lambda: self._make(text, width, font, align))

    def _make(self, text, width, font, align):
        if _READY.is_set() and widest_word(text, font) > width:
            # a word wider than the cell: broken between its parts, as printed (not left to
            # libthai, which Windows lacks), and a part with none that is still wider broken
            # between characters rather than cut off at the cell's edge
            shown = fitted_text(text, width, font) or display_text(text)
            return self._lay(shown, width, font, align, self._anywhere)
        return self._lay(display_text(text), width, font, align, self.option)

    @property
    def _anywhere(self) -> QTextOption:
        opt = QTextOption(self.option)
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        return opt

    @staticmethod
    def _lay(shown: str, width, font, align, option: QTextOption):
        layout = QTextLayout(shown.replace("\n", "\u2028"), font)
        opt = QTextOption(option)
        opt.setAlignment(Qt.AlignmentFlag(int(align)))
        layout.setTextOption(opt)
        layout.beginLayout()
        y = 0.0
        leading = QFontMetrics(font).leading()
        text = layout.text()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            x = _end_between_words(line, text, width, opt.alignment())
            y += leading
            line.setPosition(QPointF(x, y))
            y += line.height()
        layout.endLayout()
        return layout, y

    def height(self, text: str, width: int, font: QFont, font_key: str | None = None) -> int:
        """Pixel height of ``text`` wrapped at ``width`` (without padding)."""
        if not text:
            return 0
        fkey = font_key or font.key()
        key = (text, width, fkey)
        h = self._heights.get(key)
        if h is None:
            # laid out as it will be painted (left-aligned texts then reuse this layout)
            h = self._heights[key] = int(self.layout(text, width, font, _LEFT, fkey)[1] + 0.999)
            if len(self._heights) > self._heights.size:
                self._heights.popitem(last=False)
        return h

    def draw(self, painter: QPainter, x: int, y: int, text: str, width: int, max_height: int, font: QFont,
             font_key: str, align: int, colour: QColor, dpr: float) -> None:
        """Draw ``text`` wrapped at ``width`` with its top left at (x, y), cut at ``max_height``.

        A text is drawn straight from its layout the first two times; drawn a third time, it
        goes into a cached picture first, so texts that keep coming back (scrolling back and
        forth, dates repeated in many cells) cost a copy, while a long scroll over unique
        texts, or a page painted twice in a row, makes no pictures (a picture costs about
        three direct drawings: its memory, clearing it and a painter of its own).
        """
        if max_height <= 0:
            return
        key = (text, width, font_key, align, colour.rgba(), dpr)
        pm = self._pixmaps.get(key)
        if pm is None:
            drawn = self._seen.get(key, 0)
            if drawn < self.DIRECT_DRAWS:
                self._seen[key] = drawn + 1
                if len(self._seen) > 20000:
                    self._seen.popitem(last=False)
                layout, h = self.layout(text, width, font, align, font_key)
                painter.setPen(colour)
                if h <= max_height and layout.maximumWidth() <= width:
                    layout.draw(painter, QPointF(x, y))
                    return
                painter.save()  # a word longer than the cell is wide, or a text taller, stays inside
                painter.setClipRect(x, y, width, max_height)
                layout.draw(painter, QPointF(x, y))
                painter.restore()
                return
            pm = self._picture(key, text, width, font, font_key, align, colour, dpr)
        else:
            self._pixmaps.move_to_end(key)
        ph = min(pm.height(), int(max_height * dpr))
        painter.drawPixmap(QPointF(x, y), pm, QRectF(0, 0, pm.width(), ph))

    def _picture(self, key, text, width, font, font_key, align, colour, dpr) -> QPixmap:
        layout, h = self.layout(text, width, font, align, font_key)
        w, h = max(1, width), max(1, int(h + 0.999))
        pm = QPixmap(int(w * dpr + 0.5), int(h * dpr + 0.5))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setPen(colour)
        layout.draw(p, QPointF(0, 0))
        p.end()
        self._pixmaps[key] = pm
        self._pixmap_bytes += pm.width() * pm.height() * 4
        while self._pixmap_bytes > self.PIXMAP_BUDGET and len(self._pixmaps) > 1:
            _k, old = self._pixmaps.popitem(last=False)
            self._pixmap_bytes -= old.width() * old.height() * 4
        return pm


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


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

    # ------------------------------------------------------------ measuring
    # The calendar and weekly plan paint their cells themselves (GridTableView.paintEvent);
    # other grids using this delegate leave painting to Qt's own delegate: the model's display
    # text already carries the zero-width spaces, so Qt's line breaker wraps Thai between words.
    def text_height(self, text: str, width: int, font: QFont) -> int:
        """Height a cell needs for ``text`` at a column width (padding included)."""
        if not text:
            return 0
        return self.layouts.height(text, max(1, width - 2 * PAD_X), font) + 2 * PAD_Y + 1

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """Grids Qt paints (development plans): a word wider than its cell breaks between its
        parts, as in print, instead of being cut (the model's text breaks only between words)."""
        super().initStyleOption(option, index)
        if option.text and option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
            style = option.widget.style() if option.widget is not None else None
            margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget) + 1
                      if style is not None else 3)
            width = option.rect.width() - 2 * margin
            raw = strip_zwsp(option.text)
            if width > 0 and _READY.is_set() and widest_word(raw, option.font) > width:
                fitted = fitted_text(raw, width, option.font)
                if fitted is not None:
                    option.text = fitted

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
