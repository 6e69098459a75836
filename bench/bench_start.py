"""Start-up: from starting the program to the first paint of the largest organisation-year's
calendar (the provincial office's 2,000 steps, real Thai rows), against a bare PySide6 window
(an empty tree and table) started in turn with it, in the same run.

    start_large_ms             the clerk's own large file (checked on an earlier start, unchanged since)
    start_received_file_ms     the same data as a file received from another office: its export,
                               a fresh copy under a new name every run, so every run pays the check
                               a received file gets on opening (and the backup started on opening)
    start_bare_ms              the bare window (the baseline); each round runs the three in turn,
                               in a rotating order
    start_large_ratio, start_received_file_ratio
                               medians over the bare window's median. Targets <= 2 and <= 2.5.

Every start is a fresh process, timed from its launch to the line it prints at its first paint.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib as bl

BARE = r"""
import sys
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
            QTimer.singleShot(0, lambda: (print("painted", flush=True), app.quit()))
        return False
f = F()
w.installEventFilter(f)
w.show()
QTimer.singleShot(10000, app.quit)
app.exec()
"""

# what the window shows at its first paint (the smoke start prints it, so the figure is known to
# be the large calendar's)
SHOWN = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from pmqa_desktop.ui.main_window import MainWindow
w = MainWindow()
assert w.open_database(sys.argv[1])
w.resize(1280, 800)
w.show()
app.processEvents()
view = w.stack.currentWidget()
print(f"first_view={view.objectName()} rows={view.model.rowCount()}")
w.close_store()
"""


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-start-"))
    try:
        large = bl.large_file()
        received = bl.received_file()
        env = bl.child_env(work)
        out = bl.run_python(SHOWN, str(large), env=env)
        print(out.strip() + "  (the page the window opens on)")
        if "first_view=calendar_view rows=2000" not in out:
            raise SystemExit("the window does not open on the 2,000-step calendar: the figures would not be its")
        bl.time_to_line(bl.app_command("--smoke", "--db", str(large)), env, "smoke ok")   # checked once, as a clerk's own file

        bare, own, got = [], [], []

        def run_bare() -> None:
            bare.append(bl.time_to_line([sys.executable, "-c", BARE], env, "painted")[0])

        def run_own() -> None:
            own.append(bl.time_to_line(bl.app_command("--smoke", "--db", str(large)), env, "smoke ok")[0])

        def run_received() -> None:
            run_dir = work / f"received-{len(got)}"
            copy = bl.fresh_copy(received, run_dir, f"from-office-{len(got)}-{time.time_ns()}.db")
            bl.settle()
            got.append(bl.time_to_line(bl.app_command("--smoke", "--db", str(copy)), env, "smoke ok")[0])
            shutil.rmtree(run_dir, ignore_errors=True)

        order = [run_bare, run_own, run_received]
        for i in range(bl.RUNS):
            for fn in order[i % 3:] + order[:i % 3]:
                fn()
        bl.figure("start_bare_ms", bare, "bare PySide6 window, launch to first paint")
        bl.figure("start_large_ms", own, "own large file, launch to the first paint of its 2,000-step calendar")
        bl.figure("start_received_file_ms", got, "received file: check on opening + backup in the background")
        bl.ratio_figure("start_large_ratio", own, bare, target=2.0)
        bl.ratio_figure("start_received_file_ratio", got, bare, target=2.5)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
