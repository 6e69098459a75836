"""Line breaking over a corpus of realistic Thai texts (tests/data/thai_corpus.txt) printed in
every form and in narrow weekly cells: no line break inside a word of the program's list, none
inside a word of the tests' own domain list (tests/data/domain_words_th.txt) unless that word
alone is wider than its cell, punctuation per UAX #14; ICU's word boundaries compared and
reported. Also the word list itself: shipped in the package, no phrase entries, the domain's
compounds kept, rebuildable from its sources."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from pmqa_desktop.core import thai_text
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_text import (CLOSING, OPENING, line_breaks, word_parts, words)
from pmqa_desktop.printing.layout import MIN_SIZE, PAD_X, Cell, FormDocument, Grid, Options, Row
from pmqa_desktop.printing.render import PrintSettings, build, print_to_pdf, resolve
from pmqa_desktop.printing.fonts import get_font
from pmqa_desktop.printing.thai_text_layout import wrap

from print_helpers import icu_boundaries, icu_module, line_starts, pdftotext, words_across

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def _lines(name):
    return [ln.strip() for ln in (DATA / name).read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


CORPUS = _lines("thai_corpus.txt")
DOMAIN = _lines("domain_words_th.txt")


# ------------------------------------------------------------------ the word list

def test_word_list_ships_in_the_package_without_pythainlp():
    code = ("import sys; from pmqa_desktop.core import thai_text as t; "
            "assert 'ตัวชี้วัด' in t.dictionary(); print('pythainlp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    folder = ROOT / "src" / "pmqa_desktop" / "data" / "words"
    assert (folder / "words_th.txt").is_file() and "Unicode" in (folder / "LICENSE.txt").read_text()
    assert '"data/**' in (ROOT / "pyproject.toml").read_text()   # data/**/* ships data/words/ too


def test_word_list_has_compounds_and_no_phrases():
    d = thai_text.dictionary()
    for w in ("โครงการ", "ดำเนินการ", "ตัวชี้วัด", "ผู้ว่าราชการ", "องค์การ", "ตอบสนอง", "ความต้องการ"):
        assert w in d, w
    for phrase in ("การตาม", "ทางใน", "การทราบ", "มูลความ", "สนองความต้องการ"):
        assert phrase not in d, phrase
    import csv
    import importlib.util
    corpus = Path(list(importlib.util.find_spec("pythainlp").submodule_search_locations)[0]) / "corpus"
    with open(corpus / "thailand_provinces_th.csv", encoding="utf-8-sig") as fh:
        provinces = {row[0] for row in csv.reader(fh) if row}
    assert len(provinces) == 77 and "บึงกาฬ" in provinces
    assert provinces <= d, provinces - d


def test_word_list_is_what_its_script_builds():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_wordlist.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("text, kept", [
    ("ดำเนินการตามแผน", "ดำเนินการ"), ("แนวทางในการดำเนินงาน", "แนวทาง"), ("ข้อมูลความต้องการ", "ข้อมูล"),
    ("ตอบสนองความต้องการของผู้รับบริการ", "ตอบสนอง"), ("ตัวชี้วัดขององค์การ", "ตัวชี้วัด"),
    ("การพัฒนาองค์การ", "องค์การ"), ("โครงการพัฒนาระบบราชการ", "โครงการ"), ("ส่วนราชการทราบ", "ส่วนราชการ"),
    ("ให้ผู้ว่าราชการทราบ", "ผู้ว่าราชการ"), ("ตามตัวชี้วัดผล", "ตัวชี้วัด"),
])
def test_segmentation_keeps_compounds(text, kept):
    assert kept in words(text), words(text)


def test_a_wide_word_breaks_between_its_parts():
    assert word_parts("ผู้ว่าราชการจังหวัด") == ("ผู้ว่าราชการ", "จังหวัด")
    font = get_font("laksaman")
    face = font.face()
    size = 16 * font.scale
    whole = face.advance("ผู้ว่าราชการจังหวัด") * size / 1000
    part = face.advance("ผู้ว่าราชการ") * size / 1000
    lines = [ln.text for ln in wrap(face, size, "ผู้ว่าราชการจังหวัดระยอง", (whole + part) / 2)]
    assert lines[:2] == ["ผู้ว่าราชการ", "จังหวัดระยอง"], lines


def test_a_wide_word_is_not_shrunk_before_it_breaks_between_parts():
    font = get_font("laksaman")
    doc = FormDocument(Options(font=font))
    w = font.face().advance("ผู้ว่าราชการ") * 16 * font.scale / 1000 + 2 * PAD_X + 4
    doc.add(Grid([w], [], [Row([Cell("ผู้ว่าราชการจังหวัด")])], size=16))
    (_cell, _w, lines, size), = doc.text_cells()
    assert size == 16 and lines == ["ผู้ว่าราชการ", "จังหวัด"]


def test_closing_quote_never_starts_a_line_nor_opening_ends_one():
    text = 'ทบทวนแผนบริหารความเสี่ยง ฉบับแก้ไข / "'
    assert len(text) not in line_breaks(text) and len(text) - 2 not in line_breaks(text)
    text = 'คู่มือ "ฉบับปรับปรุง" (ร่าง) ของจังหวัด'
    for p in line_breaks(text):
        assert text[p] not in CLOSING and text[p - 1] not in OPENING
        assert not (text[p] == '"' and text[p - 1] != " "), p
    assert text.index("ฉบับ") not in line_breaks(text)          # after the opening quote
    assert text.index('" (') not in line_breaks(text)           # before the closing quote


def test_screen_wraps_at_the_same_places():
    """The grids' zero-width spaces stand exactly at the printer's breaks between Thai letters."""
    for text in CORPUS:
        shown = thai_text.with_zwsp(text)
        at, pos = [], 0
        for ch in shown:
            if ch == thai_text.ZWSP:
                at.append(pos)
            else:
                pos += 1
        thai_breaks = [p for p in line_breaks(text) if "\u0e00" <= text[p - 1] <= "\u0e7f"
                       and "\u0e00" <= text[p] <= "\u0e7f"]
        assert at == thai_breaks, text


# ------------------------------------------------------------------ the corpus in every form

@pytest.fixture
def corpus_store(demo_store):
    s = demo_store
    org = planning.add_organisation(s, "จังหวัดทดสอบ", province="ทดสอบ")
    yid = planning.add_fiscal_year(s, org, 2560, weekly_months=7)
    year = s.get("fiscal_year", yid)
    crits = planning.criteria(s)
    for i, text in enumerate(CORPUS):
        planning.add_calendar_step(s, yid, text, remark=CORPUS[-1 - i][:60])
        c = crits[i % len(crits)]
        planning.set_owner(s, yid, c["id"], {"name": CORPUS[i][:40], "position": CORPUS[-1 - i][:50],
                                             "unit": CORPUS[(i + 3) % len(CORPUS)][:50]})
        row = planning.add_weekly_row(s, yid, c["id"])
        month, week = planning.week_at(year, (i * 3) % 24)
        planning.add_weekly_activity(s, row, month, week, text, span=1 + i % 3)
    plan = dp.add_plan(s, yid, CORPUS[1], policy=CORPUS[4])
    act = dp.add_activity(s, plan, CORPUS[2], stated_budget=100000)
    for i, text in enumerate(CORPUS):
        dp.add_step(s, act, text, number=f"{i + 1}.", output=CORPUS[-1 - i], responsible=CORPUS[(i + 5) % len(CORPUS)][:40],
                    budget=10000)
        dp.add_kpi(s, plan, dp.DIMENSIONS[i % 4], text, weight=0.1, t1=1, t2=2, t3=3, t4=4, t5=5)
    return s


def _check_cells(doc, face_of, report):
    checked = 0
    for cell, width, lines, size in doc.text_cells():
        text = cell.text
        if len([ln for ln in lines if ln]) < 2:
            continue
        face = face_of(cell.bold)
        k = size * face_of.scale / 1000
        avail = width - 2 * PAD_X
        allowed = set(line_breaks(text))
        icu_ok = icu_boundaries(report["icu"], text) if report["icu"] else None
        for p in line_starts(text, lines):
            checked += 1
            if text[p - 1].isspace():
                assert text[p] not in CLOSING, (text, p)
                continue
            assert text[p] not in CLOSING and text[p - 1] not in OPENING, (text, p)
            over = [w for w in words_across(text, p, DOMAIN) if face.advance(w) * k <= avail]
            assert not over, f"{over} split in {text!r} at {p} (cell {avail:.0f} pt)"
            if p not in allowed:
                # only inside a word wider than the cell: between its parts, or cut if it has none
                word = _piece_at(text, p, sorted(allowed))
                assert face.advance(word) * k > avail, (text, p, word)
                report["part_breaks"] += 1
            if icu_ok is not None and p not in icu_ok:
                report["not_icu"].append(f"{text[max(0, p - 12):p]}|{text[p:p + 12]}")
    return checked


def _piece_at(text, p, allowed):
    """The unbreakable stretch (between two allowed breaks) that offset ``p`` falls inside."""
    cuts = [0] + allowed + [len(text)]
    return next(text[a:b].strip() for a, b in zip(cuts, cuts[1:]) if a < p < b)


@pytest.fixture(scope="module")
def icu_report(request):
    report = {"icu": icu_module(), "not_icu": [], "part_breaks": 0, "breaks": 0}
    yield report
    total = report["breaks"]
    if report["icu"] is None:
        lines = ["ICU check: PyICU not available (scripts/test.sh installs python3-icu)"]
    else:
        n = len(report["not_icu"])
        lines = [f"ICU check: {total} line breaks inside Thai text checked, {n} not at an ICU word boundary "
                 f"({100.0 * n / max(1, total):.1f}%), {report['part_breaks']} between the parts of a word wider "
                 f"than its cell (or cut inside a piece wider than the cell)"]
        lines += ["   not an ICU boundary: " + x for x in sorted(set(report["not_icu"]))[:40]]
    # shown in the test output whatever the capture mode
    capman = request.config.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled():
        print("\n" + "\n".join(lines))


@pytest.mark.parametrize("form", ["owners", "calendar", "weekly", "devplan", "kpi72", "progress"])
def test_corpus_breaks_only_between_words_in_every_form(corpus_store, tmp_path, form, icu_report):
    req = resolve(corpus_store, form, 2560, "จังหวัดทดสอบ", None, 12 if form == "progress" else None)
    opts = PrintSettings(font="laksaman").options()
    doc = build(corpus_store, req, opts)

    class Faces:
        scale = opts.font.scale

        def __call__(self, bold):
            return opts.font.face(bold)
    n = _check_cells(doc, Faces(), icu_report)
    icu_report["breaks"] += n
    assert n >= 10, "the corpus did not wrap in this form"
    # and the PDF draws exactly those lines (copyable as laid out)
    out = tmp_path / f"{form}.pdf"
    print_to_pdf(corpus_store, req, out, opts)
    got = " ".join(pdftotext(out, "-raw").split())
    for cell, _w, lines, _s in doc.text_cells():
        if cell.text in CORPUS:
            for ln in lines:
                assert " ".join(ln.split()) in got, ln


@pytest.mark.parametrize("width", [60, 90, 130])
def test_corpus_in_narrow_weekly_cells(width, icu_report):
    font = get_font("laksaman")
    doc = FormDocument(Options(font=font), "landscape")
    doc.add(Grid([width] * 3, [], [Row([Cell(t, size=14), Cell(t, size=13), Cell(t, size=12)])
                                  for t in CORPUS], size=14))

    class Faces:
        scale = font.scale

        def __call__(self, bold):
            return font.face(bold)
    n = _check_cells(doc, Faces(), icu_report)
    icu_report["breaks"] += n
    assert n > len(CORPUS)
    for _cell, _w, _lines, size in doc.text_cells():
        assert size >= MIN_SIZE


PIECES = ["ดำเนินการ", "ตาม", "แนวทาง", "ใน", "ข้อมูล", "ความต้องการ", "ตัวชี้วัด", "ผู้ว่าราชการจังหวัด", "ราชบุรี",
          " ", '"', "(", ")", "“", "”", ",", ".", "ๆ", "PMQA", "2554", "มี.ค.", "ก", "ฯ", "องค์การ"]


@settings_(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=20))
def test_line_breaks_hold_the_rules(pieces):
    text = "".join(pieces)
    assert "".join(words(text)) == text
    bounds = set(thai_text.break_opportunities(text))
    for p in line_breaks(text):
        assert 0 < p < len(text)
        # a word boundary, or an edge of a run of spaces
        assert p in bounds or text[p - 1].isspace() or text[p].isspace()
        assert text[p] not in CLOSING and text[p - 1] not in OPENING
