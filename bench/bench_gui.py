"""Start-up, opening and scrolling figures of the GUI (offscreen, each start in a fresh process).

    start_bare_ms        a bare PySide6 window with an empty QTreeView + QTableView, process start to first paint
    start_demo_ms        ``pmqa-desktop --smoke --db demo.db`` (the app's own 'smoke ok: <ms>' figure)
    start_large_ms       the same with the large generated file
    generate_large_s     ``pmqa-desktop demo --db large.db --large``
    open_large_ms, show_weekly_ms, show_calendar_ms
                         open the large file, show one agency-year's weekly plan, and the 2,000-step calendar
    scroll_*_mean_ms / _p95_ms
                         one page of scrolling with a synchronous viewport repaint, over 200 steps
    peak_rss_mb          the process's peak memory after those scrolls

Targets: start within 2x of the bare window; a scroll step under 16 ms.
Set PMQA_BENCH_DIR to keep the generated files between runs (the large one takes a while).
"""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("PMQA_BENCH_RUNS", "5"))

BARE = r"""
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QTimer, QObject, QEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTreeView, QTableView
app = QApplication(sys.argv[:1])
w = QMainWindow()
s = QSplitter()
s.addWidget(QTreeView())
s.addWidget(QTableView())
w.setCentralWidget(s)
w.resize(1280, 800)
done = []
class F(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint and not done:
            done.append(1)
            QTimer.singleShot(0, app.quit)
        return False
f = F()
w.installEventFilter(f)
w.show()
QTimer.singleShot(10000, app.quit)
app.exec()
print("painted", flush=True)
"""

