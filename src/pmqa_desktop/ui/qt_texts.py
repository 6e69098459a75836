"""Qt's own words (standard dialog buttons, the context menus of text fields and spin boxes)
in the program's language.

Qt ships no Thai translation of its own strings (there is no qtbase_th.qm), so without this an
otherwise Thai program shows "OK", "Cancel", "Close", "&Yes", "Cu&t", "Select All" ... in English.
A QTranslator answers Qt's translate() calls from our gettext catalog instead; for anything it
does not know it answers None, which Qt takes as "not translated" (an empty string would blank
the text, even the key names of shortcuts such as "Ctrl").

Install once, right after the QApplication exists and before any window is built:
    from .qt_texts import install_qt_translator
    install_qt_translator(app)
"""
from __future__ import annotations

from PySide6.QtCore import QTranslator

from ..i18n import _


def qt_texts() -> dict[tuple[str, str], str]:
    """(Qt context, Qt source text) -> our translation. Built when called, in the current language."""
    buttons = {
        "OK": _("OK"), "Cancel": _("Cancel"), "Close": _("Close"), "&Yes": _("&Yes"), "&No": _("&No"),
        "Save": _("Save"), "Apply": _("Apply"), "Help": _("Help"), "Reset": _("Reset"),
        "Discard": _("Discard"), "Don't Save": _("Don't Save"), "Close without Saving": _("Close without Saving"),
        "Yes to &All": _("Yes to &All"), "N&o to All": _("N&o to All"), "Save All": _("Save All"),
        "Abort": _("Abort"), "Retry": _("Retry"), "Ignore": _("Ignore"),
        "Restore Defaults": _("Restore Defaults"), "Open": _("Open"),
    }
    edit = {
        "&Undo": _("&Undo"), "&Redo": _("&Redo"), "Cu&t": _("Cu&t"), "&Copy": _("&Copy"),
        "&Paste": _("&Paste"), "Delete": _("Delete"), "Select All": _("Select All"),
        "Copy &Link Location": _("Copy &Link Location"),
    }
    spin = {"&Select All": _("&Select All"), "&Step up": _("&Step up"), "Step &down": _("Step &down")}
    box = {"Show Details...": _("Show Details..."), "Hide Details...": _("Hide Details...")}
    out: dict[tuple[str, str], str] = {}
    for ctx, table in (("QPlatformTheme", buttons), ("QDialogButtonBox", buttons), ("QMessageBox", buttons),
                       ("QLineEdit", edit), ("QWidgetTextControl", edit), ("QAbstractSpinBox", spin),
                       ("QMessageBox", box)):
        for src, text in table.items():
            if text != src:
                out[(ctx, src)] = text
    return out


class CatalogTranslator(QTranslator):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._texts = qt_texts()

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 (Qt override)
        return self._texts.get((context, source_text))   # None: Qt keeps its own text

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return not self._texts


def install_qt_translator(app) -> CatalogTranslator:
    tr = CatalogTranslator(app)
    app.installTranslator(tr)
    return tr
