"""Helpers for the printing tests: pdftotext/pdftoppm, and matching source texts against
extracted lines where a line may break only at a word boundary."""
from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

from pmqa_desktop.printing.thai_text_layout import break_positions, part_breaks


def pdf_streams(path: Path) -> list[bytes]:
    """Every stream of a PDF, decompressed where it is Flate data (compare pages' content, not bytes)."""
    data = path.read_bytes()
    out = []
    for m in re.finditer(rb"(?<!end)stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        raw = data[m.end():end].rstrip(b"\r\n")
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def pdftotext(pdf: Path, *flags: str) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), "-"], check=True,
                         capture_output=True)
    return out.stdout.decode("utf-8")


def page_size(pdf: Path) -> tuple[int, int]:
    """Page 1's (width, height) in whole points, as pdfinfo reads them."""
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups()
    return round(float(w)), round(float(h))


def wrapped_pattern(text: str) -> re.Pattern:
    """A regex matching ``text`` as printed: a line break (\\n) may stand only at a break
    position, or between the parts of a word (a word wider than its cell); whitespace in the
    source may become spaces and/or a line break. (tests/test_print_linebreak.py checks that
    part breaks happen only in words wider than their cells.)"""
    cuts = [0] + sorted(set(break_positions(text)) | set(part_breaks(text))) + [len(text)]
    toks: list[str | None] = []          # None stands for whitespace
    for a, b in zip(cuts, cuts[1:]):
        for part in re.split(r"(\s+)", text[a:b]):
            if not part:
                continue
            tok = None if part.isspace() else re.escape(part)
            if tok is None and toks and toks[-1] is None:
                continue
            toks.append(tok)
    pat = ""
    for i, tok in enumerate(toks):
        if tok is None:
            pat += r"[ \n]+"
        else:
            if i and toks[i - 1] is not None:
                pat += r"\n?"
            pat += tok
    return re.compile(pat)


def found_wrapped(text: str, extracted: str) -> bool:
    text = re.sub(r"[ \t]+", " ", text.strip())
    if not text:
        return True
    return wrapped_pattern(text).search(extracted) is not None


def icu_module():
    """PyICU: from the venv, or Debian's python3-icu (scripts/test.sh installs it) when the
    venv has none. Only its own package is taken from dist-packages."""
    try:
        import icu
        return icu
    except ImportError:
        pass
    import sys
    for folder in ("/usr/lib/python3/dist-packages",):
        if Path(folder, "icu").is_dir():
            sys.path.append(folder)
            try:
                import icu
                return icu
            except ImportError:
                return None
            finally:
                sys.path.remove(folder)
    return None


def icu_boundaries(icu, text: str) -> set[int]:
    """ICU's Thai word boundaries in ``text`` (offsets in characters; the text is BMP-only)."""
    bi = icu.BreakIterator.createWordInstance(icu.Locale("th"))
    bi.setText(text)
    return set(bi)


def line_starts(text: str, lines: list[str]) -> list[int]:
    """Offsets in ``text`` where each wrapped line after the first begins."""
    out, pos = [], 0
    for i, ln in enumerate(lines):
        if not ln:
            continue
        at = text.find(ln, pos)
        assert at >= 0, (text, lines)
        if pos:
            out.append(at)
        pos = at + len(ln)
    return out


def words_across(text: str, cut: int, words: list[str]) -> list[str]:
    """Words of ``words`` that occur in ``text`` across offset ``cut``."""
    hit = []
    for w in words:
        start = text.find(w)
        while start >= 0:
            if start < cut < start + len(w):
                hit.append(w)
            start = text.find(w, start + 1)
    return hit


def font_sizes(pdf: Path) -> list[float]:
    """Every font size set in the PDF's content streams (``/Font size Tf``), in points."""
    import zlib
    raw = Path(pdf).read_bytes()
    sizes = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            data = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        sizes += [float(x) for x in re.findall(rb"/\S+ ([\d.]+) Tf", data)]
    return sizes
