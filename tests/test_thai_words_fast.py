"""The bounded Thai word search (issue 15) cuts exactly as the unbounded one.

From each start, pieces are tried only as far as the longest dictionary word that begins with
the start's first five letters; the oracle is the same search tried up to the longest word's length.
"""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_desktop.core import thai_text as tt


def unbounded(run: str) -> list[tuple[str, bool]]:
    return tt._segment(run, tt.dictionary(), bounded=False)


_WORDS = sorted(tt.dictionary())
_THAI_LETTERS = [chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable()]
piece = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_THAI_LETTERS),
                  st.sampled_from(["ๆ", "ฯ", "เ", "\u0e48"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(piece, min_size=1, max_size=30))
def test_word_breaks_as_the_unbounded_search(parts):
    text = "".join(parts)
    for run in tt._THAI_RUN.findall(text):
        assert tt._segment(run, tt.dictionary()) == unbounded(run)


def test_long_rows_without_spaces_as_the_unbounded_search():
    rnd = random.Random(15)
    for _ in range(200):   # rows as clerks type them: many words run together
        text = "".join(rnd.choice(_WORDS) for _ in range(rnd.randint(5, 40)))
        for run in tt._THAI_RUN.findall(text):
            assert tt._segment(run, tt.dictionary()) == unbounded(run)


def test_the_bound_is_used():
    tt.dictionary()
    w = next(iter(tt.dictionary()))
    assert tt._lengths[w[:tt.PREFIX]] >> len(w) & 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(piece, st.sampled_from([" ", "ก.", "(", ")", "A", "1", "\u0e50", "\u0e7f", "\u0e00", "\u0dff",
                                                  "\u0e80"])), min_size=1, max_size=30))
def test_word_breaks_for_the_screen_sit_between_two_thai_characters_at_line_breaks(parts):
    text = "".join(parts)
    shown = tt.with_zwsp(text)
    assert shown.replace(tt.ZWSP, "") == text
    at, offset = [], 0
    for i, ch in enumerate(shown):
        if ch == tt.ZWSP:
            at.append(i - offset)
            offset += 1
    breaks = set(tt.line_breaks(text))
    thai = lambda c: bool(tt._THAI_RUN.fullmatch(c))   # noqa: E731
    assert at == sorted(p for p in breaks if thai(text[p - 1]) and thai(text[p]))


def _cluster_starts_one_by_one(run: str) -> list[int]:
    return [0] + [i for i in range(1, len(run))
                  if run[i] not in tt._NO_BREAK_BEFORE and run[i - 1] not in tt._NO_BREAK_AFTER]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_THAI_LETTERS + ["a", " "]), min_size=1, max_size=40))
def test_cluster_starts_as_checked_one_by_one(run):
    assert tt._cluster_starts(run) == _cluster_starts_one_by_one(run)


_MARKS = list(".,:;!?%()[]{}\"'\u201c\u201d\u2018\u2019\u00ab\u00bb0123456789abc-")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(piece, st.sampled_from(_MARKS)), min_size=1, max_size=25))
def test_breaks_inside_a_stretch_as_may_break_says(parts):
    """``_stretch_breaks`` looks at ``may_break`` only next to punctuation: the same breaks as
    asking it at every word boundary."""
    token = "".join(parts)
    expected = tuple(p for p in tt.break_opportunities(token) if 0 < p < len(token) and tt.may_break(token, p))
    assert tt._stretch_breaks(token) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(piece, min_size=0, max_size=8), min_size=2, max_size=4),
       st.lists(piece, min_size=1, max_size=12))
def test_runs_ending_alike_cut_as_the_unbounded_search(heads, tail):
    """A run ending in the text of a run cut before takes that end's results (``_tails``): every
    run still cuts exactly as the unbounded search, whatever was cut before it."""
    tt._tails.clear()
    end = "".join(tail)
    for head in heads:
        text = "".join(head) + end
        for run in tt._THAI_RUN.findall(text):
            assert tt._segment(run, tt.dictionary()) == unbounded(run)


def test_a_run_ending_like_one_cut_before_reuses_its_end():
    tt._tails.clear()
    first = "การพัฒนาคุณภาพการบริหารจัดการภาครัฐจังหวัดราชบุรี"
    tt._segment(first, tt.dictionary())
    assert "จังหวัดราชบุรี" in tt._tails
    calls = []
    real = tt._lengths
    tt._lengths = type("Spy", (dict,), {"get": lambda self, k, d=None: calls.append(k) or real.get(k, d)})(real)
    try:
        second = "แผนปฏิบัติราชการจังหวัดราชบุรี"
        assert tt._segment(second, tt.dictionary()) == unbounded(second)
    finally:
        tt._lengths = real
    assert calls and all(not k.startswith("จังหวัด") and not k.startswith("ราชบุรี") for k in calls), calls
