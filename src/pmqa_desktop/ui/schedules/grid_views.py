"""The schedule grids: spreadsheet-like table views and the widgets the main window embeds.

``CalendarView(store, undo_stack)`` and ``WeeklyPlanView(store, undo_stack)`` are QWidgets with
``set_year(year_id)`` and ``set_store(store)``; ``WeeklyPlanView.show_criterion(id)`` selects a
criterion's rows. Keys: arrows, Tab/Shift+Tab, Enter (down), F2 or typing edits, Delete clears
the selection, Home/End, Ctrl+Home/End, Ctrl+C/Ctrl+V (Excel/Word blocks), Ctrl+Z/Ctrl+Y,
Alt+Up/Alt+Down move a row, Ctrl+Shift+Right/Left extend or shrink a weekly activity.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPainter, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMenu, QSpinBox, QStyle,
                               QStyleOptionHeader, QToolBar, QVBoxLayout, QWidget)

from ...core.storage import planning
from ...core.storage.store import Store
from ...core.thai_calendar import MonthKey, fiscal_year_start
from ...i18n import _, ngettext, english_screen
from ..qt_util import suffix_follows_value
from ..common.frozen_view import freeze_columns
from ..common.grid_view import GridTableView
from ..common.layout_memory import remember_grid
from .calendar_note import CalendarNoteField
from .grid_models import CalendarModel, GridModel, MonthGroupRole, WeeklyPlanModel, WeekLabelRole, criterion_label


class WeekHeader(QHeaderView):
    """Two-level horizontal header: the month (B.E. year) over its W1..W4 columns."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def sizeHint(self) -> QSize:
        s = super().sizeHint()
        s.setHeight(2 * (self.fontMetrics().height() + 8))
        return s

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        model = self.model()
        group = model.headerData(logical, Qt.Orientation.Horizontal, MonthGroupRole) if model else None
        if not group:
            super().paintSection(painter, rect, logical)
            return
        label, first, count = group
        half = rect.height() // 2
        left = self.sectionViewportPosition(first)
        width = sum(self.sectionSize(c) for c in range(first, first + count))
        painter.save()
        painter.setClipRect(rect)
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.state |= QStyle.StateFlag.State_Enabled
        opt.textAlignment = Qt.AlignmentFlag.AlignCenter
        opt.section = logical
        opt.position = QStyleOptionHeader.SectionPosition.Middle
        opt.rect = QRect(left, rect.top(), width, half)
        opt.text = label
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        opt.rect = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        opt.text = model.headerData(logical, Qt.Orientation.Horizontal, WeekLabelRole)
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        painter.restore()


