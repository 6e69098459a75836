"""Thai word boundaries and line-break opportunities, found by the program itself.

Qt finds Thai word breaks only through libthai (absent on Windows) and ReportLab not at all,
so the screen and the printer both ask this module, and it behaves the same on every system.

Segmentation is dictionary-based maximal matching: a Thai run is cut into the fewest
dictionary words, never inside a character cluster (a consonant with its vowels and tone
marks); among cuttings with as many words, the one holding the longest word wins, then the one
whose first word is longest (ดำเนินการ|ตาม, not ดำเนิน|การตาม; แนวทาง|ใน, not แนว|ทางใน). What no word
covers is kept as one unknown piece (a name, a misspelling). Ties go to the cutting with the
longest word in it, then to the longest first word.

The word list is the program's own (``pmqa_desktop/data/words/words_th.txt``, built by
``scripts/build_wordlist.py`` from ICU's and the Royal Institute's dictionaries plus the
domain's words; see the LICENSE file beside it). A word that is wider than its cell is broken
between its parts (``word_parts``: ผู้ว่าราชการจังหวัด -> ผู้ว่าราชการ|จังหวัด) before anything else.

Line breaks (``line_breaks``) are word boundaries and spaces, minus what UAX #14 forbids for
punctuation: nothing closing (``) ] } ” ’ , . : ; ! ? % ๆ ฯ``, or a straight quote that
closes) starts a line, nothing opening (``( [ { “ ‘``, or a straight quote that opens) ends one,
and an abbreviation such as มี.ค. or 1.2 stays whole.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import threading
from array import array
from functools import lru_cache
from typing import Callable
import zlib

ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_SPACE_SPLIT = re.compile(r"(\s+)")

# No break before these: above/below vowels, tone marks and following vowels
_NO_BREAK_BEFORE = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                       "\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# ๆ and ฯ are words of their own, but never start a line: they go with the word before
_ATTACH_BACK = ("\u0e46", "\u0e2f")
# No break after these: the leading vowels เ แ โ ใ ไ
_NO_BREAK_AFTER = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
# a character that starts a cluster: none of the above before it, not itself a mark that follows
_CLUSTER_START = re.compile("(?<![\u0e40-\u0e44])[^\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
MAX_WORD = 32
PREFIX = 5   # the lengths of the words starting with each 5-letter prefix: the only pieces tried
#   from a start (5, not 3: a quarter less searching for 15 ms more loading; a table of every
#   word's beginnings searched a tenth less again but took 0.25 s to build, in the middle of the start)

# UAX #14 classes, the part forms need: CL/CP/EX/IS/NS/PO (never start a line), OP/PR (never end one)
CLOSING = set(")]}\u201d\u2019\u00bb.,:;!?%\u0e46\u0e2f")
OPENING = set("([{\u201c\u2018\u00ab")
QUOTES = set("\"'")

_words: frozenset[str] | None = None
# first PREFIX letters of the words -> the lengths of the words starting with them, as bits
# (bit L set: some word of L letters); a word shorter than PREFIX is its own key
_lengths: dict[str, int] = {}
_LONG_LENGTHS: dict[int, tuple[int, ...]] = {}   # such bits -> the lengths of PREFIX letters or more
_load_lock = threading.Lock()


def word_list_text() -> str:
    """The shipped word list (one word a line), from the package's data folder (found without
    importlib.resources wherever the package lies in a folder: its import cost the print's start
    ~20 ms; see ``resources.data_dir``)."""
    from ..resources import data_dir
    return (data_dir() / "words" / "words_th.txt").read_text(encoding="utf-8")


def dictionary() -> frozenset[str]:
    """The word list (loaded once, on first use; safe to call from a background thread)."""
    global _words
    if _words is None:
        with _load_lock:
            if _words is None:
                kept, lengths = _read_word_list()
                _lengths.update(lengths)
                _words = kept
    return _words


def _kept_words(text: str) -> frozenset[str]:
    """The words of ``text`` (one a line) that the search can use: no blank line, none too long."""
    return frozenset(w for w in text.split("\n") if w and len(w) <= MAX_WORD)


def _build_word_list(text: str) -> tuple[frozenset[str], dict[str, int], bool]:
    """The words of ``text`` (one a line), the lengths of the words under each prefix (``_lengths``),
    and whether the words are exactly the text's lines (no blank line, none too long)."""
    kept = _kept_words(text)
    lengths: dict[str, int] = {}
    get = lengths.get
    for w in kept:
        k = w[:PREFIX]
        lengths[k] = get(k, 0) | (1 << len(w))
    plain = kept == frozenset(text.rstrip("\n").split("\n"))
    return kept, lengths, plain


