"""The first start explains itself: the file open is an example (the demo); the clerk can start
a file of their own (File > New) or open one received from another office, and gives their name
and office once (every edit is signed with them, the history shows who changed what)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from ...core.errors import UserError
from ...core.thai_text import with_zwsp
from ...i18n import _
from .. import qt_settings
from ..common.file_places import FILE_EXT, documents_dir, suggested_path
from ..common.save_notice import SAVES_ON_LEAVE

WELCOME_DONE = "welcome_done"


class WelcomePage(QWidget):
    def __init__(self, window: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcome_page")
        self.window = window
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        title = QLabel(_("<h1>Welcome to PMQA Desktop</h1>"), self)
        title.setObjectName("welcome_title")
        self.about = QLabel(self)
        self.about.setObjectName("welcome_text")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(title)
        lay.addWidget(self.about)

        row = QHBoxLayout()
        self.new_button = QPushButton(_("Start my own file…"), self)
        self.new_button.setObjectName("welcome_new")
        self.new_button.setToolTip(_("File > New: an empty file with the criteria catalog (Ctrl+N)"))
        self.open_button = QPushButton(_("Open a file I received…"), self)
        self.open_button.setObjectName("welcome_open")
        self.open_button.setToolTip(_("File > Open (Ctrl+O)"))
        self.try_button = QPushButton(_("Look around the example"), self)
        self.try_button.setObjectName("welcome_try")
        for b in (self.new_button, self.open_button, self.try_button):
            b.setMinimumHeight(40)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.new_button.clicked.connect(lambda: self._done() or new_file(self.window))
        self.open_button.clicked.connect(lambda: self._done() or self.window.files.open_file_dialog())
        self.try_button.clicked.connect(self.look_around)

        who = QGroupBox(_("Who you are (asked once)"), self)
        form = QFormLayout(who)
        values = qt_settings.read_all()
        self.clerk = QLineEdit(values.get("clerk_name", ""), who)
        self.clerk.setObjectName("welcome_clerk")
        self.clerk.setPlaceholderText(_("e.g. นางสาวสมใจ ใจดี"))
        self.office = QLineEdit(values.get("office", ""), who)
        self.office.setObjectName("welcome_office")
        self.office.setPlaceholderText(_("for example สำนักงานจังหวัดราชบุรี"))
        for edit in (self.clerk, self.office):
            edit.setProperty(SAVES_ON_LEAVE, True)
            edit.editingFinished.connect(self.save_identity)
        form.addRow(_("Your name"), self.clerk)
        form.addRow(_("Your office"), self.office)
        note = QLabel(with_zwsp(_("Every edit is saved with your name and office, so that the history of a row and a "
                        "merged file show who changed what. Tools > Settings changes them later.")), who)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form.addRow(note)
        lay.addWidget(who)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        lay.addWidget(line)
        hint = QLabel(with_zwsp(_("Help > Manual (F1) tells the rest: the tree on the left, the grids, the keys, "
                                  "printing and sharing a file.")), self)
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        store = self.window.store
        path = str(store.path) if store is not None and store.path else ""
        self.about.setText(with_zwsp(_(
            "<p>The file open now is <b>an example</b>: the Ratchaburi operations calendar and weekly plan "
            "of FY 2554 and the Rayong development plans of FY 2553, read from real documents. Try anything "
            "in it; it is yours alone and goes nowhere.</p><p>When you are ready, start your own file, or open "
            "the file another office sent you.</p><p style='color:#555'>Example file: {path}</p>")).format(path=path))

    def save_identity(self) -> None:
        values = {"clerk_name": self.clerk.text().strip(), "office": self.office.text().strip()}
        saved = qt_settings.read_all()
        if all(saved.get(k, "") == v for k, v in values.items()):
            return          # nothing typed or changed: nothing to save, no "saved" notice
        try:
            qt_settings.set_values(values)
        except OSError as exc:
            self.window.show_message(_("The settings were not saved: {error}").format(error=exc), error=True)
            return
        for edit in (self.clerk, self.office):
            edit.setModified(False)
        self.window.apply_identity()
        self.window.statusBar().showMessage(_("Saved: {what}").format(what=_("your name and office")), 6000)

    def _done(self) -> None:
        self.save_identity()
        try:
            qt_settings.set_values({WELCOME_DONE: "1"})
        except OSError:
            pass

    def showEvent(self, event) -> None:  # noqa: N802
        self._seen = True
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        # the clerk moved on (a click in the tree, another file): shown once is enough
        # (the hide of being added to the window's pages, before it was ever seen, is not that)
        if getattr(self, "_seen", False):
            self._done()
        super().hideEvent(event)

    def look_around(self) -> None:
        self._done()
        year = self.window.current_year_id()
        self.window._shown_key = None
        if year:
            self.window.select_key(("calendar", year))


def welcome_page(window: Any) -> WelcomePage:
    page = getattr(window, "welcome_page", None)
    if page is None:
        page = WelcomePage(window, window.stack)
        window.stack.addWidget(page)
        window.welcome_page = page
    return page


def show_welcome(window: Any) -> WelcomePage:
    page = welcome_page(window)
    page.refresh()
    window.stack.setCurrentWidget(page)
    # the tree shows nothing chosen, so that a click on any node leaves this page
    window.tree.setCurrentIndex(QModelIndex())
    window._shown_key = None
    return page


def is_example(window: Any) -> bool:
    from ...paths import default_db_path
    store = window.store
    return bool(store is not None and store.path is not None
                and Path(store.path).resolve() == default_db_path().resolve())


def on_file_opened(window: Any, _store: Any) -> None:
    """At the first start (the example file, welcome not yet done): the welcome page first."""
    if is_example(window) and not qt_settings.get(WELCOME_DONE, ""):
        show_welcome(window)


# ---------------------------------------------------------------- File > New

def ask_new_file(window: Any) -> str:
    start = str(suggested_path(_("PMQA data"), ext=FILE_EXT, folder=documents_dir()))
    fn, _filter = QFileDialog.getSaveFileName(window, _("Start a new file"), start,
                                              _("PMQA Desktop databases (*.db *.sqlite *.pmqa);;All files (*)"))
    return fn


def create_file(window: Any, path: str | Path) -> bool:
    """An empty file with the standard criteria catalog, opened; then its first organisation."""
    from ...core.demo import ensure_catalog
    from ...core.storage.store import Store
    path = Path(path)
    if path.exists():
        window.show_message(_("{path} already exists; choose another name.").format(path=path), error=True)
        return False
    try:
        store = Store.open(path, window._actor())
        try:
            ensure_catalog(store)
        finally:
            store.close()
    except (UserError, OSError) as exc:
        window.show_message(_("{path} could not be made: {reason}").format(path=path, reason=exc), error=True)
        return False
    if not window.open_database(path):
        return False
    window.organisations.add_organisation()     # the first thing a new file needs
    return True


def new_file(window: Any, path: str | None = None) -> bool:
    path = path or ask_new_file(window)
    return bool(path) and create_file(window, path)
