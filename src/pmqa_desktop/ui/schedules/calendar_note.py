"""The operations calendar's footnote ("หมายเหตุ : รายละเอียดตามเอกสารแนบ ..."), edited under its grid.

Saved like a grid cell: on leaving the field (Tab, Enter, a click elsewhere, the window closing),
one undo step, "บันทึกแล้ว" in the status bar (the window's save notice follows the undo stack).
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ...i18n import _
from ..common.save_notice import SAVES_ON_LEAVE
from .grid_commands import UpdateOp
from .grid_models import CalendarModel


class CalendarNoteField(QWidget):
    def __init__(self, model: CalendarModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        self.label = QLabel(_("Note under the table:"), self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("calendar_note")
        self.edit.setPlaceholderText("หมายเหตุ : รายละเอียดตามเอกสารแนบ …")   # (the form's own words)
        self.edit.setToolTip(_("Printed under the calendar's table; saved when you leave the field."))
        self.edit.setProperty(SAVES_ON_LEAVE, True)
        self.label.setBuddy(self.edit)
        lay.addWidget(self.label)
        lay.addWidget(self.edit, 1)
        self.edit.editingFinished.connect(self.save)
        model.modelReset.connect(self.load)
        self.load()

    def load(self) -> None:
        year = self.model.year
        if not self.edit.isModified():
            # (one line in the field; a note imported on several lines is shown joined by " / ")
            self.edit.setText(((year or {}).get("calendar_note") or "").replace("\n", " / "))
        store = self.model.store
        self.edit.setReadOnly(year is None or store is None or store.read_only)

    def save(self) -> bool:
        year = self.model.year
        if year is None or not self.edit.isModified() or self.edit.isReadOnly():
            return False
        self.edit.setModified(False)
        old = year.get("calendar_note") or ""
        new = self.edit.text().strip()
        if new == old.replace("\n", " / "):
            return False
        cmd = self.model.command(_("Calendar note"))
        cmd.add(UpdateOp("fiscal_year", self.model.year_id, {"calendar_note": old}, {"calendar_note": new}))
        return self.model.run(cmd)
