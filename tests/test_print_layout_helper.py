"""The helper process that wraps a large form's cells and compresses its pages on the PC's other
core (``printing.layout_helper``): what it gives is what the print would have made itself, the
print uses it, and the pages are the same with it, without it, and when it dies."""
from __future__ import annotations

import re
import time
import zlib

import pytest

from pmqa_desktop.printing import layout, layout_helper
from pmqa_desktop.printing.fonts import get_font
from pmqa_desktop.printing.layout import Cell, FormDocument, Grid, Options, Row, Title
from print_helpers import pdf_streams

pytestmark = pytest.mark.skipif(not layout_helper.wanted(), reason="no helper on this PC (one core or frozen)")

TEXTS = [
    "ประชุมเชิงปฏิบัติการเพื่อขับเคลื่อนการดำเนินงานตามแผนพัฒนาคุณภาพการบริหารจัดการภาครัฐ",
    "ผู้ว่าราชการจังหวัดมอบหมายให้สำนักงานจังหวัดจัดทำรายงานผลการดำเนินงาน ๑๒ เดือน",
    "จัดทำแผนพัฒนาองค์การ (ฉบับปรับปรุง) ครั้งที่ 2/2569 และรายงาน \"ผลการประเมิน\"",
    "ทบทวนกระบวนการ\nรายงานผลต่อคณะกรรมการ",
    "ตรวจสอบ", "ต.ค.", "✓", "",
    "ผู้ว่าราชการจังหวัดผู้ว่าราชการจังหวัดผู้ว่าราชการจังหวัด",
    "A plain English remark that is long enough to wrap over several lines of a narrow cell",
]


def _doc(thai_digits: bool = False, rows: int = 900) -> FormDocument:
    doc = FormDocument(Options(font=get_font("laksaman"), thai_digits=thai_digits), "landscape")
    doc.add(Title(["ปฏิทินการดำเนินงาน"]))
    head = Row([Cell("ลำดับ", align="center", bold=True), Cell("แนวทางการดำเนินงาน", align="center", bold=True),
                Cell("หมายเหตุ", align="center", bold=True, pad=1.0)])
    body = []
    for i in range(rows):
        t = TEXTS[i % len(TEXTS)]
        body.append(Row([Cell(str(i + 1), align="center"),
                         Cell(f"{t} {i}", bold=i % 7 == 0, size=14 if i % 5 == 0 else None),
                         Cell(TEXTS[(i * 3) % len(TEXTS)] * (1 + i % 2), min_lines=i % 3, pad=1.0 if i % 4 else None)]))
    doc.add(Grid([40, 300, 90], [head], body, size=14))
    return doc


def _cells(doc: FormDocument) -> list[tuple]:
    out = []
    for item in doc.items:
        if isinstance(item, Grid):
            for row in (*item.header, *item.body):
                col = 0
                for c in row.cells:
                    out.append((c.text, c.bold, c.size, c.pad, c.min_lines, item.widths[col], item.size))
                    col += c.colspan
    return list(dict.fromkeys(out))


def _wait(cond, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        layout_helper.poll()   # (where the print reads the helper's pipe itself, it does so when it can)
        if cond():
            return True
        time.sleep(0.01)
    return False


def _pages_of(path) -> bytes:
    """The file without its dates and ID (which differ between any two prints)."""
    data = path.read_bytes()
    data = re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", data)
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"", data)


def _start() -> None:
    assert layout_helper.start("laksaman")
    assert _wait(lambda: layout_helper._ready), "the helper is ready (it runs at the lowest priority)"


@pytest.fixture(params=[True, False], ids=["polled", "threads"])
def helper(request, monkeypatch):
    """The helper, talked to by the print itself (POSIX) or by two threads (as on Windows)."""
    if request.param and not layout_helper._POLLED:
        pytest.skip("pipes cannot be polled here")
    # a helper left running by an earlier test (a window's warm-up starts one) is talked to the
    # platform's way: ended before the other way is tried, or nothing would read its pipe
    layout_helper.stop()
    monkeypatch.setattr(layout_helper, "_POLLED", request.param)
    monkeypatch.setattr(layout_helper, "BUSY_MARGIN", -1000)   # however busy the PC running the tests
    _start()
    yield layout_helper
    layout_helper.stop()


@pytest.mark.parametrize("thai_digits", [False, True])
def test_the_helper_wraps_cells_as_the_print_does(helper, thai_digits):
    doc = _doc(thai_digits, rows=60)
    cells = _cells(doc)
    table: dict = {}
    assert helper.ask(doc.opts.font, thai_digits, cells, table)
    assert _wait(lambda: len(table) == len(cells)), "the helper sent back every cell"
    for key in cells:
        text, bold, size, pad, min_lines, width, grid_size = key
        mine = doc._wrap_cell(Cell(text, bold=bold, size=size, pad=pad, min_lines=min_lines), width, grid_size)
        assert table[key] == mine and type(table[key][1]) is type(mine[1]), key


