"""Test setup: Qt offscreen, a private data folder, and the demo database as a fixture."""
import os
import shutil
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("PMQA_LANG", "th")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

_DEMO_CACHE: dict[str, Path] = {}


@pytest.fixture(autouse=True)
def _private_data(tmp_path, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PMQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PMQA_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def offices(demo_db, tmp_path):
    """Offices A, B and C, each editing its own copy of the demo file (the merge tests)."""
    from sharing_helpers import office_copies
    stores = office_copies(demo_db, tmp_path)
    yield stores
    for s in stores.values():
        s.close()


@pytest.fixture
def ff_used(monkeypatch):
    """The folder merges' fast-forwards, as they return (None: merged row by row)."""
    from pmqa_desktop.core.sharing import folder as folder_mod
    used = []
    real = folder_mod._fast_forward

    def spy(*a):
        used.append(real(*a))
        return used[-1]
    monkeypatch.setattr(folder_mod, "_fast_forward", spy)
    return used


@pytest.fixture
def english(monkeypatch):
    """Messages in English, for assertions on their wording (also for the command lines the test
    starts); the language in force before is put back afterwards."""
    from pmqa_desktop.i18n import language, set_language
    old = language()
    monkeypatch.setenv("PMQA_LANG", "en")
    set_language("en")
    yield
    set_language(old)


@pytest.fixture
def demo_db(tmp_path, tmp_path_factory) -> Path:
    """A fresh copy of the demo database (built once per session by the program's importers)."""
    if "demo" not in _DEMO_CACHE:
        from pmqa_desktop.core.demo import write_demo
        _DEMO_CACHE["demo"] = write_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    dst = tmp_path / "demo.db"
    shutil.copy(_DEMO_CACHE["demo"], dst)
    return dst


@pytest.fixture
def demo_store(demo_db):
    from pmqa_desktop.core.storage import Actor, Store
    store = Store.open(demo_db, Actor(office="test-office", clerk="tester"))
    yield store
    store.close()


@pytest.fixture
def year_id(demo_store):
    """The demo file's calendar year (Ratchaburi FY 2554, from the seed documents); a test file
    whose year comes from elsewhere defines its own ``year_id``."""
    from pmqa_desktop.core.storage import planning
    org = planning.find_organisation(demo_store, "จังหวัดราชบุรี")
    return planning.find_year(demo_store, org["id"], 2554)["id"]


@pytest.fixture
def window(qtbot, demo_db):
    """The main window on a fresh copy of the demo database, shown."""
    from pmqa_desktop.ui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(demo_db)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close_store()


@pytest.fixture
def seeds_dir() -> Path:
    """The real documents in ../shared/seeds when present, else the bundled copies."""
    shared = ROOT.parent / "shared" / "seeds"
    return shared if shared.is_dir() else ROOT / "src" / "pmqa_desktop" / "data" / "seeds"


def _seed(seeds_dir: Path, shared_name: str, bundled_name: str) -> str:
    from pmqa_desktop.core.importers.text_tables import decode
    path = seeds_dir / shared_name
    if not path.exists():
        path = seeds_dir / bundled_name
    return decode(path.read_bytes())


@pytest.fixture
def seed_text(seeds_dir) -> str:
    """The Ratchaburi FY 2554 calendar and weekly plan, as a text dump."""
    return _seed(seeds_dir, "000_395ec6b56e446c56.txt", "ratchaburi_2554_calendar_weekly.txt")


@pytest.fixture
def devplan_seed(seeds_dir) -> str:
    """The Rayong FY 2553 development plans and form 7.2, as a text dump."""
    return _seed(seeds_dir, "001_23b239e2dbe53bed.txt", "rayong_2553_devplan_kpi72.txt")


def pytest_sessionfinish(session, exitstatus):
    """Tear Qt down in order before Python does: close windows, run deferred deletes, and let
    the background dictionary loaders finish, so nothing is left to crash the interpreter exit."""
    import threading
    for t in threading.enumerate():
        if t is not threading.current_thread() and t.name.startswith("thai-word"):
            t.join(timeout=30)
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        return
    from pmqa_desktop.ui.common.clipboard import hand_clipboard_to_qt
    hand_clipboard_to_qt()   # the same as the program does when it quits
    QApplication.clipboard().clear()
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    import gc
    gc.collect()
