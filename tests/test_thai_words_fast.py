"""The faster Thai word search (issue 15) cuts exactly as the plain maximal matching did.

The reference below is the earlier search, kept here only as the oracle: for every start and
end of a piece it asked the dictionary, up to the longest word's length.
"""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_desktop.core import thai_text as tt


def reference_segment(run: str) -> tuple[str, ...]:
    words = tt.dictionary()
    ends = tt._cluster_starts(run) + [len(run)]
    best: list = [None] * len(ends)
    back = [0] * len(ends)
    best[0] = (0, 0)
    lo = 0
    for k in range(1, len(ends)):
        i = ends[k]
        while i - ends[lo] > tt.MAX_WORD:
            lo += 1
        cand = None
        for m in range(lo, k):
            prev = best[m]
            if prev is None:
                continue
            j = ends[m]
            if run[j:i] in words:
                score = (prev[0], prev[1] + 1)
            elif m == k - 1:
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
    return tuple(tt._merge_unknown(out, words))


def reference_with_zwsp(text: str) -> str:
    pieces: list[str] = []
    pos = 0
    for m in tt._THAI_RUN.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos:m.start()])
        pieces.extend(reference_segment(m.group()))
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
    pieces = [p for p in pieces if p]
    if not pieces:
        return text
    out = [pieces[0]]
    for prev, cur in zip(pieces, pieces[1:]):
        if tt._THAI_RUN.match(prev[-1:] or " ") and tt._THAI_RUN.match(cur[:1] or " "):
            out.append(tt.ZWSP)
        out.append(cur)
    return "".join(out)


_WORDS = sorted(tt.dictionary())
_THAI_LETTERS = [chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable()]
piece = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_THAI_LETTERS),
                  st.sampled_from([" ", "1", "2554", ".", "(", "ๆ", "ฯ", "เ", "\u0e48"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(piece, min_size=0, max_size=30))
def test_word_breaks_as_the_plain_search(parts):
    text = "".join(parts)
    assert tt.with_zwsp(text) == reference_with_zwsp(text)
    for run in tt._THAI_RUN.findall(text):
        assert tt._segment_run(run) == reference_segment(run)


def test_long_rows_without_spaces_as_the_plain_search():
    rnd = random.Random(15)
    for _ in range(200):   # rows as clerks type them: many words run together
        text = "".join(rnd.choice(_WORDS) for _ in range(rnd.randint(5, 40)))
        assert tt.with_zwsp(text) == reference_with_zwsp(text)