def _read_word_list() -> tuple[frozenset[str], dict[str, int]]:
    """The word list and its prefix table. Building the table costs ~35 ms of each print's start;
    it is kept in the user's cache folder (beside the compiled catalogs), named by the word list's
    checksum (each word list its own: checkouts with different lists do not throw each other's
    away), and read back as marshal data (~10 ms). The word list itself stays the package's text
    file; a missing or damaged cache is built again."""
    text = word_list_text()
    cached = None
    try:
        from ..paths import cache_dir
        key = "%08x-%d-%d-%d" % (zlib.crc32(text.encode("utf-8")), len(text), PREFIX, MAX_WORD)
        cached = cache_dir() / "words" / f"words_th-{key}-m{marshal.version}.bin"
        plain, lengths = marshal.loads(cached.read_bytes())
        if isinstance(lengths, dict) and plain in (True, False):
            kept = frozenset(text.rstrip("\n").split("\n")) if plain else _kept_words(text)
            return kept, lengths
    except Exception:   # no cache yet, or a damaged one: build it
        pass
    kept, lengths, plain = _build_word_list(text)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(cached.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((plain, lengths)))
            os.replace(tmp, cached)
        except OSError:
            pass   # no cache: built again next time
    return kept, lengths


def _cluster_starts(run: str) -> list[int]:
    """Offsets where a character cluster starts (the only places a Thai word may start)."""
    return [0] + [m.start() for m in _CLUSTER_START.finditer(run, 1)]


def _segment(run: str, words: frozenset[str], exclude: str = "", bounded: bool = True) -> list[tuple[str, bool]]:
    """(piece, known) for the run: fewest unknown characters, then fewest pieces, then the
    longest word anywhere in it (ตาม|ตัวชี้วัด|ผล, not ตามตัว|ชี้|วัดผล), then the longest first
    word. Worked from the end, so each position knows its best continuation."""
    if bounded and words is _words:
        return _segment_known(run, words, exclude)
    ends = _cluster_starts(run) + [len(run)]
    n = len(ends) - 1
    # best[k]: (unknown chars, pieces, -longest word, -len(first piece)) for run[ends[k]:];
    # nxt[k] the index where its second piece starts
    best: list[tuple | None] = [None] * (n + 1)
    nxt = [n] * (n + 1)
    best[n] = (0, 0, 0, 0)
    for k in range(n - 1, -1, -1):
        i = ends[k]
        cand = None
        for m in range(k + 1, n + 1):
            j = ends[m]
            if j - i > MAX_WORD:
                break
            rest = best[m]
            piece = run[i:j]
            if piece in words and piece != exclude:
                score = (rest[0], rest[1] + 1, min(rest[2], i - j), i - j)
            elif m == k + 1:   # one cluster no word covers
                score = (rest[0] + (j - i), rest[1] + 1, rest[2], 0)
            else:
                continue
            if cand is None or score < cand:
                cand, nxt[k] = score, m
        best[k] = cand
    out: list[tuple[str, bool]] = []
    k = 0
    while k < n:
        m = nxt[k]
        piece = run[ends[k]:ends[m]]
        out.append((piece, piece in words and piece != exclude))
        k = m
    return out


# The end of a run already cut, kept at each of its pieces' starts: text from there to the
# run's end -> (its scores, its piece lengths, the offset). The best cutting of the rest of a run
# from a cluster start depends only on that rest, so a later run ending in the same text (rows
# of real plans repeat whole phrases: about half the letters of a large calendar's rows) takes
# those positions' results instead of searching them again.
_tails: dict[str, tuple] = {}
_TAILS_MAX = 50000


