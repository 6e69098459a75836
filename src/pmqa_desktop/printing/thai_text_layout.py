"""Thai text for ReportLab: shaped, wrapped only between words, and copyable.

* Shaping: HarfBuzz (uharfbuzz) gives every glyph and its offset (tone marks lowered or
  shifted left over tall vowels, SARA AM decomposed, ...); ``draw_text`` writes exactly those
  positions into the PDF (``TJ`` adjustments for x, ``Ts`` rise for y).
* Wrapping: lines break only at ``break_positions`` (``core.thai_text.line_breaks``: Thai word
  boundaries from the program's own word list, the same on Windows, plus spaces, with UAX #14's
  punctuation rules). A word wider than the cell breaks between its parts (ผู้ว่าราชการ|จังหวัด);
  only a piece with no parts that is still wider is cut inside, and then only between grapheme
  clusters (never between a consonant and its marks).
* Copying: glyphs HarfBuzz substitutes (lowered tone marks, the NIKHAHIT of SARA AM, ...)
  have no Unicode value, so ReportLab gives them private-use codes and a PDF reader would
  extract garbage. Every line is therefore wrapped in a marked-content span carrying
  ``/ActualText`` with the line's real text, which viewers and pdftotext use for search
  and copy.
"""
from __future__ import annotations

import atexit
from codecs import utf_16_be_encode as _utf_16_be   # (str.encode looks the codec up at every call)
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str as _rl_fp_str

from ..core.thai_text import CLOSING, OPENING, line_breaks, wide_word_cuts, word_parts
from ..core.thai_text import words as thai_words
from . import fonts
from .fonts import Face

# Marks that belong to the character before them (never start a line).
_ATTACHED = set(chr(c) for c in (0x0E31, *range(0x0E33, 0x0E3B), *range(0x0E47, 0x0E4F)))
# Leading vowels written before their consonant (never end a line).
_LEADING = set("เแโใไ")


_NUMS: dict[float, str] = {}
_FP: dict[float, str] = {}


def fp_str(v: float) -> str:
    """ReportLab's ``fp_str`` for one number, cached (same text, without its slow Python loop)."""
    got = _FP.get(v)
    if got is None:
        if len(_FP) > 100000:
            _FP.clear()
        got = _FP[v] = _rl_fp_str(v)
    return got



def num(v: float) -> str:
    """A number for a PDF content stream (ReportLab's fp_str is slow without its C part).
    Cached: a form repeats the same few hundred coordinates thousands of times."""
    got = _NUMS.get(v)
    if got is not None:
        return got
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    s = "0" if s in ("", "-0") else s
    if len(_NUMS) > 100000:
        _NUMS.clear()
    _NUMS[v] = s
    return s


@lru_cache(maxsize=50000)
def _break_positions(text: str) -> tuple[int, ...]:
    return tuple(line_breaks(text))


def break_positions(text: str) -> list[int]:
    """Offsets where a printed line may break: ``core.thai_text.line_breaks`` (between Thai
    words and at spaces, UAX #14's punctuation rules applied; the screen uses the same)."""
    return list(_break_positions(text))


def part_cuts(face: Face, piece: str, width_em: float) -> list[int]:
    """Offsets inside ``piece`` (one unbreakable piece) where it may break because a word in it
    is wider than ``width_em`` (1/1000 em): between the word's parts (ผู้ว่าราชการ|จังหวัด), and
    inside a part only if that part is still too wide (``core.thai_text.wide_word_cuts``, which
    the screen grids use too)."""
    return wide_word_cuts(piece, lambda w: face.advance(w) > width_em)


def part_breaks(text: str) -> list[int]:
    """Every offset between the parts of a word of ``text`` (all levels): where a line may break
    when a word is wider than its cell, besides ``break_positions``."""
    out: list[int] = []
    pos = 0
    for w in thai_words(text):
        stack = [(pos, w)]
        while stack:
            at, word = stack.pop()
            parts = word_parts(word)
            for p in parts:
                if at != pos or p is not parts[0]:
                    out.append(at)
                stack.append((at, p))
                at += len(p)
        pos += len(w)
    return sorted(set(x for x in out if 0 < x < len(text)))


def cluster_positions(text: str) -> list[int]:
    """Offsets between grapheme clusters: the last resort for a piece wider than its cell
    (a closing mark still never starts a line, an opening one never ends one)."""
    return [i for i in range(1, len(text)) if text[i] not in _ATTACHED and text[i - 1] not in _LEADING
            and text[i] not in CLOSING and text[i - 1] not in OPENING]


