"""The program's start does no work twice (issue 15): the language catalog read when i18n is
imported serves the start, and is read again only for another language."""
from __future__ import annotations

import pytest

from pmqa_desktop import i18n


@pytest.fixture
def restore_language():
    before = i18n.language()
    yield
    i18n.set_language(before)


def test_the_catalog_in_force_is_not_read_again(monkeypatch, restore_language):
    i18n.set_language("th")
    reads = []
    real = i18n._load
    monkeypatch.setattr(i18n, "_load", lambda lang: reads.append(lang) or real(lang))
    monkeypatch.delenv("PMQA_LANG", raising=False)
    assert i18n.use_language(None) == "th"
    assert i18n.use_language("th") == "th"
    assert reads == []
    assert i18n.use_language("en") == "en" and reads == ["en"]
    assert i18n._("Operations calendar") == "Operations calendar"
    i18n.use_language("th")
    assert reads == ["en", "th"] and i18n._("Operations calendar") != "Operations calendar"


START_AND_LIST_SOURCES_READ = r"""
import linecache, sys
from pmqa_desktop.ui.app import run_gui
rc = run_gui(db=sys.argv[1], smoke=True)
read = sorted(f for f in linecache.cache if "pmqa_desktop" in f)
print("sources read:", len(read), read[:5])
sys.exit(rc)
"""


def test_the_start_does_not_have_pyside_read_the_program_s_sources(demo_db, tmp_path):
    """PySide reads the source of every module imported after it (looking for its __feature__
    switches, which the program never asks for): the start marks the program's modules first."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    src = str(Path(__file__).resolve().parents[1] / "src")   # this checkout's program, not an installed one
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
               PMQA_DATA_DIR=str(tmp_path / "data"), PMQA_CACHE_DIR=str(tmp_path / "cache"),
               PMQA_SETTINGS_DIR=str(tmp_path / "settings"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", START_AND_LIST_SOURCES_READ, str(demo_db)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smoke ok" in proc.stdout
    assert "sources read: 0 []" in proc.stdout, proc.stdout


GRID_VIEWPORT = r"""
import PySide6.QtWidgets as W
app = W.QApplication([])
from pmqa_desktop.ui.common.grid_view import GridTableView
view = GridTableView()
viewport = view.viewport()
print("viewport", type(viewport).__name__, viewport.objectName(), viewport is view.viewport(),
      viewport.parent() is view)
print("built", sorted(n for n in ("QCalendarWidget", "QDial", "QLCDNumber", "QMdiArea") if n in vars(W)))
"""


def test_a_grid_s_viewport_comes_without_pyside_building_every_widget_class(tmp_path):
    """The first viewport() of a grid made PySide build the Python types of all QtWidgets' widget
    classes (it looks for the type of a widget Qt made by trying every one): ~70 enum types at
    the start. The grid finds its viewport by name first, which needs none of them."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
               QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", GRID_VIEWPORT], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "viewport QWidget qt_scrollarea_viewport True True" in proc.stdout, proc.stdout
    assert "built []" in proc.stdout, proc.stdout
