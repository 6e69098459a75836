"""The shared base of the program's small dialogs: OK runs ``apply()``; a refused value is shown
in red with the reason, the dialog stays open and nothing is stored.

Used by the features' dialogs (catalog, organisations and years, settings, importing); uses only
the core, the translations and ``ui.qt_util``.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QSpinBox, QWidget

from ...core.errors import UserError
from ...core.thai_calendar import MonthKey, fiscal_year_of
from ..qt_util import translate_buttons

if TYPE_CHECKING:
    from ..features import Window as MainWindow

ERROR_STYLE = "border: 2px solid #c62828; background: #fff0f0;"


def current_fiscal_year_be() -> int:
    today = date.today()
    return fiscal_year_of(MonthKey(today.year, today.month))


def guarded(show_error, fn) -> Any:
    """Run a pane's action: its message line cleared first, a ``UserError`` shown there instead of
    raised (None returned)."""
    try:
        show_error("")
        return fn()
    except UserError as exc:
        show_error(str(exc))
        return None


def _error_label(parent: QWidget) -> QLabel:
    lab = QLabel(parent)
    lab.setObjectName("dialog_error")
    lab.setStyleSheet("color: #c62828;")
    lab.setWordWrap(True)
    lab.hide()
    return lab


def _year_spin(parent: QWidget, value: int) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(2400, 2700)
    spin.setValue(value)
    spin.setObjectName("year_spin")
    return spin


class _CheckedDialog(QDialog):
    """OK runs ``apply()``; a ``UserError`` is shown in the dialog, which stays open."""

    def __init__(self, window: "MainWindow", title: str):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(title)
        self.error = _error_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        translate_buttons(self.buttons)
        self.result_value: Any = None
        # a fixed minimum size: the layout then never changes it when a message appears
        self.setMinimumSize(460, 220)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.Ok)

    def show_error(self, message: str, field: QWidget | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if field is not None:
            field.setStyleSheet(ERROR_STYLE)
            field.setFocus()

    def clear_error(self) -> None:
        self.error.hide()
        for w in self.findChildren(QWidget):
            if w.styleSheet() == ERROR_STYLE:
                w.setStyleSheet("")

    def apply(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def error_field(self, message: str) -> QWidget | None:
        return None

    def _try_accept(self) -> None:
        self.clear_error()
        try:
            self.result_value = self.apply()
        except UserError as exc:
            self.show_error(str(exc), self.error_field(str(exc)))
            return
        self.accept()
