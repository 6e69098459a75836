"""The main window on the large file with real Thai rows: scrolling over pages never painted
before, switching between organisation-years, and the window's memory.

    scroll_calendar_first_p95_ms   page-down from the top to the bottom of the provincial office's
                                   2,000-step calendar, once: every page is new (rows fitted, texts
                                   laid out and drawn for the first time)
    scroll_weekly_first_p95_ms     the weekly plans of organisation-years never shown before, each
                                   walked once page by page (down, then across, as a snake): every
                                   position is painted for the first time
        a step is: move the scroll bar one page, paint the viewport, run what Qt then has to do
        (the clerk's page-down until the page is on screen). Baseline (``_baseline``): Qt's own
        QTableView over a QStandardItemModel with the same texts and row heights, first pass too,
        its steps alternated with ours one for one.
    switch_org_year_ms             a click in the tree on another organisation-year's calendar or
                                   weekly plan (never shown before) until it is painted; baseline:
                                   a click on an organisation (no grid to fill), alternated
    gui_peak_rss_mb                the window process's peak memory after all of the above;
                                   baseline: a bare PySide6 window's
Targets: first-pass scroll p95 < 16 ms on both grids; switching < 50 ms.
Each figure is the median of 5 (or $PMQA_BENCH_RUNS) runs, each run a fresh process.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import benchlib as bl

RUN = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
import benchlib as bl
from PySide6.QtWidgets import QApplication, QTableView
from PySide6.QtGui import QStandardItemModel, QStandardItem
app = QApplication(sys.argv[:1])
from pmqa_desktop.ui.app import choose_ui_font
choose_ui_font(app)
from pmqa_desktop.ui.main_window import MainWindow
from pmqa_desktop.ui.common.delegates import display_text, load_word_breaks, word_breaks_ready
from pmqa_desktop.core.storage import planning

w = MainWindow()
assert w.open_database(sys.argv[1])
w.resize(1400, 900)
w.show()
app.processEvents()
store = w.store
load_word_breaks()
while not word_breaks_ready():   # the clerk looks at the first page while the dictionary loads
    app.processEvents()
    time.sleep(0.01)
app.processEvents()

def settle():
    app.processEvents()

def reference_for(grid):
    # Qt's own table with the same texts, column widths and row heights
    model = grid.model()
    ref = QStandardItemModel(model.rowCount(), model.columnCount())
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            t = model.cell_text(r, c) if hasattr(model, "cell_text") else model.index(r, c).data()
            if t:
                ref.setItem(r, c, QStandardItem(display_text(t)))
    view = QTableView()
    view.setWordWrap(True)
    view.setModel(ref)
    view.resize(grid.size())
    for c in range(ref.columnCount()):
        view.setColumnWidth(c, grid.columnWidth(c))
    view.verticalHeader().hide()
    for r in range(ref.rowCount()):
        view.setRowHeight(r, grid.row_height(r))
    view.show()
    app.processEvents()
    return view

def step(table, horizontal, delta):
    bar = table.horizontalScrollBar() if horizontal else table.verticalScrollBar()
    t = time.perf_counter()
    bar.setValue(bar.value() + delta * bar.pageStep())
    table.viewport().repaint()
    app.processEvents()
    return (time.perf_counter() - t) * 1000

def walk(table):
    # every page once: down the first column of pages, across, up the next, ... (a snake)
    v, h = table.verticalScrollBar(), table.horizontalScrollBar()
    moves = []
    hpages = max(0, -(-h.maximum() // max(1, h.pageStep())))
    vpages = max(0, -(-v.maximum() // max(1, v.pageStep())))
    down = True
    for col in range(hpages + 1):
        moves += [(False, 1 if down else -1)] * vpages
        if col < hpages:
            moves.append((True, 1))
        down = not down
    return moves

def first_pass(grid, name):
    ref = reference_for(grid)
    ours, base = [], []
    for i, (horizontal, delta) in enumerate(walk(grid)):
        if i % 2:
            ours.append(step(grid, horizontal, delta)); base.append(step(ref, horizontal, delta))
        else:
            base.append(step(ref, horizontal, delta)); ours.append(step(grid, horizontal, delta))
    ref.close()
    ref.deleteLater()
    return ours, base

prov = planning.find_organisation(store, bl.PROVINCE)
prov_year = planning.find_year(store, prov["id"], bl.LARGE_YEAR)
assert w.stack.currentWidget() is w.calendar_view and w.calendar_view.model.rowCount() == 2000
ours, base = first_pass(w.calendar_view.table, "calendar")
print(f"calendar_steps={len(ours)}")
print(f"calendar_p95={bl.percentile(ours, 95):.2f}")
print(f"calendar_base_p95={bl.percentile(base, 95):.2f}")
print(f"calendar_mean={sum(ours) / len(ours):.2f}")

# switching: calendars and weekly plans of agency years never shown, alternated with a click on an
# organisation (the baseline: the same tree click, no grid to fill)
orgs = [o for o in planning.organisations(store) if o["parent_id"] == prov["id"]]
switch, switch_base = [], []
weekly, weekly_base = [], []
def click(key):
    t = time.perf_counter()
    assert w.select_key(key), key
    w.repaint()
    app.processEvents()
    return (time.perf_counter() - t) * 1000
for k, org in enumerate(orgs[:12]):
    years = planning.fiscal_years(store, org["id"])
    y = years[(k * 3) % len(years)]["id"]
    if k % 2:
        switch.append(click(("calendar", y))); switch_base.append(click(("org", org["id"])))
    else:
        switch_base.append(click(("org", org["id"]))); switch.append(click(("calendar", y)))
    if k < 4:   # the weekly plans walked page by page
        switch.append(click(("weekly", y)))
        o, b = first_pass(w.weekly_view.table, "weekly")
        weekly += o
        weekly_base += b
print(f"weekly_steps={len(weekly)}")
print(f"weekly_p95={bl.percentile(weekly, 95):.2f}")
print(f"weekly_base_p95={bl.percentile(weekly_base, 95):.2f}")
print(f"switch_median={bl.median(switch):.2f}")
print(f"switch_base_median={bl.median(switch_base):.2f}")
print(f"switch_max={max(switch):.2f}")
print(f"rss={bl.peak_rss_mb():.1f}")
w.close_store()
"""

