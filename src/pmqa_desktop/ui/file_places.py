"""Where a clerk finds the files the program writes: the Documents folder, under names that
say what they are (``ปฏิทิน_จังหวัดราชบุรี_2554.pdf``), and a button to open that folder."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

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
    from ..i18n import _
    from .qt_util import MessageDialog
    box = MessageDialog(parent, _("Saved"), _("Saved as:\n{path}").format(path=path))
    box.setObjectName("saved_notice")
    box.open_folder_button = box.add_button(_("Open folder"), lambda: open_folder(path))
    box.open()
    return box
