"""Fonts for printed forms: TH Sarabun New / TH SarabunPSK when the PC has them, else the
bundled TLWG Laksaman (GPL with font exception, see ``data/fonts/``).

Size. Official forms are set in TH Sarabun New 16 pt, a face drawn small for its point
size. Laksaman (derived from the same SIPA design) is drawn about 1.5 times larger: its Thai
consonant ก stands 0.602 em tall where TH Sarabun New's stands about 0.40 em. Every size
in this package is a *nominal* TH Sarabun size; the face in use is set at
``nominal * face.scale`` so that "16 pt" looks the same whichever font prints:

    scale = SARABUN_KO_HEIGHT / height of ก in the face     (Laksaman: 0.400 / 0.602 = 0.664)

TH Sarabun itself gets scale 1.0. The figure is measured from the font file at run time, so
another font of the same design is sized right too.
"""
from __future__ import annotations

import os
import re
import sys
import threading
from array import array
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..core.errors import UserError
from ..i18n import _
from ..resources import resources_dir

# Height of ก in TH Sarabun New, in em (the reference all nominal sizes are given in).
SARABUN_KO_HEIGHT = 0.400

FONT_CHOICES = ("auto", "sarabun", "laksaman")

# File names as Windows and the SIPA packages install them.
_SARABUN_NAMES = {
    False: ("THSarabunNew.ttf", "THSarabun.ttf", "THSarabunPSK.ttf", "TH Sarabun New.ttf", "THSarabunIT๙.ttf"),
    True: ("THSarabunNew Bold.ttf", "THSarabunNew-Bold.ttf", "THSarabun Bold.ttf", "THSarabunPSK-Bold.ttf",
           "THSarabun-Bold.ttf", "TH Sarabun New Bold.ttf"),
}
_BUNDLED = {False: "Laksaman.ttf", True: "Laksaman-Bold.ttf"}

_lock = threading.RLock()


