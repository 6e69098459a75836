"""Starting the GUI: the application object, language, a Thai-capable font, the first file.

``run_gui(db=None, smoke=False, lang=None)`` is what ``pmqa-desktop`` runs. Without ``db``
it opens the database in the user's data folder, writing the demo database there on the
very first start so that the catalog and two demo provinces are there to look at.
With ``smoke`` it shows the window, waits for its first paint, prints
``smoke ok: <ms from process start to first paint>`` and exits 0.
"""
from __future__ import annotations

import gc
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

_T_IMPORT = time.perf_counter()

APP_NAME = "PMQA Desktop"
ORG_NAME = "PMQA Desktop"
ORG_DOMAIN = "pmqa-desktop.local"
# Fonts of the official Thai design first, then other good Thai UI fonts. The number is the
# point size that matches an ordinary 10 pt UI font (TH Sarabun New is small per point).
THAI_UI_FONTS = (("TH Sarabun New", 14.0), ("TH SarabunPSK", 14.0), ("Sarabun", 10.0), ("Laksaman", 11.0),
                 ("Leelawadee UI", 9.0), ("Tahoma", 9.0))


def ms_since_process_start() -> float:
    """Milliseconds since this process started (the OS's own start time where we can read it)."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])   # field 22 of stat; two fields come before the ')'
        hz = os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", "rb") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, (uptime - start_ticks / hz) * 1000.0)
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes
            ft = [wintypes.FILETIME() for _ in range(4)]
            h = ctypes.windll.kernel32.GetCurrentProcess()
            if ctypes.windll.kernel32.GetProcessTimes(h, *[ctypes.byref(f) for f in ft]):
                created = (ft[0].dwHighDateTime << 32 | ft[0].dwLowDateTime) / 1e7 - 11644473600
                return max(0.0, (time.time() - created) * 1000.0)
        except Exception:
            pass
    return (time.perf_counter() - _T_IMPORT) * 1000.0


def choose_ui_font(app) -> str:
    """Use a Thai font of the official design when one is installed; otherwise the system's."""
    from PySide6.QtGui import QFont, QFontDatabase
    families = set(QFontDatabase.families())
    for family, size in THAI_UI_FONTS:
        if family in families:
            f = QFont(family)
            f.setPointSizeF(size)
            app.setFont(f)
            return family
    return app.font().family()


def spare_pyside_source_reads() -> None:
    """Keep PySide from reading the source of every module imported after it.

    PySide looks at each newly imported module once, to know whether it asks for one of its
    ``__feature__`` switches (snake_case, true_property): it reads the module's whole source and
    looks for "PySide6" in it. The start imports ~100 modules after PySide, so it read ~100
    files (~0.7 MB, kept in ``linecache`` afterwards). This program asks for no switch anywhere,
    so the modules loaded so far and the program's own modules are marked beforehand with the
    mark PySide gives a module that takes no part in the switching (-1, "ignore this module").
    Every module then sees Qt exactly as before (no switch is ever made). Where PySide keeps this
    elsewhere (another version), nothing is marked and it reads the sources as before."""
    try:
        from shibokensupport import feature   # (PySide's own module, loaded with PySide6)
        marks = feature.pyside_feature_dict
    except (ImportError, AttributeError):
        return
    if not isinstance(marks, dict):
        return
    for name in list(sys.modules):
        marks.setdefault(name, -1)
    root = Path(__file__).resolve().parent.parent   # the pmqa_desktop package (absent in a frozen build)
    package = root.name
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in ("__pycache__", "data")]
        prefix = ".".join((package, *Path(folder).relative_to(root).parts))
        marks.setdefault(prefix, -1)
        for file in files:
            if file.endswith(".py") and file != "__init__.py":
                marks.setdefault(f"{prefix}.{file[:-3]}", -1)


_FONT_WARM_UP: list[threading.Thread] = []


def start_font_warm_up() -> None:
    """Linux: fontconfig reads its configuration and its lists of the installed fonts (~5 ms)
    in a thread while PySide is being imported, instead of when the window first asks for a font.

    Qt's font database calls ``FcInit`` itself before it lists the fonts; here the same call is
    made earlier, through ctypes, which lets go of Python's lock during it, so it runs beside the
    start on another processor. ``run_gui`` waits for it before Qt starts (Qt never uses
    fontconfig at the same time). Where there is no fontconfig (Windows, macOS) nothing is done."""
    if not sys.platform.startswith("linux") or _FONT_WARM_UP:
        return
    try:
        import ctypes
    except ImportError:
        return

    def work() -> None:
        try:
            ctypes.CDLL("libfontconfig.so.1").FcInit()
        except (OSError, AttributeError):   # (no fontconfig: Qt finds its fonts its own way)
            pass
    thread = threading.Thread(target=work, name="font-warm-up", daemon=True)
    thread.start()
    _FONT_WARM_UP.append(thread)


