"""The word list's prefix table is kept in the cache folder and read back (issue 15: building it
cost ~35 ms of each print's start); what is read back is what building gives."""
from __future__ import annotations

from pmqa_desktop.core import thai_text as tt


def test_the_prefix_table_is_cached_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path))
    built_words, built_lengths, _ = tt._build_word_list(tt.word_list_text())
    words, lengths = tt._read_word_list()
    files = list((tmp_path / "words").glob("words_th-*.bin"))
    assert len(files) == 1
    assert words == built_words and lengths == built_lengths
    monkeypatch.setattr(tt, "_build_word_list", lambda text: (_ for _ in ()).throw(AssertionError("built again")))
    words2, lengths2 = tt._read_word_list()   # from the cache this time
    assert words2 == built_words and lengths2 == built_lengths


def test_a_damaged_cache_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path))
    tt._read_word_list()
    (cached,) = (tmp_path / "words").glob("words_th-*.bin")
    cached.write_bytes(b"\x00garbage")
    words, lengths = tt._read_word_list()
    built_words, built_lengths, _ = tt._build_word_list(tt.word_list_text())
    assert words == built_words and lengths == built_lengths


def test_a_list_with_blank_and_overlong_lines_keeps_only_the_words(tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path))
    text = "กา\n\nขา\n" + "ก" * (tt.MAX_WORD + 1) + "\nคน\n"
    monkeypatch.setattr(tt, "word_list_text", lambda: text)
    for _ in range(2):   # built, then read back from the cache
        words, lengths = tt._read_word_list()
        assert words == {"กา", "ขา", "คน"}
        assert lengths == {"กา": 1 << 2, "ขา": 1 << 2, "คน": 1 << 2}


def test_loading_the_word_list_does_not_import_importlib_resources():
    # (in the print's start, beside the imports: importlib.resources alone cost ~20 ms)
    import subprocess
    import sys
    from pathlib import Path
    src = Path(__file__).resolve().parents[1] / "src"
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from pmqa_desktop.core import thai_text as tt\n"
            "words = tt.dictionary()\n"
            "print(len(words) > 50000, 'importlib.resources' in sys.modules)\n") % str(src)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"], out