def font_dirs() -> list[Path]:
    """Folders where installed fonts may be, most specific first."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path.home() / "Library" / "Fonts", Path("/Library/Fonts")]
    dirs += [Path.home() / ".fonts", Path.home() / ".local" / "share" / "fonts",
             Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return dirs


@lru_cache(maxsize=1)
def find_sarabun() -> dict[bool, Path] | None:
    """TH Sarabun New (or PSK) regular and bold, when installed; None otherwise."""
    wanted = {n.lower(): bold for bold, names in _SARABUN_NAMES.items() for n in names}
    found: dict[bool, Path] = {}
    for d in font_dirs():
        if not d.is_dir():
            continue
        for root, _dirs, files in os.walk(d):
            for f in files:
                bold = wanted.get(f.lower())
                if bold is not None and bold not in found:
                    found[bold] = Path(root) / f
            if False in found and True in found:
                break
        if False in found:
            break
    if False not in found:
        return None
    found.setdefault(True, found[False])
    return found


def bundled_font_paths() -> dict[bool, Path]:
    base = resources_dir() / "fonts"
    return {bold: base / name for bold, name in _BUNDLED.items()}


class Glyph(NamedTuple):
    """Field names of the glyph tuples in ``Shaped.glyphs``."""
    gid: int
    cluster: int
    x_advance: float   # 1/1000 em
    x_offset: float
    y_offset: float


class Shaped:
    """A shaped text: ``advance`` in 1/1000 em and ``glyphs`` as ``Glyph``-shaped tuples
    (gid, cluster, x_advance, x_offset, y_offset), 1/1000 em.

    Kept as HarfBuzz wrote it out (``tokens``, one string a glyph, see ``Face.glyph_tokens``):
    drawing needs nothing more, and reading the glyphs as Python objects cost more than shaping
    them. ``gids`` and ``pos`` (HarfBuzz's x_offset, y_offset, x_advance, y_advance of every
    glyph in turn, in font units, in one flat array; ``scale`` = 1000 / units per em) and the
    scaled ``glyphs`` are made on demand. No tuple or int per glyph is kept: a form's shaped
    texts stay cached, and Python's cycle collector examined each of those objects once the print
    was over (60 ms after the large calendar), and freeing the million ints at the program's exit
    took ~0.1 s."""

    __slots__ = ("tokens", "scale", "_advance", "_glyphs", "_face", "_text")

    def __init__(self, tokens: list[str], face: "Face | None" = None, text: str = ""):
        self.tokens = tokens
        self.scale = face._k if face is not None else 1.0
        self._advance: float | None = None
        self._glyphs: tuple | None = None
        self._face = face
        self._text = text

    @property
    def gids(self) -> "array[int]":
        raw = self._face.token_raw if self.tokens else None
        return array("I", [raw(t)[0] for t in self.tokens])

    @property
    def pos(self) -> "array[int]":
        raw = self._face.token_raw if self.tokens else None
        return array("i", [v for t in self.tokens for v in raw(t)[1:]])

    @property
    def advance(self) -> float:
        if self._advance is None:
            glyph = self._face.token_glyph if self.tokens else None
            # (the same sum, in the same order, as of the scaled x advances)
            self._advance = float(sum([glyph(t)[3] for t in self.tokens]))
        return self._advance

    @property
    def glyphs(self) -> tuple[Glyph, ...]:
        if self._glyphs is None:
            k = self.scale
            clusters = self._face._clusters(self._text) if self._face is not None else []
            it = iter(self.pos)
            self._glyphs = tuple((g, c, xa * k, xo * k, yo * k)
                                 for g, c, xo, yo, xa, _ya in zip(self.gids, clusters, it, it, it, it))
        return self._glyphs


_EMPTY = Shaped([])
_SERIALIZE = hb.BufferSerializeFlags.NO_GLYPH_NAMES | hb.BufferSerializeFlags.NO_CLUSTERS
# one glyph as HarfBuzz writes it out (font units): id, offsets when not zero, advances
_TOKEN = re.compile(r"(\d+)(?:@(-?\d+),(-?\d+))?\+(-?\d+)(?:,(-?\d+))?")


def _tokens(buf: hb.Buffer, font: hb.Font) -> list[str]:
    """The shaped glyphs of ``buf`` as HarfBuzz writes them out, one string a glyph."""
    return buf.serialize(font, flags=_SERIALIZE)[1:-1].split("|")


class Face:
    """One font file: registered with ReportLab for embedding, shaped with uharfbuzz."""

    def __init__(self, rl_name: str, path: Path):
        self.rl_name = rl_name
        self.path = path
        # (not getFont: for an unknown name it first searches every Type 1 font file on the disk)
        if rl_name not in pdfmetrics._fonts:
            pdfmetrics.registerFont(TTFont(rl_name, str(path)))
        self.ttf: TTFont = pdfmetrics.getFont(rl_name)
        self.ttf.hbFont(10)  # installs ReportLab's private-code allocator for unmapped glyphs
        self.hb_face = self.ttf.hbFace
        self.hb_font = hb.Font(self.hb_face)
        self.upem = self.hb_face.upem
        self._k = 1000.0 / self.upem
        self._shape_cache: dict[str, Shaped] = {}
        self._advance_cache: dict[str, float] = {}
        # unbreakable piece of a line -> its measures (see thai_text_layout._pieces)
        self.piece_metrics: dict[str, tuple[bool, float, float, float]] = {}
        self.leaf_widths: dict[str, float] = {}   # piece -> advance of its widest part (1/1000 em)
        self._glyph_char: dict[int, int] = {}
        self._token_glyphs: dict[str, tuple] = {}   # see token_glyph
        self._token_raws: dict[str, tuple] = {}     # see token_raw
        self.widths: dict[int, float] = {}   # code -> /Widths entry, filled as used
        self.ko_height = self._glyph_height("ก") or SARABUN_KO_HEIGHT
        self.ascent = self.ttf.face.ascent / 1000.0
        self.descent = -self.ttf.face.descent / 1000.0

    def free_caches(self) -> None:
        """Forget shaped texts and measures (they are made again when asked for)."""
        self._shape_cache.clear()
        self._advance_cache.clear()
        self.piece_metrics.clear()
        self.leaf_widths.clear()

    def _glyph_height(self, ch: str) -> float:
        buf = hb.Buffer()
        buf.add_str(ch)
        buf.guess_segment_properties()
        hb.shape(self.hb_font, buf, {})
        ext = self.hb_font.get_glyph_extents(buf.glyph_infos[0].codepoint)
        return (ext.y_bearing / self.upem) if ext else 0.0

    def shape(self, text: str) -> Shaped:
        """Glyphs and positions from HarfBuzz (cached per text)."""
        got = self._shape_cache.get(text)
        if got is not None:
            return got
        if not text:
            return _EMPTY
        buf = self._shaped_buffer(text)
        got = Shaped(_tokens(buf, self.hb_font), self, text)
        if len(self._shape_cache) > 50000:
            self._shape_cache.clear()
        self._shape_cache[text] = got
        return got

    def glyph_tokens(self, text: str) -> list[str]:
        """What drawing a line needs: its glyphs shaped, one string each as HarfBuzz writes them
        out (one call in C; reading them as Python objects cost more than shaping them):
        ``"id+x_advance"``, or ``"id@x_offset,y_offset+x_advance"`` for a glyph moved off its pen
        position, in font units (``token_glyph`` reads one). From the shape cache when the text was
        shaped before (a centred text, measured first); else shaped now and not kept: a line is
        drawn once per document."""
        sh = self._shape_cache.get(text)
        if sh is not None:
            return sh.tokens
        if not text:
            return []
        return _tokens(self._shaped_buffer(text), self.hb_font)

    def token_glyph(self, token: str) -> tuple:
        """A glyph of ``glyph_tokens``: (glyph id, x offset, y offset, x advance) in 1/1000 em."""
        got = self._token_glyphs.get(token)
        if got is None:
            gid, xo, yo, xa, _ya = self.token_raw(token)
            k = self._k
            got = self._token_glyphs[token] = (gid, xo, yo, xa) if k == 1.0 else (gid, xo * k, yo * k, xa * k)
        return got

    def token_raw(self, token: str) -> tuple:
        """A glyph of ``glyph_tokens`` as HarfBuzz gave it: (glyph id, x offset, y offset, x advance,
        y advance) in font units."""
        got = self._token_raws.get(token)
        if got is None:
            gid, xo, yo, xa, ya = _TOKEN.fullmatch(token).groups()
            got = self._token_raws[token] = (int(gid), int(xo or 0), int(yo or 0), int(xa), int(ya or 0))
        return got

    def _shaped_buffer(self, text: str) -> hb.Buffer:
        buf = hb.Buffer()
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(self.hb_font, buf)   # (kerning and ligatures are HarfBuzz's defaults: asking for them
        #   again, as a features dict, cost a sixth of the shaping)
        return buf

    def _clusters(self, text: str) -> list[int]:
        return [i.cluster for i in self._shaped_buffer(text).glyph_infos]

    def advance(self, text: str) -> float:
        """Width of ``text`` shaped, in 1/1000 em (cached; what line breaking measures)."""
        got = self._advance_cache.get(text)
        if got is not None:
            return got
        sh = self._shape_cache.get(text)
        if sh is not None:
            got = sh.advance
        elif not text:
            got = 0.0
        else:
            buf = hb.Buffer()
            buf.add_str(text)
            buf.guess_segment_properties()
            hb.shape(self.hb_font, buf)
            got = sum([p.x_advance for p in buf.glyph_positions]) * 1000.0 / self.upem
        if len(self._advance_cache) > 200000:
            self._advance_cache.clear()
            self.piece_metrics.clear()
        self._advance_cache[text] = got
        return got

    def drawn_advance(self, text: str) -> float:
        """``advance`` of a text about to be drawn: shaped once for both (1/1000 em)."""
        got = self._advance_cache.get(text)
        if got is None:
            got = self._advance_cache[text] = self.shape(text).advance
        return got

    def char_for_glyph(self, gid: int) -> int:
        """The code ReportLab's subsetter knows this glyph by (a private one if unmapped)."""
        c = self._glyph_char.get(gid)
        if c is not None:
            return c
        with _lock:
            face = self.ttf.face
            chars = face.glyphToChar.get(gid)
            if chars:
                c = chars[0]
            else:
                name = self.hb_font.glyph_to_string(gid)
                adv = self.hb_font.get_glyph_h_advance(gid) * 1000.0 / self.upem
                c = self.ttf.hbAddPrivate(name, gid, adv)
            self._glyph_char[gid] = c
        return c

    def missing_chars(self, text: str) -> list[str]:
        """Characters of ``text`` this font has no glyph for (controls and spaces aside)."""
        return [ch for ch in dict.fromkeys(text)
                if ord(ch) >= 32 and not ch.isspace() and self.hb_font.get_nominal_glyph(ord(ch)) is None]

    def pdf_width(self, code: int) -> float:
        """Width ReportLab writes for this code in the font's /Widths (1/1000 em)."""
        return self.ttf.face.getCharWidth(code)


