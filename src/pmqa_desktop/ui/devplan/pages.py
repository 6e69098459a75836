"""Year pages for development plans (แผนพัฒนาองค์การ) and the traffic-light dashboard.

``install(window)`` registers two pages under every fiscal year of the tree: the plans page
(a plan list; for the selected plan its grid of activities and steps with Gantt bars, form
7.2 with the rounds, approval) and the dashboard. Pages are found again through a registry
in this module (``page_for`` / ``open_plan``) so the dashboard can jump to a plan's row.
"""
from __future__ import annotations

import weakref
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QListView, QMenu, QPlainTextEdit, QPushButton, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from ...core.budget import format_baht
from ...core.storage import devplan as dp
from ...core.storage import planning
from ...core.storage.store import Change, Store
from ...core.thai_calendar import MonthKey, format_thai_date
from ...i18n import _, ngettext
from . import commands as cmd
from .models import (COL_BUDGET, COL_DURATION, COL_END, COL_M0, COL_OUTPUT, COL_REL, COL_RESP, COL_START,
                             COL_TEXT, N_MONTHS, KpiModel, PlanGridModel, PlanListModel, _listen, plan_state_text)
from ..common.flow_layout import FlowLayout
from . import gantt_zoom
from ..common.frozen_view import freeze_columns
from ..common.forms import guarded
from ..common.layout_memory import remember_grid, remember_splitter
from .gantt import DevGridView, PlanGridView
from .kpi_editor import KpiEditor

from . import DASHBOARD_PAGE, DEVPLAN_PAGE  # the page keys

_PAGES: "weakref.WeakValueDictionary[tuple[int, str, str], QWidget]" = weakref.WeakValueDictionary()

GRID_WIDTHS = {COL_TEXT: 300, COL_DURATION: 70, COL_START: 62, COL_END: 62, COL_OUTPUT: 200, COL_RESP: 150,
               COL_REL: 130, COL_BUDGET: 110, **{COL_M0 + i: 46 for i in range(N_MONTHS)}}
# what each column is, for its remembered width (the months are left to the Gantt zoom)
COLUMN_KEYS = {COL_TEXT: "activity", COL_DURATION: "duration", COL_START: "start", COL_END: "end",
               COL_OUTPUT: "output", COL_RESP: "responsible", COL_REL: "related", COL_BUDGET: "budget"}


def _year_be(store: Store, year_id: str) -> int:
    y = store.get("fiscal_year", year_id)
    return int(y["year_be"]) if y else date.today().year + 543


# ====================================================================== dialogs

class PlanDialog(QDialog):
    """Title of a plan and what it is tied to: a หมวด and/or a policy text."""

    def __init__(self, parent: QWidget | None, store: Store, plan: dict | None = None):
        super().__init__(parent)
        self.setObjectName("plan_dialog")
        self.setWindowTitle(_("Development plan") if plan is None else _("Rename development plan"))
        self.title = QLineEdit(self)
        self.title.setObjectName("plan_title")
        self.category = QComboBox(self)
        self.category.setObjectName("plan_category")
        self.category.addItem(_("(none: a policy)"), None)
        for c in planning.categories(store):
            self.category.addItem(f"{c['code']} {c['name']}", c["id"])
        self.policy = QLineEdit(self)
        self.policy.setObjectName("plan_policy")
        if plan is not None:
            self.title.setText(plan["title"] or "")
            self.policy.setText(plan["policy"] or "")
            self.category.setCurrentIndex(max(0, self.category.findData(plan["category_id"])))
        form = QFormLayout()
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Category (หมวด):"), self.category)
        form.addRow(_("Policy:"), self.policy)
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.setMinimumSize(520, 170)
        self.resize(560, 180)

    def values(self) -> dict[str, Any]:
        return {"title": self.title.text().strip(), "category_id": self.category.currentData(),
                "policy": self.policy.text().strip()}


DEFAULT_POSITIONS = "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน\nผู้ว่าราชการจังหวัด"