def _wait_font_warm_up() -> None:
    for thread in _FONT_WARM_UP:
        thread.join(10)


_GC_PAUSED = [False]


def pause_gc_for_start() -> None:
    """No cyclic garbage collection while the program starts (imports and building the window
    make many objects and few cycles; collecting them would only slow the start)."""
    if gc.isenabled():
        gc.disable()
        _GC_PAUSED[0] = True


def resume_gc() -> None:
    """After the first paint: what start-up built lives as long as the program, so it is set
    aside from later collections (``gc.freeze``), and collection is switched on again."""
    if _GC_PAUSED[0]:
        _GC_PAUSED[0] = False
        gc.freeze()
        gc.enable()


def _warm_up_word_breaks() -> None:
    """Load the Thai dictionary in the background so the first wrapped text shows at once."""
    def work() -> None:
        try:
            from ..core.thai_text import with_zwsp
            with_zwsp("การดำเนินงาน")
        except Exception:
            pass
    threading.Thread(target=work, name="thai-words", daemon=True).start()


def open_first_database(window, db: str | None, smoke: bool) -> bool:
    from ..core.errors import UserError
    from ..i18n import _
    from ..paths import default_db_path
    if db:
        path = Path(db)
    else:
        path = default_db_path()
        if not path.exists():
            from ..core.demo import write_demo
            try:
                write_demo(path)
            except (UserError, OSError) as exc:
                window.show_message(_("The demo database could not be written to {path}: {error}").format(
                    path=path, error=exc), error=True)
                return False
    if _show_while_checked(window, path, smoke):
        return True
    return _open_for_editing(window, path, smoke)


def _show_while_checked(window, path: Path, smoke: bool) -> bool:
    """A received file whose check (started beside the start-up) is still running is shown
    read-only at once, and opened for editing only when the check has passed: nothing is
    written to it, locked or backed up before. A failed check closes it with the message of
    an opening refused. False: not such a file, or it could not be shown (opened as before)."""
    from ..core.storage import schema
    from ..core.storage.store import Store, _peek_version, checking_ahead
    from ..i18n import _
    try:
        if not checking_ahead(path) or _peek_version(path) != schema.SCHEMA_VERSION:   # (an older file: once migrated)
            return False
    except OSError:   # (the usual opening says what is wrong with it)
        return False
    preview = None
    hook = sys.excepthook

    def damaged_page_hook(exc_type, exc, tb) -> None:
        # a damaged page read while shown unchecked: the check refuses the file in a moment
        if issubclass(exc_type, sqlite3.DatabaseError) and preview is not None and window.store is preview:
            return
        hook(exc_type, exc, tb)
    sys.excepthook = damaged_page_hook
    try:
        preview = Store.open(path, window._actor(), create=False, read_only=True, check="")
        preview.read_only_reason = ""   # (no box about it: the status bar says why)
        window._set_store(preview)
    except Exception:   # what the preview cannot read, the check and the usual opening judge
        if preview is not None:
            if window.store is preview:
                window.close_store()
            else:
                preview.close()
        sys.excepthook = hook
        return False
    window.statusBar().showMessage(_("Checking the file received before it can be edited…"))
    from PySide6.QtCore import QTimer
    timer = QTimer(window)
    window.check_ahead_timer = timer   # (tests and --smoke wait for it)

    def poll() -> None:
        if checking_ahead(path):
            return
        timer.stop()
        window.check_ahead_timer = None
        if sys.excepthook is damaged_page_hook:
            sys.excepthook = hook
        if window.store is not preview:   # another file was opened meanwhile
            return
        window.close_store()
        if not _open_for_editing(window, path, smoke):
            window.check_ahead_failed = True
        elif not window.store.read_only:   # (read-only still when another program holds it: it says why)
            window.statusBar().showMessage(_("The file passed its check: it can be edited now."), 8000)
    timer.timeout.connect(poll)
    timer.start(30)
    return True


