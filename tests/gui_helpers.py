"""Typing into real widgets, shared by the GUI tests."""
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from pmqa_desktop.ui.common.delegates import CellEditor


def type_text(widget, text, qtbot=None):
    """Type ``text`` key by key. QTest's keyClicks knows only ASCII, so other characters (Thai)
    go as key events carrying their text; with ``qtbot`` ASCII goes through keyClicks."""
    for ch in text:
        if qtbot is not None and ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def type_into_cell(qtbot, table, text):
    """Type like a clerk: the first key opens the cell's editor, the rest goes into it, Enter commits."""
    type_text(table, text[0])
    editor = table.current_editor()
    assert isinstance(editor, CellEditor)
    type_text(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