def default_positions(store: Store, plan: dict) -> str:
    """The position lines last used for a plan of the same year, else the province's governor."""
    used = [a for p in dp.plans(store, plan["year_id"]) for a in dp.approvals(store, p["id"]) if a["position_lines"]]
    if used:
        return max(used, key=lambda a: a["updated_at"])["position_lines"]
    year = store.get("fiscal_year", plan["year_id"])
    org = store.get("organisation", year["org_id"]) if year and year.get("org_id") else None
    province = (org.get("province") or "").strip() if org else ""
    if not province and org and org["name"].startswith("จังหวัด"):
        province = org["name"][len("จังหวัด"):].strip()
    return (f"รองผู้ว่าราชการจังหวัด{province} ปฏิบัติราชการแทน\nผู้ว่าราชการจังหวัด{province}" if province
            else DEFAULT_POSITIONS)


class ApprovalDialog(QDialog):
    """Record who approved the plan: name, position lines and the date."""

    def __init__(self, parent: QWidget | None, plan: dict, store: Store | None = None):
        super().__init__(parent)
        self.setObjectName("approval_dialog")
        self.setWindowTitle(_("Record approval"))
        self.name = QLineEdit(self)
        self.name.setObjectName("signer_name")
        self.name.setPlaceholderText(_("e.g. นายสมชาย ใจดี"))
        self.positions = QPlainTextEdit(self)
        self.positions.setObjectName("position_lines")
        self.positions.setPlainText(default_positions(store, plan) if store is not None else DEFAULT_POSITIONS)
        self.positions.setFixedHeight(72)
        self.date = QDateEdit(self)
        self.date.setObjectName("signed_on")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setDate(QDate.currentDate())
        self.thai_date = QLabel(self)
        self.date.dateChanged.connect(self._show_thai)
        self._show_thai()
        form = QFormLayout()
        form.addRow(QLabel(_("Plan: {title}").format(title=plan["title"] or plan["policy"]), self))
        form.addRow(_("Signer's name:"), self.name)
        form.addRow(_("Position (one line each):"), self.positions)
        form.addRow(_("Signed on (C.E.):"), self.date)
        form.addRow("", self.thai_date)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        # stated budgets that are not the sum of their steps: said before the plan is signed
        diffs = dp.budget_mismatches(store, plan["id"]) if store is not None else []
        self.budget_warning = QLabel("\n".join(
            _("Activity {n}: the stated budget {stated} baht does not match the sum of its steps {total} baht.").format(
                n=a.number, stated=format_baht(a.stated), total=format_baht(a.total)) for a in diffs), self)
        self.budget_warning.setObjectName("approval_budget_warning")
        self.budget_warning.setWordWrap(True)
        self.budget_warning.setStyleSheet("color: #a00000; font-weight: bold")
        self.budget_warning.setVisible(bool(diffs))
        lay.addWidget(self.budget_warning)
        lay.addWidget(QLabel(_("The approved version is kept; later edits start the next version."), self))
        lay.addWidget(self.buttons)
        self.setMinimumSize(560, 320)

    def _show_thai(self, *_a) -> None:
        d = self.date.date()
        self.thai_date.setText(format_thai_date(d.day(), MonthKey(d.year(), d.month()), full=True))

    def values(self) -> tuple[str, list[str], date]:
        d = self.date.date()
        lines = [x.strip() for x in self.positions.toPlainText().splitlines() if x.strip()]
        return self.name.text().strip(), lines, date(d.year(), d.month(), d.day())