def _segment_known(run: str, words: frozenset[str], exclude: str) -> list[tuple[str, bool]]:
    """``_segment`` with the program's word list, the same choice, faster: from each start only
    pieces as long as a word beginning with the start's first letters (``_lengths``) are looked
    up, not every cluster end up to the longest word; and each score is one integer holding
    ``_segment``'s four in the same order (unknown characters, pieces, 32 - longest word,
    32 - first piece; 6 bits for each of the last two), so comparing integers compares them.
    No two candidate pieces from one start score alike (a known piece's score ends with its
    length, the unknown cluster's with 0), so the order they are tried in does not matter.
    When the run ends like one cut before (``_tails``), only the starts before that end are
    searched."""
    size = len(run)
    starts = _cluster_starts(run)
    is_end = bytearray(size + 1)
    for i in starts:
        is_end[i] = 1
    is_end[size] = 1
    best = [0] * (size + 1)
    step = [0] * (size + 1)               # at a start: the length of its first piece
    best[size] = (32 << 6) | 32           # nothing left: no piece, "longest word" 0
    tails = _tails if not exclude else None
    todo = len(starts)
    j1 = size   # end of the cluster at i: the start after it
    if tails is not None:
        for n, i in enumerate(starts):
            got = tails.get(run[i:])
            if got is not None:
                t_best, t_step, k = got
                best[i:] = t_best[k:]
                step[i:] = t_step[k:]
                todo, j1 = n, i
                break
    reused = j1   # the rest, from here, came from a run cut before (which keeps its own tails)
    unknown_char = 1 << 32                # pieces and the two 6-bit fields fit below it
    lengths, long_lengths = _lengths, _LONG_LENGTHS
    long_word = 1 << PREFIX
    ends = starts[1:]   # the end of the cluster at each start
    ends.append(size)
    for k in range(todo - 1, -1, -1):
        i = starts[k]
        rest = best[j1]
        piece = run[i:j1]
        n = j1 - i
        if piece in words and piece != exclude:
            lw = rest >> 6 & 63
            cand = ((rest >> 12) + 1 << 12) | ((32 - n if 32 - n < lw else lw) << 6) | (32 - n)
        else:   # one cluster no word covers: its letters count as unknown, first piece "0 long"
            cand = rest + n * unknown_char + (1 << 12) - (rest & 63) + 32
        at = j1
        # words shorter than PREFIX letters: they end at one of the next cluster ends
        for j in ends[k + 1:k + PREFIX - 1]:
            n = j - i
            if n >= PREFIX:
                break
            piece = run[i:j]
            if piece in words and piece != exclude:
                rest = best[j]
                lw = rest >> 6 & 63
                score = ((rest >> 12) + 1 << 12) | ((32 - n if 32 - n < lw else lw) << 6) | (32 - n)
                if score < cand:
                    cand, at = score, j
        bits = lengths.get(run[i:i + PREFIX])
        if bits is not None and bits >= long_word:
            todo_lengths = long_lengths.get(bits)
            if todo_lengths is None:
                todo_lengths = long_lengths[bits] = tuple(n for n in range(PREFIX, MAX_WORD + 1) if bits >> n & 1)
            for n in todo_lengths:
                j = i + n
                if j > size:
                    break
                if j > j1 and is_end[j]:
                    piece = run[i:j]
                    if piece in words and piece != exclude:
                        rest = best[j]
                        lw = rest >> 6 & 63
                        score = ((rest >> 12) + 1 << 12) | ((32 - n if 32 - n < lw else lw) << 6) | (32 - n)
                        if score < cand:
                            cand, at = score, j
        best[i] = cand
        step[i] = at - i
        j1 = i
    out: list[tuple[str, bool]] = []
    bounds = []
    i = 0
    while i < size:
        j = i + step[i]
        piece = run[i:j]
        out.append((piece, piece in words and piece != exclude))
        bounds.append(i)
        i = j
    if tails is not None and todo:
        if len(tails) > _TAILS_MAX:
            tails.clear()
        kept = (array("q", best), array("i", step))
        for i in bounds:
            if i >= reused:
                break
            tails[run[i:]] = kept + (i,)
    return out


def free_caches() -> None:
    """Empty the caches of word cuts and line breaks (registered to run at the program's exit:
    emptied here they go in ~10 ms; left to the interpreter's teardown, which takes apart what
    is still alive far more slowly, they added ~30 ms to the exit after a large print)."""
    for cached in (_segment_run, word_parts, _stretch_breaks):
        cached.cache_clear()
    _tails.clear()


