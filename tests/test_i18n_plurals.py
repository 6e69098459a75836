"""English plurals: a message that counts something says "1 row" and "2 rows" in English, through
gettext's plural machinery (``ngettext``: msgid and msgid_plural, msgstr[0] and msgstr[1] in the
English catalog), and Thai, which has one form (``nplurals=1``), keeps its wording.

When the guard test here fails after you added a message: write it with
``ngettext("{n} row ...", "{n} rows ...", n)`` rather than ``_("{n} rows ...")``, run
``scripts/i18n_update.sh``, give the English entry both forms and the Thai entry its one form.
"""
from __future__ import annotations

import gettext
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pmqa_desktop import i18n

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = i18n.DOMAIN


def _po(lang: str) -> Path:
    return ROOT / "i18n" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(lang: str):
    with open(_po(lang), "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture
def restore_language():
    before = i18n.language()
    yield
    i18n.set_language(before)


# ---------------------------------------------------------------- the guard

FIELD = re.compile(r"\{([a-z_]+)(?:[:!][^{}]*)?\}")
# placeholders that hold names, texts and places, never a count
NOT_COUNTS = {"name", "path", "org", "folder", "label", "code", "what", "table", "error", "reason", "text",
              "incoming", "backup", "host", "status", "title", "old", "new", "field", "sheet", "where", "month",
              "col", "start", "end", "stated", "raw", "doc", "target"}   # (doc, target: fiscal years)
# words ending in s after a placeholder that are verbs or such, not plural nouns ("Step {n} appears twice")
NOT_NOUNS = {"is", "was", "has", "as", "does", "this", "its", "his", "yes", "plus", "less", "unless", "thus",
             "always", "appears", "fits", "starts", "states", "names", "stays", "differs", "holds", "ends",
             "needs", "means", "takes", "goes", "covers", "contains", "comes", "gives", "lists", "carries"}


def counts_before_plurals(msgid: str) -> list[tuple[str, str]]:
    """(placeholder, noun) for each count in ``msgid`` that is followed, within three words, by an
    English plural noun ("{n} rows", "{n} earlier versions", "{n} criteria"), and ("(s)", "") for a
    "step(s)" written to dodge the question."""
    out = []
    for m in FIELD.finditer(msgid):
        if m.group(1) in NOT_COUNTS:
            continue
        words = re.match(r"\)?((?:[ \n(]+[A-Za-z-]+){1,3})", msgid[m.end():])
        for w in re.findall(r"[A-Za-z-]+", words.group(1)) if words else []:
            if w.lower() in NOT_NOUNS:
                break
            if (len(w) > 2 and w.endswith("s") and not w.endswith("ss")) or w.lower() in ("criteria", "people"):
                out.append((m.group(1), w))
                break
    if re.search(r"\w\(s\)", msgid):
        out.append(("(s)", ""))
    return out


def test_the_guard_sees_counts_before_plurals_and_nothing_else():
    assert counts_before_plurals("Imported {n} rows into {org}, fiscal year {year}.") == [("n", "rows")]
    assert counts_before_plurals("{n} earlier versions added to the history.") == [("n", "versions")]
    assert counts_before_plurals("{n} criteria") == [("n", "criteria")]
    assert counts_before_plurals("FY {year}: {n} overdue step(s)") == [("(s)", "")]
    assert counts_before_plurals("Paste {rows} x {cols} cells") == [("cols", "cells")]
    assert counts_before_plurals("Step {n} appears twice.") == []
    assert counts_before_plurals("{name} holds values") == []
    assert counts_before_plurals("The file {path} does not exist.") == []
    assert counts_before_plurals("{n} row could not be read.") == []


def test_no_message_puts_a_count_before_an_english_plural_without_ngettext():
    """Every message of the English catalog, and every _() of the source, that counts something
    before a plural noun is a plural entry (msgid_plural), so English says "1 row", "2 rows"."""
    bad = []
    for m in _read("en"):
        if m.id and isinstance(m.id, str) and counts_before_plurals(m.id):
            bad.append(f"catalog: {m.id[:90]!r} {counts_before_plurals(m.id)}")
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update({"_": None, "ngettext": (1, 2)})
    for filename, lineno, message, _c, _ctx in extract_from_dir(
            str(ROOT / "src"), method_map=[("**.py", "python")], keywords=keywords):
        if isinstance(message, str) and counts_before_plurals(message):
            bad.append(f"src/{filename}:{lineno}: {message[:90]!r}")
    assert not bad, (f"{len(bad)} messages count something before an English plural noun with _(); "
                     "write them with ngettext(singular, plural, n):\n" + "\n".join(bad))


# ---------------------------------------------------------------- the catalogs

def test_plural_forms_headers():
    th, en = _read("th"), _read("en")
    assert th.num_plurals == 1 and th.plural_expr == "0"
    assert en.num_plurals == 2 and en.plural_expr == "(n != 1)"
    for lang in ("th", "en"):
        head = _po(lang).read_text(encoding="utf-8").split("\n\n", 1)[0]
        want = "nplurals=1; plural=0;" if lang == "th" else "nplurals=2; plural=(n != 1);"
        assert f'"Plural-Forms: {want}\\n"' in head, lang


def test_plural_entries_have_every_form_in_both_languages():
    th, en = _read("th"), _read("en")
    en_plurals = {m.id: m for m in en if m.id and not isinstance(m.id, str)}
    th_plurals = {m.id: m for m in th if m.id and not isinstance(m.id, str)}
    assert len(en_plurals) >= 40
    assert set(en_plurals) == set(th_plurals)
    for ids, m in en_plurals.items():
        # English is the source language: its two forms are the two msgids
        assert tuple(m.string) == tuple(ids), ids
        assert not m.fuzzy
    for ids, m in th_plurals.items():
        assert len(m.string) == 1 and m.string[0].strip(), ids   # Thai: msgstr[0] only
        assert not m.fuzzy


def test_compiled_catalogs_carry_the_plural_entries():
    """The .mo a built package carries (setup.py compiles them the same way) answers ngettext."""
    for lang in ("th", "en"):
        buf = io.BytesIO()
        write_mo(buf, _read(lang))
        buf.seek(0)
        t = gettext.GNUTranslations(buf)
        one = t.ngettext("Clear {n} cell", "Clear {n} cells", 1)
        two = t.ngettext("Clear {n} cell", "Clear {n} cells", 2)
        if lang == "en":
            assert (one, two) == ("Clear {n} cell", "Clear {n} cells")
        else:
            assert one == two == "ล้าง {n} ช่อง"


# ---------------------------------------------------------------- through the program's own loading

# (singular, plural, fields, English for 1, English for 2, Thai, as it was before plurals)
MESSAGES = [
    ("{n} backup of this file takes {used}; all backups together take {all} of the {mb} MB they may take.",
     "{n} backups of this file take {used}; all backups together take {all} of the {mb} MB they may take.",
     {"used": "1 KB", "all": "2 KB", "mb": 500},
     "1 backup of this file takes 1 KB; all backups together take 2 KB of the 500 MB they may take.",
     "2 backups of this file take 1 KB; all backups together take 2 KB of the 500 MB they may take.",
     "สำเนาสำรองของไฟล์นี้ {n} ชุด ใช้พื้นที่ 1 KB สำเนาสำรองทั้งหมดรวมกันใช้พื้นที่ 2 KB จาก 500 MB ที่กำหนด"),
    ("Imported {n} row into {org}, fiscal year {year}.", "Imported {n} rows into {org}, fiscal year {year}.",
     {"org": "X", "year": 2554}, "Imported 1 row into X, fiscal year 2554.",
     "Imported 2 rows into X, fiscal year 2554.", "นำเข้า {n} แถวให้ X ปีงบประมาณ 2554 แล้ว"),
    ("{n} conflict: the newer edit was kept; review it in the program (File > Merge a file...).",
     "{n} conflicts: the newer edit was kept; review them in the program (File > Merge a file...).", {},
     "1 conflict: the newer edit was kept; review it in the program (File > Merge a file...).",
     "2 conflicts: the newer edit was kept; review them in the program (File > Merge a file...).",
     "มีข้อมูลขัดแย้ง {n} รายการ: ระบบเก็บการแก้ไขที่ใหม่กว่าไว้ โปรดตรวจสอบในโปรแกรม (ไฟล์ > รวมข้อมูลจากไฟล์...)"),
    ("Delete {n} step", "Delete {n} steps", {}, "Delete 1 step", "Delete 2 steps", "ลบ {n} ขั้นตอน"),
    ("Clear {n} cell", "Clear {n} cells", {}, "Clear 1 cell", "Clear 2 cells", "ล้าง {n} ช่อง"),
    ("{n} place holds “{text}”.", "{n} places hold “{text}”.", {"text": "ก"},
     "1 place holds “ก”.", "2 places hold “ก”.", "พบ “ก” {n} แห่ง"),
    ("{n} point", "{n} points", {}, "1 point", "2 points", "{n} คะแนน"),
    ("{n} month", "{n} months", {}, "1 month", "2 months", "{n} เดือน"),
    ("{n} word", "{n} words", {}, "1 word", "2 words", "{n} คำ"),
    ("{n} criterion", "{n} criteria", {}, "1 criterion", "2 criteria", "{n} เกณฑ์"),
]


@pytest.mark.parametrize("singular,plural,fields,en1,en2,th", MESSAGES, ids=[m[1][:30] for m in MESSAGES])
def test_ngettext_in_both_languages(singular, plural, fields, en1, en2, th, restore_language):
    i18n.set_language("en")
    assert i18n.ngettext(singular, plural, 1).format(n=1, **fields) == en1
    assert i18n.ngettext(singular, plural, 2).format(n=2, **fields) == en2
    i18n.set_language("th")
    for n in (1, 2, 21):
        assert i18n.ngettext(singular, plural, n).format(n=n, **fields) == th.format(n=n)


def test_backup_usage_line(monkeypatch, restore_language):
    from pmqa_desktop.core.sharing import backup
    monkeypatch.setattr(backup, "all_backups_size", lambda: 2048)
    monkeypatch.setattr(backup, "budget_mb", lambda: 500)
    one, two = [SimpleNamespace(size=1024)], [SimpleNamespace(size=512)] * 2
    i18n.set_language("en")
    assert backup.usage_line(one).startswith("1 backup of this file takes ")
    assert backup.usage_line(two).startswith("2 backups of this file take ")
    i18n.set_language("th")
    assert backup.usage_line(one).startswith("สำเนาสำรองของไฟล์นี้ 1 ชุด ใช้พื้นที่ ")


def test_summaries_with_several_counts(restore_language):
    """Each count of a summary is its own plural message; the Thai sentence is as it was."""
    from pmqa_desktop.core.importers.devplan_import import ActivityIn, ApprovalIn, DevPlanPreview, KpiIn, StepIn
    from pmqa_desktop.core.importers.progress_import import (KpiResultIn, PlanReportIn, ProgressPreview,
                                                             StepReportIn)

    def devplan(k: int) -> DevPlanPreview:
        plans = []
        for _i in range(k):
            plans.append(SimpleNamespace(
                activities=[ActivityIn.__new__(ActivityIn)], steps=[StepIn.__new__(StepIn)],
                kpis=[KpiIn.__new__(KpiIn)], approval=ApprovalIn.__new__(ApprovalIn)))
        return DevPlanPreview(plans=plans)

    def progress(k: int) -> ProgressPreview:
        return ProgressPreview(round=6, plans=[PlanReportIn(line=1, kpis=[KpiResultIn(1, "", None)] * k,
                                                            steps=[StepReportIn(1, "", "", None, "")] * k)
                                               for _i in range(k)])

    i18n.set_language("en")
    assert devplan(1).summary() == "1 plan, 1 activity, 1 step, 1 KPI, 1 approval"
    assert devplan(2).summary() == "2 plans, 2 activities, 2 steps, 2 KPIs, 2 approvals"
    assert progress(1).summary() == "Round 6: 1 plan, 1 KPI result, 1 step report"
    assert progress(2).summary() == "Round 6: 2 plans, 4 KPI results, 4 step reports"
    i18n.set_language("th")
    assert devplan(1).summary() == "1 แผน 1 กิจกรรม 1 ขั้นตอน 1 ตัวชี้วัด 1 การอนุมัติ"
    assert devplan(2).summary() == "2 แผน 2 กิจกรรม 2 ขั้นตอน 2 ตัวชี้วัด 2 การอนุมัติ"
    assert progress(1).summary() == "รอบ 6 เดือน: 1 แผน ผลตัวชี้วัด 1 รายการ รายงานขั้นตอน 1 รายการ"


def test_printed_ladder_is_thai_whatever_the_screens_language(restore_language):
    """Printed forms are Thai: level 1 of a ladder prints "1 คะแนน" on English screens too."""
    from pmqa_desktop.printing.plan_forms import _ladder_lines
    opts = SimpleNamespace(digits=lambda s: s)
    k = {"ladder_kind": "threshold", "unit": "", **{f"t{i}": i * 10 for i in range(1, 6)}}
    for lang in ("en", "th"):
        i18n.set_language(lang)
        assert [text for _t, text in _ladder_lines(k, opts)] == [f"{i} คะแนน" for i in range(1, 6)], lang


def test_grid_commands_name_one_cell(demo_store, year_id, qapp, restore_language):
    from PySide6.QtGui import QUndoStack
    from pmqa_desktop.ui.schedules.grid_models import CalendarModel
    i18n.set_language("en")
    stack = QUndoStack()
    cal = CalendarModel(demo_store, stack, year_id)
    try:
        assert cal.clear_cells([(0, CalendarModel.COL_TEXT)])
        assert cal.clear_cells([(0, CalendarModel.COL_TEXT), (1, CalendarModel.COL_TEXT)])
        assert cal.delete_steps([0])
        assert [stack.text(i) for i in range(stack.count())] == ["Clear 1 cell", "Clear 2 cells", "Delete 1 step"]
    finally:
        cal.detach()


def test_every_plural_entry_through_the_programs_loading(restore_language):
    """Each plural entry, read the way the program reads its catalogs: English has both forms,
    Thai its one form for every count."""
    th = {m.id: m.string[0] for m in _read("th") if m.id and not isinstance(m.id, str)}
    i18n.set_language("en")
    for (s, p) in th:
        assert (i18n.ngettext(s, p, 1), i18n.ngettext(s, p, 2), i18n.ngettext(s, p, 0)) == (s, p, p)
    i18n.set_language("th")
    for (s, p), text in th.items():
        assert i18n.ngettext(s, p, 1) == i18n.ngettext(s, p, 2) == text != s


def test_multi_count_sentences_keep_their_thai_wording(restore_language):
    """The dashboard's summary line, built from one plural message per count: in Thai the very
    sentence it was ("ปีงบประมาณ {year}: {status} มี {plans} แผน ขั้นตอนที่เกินกำหนด {n} ขั้นตอน")."""
    def summary(overdue: int, plans: int) -> str:
        return i18n._("FY {year}: {status}, {steps}, {plans}").format(
            year=2554, status="S", steps=i18n.ngettext("{n} overdue step", "{n} overdue steps", overdue).format(n=overdue),
            plans=i18n.ngettext("{n} plan", "{n} plans", plans).format(n=plans))
    i18n.set_language("en")
    assert summary(1, 1) == "FY 2554: S, 1 overdue step, 1 plan"
    assert summary(2, 3) == "FY 2554: S, 2 overdue steps, 3 plans"
    i18n.set_language("th")
    assert summary(2, 3) == "ปีงบประมาณ 2554: S มี 3 แผน ขั้นตอนที่เกินกำหนด 2 ขั้นตอน"


def test_the_update_script_extracts_ngettext_with_both_forms():
    """scripts/i18n_update.sh must name ngettext's two arguments (a bare "-k ngettext" makes Babel
    take the singular only, and the next update would turn every plural entry fuzzy)."""
    from babel.messages.frontend import parse_keywords
    script = (ROOT / "scripts" / "i18n_update.sh").read_text(encoding="utf-8")
    keywords = parse_keywords(re.findall(r"-k (\S+)", script))
    assert keywords["ngettext"] == (1, 2) and keywords["_"] is None


def test_spin_box_suffix_follows_its_value(qapp, restore_language):
    from PySide6.QtWidgets import QSpinBox
    from pmqa_desktop.ui.qt_util import suffix_follows_value
    i18n.set_language("en")
    spin = QSpinBox()
    spin.setRange(1, 36)
    suffix_follows_value(spin, lambda n: i18n.ngettext(" month", " months", n))
    assert spin.suffix() == " month"
    spin.setValue(2)
    assert spin.suffix() == " months"
    spin.blockSignals(True)
    spin.setValue(1)
    spin.blockSignals(False)
    spin.update_suffix()
    assert spin.text() == "1 month"
