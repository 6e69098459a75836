"""Help > About PMQA Desktop: the version and licence, and the same checks as
``pmqa-desktop diagnose`` (for a clerk to read out or copy to IT support)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import __version__
from ...i18n import _

if TYPE_CHECKING:
    from ..features import Window
    from ..qt_util import MessageDialog


def show_about(window: Window) -> MessageDialog:
    from html import escape
    from PySide6.QtWidgets import QTextEdit
    from ...diagnose import report
    from ..qt_util import MessageDialog
    box = MessageDialog(window, _("About PMQA Desktop"), _(
        "PMQA Desktop {version}\nPlan and track PMQA work offline, for Thai provincial offices.\n"
        "Free software under the GNU GPL, version 3 or later.").format(version=__version__))
    # the same as `pmqa-desktop diagnose`, for a clerk to read out or copy to IT support
    rows = "".join(f"<tr><td>{'OK' if line.ok else escape(_('MISSING'))}</td><td>{escape(line.label)}</td>"
                   f"<td>{escape(line.value)}</td></tr>" for line in report(window.feature_modules))
    details = QTextEdit(box)
    details.setObjectName("about_details")
    details.setReadOnly(True)
    details.setHtml(f"<table cellspacing='0' cellpadding='3'>{rows}</table>")
    details.setMinimumSize(640, 260)
    box.layout().insertWidget(1, details)
    box.open()
    window.last_message_box = box
    return box
