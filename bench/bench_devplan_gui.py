"""Benchmark: the development-plan pages of the GUI on the large generated file (offscreen).

    python bench/bench_devplan_gui.py [DB]    (DB is built with ``demo --large`` when missing)

Prints, in ms (median of several runs): building the dashboard page of one organisation-year
(compute + tree + chart, first paint), one refresh of it after an edit, building the plans
page, one typed cell edit through the undo stack (store write + models reloaded + repaint),
one undo, and a bar drag's final command. Target for the dashboard page: under 200 ms.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 200.0


def _median(fn, repeat: int = 9) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from pmqa_desktop.core.demo import write_demo
    from pmqa_desktop.core.storage import Actor, Store
    from pmqa_desktop.core.storage import devplan as dp
    from pmqa_desktop.core.storage import planning

    app = QApplication.instance() or QApplication([])
    argv = sys.argv[1:] if argv is None else argv
    db = Path(argv[0]) if argv else Path(tempfile.gettempdir()) / "pmqa_bench_large.db"
    if not db.exists():
        t0 = time.perf_counter()
        write_demo(db, large=True)
        print(f"built large file {db} in {time.perf_counter() - t0:.1f} s")
    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copy(db, work)
    os.environ.setdefault("PMQA_SETTINGS_DIR", str(work.parent / "settings"))
    store = Store.open(work, Actor("bench", "bench"))
    from pmqa_desktop.ui.devplan.dashboard_view import DashboardView
    from pmqa_desktop.ui.devplan.models import COL_TEXT
    from pmqa_desktop.ui.devplan.pages import DevPlanPage
    try:
        orgs = planning.organisations(store)
        year = next(y for o in orgs[1:] for y in planning.fiscal_years(store, o["id"]) if dp.plans(store, y["id"]))
        stack = QUndoStack()
        ok = True

        def build_dashboard():
            v = DashboardView(store, year["id"])
            v.resize(1200, 800)
            v.show()
            app.processEvents()
            v.close()
            v.deleteLater()
        med, worst = _median(build_dashboard)
        ok &= med < TARGET_MS
        print(f"dashboard page, one organisation-year (build + first paint): median {med:.1f} ms, worst {worst:.1f} ms "
              f"(target {TARGET_MS:.0f} ms)")
        board = DashboardView(store, year["id"])
        board.show()
        app.processEvents()
        med, worst = _median(board.refresh)
        ok &= med < TARGET_MS
        print(f"dashboard refresh: median {med:.1f} ms, worst {worst:.1f} ms")

        def build_page():
            p = DevPlanPage(store, stack, year["id"])
            p.resize(1400, 850)
            p.show()
            app.processEvents()
            p.close()
            p.deleteLater()
            app.processEvents()
        med, worst = _median(build_page, 5)
        print(f"plans page (list, grid, form 7.2, progress; first paint): median {med:.1f} ms, worst {worst:.1f} ms")

        page = DevPlanPage(store, stack, year["id"])
        page.resize(1400, 850)
        page.show()
        app.processEvents()
        m = page.grid_model
        row = next(r for r in range(m.rowCount()) if m.is_step(r))
        counter = iter(range(10 ** 6))

        def edit():
            m.set_block(row, COL_TEXT, [[f"ขั้นตอนทดสอบ {next(counter)}"]], edit=True)
            app.processEvents()
        med, worst = _median(edit)
        print(f"typed cell edit (command + reload of the open pages incl. dashboard): median {med:.1f} ms, "
              f"worst {worst:.1f} ms")

        def undo():
            stack.undo()
            app.processEvents()
        med, worst = _median(undo, 5)
        print(f"undo of an edit: median {med:.1f} ms, worst {worst:.1f} ms")
        sid = m.step_at(row)["id"]
        spans = iter([(k % 6, k % 6 + 2) for k in range(100)])

        def drag():
            m.move_span(sid, *next(spans))
            app.processEvents()
        med, worst = _median(drag)
        print(f"bar drag command: median {med:.1f} ms, worst {worst:.1f} ms")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine load average {load:.2f} on {os.cpu_count()} CPUs (wall times grow with it)")
        print("result: " + ("PASS" if ok else "FAIL"))
        return 0 if ok else 1
    finally:
        store.close()
        shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
