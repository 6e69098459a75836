"""The dialogs of organisations and fiscal years: add or rename an organisation, a new fiscal
year, rolling a fiscal year over into the next.

Validates in place (see ``ui.common.forms``); every change is one undo command.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...core.storage import planning
from ...i18n import _
from ..common import undo as cc
from ..common.forms import _CheckedDialog, _year_spin, current_fiscal_year_be

if TYPE_CHECKING:
    from ..features import Window as MainWindow


class AddOrganisationDialog(_CheckedDialog):
    def __init__(self, window: "MainWindow"):
        super().__init__(window, _("Add organisation"))
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("org_name")
        self.name.setPlaceholderText(_("for example จังหวัดราชบุรี or สำนักงานพัฒนาชุมชนจังหวัด"))
        self.province = QLineEdit(self)
        self.province.setObjectName("org_province")
        self.kind = QComboBox(self)
        self.kind.setObjectName("org_kind")
        self.kind.addItem(_("Province (provincial office)"), "province")
        self.kind.addItem(_("Provincial agency"), "agency")
        self.parent_org = QComboBox(self)
        self.parent_org.setObjectName("org_parent")
        self.parent_org.addItem(_("(none)"), None)
        for org in planning.organisations(window.store):
            self.parent_org.addItem(org["name"], org["id"])
        self.with_year = QCheckBox(_("Add fiscal year"), self)
        self.with_year.setObjectName("org_with_year")
        self.with_year.setChecked(True)
        self.year = _year_spin(self, current_fiscal_year_be())
        self.with_year.toggled.connect(self.year.setEnabled)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Province"), self.province)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Belongs to"), self.parent_org)
        row = QHBoxLayout()
        row.addWidget(self.with_year)
        row.addWidget(self.year)
        form.addRow(row)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def error_field(self, message: str) -> QWidget | None:
        return self.name if not self.name.text().strip() else None

    def apply(self) -> tuple[str, str | None]:
        w = self.window
        name, province = self.name.text(), self.province.text().strip()
        kind, parent = self.kind.currentData(), self.parent_org.currentData()
        year = self.year.value() if self.with_year.isChecked() else None

        def run() -> tuple[str, str | None]:
            oid = planning.add_organisation(w.store, name, province, kind, parent)
            yid = planning.add_fiscal_year(w.store, oid, year) if year else None
            return oid, yid
        return cc.perform(w.undo_stack, w.store, _("Add organisation {name}").format(name=name.strip()), run)


class RenameOrganisationDialog(_CheckedDialog):
    """Change an organisation's name and province (one undo step)."""

    def __init__(self, window: "MainWindow", org_id: str):
        super().__init__(window, _("Rename organisation"))
        self.org_id = org_id
        org = window.store.get("organisation", org_id) or {"name": "", "province": ""}
        form = QFormLayout()
        self.name = QLineEdit(org["name"], self)
        self.name.setObjectName("org_name")
        self.province = QLineEdit(org["province"] or "", self)
        self.province.setObjectName("org_province")
        form.addRow(_("Name"), self.name)
        form.addRow(_("Province"), self.province)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def error_field(self, message: str) -> QWidget | None:
        return self.name

    def apply(self) -> str:
        w, name = self.window, self.name.text().strip()
        cc.perform(w.undo_stack, w.store, _("Rename organisation {name}").format(name=name),
                   lambda: planning.rename_organisation(w.store, self.org_id, name, self.province.text()))
        return self.org_id


class AddYearDialog(_CheckedDialog):
    """A new, empty fiscal year for an organisation."""

    def __init__(self, window: "MainWindow", org_id: str | None = None):
        super().__init__(window, _("New fiscal year"))
        form = QFormLayout()
        self.org = QComboBox(self)
        self.org.setObjectName("year_org")
        for org in planning.organisations(window.store):
            self.org.addItem(org["name"], org["id"])
        if org_id:
            self.org.setCurrentIndex(max(0, self.org.findData(org_id)))
        self.year = _year_spin(self, current_fiscal_year_be())
        self.org.currentIndexChanged.connect(self._suggest)
        self._suggest()
        form.addRow(_("Organisation"), self.org)
        form.addRow(_("Fiscal year (B.E.)"), self.year)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(_("To copy an earlier year's steps, activities and owners, use Roll over instead."),
                             self))
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _suggest(self) -> None:
        oid = self.org.currentData()
        years = planning.fiscal_years(self.window.store, oid) if oid else []
        if years:
            self.year.setValue(years[-1]["year_be"] + 1)

    def apply(self) -> str:
        w = self.window
        oid, year = self.org.currentData(), self.year.value()
        if not oid:
            from ...core.errors import ValidationError
            raise ValidationError(_("Add an organisation first."))
        return cc.perform(w.undo_stack, w.store, _("New fiscal year {year}").format(year=year),
                          lambda: planning.add_fiscal_year(w.store, oid, year))


class RollOverDialog(_CheckedDialog):
    """Create the next fiscal year from an earlier one (steps, weekly activities, owners copied)."""

    def __init__(self, window: "MainWindow", year_id: str | None = None):
        super().__init__(window, _("Roll over a fiscal year"))
        store = window.store
        form = QFormLayout()
        self.source = QComboBox(self)
        self.source.setObjectName("rollover_source")
        for org in planning.organisations(store):
            for y in planning.fiscal_years(store, org["id"]):
                self.source.addItem(_("{org}, fiscal year {year}").format(org=org["name"], year=y["year_be"]),
                                    y["id"])
        if year_id:
            self.source.setCurrentIndex(max(0, self.source.findData(year_id)))
        self.target = _year_spin(self, current_fiscal_year_be())
        self.target.setObjectName("rollover_target")
        self.source.currentIndexChanged.connect(self._suggest)
        self._suggest()
        form.addRow(_("Copy from"), self.source)
        form.addRow(_("New fiscal year (B.E.)"), self.target)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        note = QLabel(_("The calendar's steps, the weekly plan's activities and the criteria owners are copied; "
                        "every month, and every date written with a year, moves on by the difference in years."),
                      self)
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _suggest(self) -> None:
        yid = self.source.currentData()
        y = self.window.store.get("fiscal_year", yid) if yid else None
        if y:
            self.target.setValue(y["year_be"] + 1)

    def error_field(self, message: str) -> QWidget | None:
        return self.target

    def apply(self) -> str:
        w = self.window
        src, year = self.source.currentData(), self.target.value()
        if not src:
            from ...core.errors import ValidationError
            raise ValidationError(_("There is no fiscal year to copy from."))
        self.report = planning.RolloverReport()
        return cc.perform(w.undo_stack, w.store, _("Roll over to fiscal year {year}").format(year=year),
                          lambda: planning.roll_over(w.store, src, year, self.report))
