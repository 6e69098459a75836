"""The Thai text engine of the printed forms: shaping positions reach the PDF, text extracted
from the PDF equals the source, lines break only between words, overlong strings are cut
between clusters and stay inside their cell."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from pmqa_desktop.core.thai_text import break_opportunities
from pmqa_desktop.printing.fonts import SARABUN_KO_HEIGHT, Glyph, get_font
from pmqa_desktop.printing.layout import PAD_X, Cell, FormDocument, Grid, Options, Row
from pmqa_desktop.printing.thai_text_layout import (TextWriter, break_positions, cluster_positions, text_width,
                                                     wrap)

from print_helpers import found_wrapped, pdftotext

HARD = [
    "ผู้ ที่ น้ำ ป่า ปี่ ญู ฐู ฤๅ ๆ",
    "ผู้ว่าราชการจังหวัดระยอง ปฏิบัติราชการแทน",
    "น้ำใจ ปั้นป่ำ กำกับ ดำเนินการ ทำซ้ำ",
    "กิจกรรมที่ 2 การปรับปรุงคุณภาพการให้บริการ 150,000 บาท",
    "ประชุมเชิงปฏิบัติการเพื่อขับเคลื่อนการดำเนินงานตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐ (Working Team) ทุกวันพุธ",
    "IT 3 การคำนวณสถิติมวลรวมจังหวัด (GPP) ร้อยละ 72.5 ของเป้าหมาย",
    'a < b & c > d "quoted" \'single\' (x) [y] {z} \\ back',
    "<b>ไม่ใช่ตัวหนา</b> &amp; ยังคงเป็นข้อความ",
    "ฤดูฝน ฦๅ ฤๅษี ฯลฯ เด็กๆ ไปโรงเรียน",
    "การพัฒนาคุณภาพการบริหารจัดการภาครัฐระดับพื้นฐานครบทั้ง 7 หมวด",
    "ลงนาม ณ วันที่ 15 มิถุนายน 2553",
    "๑๒๓ เลขไทย ๔๕๖,๗๘๙ บาท",
]


@pytest.fixture(scope="module")
def font():
    return get_font("laksaman")


@pytest.fixture
def opts(font):
    return Options(font=font)


def render_cells(tmp_path, opts, texts, width, name="cells.pdf"):
    doc = FormDocument(opts, "portrait")
    doc.add(Grid([width], [], [Row([Cell(t)]) for t in texts], size=16))
    out = tmp_path / name
    doc.render(out)
    return out


def test_size_is_scaled_to_th_sarabun(font):
    # Laksaman's ก is about 1.5x TH Sarabun New's: 16 pt prints at about 10.6 pt
    reg = font.face(False)
    assert 0.59 < reg.ko_height < 0.62
    assert font.scale == pytest.approx(SARABUN_KO_HEIGHT / reg.ko_height, rel=1e-3)
    assert 0.64 < font.scale < 0.69


@pytest.mark.parametrize("text", HARD)
def test_extracted_text_equals_source(tmp_path, opts, text):
    out = render_cells(tmp_path, opts, [text], 500)
    got = pdftotext(out, "-raw")
    # one digit system on the page: Arabic here, so ๑๒๓ prints as 123 (the text itself is not changed)
    assert found_wrapped(opts.digits(text), got), (text, got)


def test_narrow_cells_wrap_only_between_words(tmp_path, opts):
    out = render_cells(tmp_path, opts, HARD, 95)
    got = pdftotext(out, "-raw")
    wrapped = 0
    for text in HARD:
        norm = opts.digits(re.sub(r"[ \t]+", " ", text))
        assert found_wrapped(norm, got), (text, got)
        lines = wrap(opts.font.face(), 16 * opts.font.scale, norm, 95 - 2 * PAD_X)
        wrapped += len(lines) > 1
        allowed = set(break_positions(norm))
        for ln in lines[1:]:
            assert ln.start in allowed or norm[ln.start - 1].isspace(), (norm, ln)
            # and the breaks are word boundaries as the core finds them (or spaces)
            assert ln.start in set(break_opportunities(norm)) or norm[ln.start - 1].isspace() \
                or norm[ln.start].isspace() or ln.start in allowed
    assert wrapped >= 8  # the narrow cell really made them wrap


THAI_WORDS = ["การ", "ประชุม", "ชี้แจง", "ผู้ว่าราชการจังหวัด", "น้ำ", "ป่า", "ดำเนินงาน", "ตัวชี้วัด", "ทุกวันพุธ",
              "ความก้าวหน้า", "ยุทธศาสตร์", "ระยอง", "ราชบุรี", "PMQA", "(GPP)", "2554", " ", "ใน", "ที่"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(THAI_WORDS), min_size=1, max_size=25), st.integers(min_value=30, max_value=300))
def test_wrap_breaks_at_word_boundaries(words, width):
    font = get_font("laksaman")
    face = font.face()
    text = "".join(words)
    size = 16 * font.scale
    lines = wrap(face, size, text, width)
    allowed = set(break_positions(text))
    clusters = set(cluster_positions(text))
    rebuilt = ""
    end = len(text) - len(text.lstrip())
    for i, ln in enumerate(lines):
        assert text[ln.start:ln.start + len(ln.text)] == ln.text
        gap = text[end:ln.start]
        assert gap.strip() == ""
        if i:
            rebuilt += gap
        rebuilt += ln.text
        end = ln.start + len(ln.text)
        if ln.width > width + 0.01:
            pytest.fail(f"line wider than the cell: {ln}")
        # a line starts at a word boundary unless it is a piece of a single over-wide word
        if i and ln.start not in allowed:
            assert ln.start in clusters
            word_w = text_width(face, size, _word_at(text, ln.start))
            assert word_w > width
    assert rebuilt == text.strip()


def _word_at(text, pos):
    cuts = [0] + break_positions(text) + [len(text)]
    for a, b in zip(cuts, cuts[1:]):
        if a < pos < b:
            return text[a:b].strip()
    return ""


def test_long_unbroken_strings_are_cut_and_stay_inside(tmp_path, opts):
    long_thai = "ก" * 120
    url = "https://example.go.th/" + "x" * 150
    out = render_cells(tmp_path, opts, [long_thai, url, "น้ำ" * 60], 120)
    got = pdftotext(out, "-raw")
    for t in (long_thai, url, "น้ำ" * 60):
        assert t in got.replace("\n", "")
    # every word box inside the 120-pt cell (left margin: the binding side)
    bbox = pdftotext(out, "-bbox")
    left = opts.binding_mm * 72 / 25.4
    words = 0
    for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', bbox):
        if float(m.group(2)) > 750:   # the page number line
            continue
        words += 1
        assert float(m.group(1)) >= left - 0.5
        assert float(m.group(3)) <= left + 120 + 0.5
    assert words >= 10
    # ... and cut only between clusters: no line starts with a mark (น้ำ keeps ้ and ำ)
    for line in got.splitlines():
        assert not re.match(r"^[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]", line)


def _simulate(code: str, face, doc):
    """Positions of the glyphs our operators put on the page: (code point, x, y)."""
    state = face.ttf.state[doc]
    toks = re.findall(r"\[|\]|\((?:\\.|[^\\)])*\)|/[^\s\[\]()<>]+|<<|>>|<[0-9A-Fa-f]*>|[^\s\[\]()<>/]+", code)
    stack, out = [], []
    x0 = y0 = 0.0
    size = rise = 0.0
    cur = 0.0
    subset = 0
    arr = None
    for t in toks:
        if t == "[":
            arr = []
        elif t == "]":
            stack.append(arr)
            arr = None
        elif arr is not None:
            arr.append(t)
        elif t == "Tm":
            x0, y0 = float(stack[-2]), float(stack[-1])
            cur = 0.0
            stack.clear()
        elif t == "Tf":
            name, size = stack[-2], float(stack[-1])
            subset = int(name.rsplit("+", 1)[1])
            stack.clear()
        elif t == "Ts":
            rise = float(stack[-1])
            stack.clear()
        elif t == "TJ":
            for item in stack[-1]:
                if item.startswith("("):
                    raw = re.sub(r"\\([0-7]{1,3}|.)", lambda m: chr(int(m.group(1), 8)) if m.group(1)[0].isdigit()
                                 else {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}.get(m.group(1), m.group(1)),
                                 item[1:-1])
                    for ch in raw:
                        cp = state.subsets[subset][ord(ch)]
                        out.append((cp, x0 + cur, y0 + rise))
                        cur += face.pdf_width(cp) * size / 1000.0
                else:
                    cur -= float(item) * size / 1000.0
            stack.clear()
        else:
            stack.append(t)
    return out


@pytest.mark.parametrize("text", ["ป่า ปี่ ผู้ ที่", "น้ำ กำ ทำ", "ญู ฐู ฤๅ", "ปั้น ป้ำ ฟ้า"])
def test_shaper_positions_reach_the_pdf(tmp_path, font, text):
    face = font.face()
    canvas = Canvas(str(tmp_path / "s.pdf"))
    writer = TextWriter(canvas)
    size = 24.0
    writer.draw(face, size, 50, 700, text)
    code = canvas._code[-1]
    assert "/ActualText <FEFF" in code
    placed = _simulate(code, face, canvas._doc)
    shaped = face.shape(text)
    assert len(placed) == len(shaped.glyphs)
    pen = 0.0
    moved = 0
    for (cp, x, y), g in zip(placed, map(Glyph._make, shaped.glyphs)):
        assert face.char_for_glyph(g.gid) == cp
        assert x == pytest.approx(50 + pen + g.x_offset * size / 1000, abs=0.02)
        assert y == pytest.approx(700 + g.y_offset * size / 1000, abs=0.02)
        moved += bool(g.x_offset or g.y_offset)
        pen += g.x_advance * size / 1000
    # HarfBuzz really moved or substituted something (marks over tall consonants, ญ/ฐ without tail, SARA AM)
    substituted = [cp for cp, _x, _y in placed if cp >= 0xE000]
    assert moved or substituted
    canvas.save()


def test_substituted_glyphs_need_actual_text(tmp_path, font):
    """The glyphs HarfBuzz substitutes have no Unicode value (ReportLab gives them private
    codes); the ActualText span is what makes extraction right."""
    face = font.face()
    text = "ญู ฐู ป่า น้ำ"
    codes = [face.char_for_glyph(Glyph._make(g).gid) for g in face.shape(text).glyphs]
    assert any(c >= 0xE000 for c in codes)
    canvas = Canvas(str(tmp_path / "a.pdf"))
    TextWriter(canvas).draw(face, 20, 50, 700, text)
    canvas.save()
    assert pdftotext(tmp_path / "a.pdf").strip() == text