class SnapshotDialog(QDialog):
    """A read-only view of an approved version of a plan (its frozen snapshot)."""

    def __init__(self, parent: QWidget | None, store: Store, approval_id: str, year_be: int):
        super().__init__(parent)
        self.setObjectName("snapshot_dialog")
        tree = dp.load_snapshot(store, approval_id)
        a = store.get("plan_approval", approval_id, include_deleted=True) or {}
        plan = tree.get("plan") or {}
        self.setWindowTitle(_("Approved version {n}: {title}").format(n=a.get("revision", ""),
                                                                      title=plan.get("title") or ""))
        signed = a.get("signed_on") or ""
        if signed:
            try:
                d = date.fromisoformat(signed)
                signed = format_thai_date(d.day, MonthKey(d.year, d.month), full=True)
            except ValueError:
                pass
        info = QLabel(_("Approved version {n}, read-only. Signed by {name} ({positions}) on {date}.").format(
            n=a.get("revision", ""), name=a.get("signer_name", ""),
            positions=" / ".join((a.get("position_lines") or "").splitlines()), date=signed or "-"), self)
        info.setObjectName("snapshot_info")
        info.setWordWrap(True)
        self.grid_model = PlanGridModel(None, None, year_be, self)
        self.grid_model.set_snapshot(tree)
        self.grid = PlanGridView(self)
        self.grid.setObjectName("snapshot_grid")
        self.grid.widths = GRID_WIDTHS
        self.grid.setModel(self.grid_model)
        self.kpi_model = KpiModel(None, None, self)
        self.kpi_model.set_snapshot(tree)
        from .gantt import DevGridView
        self.kpi_view = DevGridView(self)
        self.kpi_view.setObjectName("snapshot_kpis")
        self.kpi_view.widths = {1: 300}
        self.kpi_view.setModel(self.kpi_model)
        tabs = QTabWidget(self)
        tabs.addTab(self.grid, _("Plan"))
        tabs.addTab(self.kpi_view, _("Form 7.2"))
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addWidget(tabs, 1)
        lay.addWidget(buttons)
        self.setMinimumSize(800, 450)
        self.resize(1100, 600)


# ====================================================================== the plans page