def _open_for_editing(window, path: Path, smoke: bool) -> bool:
    from PySide6.QtCore import Qt

    from ..core.errors import UserError
    from ..core.sharing import open_for_editing
    from ..core.storage.store import wait_check_ahead
    from ..i18n import _
    wait_check_ahead()   # its shared lock gone before the file is locked for editing
    try:
        new_file = not path.exists() or path.stat().st_size == 0
        # the automatic backup on open runs in the background when the sharing part is installed
        store = open_for_editing(path, window._actor(), backup=not window.backs_up_on_open())
        if new_file and not store.read_only:   # a new file starts with the standard criteria catalog
            from ..core.demo import ensure_catalog
            ensure_catalog(store)
    except (UserError, OSError) as exc:
        reason = str(exc) if isinstance(exc, UserError) else (exc.strerror or str(exc))
        message = _("{path} could not be opened: {reason}").format(path=path, reason=reason)
        if smoke:
            print(message, file=sys.stderr)
            return False
        from .qt_util import MessageDialog
        box = MessageDialog(window, _("PMQA Desktop"), message, error=True)
        box.add_button(_("Open another file…"), window.files.open_file_dialog)
        box.setAttribute(Qt.WA_DeleteOnClose, False)
        box.exec()
        return window.store is not None
    window._set_store(store)   # (the files feature puts it first in the recent files)
    return True


def run_gui(db: str | None = None, smoke: bool = False, lang: str | None = None) -> int:
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication
    spare_pyside_source_reads()   # before the window's ~100 modules are imported

    from . import qt_settings
    from ..i18n import LANGUAGES, _, language, set_language
    want = (lang or qt_settings.get("language") or os.environ.get("PMQA_LANG") or "th").split("_")[0].lower()
    if want in LANGUAGES and want != language():   # the command line has loaded one already
        set_language(want)

    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setOrganizationDomain(ORG_DOMAIN)
    _wait_font_warm_up()   # (fontconfig ready before Qt may use it)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from .qt_texts import install_qt_translator
    install_qt_translator(app)   # Qt's own buttons and menus in the program's language
    choose_ui_font(app)
    from .common.full_text_style import install as install_style
    install_style()   # before any widget exists: nothing to polish again
    from .common.clipboard import hand_clipboard_to_qt
    app.aboutToQuit.connect(hand_clipboard_to_qt)

    from .common.crash_dialog import install_crash_handler
    install_crash_handler(app)   # an unexpected error: logged, a dialog, the program goes on
    from ..resources import icon_path
    from PySide6.QtGui import QIcon
    app.setWindowIcon(QIcon(str(icon_path())))
    from .features import FeatureError
    from .main_window import MainWindow
    try:
        window = MainWindow()
    except FeatureError as exc:   # a broken build: say which part, rather than start without it
        if not smoke:
            from .qt_util import MessageDialog
            MessageDialog(None, _("PMQA Desktop"), str(exc), error=True).exec()
        raise
    window.hold_until_painted()   # (the opening backup starts once the window is painted)
    ok = open_first_database(window, db, smoke)
    if smoke and not ok:
        return 1

    state = {"done": False}

    def after_first_paint() -> None:
        resume_gc()
        from ..core.storage.store import start_shown
        start_shown()   # a received file's check: its usual share of the processor from now on
        if smoke:
            print(f"smoke ok: {ms_since_process_start():.0f}", flush=True)
        window.painted()
        if smoke:
            quit_when_checked()

    def quit_when_checked() -> None:   # --smoke ends once a received file's check has ended
        if getattr(window, "check_ahead_timer", None) is not None:
            QTimer.singleShot(30, quit_when_checked)
        else:
            app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint and not state["done"]:
                state["done"] = True
                obj.removeEventFilter(self)
                # let this paint finish, then report
                QTimer.singleShot(0, after_first_paint)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(3000, window.painted)   # (a window never painted: what waited for it runs anyway)
    if smoke:
        def fallback() -> None:   # a platform that never paints an unexposed window
            if not state["done"]:
                state["done"] = True
                window.grab()
                after_first_paint()

        window.show()
        QTimer.singleShot(10000, fallback)
        app.exec()
        window.close_store()
        return 1 if getattr(window, "check_ahead_failed", False) else 0

    window.show()
    window.raise_()
    QTimer.singleShot(300, _warm_up_word_breaks)
    app.setAttribute(Qt.AA_DontShowIconsInMenus, False)
    rc = app.exec()
    window.close_store()
    return rc
