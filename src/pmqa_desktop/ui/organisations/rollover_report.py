"""After a rollover: which dates moved by the years rolled, and which texts the clerk should check
(a date whose year could not be read, or a day the new year does not have)."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ...core.storage.planning import DateNote, RolloverReport
from ...i18n import _
from ..qt_util import translate_buttons


def _table(parent: QWidget, name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.Interactive)
    header.setStretchLastSection(True)
    table.setColumnWidth(0, 220)
    if len(headers) > 2:
        table.setColumnWidth(1, 260)
    return table


class RolloverReportDialog(QDialog):
    def __init__(self, parent: QWidget, report: RolloverReport, year_be: int):
        super().__init__(parent)
        self.setObjectName("rollover_report")
        self.setWindowTitle(_("Rollover to fiscal year {year}: dates").format(year=year_be))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Dates moved to the new year: {n}").format(n=len(report.changed)), self))
        self.changed = _table(self, "rollover_changed", [_("Where"), _("Before"), _("After")],
                              [[n.place, n.before, n.after] for n in report.changed])
        lay.addWidget(self.changed, 3)
        if report.unread:
            note = QLabel(_("Texts to check: left as they were, or moved to a day the new year does not have "
                            "({n}).").format(n=len(report.unread)), self)
        else:
            note = QLabel(_("Every date with a year was read and moved; texts without a year "
                            "(such as ทุกวันพุธ) were kept as they were."), self)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.unread = _table(self, "rollover_unread", [_("Where"), _("Text"), _("Why")],
                             [[n.place, n.after, n.problem] for n in report.unread])
        self.unread.setVisible(bool(report.unread))
        lay.addWidget(self.unread, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        translate_buttons(buttons)
        lay.addWidget(buttons)
        self.resize(900, 560)


__all__ = ["RolloverReportDialog", "DateNote"]
