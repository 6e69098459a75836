"""Importing a text table (a Word table saved as text) into a fiscal year's operations calendar,
weekly plan or development plans, with a preview and a report of every row that could not be read;
nothing is imported while one cannot. The whole import is one undo command.

A document that names another fiscal year than the one chosen is said so under the preview, and
Import asks first: into the document's year, into the chosen one anyway, or not at all.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ...core.errors import UserError
from ...core.storage import planning
from ..common.layout_memory import remember_splitter
from ...i18n import _, ngettext, english_screen
from ..common import undo as cc
from ..common.forms import _error_label, _year_spin, current_fiscal_year_be
from ..qt_util import MessageDialog, translate_buttons

if TYPE_CHECKING:
    from ..features import Window as MainWindow

# ---------------------------------------------------------------- import

class ImportDialog(QDialog):
    """Import a Word (.docx) or Excel (.xlsx) table, or a seed-style text table, into one year."""

    def __init__(self, window: "MainWindow", path: str | Path | None = None, kind: str = "calendar"):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(_("Import a Word, Excel or text table"))
        self.preview: Any = None
        self.imported = 0
        self._text: str | None = None
        self._loaded_path: str | None = None
        self._guessed_for: str | None = None
        self._source: Any = None             # the file as read, kept while only the year changes
        self.year_question: MessageDialog | None = None

        self.path = QLineEdit(str(path) if path else "", self)
        self.path.setObjectName("import_path")
        self.path.setPlaceholderText(_("a Word (.docx) or Excel (.xlsx) file, or a Word table saved as text"))
        browse = QPushButton(_("Choose…"), self)
        browse.setObjectName("import_browse")
        browse.clicked.connect(self._browse)
        self.kind = QComboBox(self)
        self.kind.setObjectName("import_kind")
        self.kind.addItem(_("Operations calendar"), "calendar")
        self.kind.addItem(_("Weekly plan"), "weekly")
        self.kind.addItem(_("Development plans and form 7.2"), "devplan")
        self.kind.addItem(_("Criteria catalog and owners"), "catalog")
        self.kind.addItem(_("Progress report of a round"), "progress")
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
        # the preview follows the year: months without a year of their own are read in it
        self.year.valueChanged.connect(lambda _v: self.reload(read_again=False))
        self.preview_button = QPushButton(_("Preview"), self)
        self.preview_button.setObjectName("import_preview")
        self.preview_button.clicked.connect(lambda: self.reload())

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
        # an Excel workbook with several sheets: the clerk picks the one to read
        self.sheet = QComboBox(self)
        self.sheet.setObjectName("import_sheet")
        self.sheet_label = QLabel(_("Sheet"), self)
        top.addRow(self.sheet_label, self.sheet)
        self.sheet.hide()
        self.sheet_label.hide()
        self.sheet.activated.connect(lambda _i: self.reload())
        # Word's wrapping spaces inside Thai words: offered, never removed silently
        self.join_wrapped = QCheckBox(self)
        self.join_wrapped.setObjectName("import_join_wrapped")
        self.join_wrapped.hide()
        self.join_wrapped.toggled.connect(lambda _on: self.reload(read_again=False))
        top.addRow(self.join_wrapped)

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
        # the document names another fiscal year than the one chosen: said before Import is pressed
        self.year_notice = QLabel(self)
        self.year_notice.setObjectName("import_year_notice")
        self.year_notice.setWordWrap(True)
        self.year_notice.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.year_notice.hide()
        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.table)
        box = QWidget(split)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(_("Problems found (errors stop the import; notes are only reported):"), box))
        bl.addWidget(self.problems)
        split.addWidget(box)
        split.setSizes([380, 160])
        remember_splitter(split, "import_split")

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
        lay.addWidget(self.year_notice)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumSize(640, 420)
        self.resize(980, 640)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload(read_again=False))
        self.path.editingFinished.connect(self._path_edited)
        if path:
            self.reload()

    # ------------------------------------------------------------ reading
    def _browse(self) -> None:
        fn, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a Word, Excel or text table"), str(Path(self.path.text()).parent),
            _("Word, Excel and text tables (*.docx *.xlsx *.txt *.tsv *.csv);;All files (*)"))
        if fn:
            self.path.setText(fn)
            self.reload()

    def _path_edited(self) -> None:
        if self.path.text().strip() != (self._loaded_path or ""):
            self.reload()

    def reload(self, read_again: bool = True) -> None:
        from ...core.importers.document_year import year_clash
        from ...core.importers.sources import parse_source, read_source, remove_wrap_spaces, wrap_fixes
        self.error.hide()
        self.year_notice.hide()
        self.preview = None
        path = self.path.text().strip()
        if path != self._loaded_path:
            self.sheet.clear()
            read_again = True
        self._loaded_path = path
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.problems.clear()
        self.import_button.setEnabled(False)
        if not self._loaded_path:
            self.summary.setText("")
            return
        sheet = self.sheet.currentData() if self.sheet.count() else None
        try:
            if read_again or self._source is None or self._source[0] != (path, sheet):
                self._source = None
                self._source = ((path, sheet), read_source(self._loaded_path, sheet))
            source = self._source[1]
        except UserError as exc:
            sheets = self._sheets_of(self._loaded_path)
            if len(sheets) > 1 and not self.sheet.count():   # several sheets: offer them, read the first
                self._offer_sheets(sheets)
                return self.reload()
            self.summary.setText("")
            self.error.setText(str(exc))
            self.error.show()
            return
        if len(source.sheets) > 1 and not self.sheet.count():
            self._offer_sheets(source.sheets)
        kind = self.kind.currentData()
        new_file = self._loaded_path != self._guessed_for
        preview = None
        if new_file:   # a new file: its title says where it belongs; after that the clerk decides
            preview = parse_source(kind, source)
            if getattr(preview, "year_be", None) is not None:
                self.year.blockSignals(True)
                self.year.setValue(preview.year_be)
                self.year.blockSignals(False)
        if preview is None or getattr(preview, "year_be", None) != self.year.value():
            preview = parse_source(kind, source, self.year.value())   # read as the import will write it
        fixes = wrap_fixes(preview)
        self.join_wrapped.setVisible(bool(fixes) or self.join_wrapped.isChecked())
        if fixes:
            self.join_wrapped.setText(ngettext("Remove spaces typed only to wrap lines inside words ({n} text, e.g. "
                                               "'{old}' → '{new}')",
                                               "Remove spaces typed only to wrap lines inside words ({n} texts, e.g. "
                                               "'{old}' → '{new}')", len(fixes)).format(n=len(fixes), old=fixes[0][0][:30],
                                                                      new=fixes[0][1][:30]))
        if self.join_wrapped.isChecked():
            remove_wrap_spaces(preview)
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
            what = ngettext("{n} step to import", "{n} steps to import", n).format(n=n)
        elif kind == "devplan":
            self._fill_devplan(preview)
            n = len(preview.steps) + len(preview.kpis)
            what = preview.summary()
        elif kind == "catalog":
            self._fill_catalog(preview)
            n = len(preview.criteria)
            what = ngettext("{n} criterion to import", "{n} criteria to import", n).format(n=n)
        elif kind == "progress":
            self._fill_progress(preview)
            n = sum(len(p.kpis) + len(p.steps) for p in preview.plans)
            what = preview.summary()
        else:
            self._fill_weekly(preview)
            n = len(preview.rows)
            what = ngettext("{n} weekly-plan row to import", "{n} weekly-plan rows to import", n).format(n=n)
        self._list_problems(preview)
        errors = len(preview.errors)
        if errors:
            self.summary.setText(ngettext("{what}; {e} row cannot be read. Nothing will be imported until it is "
                                          "fixed in the file.",
                                          "{what}; {e} rows cannot be read. Nothing will be imported until they are "
                                          "fixed in the file.", errors).format(what=what, e=errors))
        else:
            self.summary.setText(ngettext("{what}; {p} note.", "{what}; {p} notes.", len(preview.problems)).format(
                what=what, p=len(preview.problems)))
        self.import_button.setEnabled(errors == 0 and n > 0 and not self.window.store.read_only)
        clash = year_clash(preview, self.year.value())
        if clash is not None:
            self.year_notice.setText(clash.sentence() + " " + self._year_advice(clash))
            self.year_notice.show()

    @staticmethod
    def _year_advice(clash) -> str:
        return _("Import it into fiscal year {doc} and carry it into {target} with Tools > Roll over a fiscal "
                 "year…; or import it into {target} as it is.").format(doc=clash.document, target=clash.target)

    def _ask_year(self, clash) -> MessageDialog:
        """Import pressed while the document names another year: the clerk chooses, nothing is
        written (not even the backup) until then."""
        box = MessageDialog(self, _("Another fiscal year"), clash.sentence() + "\n\n" + self._year_advice(clash),
                            error=True)
        box.setObjectName("import_year_question")
        cancel = box.buttons.button(QDialogButtonBox.Close)
        cancel.setText(_("Cancel"))

        def into_document_year() -> None:
            self.year.setValue(clash.document)      # the preview is read again for that year
            self._apply()

        own = box.add_button(_("Import into fiscal year {year}").format(year=clash.document), into_document_year)
        own.setObjectName("import_year_document")
        anyway = box.add_button(_("Import into fiscal year {year} anyway").format(year=clash.target),
                                lambda: self._apply(year_confirmed=True))
        anyway.setObjectName("import_year_anyway")
        self.year_question = box
        box.open()
        cancel.setDefault(True)     # Enter writes nothing: either import is a choice made on purpose
        cancel.setFocus()
        return box

    def _list_problems(self, preview) -> None:
        from ...core.importers.sources import problem_text
        self.problems.clear()
        for p in preview.problems:
            item = QListWidgetItem(problem_text(p))
            if p.severity == "error":
                item.setForeground(QBrush(QColor("#c62828")))
            self.problems.addItem(item)

    @staticmethod
    def _sheets_of(path: str) -> list[str]:
        from ...core.importers.xlsx_tables import sheet_names
        if not path.lower().endswith((".xlsx", ".xlsm")):
            return []
        try:
            return sheet_names(Path(path))
        except UserError:
            return []

    def _offer_sheets(self, names: list[str]) -> None:
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for name in names:
            self.sheet.addItem(name, name)
        self.sheet.blockSignals(False)
        self.sheet.show()
        self.sheet_label.show()

    def _fill_rows(self, headers: list[str], rows: list[list[str]]) -> None:
        """The preview table: these headings over these rows of texts."""
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, vals in enumerate(rows):
            for c, v in enumerate(vals):
                self.table.setItem(r, c, _item(v))

    def _fill_catalog(self, prev) -> None:
        from ...core.storage.planning import OWNER_FIELDS
        headers = [_("Category"), _("Criterion"), _("Group"), _("Owner")]
        rows = [[f"{cat.code} {cat.name}", f"{c.code} {c.full_text}", c.group_title,
                 " / ".join(c.owner.get(f, "") for f in OWNER_FIELDS if c.owner.get(f))]
                for cat in prev.categories for c in cat.criteria]
        self._fill_rows(headers, rows)
        self.table.setColumnWidth(1, 420)

    def _fill_progress(self, prev) -> None:
        headers = [_("Plan"), _("KPI / step"), _("Result"), _("Status"), _("Percent done"), _("Evidence / remarks")]
        rows = [[" / ".join(p.heading), k.text, "" if k.actual is None else f"{k.actual:g}", "", "", ""]
                for p in prev.plans for k in p.kpis]
        rows += [[" / ".join(p.heading), s.text, "", s.status, "" if s.percent is None else f"{s.percent:g}",
                  s.evidence] for p in prev.plans for s in p.steps]
        self._fill_rows(headers, rows)
        self.table.setColumnWidth(1, 320)

    def _fill_calendar(self, prev) -> None:
        months = prev.months
        headers = [_("No."), _("Step")] + [m.abbr(english=english_screen()) for m in months] + [_("Remark")]
        self._fill_rows(headers, [[s.number, s.text] + [s.cells.get(m.key, "") for m in months] + [s.remark]
                                  for s in prev.steps])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Interactive)
        self.table.setColumnWidth(1, 320)

    def _fill_weekly(self, prev) -> None:
        cols = [(m.key, w) for m in prev.months for w in range(1, 5)]
        english = english_screen()
        headers = [_("Category"), _("Criterion")] + [f"{m.abbr(english=english)} W{w}" for m in prev.months
                                                     for w in range(1, 5)]
        headers.append(_("Remark"))
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(prev.rows))
        for r, row in enumerate(prev.rows):
            self.table.setItem(r, 0, _item(row.category))
            self.table.setItem(r, 1, _item(f"{row.code} {row.short_name}" if row.code else row.label))
            for a in row.activities:
                if (a.month, a.week) in cols:
                    self.table.setItem(r, 2 + cols.index((a.month, a.week)), _item(a.text))
            self.table.setItem(r, len(headers) - 1, _item(row.remark))
        self.table.setColumnWidth(1, 240)

    def _fill_devplan(self, prev) -> None:
        """One row per activity heading, step and KPI, in the document's order."""
        from ...core.budget import format_budget
        from ...core.thai_calendar import format_month
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
        self._fill_rows(headers, rows)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 320)

    # ------------------------------------------------------------ applying
    def _apply(self, year_confirmed: bool = False) -> None:
        from ...core.demo import ensure_catalog
        from ...core.importers import schedule_import
        from ...core.importers.document_year import year_clash
        w = self.window
        prev, kind = self.preview, self.kind.currentData()
        org_id, year_be = self.org.currentData(), self.year.value()
        if prev is None or prev.errors:
            return
        clash = year_clash(prev, year_be)
        if clash is not None and not year_confirmed:
            self._ask_year(clash)
            return
        if not org_id:
            self.error.setText(_("Add an organisation first (Tools > Add organisation)."))
            self.error.show()
            return

        province = prev.province or ""

        def run() -> tuple[str, int]:
            if kind != "catalog":
                ensure_catalog(w.store)
            oid = org_id
            if isinstance(oid, tuple):   # named in the title, created with the import
                oid = planning.add_organisation(w.store, oid[1], province=province)
            year = planning.find_year(w.store, oid, year_be)
            yid = year["id"] if year else planning.add_fiscal_year(w.store, oid, year_be)
            if kind == "devplan":
                from ...core.importers.devplan_import import apply_devplan as apply_fn
            elif kind == "catalog":
                from ...core.importers.catalog_import import apply_catalog as apply_fn
            elif kind == "progress":
                from ...core.importers.progress_import import apply_progress as apply_fn
            else:
                apply_fn = schedule_import.apply_calendar if kind == "calendar" else schedule_import.apply_weekly
            return yid, apply_fn(w.store, prev, yid)

        label = {"calendar": _("Import calendar"), "weekly": _("Import weekly plan"),
                 "devplan": _("Import development plans"), "catalog": _("Import criteria catalog"),
                 "progress": _("Import progress report")}[kind]
        try:
            from ...core.sharing import backup_now
            backup_now(w.store, "import")   # the file as it was, before the import
        except Exception as exc:  # a failed backup is reported, the import still possible
            w.show_message(str(exc))
        try:
            self.year_id, self.imported = cc.perform(w.undo_stack, w.store, label, run)
        except UserError as exc:
            self.error.setText(_("Nothing was imported: {reason}").format(reason=str(exc)))
            self.error.show()
            self._list_problems(prev)   # rows found only when matched against the file (a progress report)
            return
        year = w.store.get("fiscal_year", self.year_id)
        org = w.store.get("organisation", year["org_id"]) if year else None
        w.show_message(ngettext("Imported {n} row into {org}, fiscal year {year}.",
                                "Imported {n} rows into {org}, fiscal year {year}.", self.imported).format(
            n=self.imported, org=org["name"] if org else "", year=year_be))
        if kind in ("calendar", "weekly"):
            w.select_key((kind, self.year_id))
        self.accept()


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if len(text) > 20:
        item.setToolTip(text)
    return item
