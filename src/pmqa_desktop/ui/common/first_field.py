"""A dialog opens with the cursor in its first field, so the clerk can type at once."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

_TYPED_INTO = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def focus_first_field(dialog: QWidget) -> QWidget | None:
    """Put the focus in the first field one types into (in tab order), unless the focus is
    already in one; the dialog's buttons otherwise take it. Returns the field."""
    current = dialog.focusWidget()
    if isinstance(current, _TYPED_INTO) or (isinstance(current, QComboBox) and current.isEditable()):
        return current
    w = dialog.nextInFocusChain()
    seen = 0
    while w is not None and w is not dialog and seen < 500:
        seen += 1
        if (isinstance(w, _TYPED_INTO) and w.isVisibleTo(dialog) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not (isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)) and w.isReadOnly())):
            w.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(w, QLineEdit):
                w.selectAll()
            return w
        w = w.nextInFocusChain()
    return None
