"""Qt models over the core for development plans (grid of activities and steps), form 7.2
(KPIs with a round's results and scores) and the steps' progress in a round.

The models read ``core.storage.devplan`` (a plan is small: tens of rows) and reload when the
store reports a change to their tables; when the rows stay the same they only repaint, so the
current cell survives an edit. Every edit goes through ``devplan_commands`` (one undoable
command per user action). A model may also show a frozen approved version (a snapshot dict
in ``plan_tree`` form): it is then read-only.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from ...core import scoring
from ...core.budget import format_baht, format_budget
from ...core.errors import UserError
from ...core.storage import devplan as dp
from ...core.storage import planning
from ...core.storage.store import Change, Store
from ...core.thai_calendar import MonthKey, fiscal_months
from ...i18n import _, english_screen
from . import commands as cmd
from ..common.delegates import display_text
from ..common.grid_model import EDITABLE, READ_ONLY, GridModel

# ---------------------------------------------------------------- plan grid columns
COL_TEXT, COL_DURATION, COL_START, COL_END = 0, 1, 2, 3
COL_M0 = 4
N_MONTHS = 12
COL_OUTPUT = COL_M0 + N_MONTHS      # 16
COL_RESP, COL_REL, COL_BUDGET = COL_OUTPUT + 1, COL_OUTPUT + 2, COL_OUTPUT + 3
N_COLS = COL_BUDGET + 1

STEP_FIELD_OF_COL = {COL_DURATION: "duration", COL_START: "start_month", COL_END: "end_month",
                     COL_OUTPUT: "output", COL_RESP: "responsible", COL_REL: "related", COL_BUDGET: "budget"}

ACTIVITY_BG = QBrush(QColor("#e8eef7"))
TOTAL_BG = QBrush(QColor("#f1f1f1"))
WARN_BG = QBrush(QColor("#ffe0b2"))
ERROR_BG = QBrush(QColor("#ffcdd2"))
DIM_BG = QBrush(QColor("#e8f5e9"))
TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
TOP_CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
BOLD = QFont()
BOLD.setBold(True)

_NUMBER_RE = re.compile(r"^\s*(\(\d+\)|\d+(?:\.\d+)*\.?)\s+(.*)$", re.S)

PLAN_TABLES = ("dev_plan", "plan_activity", "plan_step", "plan_approval", "kpi", "kpi_result", "step_progress")


def month_label(key: str | None) -> str:
    if not key:
        return ""
    try:
        return MonthKey.parse_key(key).abbr(english=english_screen())
    except ValueError:
        return key


def step_label(step: dict[str, Any]) -> str:
    number = (step.get("number") or "").strip()
    return f"{number} {step.get('text') or ''}".strip() if number else (step.get("text") or "")


def split_number(text: str) -> tuple[str | None, str]:
    """'3. ประชุม' -> ('3.', 'ประชุม'); '3 ประชุม' -> ('3', 'ประชุม'); '(2) x' -> ('(2)', 'x'); no
    number -> (None, text). The number is kept as typed: the forms print it so."""
    m = _NUMBER_RE.match(text or "")
    if not m:
        return None, (text or "").strip()
    return m.group(1), m.group(2).strip()


def plan_state_text(plan: dict[str, Any] | None, approvals: list[dict[str, Any]]) -> str:
    """'Approved, version 1' / 'Draft of version 2 (version 1 approved)' / 'Draft'."""
    if plan is None:
        return ""
    rev = plan["revision"]
    if plan["status"] == "approved":
        return _("Approved, version {n}").format(n=rev)
    done = [a["revision"] for a in approvals if a["revision"] < rev]
    if done:
        return _("Draft of version {n} (version {m} approved and kept)").format(n=rev, m=max(done))
    return _("Draft, version {n}").format(n=rev)


def _listen(store: Store, obj: Any, tables: tuple[str, ...]) -> Callable:
    """Subscribe ``obj._on_changes`` to ``store`` for some tables, weakly."""
    import weakref
    ref = weakref.ref(obj)
    wanted = set(tables)

    def listener(changes: list[Change]) -> None:
        o = ref()
        if o is None:
            store.unsubscribe(listener)
            return
        if not any(c.table in wanted for c in changes):
            return
        try:
            o._on_changes(changes)
        except RuntimeError:
            store.unsubscribe(listener)
    store.subscribe(listener)
    return listener


class _PlanModelBase(GridModel):
    """A GridModel bound to one plan (or one frozen snapshot)."""

    TABLES: tuple[str, ...] = PLAN_TABLES

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        self.plan_id: str | None = None
        self.snapshot: dict[str, Any] | None = None
        super().__init__(store, undo_stack, parent)

    def set_store(self, store: Store | None) -> None:
        if self.store is not None and self._listener is not None:
            self.store.unsubscribe(self._listener)
        self.store = store
        self._listener = _listen(store, self, self.TABLES) if store is not None else None
        self.reload()

    def set_plan(self, plan_id: str | None) -> None:
        self.plan_id = plan_id
        self.snapshot = None
        self.reload()

    def set_snapshot(self, tree: dict[str, Any]) -> None:
        """Show a frozen approved version (read-only)."""
        self.snapshot = tree
        self.plan_id = (tree.get("plan") or {}).get("id")
        self.reload()

    @property
    def read_only(self) -> bool:
        return self.snapshot is not None or self.store is None or bool(getattr(self.store, "read_only", False))

    @read_only.setter
    def read_only(self, value: bool) -> None:   # GridModel sets it from the store; derived here
        pass

    def _on_changes(self, changes: list[Change]) -> None:
        if self.snapshot is None and self.plan_id is not None:
            self.reload()

    def _guard(self, fn: Callable[[], Any]) -> bool:
        """Run an edit; a refused one becomes a message (nothing changed)."""
        try:
            fn()
            return True
        except UserError as exc:
            self.message.emit(str(exc))
            return False

    def _apply_rows(self, rows: list[tuple], key_of: Callable[[tuple], str]) -> None:
        old = [key_of(r) for r in self._rows]
        new = [key_of(r) for r in rows]
        if old == new:
            self._rows = rows
            self._after_load()
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self._after_load()
            self.endResetModel()
            self.spansChanged.emit()

    def _after_load(self) -> None:
        self._spanned = {r: cs for r, _c, _rs, cs in self.spans()}

    def row_cells(self, row: int) -> list[tuple[int, int, str]]:
        span = getattr(self, "_spanned", {}).get(row)
        if span:
            return [(0, span, self.cell_text(row, 0))]
        return [(c, 1, self.cell_text(row, c)) for c in range(self.columnCount())]

    def row_key(self, row: int) -> str:
        return self._key(self._rows[row]) if 0 <= row < len(self._rows) else ""

    def row_of_key(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if self._key(r) == key), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def _data(self, row: int, col: int, role: int) -> Any:
        if not 0 <= row < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(self.cell_text(row, col))   # Thai word breaks marked for Qt's wrapping
        if role == Qt.ItemDataRole.EditRole:
            return self.cell_text(row, col)
        kind, d = self._rows[row]
        return self._row_data(kind, d, row, col, role)

    def _row_data(self, kind: str, d: dict[str, Any], row: int, col: int, role: int) -> Any:
        """The other roles of a cell (``kind`` and ``d``: the row's kind and record)."""
        return None


# ====================================================================== the plan grid

class PlanGridModel(_PlanModelBase):
    """Activities (group rows with their summed budget) and steps with a Gantt over the
    fiscal year's 12 months; a total row at the end.

    Row tuples: ('act', activity dict incl. 'total'), ('step', step dict), ('total', None).
    """

    previewChanged = Signal()
    TABLES = ("dev_plan", "plan_activity", "plan_step")

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, year_be: int | None = None, parent=None):
        self._rows: list[tuple] = []
        self.tree: dict[str, Any] | None = None
        self.months: list[MonthKey] = fiscal_months(year_be) if year_be else []
        self.year_be = year_be
        self.preview: dict[str, tuple[int | None, int | None]] = {}
        super().__init__(store, undo_stack, parent)

    def set_year_be(self, year_be: int) -> None:
        self.year_be = year_be
        self.months = fiscal_months(year_be)

    @staticmethod
    def _key(r: tuple) -> str:
        kind, d = r
        if kind == "step":
            return d["id"]
        if kind == "act":
            return "a:" + d["id"]
        return "total"

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        tree = None
        if self.snapshot is not None:
            tree = self.snapshot
        elif self.store is not None and self.plan_id is not None and dp.plan(self.store, self.plan_id) is not None:
            tree = dp.plan_tree(self.store, self.plan_id)
        self.tree = tree
        rows: list[tuple] = []
        if tree is not None:
            for a in tree["activities"]:
                rows.append(("act", a))
                rows.extend(("step", s) for s in a.get("steps", []))
            rows.append(("total", None))
        self._apply_rows(rows, self._key)

    # ------------------------------------------------------------ geometry of the Gantt
    def month_index(self, key: str | None) -> int | None:
        """Index of a month relative to the fiscal year's first month (may be <0 or >11)."""
        if not key or not self.months:
            return None
        return self.months[0].months_until(MonthKey.parse_key(key))

    def month_key(self, index: int) -> str:
        return self.months[0].shifted(index).key

    def span_of(self, row: int) -> tuple[int | None, int | None]:
        """(start, end) month indices of a step row (the drag preview when one is going on)."""
        kind, d = self._rows[row]
        if kind != "step":
            return None, None
        if d["id"] in self.preview:
            return self.preview[d["id"]]
        return self.month_index(d.get("start_month")), self.month_index(d.get("end_month"))

    def set_preview(self, step_id: str, span: tuple[int | None, int | None] | None) -> None:
        if span is None:
            self.preview.pop(step_id, None)
        else:
            self.preview[step_id] = span
        row = self.row_of_key(step_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, COL_START), self.index(row, COL_OUTPUT - 1))

    def is_step(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row][0] == "step"

    def step_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row][1] if self.is_step(row) else None

    def activity_at(self, row: int) -> dict[str, Any] | None:
        """The activity of a row (an activity row or one of its steps)."""
        if not 0 <= row < len(self._rows):
            return None
        kind, d = self._rows[row]
        if kind == "act":
            return d
        if kind == "step":
            for k in range(row, -1, -1):
                if self._rows[k][0] == "act":
                    return self._rows[k][1]
        return None

    def activity_ids(self) -> list[str]:
        return [d["id"] for kind, d in self._rows if kind == "act"]

    # ------------------------------------------------------------ the view's interface
    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else N_COLS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if COL_M0 <= section < COL_OUTPUT:
                if not self.months:
                    return ""
                m = self.months[section - COL_M0]
                # narrow months (the Gantt zoomed out): no year (the page's title gives the fiscal year)
                return m.abbr(with_year=not getattr(self, "narrow_months", False), english=english_screen())
            return {COL_TEXT: _("Activity / step"), COL_DURATION: _("Duration"), COL_START: _("Start"),
                    COL_END: _("End"), COL_OUTPUT: _("Output / progress indicator"),
                    COL_RESP: _("Responsible"), COL_REL: _("Related units"),
                    COL_BUDGET: _("Budget (baht)")}.get(section)
        if role == Qt.ItemDataRole.ToolTipRole and section in (COL_START, COL_END):
            return _("Type a month such as มิ.ย. 53, or drag the bar in the month columns.")
        return None

    def spans(self) -> list[tuple[int, int, int, int]]:
        return [(i, COL_TEXT, 1, COL_BUDGET) for i, (kind, _d) in enumerate(self._rows) if kind in ("act", "total")]

    def row_cells(self, row: int) -> list[tuple[int, int, str]]:
        kind = self._rows[row][0]
        if kind != "step":
            return [(COL_TEXT, COL_BUDGET, self.cell_text(row, COL_TEXT)), (COL_BUDGET, 1, self.cell_text(row, COL_BUDGET))]
        return [(c, 1, self.cell_text(row, c)) for c in (COL_TEXT, COL_DURATION, COL_START, COL_END, COL_OUTPUT,
                                                          COL_RESP, COL_REL, COL_BUDGET)]

    def cell_text(self, row: int, col: int) -> str:
        if not 0 <= row < len(self._rows):
            return ""
        kind, d = self._rows[row]
        if kind == "total":
            if col == COL_TEXT:
                return _("Total budget of the plan")
            if col == COL_BUDGET:
                return format_baht(self.tree.get("total", 0) if self.tree else 0)
            return ""
        if kind == "act":
            if col == COL_TEXT:
                return _("Activity {number}: {title}").format(number=d.get("number") or "", title=d.get("title") or "")
            if col == COL_BUDGET:
                return format_baht(d.get("total", 0))
            return ""
        if col == COL_TEXT:
            return step_label(d)
        if col in (COL_START, COL_END):
            span = self.span_of(row) if d["id"] in self.preview else None
            if span is not None:
                idx = span[0] if col == COL_START else span[1]
                return month_label(self.month_key(idx)) if idx is not None else ""
            return month_label(d.get("start_month" if col == COL_START else "end_month"))
        if col == COL_BUDGET:
            return format_budget(d.get("budget"), d.get("budget_note") or "")
        field = STEP_FIELD_OF_COL.get(col)
        return (d.get(field) or "") if field else ""

    def edit_text(self, row: int, col: int) -> str:
        """What an editor starts with (the display text, except an activity's title/stated budget)."""
        kind, d = self._rows[row]
        if kind == "act":
            if col == COL_TEXT:
                return d.get("title") or ""
            if col == COL_BUDGET:
                return format_baht(d.get("stated_budget")) if d.get("stated_budget") is not None else ""
        return self.cell_text(row, col)

    def month_choices(self) -> list[tuple[str, str]]:
        """The month picker: three months either side of the fiscal year, and 'none'."""
        if not self.months:
            return []
        return [("", _("(no month)"))] + [(m.key, m.abbr(english=english_screen())) for m in
                                          (self.months[0].shifted(k) for k in range(-3, N_MONTHS + 3))]

    def mismatch(self, row: int) -> str:
        """A warning sentence when an activity's stated budget differs from its steps' sum."""
        kind, d = self._rows[row]
        if kind != "act" or d.get("stated_budget") is None or d["stated_budget"] == d.get("total", 0):
            return ""
        return _("The steps add up to {sum} baht but the activity states {stated} baht.").format(
            sum=format_baht(d.get("total", 0)), stated=format_baht(d["stated_budget"]))

    def _row_data(self, kind: str, d: dict[str, Any], row: int, col: int, role: int) -> Any:
        if kind == "step" and col in (COL_START, COL_END):
            if role == ChoicesRole:
                return self.month_choices()
            if role == ValueRole:
                return d.get("start_month" if col == COL_START else "end_month") or ""
            if role == TypedChoiceRole:
                return True
        if role == Qt.ItemDataRole.BackgroundRole:
            if kind == "act":
                return WARN_BG if col == COL_BUDGET and self.mismatch(row) else ACTIVITY_BG
            if kind == "total":
                return TOTAL_BG
            return None
        if role == Qt.ItemDataRole.FontRole:
            return BOLD if kind != "step" else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_BUDGET:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            if col in (COL_DURATION, COL_START, COL_END):
                return TOP_CENTER
            return TOP_LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "act" and col == COL_BUDGET:
                warn = self.mismatch(row)
                base = _("Sum of the steps' budgets. Type an amount to record the budget the activity states.")
                return warn + "\n" + base if warn else base
            if kind == "step" and COL_M0 <= col < COL_OUTPUT:
                return _("Drag the middle of the bar to move it, an end to stretch it.")
            if kind == "step" and col in (COL_RESP, COL_REL):
                return _("Type \" (a ditto mark) for the same as the step above.")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind = self._rows[index.row()][0]
        col = index.column()
        if self.read_only or kind == "total" or COL_M0 <= col < COL_OUTPUT:
            return READ_ONLY
        if kind == "act" and col not in (COL_TEXT, COL_BUDGET):
            return READ_ONLY
        return EDITABLE

    # ------------------------------------------------------------ edits
    def _cell_values(self, row: int, col: int, text: str) -> tuple[str, str, dict[str, Any]] | None:
        """('step'|'act', id, values) for typing ``text`` into a cell; None if not editable."""
        kind, d = self._rows[row]
        text = (text or "").strip()
        if kind == "act":
            if col == COL_TEXT:
                return "act", d["id"], {"title": text}
            if col == COL_BUDGET:
                return "act", d["id"], {"stated_budget": text or None}
            return None
        if kind != "step" or COL_M0 <= col < COL_OUTPUT:
            return None
        if col == COL_TEXT:
            number, body = split_number(text)
            vals: dict[str, Any] = {"text": body}
            if number is not None:
                vals["number"] = number
            return "step", d["id"], vals
        if col == COL_BUDGET:
            return "step", d["id"], {"budget": text}
        field = STEP_FIELD_OF_COL[col]
        if field in ("start_month", "end_month"):
            return "step", d["id"], {field: text or None}
        return "step", d["id"], {field: text}

    def _apply_cells(self, cells: list[tuple[int, int, str]], label: str) -> bool:
        if self.read_only or self.store is None:
            return False
        edits = [e for e in (self._cell_values(r, c, t) for r, c, t in cells) if e is not None]
        if not edits:
            return False
        store = self.store

        def run() -> None:
            # spans first checked on the final values: apply start/end of one step together
            merged: dict[tuple[str, str], dict[str, Any]] = {}
            for kind, rid, vals in edits:
                merged.setdefault((kind, rid), {}).update(vals)
            for (kind, rid), vals in merged.items():
                if kind == "act":
                    dp.update_activity(store, rid, **vals)
                else:
                    dp.update_step(store, rid, **vals)
        from ..common.undo import perform
        return self._guard(lambda: perform(self.undo_stack, store, label, run))

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:
        cells = []
        for i, line in enumerate(block):
            for j, text in enumerate(line):
                r, c = top + i, left + j
                if r < len(self._rows) and c < N_COLS:
                    cells.append((r, c, text))
        label = _("Edit step") if edit else _("Paste")
        if edit and len(cells) == 1 and self._rows[top][0] == "act":
            label = _("Activity budget") if left == COL_BUDGET else _("Edit activity")
        elif edit and len(cells) == 1 and left == COL_BUDGET:
            label = _("Step budget")
        return self._apply_cells(cells, label)

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:
        return self._apply_cells([(r, c, "") for r, c in cells], _("Clear cells"))

    def move_span(self, step_id: str, start: int | None, end: int | None) -> bool:
        """Store a dragged bar (one undoable command)."""
        if self.read_only or self.store is None:
            return False
        s = self.month_key(start) if start is not None else None
        e = self.month_key(end) if end is not None else None
        return self._guard(lambda: cmd.set_step_span(self.undo_stack, self.store, step_id, s, e))


