"""A cell's whole text in a window of its own: a row shows at most a few lines (a pasted page
would make it hundreds of lines tall), so F2 or a double-click on a cell cut that way opens its
text here, to read and edit. OK saves it like any cell edit (one undo step, saved at once)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...core.thai_text import with_zwsp
from ...i18n import _
from ..qt_util import translate_buttons

ZWSP = "\u200b"


class WholeTextDialog(QDialog):
    def __init__(self, parent: QWidget, title: str, text: str, editable: bool):
        super().__init__(parent)
        self.setObjectName("whole_text")
        self.setWindowTitle(title)
        self.resize(640, 480)
        # Thai has no spaces: zero-width spaces between its words let the lines wrap there
        # (taken out again on saving; a text that had its own is shown as it is)
        self._marked = ZWSP not in text
        lay = QVBoxLayout(self)
        if not editable:
            lay.addWidget(QLabel(_("This file is open read-only: the text can be read and copied, not changed."), self))
        self.text_edit = QPlainTextEdit(with_zwsp(text) if self._marked else text, self)
        self.text_edit.setObjectName("whole_text_edit")
        self.text_edit.setReadOnly(not editable)
        lay.addWidget(self.text_edit, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        if editable else QDialogButtonBox.StandardButton.Close, self)
        translate_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.text_edit.setFocus()

    def text(self) -> str:
        out = self.text_edit.toPlainText()
        return out.replace(ZWSP, "") if self._marked else out


def edit_whole_text(view, index: QModelIndex) -> bool:
    """Open the cell's text in a window; True when an edit was saved."""
    model = index.model()
    text = index.data(Qt.ItemDataRole.EditRole)
    if not isinstance(text, str):
        return False
    editable = bool(model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    column = model.headerData(index.column(), Qt.Orientation.Horizontal) or ""
    dlg = WholeTextDialog(view, _("Whole text: {column}").format(column=column), text, editable)
    try:
        if dlg.exec() != QDialog.DialogCode.Accepted or not editable:
            return False
        new = dlg.text()
        return new != text and bool(model.setData(index, new, Qt.ItemDataRole.EditRole))
    finally:
        dlg.deleteLater()
