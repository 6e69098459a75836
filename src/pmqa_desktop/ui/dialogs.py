"""The main window's dialogs: a criterion's code and names, importing a text table (with a
preview and a report of every problem), rolling a fiscal year over, a new organisation or
fiscal year, and the clerk's settings.

Each dialog validates in place: a refused value is shown in red with the reason, the
dialog stays open and nothing is stored. Every change it makes is one undo command.
Dialogs are opened with ``open()`` (window-modal, not blocking), so tests can drive them.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from . import qt_settings
from ..core.errors import UserError
from ..core.storage import planning
from ..core.thai_calendar import MonthKey, fiscal_year_of
from ..i18n import _
from . import catalog_commands as cc
from .qt_util import translate_buttons

if TYPE_CHECKING:
    from .main_window import MainWindow

ERROR_STYLE = "border: 2px solid #c62828; background: #fff0f0;"


def current_fiscal_year_be() -> int:
    today = date.today()
    return fiscal_year_of(MonthKey(today.year, today.month))


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


# ---------------------------------------------------------------- criterion

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
            from ..core.errors import ValidationError
            raise ValidationError(_("A criterion needs a short name."))
        return cc.add_criterion(w.undo_stack, w.store, self.category_id, v["code"], v["short_name"],
                                v["full_text"], v["group_title"], self.after_id)


# ---------------------------------------------------------------- organisation and year

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
            from ..core.errors import ValidationError
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
            from ..core.errors import ValidationError
            raise ValidationError(_("There is no fiscal year to copy from."))
        self.report = planning.RolloverReport()
        return cc.perform(w.undo_stack, w.store, _("Roll over to fiscal year {year}").format(year=year),
                          lambda: planning.roll_over(w.store, src, year, self.report))


# ---------------------------------------------------------------- settings

class SettingsDialog(_CheckedDialog):
    def __init__(self, window: "MainWindow"):
        super().__init__(window, _("Settings"))
        vals = qt_settings.read_all()
        form = QFormLayout()
        self.clerk = QLineEdit(vals.get("clerk_name", ""), self)
        self.clerk.setObjectName("settings_clerk")
        self.office = QLineEdit(vals.get("office", ""), self)
        self.office.setObjectName("settings_office")
        self.office.setPlaceholderText(_("for example สำนักงานจังหวัดราชบุรี"))
        self.language = QComboBox(self)
        self.language.setObjectName("settings_language")
        self.language.addItem("ไทย", "th")
        self.language.addItem("English", "en")
        from ..i18n import language
        self.language.setCurrentIndex(max(0, self.language.findData(vals.get("language") or language())))
        form.addRow(_("Your name"), self.clerk)
        form.addRow(_("Office"), self.office)
        form.addRow(_("Language"), self.language)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        note = QLabel(_("Your name and office are stored with every change you make, so that merged files show "
                        "who changed what. A new language takes effect when the program starts again."), self)
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def apply(self) -> dict[str, str]:
        values = {"clerk_name": self.clerk.text().strip(), "office": self.office.text().strip(),
                  "language": self.language.currentData()}
        try:
            qt_settings.set_values(values)
        except OSError as exc:
            raise UserError(_("The settings could not be saved: {error}").format(error=exc.strerror)) from exc
        self.window.apply_identity()
        from ..i18n import language
        if values["language"] != language():
            self.window.offer_restart(values["language"])
        return values


# ---------------------------------------------------------------- import

class ImportDialog(QDialog):
    """Import a seed-style text table into the calendar or the weekly plan of one year."""

    def __init__(self, window: "MainWindow", path: str | Path | None = None, kind: str = "calendar"):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(_("Import a text table"))
        self.preview: Any = None
        self.imported = 0
        self._text: str | None = None
        self._loaded_path: str | None = None
        self._guessed_for: str | None = None

        self.path = QLineEdit(str(path) if path else "", self)
        self.path.setObjectName("import_path")
        self.path.setPlaceholderText(_("a text file: a Word table saved as text, cells separated by tabs"))
        browse = QPushButton(_("Choose…"), self)
        browse.setObjectName("import_browse")
        browse.clicked.connect(self._browse)
        self.kind = QComboBox(self)
        self.kind.setObjectName("import_kind")
        self.kind.addItem(_("Operations calendar"), "calendar")
        self.kind.addItem(_("Weekly plan"), "weekly")
        self.kind.addItem(_("Development plans and form 7.2"), "devplan")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.org = QComboBox(self)
        self.org.setObjectName("import_org")
        for org in planning.organisations(window.store):
            self.org.addItem(org["name"], org["id"])
        cur_org = window.current_org_id()
        if cur_org:
            self.org.setCurrentIndex(max(0, self.org.findData(cur_org)))
        cur_year = window.store.get("fiscal_year", window.current_year_id()) if window.current_year_id() else None
        self.year = _year_spin(self, cur_year["year_be"] if cur_year else current_fiscal_year_be())
        self.year.setObjectName("import_year")
        self.preview_button = QPushButton(_("Preview"), self)
        self.preview_button.setObjectName("import_preview")
        self.preview_button.clicked.connect(self.reload)

        top = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        top.addRow(_("File"), row)
        row2 = QHBoxLayout()
        row2.addWidget(self.kind)
        row2.addWidget(QLabel(_("into"), self))
        row2.addWidget(self.org, 1)
        row2.addWidget(QLabel(_("fiscal year"), self))
        row2.addWidget(self.year)
        row2.addWidget(self.preview_button)
        top.addRow(_("Import"), row2)

        self.table = QTableWidget(self)
        self.table.setObjectName("import_table")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("import_problems")
        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.table)
        box = QWidget(split)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(_("Problems found (errors stop the import; notes are only reported):"), box))
        bl.addWidget(self.problems)
        split.addWidget(box)
        split.setSizes([380, 160])

        self.error = _error_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel, self)
        translate_buttons(self.buttons)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.AcceptRole)
        self.import_button.setObjectName("import_apply")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._apply)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumSize(640, 420)
        self.resize(980, 640)
        self.kind.currentIndexChanged.connect(self.reload)
        self.path.editingFinished.connect(self._path_edited)
        if path:
            self.reload()

    # ------------------------------------------------------------ reading
    def _browse(self) -> None:
        fn, _filter = QFileDialog.getOpenFileName(self, _("Choose a text table"), str(Path(self.path.text()).parent),
                                                  _("Text files (*.txt *.tsv *.csv);;All files (*)"))
        if fn:
            self.path.setText(fn)
            self.reload()

    def _path_edited(self) -> None:
        if self.path.text().strip() != (self._loaded_path or ""):
            self.reload()

    def reload(self) -> None:
        from ..core.importers import schedule_import
        from ..core.importers.text_tables import decode
        self.error.hide()
        self.preview = None
        self._loaded_path = self.path.text().strip()
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.problems.clear()
        self.import_button.setEnabled(False)
        if not self._loaded_path:
            self.summary.setText("")
            return
        try:
            text = decode(Path(self._loaded_path).read_bytes())
        except OSError as exc:
            self.summary.setText("")
            self.error.setText(_("The file {path} cannot be read: {error}").format(
                path=self._loaded_path, error=exc.strerror or exc))
            self.error.show()
            return
        kind = self.kind.currentData()
        if kind == "devplan":
            from ..core.importers.devplan_import import parse_devplan as parse
        else:
            parse = schedule_import.parse_calendar if kind == "calendar" else schedule_import.parse_weekly
        preview = parse(text)
        new_file = self._loaded_path != self._guessed_for
        if preview.year_be is None:
            preview = parse(text, self.year.value())
        elif new_file:   # a new file: its title says where it belongs; after that the clerk decides
            self.year.setValue(preview.year_be)
        if preview.province and new_file:
            name = "จังหวัด" + preview.province
            org = planning.find_organisation(self.window.store, name)
            idx = self.org.findData(org["id"]) if org else self.org.findData(("new", name))
            if idx < 0:
                self.org.addItem(_("{name} (new organisation, named in the file's title)").format(name=name),
                                 ("new", name))
                idx = self.org.count() - 1
            self.org.setCurrentIndex(idx)
        self._guessed_for = self._loaded_path
        self.preview = preview
        if kind == "calendar":
            self._fill_calendar(preview)
            n = len(preview.steps)
            what = _("{n} steps to import").format(n=n)
        elif kind == "devplan":
            self._fill_devplan(preview)
            n = len(preview.steps) + len(preview.kpis)
            what = preview.summary()
        else:
            self._fill_weekly(preview)
            n = len(preview.rows)
            what = _("{n} weekly-plan rows to import").format(n=n)
        for p in preview.problems:
            label = _("error") if p.severity == "error" else _("note")
            item = QListWidgetItem(_("line {line}: {label}: {message}").format(line=p.line, label=label,
                                                                               message=p.message))
            if p.severity == "error":
                item.setForeground(QBrush(QColor("#c62828")))
            self.problems.addItem(item)
        errors = len(preview.errors)
        if errors:
            self.summary.setText(_("{what}; {e} rows cannot be read. Nothing will be imported until they are "
                                   "fixed in the file.").format(what=what, e=errors))
        else:
            self.summary.setText(_("{what}; {p} notes.").format(what=what, p=len(preview.problems)))
        self.import_button.setEnabled(errors == 0 and n > 0 and not self.window.store.read_only)

    def _fill_calendar(self, prev) -> None:
        months = prev.months
        headers = [_("No."), _("Step")] + [m.abbr() for m in months] + [_("Remark")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(prev.steps))
        for r, s in enumerate(prev.steps):
            vals = [s.number, s.text] + [s.cells.get(m.key, "") for m in months] + [s.remark]
            for c, v in enumerate(vals):
                self.table.setItem(r, c, _item(v))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Interactive)
        self.table.setColumnWidth(1, 320)

    def _fill_weekly(self, prev) -> None:
        cols = [(m.key, w) for m in prev.months for w in range(1, 5)]
        headers = [_("Category"), _("Criterion")] + [f"{m.abbr()} W{w}" for m in prev.months for w in range(1, 5)]
        headers.append(_("Remark"))
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(prev.rows))
        for r, row in enumerate(prev.rows):
            self.table.setItem(r, 0, _item(row.category))
            self.table.setItem(r, 1, _item(f"{row.code} {row.short_name}"))
            for a in row.activities:
                if (a.month, a.week) in cols:
                    self.table.setItem(r, 2 + cols.index((a.month, a.week)), _item(a.text))
            self.table.setItem(r, len(headers) - 1, _item(row.remark))
        self.table.setColumnWidth(1, 240)

    def _fill_devplan(self, prev) -> None:
        """One row per activity heading, step and KPI, in the document's order."""
        from ..core.budget import format_budget
        from ..core.thai_calendar import format_month
        headers = [_("Plan"), _("Activity / step / KPI"), _("Duration"), _("Start"), _("End"),
                   _("Responsible"), _("Related"), _("Budget")]
        rows: list[list[str]] = []
        for plan in prev.plans:
            title = plan.title or plan.policy
            for act in plan.activities:
                rows.append([title, f"{act.number} {act.title}".strip(), "", "", "", "", "",
                             format_budget(act.stated_budget, "") if act.stated_budget else ""])
                for st in act.steps:
                    rows.append(["", st.text, st.duration, format_month(st.start) if st.start else st.raw_start,
                                 format_month(st.end) if st.end else st.raw_end, st.responsible, st.related,
                                 format_budget(st.budget, st.budget_note)])
            for k in plan.kpis:
                ladder = " / ".join(f"{v:g}" for _k, v in sorted(k.thresholds.items()))
                rows.append([title, f"{k.dimension} {k.text}", k.target, "", "", ladder, "",
                             f"{k.weight:g}" if k.weight is not None else ""])
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, vals in enumerate(rows):
            for c, v in enumerate(vals):
                self.table.setItem(r, c, _item(v))
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 320)

    # ------------------------------------------------------------ applying
    def _apply(self) -> None:
        from ..core.demo import ensure_catalog
        from ..core.importers import schedule_import
        w = self.window
        prev, kind = self.preview, self.kind.currentData()
        org_id, year_be = self.org.currentData(), self.year.value()
        if prev is None or prev.errors:
            return
        if not org_id:
            self.error.setText(_("Add an organisation first (Tools > Add organisation)."))
            self.error.show()
            return

        province = prev.province or ""

        def run() -> tuple[str, int]:
            ensure_catalog(w.store)
            oid = org_id
            if isinstance(oid, tuple):   # named in the title, created with the import
                oid = planning.add_organisation(w.store, oid[1], province=province)
            year = planning.find_year(w.store, oid, year_be)
            yid = year["id"] if year else planning.add_fiscal_year(w.store, oid, year_be)
            if kind == "devplan":
                from ..core.importers.devplan_import import apply_devplan as apply_fn
            else:
                apply_fn = schedule_import.apply_calendar if kind == "calendar" else schedule_import.apply_weekly
            return yid, apply_fn(w.store, prev, yid)

        label = {"calendar": _("Import calendar"), "weekly": _("Import weekly plan"),
                 "devplan": _("Import development plans")}[kind]
        try:
            from ..core.sharing import backup_now
            backup_now(w.store, "import")   # the file as it was, before the import
        except Exception as exc:  # a failed backup is reported, the import still possible
            w.show_message(str(exc))
        try:
            self.year_id, self.imported = cc.perform(w.undo_stack, w.store, label, run)
        except UserError as exc:
            self.error.setText(_("Nothing was imported: {reason}").format(reason=str(exc)))
            self.error.show()
            return
        year = w.store.get("fiscal_year", self.year_id)
        org = w.store.get("organisation", year["org_id"]) if year else None
        w.show_message(_("Imported {n} rows into {org}, fiscal year {year}.").format(
            n=self.imported, org=org["name"] if org else "", year=year_be))
        if kind in ("calendar", "weekly"):
            w.select_key((kind, self.year_id))
        self.accept()


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if len(text) > 20:
        item.setToolTip(text)
    return item


def ask_open_file(parent: QWidget, start: str) -> str:
    fn, _filter = QFileDialog.getOpenFileName(parent, _("Open a PMQA Desktop database"), start,
                                              _("PMQA Desktop databases (*.db *.sqlite *.pmqa);;All files (*)"))
    return fn


def criterion_dialog(window: "MainWindow", category_id: str, criterion_id: str | None = None,
                     after_id: str | None = None) -> CriterionDialog:
    return CriterionDialog(window, category_id, criterion_id, after_id)

