"""What a clerk sees when the program hits an error it did not expect.

Every edit is written to the file in its own transaction the moment it is made, so nothing
typed before the error is lost; the dialog says so, says where the log file is (the details are
written there), and offers the details to copy for IT support. The program goes on running.
"""
from __future__ import annotations

import sys
import threading
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ...logfile import log_error

if TYPE_CHECKING:
    from .crash_box import CrashDialog


def __getattr__(name: str):
    if name == "CrashDialog":   # (in its own module: imported when an error first shows it)
        from .crash_box import CrashDialog
        return CrashDialog
    raise AttributeError(name)


class _Relay(QObject):
    """Carries an error from any thread to the GUI thread, where the dialog is shown."""
    error = Signal(str)


class CrashHandler:
    def __init__(self, app: QApplication):
        self.app = app
        self.dialog: CrashDialog | None = None
        self.relay = _Relay()
        self.relay.error.connect(self.show)
        self._old_hooks = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        sys.excepthook = self.on_exception
        threading.excepthook = lambda a: self.on_exception(a.exc_type, a.exc_value, a.exc_traceback)

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._old_hooks

    def on_exception(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            return sys.__excepthook__(exc_type, exc, tb)
        log_error("unexpected error", (exc_type, exc, tb))
        self.relay.error.emit("".join(traceback.format_exception(exc_type, exc, tb)))

    def show(self, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():   # one dialog, however many errors follow
            self.dialog.details.appendPlainText("\n" + details)
            return
        from .crash_box import CrashDialog
        parent = self.app.activeWindow()
        self.dialog = CrashDialog(parent, details)
        self.dialog.open()


def install_crash_handler(app: QApplication) -> CrashHandler:
    handler = CrashHandler(app)
    handler.install()
    return handler