# ====================================================================== form 7.2

# the columns of form 7.2 first (text, data, target, weight, unit, the five levels), then the
# round's result and score, then how the KPI is scored
K_NUM, K_TEXT, K_CURRENT, K_TARGET, K_WEIGHT, K_UNIT = range(6)
K_T1 = 6                   # levels 1..5: columns 6..10
K_ACTUAL, K_SCORE = 11, 12
K_DIR, K_LADDER, K_RULE = 13, 14, 15
K_COLS = 16
K_T5 = K_T1 + 4

KPI_FIELD_OF_COL = {K_NUM: "number", K_TEXT: "text", K_CURRENT: "current_data", K_TARGET: "target",
                    K_WEIGHT: "weight", K_UNIT: "unit", K_DIR: "direction", K_LADDER: "ladder_kind",
                    K_RULE: "below_rule", **{K_T1 + i: f"t{i + 1}" for i in range(5)}}

ChoicesRole = Qt.ItemDataRole.UserRole + 40     # [(value, label)] for a choice column
ValueRole = Qt.ItemDataRole.UserRole + 41       # the stored value behind a choice cell
TypedChoiceRole = Qt.ItemDataRole.UserRole + 42  # True: typing edits as text, F2/double-click picks


def direction_choices() -> list[tuple[str, str]]:
    return [("higher", _("Higher is better")), ("lower", _("Lower is better"))]


