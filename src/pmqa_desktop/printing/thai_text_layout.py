"""Thai text for ReportLab: shaped, wrapped only between words, and copyable.

* Shaping: HarfBuzz (uharfbuzz) gives every glyph and its offset (tone marks lowered or
  shifted left over tall vowels, SARA AM decomposed, ...); ``draw_text`` writes exactly those
  positions into the PDF (``TJ`` adjustments for x, ``Ts`` rise for y).
* Wrapping: lines break only at ``break_positions`` (Thai word boundaries from
  ``core.thai_text.break_opportunities`` — the program's own dictionary segmentation, the same
  on Windows — plus spaces). A single word wider than the cell is the only thing ever cut
  inside, and then only between grapheme clusters (never between a consonant and its marks).
* Copying: glyphs HarfBuzz substitutes (lowered tone marks, the NIKHAHIT of SARA AM, ...)
  have no Unicode value, so ReportLab gives them private-use codes and a PDF reader would
  extract garbage. Every line is therefore wrapped in a marked-content span carrying
  ``/ActualText`` with the line's real text, which viewers and pdftotext use for search
  and copy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from functools import lru_cache

from ..core.thai_text import break_opportunities
from .fonts import Face

# Marks that belong to the character before them (never start a line).
_ATTACHED = set(chr(c) for c in (0x0E31, *range(0x0E33, 0x0E3B), *range(0x0E47, 0x0E4F)))
# Leading vowels written before their consonant (never end a line).
_LEADING = set("เแโใไ")
_SPACE_RE = re.compile(r"\s+")


def num(v: float) -> str:
    """A number for a PDF content stream (ReportLab's fp_str is slow without its C part)."""
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


@lru_cache(maxsize=50000)
def _break_positions(text: str) -> tuple[int, ...]:
    return tuple(_compute_breaks(text))


def break_positions(text: str) -> list[int]:
    """Offsets where a printed line may break: between Thai words, and after spaces."""
    return list(_break_positions(text))


def _compute_breaks(text: str) -> list[int]:
    pos = set(break_opportunities(text))
    for m in _SPACE_RE.finditer(text):
        if 0 < m.start():
            pos.add(m.start())
        if m.end() < len(text):
            pos.add(m.end())
    return sorted(p for p in pos if 0 < p < len(text) and _may_break(text, p))


_NO_START = set(".,:;!?%)]}\u0e46\u0e2f")   # never begin a line (closing marks, ๆ, ฯ)
_NO_END = set("([{")


def _may_break(text: str, p: int) -> bool:
    """Line-breaking rules on top of word boundaries: keep 'เม.ย.' and '(GPP)' whole."""
    a, b = text[p - 1], text[p]
    if b in _NO_START or a in _NO_END:
        return False
    if b.isspace() or a.isspace():
        return True
    if a == "." and not b.isspace():   # inside an abbreviation such as มี.ค. or 1.2
        return False
    return True


def cluster_positions(text: str) -> list[int]:
    """Offsets between grapheme clusters: the last resort for a word wider than its cell."""
    return [i for i in range(1, len(text)) if text[i] not in _ATTACHED and text[i - 1] not in _LEADING]


@dataclass
class Line:
    text: str
    start: int        # offset of the line's first character in the source paragraph
    width: float      # points


def text_width(face: Face, size: float, text: str) -> float:
    return face.advance(text) * size / 1000.0


def longest_word_width(face: Face, text: str) -> float:
    """Advance of the widest unbreakable piece of ``text``, in 1/1000 em."""
    cuts = [0] + break_positions(text) + [len(text)]
    return max((face.advance(text[a:b].strip()) for a, b in zip(cuts, cuts[1:])), default=0.0)


def wrap(face: Face, size: float, text: str, width: float) -> list[Line]:
    """Lines of ``text`` no wider than ``width`` points, broken only at word boundaries
    (explicit newlines are kept). Leading/trailing spaces at a break are dropped."""
    out: list[Line] = []
    offset = 0
    for para in text.split("\n"):
        out.extend(_wrap_para(face, size, para, width, offset))
        offset += len(para) + 1
    return out


def _wrap_para(face: Face, size: float, text: str, width: float, base: int) -> list[Line]:
    if not text.strip():
        return [Line("", base, 0.0)]
    k = size / 1000.0
    full = face.advance(text) * k
    if full <= width:
        s = len(text) - len(text.lstrip())
        t = text.strip()
        return [Line(t, base + s, full if t == text else face.advance(t) * k)]
    cuts = [0] + break_positions(text) + [len(text)]
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
    lines: list[Line] = []
    cur_start: int | None = None
    cur_end = 0
    cur_w = 0.0

    def emit(a: int, b: int) -> None:
        seg = text[a:b]
        t = seg.rstrip()
        lead = len(t) - len(t.lstrip())
        t = t.lstrip()
        if t:
            lines.append(Line(t, base + a + lead, face.advance(t) * k))

    for a, b in pieces:
        piece = text[a:b]
        pw = face.advance(piece.rstrip()) * k if piece.strip() else 0.0
        if cur_start is None:
            if not piece.strip():
                continue
            if pw > width:
                for ha, hb_ in _hard_split(face, size, text, a, b, width):
                    emit(ha, hb_)
                continue
            cur_start, cur_end, cur_w = a, b, face.advance(piece) * k
            continue
        if cur_w + pw <= width + 0.01:
            cur_end = b
            cur_w += face.advance(piece) * k
            continue
        emit(cur_start, cur_end)
        cur_start = None
        if not piece.strip():
            continue
        if pw > width:
            for ha, hb_ in _hard_split(face, size, text, a, b, width):
                emit(ha, hb_)
            continue
        cur_start, cur_end, cur_w = a, b, face.advance(piece) * k
    if cur_start is not None:
        emit(cur_start, cur_end)
    return lines


def _hard_split(face: Face, size: float, text: str, a: int, b: int, width: float) -> list[tuple[int, int]]:
    """Cut text[a:b] (one unbreakable word) between clusters so each part fits."""
    k = size / 1000.0
    word = text[a:b].rstrip()
    cuts = [0] + cluster_positions(word) + [len(word)]
    parts: list[tuple[int, int]] = []
    start = 0
    last_ok = None
    for c in cuts[1:]:
        if face.advance(word[start:c]) * k <= width or last_ok is None:
            last_ok = c
            if c == len(word):
                parts.append((a + start, a + c))
            continue
        parts.append((a + start, a + last_ok))
        start = last_ok
        last_ok = c
        if c == len(word):
            parts.append((a + start, a + c))
    return parts


_ESCAPED = [chr(b) if 32 <= b < 127 and chr(b) not in "()\\" else "\\%03o" % b for b in range(256)]


class TextWriter:
    """Writes shaped lines onto a ReportLab canvas (one per document: subset codes are per document)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.doc = canvas._doc
        self._cache: dict[tuple, str] = {}

    def draw(self, face: Face, size: float, x: float, y: float, text: str) -> None:
        """Draw ``text`` (one line) with its baseline starting at (x, y)."""
        if not text:
            return
        key = (face.rl_name, size, text)
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = self._body(face, size, text)
        actual = "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
        self.canvas._code.append(
            f"/Span <</ActualText {actual}>> BDC BT 1 0 0 1 {num(x)} {num(y)} Tm {body} ET EMC")

    def draw_lines(self, face: Face, size: float, x: float, y: float, lines: list[str], leading: float,
                   align: str = "left", width: float = 0.0) -> None:
        for i, t in enumerate(lines):
            dx = 0.0
            if align != "left" and width:
                w = text_width(face, size, t)
                dx = (width - w) / 2 if align == "center" else (width - w)
            self.draw(face, size, x + dx, y - i * leading, t)

    def _body(self, face: Face, size: float, text: str) -> str:
        """The text-object operators placing each shaped glyph where HarfBuzz put it:
        ``TJ`` numbers move x to the glyph's pen position + x offset, ``Ts`` sets its y offset."""
        shaped = face.shape(text)
        glyphs = shaped.glyphs
        codes = [face.char_for_glyph(g[0]) for g in glyphs]
        ttf = face.ttf
        segs = ttf.splitString("".join(map(chr, codes)), self.doc)
        k = size / 1000.0
        widths = face.widths
        ops: list[str] = []
        pen = cur_x = rise = 0.0
        gi = 0
        tj: list[str] = []
        run: list[str] = []

        def flush_run():
            if run:
                tj.append("(" + "".join(run) + ")")
                run.clear()

        def flush():
            flush_run()
            if tj:
                ops.append("[" + " ".join(tj) + "] TJ")
                tj.clear()

        fnum = num
        run_append = run.append
        escaped = _ESCAPED
        inv = 1000.0 / size
        for subset, chunk in segs:
            flush()
            ops.append(f"{ttf.getSubsetInternalName(subset, self.doc)} {fnum(size)} Tf")
            for byte in chunk:
                gid, _cl, xadv, xoff, yoff = glyphs[gi]
                code = codes[gi]
                gi += 1
                gx = pen + xoff * k
                if yoff or rise:
                    gy = yoff * k
                    if gy != rise:
                        flush()
                        ops.append(f"{fnum(gy)} Ts")
                        rise = gy
                adj = (cur_x - gx) * inv
                if adj > 0.01 or adj < -0.01:
                    flush_run()
                    tj.append(fnum(adj))
                run_append(escaped[byte])
                w = widths.get(code)
                if w is None:
                    w = widths[code] = face.pdf_width(code)
                cur_x = gx + w * k
                pen += xadv * k
        flush()
        if rise:
            ops.append("0 Ts")
        return " ".join(ops)