class Line:
    """One wrapped line: its text, the offset of its first character in the source paragraph,
    and its width in points (measured on first use: most lines are only drawn, and drawing
    shapes them anyway)."""

    __slots__ = ("text", "start", "_width", "_face", "_k")

    def __init__(self, text: str, start: int, width: float | None = None, face: Face | None = None,
                 k: float = 0.0):
        self.text = text
        self.start = start
        self._width = width
        self._face = face
        self._k = k

    @property
    def width(self) -> float:
        if self._width is None:
            self._width = self._face.advance(self.text) * self._k
        return self._width

    def __repr__(self) -> str:
        return f"Line({self.text!r}, {self.start}, {self.width})"


def text_width(face: Face, size: float, text: str) -> float:
    return face.advance(text) * size / 1000.0


def longest_word_width(face: Face, text: str) -> float:
    """Advance of the widest piece of ``text`` that cannot be broken even between the parts
    of a word (ผู้ว่าราชการจังหวัด counts as its widest part), in 1/1000 em: what a cell must
    be set small enough for before a word is cut."""
    widest = 0.0
    known = face.leaf_widths
    it = iter(_pieces(face, text))
    for a, b, blank, pw, _f, _s in zip(it, it, it, it, it, it):
        if blank or pw <= widest:
            continue
        piece = text[a:b].rstrip()
        got = known.get(piece)
        if got is None:
            cuts = part_cuts(face, piece, 0.0)
            got = max(face.advance(piece[x:y]) for x, y in zip([0] + cuts, cuts + [len(piece)])) if cuts else pw
            if len(known) > 200000:
                known.clear()
            known[piece] = got
        widest = max(widest, got)
    return widest


# A part of a word is never this much wider than the whole word (only the kerning at its edges
# differs): a text whose every piece, times this, fits its cell has no part to set smaller for
PART_MARGIN = 2.0


def words_surely_fit(face: Face, text: str, width_em: float) -> bool:
    """True when ``longest_word_width(face, text)`` is certainly no more than ``width_em``
    (1/1000 em): every unbreakable piece of ``text``, measured for wrapping anyway, is at most
    1 / ``PART_MARGIN`` of that. Spares cutting every word into its parts and measuring them
    only to learn that the cell's size can stay."""
    return max(_pieces(face, text)[3::6], default=0.0) * PART_MARGIN <= width_em


# A row whose words, measured apart, are this much wider than its cell does not fit on one line:
# joining them can change the width only by the kerning between neighbouring words
SURELY_WIDER = 1.25


def surely_wider(face: Face, text: str, width_em: float) -> bool:
    """True when ``text`` (one paragraph) certainly does not fit ``width_em`` (1/1000 em) on one
    line: its pieces, measured for wrapping anyway, add up to ``SURELY_WIDER`` times that. Spares
    shaping a long row as a whole only to learn that it must be wrapped."""
    return sum(_pieces(face, text)[4::6]) > SURELY_WIDER * width_em


@lru_cache(maxsize=4096)
def _pieces(face: Face, text: str) -> tuple:
    """The unbreakable pieces of ``text`` between its break positions, measured once for both
    ``longest_word_width`` and wrapping: for each piece in turn, six values in one flat tuple
    (start, end, blank, advance without trailing spaces (0 when blank), advance as is, advance
    stripped; advances in 1/1000 em). Flat, not a tuple per piece: the cycle collector examined
    each of the large calendar's ~60,000 piece tuples once the form was printed."""
    cuts = [0] + list(_break_positions(text)) + [len(text)]
    known = face.piece_metrics
    out: list = []
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b]
        m = known.get(piece)
        if m is None:
            if len(known) > 200000:
                known.clear()
            m = known[piece] = _piece_metrics(face, piece)
        out += (a, b)
        out += m
    return tuple(out)


def _piece_metrics(face: Face, piece: str) -> tuple[bool, float, float, float]:
    """(blank, advance without trailing spaces (0 when blank), advance as is, advance stripped)."""
    adv = face.advance
    stripped = piece.strip()
    ws = adv(stripped)
    if not stripped:
        return (True, 0.0, adv(piece), ws)
    r = piece.rstrip()
    wr = ws if r == stripped else adv(r)
    return (False, wr, wr if r == piece else adv(piece), ws)


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
    if not surely_wider(face, text, width / k):
        full = face.advance(text) * k
        if full <= width:
            s = len(text) - len(text.lstrip())
            t = text.strip()
            return [Line(t, base + s, full if t == text else None, face, k)]
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
            lines.append(Line(t, base + a + lead, None, face, k))

    limit = width + 0.01
    it = iter(_pieces(face, text))
    for a, b, blank, pw_em, full_em, _ws in zip(it, it, it, it, it, it):
        pw = pw_em * k
        if pw <= width or blank:   # (most pieces: one that fits a line)
            if cur_start is not None:
                if cur_w + pw <= limit:
                    cur_end = b
                    cur_w += full_em * k
                    continue
                emit(cur_start, cur_end)
                cur_start = None
            if not blank:   # a new line starts here (blanks at the start of a line are dropped)
                cur_start, cur_end, cur_w = a, b, full_em * k
            continue
        # a word wider than the line: its parts become pieces of their own
        for a, b, pw, full in _sub_pieces(face, text, a, b, k, width):
            if cur_start is not None:
                if cur_w + pw <= limit:
                    cur_end = b
                    cur_w += full
                    continue
                emit(cur_start, cur_end)
                cur_start = None
            if pw > limit:
                for ha, hb_ in _hard_split(face, size, text, a, b, width):
                    emit(ha, hb_)
                continue
            cur_start, cur_end, cur_w = a, b, full
    if cur_start is not None:
        emit(cur_start, cur_end)
    return lines


