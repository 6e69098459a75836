"""Edit > Find and replace (Ctrl+F): every place in the file where a text is written (calendar
steps and cells, weekly rows and activities, development plans, their activities and steps,
KPIs, owners, criteria), Thai matched inside words; a click on a result shows its cell. Replace
changes the selected results or all of them as one undoable edit, saved at once.

The search itself is ``core.storage.search`` (a full-text index in the file).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from ...core.errors import UserError
from ...core.storage import planning, search
from ...i18n import _, ngettext
from ..common import undo as cc

if TYPE_CHECKING:  # pragma: no cover
    from ..features import Window as MainWindow

COLUMNS = 5


class FindDialog(QDialog):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.setObjectName("find_dialog")
        self.setWindowTitle(_("Find and replace"))
        self.hits: list[search.Hit] = []
        self.query = ""
        self.find_text = QLineEdit(self)
        self.find_text.setObjectName("find_text")
        self.find_text.setPlaceholderText(_("text to find, for example ความก้าวหน้า"))
        self.replace_text = QLineEdit(self)
        self.replace_text.setObjectName("find_replace_text")
        self.find_button = QPushButton(_("&Find"), self)
        self.find_button.setObjectName("find_button")
        self.find_button.setDefault(True)
        self.replace_button = QPushButton(_("&Replace selected"), self)
        self.replace_button.setObjectName("find_replace_selected")
        self.replace_all_button = QPushButton(_("Replace &all"), self)
        self.replace_all_button.setObjectName("find_replace_all")
        form = QGridLayout()
        form.addWidget(QLabel(_("Find"), self), 0, 0)
        form.addWidget(self.find_text, 0, 1)
        form.addWidget(self.find_button, 0, 2)
        form.addWidget(QLabel(_("Replace with"), self), 1, 0)
        form.addWidget(self.replace_text, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.replace_all_button)
        form.addLayout(buttons, 1, 2)
        self.results = QTableWidget(0, COLUMNS, self)
        self.results.setObjectName("find_results")
        self.results.setHorizontalHeaderLabels([_("Organisation"), _("Year"), _("Form"), _("Where"), _("Text")])
        self.results.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.results.verticalHeader().hide()
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((130, 50, 210, 230)):
            self.results.setColumnWidth(col, width)
        self.status = QLabel(self)
        self.status.setObjectName("find_status")
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.results, 1)
        lay.addWidget(self.status)
        self.find_button.clicked.connect(self.find)
        self.find_text.returnPressed.connect(self.find)
        self.replace_button.clicked.connect(lambda: self.replace(selected_only=True))
        self.replace_all_button.clicked.connect(lambda: self.replace(selected_only=False))
        self.results.cellClicked.connect(lambda row, _col: self.show_hit(row))
        self.results.cellActivated.connect(lambda row, _col: self.show_hit(row))
        self.resize(980, 520)
        self._enable()

    # ------------------------------------------------------------ finding
    def _enable(self) -> None:
        store = self.window.store
        writable = store is not None and not store.read_only
        self.replace_button.setEnabled(writable and bool(self.hits))
        self.replace_all_button.setEnabled(writable and bool(self.hits))

    def find(self) -> None:
        store = self.window.store
        self.query = self.find_text.text()
        self.hits = search.search(store, self.query) if store is not None and self.query.strip() else []
        self._fill()
        if not self.query.strip():
            self._say(_("Type the text to find."))
        elif getattr(self.hits, "more", False):
            self._say(ngettext("More than {n} place holds “{text}”: the first {n} is listed. Give more of the text "
                               "to narrow the search.",
                               "More than {n} places hold “{text}”: the first {n} are listed. Give more of the text "
                               "to narrow the search.", len(self.hits)).format(n=len(self.hits), text=self.query))
        elif self.hits:
            self._say(ngettext("{n} place holds “{text}”.", "{n} places hold “{text}”.", len(self.hits)).format(
                n=len(self.hits), text=self.query))
        else:
            self._say(_("“{text}” is not in this file.").format(text=self.query))

    def _fill(self) -> None:
        self.results.setRowCount(len(self.hits))
        for r, hit in enumerate(self.hits):
            text = " ".join(hit.text.split())
            values = (hit.org, str(hit.year_be or ""), hit.form, hit.place, text)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == COLUMNS - 1:
                    item.setToolTip(hit.text[:2000])
                self.results.setItem(r, c, item)
        self._enable()

    def _say(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828;" if error else "")
        self.status.setText(message)

    # ------------------------------------------------------------ showing a result
    def show_hit(self, row: int) -> bool:
        if not 0 <= row < len(self.hits):
            return False
        return show_in_window(self.window, self.hits[row])

    # ------------------------------------------------------------ replacing
    def replace(self, selected_only: bool) -> int:
        store = self.window.store
        if store is None or not self.hits:
            return 0
        if selected_only:
            rows = sorted({i.row() for i in self.results.selectionModel().selectedRows()})
            hits = [self.hits[r] for r in rows]
            if not hits:
                self._say(_("Select the results to replace first (or use Replace all)."), error=True)
                return 0
        else:
            hits = list(self.hits)
        query, new = self.query, self.replace_text.text()
        try:
            n = cc.perform(self.window.undo_stack, store,
                           _("Replace “{old}” with “{new}”").format(old=query, new=new),
                           lambda: search.replace(store, hits, query, new))
        except UserError as exc:
            self._say(str(exc), error=True)
            return 0
        self.find_text.setText(query)
        self.find()
        self._say(ngettext("Replaced in {n} place (Edit > Undo takes it back).",
                           "Replaced in {n} places (Edit > Undo takes it back).", n or 0).format(n=n or 0))
        return n or 0


def show_in_window(window: "MainWindow", hit: search.Hit) -> bool:
    """Bring the hit's form to the front with the cursor on its cell."""
    kind, year_id = hit.target[0], hit.target[1]
    if kind == "calendar":
        _k, _y, step_id, month, field = hit.target
        if not window.select_key(("calendar", year_id)):
            return False
        view = window.calendar_view
        model = view.model
        if month:
            col = model.FIRST_MONTH + [m.key for m in model.months].index(month) \
                if month in [m.key for m in model.months] else model.COL_TEXT
        else:
            col = model.col_remark if field == "remark" else model.COL_TEXT
        view.table.focus_key(step_id, col)
        view.table.setFocus()
        return True
    if kind == "weekly":
        _k, _y, row_id, month, week, field = hit.target
        if not window.select_key(("weekly", year_id)):
            return False
        view = window.weekly_view
        model = view.model
        if month:
            col = model.FIRST_WEEK + planning.week_index(model.year, month, week)
        else:
            col = model.columnCount() - 1 if field == "remark" else model.COL_CODE
        view.table.focus_key(row_id, col)
        view.table.setFocus()
        return True
    if kind in ("devplan", "kpi"):   # shown by the development plans (their feature registers the place)
        if kind == "kpi":
            return window.show_place("devplan", year_id, kpi_id=hit.target[3])
        _k, _y, plan_id, step_id, _f = hit.target
        return window.show_place("devplan", year_id, plan_id=plan_id, step_id=step_id)
    if kind == "criterion":
        return window.select_key(("criterion", year_id, hit.target[2]))
    # a criterion of the catalog: shown under the fiscal year in view (else the first one)
    year_id = window.current_year_id() or _first_year(window)
    return bool(year_id) and window.select_key(("criterion", year_id, hit.target[2]))


def _first_year(window: "MainWindow") -> str | None:
    for org in planning.organisations(window.store):
        years = planning.fiscal_years(window.store, org["id"])
        if years:
            return years[0]["id"]
    return None
