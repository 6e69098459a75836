"""The bounded Thai word search (issue 15) cuts exactly as the unbounded one.

From each start, pieces are tried only while some dictionary word begins with the piece (a
table of every word's beginnings, cut where clusters start); the oracle is the same search
tried up to the longest word's length.
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
    words = tt.dictionary()
    assert tt._pieces and all(tt._pieces[w] for w in words)
    assert tt._pieces["ดำเนิน"] is True and tt._pieces["ดำเนินกา"] is False   # a word, the start of one
    assert "ดำเนินก" not in tt._pieces and "ดำเน" not in tt._pieces   # cut inside a cluster (ก|า, เ|น)


def _load_again(monkeypatch):
    monkeypatch.setattr(tt, "_words", None)
    monkeypatch.setattr(tt, "_pieces", {})
    tt.dictionary()
    return tt._pieces


def test_the_table_of_word_beginnings_is_kept_and_read_back(monkeypatch, tmp_path):
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path))
    built = _load_again(monkeypatch)
    kept = list(tmp_path.glob("thai-word-pieces-*.marshal"))
    assert len(kept) == 1
    calls = []
    monkeypatch.setattr(tt, "_cluster_starts", lambda run: calls.append(run) or [0])
    assert _load_again(monkeypatch) == built and not calls, "read back, not built again"
    # a damaged or foreign table is built again, and the search cuts as before
    monkeypatch.undo()
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path))
    kept[0].write_bytes(kept[0].read_bytes()[:1000])
    assert _load_again(monkeypatch) == built
    import marshal
    kept[0].write_bytes(marshal.dumps({"ก": True}))
    assert _load_again(monkeypatch) == built
    assert tt.with_zwsp("ดำเนินการตามแผนงาน") == "ดำเนินการ\u200bตาม\u200bแผนงาน"
