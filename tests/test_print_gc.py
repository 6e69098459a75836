"""After a print job the collector does not scan again, in vain, the objects the job left alive
(the print's caches), neither at its next young collection nor in the interpreter's last one at
the program's exit. Run in fresh processes: a test process may have frozen objects (the window
tests) or other jobs' objects in its collector's generations."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

_PRINT = ("import sys, gc; sys.path.insert(0, %r)\n"
          "from pmqa_desktop.core.storage import Actor, Store\n"
          "from pmqa_desktop.printing.render import PrintSettings, print_to_pdf, resolve\n"
          "store = Store.open(%r, Actor(office='t'), read_only=True)\n"
          "req = resolve(store, 'calendar', 2554, 'จังหวัดราชบุรี')\n"
          "print_to_pdf(store, req, %r, PrintSettings(font='laksaman').options())\n")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_what_a_job_leaves_alive_is_set_aside_unscanned(demo_db, tmp_path):
    # the font face, made by the job and kept: in the oldest generation at once (not still young,
    # waiting to be scanned by the next collection and the one after)
    code = _PRINT % (str(SRC), str(demo_db), str(tmp_path / "cal.pdf")) + (
        "from pmqa_desktop.printing.fonts import get_font\n"
        "face = get_font('laksaman').face(False)\n"
        "print(gc.isenabled(), gc.get_freeze_count(), any(o is face for o in gc.get_objects(generation=2)))\n")
    assert _run(code).split() == ["True", "0", "True"]


def test_the_window_s_frozen_objects_stay_frozen(demo_db, tmp_path):
    code = _PRINT.replace("store = ", "gc.freeze(); frozen = gc.get_freeze_count()\nstore = ") % (
        str(SRC), str(demo_db), str(tmp_path / "cal.pdf")) + "print(gc.get_freeze_count() >= frozen > 0)\n"
    assert _run(code).split() == ["True"]


def test_the_last_collection_at_exit_skips_what_is_alive(demo_db, tmp_path):
    # registered first, so it runs last (atexit runs its functions in reverse order)
    code = ("import atexit, gc\n"
            "atexit.register(lambda: print('frozen at exit', gc.get_freeze_count() > 0))\n") + _PRINT % (
        str(SRC), str(demo_db), str(tmp_path / "cal.pdf")) + "print('frozen before exit', gc.get_freeze_count() > 0)\n"
    out = _run(code)
    assert "frozen before exit False" in out and "frozen at exit True" in out, out
    assert (tmp_path / "cal.pdf").stat().st_size > 1000
