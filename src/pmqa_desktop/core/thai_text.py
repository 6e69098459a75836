"""Thai word boundaries, found by the program itself.

Qt finds Thai word breaks only through libthai (absent on Windows) and ReportLab not at all,
so the screen and the printer both ask this module. It uses PyThaiNLP's dictionary-based
maximal matching ("newmm"), which is pure Python and behaves the same on every system.
"""
from __future__ import annotations

import re
from functools import lru_cache

ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize
    return word_tokenize


@lru_cache(maxsize=20000)
def _segment_run(run: str) -> tuple[str, ...]:
    try:
        return tuple(_tokenizer()(run, engine="newmm", keep_whitespace=True))
    except Exception:  # a dictionary problem must not lose text: fall back to one piece
        return (run,)


def words(text: str) -> list[str]:
    """Split into pieces that may not be broken: Thai words, and everything else as it stands."""
    out: list[str] = []
    pos = 0
    for m in _THAI_RUN.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.extend(_segment_run(m.group()))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return [w for w in out if w]


def break_opportunities(text: str) -> list[int]:
    """Offsets in ``text`` where a line may break (between Thai words, and at spaces)."""
    offs, pos = [], 0
    for w in words(text):
        pos += len(w)
        offs.append(pos)
    return offs[:-1]


def with_zwsp(text: str) -> str:
    """Text with zero-width spaces between Thai words, so Qt can wrap it without libthai.

    Only for display; stored and copied text never carries them.
    """
    if not _THAI_RUN.search(text):
        return text
    pieces = words(text)
    out = [pieces[0]] if pieces else []
    for prev, cur in zip(pieces, pieces[1:]):
        if _THAI_RUN.match(prev[-1:] or " ") and _THAI_RUN.match(cur[:1] or " "):
            out.append(ZWSP)
        out.append(cur)
    return "".join(out)


def strip_zwsp(text: str) -> str:
    return text.replace(ZWSP, "")