class DevPlanPage(QWidget):
    """Development plans of one fiscal year."""

    planChanged = Signal(str)

    def __init__(self, store: Store, undo_stack: QUndoStack, year_id: str, window: Any = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("devplan_page")
        self.store = store
        self.undo_stack = undo_stack
        self.year_id = year_id
        self.window_ = window
        self.year_be = _year_be(store, year_id)
        self.plan_id: str | None = None
        self.last_dialog: Any = None
        self._state: tuple | None = None       # (plan id, revision, status) as last shown
        self._seen: tuple | None = None        # ... as last seen by the change listener

        # ---- left: the plans
        self.plan_model = PlanListModel(store, year_id, self)
        self.plan_list = QListView(self)
        self.plan_list.setObjectName("plan_list")
        self.plan_list.setModel(self.plan_model)
        self.plan_list.setWordWrap(True)
        self.plan_list.setSpacing(2)
        self.plan_list.selectionModel().currentChanged.connect(self._plan_picked)
        self.plan_model.modelReset.connect(self._plans_reset)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("<b>Development plans, FY {year}</b>").format(year=self.year_be), left)
        heading.setWordWrap(True)
        ll.addWidget(heading)
        ll.addWidget(self.plan_list, 1)
        row = FlowLayout()
        self.add_plan_button = self._button(_("Add…"), "add_plan", self.add_plan_dialog, row)
        self.rename_plan_button = self._button(_("Rename / tie…"), "rename_plan", self.rename_plan_dialog, row)
        self.delete_plan_button = self._button(_("Delete"), "delete_plan", self.delete_plan, row)
        ll.addLayout(row)

        # ---- right: the plan
        self.title_label = QLabel(self)
        self.title_label.setObjectName("plan_title_label")
        self.title_label.setWordWrap(True)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("plan_state")
        self.budget_label = QLabel(self)
        self.budget_label.setObjectName("plan_budget")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("page_error")
        self.error_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        bar = FlowLayout()   # wraps on a narrow page rather than squeezing the tree beside it
        self.add_activity_button = self._button(_("Add activity…"), "add_activity", self.add_activity_dialog, bar)
        self.add_step_button = self._button(_("Add step"), "add_step", self.add_step, bar)
        self.delete_row_button = self._button(_("Delete row"), "delete_row", self.delete_row, bar)
        self.up_button = self._button(_("Move up"), "move_up", lambda: self.move_row(-1), bar)
        self.down_button = self._button(_("Move down"), "move_down", lambda: self.move_row(1), bar)
        self.up_button.setToolTip(_("Move the row up (Alt+Up)"))       # the keys work in the grid too
        self.down_button.setToolTip(_("Move the row down (Alt+Down)"))
        self.approve_button = self._button(_("Record approval…"), "approve", self.approve_dialog, bar)
        self.versions_combo = QComboBox(self)
        self.versions_combo.setObjectName("approved_versions")
        bar.addWidget(self.versions_combo)
        self.view_version_button = self._button(_("View approved version"), "view_version", self.view_version, bar)

        self.grid_model = PlanGridModel(store, undo_stack, self.year_be, self)
        self.grid = PlanGridView(self)
        self.grid.setObjectName("plan_grid")
        self.grid.widths = GRID_WIDTHS
        self.grid.setModel(self.grid_model)
        freeze_columns(self.grid, COL_TEXT + 1, make=DevGridView)   # the activity stays while months scroll
        self.gantt_zoom = gantt_zoom.install(self, bar.addWidget)
        remember_grid(self.grid, "devplan", COLUMN_KEYS.get)   # (the months' widths are the Gantt zoom's)
        self.grid.empty_hint = _("Press “Add activity…” to begin")
        self.grid.empty_check = lambda: self.plan_id is not None and not self.grid_model.activity_ids()
        self.grid_model.message.connect(self.show_error)
        self.grid.moveRowRequested.connect(self.move_row)          # Alt+Up / Alt+Down
        self.grid.customContextMenuRequested.connect(self._grid_menu)
        self.grid_model.modelReset.connect(self._refresh_header)
        self.grid_model.dataChanged.connect(lambda *a: self._refresh_header())
        self.kpi_editor = KpiEditor(store, undo_stack, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("plan_tabs")
        self.tabs.addTab(self.grid, _("Activities and steps"))
        self.tabs.addTab(self.kpi_editor, _("Form 7.2 and rounds"))

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.state_label)
        rl.addLayout(head)
        rl.addWidget(self.budget_label)
        rl.addLayout(bar)
        rl.addWidget(self.error_label)
        rl.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([230, 1000])
        remember_splitter(split, "devplan_split")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)
        self._listener = _listen(store, self, ("dev_plan", "plan_approval"))
        if self.plan_model.rowCount():
            self.select_plan(self.plan_model.plan_at(0)["id"])
        else:
            self._refresh_header()

    def _button(self, text: str, name: str, fn, layout) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.clicked.connect(lambda checked=False: fn())
        layout.addWidget(b)
        return b

    # ------------------------------------------------------------ selection
    def _plan_picked(self, current, _previous) -> None:
        p = self.plan_model.plan_at(current.row()) if current.isValid() else None
        self._show_plan(p["id"] if p else None)

    def _plans_reset(self) -> None:
        if self.plan_id and self.plan_model.row_of(self.plan_id) >= 0:
            self.plan_list.setCurrentIndex(self.plan_model.index(self.plan_model.row_of(self.plan_id)))
        elif self.plan_model.rowCount():
            self.plan_list.setCurrentIndex(self.plan_model.index(0))
        else:
            self._show_plan(None)

    def _show_plan(self, plan_id: str | None) -> None:
        if plan_id == self.plan_id and self.grid_model.plan_id == plan_id:
            return
        self.plan_id = plan_id
        self.grid_model.set_plan(plan_id)
        self.kpi_editor.set_plan(plan_id)
        self._refresh_header()
        self._seen = self._state
        self.planChanged.emit(plan_id or "")

    def select_plan(self, plan_id: str) -> bool:
        row = self.plan_model.row_of(plan_id)
        if row < 0:
            return False
        self.plan_list.setCurrentIndex(self.plan_model.index(row))
        self._show_plan(plan_id)
        return True

    def select_step(self, step_id: str) -> bool:
        """Show the plan of a step and put the cursor on the step's row."""
        s = dp.step(self.store, step_id)
        a = dp.activity(self.store, s["activity_id"]) if s else None
        pid = a["plan_id"] if a else None
        if not pid or not self.select_plan(pid):
            return False
        self.tabs.setCurrentWidget(self.grid)
        if self.grid_model.row_of_key(step_id) < 0:
            return False
        self.grid.focus_key(step_id, COL_TEXT)
        self.grid.setFocus()
        return True

    def select_kpi(self, kpi_id: str) -> bool:
        k = dp.kpi(self.store, kpi_id)
        if k is None or not self.select_plan(k["plan_id"]):
            return False
        self.tabs.setCurrentWidget(self.kpi_editor)
        return self.kpi_editor.select_kpi(kpi_id)

    # ------------------------------------------------------------ header
    def _on_changes(self, changes: list[Change]) -> None:
        before = self._seen
        self._refresh_header()
        after = self._seen = self._state
        if before and after and before[0] == after[0] and before[2] == "approved" and after[2] == "draft" \
                and after[1] == before[1] + 1 and self.window_ is not None:
            self.window_.show_message(_("Version {n} stays approved and readable; this edit starts version {m}.")
                                      .format(n=before[1], m=after[1]))

    def _refresh_header(self) -> None:
        p = dp.plan(self.store, self.plan_id) if self.plan_id else None
        self._state = (p["id"], p["revision"], p["status"]) if p else None
        has = p is not None
        for b in (self.add_activity_button, self.add_step_button, self.delete_row_button, self.up_button,
                  self.down_button, self.approve_button, self.rename_plan_button, self.delete_plan_button):
            b.setEnabled(has and not self.store.read_only)
        if not has:
            self.title_label.setText(_("No development plan yet: use Add… on the left."))
            self.state_label.setText("")
            self.budget_label.setText("")
            self.versions_combo.clear()
            self.view_version_button.setEnabled(False)
            return
        cat = self.store.get("category", p["category_id"]) if p["category_id"] else None
        tie = (_("Category {code} {name}").format(code=cat["code"], name=cat["name"]) if cat else p["policy"]) or ""
        title = p["title"] or p["policy"]
        self.title_label.setText(f"<b>{title}</b>" + (f"<br>{tie}" if tie and tie != title else ""))
        approvals = dp.approvals(self.store, self.plan_id)
        state = plan_state_text(p, approvals)
        colour = "#1b5e20" if p["status"] == "approved" else "#8d6e00"
        self.state_label.setText(f"<span style='color:{colour}; font-weight:bold'>{state}</span>")
        self.approve_button.setEnabled(p["status"] != "approved" and not self.store.read_only)
        tree = self.grid_model.tree or {}
        mism = [a for a in tree.get("activities", []) if a.get("stated_budget") is not None
                and a["stated_budget"] != a.get("total", 0)]
        text = _("Budget of the plan: {total} baht").format(total=format_baht(tree.get("total", 0)))
        if mism:
            text += "  ⚠ " + ngettext("{n} activity budget differs from the sum of its steps.",
                                      "{n} activity budgets differ from the sum of their steps.", len(mism)).format(
                n=len(mism))
        self.budget_label.setText(text)
        current = self.versions_combo.currentData()
        self.versions_combo.blockSignals(True)
        self.versions_combo.clear()
        for a in approvals:
            self.versions_combo.addItem(_("Version {n} ({name})").format(n=a["revision"], name=a["signer_name"]),
                                        a["id"])
        if current:
            self.versions_combo.setCurrentIndex(max(0, self.versions_combo.findData(current)))
        elif approvals:
            self.versions_combo.setCurrentIndex(len(approvals) - 1)
        self.versions_combo.blockSignals(False)
        self.view_version_button.setEnabled(bool(approvals))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        if text and self.window_ is not None:
            self.window_.show_message(text)

    def _guard(self, fn) -> Any:
        return guarded(self.show_error, fn)

    def _dialog(self, dlg: QDialog) -> QDialog:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()
        return dlg

    # ------------------------------------------------------------ plan actions
    def add_plan(self, title: str, category_id: str | None = None, policy: str = "") -> str | None:
        pid = self._guard(lambda: cmd.add_plan(self.undo_stack, self.store, self.year_id, title, category_id, policy,
                                               after_id=self.plan_id))
        if pid:
            self.select_plan(pid)
        return pid

    def add_plan_dialog(self) -> PlanDialog:
        dlg = PlanDialog(self, self.store)
        dlg.accepted.connect(lambda: self.add_plan(**dlg.values()))
        return self._dialog(dlg)

    def rename_plan_dialog(self) -> PlanDialog | None:
        p = dp.plan(self.store, self.plan_id) if self.plan_id else None
        if p is None:
            return None
        dlg = PlanDialog(self, self.store, p)
        pid = p["id"]
        dlg.accepted.connect(lambda: self._guard(lambda: cmd.update_plan(self.undo_stack, self.store, pid,
                                                                         **dlg.values())))
        return self._dialog(dlg)

    def delete_plan(self) -> None:
        if self.plan_id:
            pid = self.plan_id
            self._guard(lambda: cmd.delete_plan(self.undo_stack, self.store, pid))

    # ------------------------------------------------------------ rows
    def grid_menu(self) -> QMenu:
        """The grid's context menu (built here so tests can trigger its actions)."""
        menu = QMenu(self.grid)
        ro = self.store.read_only or not self.plan_id
        for text, fn in ((_("Add step"), self.add_step), (_("Add activity…"), self.add_activity_dialog),
                         (_("Delete row"), self.delete_row), (_("Move up"), lambda: self.move_row(-1)),
                         (_("Move down"), lambda: self.move_row(1))):
            act = menu.addAction(text)
            act.triggered.connect(lambda checked=False, fn=fn: fn())
            act.setEnabled(not ro)
        menu.addSeparator()
        menu.addAction(_("Copy"), self.grid.copy_selection)
        paste = menu.addAction(_("Paste"), self.grid.paste)
        paste.setEnabled(not ro)
        return menu

    def _grid_menu(self, pos) -> None:
        menu = self.grid_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.grid.viewport().mapToGlobal(pos))

    def _current_row(self) -> int:
        cur = self.grid.currentIndex()
        return cur.row() if cur.isValid() else -1

    def add_activity(self, title: str, stated_budget: Any = None) -> str | None:
        if not self.plan_id:
            return None
        act = self.grid_model.activity_at(self._current_row())
        aid = self._guard(lambda: cmd.add_activity(self.undo_stack, self.store, self.plan_id, title,
                                                   after_id=act["id"] if act else None, stated_budget=stated_budget))
        if aid:
            self.grid.focus_key("a:" + aid, COL_TEXT)
        return aid

    def add_activity_dialog(self) -> QInputDialog | None:
        if not self.plan_id:
            return None
        dlg = QInputDialog(self)
        dlg.setObjectName("add_activity_dialog")
        dlg.setWindowTitle(_("Add activity"))
        dlg.setLabelText(_("Title of the activity:"))
        dlg.setMinimumSize(420, 140)
        dlg.textValueSelected.connect(lambda t: t.strip() and self.add_activity(t.strip()))
        return self._dialog(dlg)

    def add_step(self, text: str = "", **fields: Any) -> str | None:
        """A new step after the current one (or at the end of the current/last activity)."""
        if not self.plan_id:
            return None
        row = self._current_row()
        act = self.grid_model.activity_at(row)
        if act is None:
            ids = self.grid_model.activity_ids()
            if not ids:
                self.show_error(_("Add an activity first."))
                return None
            act = dp.activity(self.store, ids[-1])
        step = self.grid_model.step_at(row)
        after = step["id"] if step else None
        if after is None:
            rows = dp.steps(self.store, act["id"])
            if row >= 0 and self.grid_model.row_key(row).startswith("a:"):   # on the heading: first step
                return self._add_step_at(act["id"], text, None, 0, fields)
            after = rows[-1]["id"] if rows else None
        return self._add_step_at(act["id"], text, after, None, fields)

    def _add_step_at(self, activity_id, text, after, index, fields) -> str | None:
        if "number" not in fields:
            nums = [int(s["number"]) for s in dp.steps(self.store, activity_id) if str(s["number"]).isdigit()]
            fields["number"] = str(max(nums, default=0) + 1)
        sid = self._guard(lambda: cmd.add_step(self.undo_stack, self.store, activity_id, text, after_id=after,
                                               index=index, **fields))
        if sid:
            self.grid.focus_key(sid, COL_TEXT)
        return sid

    def delete_row(self) -> None:
        row = self._current_row()
        step = self.grid_model.step_at(row)
        if step is not None:
            self._guard(lambda: cmd.delete_step(self.undo_stack, self.store, step["id"]))
            return
        key = self.grid_model.row_key(row)
        if key.startswith("a:"):
            self._guard(lambda: cmd.delete_activity(self.undo_stack, self.store, key[2:]))

    def move_row(self, delta: int) -> None:
        row = self._current_row()
        step = self.grid_model.step_at(row)
        col = max(0, self.grid.currentIndex().column())
        if step is not None:
            rows = dp.steps(self.store, step["activity_id"])
            i = next(k for k, s in enumerate(rows) if s["id"] == step["id"])
            if 0 <= i + delta < len(rows):
                self._guard(lambda: cmd.move_step(self.undo_stack, self.store, step["id"], i + delta))
                self.grid.focus_key(step["id"], col)
            return
        key = self.grid_model.row_key(row)
        if key.startswith("a:"):
            ids = self.grid_model.activity_ids()
            i = ids.index(key[2:])
            if 0 <= i + delta < len(ids):
                self._guard(lambda: cmd.move_activity(self.undo_stack, self.store, key[2:], i + delta))
                self.grid.focus_key(key, col)

    # ------------------------------------------------------------ approval
    def approve(self, signer_name: str, position_lines: Any, signed_on: Any = None) -> str | None:
        if not self.plan_id:
            return None
        pid = self.plan_id
        return self._guard(lambda: cmd.approve_plan(self.undo_stack, self.store, pid, signer_name, position_lines,
                                                    signed_on))

    def approve_dialog(self) -> ApprovalDialog | None:
        p = dp.plan(self.store, self.plan_id) if self.plan_id else None
        if p is None:
            return None
        dlg = ApprovalDialog(self, p, self.store)

        def done() -> None:
            name, lines, d = dlg.values()
            self.approve(name, lines, d)
        dlg.accepted.connect(done)
        return self._dialog(dlg)

    def view_version(self, approval_id: str | None = None) -> SnapshotDialog | None:
        approval_id = approval_id or self.versions_combo.currentData()
        if not approval_id:
            return None
        dlg = SnapshotDialog(self, self.store, approval_id, self.year_be)
        return self._dialog(dlg)


