"""One test per fault a governor's office sent back (issue 11), each failing on the code before
the fix: sizes, the weekly plan's pages, stated vs summed budgets, one digit system, form 7.2's
first column and continued pages, page numbers per plan, margins, provisional titles, step
numbers, characters the font cannot draw, unused fonts."""
from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import QTimer

from pmqa_desktop import cli, settings
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.printing.render import PrintSettings, print_to_pdf, resolve

from print_helpers import font_sizes, pdftotext

MM = 72 / 25.4
THAI_DIGIT = re.compile(r"[๐-๙]")
ARABIC_DIGIT = re.compile(r"[0-9]")


def render(store, form, year, tmp_path, ps=None, plan=None, name=None):
    req = resolve(store, form, year, None, plan, 12 if form == "progress" else None)
    out = tmp_path / (name or f"{form}.pdf")
    n = print_to_pdf(store, req, out, (ps or PrintSettings(font="laksaman")).options())
    return out, n


def pages(pdf, n):
    return [pdftotext(pdf, "-raw", "-f", str(i), "-l", str(i)) for i in range(1, n + 1)]


def _rayong(store):
    return planning.find_year(store, planning.find_organisation(store, "จังหวัดระยอง")["id"], 2553)


def _ratchaburi(store):
    return planning.find_year(store, planning.find_organisation(store, "จังหวัดราชบุรี")["id"], 2554)


# ---------------------------------------------------------------- 2. readable sizes, the weekly plan's pages

@pytest.mark.parametrize("form, year", [("owners", 2554), ("calendar", 2554), ("weekly", 2554),
                                        ("devplan", 2553), ("kpi72", 2553), ("progress", 2553)])
def test_nothing_prints_below_12_pt(demo_store, tmp_path, form, year):
    ps = PrintSettings(font="laksaman")
    scale = ps.options().font.scale
    pdf, _n = render(demo_store, form, year, tmp_path, ps)
    nominal = [round(s / scale, 2) for s in font_sizes(pdf)]
    assert nominal and min(nominal) >= 12 - 0.01, sorted(set(nominal))[:5]
    # the body of the forms (the most used size) is 14 pt or more
    assert max(set(nominal), key=nominal.count) >= 14


