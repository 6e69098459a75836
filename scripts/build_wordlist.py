"""Rebuild the word list that Thai line breaking uses (src/pmqa_desktop/data/words/words_th.txt).

    .venv/bin/python scripts/build_wordlist.py [--check]

Sources (read from the PyThaiNLP package, a build/test-time dependency only; the program reads
the built file and does not need PyThaiNLP):
  * ICU's Thai break dictionary (icubrk_th.txt, Unicode licence) and the Royal Institute's word
    list (orst_words_th.txt) -- the dictionaries, entries with a space (phrases) left out;
  * PyThaiNLP's words_th.txt for the common words those two lack (ความต้องการ, ดำเนินงาน, ...),
    without its phrase entries: a word made of a dictionary word and a particle after it
    (…ใน, …ตาม, …ของ) or of การ/ความ/ทาง/มูล and a word (การตาม, การทำตาม, ทางใน, มูลความ);
  * the explicit phrase list scripts/wordlist/phrases_th.txt (taken out of every source);
  * the domain's vocabulary scripts/wordlist/domain_th.txt (PMQA terms, units, positions) and the
    77 province names (thailand_provinces_th.csv).
Only Thai letters; words longer than 32 characters are left out (the matcher's limit).
``--check`` rebuilds in memory and exits 1 if the committed file differs.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "scripts" / "wordlist"
OUT = ROOT / "src" / "pmqa_desktop" / "data" / "words" / "words_th.txt"
MAX_WORD = 32
THAI_WORD = re.compile(r"^[\u0e01-\u0e4e]+$")
PARTICLES_AFTER = ("ใน", "ตาม", "ของ", "และ", "กับ", "จาก", "แก่", "โดย", "เพื่อ", "หรือ", "ที่", "ให้", "ได้", "ว่า")
PREFIXES = ("การ", "ความ", "ทาง", "มูล")


def corpus_dir() -> Path:
    spec = importlib.util.find_spec("pythainlp")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("PyThaiNLP is needed to rebuild the word list: pip install pythainlp")
    return Path(list(spec.submodule_search_locations)[0]) / "corpus"


def read_list(path: Path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        w = line.strip()
        if w and not w.startswith("#"):
            out.add(w)
    return out


def is_phrase(word: str, base: set[str]) -> bool:
    """A dictionary word followed by a particle, or การ/ความ/ทาง/มูล followed by a dictionary word."""
    for p in PARTICLES_AFTER:
        if word.endswith(p) and len(word) > len(p) + 1 and word[:-len(p)] in base:
            return True
    for p in PREFIXES:
        if word.startswith(p) and len(word) > len(p) + 1 and word[len(p):] in base:
            return True
    return False


def provinces(corpus: Path) -> set[str]:
    with open(corpus / "thailand_provinces_th.csv", encoding="utf-8-sig", newline="") as fh:
        names = {row[0].strip() for row in csv.reader(fh) if row and row[0].strip()}
    if len(names) != 77:
        sys.exit(f"expected the 77 province names, found {len(names)}")
    return names


def build() -> list[str]:
    corpus = corpus_dir()
    phrases = read_list(HERE / "phrases_th.txt")
    domain = read_list(HERE / "domain_th.txt") | provinces(corpus)
    base = {w for w in read_list(corpus / "icubrk_th.txt") | read_list(corpus / "orst_words_th.txt")
            if THAI_WORD.match(w)}
    extra = {w for w in read_list(corpus / "words_th.txt") if THAI_WORD.match(w) and w not in base}
    known = base | extra
    words = base | {w for w in extra if not is_phrase(w, known)}
    words = (words - phrases) | {w for w in domain if THAI_WORD.match(w)}
    return sorted(w for w in words if len(w) <= MAX_WORD)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed list is not what the sources give")
    args = ap.parse_args()
    text = "\n".join(build()) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("word list up to date" if same else f"{OUT} differs from its sources: rebuild it")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"words={text.count(chr(10))} path={OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
