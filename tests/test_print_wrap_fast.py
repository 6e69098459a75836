"""Issue 15: a row far wider than its cell is measured by its words, not shaped whole, and
wraps exactly as when it is shaped whole first (same lines, same one-line texts)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_desktop.printing import thai_text_layout as ttl
from pmqa_desktop.printing.fonts import get_font
from pmqa_desktop.printing.layout import Cell, FormDocument, Options

DATA = Path(__file__).parent / "data"
CORPUS = [ln.strip() for ln in (DATA / "thai_corpus.txt").read_text(encoding="utf-8").splitlines()
          if ln.strip() and not ln.startswith("#")]


def _lines(face, size, text, width, skip):
    kept = ttl.SURELY_WIDER
    ttl.SURELY_WIDER = kept if skip else float("inf")   # inf: every row is shaped whole first
    try:
        face._advance_cache.clear()
        face._shape_cache.clear()
        ttl._pieces.cache_clear()
        return [(ln.text, ln.start) for ln in ttl.wrap(face, size, text, width)]
    finally:
        ttl.SURELY_WIDER = kept


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=4), st.sampled_from([30.0, 60.0, 120.0, 400.0]),
       st.sampled_from([False, True]))
def test_wrapping_as_when_the_row_is_shaped_whole(parts, width, bold):
    face = get_font("laksaman").face(bold)
    text = "".join(parts)
    assert _lines(face, 16.0, text, width, True) == _lines(face, 16.0, text, width, False)


def test_a_long_row_is_not_shaped_whole(monkeypatch):
    font = get_font("laksaman")
    face = font.face(False)
    text = "".join(CORPUS[:6]).replace(" ", "")
    doc = FormDocument(Options(font=font))
    shaped = []
    real = type(face).advance
    monkeypatch.setattr(type(face), "advance", lambda self, t: (shaped.append(t), real(self, t))[1])
    face._advance_cache.clear()
    lines, _size = doc._wrap_cell(Cell(text), 150.0, 14)
    assert len(lines) > 3 and "".join(lines) == text
    assert shaped and text not in shaped


def _cell_lines(text, width, bold, always):
    font = get_font("laksaman")
    kept = ttl.PART_MARGIN
    ttl.PART_MARGIN = float("inf") if always else kept   # inf: every word is cut into its parts first
    try:
        font.face(bold).leaf_widths.clear()
        return FormDocument(Options(font=font))._wrap_cell(Cell(text, bold=bold), width, 14)
    finally:
        ttl.PART_MARGIN = kept


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=3), st.sampled_from([12.0, 20.0, 30.0, 60.0, 200.0]),
       st.sampled_from([False, True]))
def test_cell_size_and_lines_as_when_every_word_is_cut_into_its_parts(parts, width, bold):
    """A cell's words are cut into their parts (to find the widest, for setting the cell smaller)
    only when a word could be too wide: the same lines and size as when they always are."""
    text = " ".join(parts)
    assert _cell_lines(text, width, bold, False) == _cell_lines(text, width, bold, True)


def test_a_row_of_short_words_is_not_cut_into_parts(monkeypatch):
    font = get_font("laksaman")
    text = "".join(CORPUS[:6]).replace(" ", "")
    called = []
    monkeypatch.setattr(ttl, "part_cuts", lambda *a: called.append(a) or [])
    font.face(False).leaf_widths.clear()
    lines, size = FormDocument(Options(font=font))._wrap_cell(Cell(text), 400.0, 14)
    assert len(lines) > 3 and size == 14 and not called


def test_cells_of_the_same_text_and_look_are_wrapped_once(monkeypatch):
    """The weekly plan makes each row's cells anew for each band of months: a Cell equal to one
    wrapped before (same text, look, width) takes its lines, and they are the same lines."""
    from pmqa_desktop.printing.layout import Grid, Row
    doc = FormDocument(Options(font=get_font("laksaman")), "landscape")
    text = "จัดทำแผนพัฒนาองค์การและติดตามผลการดำเนินงานตามตัวชี้วัด"
    calls = []
    real = FormDocument._wrap_cell
    monkeypatch.setattr(FormDocument, "_wrap_cell", lambda self, cell, w, size: (calls.append(cell.text),
                                                                                 real(self, cell, w, size))[1])
    grids = [Grid([120], [], [Row([Cell(text)])], size=14) for _ in range(3)]
    laid = [doc._lay_row(g.body[0], g.widths, g.size) for g in grids]
    assert calls == [text]
    assert laid[0].cells[0][3] == real(doc, Cell(text), 120, 14)[0]
    assert all(la.cells[0][3] == laid[0].cells[0][3] and la.height == laid[0].height for la in laid)
    doc._lay_row(Row([Cell(text, bold=True)]), [120], 14)    # another look: wrapped on its own
    doc._lay_row(Row([Cell(text)]), [100], 14)               # another width too
    assert calls == [text] * 3