class _GridPage(QWidget):
    """Toolbar + grid + a line for messages."""

    messageRaised = Signal(str)

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.table = GridTableView(self)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #a00000;")
        self.status.setWordWrap(True)
        self.status.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._clear_status = QTimer(self)
        self._clear_status.setSingleShot(True)
        self._clear_status.setInterval(8000)
        self._clear_status.timeout.connect(self.status.hide)

    def _action(self, text: str, slot, tip: str = "") -> QAction:
        act = QAction(text, self)
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        return act

    def show_message(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self._clear_status.start()
        self.messageRaised.emit(text)

    def _bind(self, model: GridModel) -> None:
        model.message.connect(self.show_message)

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for act in self.context_actions():
            if act is None:
                menu.addSeparator()
            else:
                menu.addAction(act)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def context_actions(self) -> list:
        return []

    def _current_row(self) -> int:
        cur = self.table.currentIndex()
        return cur.row() if cur.isValid() else -1

    def _deleting(self, delete) -> bool:
        """Delete the selected rows; then the row that took the first one's place (or the last
        row) is current, in the same column, so the keyboard goes on from there."""
        rows = self.table.selected_rows()
        cur = self.table.currentIndex()
        col = cur.column() if cur.isValid() else 1
        done = delete(rows)
        n = self.table.model().rowCount()
        if done and rows and n:
            idx = self.table.model().index(min(min(rows), n - 1), col)
            self.table.setCurrentIndex(idx)
            self.table.scrollTo(idx)
        return done

    def _month_choices(self, fy_be: int) -> list[MonthKey]:
        start = fiscal_year_start(fy_be)
        return [start.shifted(i) for i in range(-12, 13)]

    def _make_span_widgets(self, title: str):
        box = QWidget(self)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(8, 0, 0, 0)
        lay.addWidget(QLabel(title, box))
        combo = QComboBox(box)
        spin = QSpinBox(box)
        spin.setRange(1, 36)
        suffix_follows_value(spin, lambda n: ngettext(" month", " months", n))
        lay.addWidget(combo)
        lay.addWidget(spin)
        self.toolbar.addWidget(box)
        return combo, spin

    def _sync_span_widgets(self, combo: QComboBox, spin: QSpinBox, start_key: str | None, months: int | None,
                           fy_be: int | None) -> None:
        combo.blockSignals(True)
        spin.blockSignals(True)
        combo.clear()
        if fy_be is not None and start_key:
            choices = self._month_choices(fy_be)
            start = MonthKey.parse_key(start_key)
            if start not in choices:
                choices.append(start)
                choices.sort()
            for m in choices:
                combo.addItem(m.full(english=english_screen()), m.key)
            combo.setCurrentIndex(combo.findData(start.key))
            spin.setValue(months or 12)
        combo.setEnabled(fy_be is not None)
        spin.setEnabled(fy_be is not None)
        combo.blockSignals(False)
        spin.blockSignals(False)
        spin.update_suffix()   # set while its signals were blocked


class CalendarView(_GridPage):
    """The operations calendar of one fiscal year: numbered steps x months, remark."""

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        super().__init__(store, undo_stack, parent)
        self.model = CalendarModel(store, undo_stack, parent=self)
        self._bind(self.model)
        self.table.column_width = self._column_width
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        freeze_columns(self.table, CalendarModel.COL_TEXT + 1)   # ลำดับ and แนวทาง stay while months scroll
        remember_grid(self.table, "calendar", self._column_key)
        self.table.empty_hint = _("Press “Insert step below” to begin")
        self.table.moveRowRequested.connect(self.move_step)
        self.model.modelReset.connect(self._sync_span)
        self.act_insert_above = self._action(_("Insert step above"), lambda: self.insert_step(False),
                                             _("Insert an empty step above the current one"))
        self.act_insert_below = self._action(_("Insert step below"), lambda: self.insert_step(True),
                                             _("Insert an empty step below the current one"))
        self.act_delete = self._action(_("Delete steps"), self.delete_steps, _("Delete the selected steps"))
        self.act_up = self._action(_("Move up"), lambda: self.move_step(-1), _("Move the step up (Alt+Up)"))
        self.act_down = self._action(_("Move down"), lambda: self.move_step(1), _("Move the step down (Alt+Down)"))
        for a in (self.act_insert_above, self.act_insert_below, self.act_delete, self.act_up, self.act_down):
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        self.span_start, self.span_months = self._make_span_widgets(_("Months from"))
        self.span_start.currentIndexChanged.connect(self._span_edited)
        self.span_months.valueChanged.connect(self._span_edited)
        self._sync_span()
        self.note = CalendarNoteField(self.model, self)   # the footnote printed under the table
        self.layout().insertWidget(2, self.note)

    def _column_width(self, col: int) -> int:
        if col == CalendarModel.COL_NO:
            return 44
        if col == CalendarModel.COL_TEXT:
            return 360
        if col == self.model.col_remark:
            return 200
        return 84

    def _column_key(self, col: int) -> str | None:
        """What a column is, for its remembered width (March stays March when months move)."""
        month = self.model.month_of_column(col)
        if month is not None:
            return f"month-{month.month:02d}"
        return {CalendarModel.COL_NO: "number", CalendarModel.COL_TEXT: "step", self.model.col_remark: "remark"}.get(col)

    def context_actions(self) -> list:
        return [self.act_insert_above, self.act_insert_below, self.act_delete, None, self.act_up, self.act_down]

    # -- contract with the main window
    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.model.set_store(store)

    def set_year(self, year_id: str | None) -> None:
        self.model.set_year(year_id)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, CalendarModel.COL_TEXT))

    # -- actions
    def insert_step(self, below: bool = False) -> bool:
        row = self._current_row()
        if row < 0:
            row = self.model.rowCount() - 1 if below else 0
        return self.model.insert_step(max(row, 0), below=below)

    def delete_steps(self) -> bool:
        return self._deleting(lambda rows: self.model.delete_steps(rows))

    def move_step(self, delta: int) -> bool:
        cur = self.table.currentIndex()
        if not cur.isValid():
            return False
        return self.model.move_step(cur.row(), delta, cur.column())

    def _sync_span(self) -> None:
        y = self.model.year
        self._sync_span_widgets(self.span_start, self.span_months, y["calendar_start"] if y else None,
                                y["calendar_months"] if y else None, y["year_be"] if y else None)

    def _span_edited(self, *args) -> None:
        key = self.span_start.currentData()
        if key and self.model.year is not None:
            if not self.model.set_month_span(MonthKey.parse_key(key), self.span_months.value()):
                self._sync_span()