def test_weekly_pages_keep_rows_together_and_name_their_months(demo_store, tmp_path):
    pdf, n = render(demo_store, "weekly", 2554, tmp_path)
    texts = pages(pdf, n)
    year = _ratchaburi(demo_store)
    months = year["weekly_months"]
    assert months == 7
    per_set = 3     # months a page on A4: 3 + 2 + 2, so three pages show one group of rows
    sets = -(-months // per_set)
    assert n % sets == 0
    codes = re.compile(r"^(?:\d+ )?([A-Z]{2,3}\d)\b", re.M)   # a row's code starts its line
    for g in range(0, n, sets):
        group = texts[g:g + sets]
        for t in group:   # every title names its months
            assert re.search(r"เดือน \S+ ถึง \S+", t.replace("\n", " ")), t[:200]
        rows = [sorted(set(codes.findall(t))) for t in group]
        assert all(r == rows[0] for r in rows), rows   # the same rows on every page of the group
    # A3: all seven months on one page, no month range needed
    ps = PrintSettings(font="laksaman", weekly_paper="A3")
    pdf3, n3 = render(demo_store, "weekly", 2554, tmp_path, ps, name="a3.pdf")
    first = pdftotext(pdf3, "-raw", "-f", "1", "-l", "1")
    assert "เม.ย.54" in first and "ต.ค.54" in first
    info = subprocess.run(["pdfinfo", str(pdf3)], capture_output=True, text=True).stdout
    assert "1190.55 x 841.89" in info


def test_multi_week_activity_is_one_cell(demo_store, tmp_path):
    year = _ratchaburi(demo_store)
    row = planning.weekly_rows(demo_store, year["id"])[0]
    planning.add_weekly_activity(demo_store, row["id"], year["weekly_start"], 2, "ประชุมคณะทำงานสามสัปดาห์", span=3)
    pdf, _n = render(demo_store, "weekly", 2554, tmp_path)
    first = pdftotext(pdf, "-raw", "-f", "1", "-l", "1")
    assert "ประชุมคณะทำงานสามสัปดาห์" in first   # one line across the three weeks, not cut per week


def test_weekly_text_runs_over_free_weeks_without_repeating(demo_store, tmp_path):
    year = _ratchaburi(demo_store)
    row = planning.add_weekly_row(demo_store, year["id"], None, label="ทดสอบ")
    june = planning.week_at(year, 2 * 4)[0]            # the third month: the last of the first set
    planning.add_weekly_activity(demo_store, row, june, 4, "ประชุมสรุปผลประจำเดือน")      # W4, nothing after
    planning.add_weekly_activity(demo_store, row, year["weekly_start"], 1, "จัดทำรายงานประจำเดือน")  # W1
    pdf, n = render(demo_store, "weekly", 2554, tmp_path)
    text = pdftotext(pdf, "-raw")
    assert "ประชุมสรุปผลประจำเดือน" in text and "จัดทำรายงานประจำเดือน" in text   # each on one line
    assert text.count("ประชุมสรุปผลประจำเดือน") == 1 and text.count("จัดทำรายงานประจำเดือน") == 1


# ---------------------------------------------------------------- 3. honest totals

def test_stated_and_summed_budgets_differ_in_words(demo_store, tmp_path):
    pdf, _n = render(demo_store, "devplan", 2553, tmp_path)
    text = " ".join(pdftotext(pdf, "-raw").split())
    assert "ยอดที่ระบุ 150,000 บาท ไม่ตรงกับผลรวมขั้นตอน 200,000 บาท" in text


def test_approval_dialog_warns_of_a_budget_difference(qtbot, window):
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.ui.devplan import pages as pages_
    year_id = rayong_year(window.store)
    page = pages_.open_page(window, year_id, pages_.DEVPLAN_PAGE)
    plan = next(p for p in dp.plans(window.store, year_id) if dp.budget_mismatches(window.store, p["id"]))
    page.select_plan(plan["id"])
    dlg = page.approve_dialog()
    assert dlg.budget_warning.isVisible()
    assert "150,000" in dlg.budget_warning.text() and "200,000" in dlg.budget_warning.text()
    QTimer.singleShot(0, dlg.reject)
    other = next(p for p in dp.plans(window.store, year_id) if not dp.budget_mismatches(window.store, p["id"]))
    page.select_plan(other["id"])
    dlg2 = page.approve_dialog()
    assert not dlg2.budget_warning.isVisible()
    QTimer.singleShot(0, dlg2.reject)


# ---------------------------------------------------------------- 4. one digit system

@pytest.mark.parametrize("form, year", [("devplan", 2553), ("kpi72", 2553), ("calendar", 2554), ("weekly", 2554)])
def test_one_digit_system_on_the_page(demo_store, tmp_path, form, year):
    before = {r["id"]: r["text"] for r in demo_store.query("SELECT id, text FROM kpi")}
    pdf, _n = render(demo_store, form, year, tmp_path, PrintSettings(font="laksaman", thai_digits=True))
    text = pdftotext(pdf, "-raw")
    assert not ARABIC_DIGIT.search(text), ARABIC_DIGIT.findall(text)[:10]
    assert THAI_DIGIT.search(text)
    pdf, _n = render(demo_store, form, year, tmp_path, PrintSettings(font="laksaman"), name="arabic.pdf")
    assert not THAI_DIGIT.search(pdftotext(pdf, "-raw"))
    # the stored text is not changed
    assert {r["id"]: r["text"] for r in demo_store.query("SELECT id, text FROM kpi")} == before


# ---------------------------------------------------------------- 5. form 7.2

def test_form72_lists_the_main_activities(demo_store, tmp_path):
    year = _rayong(demo_store)
    plan = next(p for p in dp.plans(demo_store, year["id"]) if p["title"].startswith("แผนหมวด 3"))
    pdf, _n = render(demo_store, "kpi72", 2553, tmp_path, plan=plan["id"])
    text = " ".join(pdftotext(pdf, "-raw").split())
    assert "กิจกรรมหลัก" in text
    for a in dp.activities(demo_store, plan["id"]):
        assert f"{a['number']}. {a['title'][:12]}" in text, a["title"]


def test_form72_continued_page_names_its_plan(demo_store, tmp_path):
    year = _rayong(demo_store)
    plan = next(p for p in dp.plans(demo_store, year["id"]) if p["title"].startswith("แผนหมวด 3"))
    for i in range(12):
        dp.add_kpi(demo_store, plan["id"], "7.4", f"ร้อยละของบุคลากรที่ได้รับการพัฒนาตามแผน รายการที่ {i + 1}",
                   weight=0.05, t1=60, t2=65, t3=70, t4=75, t5=80)
    pdf, n = render(demo_store, "kpi72", 2553, tmp_path, plan=plan["id"])
    assert n >= 2
    for t in pages(pdf, n)[1:]:
        assert "แผนหมวด 3" in t and "(ต่อ)" in t


# ---------------------------------------------------------------- 6. margins

def _words(pdf):
    bbox = pdftotext(pdf, "-bbox")
    return [tuple(map(float, m.groups())) for m in
            re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)]