GRIDS = r"""
import sys, time, statistics
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QUndoStack
app = QApplication(sys.argv[:1])
from pmqa_desktop.ui.app import choose_ui_font
choose_ui_font(app)
from pmqa_desktop.core.storage import Store, Actor, planning
from pmqa_desktop.ui.schedules.grid_views import CalendarView, WeeklyPlanView
t_import = time.perf_counter()
store = Store.open(sys.argv[1], Actor("bench"))
t_open = time.perf_counter()
prov = planning.find_organisation(store, "จังหวัดตัวอย่าง")
agency = planning.find_organisation(store, "ส่วนราชการที่ 1")
p_year = planning.fiscal_years(store, prov["id"])[-1]
a_year = planning.fiscal_years(store, agency["id"])[-1]
stack = QUndoStack()
t1 = time.perf_counter()
weekly = WeeklyPlanView(store, stack)
weekly.resize(1400, 900)
weekly.set_year(a_year["id"])
weekly.show()
app.processEvents()
weekly.table.viewport().repaint()
t2 = time.perf_counter()
cal = CalendarView(store, stack)
cal.resize(1400, 900)
cal.set_year(p_year["id"])
cal.show()
app.processEvents()
cal.table.viewport().repaint()
t3 = time.perf_counter()
print(f"open_large_ms={(t_open - t_import) * 1000:.0f}")
print(f"show_weekly_ms={(t2 - t1) * 1000:.0f}  (agency year: {weekly.model.rowCount()} rows x {weekly.model.columnCount()} columns)")
print(f"show_calendar_ms={(t3 - t2) * 1000:.0f}  ({cal.model.rowCount()} steps x {cal.model.columnCount()} columns)")

def scroll(table, name, steps=200, horizontal=False):
    bar = table.horizontalScrollBar() if horizontal else table.verticalScrollBar()
    times, cpu = [], []
    for _ in range(steps):
        t, c = time.perf_counter(), time.process_time()
        v = bar.value() + bar.pageStep()
        bar.setValue(v if v <= bar.maximum() else 0)
        table.viewport().repaint()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"scroll_{name}_mean_ms={statistics.mean(times):.2f}")
    print(f"scroll_{name}_p95_ms={p95:.2f}  (cpu mean {statistics.mean(cpu):.2f} ms; max {times[-1]:.1f}; "
          f"range 0..{bar.maximum()}, page {bar.pageStep()})")

from pmqa_desktop.ui.common.delegates import load_word_breaks, word_breaks_ready
load_word_breaks()
while not word_breaks_ready():
    app.processEvents()
    time.sleep(0.01)
app.processEvents()
print(f"word_breaks_ready_ms={(time.perf_counter() - t3) * 1000:.0f}  (Thai dictionary loaded in the background after the first paint)")
scroll(cal.table, "calendar")
scroll(cal.table, "calendar_again")
weekly.set_year(p_year["id"])
app.processEvents()
scroll(weekly.table, "weekly_vertical")
scroll(weekly.table, "weekly_horizontal", horizontal=True)
import resource
print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}  "
      f"(the whole process after the scrolls above; cached cell pictures are capped at "
      f"{cal.table.cell_delegate.layouts.PIXMAP_BUDGET >> 20} MB per grid)")

# reference: Qt's own C++ model and delegate with the same texts, to read the figures above on a busy machine
from PySide6.QtGui import QStandardItemModel, QStandardItem
from PySide6.QtWidgets import QTableView
from pmqa_desktop.ui.common.delegates import display_text
ref = QStandardItemModel(cal.model.rowCount(), cal.model.columnCount())
for r in range(cal.model.rowCount()):
    for c in range(cal.model.columnCount()):
        t = cal.model.cell_text(r, c)
        if t:
            ref.setItem(r, c, QStandardItem(display_text(t)))
view = QTableView()
view.setModel(ref)
view.resize(1400, 900)
for c in range(ref.columnCount()):
    view.setColumnWidth(c, cal.table.columnWidth(c))
view.verticalHeader().hide()
for r in range(ref.rowCount()):
    view.setRowHeight(r, cal.table.row_height(r))  # the same heights, so the same cells per page
view.show()
app.processEvents()
scroll(view, "reference_plain_qt_table")
"""


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = env.get("PMQA_BENCH_QPA", "offscreen")
    env["PMQA_DATA_DIR"] = str(tmp / "data")
    env["PMQA_SETTINGS_DIR"] = str(tmp / "settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return env


def _wall(cmd: list[str], env: dict, expect: str) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    ms = (time.perf_counter() - t) * 1000
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or expect not in out:
        raise RuntimeError(f"{cmd!r} failed ({proc.returncode}):\n{out[-2000:]}")
    return ms, out


def _app(*args: str) -> list[str]:
    return [sys.executable, "-m", "pmqa_desktop", *args]


def _median_start(cmd: list[str], env: dict, expect: str) -> tuple[float, float | None]:
    walls, inner = [], []
    for _ in range(RUNS):
        ms, out = _wall(cmd, env, expect)
        walls.append(ms)
        m = re.search(r"smoke ok: (\d+)", out)
        if m:
            inner.append(float(m.group(1)))
    return statistics.median(walls), (statistics.median(inner) if inner else None)


def main() -> None:
    keep = os.environ.get("PMQA_BENCH_DIR")
    tmpdir = None
    if keep:
        tmp = Path(keep)
        tmp.mkdir(parents=True, exist_ok=True)
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="pmqa-bench-")
        tmp = Path(tmpdir.name)
    env = _env(tmp)
    demo, large = tmp / "demo.db", tmp / "large.db"
    print(f"runs={RUNS} (medians)  python={sys.version.split()[0]}  platform={env['QT_QPA_PLATFORM']}")

    bare_wall, _ = _median_start([sys.executable, "-c", BARE], env, "painted")
    print(f"start_bare_ms={bare_wall:.0f}  (process start to first paint, wall clock)")

    if not demo.exists():
        _wall(_app("demo", "--db", str(demo)), env, "")
    demo_wall, demo_inner = _median_start(_app("--smoke", "--db", str(demo)), env, "smoke ok")
    print(f"start_demo_ms={demo_wall:.0f}  (wall clock; app's own figure: {demo_inner:.0f} ms)"
          f"  ratio_to_bare={demo_wall / bare_wall:.2f}  target<=2.0")

    if not large.exists():
        t = time.perf_counter()
        _wall(_app("demo", "--db", str(large), "--large"), env, "")
        print(f"generate_large_s={time.perf_counter() - t:.1f}  ({large.stat().st_size / 1e6:.0f} MB)")
    else:
        print(f"generate_large_s=(reused {large})")
    large_wall, large_inner = _median_start(_app("--smoke", "--db", str(large)), env, "smoke ok")
    print(f"start_large_ms={large_wall:.0f}  (wall clock; app's own figure: {large_inner:.0f} ms)"
          f"  ratio_to_bare={large_wall / bare_wall:.2f}  target<=2.0")

    proc = subprocess.run([sys.executable, "-c", GRIDS, str(large)], env=env, capture_output=True, text=True,
                          timeout=600)
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        sys.stdout.write(proc.stderr[-3000:])
        raise SystemExit(1)
    print("targets: scroll step < 16 ms; start within 2x of the bare window")
    if tmpdir is not None:
        tmpdir.cleanup()


if __name__ == "__main__":
    main()
