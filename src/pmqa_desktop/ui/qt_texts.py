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
    # Qt's own file dialog (Open, Save as, a folder): every word it shows, its questions too
    files = {
        "&Look in:": _("&Look in:"), "Back": _("Back"), "Go back": _("Go back"), "Forward": _("Forward"),
        "Go forward": _("Go forward"), "Parent Directory": _("Parent Directory"),
        "Go to the parent directory": _("Go to the parent directory"), "Create New Folder": _("Create New Folder"),
        "Create a New Folder": _("Create a New Folder"), "List View": _("List View"),
        "Change to list view mode": _("Change to list view mode"), "Detail View": _("Detail View"),
        "Change to detail view mode": _("Change to detail view mode"), "Sidebar": _("Sidebar"),
        "List of places and bookmarks": _("List of places and bookmarks"), "Files": _("Files"),
        "Files of &type:": _("Files of &type:"), "File &name:": _("File &name:"), "&Open": _("&Open"),
        "&Save": _("&Save"), "&Choose": _("&Choose"), "All Files (*)": _("All Files (*)"),
        "&Rename": _("&Rename"), "&Delete": _("&Delete"), "Show &hidden files": _("Show &hidden files"),
        "&New Folder": _("&New Folder"), "New Folder": _("New Folder"), "Directories": _("Directories"),
        "Directory:": _("Directory:"), "Recent Places": _("Recent Places"), "Open": _("Open"),
        "Save As": _("Save As"), "Find Directory": _("Find Directory"),
        "%1 already exists.\nDo you want to replace it?": _("%1 already exists.\nDo you want to replace it?"),
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            _("%1\nFile not found.\nPlease verify the correct file name was given."),
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            _("%1\nDirectory not found.\nPlease verify the correct directory name was given."),
        "Are you sure you want to delete '%1'?": _("Are you sure you want to delete '%1'?"),
        "'%1' is write protected.\nDo you want to delete it anyway?":
            _("'%1' is write protected.\nDo you want to delete it anyway?"),
        "Could not delete directory.": _("Could not delete directory."),
    }
    file_list = {"Name": _("Name"), "Size": _("Size"), "Type": _("Type"), "Kind": _("Type"),
                 "Date Modified": _("Date Modified"), "Computer": _("Computer"), "My Computer": _("Computer")}
    file_kinds = {"Drive": _("Drive"), "Folder": _("Folder"), "File Folder": _("Folder"), "File": _("File"),
                  "%1 File": _("%1 File"), "Shortcut": _("Shortcut"), "Alias": _("Shortcut"),
                  "Unknown": _("Unknown")}
    # Qt's own print dialog (Linux; Windows shows the system's)
    printing = {
        "Print": _("Print"), "&Print": _("&Print"), "Printer": _("Printer"), "&Name:": _("&Name:"),
        "P&roperties": _("P&roperties"), "Location:": _("Location:"), "Preview": _("Preview"), "Type:": _("Type:"),
        "Output &file:": _("Output &file:"), "&Options >>": _("&Options >>"), "&Options <<": _("&Options <<"),
        "Print to File (PDF)": _("Print to File (PDF)"), "Local file": _("Local file"),
        "Write PDF file": _("Write PDF file"), "All Pages": _("All Pages"), "Odd Pages": _("Odd Pages"),
        "Even Pages": _("Even Pages"),
    }
    print_output = {
        "Print range": _("Print range"), "Print all": _("Print all"), "Pages from": _("Pages from"), "to": _("to"),
        "Pages": _("Pages"), "Current Page": _("Current Page"), "Selection": _("Selection"),
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. "
        "E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.": _(
            "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a "
            "hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9."),
        "Page &Set:": _("Page &Set:"), "Output Settings": _("Output Settings"), "Copies:": _("Copies:"),
        "Collate": _("Collate"), "Reverse": _("Reverse"), "Copies": _("Copies"), "Color Mode": _("Color Mode"),
        "Color": _("Color"), "Grayscale": _("Grayscale"), "Double Sided Printing": _("Double Sided Printing"),
        "Off": _("Off"), "Long side binding": _("Long side binding"), "Short side binding": _("Short side binding"),
        "Options": _("Options"),
    }
    out: dict[tuple[str, str], str] = {}
    for ctx, table in (("QPrintDialog", printing), ("QPrintWidget", printing), ("QPrintSettingsOutput", print_output),
                       ("QPlatformTheme", buttons), ("QDialogButtonBox", buttons), ("QMessageBox", buttons),
                       ("QLineEdit", edit), ("QWidgetTextControl", edit), ("QAbstractSpinBox", spin),
                       ("QMessageBox", box), ("QFileDialog", files), ("QFileSystemModel", file_list),
                       ("QAbstractFileIconProvider", file_kinds), ("QFileIconProvider", file_kinds)):
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
    """Qt's words in the program's language: Qt's own catalog for it when PySide6 ships one
    (qtbase_en.qm; there is no Thai one), then ours over it. The file dialogs become Qt's own
    (not the system's, which speaks the system's language whatever the program's is)."""
    from PySide6.QtCore import QLibraryInfo, Qt
    from ..i18n import language
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language()}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
    tr = CatalogTranslator(app)
    tr.qt_own = qt_own
    app.installTranslator(tr)      # installed last: asked first
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    return tr


def remove_qt_translator(app, tr: CatalogTranslator) -> None:
    app.removeTranslator(tr)
    app.removeTranslator(tr.qt_own)