def ladder_choices() -> list[tuple[str, str]]:
    return [("linear", _("5 thresholds")), ("milestone", _("Milestones"))]


def rule_choices() -> list[tuple[str, str]]:
    return [("zero", _("0 points")), ("one", _("1 point")), ("linear0", _("0 to 1, linear"))]


def status_choices() -> list[tuple[str, str]]:
    return [("", _("(not reported)")), ("not_started", _("Not started")), ("in_progress", _("In progress")),
            ("done", _("Done")), ("cancelled", _("Cancelled"))]


def _label(choices: list[tuple[str, str]], value: str | None) -> str:
    return next((lbl for v, lbl in choices if v == (value or "")), value or "")


class KpiModel(_PlanModelBase):
    """Form 7.2: the four dimensions (always shown) and their KPIs, with a round's actual
    value and the computed score (4 decimals)."""

    TABLES = ("dev_plan", "kpi", "kpi_result", "step_progress", "plan_step")   # steps: milestone names

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        self._rows: list[tuple] = []
        self.round = 6
        self.scores: dict[int, scoring.PlanScore] = {}
        self.results: dict[str, dict[int, dict]] = {}
        self.steps_by_id: dict[str, dict] = {}
        super().__init__(store, undo_stack, parent)

    @staticmethod
    def _key(r: tuple) -> str:
        kind, d = r
        return ("d:" + d) if kind == "dim" else d["id"]

    def set_round(self, rnd: int) -> None:
        self.round = int(rnd)
        if self._rows:
            self.dataChanged.emit(self.index(0, K_ACTUAL), self.index(len(self._rows) - 1, K_SCORE))

    def reload(self) -> None:
        rows: list[tuple] = []
        self.scores, self.results, self.steps_by_id = {}, {}, {}
        if self.snapshot is not None:
            by_dim = self.snapshot.get("kpis") or {}
        elif self.store is not None and self.plan_id is not None and dp.plan(self.store, self.plan_id) is not None:
            from ...core.dashboard import plan_scores
            by_dim = dp.kpis_by_dimension(self.store, self.plan_id)
            self.results = dp.plan_kpi_results(self.store, self.plan_id)
            self.scores = plan_scores(self.store, self.plan_id)
            self.steps_by_id = {s["id"]: s for s in dp.plan_steps(self.store, self.plan_id)}
        else:
            by_dim = None
        if by_dim is not None:
            for dim in dp.DIMENSIONS:
                rows.append(("dim", dim))
                rows.extend(("kpi", k) for k in by_dim.get(dim, []))
        self._apply_rows(rows, self._key)

    def kpis(self) -> list[dict]:
        return [d for kind, d in self._rows if kind == "kpi"]

    def kpi_at(self, row: int) -> dict | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) and self._rows[row][0] == "kpi" else None

    def dimension_at(self, row: int) -> str:
        for k in range(min(row, len(self._rows) - 1), -1, -1):
            if self._rows[k][0] == "dim":
                return self._rows[k][1]
        return dp.DIMENSIONS[0]

    def score(self, kpi_id: str) -> scoring.KpiScore | None:
        ps = self.scores.get(self.round)
        return ps.scores.get(kpi_id) if ps else None

    def plan_score(self) -> scoring.PlanScore | None:
        return self.scores.get(self.round)

    def weight_flag(self) -> scoring.Flag | None:
        return scoring.check_weights(k.get("weight") for k in self.kpis())

    def ladder_flags(self) -> list[tuple[dict, scoring.Flag]]:
        return [(k, f) for k in self.kpis() for f in scoring.check_ladder(k)]

    def milestone_text(self, k: dict, level: int) -> str:
        levels = scoring.milestones_of(k)
        if level >= len(levels):
            return ""
        out = []
        for it in levels[level]:
            s = self.steps_by_id.get(it.get("step_id") or "")
            out.append(step_label(s) if s else it.get("text", ""))
        return "\n".join(x for x in out if x)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else K_COLS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical or role != Qt.ItemDataRole.DisplayRole:
            return None
        if K_T1 <= section <= K_T5:
            return _("Level {k}").format(k=section - K_T1 + 1)
        return {K_NUM: _("No."), K_TEXT: _("KPI"), K_CURRENT: _("Current data"), K_TARGET: _("Target"),
                K_WEIGHT: _("Weight"), K_UNIT: _("Unit of measure"), K_DIR: _("Direction"), K_LADDER: _("Ladder"),
                K_RULE: _("Short of level 1"), K_ACTUAL: _("Result, round {r}").format(r=self.round),
                K_SCORE: _("Score, round {r}").format(r=self.round)}.get(section)

    def spans(self) -> list[tuple[int, int, int, int]]:
        return [(i, 0, 1, K_COLS) for i, (kind, _d) in enumerate(self._rows) if kind == "dim"]

    def cell_text(self, row: int, col: int) -> str:
        if not 0 <= row < len(self._rows):
            return ""
        kind, d = self._rows[row]
        if kind == "dim":
            return f"{d} {dp.DIMENSION_NAMES[d]}" if col == 0 else ""
        if col == K_WEIGHT:
            return scoring.format_plain(d.get("weight"))
        if col == K_DIR:
            return _label(direction_choices(), d.get("direction") or "higher")
        if col == K_LADDER:
            return _label(ladder_choices(), d.get("ladder_kind") or "linear")
        if col == K_RULE:
            return _label(rule_choices(), d.get("below_rule") or "zero")
        if K_T1 <= col <= K_T5:
            if (d.get("ladder_kind") or "linear") == "milestone":
                return self.milestone_text(d, col - K_T1)
            return scoring.format_plain(d.get(f"t{col - K_T1 + 1}"))
        if col == K_ACTUAL:
            r = self.results.get(d["id"], {}).get(self.round)
            return scoring.format_plain(r["actual"]) if r and r.get("actual") is not None else ""
        if col == K_SCORE:
            sc = self.score(d["id"])
            return sc.display(4) if sc else "-"
        field = KPI_FIELD_OF_COL.get(col)
        return str(d.get(field) or "") if field else ""

    def edit_text(self, row: int, col: int) -> str:
        return self.cell_text(row, col)

    def choices(self, col: int) -> list[tuple[str, str]] | None:
        return {K_DIR: direction_choices(), K_LADDER: ladder_choices(), K_RULE: rule_choices()}.get(col)

    def _row_data(self, kind: str, d: dict[str, Any], row: int, col: int, role: int) -> Any:
        if role == ChoicesRole:
            return self.choices(col)
        if role == ValueRole and kind == "kpi":
            f = KPI_FIELD_OF_COL.get(col)
            return d.get(f) if f else None
        if role == Qt.ItemDataRole.FontRole:
            return BOLD if kind == "dim" or col == K_SCORE else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if kind == "dim":
                return DIM_BG
            flags = scoring.check_ladder(d)
            if flags and (K_T1 <= col <= K_T5 or col == K_DIR):
                return ERROR_BG if any(f.severity == "error" for f in flags) else WARN_BG
            if col == K_WEIGHT and self.weight_flag() is not None:
                return WARN_BG
            if col == K_SCORE:
                return QBrush(QColor("#fffde7"))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and kind == "kpi":
            if col in (K_WEIGHT, K_ACTUAL, K_SCORE) or K_T1 <= col <= K_T5:
                return TOP_CENTER
            return TOP_LEFT
        if role == Qt.ItemDataRole.ToolTipRole and kind == "kpi":
            msgs = []
            if K_T1 <= col <= K_T5 or col == K_DIR:
                msgs = [f.message for f in scoring.check_ladder(d)]
                if (d.get("ladder_kind") or "linear") == "milestone" and K_T1 <= col <= K_T5:
                    msgs.append(_("Double-click to choose the steps that make this level."))
            elif col == K_SCORE:
                sc = self.score(d["id"])
                if sc:
                    msgs = [sc.rule_text] + [f.message for f in sc.flags]
            elif col == K_WEIGHT and self.weight_flag() is not None:
                msgs = [self.weight_flag().message]
            return "\n".join(m for m in msgs if m) or None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind, d = self._rows[index.row()]
        col = index.column()
        if kind == "dim" or col == K_SCORE:
            return READ_ONLY
        if col == K_ACTUAL:
            return READ_ONLY if (self.snapshot is not None or self.store is None
                                 or getattr(self.store, "read_only", False)) else EDITABLE
        if self.read_only or (K_T1 <= col <= K_T5 and (d.get("ladder_kind") or "linear") == "milestone"):
            return READ_ONLY
        return EDITABLE

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:
        if self.store is None or self.snapshot is not None:
            return False
        kpi_edits: dict[str, dict[str, Any]] = {}
        results: list[tuple[str, str]] = []
        for i, line in enumerate(block):
            for j, text in enumerate(line):
                r, c = top + i, left + j
                k = self.kpi_at(r)
                if k is None or c >= K_COLS or c == K_SCORE:
                    continue
                text = (text or "").strip()
                if c == K_ACTUAL:
                    results.append((k["id"], text))
                    continue
                field = KPI_FIELD_OF_COL.get(c)
                if field is None:
                    continue
                choices = self.choices(c)
                if choices:
                    value = next((v for v, lbl in choices if text in (v, lbl)), None)
                    if value is None:
                        self.message.emit(_("'{text}' is not one of: {choices}.").format(
                            text=text, choices=", ".join(lbl for _v, lbl in choices)))
                        return False
                    kpi_edits.setdefault(k["id"], {})[field] = value
                elif field in ("weight", "t1", "t2", "t3", "t4", "t5"):
                    kpi_edits.setdefault(k["id"], {})[field] = text or None
                else:
                    kpi_edits.setdefault(k["id"], {})[field] = text
        if not kpi_edits and not results:
            return False
        store, rnd = self.store, self.round
        if results and not kpi_edits:
            label = _("Result of round {round}").format(round=rnd)
        else:
            label = _("Edit KPI")

        def run() -> None:
            from ...core.scoring import parse_number
            for kid, vals in kpi_edits.items():
                dp.update_kpi(store, kid, **vals)
            for kid, text in results:
                if text == "":
                    dp.clear_kpi_result(store, kid, rnd)
                else:
                    parse_number(text)
                    dp.set_kpi_result(store, kid, rnd, text)
        from ..common.undo import perform
        return self._guard(lambda: perform(self.undo_stack, store, label, run))

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:
        ok = False
        for r, c in cells:
            if c in (K_ACTUAL, K_CURRENT, K_TARGET, K_UNIT, K_WEIGHT) or K_T1 <= c <= K_T5:
                ok = self.set_block(r, c, [[""]]) or ok
        return ok