BARE_RSS = r"""
import sys
sys.path.insert(0, sys.argv[1])
import benchlib as bl
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTreeView, QTableView
app = QApplication(sys.argv[:1])
w = QMainWindow(); s = QSplitter(); s.addWidget(QTreeView()); s.addWidget(QTableView()); w.setCentralWidget(s)
w.resize(1400, 900); w.show(); app.processEvents(); w.repaint(); app.processEvents()
print(f"rss={bl.peak_rss_mb():.1f}")
"""


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-gui-"))
    try:
        large = bl.large_file()
        here = str(Path(__file__).resolve().parent)
        runs: dict[str, list[float]] = {}
        for i in range(bl.RUNS):
            run_dir = work / f"run-{i}"
            copy = bl.fresh_copy(large, run_dir, "province.db")
            bl.settle()
            env = bl.child_env(run_dir)
            out = bl.run_python(RUN, str(copy), here, env=env)
            for name in ("calendar_p95", "calendar_base_p95", "weekly_p95", "weekly_base_p95", "switch_median",
                         "switch_base_median", "rss", "calendar_steps", "weekly_steps", "switch_max"):
                runs.setdefault(name, []).extend(bl.values_of(out, name))
            runs.setdefault("bare_rss", []).extend(bl.values_of(bl.run_python(BARE_RSS, here, env=env), "rss"))
            shutil.rmtree(run_dir, ignore_errors=True)
        print(f"scroll_calendar_pages={runs['calendar_steps'][0]:.0f}  scroll_weekly_pages={runs['weekly_steps'][0]:.0f}"
              f"  (first-pass steps per run)")
        cal = bl.figure("scroll_calendar_first_p95_ms", runs["calendar_p95"], "p95 of one run's steps; median of runs")
        bl.baseline_figure("scroll_calendar_first_p95_ms", runs["calendar_base_p95"], "plain Qt table, same texts")
        bl.target_line("scroll_calendar_first_p95_ms", cal, 16, unit=" ms")
        wk = bl.figure("scroll_weekly_first_p95_ms", runs["weekly_p95"], "p95 of one run's steps; median of runs")
        bl.baseline_figure("scroll_weekly_first_p95_ms", runs["weekly_base_p95"], "plain Qt table, same texts")
        bl.target_line("scroll_weekly_first_p95_ms", wk, 16, unit=" ms")
        sw = bl.figure("switch_org_year_ms", runs["switch_median"], "median click of one run; median of runs")
        bl.baseline_figure("switch_org_year_ms", runs["switch_base_median"], "a click on an organisation")
        print(f"switch_org_year_worst_ms={max(runs['switch_max']):.1f}")
        bl.target_line("switch_org_year_ms", sw, 50, unit=" ms")
        bl.figure("gui_peak_rss_mb", runs["rss"], "after the scrolls and switches above")
        bl.baseline_figure("gui_peak_rss_mb", runs["bare_rss"], "a bare PySide6 window")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
