"""The print's caches are emptied at the program's exit (before the interpreter's teardown,
which took them apart much more slowly), and emptying them loses nothing: what is asked for
again is made again, the same."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pmqa_desktop.core import thai_text as tt
from pmqa_desktop.printing import thai_text_layout as ttl
from pmqa_desktop.printing.fonts import get_font

SRC = Path(__file__).resolve().parents[1] / "src"


def test_free_caches_empties_them_and_loses_nothing():
    face = get_font("laksaman").face(False)
    text = "ผู้ว่าราชการจังหวัดราชบุรีพิจารณาเห็นชอบ"
    lines = [ln.text for ln in ttl.wrap(face, 16, text, 60)]
    shaped = face.shape(text)
    gids, pos = list(shaped.gids), list(shaped.pos)
    assert face._shape_cache and ttl._pieces.cache_info().currsize and tt._segment_run.cache_info().currsize
    ttl.free_caches()
    tt.free_caches()
    assert not face._shape_cache and not face._advance_cache and not face.piece_metrics
    assert ttl._pieces.cache_info().currsize == 0 and tt._segment_run.cache_info().currsize == 0
    assert [ln.text for ln in ttl.wrap(face, 16, text, 60)] == lines
    again = face.shape(text)
    assert (list(again.gids), list(again.pos)) == (gids, pos)


def test_they_are_emptied_at_exit():
    # registered first, so it runs last (atexit runs its functions in reverse order)
    code = ("import sys; sys.path.insert(0, %r)\n"
            "import atexit\n"
            "atexit.register(lambda: print('after', len(face._shape_cache) + len(face.piece_metrics), "
            "ttl._pieces.cache_info().currsize))\n"
            "from pmqa_desktop.printing import thai_text_layout as ttl\n"
            "from pmqa_desktop.printing.fonts import get_font\n"
            "face = get_font('laksaman').face(False)\n"
            "ttl.wrap(face, 16, 'ผู้ว่าราชการจังหวัดราชบุรี', 40)\n"
            "print('before', len(face._shape_cache) + len(face.piece_metrics) > 0)\n") % str(SRC)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["before", "True", "after", "0", "0"], out