# ====================================================================== step progress per round

P_STEP, P_SPAN, P_STATUS, P_PERCENT, P_EVIDENCE, P_DATE = range(6)
P_COLS = 6


class ProgressModel(_PlanModelBase):
    """The plan's steps with their report for the selected round."""

    TABLES = ("dev_plan", "plan_activity", "plan_step", "step_progress")

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        self._rows: list[tuple] = []
        self.round = 6
        self.progress: dict[str, dict[int, dict]] = {}
        super().__init__(store, undo_stack, parent)

    @staticmethod
    def _key(r: tuple) -> str:
        kind, d = r
        return ("a:" + d["id"]) if kind == "act" else d["id"]

    def set_round(self, rnd: int) -> None:
        self.round = int(rnd)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, P_COLS - 1))

    def reload(self) -> None:
        rows: list[tuple] = []
        self.progress = {}
        if self.store is not None and self.plan_id is not None and self.snapshot is None \
                and dp.plan(self.store, self.plan_id) is not None:
            tree = dp.plan_tree(self.store, self.plan_id)
            self.progress = dp.plan_progress(self.store, self.plan_id)
            for a in tree["activities"]:
                rows.append(("act", a))
                rows.extend(("step", s) for s in a["steps"])
        self._apply_rows(rows, self._key)

    def report(self, row: int) -> dict | None:
        kind, d = self._rows[row]
        return self.progress.get(d["id"], {}).get(self.round) if kind == "step" else None

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else P_COLS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {P_STEP: _("Step"), P_SPAN: _("Months"), P_STATUS: _("Status, round {r}").format(r=self.round),
                P_PERCENT: _("Percent done"), P_EVIDENCE: _("Evidence"),
                P_DATE: _("Date reported")}.get(section)

    def spans(self) -> list[tuple[int, int, int, int]]:
        return [(i, 0, 1, P_COLS) for i, (kind, _d) in enumerate(self._rows) if kind == "act"]

    def cell_text(self, row: int, col: int) -> str:
        if not 0 <= row < len(self._rows):
            return ""
        kind, d = self._rows[row]
        if kind == "act":
            return _("Activity {number}: {title}").format(number=d.get("number") or "", title=d.get("title") or "") \
                if col == 0 else ""
        rep = self.report(row) or {}
        if col == P_STEP:
            return step_label(d)
        if col == P_SPAN:
            a, b = month_label(d.get("start_month")), month_label(d.get("end_month"))
            return f"{a} – {b}" if a and b and a != b else (a or b)
        if col == P_STATUS:
            return _label(status_choices(), rep.get("status") or "") if rep else ""
        if col == P_PERCENT:
            return scoring.format_plain(rep.get("percent")) if rep.get("percent") is not None else ""
        if col == P_EVIDENCE:
            return rep.get("evidence") or ""
        if col == P_DATE:
            return rep.get("reported_on") or ""
        return ""

    def edit_text(self, row: int, col: int) -> str:
        return self.cell_text(row, col)

    def choices(self, col: int) -> list[tuple[str, str]] | None:
        return status_choices() if col == P_STATUS else None

    def _row_data(self, kind: str, d: dict[str, Any], row: int, col: int, role: int) -> Any:
        if role == ChoicesRole:
            return self.choices(col)
        if role == ValueRole and col == P_STATUS:
            return (self.report(row) or {}).get("status") or ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return TOP_CENTER if col == P_PERCENT else TOP_LEFT
        if role == Qt.ItemDataRole.BackgroundRole and kind == "act":
            return ACTIVITY_BG
        if role == Qt.ItemDataRole.FontRole and kind == "act":
            return BOLD
        if role == Qt.ItemDataRole.ToolTipRole and col == P_DATE and kind == "step":
            return _("A date such as 2010-07-06 (year C.E.).")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind = self._rows[index.row()][0]
        if kind == "act" or index.column() in (P_STEP, P_SPAN) or self.read_only:
            return READ_ONLY
        return EDITABLE

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:
        if self.read_only:
            return False
        edits: dict[str, dict[str, Any]] = {}
        for i, line in enumerate(block):
            for j, text in enumerate(line):
                r, c = top + i, left + j
                if r >= len(self._rows) or self._rows[r][0] != "step" or c not in (P_STATUS, P_PERCENT, P_EVIDENCE,
                                                                                   P_DATE):
                    continue
                text = (text or "").strip()
                vals = edits.setdefault(self._rows[r][1]["id"], {})
                if c == P_STATUS:
                    value = next((v for v, lbl in status_choices() if text in (v, lbl)), None)
                    if value is None:
                        self.message.emit(_("'{text}' is not one of: {choices}.").format(
                            text=text, choices=", ".join(lbl for _v, lbl in status_choices())))
                        return False
                    vals["status"] = value
                elif c == P_PERCENT:
                    vals["percent"] = text
                elif c == P_EVIDENCE:
                    vals["evidence"] = text
                else:
                    vals["reported_on"] = text
        edits = {k: v for k, v in edits.items() if v}
        if not edits:
            return False
        store, rnd = self.store, self.round

        def run() -> None:
            for sid, vals in edits.items():
                if vals.get("percent") == "":
                    vals["percent"] = None
                    cur = dp.step_progress(store, sid).get(rnd)
                    if cur is not None:
                        store.update("step_progress", cur["id"], {"percent": None})
                    vals.pop("percent")
                if vals.get("reported_on") == "":
                    cur = dp.step_progress(store, sid).get(rnd)
                    if cur is not None:
                        store.update("step_progress", cur["id"], {"reported_on": None})
                    vals.pop("reported_on")
                if vals:
                    dp.set_step_progress(store, sid, rnd, **vals)
        from ..common.undo import perform
        return self._guard(lambda: perform(self.undo_stack, store,
                                           _("Progress in round {round}").format(round=rnd), run))

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:
        ok = False
        for r, c in cells:
            if c in (P_PERCENT, P_EVIDENCE, P_DATE):
                ok = self.set_block(r, c, [[""]]) or ok
        return ok