class ThaiFont:
    """A family (regular + bold) and the scale that makes its sizes TH Sarabun sizes."""

    def __init__(self, label: str, paths: dict[bool, Path], key: str, force_scale: float | None = None):
        self.label = label
        self.key = key
        self.faces = {bold: Face(f"PMQA-{key}-{'Bold' if bold else 'Regular'}", p) for bold, p in paths.items()}
        reg = self.faces[False]
        self.scale = force_scale if force_scale is not None else round(SARABUN_KO_HEIGHT / reg.ko_height, 4)

    def face(self, bold: bool = False) -> Face:
        return self.faces[bool(bold)]


_fonts: dict[str, ThaiFont] = {}


def get_font(choice: str = "auto") -> ThaiFont:
    """The font family for printing. ``choice``: 'auto' (TH Sarabun if installed, else the
    bundled Laksaman), 'sarabun' (must be installed) or 'laksaman' (bundled)."""
    choice = (choice or "auto").lower()
    if choice not in FONT_CHOICES:
        raise UserError(_("Unknown print font '{name}'; choose auto, sarabun or laksaman.").format(name=choice))
    with _lock:
        if choice in _fonts:
            return _fonts[choice]
        sarabun = find_sarabun() if choice in ("auto", "sarabun") else None
        if choice == "sarabun" and sarabun is None:
            raise UserError(_("TH Sarabun New is not installed on this computer; "
                              "install it or print with the bundled Laksaman font."))
        if sarabun:
            font = ThaiFont("TH Sarabun New", sarabun, "Sarabun", force_scale=1.0)
        else:
            paths = bundled_font_paths()
            if not paths[False].exists():
                raise UserError(_("The bundled print font is missing: {path}").format(path=paths[False]))
            if not paths[True].exists():
                paths[True] = paths[False]
            font = ThaiFont("Laksaman", paths, "Laksaman")
        _fonts[choice] = font
        return font
