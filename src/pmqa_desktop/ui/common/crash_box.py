"""The dialog of an unexpected error (``crash_dialog``): its module is imported the first time an
error shows it, so its widgets' Qt types are not built at every start."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from ...i18n import _
from ...logfile import log_path
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
