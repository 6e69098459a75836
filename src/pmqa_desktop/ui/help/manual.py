"""A short manual under Help (F1): what the program keeps, the tree, the grids' keys, printing
and sharing. One page per UI language in the package data (data/manual/)."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ...i18n import _, language
from ...resources import data_dir
from ..qt_util import translate_buttons


def manual_html(lang: str | None = None) -> str:
    folder = data_dir() / "manual"
    for name in (f"manual_{lang or language()}.html", "manual_th.html"):
        path = folder / name
        if path.exists():
            return path.read_text(encoding="utf-8")
    return _("The manual is missing from this installation.")


class ManualDialog(QDialog):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setObjectName("manual")
        self.setWindowTitle(_("Manual"))
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("manual_text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(manual_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        translate_buttons(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
        self.resize(760, 640)


def show_manual(window: Any) -> ManualDialog:
    dlg = getattr(window, "manual_dialog", None)
    if dlg is None:
        dlg = ManualDialog(window)
        window.manual_dialog = dlg
    dlg.show()
    dlg.raise_()
    return dlg
