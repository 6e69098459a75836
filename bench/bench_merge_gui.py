"""Benchmark: the merge as a clerk does it in the window, on the large generated file.

    python bench/bench_merge_gui.py      (needs the inputs of bench_merge.py; made when missing)

Office B's copy is opened in the main window, the merge dialog previews office A's copy, the
clerk reads the preview for a second (the backup a merge makes first is taken meanwhile), then
clicks Apply, which merges, opens the file again and lists the conflicts. Prints:

    gui_preview_s     the Preview click (copy, check, compare, the report's tree)
    gui_apply_s       the Apply click (the backup's rest if any, merge, reopen, conflict list)
    gui_conflicts     conflicts listed; gui_conflict_rows_read: how many of them were read to show them
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-merge-gui-"))
    os.environ.setdefault("PMQA_DATA_DIR", str(work / "data"))
    here = Path(__file__).resolve().parent
    cache = Path(os.environ.get("PMQA_BENCH_DIR") or tempfile.gettempdir()) / "pmqa_bench_merge"
    if not (cache / "office_a.db").exists():
        import runpy
        sys.argv = [str(here / "bench_merge.py"), "--repeat", "1"]
        runpy.run_path(str(here / "bench_merge.py"))["main"]()
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from pmqa_desktop.core import sharing
    from pmqa_desktop.ui.main_window import MainWindow
    from pmqa_desktop.ui.sharing.dialogs import MergeDialog
    try:
        a, b = work / "office_a.db", work / "office_b.db"
        shutil.copy(cache / "office_a.db", a)
        shutil.copy(cache / "office_b.db", b)
        if hasattr(os, "sync"):
            os.sync()   # (as a clerk's file is: on disk, not only just copied)
        w = MainWindow()
        assert w.open_database(b)
        w.resize(1280, 800)
        w.show()
        w.sharing.auto_backup.wait()   # the backup on open, done before the clerk starts merging
        read = []
        real = sharing.conflict_detail
        sharing.conflict_detail = lambda store, c: read.append(1) or real(store, c)
        dlg = MergeDialog(w, str(a))
        dlg.resize(1000, 700)
        dlg.show()
        app.processEvents()
        t0 = time.perf_counter()
        dlg.preview_button.click()
        app.processEvents()
        print(f"gui_preview_s={time.perf_counter() - t0:.2f}")
        end = time.perf_counter() + 1.0   # the clerk reads the preview
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)
        t0 = time.perf_counter()
        dlg.apply_button.click()
        app.processEvents()
        print(f"gui_apply_s={time.perf_counter() - t0:.2f}  (backup's rest + merge + reopen + conflict list)")
        print(f"gui_conflicts={dlg.conflict_model.rowCount()}  gui_conflict_rows_read={len(read)}")
        sharing.conflict_detail = real
        dlg.close()
        w.sharing.auto_backup.wait()
        w.close_store()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