def test_official_margins_by_default_and_settable(demo_store, tmp_path):
    pdf, _n = render(demo_store, "devplan", 2553, tmp_path)
    words = _words(pdf)
    assert min(w[0] for w in words) >= 30 * MM - 0.5            # binding side (left)
    assert max(w[2] for w in words) <= 841.89 - 20 * MM + 0.5
    assert min(w[1] for w in words) >= 20 * MM - 0.5
    assert max(w[3] for w in words) <= 595.28 - 20 * MM + 0.5
    # Settings > Printing: a landscape form bound at the top, 35 mm
    settings.set_values({"print_margin_binding_mm": "35", "print_landscape_binding": "top"})
    ps = PrintSettings.load()
    ps.font = "laksaman"
    pdf, _n = render(demo_store, "devplan", 2553, tmp_path, ps, name="top.pdf")
    words = _words(pdf)
    assert min(w[1] for w in words) >= 35 * MM - 0.5
    assert min(w[0] for w in words) >= 20 * MM - 0.5


def test_settings_dialog_sets_the_margins(qtbot, window):
    from pmqa_desktop.ui.settings.dialog import SettingsDialog
    dlg = SettingsDialog(window)
    qtbot.addWidget(dlg)
    assert dlg.binding_mm.value() == 30 and dlg.other_mm.value() == 20
    dlg.binding_mm.setValue(28)
    dlg.landscape_binding.setCurrentIndex(dlg.landscape_binding.findData("top"))
    dlg.weekly_paper.setCurrentIndex(dlg.weekly_paper.findData("A3"))
    dlg.apply()
    ps = PrintSettings.load()
    assert (ps.binding_mm, ps.other_mm, ps.landscape_binding, ps.weekly_paper) == (28, 20, "top", "A3")


# ---------------------------------------------------------------- 7. page numbers, placeholders, step numbers,
#                                                                    missing glyphs, unused fonts

def test_page_numbers_count_per_plan(demo_store, tmp_path):
    year = _rayong(demo_store)
    plans = dp.plans(demo_store, year["id"])
    pdf, n = render(demo_store, "devplan", 2553, tmp_path)
    numbers = [re.search(r"หน้า (\d+)/(\d+)", t).groups() for t in pages(pdf, n)]
    assert numbers[0][0] == "1"
    assert sum(1 for a, _b in numbers if a == "1") == len(plans)
    for p in plans:
        one, k = render(demo_store, "devplan", 2553, tmp_path, plan=p["id"], name=f"{p['id']}.pdf")
        assert (str(k), str(k)) in numbers


def test_provisional_plan_title_is_not_printed(demo_store, tmp_path):
    year = _rayong(demo_store)
    plan = dp.plans(demo_store, year["id"])[0]
    dp.update_plan(demo_store, plan["id"], title="แผนพัฒนาองค์การ (ไม่มีชื่อแผนในเอกสาร บรรทัดที่ 1)", policy="")
    for form in ("devplan", "kpi72", "progress"):
        pdf, _n = render(demo_store, form, 2553, tmp_path, name=f"{form}-p.pdf")
        assert "ไม่มีชื่อแผนในเอกสาร" not in pdftotext(pdf, "-raw"), form


def test_step_numbers_print_as_typed(demo_store, tmp_path):
    pdf, _n = render(demo_store, "devplan", 2553, tmp_path)
    text = " ".join(pdftotext(pdf, "-raw").split())
    assert "3. นำเสนอแผน" in text and "4. ถ่ายทอดแผน" in text
    assert "1.2 จัดประชุม" in text and "(1) กลุ่มผู้รับบริการ" in text


def test_characters_the_font_lacks_are_reported_not_boxed(demo_store, tmp_path, capsys):
    year = _ratchaburi(demo_store)
    planning.add_calendar_step(demo_store, year["id"], "ตรวจแล้ว ✓ ส่งต่อ → กลุ่มงาน 😀")
    demo_store.close()
    db = demo_store.path
    out = tmp_path / "cal.pdf"
    assert cli.main(["print", "calendar", "--db", str(db), "--year", "2554", "--org", "จังหวัดราชบุรี",
                     "--out", str(out)]) == 0
    err = capsys.readouterr().err
    for ch in "✓→😀":
        assert ch in err
    text = pdftotext(out, "-raw")
    assert "ตรวจแล้ว" in text and "ส่งต่อ" in text


def test_no_unused_fonts_in_the_pdf(demo_store, tmp_path):
    pdf, _n = render(demo_store, "owners", 2554, tmp_path)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts
    assert all(" yes " in ln for ln in fonts.splitlines()[2:] if ln.strip()), fonts   # every font embedded


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_print_dialog_names_the_characters_the_font_lacks(qtbot, window):
    from test_print_gui import open_dialog, select_year
    year = _ratchaburi(window.store)
    planning.add_calendar_step(window.store, year["id"], "ตรวจแล้ว ✓ ส่งต่อ")
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    assert dlg.last_error == ""
    assert dlg.missing == {"✓"}
    assert dlg.missing_label.isVisible() and "✓" in dlg.missing_label.text()