class WeeklyPlanView(_GridPage):
    """The weekly plan of one fiscal year: criteria grouped by หมวด x months x W1-W4."""

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        super().__init__(store, undo_stack, parent)
        self.model = WeeklyPlanModel(store, undo_stack, parent=self)
        self._bind(self.model)
        self.table.setHorizontalHeader(WeekHeader(self.table))
        self.table.column_width = self._column_width
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        freeze_columns(self.table, WeeklyPlanModel.COL_CODE + 1)   # the criterion stays while weeks scroll
        remember_grid(self.table, "weekly", self._column_key)
        self.table.empty_hint = _("Press “Add row...” to begin")
        self.table.moveRowRequested.connect(self.move_row)
        self.table.spanChangeRequested.connect(self.change_span)
        self.model.modelReset.connect(self._sync_span)
        self.act_add = self._action(_("Add row..."), self.add_row, _("Add a row for a criterion"))
        self.act_delete = self._action(_("Delete rows"), self.delete_rows, _("Delete the selected rows"))
        self.act_up = self._action(_("Move up"), lambda: self.move_row(-1), _("Move the row up (Alt+Up)"))
        self.act_down = self._action(_("Move down"), lambda: self.move_row(1), _("Move the row down (Alt+Down)"))
        self.act_extend = self._action(_("Extend to next week"), lambda: self.change_span(1),
                                       _("Let the activity run one week longer (Ctrl+Shift+Right)"))
        self.act_shrink = self._action(_("Shrink by one week"), lambda: self.change_span(-1),
                                       _("Let the activity end one week earlier (Ctrl+Shift+Left)"))
        for a in (self.act_add, self.act_delete, self.act_up, self.act_down, None, self.act_extend, self.act_shrink):
            if a is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        self.span_start, self.span_months = self._make_span_widgets(_("Months from"))
        self.span_start.currentIndexChanged.connect(self._span_edited)
        self.span_months.valueChanged.connect(self._span_edited)
        self.choose_criterion = self._ask_criterion  # replaceable (tests, main window)
        self._sync_span()

    def _column_width(self, col: int) -> int:
        if col == WeeklyPlanModel.COL_CODE:
            return 200
        if col == self.model.col_remark:
            return 220
        return 84

    def _column_key(self, col: int) -> str | None:
        week = self.model.week_of_column(col)
        if week is not None:
            month, w = self.model.columns[week]
            return f"month-{month.month:02d}-w{w}"
        return {WeeklyPlanModel.COL_CODE: "criterion", self.model.col_remark: "remark"}.get(col)

    def context_actions(self) -> list:
        return [self.act_extend, self.act_shrink, None, self.act_add, self.act_delete, None, self.act_up, self.act_down]

    # -- contract with the main window
    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.model.set_store(store)

    def set_year(self, year_id: str | None) -> None:
        self.model.set_year(year_id)

    def show_criterion(self, criterion_id: str) -> bool:
        """Scroll to and select the row(s) of a criterion."""
        rows = self.model.rows_of_criterion(criterion_id)
        if not rows:
            return False
        sel = self.table.selectionModel()
        sel.clearSelection()
        self.table.setCurrentIndex(self.model.index(rows[0], WeeklyPlanModel.COL_CODE))
        for r in rows:
            sel.select(self.model.index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
        self.table.scrollTo(self.model.index(rows[0], WeeklyPlanModel.COL_CODE),
                            QAbstractItemView.ScrollHint.PositionAtTop)
        return True

    # -- actions
    def _ask_criterion(self) -> str | None:
        crits = planning.criteria(self.store)
        if not crits:
            return None
        labels = [criterion_label(c["code"], c["short_name"]) for c in crits]
        text, ok = QInputDialog.getItem(self, _("Add row"), _("Criterion for the new row:"), labels, 0, False)
        if not ok:
            return None
        return crits[labels.index(text)]["id"]

    def add_row(self) -> bool:
        if self.model.year is None:
            return False
        crit = self.choose_criterion()
        if not crit:
            return False
        row = self._current_row()
        return self.model.add_row(crit, after_row=row if row >= 0 else None)

    def delete_rows(self) -> bool:
        return self._deleting(lambda rows: self.model.delete_rows(rows))

    def move_row(self, delta: int) -> bool:
        cur = self.table.currentIndex()
        if not cur.isValid():
            return False
        return self.model.move_row(cur.row(), delta, cur.column())

    def change_span(self, delta: int) -> bool:
        cur = self.table.currentIndex()
        if not cur.isValid():
            return False
        return self.model.change_span(cur.row(), cur.column(), delta)

    def _sync_span(self) -> None:
        y = self.model.year
        self._sync_span_widgets(self.span_start, self.span_months, y["weekly_start"] if y else None,
                                y["weekly_months"] if y else None, y["year_be"] if y else None)

    def _span_edited(self, *args) -> None:
        key = self.span_start.currentData()
        if key and self.model.year is not None:
            if not self.model.set_month_span(MonthKey.parse_key(key), self.span_months.value()):
                self._sync_span()
