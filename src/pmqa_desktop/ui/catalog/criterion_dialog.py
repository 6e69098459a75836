"""The criterion dialog: a criterion's code (renumbering), short name, sub-heading and full text.

Validates in place (see ``ui.common.forms``); every change is one undo command.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...core.storage import planning
from ...i18n import _
from ..common.forms import _CheckedDialog
from . import commands as cc

if TYPE_CHECKING:
    from ..features import Window as MainWindow


class CriterionDialog(_CheckedDialog):
    """Add a criterion, or change one's code (renumber), short name, sub-heading and full text."""

    def __init__(self, window: "MainWindow", category_id: str, criterion_id: str | None = None,
                 after_id: str | None = None):
        title = _("Edit criterion") if criterion_id else _("Add criterion")
        super().__init__(window, title)
        self.category_id, self.criterion_id, self.after_id = category_id, criterion_id, after_id
        store = window.store
        crit = store.get("criterion", criterion_id) if criterion_id else None
        cat = store.get("category", category_id)
        form = QFormLayout()
        self._original_code = crit["code"] if crit else ""
        self.code = QLineEdit(crit["code"] if crit else "", self)
        self.code.setObjectName("crit_code")
        self.code.setPlaceholderText(_("for example LD8"))
        self.short_name = QLineEdit(crit["short_name"] if crit else "", self)
        self.short_name.setObjectName("crit_short_name")
        self.group_title = QLineEdit(crit["group_title"] if crit else "", self)
        self.group_title.setObjectName("crit_group_title")
        self.full_text = QPlainTextEdit(crit["full_text"] if crit else "", self)
        self.full_text.setObjectName("crit_full_text")
        self.full_text.setTabChangesFocus(True)
        form.addRow(_("Category"), QLabel(f"{cat['code']} {cat['name']}" if cat else "", self))
        form.addRow(_("Code"), self.code)
        form.addRow(_("Short name"), self.short_name)
        form.addRow(_("Sub-heading"), self.group_title)
        form.addRow(_("Full text"), self.full_text)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(620, 420)

    def values(self) -> dict[str, str]:
        return {"code": self.code.text(), "short_name": self.short_name.text(),
                "group_title": self.group_title.text(), "full_text": self.full_text.toPlainText()}

    def error_field(self, message: str) -> QWidget | None:
        if not self.short_name.text().strip():
            return self.short_name
        if self.criterion_id is None or planning.normalise_code(self.code.text()) != self._original_code:
            return self.code
        return None

    def apply(self) -> str:
        w, v = self.window, self.values()
        if self.criterion_id:
            cc.edit_criterion(w.undo_stack, w.store, self.criterion_id, **v)
            return self.criterion_id
        if not v["short_name"].strip():
            from ...core.errors import ValidationError
            raise ValidationError(_("A criterion needs a short name."))
        return cc.add_criterion(w.undo_stack, w.store, self.category_id, v["code"], v["short_name"],
                                v["full_text"], v["group_title"], self.after_id)



def criterion_dialog(window: "MainWindow", category_id: str, criterion_id: str | None = None,
                     after_id: str | None = None) -> CriterionDialog:
    return CriterionDialog(window, category_id, criterion_id, after_id)