def _merge_unknown(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring unknown clusters into one piece; ๆ and ฯ go with the piece before."""
    out: list[tuple[str, bool]] = []
    for p, known in pieces:
        if out and (p in _ATTACH_BACK or (not known and not out[-1][1] and out[-1][0] not in _ATTACH_BACK)):
            out[-1] = (out[-1][0] + p, out[-1][1] and p in _ATTACH_BACK)
        else:
            out.append((p, known))
    return out


@lru_cache(maxsize=20000)
def _segment_run(run: str) -> tuple[str, ...]:
    return tuple(p for p, _k in _merge_unknown(_segment(run, dictionary())))


@lru_cache(maxsize=20000)
def word_parts(word: str) -> tuple[str, ...]:
    """The dictionary words a known word is made of (ผู้ว่าราชการจังหวัด -> ผู้ว่าราชการ, จังหวัด),
    or () when it has none (a simple word, an unknown run, anything not purely Thai)."""
    words = dictionary()
    if word not in words:
        return ()
    pieces = _segment(word, words, exclude=word)
    if len(pieces) < 2 or not all(k and len(p) > 1 for p, k in pieces):
        return ()
    return tuple(p for p, _k in pieces)


def is_known(word: str) -> bool:
    return word in dictionary()


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
    """Offsets in ``text`` between its pieces (``words``), punctuation rules not applied."""
    offs, pos = [], 0
    for w in words(text):
        pos += len(w)
        offs.append(pos)
    return offs[:-1]


def _quote_opens(text: str, i: int) -> bool:
    """A straight quote opens when nothing but a space or an opening mark is before it."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in OPENING


def may_break(text: str, p: int) -> bool:
    """UAX #14's punctuation rules at offset ``p`` (0 < p < len(text))."""
    a, b = text[p - 1], text[p]
    if b in CLOSING or a in OPENING:
        return False
    if b in QUOTES and not _quote_opens(text, p):
        return False
    if a in QUOTES and _quote_opens(text, p - 1):
        return False
    if b.isspace() or a.isspace():
        return True
    if a == "." and not b.isspace():   # inside an abbreviation such as มี.ค. or 1.2
        return False
    return True


# may_break is True between two characters neither of which is one of these
_BREAK_SPECIAL = frozenset(CLOSING | OPENING | QUOTES | {"."})


@lru_cache(maxsize=50000)
def _stretch_breaks(token: str) -> tuple[int, ...]:
    """Allowed breaks strictly inside a stretch of text without spaces (``break_opportunities``
    that ``may_break`` allows; between two letters it allows without looking further)."""
    out = []
    pos = 0
    n = len(token)
    special = _BREAK_SPECIAL
    for w in words(token):
        pos += len(w)
        if pos < n and ((token[pos - 1] not in special and token[pos] not in special) or may_break(token, pos)):
            out.append(pos)
    return tuple(out)


def line_breaks(text: str) -> list[int]:
    """Offsets where a line may break: between words inside each space-free stretch, and at both
    edges of every run of spaces, unless punctuation forbids it (a closing quote after a space
    stays with the word before: ``ฉบับแก้ไข / "`` never leaves ``"`` alone on a line)."""
    parts = _SPACE_SPLIT.split(text)   # stretch, spaces, stretch, spaces, ..., stretch
    if len(parts) == 1:
        return list(_stretch_breaks(text)) if text else []
    out: list[int] = []
    n = len(text)
    pos = 0
    odd = False
    for part in parts:
        end = pos + len(part)
        if odd:
            # a closing mark after the spaces stays with the word before them, an opening
            # mark before the spaces with the word after them: no break on either edge
            opens = pos > 0 and (text[pos - 1] in OPENING or (text[pos - 1] in QUOTES
                                                               and _quote_opens(text, pos - 1)))
            closes = end < n and (text[end] in CLOSING or (text[end] in QUOTES and _closes_after_space(text, end)))
            if not (opens or closes):
                if pos > 0:
                    out.append(pos)
                if end < n:
                    out.append(end)
        elif part:
            br = _stretch_breaks(part)
            if br:
                out.extend([pos + p for p in br] if pos else br)
        pos = end
        odd = not odd
    return out


def _closes_after_space(text: str, i: int) -> bool:
    """A straight quote after a space closes when a space or the end follows it (``แก้ไข / "``)."""
    return i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in CLOSING


def wide_word_cuts(text: str, too_wide: Callable[[str], bool]) -> list[int]:
    """Offsets inside the words of ``text`` that are wider than their cell (``too_wide``): between
    the word's parts (ผู้ว่าราชการ|จังหวัด), and inside a part only where that part is still too
    wide and has parts of its own. Printing and the screen grids break there before cutting."""
    cuts: list[int] = []
    pos = 0
    for w in words(text):
        if too_wide(w):
            cuts.extend(pos + c for c in _part_cuts(w, too_wide))
        pos += len(w)
    return cuts


def _part_cuts(word: str, too_wide: Callable[[str], bool]) -> list[int]:
    out: list[int] = []
    pos = 0
    for i, p in enumerate(word_parts(word)):
        if i:
            out.append(pos)
        if too_wide(p):
            out.extend(pos + c for c in _part_cuts(p, too_wide))
        pos += len(p)
    return out


def with_zwsp(text: str, also: "list[int] | tuple[int, ...]" = ()) -> str:
    """Text with zero-width spaces at the line breaks between Thai words, so Qt wraps it as the
    printer does, without libthai (``also``: more offsets, such as ``wide_word_cuts``). Only for
    display; stored and copied text never carries them."""
    if not _THAI_RUN.search(text):
        return text
    out, pos = [], 0
    breaks = sorted(set(line_breaks(text)) | set(also)) if also else line_breaks(text)
    for p in breaks:
        if "\u0e00" <= text[p - 1] <= "\u0e7f" and "\u0e00" <= text[p] <= "\u0e7f":   # Thai on both sides
            out.append(text[pos:p])
            out.append(ZWSP)
            pos = p
    out.append(text[pos:])
    return "".join(out)


def strip_zwsp(text: str) -> str:
    return text.replace(ZWSP, "")


atexit.register(free_caches)
