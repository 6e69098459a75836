"""Where a clerk finds the files the program writes: the Documents folder, under names that
say what they are (``ปฏิทิน_จังหวัดราชบุรี_2554.pdf``), and a button to open that folder."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

# the ending of the program's own files: the installers open it on a double-click (any name opens)
FILE_EXT = "pmqa"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def documents_dir() -> Path:
    """The clerk's Documents folder (the home folder when there is none)."""
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(loc) if loc else Path.home()
    return path if path.is_dir() else Path.home()


def file_name(*parts: object, ext: str) -> str:
    """``ปฏิทิน_จังหวัดราชบุรี_2554.pdf``: the parts joined by '_', spaces and characters no file
    system accepts replaced; Thai kept as it is."""
    words = [_UNSAFE.sub("-", str(p)).strip().replace(" ", "_") for p in parts if p not in (None, "")]
    name = "_".join(w for w in words if w) or "PMQA"
    return f"{name}.{ext.lstrip('.')}"


def suggested_path(*parts: object, ext: str, folder: Path | None = None) -> Path:
    """A path in ``folder`` (default Documents) for a new file that does not overwrite one."""
    folder = folder or documents_dir()
    path = folder / file_name(*parts, ext=ext)
    n = 2
    while path.exists():
        path = folder / file_name(*parts, n, ext=ext)
        n += 1
    return path


def open_folder(path: Path) -> bool:
    """Show the folder holding ``path`` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def saved_notice(parent, path: Path):
    """After a file was saved: where it is, with a button that opens its folder."""
    from ...i18n import _
    from ..qt_util import MessageDialog
    box = MessageDialog(parent, _("Saved"), _("Saved as:\n{path}").format(path=path))
    box.setObjectName("saved_notice")
    box.open_folder_button = box.add_button(_("Open folder"), lambda: open_folder(path))
    box.open()
    return box


def _here(window) -> tuple[str, object]:
    """The organisation and fiscal year chosen in the tree (for a file's name)."""
    store = window.store
    year_id = window.current_year_id() if store is not None else None
    year = store.get("fiscal_year", year_id) if year_id else None
    org = store.get("organisation", year["org_id"]) if year else None
    return (org["name"] if org else ""), (year["year_be"] if year else "")


def exchange_path(window) -> Path:
    """Where an exchange file for another office goes by default."""
    from ...i18n import _
    org, year = _here(window)
    return suggested_path(_("Exchange file"), org, year, ext=FILE_EXT)


def copy_path(window) -> Path:
    """Where File > Save a copy as… offers to write."""
    from ...i18n import _
    stem = Path(window.store.path).stem if window.store is not None and window.store.path else "PMQA"
    return suggested_path(_("Copy"), stem, ext=FILE_EXT)


def save_copy(window, path: str | Path | None = None):
    """File > Save a copy as…: a consistent copy of the whole open file (the one open stays open)."""
    from PySide6.QtWidgets import QFileDialog

    from ...core.errors import UserError
    from ...core.sharing import export
    from ...i18n import _
    if window.store is None:
        return None
    asked = path is None
    if path is None:
        path, _f = QFileDialog.getSaveFileName(window, _("Save a copy as"), str(copy_path(window)),
                                               _("PMQA Desktop databases (*.db *.sqlite *.pmqa);;All files (*)"))
        if not path:
            return None
    path = Path(path)
    if window.store.path is not None and path.resolve() == Path(window.store.path).resolve():
        window.show_message(_("Choose another name: this is the file open now."), error=True)
        return None
    try:
        export(window.store, path)
    except UserError as exc:
        window.show_message(str(exc), error=True)
        return None
    window.show_message(_("Saved {path}").format(path=path))
    if asked:
        window.last_message_box = saved_notice(window, path)
    return path
