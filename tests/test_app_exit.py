"""Quitting after copying cells must not crash the program on its way out."""
import os
import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pmqa_desktop.ui.common.clipboard import hand_clipboard_to_qt, put_on_clipboard
app = QApplication(sys.argv[:1])
app.aboutToQuit.connect(hand_clipboard_to_qt)   # as run_gui does
put_on_clipboard("LD2\tการมอบอำนาจ", "<table><tr><td>LD2</td></tr></table>")
QTimer.singleShot(0, app.quit)
app.exec()
print(app.clipboard().text())
"""


def run(mode):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, env=env, timeout=60)


def test_quitting_with_copied_cells_exits_cleanly_and_keeps_the_text():
    proc = run("app")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "LD2\tการมอบอำนาจ"