def _sub_pieces(face: Face, text: str, a: int, b: int, k: float, width: float) -> list[tuple[int, int, float, float]]:
    """text[a:b] cut between the parts of its words wider than ``width`` points: per part
    (start, end, width without trailing spaces, width as is), in points (``k`` = size / 1000)."""
    piece = text[a:b]
    cuts = part_cuts(face, piece.rstrip(), width / k)
    adv = face.advance
    out = []
    for x, y in zip([0] + cuts, cuts + [len(piece)]):
        part = piece[x:y]
        out.append((a + x, a + y, adv(part.rstrip()) * k, adv(part) * k))
    return out


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
        self._cache: dict[tuple, tuple[str, str]] = {}
        # per face: glyph id -> (subset, the glyph's byte as written in a PDF string, /Widths entry)
        self._glyphs: dict[str, dict[int, tuple[int, str, float]]] = {}
        self._tf: dict[tuple, str] = {}   # (face, subset, size) -> its "Tf" operator
        self._tokens: dict[tuple, dict] = {}   # (face, size) -> glyph token -> its entry (_add_tokens)
        self._plain: dict[tuple, dict] = {}    # (face, size, subset) -> plain glyph token -> its byte
        self.missing: set[str] = set()    # characters the font has no glyph for (left out, reported)

    def draw(self, face: Face, size: float, x: float, y: float, text: str) -> None:
        """Draw ``text`` (one line) with its baseline starting at (x, y)."""
        if not text:
            return
        key = (face.rl_name, size, text)
        got = self._cache.get(key)
        if got is None:
            actual = "<FEFF" + _utf_16_be(text)[0].hex().upper() + ">"
            got = self._cache[key] = (f"/Span <</ActualText {actual}>> BDC BT 1 0 0 1 ",
                                      f" Tm {self._body(face, size, text)} ET EMC")
        self.canvas._code.append(got[0] + (_NUMS.get(x) or num(x)) + " " + (_NUMS.get(y) or num(y)) + got[1])

    def draw_lines(self, face: Face, size: float, x: float, y: float, lines: list[str], leading: float,
                   align: str = "left", width: float = 0.0) -> None:
        for i, t in enumerate(lines):
            dx = 0.0
            if align != "left" and width:
                w = face.drawn_advance(t) * size / 1000.0
                dx = (width - w) / 2 if align == "center" else (width - w)
            self.draw(face, size, x + dx, y - i * leading, t)

    def _glyph_table(self, face: Face, size: float, gids: list[int]) -> dict[int, tuple[int, str, float]]:
        """Per glyph at this size: its subset, its byte as written in a PDF string and its /Widths
        advance in points. New glyphs join the document's subsets in the order they first appear,
        as drawing them one line at a time would."""
        table = self._glyphs.get((face.rl_name, size))
        if table is None:
            table = self._glyphs[(face.rl_name, size)] = {}
        if table.keys() >= set(gids):   # (most lines: every glyph seen before)
            return table
        new = [g for g in gids if g not in table]
        if new:
            base = self._glyphs.get(face.rl_name)
            if base is None:
                base = self._glyphs[face.rl_name] = {}
            todo = [g for g in new if g not in base]
            if todo:
                codes = [face.char_for_glyph(g) for g in todo]
                i = 0
                widths = face.widths
                for subset, chunk in face.ttf.splitString("".join(map(chr, codes)), self.doc):
                    for byte in chunk:
                        code = codes[i]
                        w = widths.get(code)
                        if w is None:
                            w = widths[code] = face.pdf_width(code)
                        base[todo[i]] = (subset, _ESCAPED[byte], w)
                        i += 1
            k = size / 1000.0
            for g in new:
                subset, esc, w = base[g]
                table[g] = (subset, esc, w * k)
        return table

    def _tf_op(self, face: Face, subset: int, size: float) -> str:
        key = (face.rl_name, subset, size)
        op = self._tf.get(key)
        if op is None:
            op = self._tf[key] = f"{face.ttf.getSubsetInternalName(subset, self.doc)} {num(size)} Tf"
        return op

    def _add_tokens(self, face: Face, size: float, tokens: list[str], known: dict) -> None:
        """File the glyphs of a line's ``tokens`` not seen before at this size: (glyph id, subset,
        byte as written, /Widths advance in points, x offset, y offset, x advance in 1/1000 em);
        and those that stand where the pen is and move it by their /Widths advance in the
        subset's table of plain glyphs."""
        gids = [face.token_glyph(t)[0] for t in tokens]
        table = self._glyph_table(face, size, [g for g in gids if g])
        k = size / 1000.0
        for t in tokens:
            if t in known:
                continue
            gid, xo, yo, xa = face.token_glyph(t)
            if not gid:
                known[t] = (0, None, "", 0.0, xo, yo, xa)
                continue
            subset, esc, wk = table[gid]
            known[t] = (gid, subset, esc, wk, xo, yo, xa)
            if not xo and not yo and xa * k == wk:
                plain = self._plain.get((face.rl_name, size, subset))
                if plain is None:
                    plain = self._plain[(face.rl_name, size, subset)] = {}
                plain[t] = esc

    def _body(self, face: Face, size: float, text: str) -> str:
        """The text-object operators placing each shaped glyph where HarfBuzz put it:
        ``TJ`` numbers move x to the glyph's pen position + x offset, ``Ts`` sets its y offset.
        A line whose glyphs all stand where the pen is, each moving it by its /Widths advance,
        and in one subset (most lines) needs none of them: its bytes are joined in one go."""
        tokens = face.glyph_tokens(text)
        if not tokens:
            return ""
        key = (face.rl_name, size)
        known = self._tokens.get(key)
        if known is None:
            known = self._tokens[key] = {}
        if not known.keys() >= set(tokens):   # (most lines: every glyph seen before)
            self._add_tokens(face, size, tokens, known)
        subset = known[tokens[0]][1]
        plain = self._plain.get((face.rl_name, size, subset))
        if plain is not None:
            try:
                return self._tf_op(face, subset, size) + " [(" + "".join(map(plain.__getitem__, tokens)) + ")] TJ"
            except KeyError:   # a glyph moved, kerned, in another subset or missing: placed one by one
                pass
        k = size / 1000.0
        inv = 1000.0 / size
        fnum = num
        ops: list[str] = []
        tj: list[str] = []
        run: list[str] = []
        pen = cur_x = rise = 0.0
        cur_subset = -1
        notdef = False
        for gid, subset, esc, wk, xo, yo, xa in map(known.__getitem__, tokens):
            if not gid:
                notdef = True
                pen += xa * k
                continue
            if subset != cur_subset:
                if run:
                    tj.append("(" + "".join(run) + ")")
                    run = []
                if tj:
                    ops.append("[" + " ".join(tj) + "] TJ")
                    tj = []
                ops.append(self._tf_op(face, subset, size))
                cur_subset = subset
            gx = pen + xo * k if xo else pen
            if yo or rise:
                gy = yo * k
                if gy != rise:
                    if run:
                        tj.append("(" + "".join(run) + ")")
                        run = []
                    if tj:
                        ops.append("[" + " ".join(tj) + "] TJ")
                        tj = []
                    ops.append(f"{fnum(gy)} Ts")
                    rise = gy
            if cur_x != gx:
                adj = (cur_x - gx) * inv
                if adj > 0.01 or adj < -0.01:
                    if run:
                        tj.append("(" + "".join(run) + ")")
                        run = []
                    tj.append(fnum(adj))
            run.append(esc)
            cur_x = gx + wk
            pen += xa * k
        if notdef:   # .notdef: a character the font cannot draw prints as nothing, and is reported
            self.missing.update(face.missing_chars(text))
        if run:
            tj.append("(" + "".join(run) + ")")
        if tj:
            ops.append("[" + " ".join(tj) + "] TJ")
        if rise:
            ops.append("0 Ts")
        return " ".join(ops)


def free_caches() -> None:
    """Empty the print's caches: shaped texts, measures, break positions (registered to run at
    the program's exit: emptied here they go in ~15 ms; the interpreter's teardown took ~40 ms
    more to take them apart after a large print)."""
    for font in list(fonts._fonts.values()):
        for face in font.faces.values():
            face.free_caches()
    _pieces.cache_clear()
    _break_positions.cache_clear()
    _NUMS.clear()
    _FP.clear()


atexit.register(free_caches)
