"""The traffic-light dashboard of a fiscal year's development plans.

Each หมวด (and the plans tied to a policy only) and each plan is green / yellow / red with its
status in words too, the count of overdue steps, the weighted KPI score per round and the
progress; below, a chart of progress and scores over the rounds (painted with QPainter).
An "as of" month selector decides what counts as overdue; the yellow thresholds are settings
(``core.dashboard.DashboardSettings``) edited and saved on the page. A click (or Enter,
or "Go to row") jumps to the plan, step or KPI. The page recomputes when the store changes,
at most once per event-loop turn and only while it is visible.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...core import dashboard as dash
from ...core.scoring import format_score
from ...core.storage import devplan as dp
from ...core.storage.store import Store
from ...core.thai_calendar import MonthKey, fiscal_months
from ..common.layout_memory import remember_splitter
from ...i18n import _, ngettext, english_screen
from ..qt_util import suffix_follows_value
from ..common.flow_layout import FlowLayout
from .models import PLAN_TABLES, _listen, month_label

STATUS_COLOURS = {"green": QColor("#2e7d32"), "yellow": QColor("#f9a825"), "red": QColor("#c62828")}
STATUS_BG = {"green": QColor("#c8e6c9"), "yellow": QColor("#fff59d"), "red": QColor("#ffcdd2")}
SERIES = [QColor("#1565c0"), QColor("#6a1b9a"), QColor("#00838f"), QColor("#ef6c00"), QColor("#4e342e"),
          QColor("#ad1457"), QColor("#558b2f"), QColor("#37474f")]
JumpRole = Qt.ItemDataRole.UserRole + 60

C_NAME, C_STATUS, C_OVERDUE, C_S6, C_S9, C_S12, C_PROGRESS = range(7)


def status_icon(status: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(STATUS_COLOURS.get(status, QColor("gray")))
    p.setPen(QPen(QColor("#333333"), 1))
    p.drawEllipse(1, 1, 12, 12)
    p.end()
    return QIcon(pix)


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}%"


class RoundsChart(QWidget):
    """Progress (% done, lines) and weighted KPI score (0-5, bars) over rounds 6, 9, 12."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rounds_chart")
        self.setMinimumHeight(200)
        self.series: list[tuple[str, dict[int, float | None], dict[int, float | None], QColor, bool]] = []

    def set_series(self, series: list[tuple[str, dict, dict, QColor, bool]]) -> None:
        """[(label, progress by round, score by round, colour, bold)]"""
        self.series = series
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        w, h = self.width(), self.height()
        legend_w = min(300, int(w * 0.3))
        half = (w - legend_w) / 2
        self._panel(p, QRectF(0, 0, half, h), _("Progress (% of steps done)"), 100.0, 1)
        self._panel(p, QRectF(half, 0, half, h), _("Weighted KPI score"), 5.0, 2)
        # legend
        fm = p.fontMetrics()
        line_h = fm.height() + 8
        y = 20.0
        for label, _pr, _sc, colour, bold in self.series[:10]:
            mid = y + line_h / 2
            p.setPen(QPen(colour, 3 if bold else 2))
            p.drawLine(QPointF(w - legend_w + 8, mid), QPointF(w - legend_w + 28, mid))
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(w - legend_w + 34, y, legend_w - 40, line_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, legend_w - 40))
            y += line_h
        p.end()

    def _panel(self, p: QPainter, box: QRectF, title: str, top: float, which: int) -> None:
        fm = p.fontMetrics()
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(box.left(), box.top() + 2, box.width(), fm.height() + 8), Qt.AlignmentFlag.AlignCenter, title)
        plot = box.adjusted(44, fm.height() + 14, -12, -(fm.height() + 16))
        if plot.width() < 20 or plot.height() < 20:
            return
        p.setPen(QPen(QColor("#dddddd"), 1))
        steps = 4 if top == 100.0 else 5
        for i in range(steps + 1):
            y = plot.bottom() - plot.height() * i / steps
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#555555"))
            val = top * i / steps
            p.drawText(QRectF(box.left(), y - fm.height() / 2, 40, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{val:.0f}%" if top == 100.0 else f"{val:.0f}")
            p.setPen(QPen(QColor("#dddddd"), 1))
        rounds = list(dash.ROUNDS)
        xs = {r: plot.left() + plot.width() * (i + 0.5) / len(rounds) for i, r in enumerate(rounds)}
        p.setPen(QColor("#555555"))
        for r, x in xs.items():
            p.drawText(QRectF(x - 50, plot.bottom() + 2, 100, fm.height() + 12), Qt.AlignmentFlag.AlignCenter,
                       ngettext("{n} month", "{n} months", r).format(n=r))
        p.setPen(QPen(QColor("#888888"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        n = max(1, len(self.series))
        slot = plot.width() / len(rounds)
        for k, (label, progress, scores, colour, bold) in enumerate(self.series):
            values = progress if which == 1 else scores
            if which == 1:
                path = QPainterPath()
                started = False
                for r in rounds:
                    v = values.get(r)
                    if v is None:
                        continue
                    pt = QPointF(xs[r], plot.bottom() - plot.height() * max(0.0, min(top, v)) / top)
                    if not started:
                        path.moveTo(pt)
                        started = True
                    else:
                        path.lineTo(pt)
                    p.setPen(QPen(colour, 1))
                    p.setBrush(colour)
                    p.drawEllipse(pt, 3.5 if bold else 2.5, 3.5 if bold else 2.5)
                    if bold:
                        p.setPen(QColor("#222222"))
                        label = QRectF(pt.x() - 60, pt.y() - fm.height() - 8, 52, fm.height() + 4)
                        p.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{v:.0f}%")
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(colour, 3 if bold else 1.5))
                p.drawPath(path)
            else:
                bw = min(22.0, slot * 0.8 / n)
                for r in rounds:
                    v = values.get(r)
                    if v is None:
                        continue
                    x = xs[r] - bw * n / 2 + k * bw
                    hgt = plot.height() * max(0.0, min(top, v)) / top
                    p.fillRect(QRectF(x, plot.bottom() - hgt, bw - 2, hgt), colour)
                    if bold:
                        p.setPen(QColor("#222222"))
                        p.drawText(QRectF(x - 20, plot.bottom() - hgt - fm.height(), bw + 40, fm.height()),
                                   Qt.AlignmentFlag.AlignHCenter, f"{v:.2f}")


class DashboardView(QWidget):
    jumpRequested = Signal(dict)

    def __init__(self, store: Store, year_id: str, window: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard_view")
        self.store = store
        self.year_id = year_id
        self.window_ = window
        y = store.get("fiscal_year", year_id)
        self.year_be = int(y["year_be"]) if y else date.today().year + 543
        self.settings = dash.load_settings()
        self.data: dash.YearDashboard | None = None
        self._dirty = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)

        # ---- as of
        top = QHBoxLayout()
        top.addWidget(QLabel(_("As of:"), self))
        self.as_of = QComboBox(self)
        self.as_of.setObjectName("as_of")
        self._fill_as_of()
        self.as_of.currentIndexChanged.connect(lambda *_a: self.refresh())
        top.addWidget(self.as_of)
        self.summary = QLabel(self)
        self.summary.setObjectName("dashboard_summary")
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        self.goto_button = QPushButton(_("Go to row"), self)
        self.goto_button.setObjectName("goto")
        self.goto_button.clicked.connect(self.jump_current)
        top.addWidget(self.goto_button)

        # ---- settings (the yellow thresholds)
        box = QGroupBox(_("When is a plan at risk (yellow)?"), self)
        box.setObjectName("dashboard_settings")
        sl = FlowLayout(box)   # wraps on a narrow window rather than squeezing the tree beside it
        sl.setContentsMargins(6, 6, 6, 6)
        sl.addWidget(QLabel(_("Percent done behind the time elapsed by more than"), box))
        self.lag = QDoubleSpinBox(box)
        self.lag.setObjectName("lag_points")
        self.lag.setRange(0, 100)
        self.lag.setDecimals(0)
        suffix_follows_value(self.lag, lambda n: ngettext(" point", " points", n))
        sl.addWidget(self.lag)
        self.use_score = QCheckBox(_("or the weighted KPI score below"), box)
        self.use_score.setObjectName("use_score")
        sl.addWidget(self.use_score)
        self.score_below = QDoubleSpinBox(box)
        self.score_below.setObjectName("score_below")
        self.score_below.setRange(0, 5)
        self.score_below.setDecimals(2)
        self.score_below.setSingleStep(0.5)
        sl.addWidget(self.score_below)
        self._show_settings()
        # kept (in this program's settings, not the file) as soon as a field is left or ticked
        self.lag.editingFinished.connect(self.save_settings)
        self.score_below.editingFinished.connect(self.save_settings)
        self.use_score.toggled.connect(lambda *_a: self.save_settings())

        # ---- the tree
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("dashboard_tree")
        self.tree.setColumnCount(7)
        self.tree.setHeaderLabels([_("Category / plan / overdue step"), _("Status"), _("Overdue steps"),
                                   _("Score, 6 months"), _("Score, 9 months"), _("Score, 12 months"),
                                   _("Progress")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        hh = self.tree.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Stretch)
        for c, wdt in ((C_STATUS, 130), (C_OVERDUE, 100), (C_S6, 110), (C_S9, 110), (C_S12, 110), (C_PROGRESS, 90)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(c, wdt)
        # a click on an item jumps to its row, as the clerk expects of a dashboard
        self.tree.itemClicked.connect(lambda item, _c: self.jump(item))
        self.tree.currentItemChanged.connect(lambda *_a: self._update_chart())
        self.chart = RoundsChart(self)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("dashboard_split")
        split.addWidget(self.tree)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        remember_splitter(split, "dashboard_split")     # the clerk's table/chart heights come back
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(box)
        lay.addWidget(split, 1)
        self._listener = _listen(store, self, PLAN_TABLES)
        self.refresh()
        self._set_default_as_of()

    # ------------------------------------------------------------ as of
    def _fill_as_of(self) -> None:
        self.as_of.blockSignals(True)
        self.as_of.clear()
        today = MonthKey(date.today().year, date.today().month)
        en = english_screen()
        self.as_of.addItem(_("This month ({month})").format(month=today.abbr(english=en)), today.key)
        for r in dash.ROUNDS:
            m = dash.as_of_round(self.year_be, r)
            self.as_of.addItem(_("After round {r} ({month})").format(r=r, month=m.abbr(english=en)), m.key)
        for m in fiscal_months(self.year_be):
            self.as_of.addItem(m.abbr(english=en), m.key)
        self.as_of.blockSignals(False)

    def _set_default_as_of(self) -> None:
        """Today while the year runs; for a past year, just after its latest reported round."""
        months = fiscal_months(self.year_be)
        today = MonthKey(date.today().year, date.today().month)
        if today <= months[-1].shifted(1) or self.data is None:
            return
        latest = max((p.latest_round for p in self.data.plans if p.latest_round), default=None)
        key = dash.as_of_round(self.year_be, latest or 12).key
        i = next((k for k in range(1, self.as_of.count()) if self.as_of.itemData(k) == key), -1)
        if i >= 0:
            self.as_of.setCurrentIndex(i)

    def today(self) -> MonthKey:
        return MonthKey.parse_key(self.as_of.currentData())

    def set_as_of(self, key: str) -> None:
        i = next((k for k in range(self.as_of.count()) if self.as_of.itemData(k) == key), -1)
        if i < 0:
            self.as_of.addItem(month_label(key), key)
            i = self.as_of.count() - 1
        self.as_of.setCurrentIndex(i)

    # ------------------------------------------------------------ settings
    def _show_settings(self) -> None:
        self.lag.setValue(self.settings.lag_points)
        self.score_below.setValue(self.settings.score_below)
        self.use_score.setChecked(self.settings.use_score)

    def save_settings(self) -> None:
        settings = dash.DashboardSettings(self.lag.value(), self.score_below.value(), self.use_score.isChecked())
        if settings == self.settings:
            return
        self.settings = settings
        try:
            dash.save_settings(self.settings)
        except OSError as exc:
            if self.window_ is not None:
                self.window_.show_message(_("The settings were not saved: {error}").format(error=exc), error=True)
        self.refresh()

    # ------------------------------------------------------------ refresh
    def _on_changes(self, changes) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def refresh(self) -> None:
        self._dirty = False
        current = self.tree.currentItem()
        cur_target = current.data(0, JumpRole) if current is not None else None
        self.data = dash.compute_dashboard(self.store, self.year_id, self.today(), self.settings)
        # the KPIs under each plan with their scores per round (a click jumps to the KPI's row)
        self._kpis, self._kpi_scores = {}, {}
        for ps in self.data.plans:
            self._kpis[ps.plan_id] = dp.kpis(self.store, ps.plan_id)
            if self._kpis[ps.plan_id]:
                self._kpi_scores[ps.plan_id] = dash.plan_scores(self.store, ps.plan_id)
        self._fill_tree(cur_target)
        d = self.data
        # one plural message for each count (the Thai sentence as before)
        self.summary.setText(_("FY {year}: {status}, {steps}, {plans}").format(
            year=self.year_be, status=dash.status_label(d.status),
            steps=ngettext("{n} overdue step", "{n} overdue steps", d.overdue).format(n=d.overdue),
            plans=ngettext("{n} plan", "{n} plans", len(d.plans)).format(n=len(d.plans))))
        self._update_chart()

    def _set_status(self, item: QTreeWidgetItem, status: str) -> None:
        item.setText(C_STATUS, dash.status_label(status))
        item.setData(C_STATUS, Qt.ItemDataRole.UserRole, status)
        item.setIcon(C_STATUS, status_icon(status))
        item.setBackground(C_STATUS, QBrush(STATUS_BG[status]))
        item.setIcon(C_NAME, status_icon(status))

    def _fill_tree(self, keep: dict | None) -> None:
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        select = None
        for c in self.data.categories:
            ci = QTreeWidgetItem(self.tree, [_("Category {code} {name}").format(code=c.code, name=c.name)
                                             if c.code else c.name])
            ci.setFont(C_NAME, bold)
            self._set_status(ci, c.status)
            ci.setText(C_OVERDUE, str(c.overdue))
            for col, r in ((C_S6, 6), (C_S9, 9), (C_S12, 12)):
                ci.setText(col, format_score(c.scores.get(r)))
            ci.setText(C_PROGRESS, _pct(self._latest(c.progress)))
            ci.setData(0, JumpRole, c.jump)
            for pid in c.plan_ids:
                ps = self.data.plan(pid)
                pi = QTreeWidgetItem(ci, [ps.title])
                self._set_status(pi, ps.status)
                pi.setText(C_OVERDUE, str(ps.overdue))
                for col, r in ((C_S6, 6), (C_S9, 9), (C_S12, 12)):
                    pi.setText(col, format_score(ps.scores.get(r)))
                pi.setText(C_PROGRESS, _pct(ps.percent_done))
                pi.setData(0, JumpRole, ps.jump)
                tip = "\n".join(ps.reasons + ps.score_flags) or dash.status_label(ps.status)
                for col in range(7):
                    pi.setToolTip(col, tip)
                for k in self._kpis.get(pid, []):
                    ki = QTreeWidgetItem(pi, [_("KPI {dim} {text}").format(dim=k["dimension"], text=k["text"])])
                    detail = self._kpi_scores.get(pid, {})
                    for col, r in ((C_S6, 6), (C_S9, 9), (C_S12, 12)):
                        sc = detail.get(r).scores.get(k["id"]) if detail.get(r) else None
                        ki.setText(col, sc.display(4) if sc else "-")
                    ki.setData(0, JumpRole, {"table": "kpi", "id": k["id"], "plan_id": pid})
                    ki.setToolTip(0, k["text"])
                    if keep and keep.get("table") == "kpi" and keep.get("id") == k["id"]:
                        select = ki
                for os_ in ps.overdue_steps:
                    si = QTreeWidgetItem(pi, [_("Step {number} {text} (ended {month})").format(
                        number=os_.number, text=os_.text, month=month_label(os_.end_month))])
                    si.setText(C_STATUS, _("Overdue"))
                    si.setForeground(C_STATUS, QBrush(STATUS_COLOURS["red"]))
                    si.setData(0, JumpRole, {"table": "plan_step", "id": os_.step_id, "plan_id": pid})
                    si.setToolTip(0, os_.text)
                    if keep and keep.get("table") == "plan_step" and keep.get("id") == os_.step_id:
                        select = si
                if keep and keep.get("table") == "dev_plan" and keep.get("id") == pid:
                    select = pi
            if keep and keep.get("table") == "category" and keep.get("id") == c.category_id:
                select = ci
        self.tree.expandToDepth(0)
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.setUpdatesEnabled(True)

    @staticmethod
    def _latest(values: dict[int, float | None]) -> float | None:
        for r in reversed(dash.ROUNDS):
            if values.get(r) is not None:
                return values[r]
        return None

    def _update_chart(self) -> None:
        if self.data is None:
            return
        series = [(_("FY {year}, all plans").format(year=self.year_be), self.data.progress, self.data.scores,
                   QColor("#222222"), True)]
        item = self.tree.currentItem()
        target = item.data(0, JumpRole) if item is not None else None
        if target and target.get("table") == "dev_plan":
            ps = self.data.plan(target["id"])
            if ps:
                series.append((ps.title, ps.progress, ps.scores, SERIES[0], True))
        else:
            for k, c in enumerate(self.data.categories):
                series.append((c.name if not c.code else f"{c.code} {c.name}", c.progress, c.scores,
                               SERIES[k % len(SERIES)], False))
        self.chart.set_series(series)

    # ------------------------------------------------------------ finding things
    def item_for(self, table: str, row_id: str) -> QTreeWidgetItem | None:
        it = self._iter(self.tree.invisibleRootItem())
        return next((i for i in it if (i.data(0, JumpRole) or {}).get("table") == table
                     and (i.data(0, JumpRole) or {}).get("id") == row_id), None)

    def _iter(self, parent: QTreeWidgetItem):
        for k in range(parent.childCount()):
            ch = parent.child(k)
            yield ch
            yield from self._iter(ch)

    def status_of(self, table: str, row_id: str) -> str | None:
        item = self.item_for(table, row_id)
        return item.data(C_STATUS, Qt.ItemDataRole.UserRole) if item is not None else None

    def jump(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        target = item.data(0, JumpRole)
        if target:
            self.jumpRequested.emit(dict(target))

    def jump_current(self) -> None:
        self.jump(self.tree.currentItem())

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.tree.hasFocus():
            self.jump_current()
            return
        super().keyPressEvent(event)
