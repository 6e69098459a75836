"""Thai word boundaries, found by the program itself.

Qt finds Thai word breaks only through libthai (absent on Windows) and ReportLab not at all,
so the screen and the printer both ask this module, and it behaves the same on every system.

It is dictionary-based maximal matching, the method of PyThaiNLP's "newmm": a Thai run is cut
into the fewest dictionary words, never inside a character cluster (a consonant with its
vowels and tone marks), and what no word covers is kept as small unknown pieces. The word
list is PyThaiNLP's (about 62,000 words), read straight from its data file: building
PyThaiNLP's own trie costs about a second at every start, a Python set a few milliseconds.
"""
from __future__ import annotations

import importlib.util
import re
import threading
from functools import lru_cache
from pathlib import Path

ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")

# No break before these: above/below vowels, tone marks and following vowels
_NO_BREAK_BEFORE = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                       "\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# ๆ and ฯ are words of their own, but never start a line: they go with the word before
_ATTACH_BACK = ("\u0e46", "\u0e2f")
# No break after these: the leading vowels เ แ โ ใ ไ
_NO_BREAK_AFTER = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
MAX_WORD = 32

_words: frozenset[str] | None = None
_load_lock = threading.Lock()


def _word_file() -> Path | None:
    spec = importlib.util.find_spec("pythainlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "corpus" / "words_th.txt"
    return path if path.exists() else None


def dictionary() -> frozenset[str]:
    """The word list (loaded once, on first use; safe to call from a background thread)."""
    global _words
    if _words is None:
        with _load_lock:
            if _words is None:
                path = _word_file()
                words: set[str] = set()
                if path is not None:
                    with open(path, encoding="utf-8") as fh:
                        words = {w.strip() for w in fh if w.strip()}
                _words = frozenset(w for w in words if len(w) <= MAX_WORD)
    return _words


def _cluster_starts(run: str) -> list[int]:
    """Offsets where a character cluster starts (the only places a Thai word may start)."""
    starts = [0]
    for i in range(1, len(run)):
        if run[i] in _NO_BREAK_BEFORE or run[i - 1] in _NO_BREAK_AFTER:
            continue
        starts.append(i)
    return starts


@lru_cache(maxsize=20000)
def _segment_run(run: str) -> tuple[str, ...]:
    """Fewest pieces, preferring dictionary words; unknown text in the smallest clusters."""
    words = dictionary()
    ends = _cluster_starts(run) + [len(run)]
    # best[k] = (unknown characters, pieces) for run[:ends[k]]; back[k] = index of the piece's start
    best: list[tuple[int, int] | None] = [None] * len(ends)
    back = [0] * len(ends)
    best[0] = (0, 0)
    lo = 0
    for k in range(1, len(ends)):
        i = ends[k]
        while i - ends[lo] > MAX_WORD:
            lo += 1
        cand = None
        for m in range(max(lo, 0), k):
            prev = best[m]
            if prev is None:
                continue
            j = ends[m]
            if run[j:i] in words:
                score = (prev[0], prev[1] + 1)
            elif m == k - 1:   # one cluster no word covers
                score = (prev[0] + (i - j), prev[1] + 1)
            else:
                continue
            if cand is None or score < cand:
                cand, back[k] = score, m
        best[k] = cand
    if best[-1] is None:
        return (run,)
    out = []
    k = len(ends) - 1
    while k > 0:
        m = back[k]
        out.append(run[ends[m]:ends[k]])
        k = m
    out.reverse()
    return tuple(_merge_unknown(out, words))


def _merge_unknown(pieces: list[str], words: frozenset[str]) -> list[str]:
    """Join neighbouring unknown clusters into one piece (a name, a misspelling)."""
    out: list[str] = []
    for p in pieces:
        if out and (p in _ATTACH_BACK or (p not in words and out[-1] not in words
                                          and out[-1] not in _ATTACH_BACK)):
            out[-1] += p
        else:
            out.append(p)
    return out


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
    """Offsets in ``text`` where a line may break between Thai words (spaces are the caller's)."""
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
