"""What a clerk sees when the program hits an error it did not expect.

Every edit is written to the file in its own transaction the moment it is made, so nothing
typed before the error is lost; the dialog says so, says where the log file is (the details are
written there), and offers the details to copy for IT support. The program goes on running.
"""
from __future__ import annotations

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from ...i18n import _
from ...logfile import log_error, log_path
from ..qt_util import MessageDialog


class CrashDialog(MessageDialog):
    def __init__(self, parent, details: str):
        try:
            where = str(log_path())
        except OSError:
            where = _("(the data folder cannot be written)")
        text = _("PMQA Desktop hit an unexpected error and did not finish what it was doing.\n"
                 "Your work is safe: every edit was saved to the file when you made it.\n"
                 "The details are in the log file {path}.\n"
                 "If it happens again, copy the details and send them to IT support.").format(path=where)
        super().__init__(parent, _("Unexpected error"), text, error=True)
        self.setObjectName("crash_dialog")
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(140)
        self.layout().insertWidget(1, self.details)
        self.copy_button = self.add_button(_("Copy details"), self.copy_details, close=False)
        self.copy_button.setObjectName("copy_details")

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self._text + "\n\n" + self.details.toPlainText())


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
        parent = self.app.activeWindow()
        self.dialog = CrashDialog(parent, details)
        self.dialog.open()


def install_crash_handler(app: QApplication) -> CrashHandler:
    handler = CrashHandler(app)
    handler.install()
    return handler
