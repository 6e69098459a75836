"""Small Qt helpers shared by the window and the dialogs."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
# (QDialogButtonBox is imported where a dialog is made: the start, which imports this module,
# makes none, and PySide builds a class's Python type, with its enums, on its first import)
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from ..i18n import _


def suffix_follows_value(spin, suffix: Callable[[int], str]) -> None:
    """A spin box's suffix that agrees with its value ("1 month", "2 months"): ``suffix(n)`` is
    asked again at each change (``spin.update_suffix()`` after a value set with signals blocked)."""
    def update(*_args) -> None:
        spin.setSuffix(suffix(round(spin.value())))
    spin.update_suffix = update
    spin.valueChanged.connect(update)
    update()


def translate_buttons(box: QDialogButtonBox) -> None:
    """Our own words on the standard buttons (Qt ships no Thai translation of its own)."""
    from PySide6.QtWidgets import QDialogButtonBox
    words = {QDialogButtonBox.Ok: _("OK"), QDialogButtonBox.Cancel: _("Cancel"), QDialogButtonBox.Close: _("Close")}
    for which, text in words.items():
        b = box.button(which)
        if b is not None:
            b.setText(text)


class MessageDialog(QDialog):
    """A message with a Close button and optional extra buttons, opened without blocking.

    Used instead of QMessageBox, which fixes its own size after it is shown (which some
    platforms, including the offscreen one the tests use, can only warn about).
    """

    def __init__(self, parent: QWidget | None, title: str, text: str, error: bool = False):
        super().__init__(parent)
        self.setObjectName("message_box")
        self.setWindowTitle(title)
        self._text = text
        icon = QLabel(self)
        pix = QStyle.SP_MessageBoxWarning if error else QStyle.SP_MessageBoxInformation
        icon.setPixmap(self.style().standardIcon(pix).pixmap(40, 40))
        icon.setAlignment(Qt.AlignTop)
        self.label = QLabel(text, self)
        self.label.setObjectName("message_text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setMinimumWidth(380)
        from PySide6.QtWidgets import QDialogButtonBox
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        translate_buttons(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self.label, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row, 1)
        lay.addWidget(self.buttons)
        self.setMinimumSize(460, 160)
        self.setAttribute(Qt.WA_DeleteOnClose)

    def text(self) -> str:
        return self._text

    def add_button(self, text: str, fn: Callable[[], None], close: bool = True) -> QPushButton:
        from PySide6.QtWidgets import QDialogButtonBox
        b = self.buttons.addButton(text, QDialogButtonBox.ActionRole)
        b.clicked.connect(fn)
        if close:
            b.clicked.connect(self.accept)
        return b


def message(parent: QWidget | None, text: str, error: bool = False, title: str | None = None) -> MessageDialog:
    box = MessageDialog(parent, title or _("PMQA Desktop"), text, error)
    box.open()
    return box
