"""Printing's warm-up (ReportLab's import, the print font, the word list) never runs in the GUI
thread: there it froze the window for half a second, two seconds after the start, whatever the
clerk was doing (issue 15)."""
from __future__ import annotations

import threading

from pmqa_desktop.ui.printing import entry


def test_printing_is_loaded_in_a_thread_not_the_window_s(qtbot, monkeypatch):
    ran_in = []
    done = threading.Event()

    def load():
        ran_in.append(threading.current_thread())
        done.set()
    monkeypatch.setattr(entry, "_load_printing", load)
    entry._prewarm()
    assert done.wait(10)
    assert ran_in and ran_in[0] is not threading.main_thread()


def test_the_warm_up_loads_the_word_list(qtbot):
    from pmqa_desktop.core import thai_text
    entry._load_printing()   # what the thread runs
    for t in threading.enumerate():
        if t.name == "print-prewarm":
            t.join(60)
    assert thai_text._words is not None and thai_text._lengths
