"""Form 7.2 of a development plan and its 6/9/12-month rounds.

``KpiEditor(store, undo_stack)``: a round selector; the KPI grid under the four dimensions
(7.1-7.4, shown even when empty) with the round's actual values and the computed scores
(4 decimals); the plan's weighted score; a visible flag when the weights do not sum to 1 or
a ladder looks wrong; the sentence saying what a result short of level 1 scores; and below,
the plan's steps with their report for the round (status, percent done, evidence, date).
Every edit is one undoable command.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from ...core import scoring
from ...core.storage import devplan as dp
from ...core.storage.store import Store
from ..common.forms import guarded
from ..common.layout_memory import remember_splitter
from ...i18n import _, ngettext
from . import commands as cmd
from .models import (K_ACTUAL, K_COLS, K_CURRENT, K_DIR, K_LADDER, K_NUM, K_RULE, K_SCORE, K_T1, K_TARGET,
                             K_TEXT, K_UNIT, K_WEIGHT, P_DATE, P_EVIDENCE, P_PERCENT, P_SPAN, P_STATUS, P_STEP,
                             KpiModel, ProgressModel, step_label)
from .gantt import DevGridView

FLAG_STYLE = "color: #b71c1c; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"


class MilestoneDialog(QDialog):
    """Choose, for each of the 5 levels of a milestone ladder, the plan steps that make it."""

    def __init__(self, parent: QWidget | None, steps: list[dict], levels: list[list[dict]]):
        super().__init__(parent)
        self.setObjectName("milestone_dialog")
        self.setWindowTitle(_("Milestone ladder"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Level k is reached when every step ticked for levels 1 to k is done."), self))
        tabs = QTabWidget(self)
        self.lists: list[QListWidget] = []
        for k in range(5):
            lw = QListWidget(tabs)
            chosen = {it.get("step_id") for it in (levels[k] if k < len(levels) else [])}
            for s in steps:
                item = QListWidgetItem(step_label(s), lw)
                item.setData(Qt.ItemDataRole.UserRole, s["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if s["id"] in chosen else Qt.CheckState.Unchecked)
            tabs.addTab(lw, _("Level {k}").format(k=k + 1))
            self.lists.append(lw)
        lay.addWidget(tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumSize(520, 380)
        self.resize(560, 420)

    def levels(self) -> list[list[dict]]:
        out = []
        for lw in self.lists:
            items = []
            for i in range(lw.count()):
                it = lw.item(i)
                if it.checkState() == Qt.CheckState.Checked:
                    items.append({"text": it.text(), "step_id": it.data(Qt.ItemDataRole.UserRole)})
            out.append(items)
        return out


class KpiEditor(QWidget):
    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kpi_editor")
        self.store = store
        self.undo_stack = undo_stack
        self.plan_id: str | None = None
        self.last_dialog = None

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Round:"), self))
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("round_combo")
        for r in dp.ROUNDS:
            self.round_combo.addItem(ngettext("{n} month", "{n} months", r).format(n=r), r)
        self.round_combo.currentIndexChanged.connect(self._round_changed)
        top.addWidget(self.round_combo)
        self.add_button = QPushButton(_("Add KPI…"), self)
        self.add_button.setObjectName("add_kpi")
        self.add_button.clicked.connect(self.add_kpi_here)
        self.delete_button = QPushButton(_("Delete KPI"), self)
        self.delete_button.setObjectName("delete_kpi")
        self.delete_button.clicked.connect(self.delete_current_kpi)
        self.milestone_button = QPushButton(_("Milestones…"), self)
        self.milestone_button.setObjectName("milestones")
        self.milestone_button.clicked.connect(lambda: self.edit_milestones())
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.milestone_button)

        self.model = KpiModel(store, undo_stack, self)
        self.view = DevGridView(self)
        self.view.setObjectName("kpi_grid")
        self.view.widths = {K_NUM: 36, K_TEXT: 250, K_CURRENT: 90, K_TARGET: 70, K_WEIGHT: 56, K_UNIT: 50,
                            K_DIR: 110, K_LADDER: 100, K_RULE: 100, K_ACTUAL: 110, K_SCORE: 110,
                            **{K_T1 + i: 52 for i in range(5)}}
        self.view.setModel(self.model)
        self.model.message.connect(self.show_error)
        self.model.modelReset.connect(self.refresh_labels)
        self.model.dataChanged.connect(lambda *a: self.refresh_labels())
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().currentChanged.connect(lambda *a: self.refresh_labels())

        self.score_label = QLabel(self)
        self.score_label.setObjectName("plan_score")
        self.score_label.setWordWrap(True)   # (a narrow page must not squeeze the tree beside it)
        self.weight_label = QLabel(self)
        self.weight_label.setObjectName("weight_flag")
        self.weight_label.setWordWrap(True)
        self.ladder_label = QLabel(self)
        self.ladder_label.setObjectName("ladder_flags")
        self.ladder_label.setWordWrap(True)
        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("rule_text")
        self.rule_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("kpi_error")
        self.error_label.setStyleSheet(FLAG_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.progress_model = ProgressModel(store, undo_stack, self)
        self.progress_view = DevGridView(self)
        self.progress_view.setObjectName("progress_grid")
        self.progress_view.widths = {P_STEP: 340, P_SPAN: 110, P_STATUS: 130, P_PERCENT: 120, P_EVIDENCE: 240,
                                     P_DATE: 110}
        self.progress_view.setModel(self.progress_model)
        self.progress_model.message.connect(self.show_error)

        upper = QWidget(self)
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(top)
        ul.addWidget(self.view, 1)
        ul.addWidget(self.score_label)
        ul.addWidget(self.weight_label)
        ul.addWidget(self.ladder_label)
        ul.addWidget(self.rule_label)
        ul.addWidget(self.error_label)
        lower = QWidget(self)
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        self.progress_title = QLabel(self)
        self.progress_title.setWordWrap(True)
        ll.addWidget(self.progress_title)
        ll.addWidget(self.progress_view, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("kpi_split")
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        remember_splitter(split, "kpi_split")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.refresh_labels()

    # ------------------------------------------------------------ wiring
    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.model.set_store(store)
        self.progress_model.set_store(store)

    def set_plan(self, plan_id: str | None) -> None:
        self.plan_id = plan_id
        self.model.set_plan(plan_id)
        self.progress_model.set_plan(plan_id)
        self.refresh_labels()

    def set_round(self, rnd: int) -> None:
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(int(rnd))))

    def _round_changed(self, *_args) -> None:
        rnd = self.round_combo.currentData()
        self.model.set_round(rnd)
        self.progress_model.set_round(rnd)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, K_ACTUAL, K_SCORE)
        self.progress_model.headerDataChanged.emit(Qt.Orientation.Horizontal, P_STATUS, P_STATUS)
        self.refresh_labels()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def select_kpi(self, kpi_id: str) -> bool:
        row = self.model.row_of_key(kpi_id)
        if row < 0:
            return False
        self.view.focus_key(kpi_id, K_TEXT)
        self.view.setFocus()
        return True

    def select_progress(self, step_id: str) -> bool:
        if self.progress_model.row_of_key(step_id) < 0:
            return False
        self.progress_view.focus_key(step_id, P_STATUS)
        return True

    # ------------------------------------------------------------ labels
    def refresh_labels(self) -> None:
        rnd = self.model.round
        ps = self.model.plan_score()
        kpis = self.model.kpis()
        if ps is not None and kpis:
            self.score_label.setText(ngettext("Weighted score of the plan, round {r}: {score} ({n} of {total} KPI scored)",
                                              "Weighted score of the plan, round {r}: {score} ({n} of {total} KPIs scored)",
                                              ps.total).format(r=rnd, score=ps.display(4), n=ps.scored, total=ps.total))
        else:
            self.score_label.setText(_("Weighted score of the plan, round {r}: -").format(r=rnd))
        wf = self.model.weight_flag()
        if wf is not None:
            self.weight_label.setText("⚠ " + wf.message)
            self.weight_label.setStyleSheet(FLAG_STYLE)
        elif kpis:
            self.weight_label.setText(_("The weights sum to 1."))
            self.weight_label.setStyleSheet(OK_STYLE)
        else:
            self.weight_label.setText(_("No KPIs yet: add them under a dimension."))
            self.weight_label.setStyleSheet("")
        lf = self.model.ladder_flags()
        if lf:
            self.ladder_label.setText("\n".join("⚠ {text}: {msg}".format(text=(k.get("text") or "")[:60], msg=f.message)
                                                for k, f in lf))
            self.ladder_label.setStyleSheet(FLAG_STYLE)
            self.ladder_label.show()
        else:
            self.ladder_label.hide()
        k = self.model.kpi_at(self.view.currentIndex().row()) if self.view.currentIndex().isValid() else None
        if k is None and kpis:
            k = kpis[0]
        if k is not None:
            if (k.get("ladder_kind") or "linear") == "milestone":
                text = _("Milestone ladder: the score is the level reached.")
            else:
                th = scoring.ladder_thresholds(k)
                text = scoring.below_rule_text(k.get("below_rule") or "zero", th if len(th) == 5 else None)
            self.rule_label.setText(_("Short of level 1 ({kpi}): {rule}").format(kpi=(k.get("text") or "")[:50],
                                                                                  rule=text))
        else:
            self.rule_label.setText(scoring.below_rule_text("zero"))
        self.progress_title.setText(_("Steps of the plan: report for round {r}").format(r=rnd))

    # ------------------------------------------------------------ actions
    def _guard(self, fn) -> object:
        return guarded(self.show_error, fn)

    def add_kpi(self, dimension: str, text: str, **fields) -> str | None:
        if self.plan_id is None or self.store is None:
            return None
        return self._guard(lambda: cmd.add_kpi(self.undo_stack, self.store, self.plan_id, dimension, text, **fields))

    def add_kpi_here(self) -> None:
        if self.plan_id is None:
            return
        row = self.view.currentIndex().row() if self.view.currentIndex().isValid() else 0
        dim = self.model.dimension_at(row)
        dlg = QInputDialog(self)
        dlg.setObjectName("add_kpi_dialog")
        dlg.setWindowTitle(_("Add KPI"))
        dlg.setLabelText(_("KPI text (dimension {dim}):").format(dim=dim))
        dlg.setMinimumSize(420, 140)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.textValueSelected.connect(lambda text: text.strip() and self.add_kpi(dim, text, weight=None))
        self.last_dialog = dlg
        dlg.open()

    def delete_current_kpi(self) -> None:
        k = self.model.kpi_at(self.view.currentIndex().row()) if self.view.currentIndex().isValid() else None
        if k is not None:
            self._guard(lambda: cmd.delete_kpi(self.undo_stack, self.store, k["id"]))

    def _double_clicked(self, index: QModelIndex) -> None:
        k = self.model.kpi_at(index.row())
        if k is not None and (k.get("ladder_kind") or "linear") == "milestone" and K_T1 <= index.column() <= K_T1 + 4:
            self.edit_milestones(k["id"])

    def edit_milestones(self, kpi_id: str | None = None) -> MilestoneDialog | None:
        if kpi_id is None:
            k = self.model.kpi_at(self.view.currentIndex().row()) if self.view.currentIndex().isValid() else None
        else:
            k = dp.kpi(self.store, kpi_id)
        if k is None or self.store is None:
            return None
        dlg = MilestoneDialog(self, dp.plan_steps(self.store, k["plan_id"]), scoring.milestones_of(k))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        kid = k["id"]
        dlg.accepted.connect(lambda: self._guard(lambda: cmd.update_kpi(
            self.undo_stack, self.store, kid, ladder_kind="milestone", milestones=dlg.levels())))
        self.last_dialog = dlg
        dlg.open()
        return dlg


__all__ = ["KpiEditor", "MilestoneDialog", "K_COLS", "K_DIR", "K_LADDER", "K_TARGET", "K_UNIT"]