def test_the_helper_compresses_pages_as_zlib_does(helper):
    streams = [f"BT /F1 12 Tf ({i} ทดสอบ) Tj ET\n" * 500 for i in range(helper.PAGES_A_MESSAGE)]
    done: dict = {}
    for s in streams:
        assert helper.compress(s, layout.FLATE_LEVEL, done)
    assert _wait(lambda: all(s in done for s in streams))
    assert [done[s] for s in streams] == [zlib.compress(s.encode("utf8"), layout.FLATE_LEVEL) for s in streams]


def test_a_large_form_prints_the_same_with_the_helper_and_uses_it(helper, tmp_path, monkeypatch):
    helper.stop()
    plain = _doc()
    pages = plain.render(tmp_path / "plain.pdf")
    assert pages >= layout.HELPER_MIN_PAGES

    _start()
    doc = _doc()
    # wait for the helper at each step, so that this test sees its results used whatever the load
    asked: list[tuple] = []
    real_ask = layout_helper.ask

    def ask(font, digits, cells, table):
        ok = real_ask(font, digits, cells, table)
        if cells and ok:
            asked.extend(cells)
            assert _wait(lambda: all(c in table for c in cells))
        return ok
    monkeypatch.setattr(layout_helper, "ask", ask)
    wrapped_here: list = []
    real_wrap = FormDocument._wrap_cell
    monkeypatch.setattr(FormDocument, "_wrap_cell", lambda self, *a: wrapped_here.append(a) or real_wrap(self, *a))
    sent: set = set()
    real_compress = layout_helper.compress

    def compress(stream, level, into):
        ok = real_compress(stream, level, into)
        if ok:
            sent.add(stream)
        return ok
    monkeypatch.setattr(layout_helper, "compress", compress)
    monkeypatch.setattr(layout_helper, "MAX_GROUPS_OUT", 10 ** 6)   # never behind: every page goes
    monkeypatch.setattr(layout_helper, "PAGES_A_MESSAGE", 1)
    taken: list = []
    real_encode = layout._Flate.encode

    def encode(self, text):
        if text in sent:
            assert _wait(lambda: text in self.done)
            taken.append(text)
        return real_encode(self, text)
    monkeypatch.setattr(layout._Flate, "encode", encode)
    assert doc.render(tmp_path / "helped.pdf") == pages

    assert len(asked) > 500, "the form's long cells went to the helper"
    here = {(c.text, c.bold, c.size, c.pad, c.min_lines, w, size) for c, w, size in wrapped_here}
    assert here and not here & set(asked), "the print took the helper's lines, and wrapped only the others"
    assert len(taken) == pages, "every page was compressed by the helper"
    assert pdf_streams(tmp_path / "helped.pdf") == pdf_streams(tmp_path / "plain.pdf")
    assert _pages_of(tmp_path / "helped.pdf") == _pages_of(tmp_path / "plain.pdf")


def test_the_print_is_the_same_when_the_helper_dies(helper, tmp_path):
    helper.stop()
    _doc().render(tmp_path / "plain.pdf")
    assert helper.start("laksaman")
    helper._proc.kill()
    helper._proc.wait()
    assert not helper.running()
    _doc().render(tmp_path / "dead.pdf")
    assert _pages_of(tmp_path / "dead.pdf") == _pages_of(tmp_path / "plain.pdf")


def test_the_helper_ends_when_the_program_stops_it(helper):
    proc = helper._proc
    assert proc.poll() is None
    helper.stop()
    assert proc.poll() is not None and not helper.running()


def test_on_a_busy_pc_the_print_does_everything_itself(helper, tmp_path, monkeypatch):
    monkeypatch.setattr(layout_helper, "BUSY_MARGIN", 1000)   # as busy as can be
    assert helper.running() and not helper.idle_core()
    sent: list = []
    monkeypatch.setattr(layout_helper, "_send", sent.append)
    _doc().render(tmp_path / "busy.pdf")
    assert sent == []


def test_on_a_busy_pc_no_helper_is_started(monkeypatch):
    layout_helper.stop()
    monkeypatch.setattr(layout_helper, "BUSY_MARGIN", 1000)
    assert not layout_helper.start("laksaman") and not layout_helper.running()


def test_the_print_warm_up_starts_the_helper(monkeypatch):
    from pmqa_desktop.printing import render
    layout_helper.stop()
    monkeypatch.setattr(layout_helper, "BUSY_MARGIN", -1000)
    try:
        render.prewarm("laksaman").join(60)
        assert layout_helper.running()
    finally:
        layout_helper.stop()