# ====================================================================== the plan list

class PlanListModel(QAbstractListModel):
    """The fiscal year's plans (title and approval state)."""

    PlanIdRole = Qt.ItemDataRole.UserRole + 50

    def __init__(self, store: Store | None, year_id: str | None, parent=None):
        super().__init__(parent)
        self.store = store
        self.year_id = year_id
        self._plans: list[dict] = []
        self._approved: set[str] = set()
        self._listener = _listen(store, self, ("dev_plan", "plan_approval", "category")) if store else None
        self.reload()

    def _on_changes(self, changes: list[Change]) -> None:
        self.reload()

    def reload(self) -> None:
        plans = dp.plans(self.store, self.year_id) if self.store is not None and self.year_id else []
        old = [p["id"] for p in self._plans]
        self._cats = {c["id"]: c for c in planning.categories(self.store)} if self.store is not None else {}
        if old == [p["id"] for p in plans]:
            self._plans = plans
            if plans:
                self.dataChanged.emit(self.index(0), self.index(len(plans) - 1))
        else:
            self.beginResetModel()
            self._plans = plans
            self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._plans)

    def plan_at(self, row: int) -> dict | None:
        return self._plans[row] if 0 <= row < len(self._plans) else None

    def row_of(self, plan_id: str) -> int:
        return next((i for i, p in enumerate(self._plans) if p["id"] == plan_id), -1)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self._plans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = p["title"] or p["policy"]
            cat = self._cats.get(p["category_id"] or "")
            tie = _("Category {code}").format(code=cat["code"]) if cat else (_("Policy") if p["policy"] else "")
            state = (_("Approved, version {n}") if p["status"] == "approved" else _("Draft, version {n}")).format(
                n=p["revision"])
            return f"{title}\n{tie} · {state}" if tie else f"{title}\n{state}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return p["policy"] or p["title"]
        if role == self.PlanIdRole:
            return p["id"]
        return None
