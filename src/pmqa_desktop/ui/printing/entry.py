"""The Print menu. Printing itself (ReportLab, fonts, the word dictionary) loads on first use,
so the program's start does not wait for it."""
from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from ...i18n import _
from ...printing.form_names import FORMS, form_labels

PREWARM_DELAY_MS = 2000


def install(window) -> None:
    menu = window.menus["print"]
    window.print_actions = {}
    labels = form_labels()
    for form in FORMS:
        a = QAction(_("{form}…").format(form=labels[form]), window)
        a.setObjectName(f"action_print_{form}")
        a.triggered.connect(lambda checked=False, f=form: _open_preview(window, f))
        menu.addAction(a)
        window.print_actions[form] = a
    QTimer.singleShot(PREWARM_DELAY_MS, _prewarm)   # after the window is up: the first preview is quick


def _open_preview(window, form: str):
    from .preview import open_preview
    return open_preview(window, form)


def _prewarm() -> None:
    # ReportLab's import alone takes half a second: in the GUI thread it froze a clerk's first
    # scrolling or click for that long; a thread takes it while the window waits for input
    threading.Thread(target=_load_printing, name="print-import", daemon=True).start()


def _load_printing() -> None:
    try:
        from ...printing.render import PrintSettings, prewarm
        prewarm(PrintSettings.load().font)
    except Exception:  # a missing font or dictionary is reported by the print itself
        pass
