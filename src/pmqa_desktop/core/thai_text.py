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

PREFIX = 3   # the longest word starting with each 3-letter prefix bounds the search from a start

_words: frozenset[str] | None = None
_longest: dict[str, int] = {}
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
                kept = frozenset(w for w in words if len(w) <= MAX_WORD)
                longest: dict[str, int] = {}
                for w in kept:
                    if len(w) > longest.get(w[:PREFIX], 0):
                        longest[w[:PREFIX]] = len(w)
                _longest.update(longest)
                _words = kept
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
    longest = _longest
    ends = _cluster_starts(run) + [len(run)]
    n = len(ends)
    # For run[:ends[k]]: unknown[k] characters no word covers, pieces[k] pieces (fewest unknown
    # characters first, then fewest pieces), back[k] the index where its last piece starts.
    # Pieces are followed forward from each start, only as far as the longest word that begins
    # with the start's first letters (ties go to the earliest start, as before).
    reached = [False] * n
    unknown = [0] * n
    pieces = [0] * n
    back = [0] * n
    reached[0] = True
    for m in range(n - 1):
        if not reached[m]:
            continue
        j, u, p = ends[m], unknown[m], pieces[m] + 1
        i = ends[m + 1]
        if i - j <= MAX_WORD:   # one cluster: a word, or unknown
            uu = u if run[j:i] in words else u + (i - j)
            if not reached[m + 1] or uu < unknown[m + 1] or (uu == unknown[m + 1] and p < pieces[m + 1]):
                reached[m + 1], unknown[m + 1], pieces[m + 1], back[m + 1] = True, uu, p, m
        limit = j + max(PREFIX - 1, longest.get(run[j:j + PREFIX], 0))
        for k in range(m + 2, n):
            i = ends[k]
            if i > limit:
                break
            if run[j:i] in words and (not reached[k] or u < unknown[k] or (u == unknown[k] and p < pieces[k])):
                reached[k], unknown[k], pieces[k], back[k] = True, u, p, m
    if not reached[-1]:
        return (run,)
    out = []
    k = n - 1
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
    # pieces of one Thai run are Thai on both sides of every break; runs are never adjacent
    return _THAI_RUN.sub(_run_with_zwsp, text)


def _run_with_zwsp(m: re.Match) -> str:
    return ZWSP.join(_segment_run(m.group()))


def strip_zwsp(text: str) -> str:
    return text.replace(ZWSP, "")