# ====================================================================== registry and install

def page_for(window: Any, year_id: str, key: str = DEVPLAN_PAGE) -> QWidget | None:
    return _PAGES.get((id(window), year_id, key))


def current_plan_id(window: Any) -> str | None:
    """The plan shown on the plans page in front, if any (e.g. to preselect it for printing)."""
    w = window.stack.currentWidget() if hasattr(window, "stack") else None
    return w.plan_id if isinstance(w, DevPlanPage) else None


def open_page(window: Any, year_id: str, key: str = DEVPLAN_PAGE) -> QWidget | None:
    """Bring a year page to the front (through the tree when the window has one)."""
    if hasattr(window, "select_key"):
        window.select_key(("page", year_id, key))
    return page_for(window, year_id, key)


def open_plan(window: Any, year_id: str, plan_id: str | None = None, step_id: str | None = None,
              kpi_id: str | None = None) -> DevPlanPage | None:
    """Jump to a plan (and a step's or KPI's row) on the plans page of its year."""
    page = open_page(window, year_id, DEVPLAN_PAGE)
    if page is None:
        return None
    if step_id:
        page.select_step(step_id)
    elif kpi_id:
        page.select_kpi(kpi_id)
    elif plan_id:
        page.select_plan(plan_id)
        page.tabs.setCurrentWidget(page.grid)
    return page


def make_devplan_page(window: Any, year_id: str) -> DevPlanPage:
    page = DevPlanPage(window.store, window.undo_stack, year_id, window)
    _PAGES[(id(window), year_id, DEVPLAN_PAGE)] = page
    return page


def make_dashboard_page(window: Any, year_id: str) -> QWidget:
    from .dashboard_view import DashboardView
    view = DashboardView(window.store, year_id, window)
    view.jumpRequested.connect(lambda target: _jump(window, year_id, target))
    _PAGES[(id(window), year_id, DASHBOARD_PAGE)] = view
    return view


def _jump(window: Any, year_id: str, target: dict) -> None:
    table = target.get("table")
    if table == "plan_step":
        open_plan(window, year_id, step_id=target["id"])
    elif table == "kpi":
        open_plan(window, year_id, kpi_id=target["id"])
    elif table == "dev_plan":
        open_plan(window, year_id, plan_id=target["id"])
    elif table == "category":
        ids = target.get("plan_ids") or []
        open_plan(window, year_id, plan_id=ids[0] if ids else None)
