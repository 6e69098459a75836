"""Issue 11, what the first pass left: the seed's main activities without steps kept and printed,
step numbers printed exactly as typed ("3." and "3"), and screen grids breaking a word too wide for
its cell between its parts, as print does."""
from __future__ import annotations


from pmqa_desktop.core.importers.devplan_import import parse_devplan
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.printing.render import PrintSettings, print_to_pdf, resolve
from pmqa_desktop.ui.devplan.models import split_number
from print_helpers import pdftotext

PLAN1_MAIN = ["การวางแผนกลยุทธ์ด้านการบริหารทรัพยากรบุคคล",
              "การวางแผนการสื่อสารและทำความเข้าใจในเรื่องยุทธศาสตร์และการนำยุทธศาสตร์ไปปฏิบัติ",
              "การถ่ายทอด(cascading) ตัวชี้วัดและเป้าหมายระดับจังหวัดลงสู่ระดับส่วนราชการประจำจังหวัด",
              "การจัดทำรายละเอียดโครงการเพื่อใช้ในการติดตามผลการดำเนินงาน",
              "การจัดทำแผนบริหารความเสี่ยง"]


def render(store, form, year, tmp_path, plan=None):
    req = resolve(store, form, year, None, plan, None)
    out = tmp_path / f"{form}.pdf"
    print_to_pdf(store, req, out, PrintSettings(font="laksaman").options())
    return " ".join(pdftotext(out, "-raw").split())


def _plan1(store):
    year = planning.find_year(store, planning.find_organisation(store, "จังหวัดระยอง")["id"], 2553)
    return next(p for p in dp.plans(store, year["id"]) if p["title"].startswith("แนวนโยบาย 2"))


# ---------------------------------------------------------------- main activities without steps

def test_the_importer_keeps_main_activities_that_have_no_steps(devplan_seed):
    prev = parse_devplan(devplan_seed)
    plan1 = prev.plans[0]
    assert [(a.number, a.title, len(a.steps)) for a in plan1.activities] == [
        (str(k), t, 4 if k == 5 else 0) for k, t in enumerate(PLAN1_MAIN, start=1)]
    assert not prev.errors


def test_form72_and_the_plan_print_every_main_activity(demo_store, tmp_path):
    plan = _plan1(demo_store)
    assert [a["number"] for a in dp.activities(demo_store, plan["id"])] == ["1", "2", "3", "4", "5"]
    text = render(demo_store, "kpi72", 2553, tmp_path, plan["id"])
    listed = text[text.index("กิจกรรมหลัก"):]
    at = [listed.index(f"{k}. {t[:10]}") for k, t in enumerate(PLAN1_MAIN, start=1)]
    assert at == sorted(at)   # 1. to 5., in order, under "กิจกรรมหลัก"
    text = render(demo_store, "devplan", 2553, tmp_path, plan["id"])
    for k, t in enumerate(PLAN1_MAIN[:4], start=1):
        assert f"กิจกรรมที่ {k} {t[:10]}" in text
    # an activity with nothing planned has no budget row of its own ("รวมงบประมาณกิจกรรม 0")
    assert "รวมงบประมาณกิจกรรม 0" not in text


# ---------------------------------------------------------------- step numbers as typed

def test_step_numbers_are_kept_and_printed_as_typed(demo_store, tmp_path, devplan_seed):
    # the seed writes "3. นำเสนอแผน...": the period is kept at import
    prev = parse_devplan(devplan_seed)
    assert [s.number for s in prev.plans[0].activities[4].steps] == ["3.", "4.", "5.", "6."]
    # the step editor keeps what is typed
    assert split_number("7. ประชุม") == ("7.", "ประชุม") and split_number("7 ประชุม") == ("7", "ประชุม")
    assert split_number("(2) ประชุม") == ("(2)", "ประชุม")
    plan = _plan1(demo_store)
    act = dp.activities(demo_store, plan["id"])[0]
    dp.add_step(demo_store, act["id"], "ประชุมคณะทำงานครั้งแรก", number="7")
    dp.add_step(demo_store, act["id"], "ประชุมคณะทำงานครั้งที่สอง", number="8.")
    text = render(demo_store, "devplan", 2553, tmp_path, plan["id"])
    assert "7 ประชุมคณะทำงานครั้งแรก" in text and "7. ประชุมคณะทำงาน" not in text
    assert "8. ประชุมคณะทำงาน" in text
    assert "3. นำเสนอแผน" in text


# ---------------------------------------------------------------- screen grids: a word wider than its cell

GOVERNOR = "ผู้ว่าราชการจังหวัดราชบุรีเป็นประธานเปิดการประชุม"
ALLOWED = {12, 19, 26, 30, 36, 40, 43}   # between words, and ผู้ว่าราชการ|จังหวัด (a word's parts)


def _lines(layout, shown):
    """The lines of a laid-out text (zero-width spaces taken out) and their widths."""
    out = []
    for i in range(layout.lineCount()):
        ln = layout.lineAt(i)
        out.append((shown[ln.textStart():ln.textStart() + ln.textLength()].replace("\u200b", "")
                    .replace("\u2028", ""), ln.naturalTextWidth()))
    return out


def _breaks(lines):
    out, pos = [], 0
    for text, _w in lines[:-1]:
        pos += len(text)
        out.append(pos)
    return out


def _ready(qtbot):
    from pmqa_desktop.ui.common.delegates import load_word_breaks, word_breaks_ready
    load_word_breaks()
    qtbot.waitUntil(word_breaks_ready, timeout=60000)


def test_calendar_grid_breaks_a_too_wide_word_between_its_parts(qtbot, window):
    from PySide6.QtGui import QFontMetricsF
    from pmqa_desktop.ui.common.delegates import PAD_X
    from pmqa_desktop.ui.schedules.grid_models import CalendarModel
    _ready(qtbot)
    w = window
    year = planning.find_year(w.store, planning.find_organisation(w.store, "จังหวัดราชบุรี")["id"], 2554)
    w.select_key(("calendar", year["id"]))
    view = w.calendar_view
    step = planning.calendar_steps(w.store, year["id"])[0]
    dp_text = GOVERNOR
    w.store.update("calendar_step", step["id"], {"text": dp_text})
    table = view.table
    font = table.font()
    fm = QFontMetricsF(font)
    # the column narrower than ผู้ว่าราชการจังหวัด, wider than ผู้ว่าราชการ
    inner = int((fm.horizontalAdvance("ผู้ว่าราชการ") + fm.horizontalAdvance("ผู้ว่าราชการจังหวัด")) / 2)
    table.setColumnWidth(CalendarModel.COL_TEXT, inner + 2 * PAD_X)
    qtbot.waitUntil(lambda: view.model.cell_text(0, CalendarModel.COL_TEXT) == dp_text)
    table.grab()   # painted as the clerk sees it (the frozen columns by the view over them)
    width = table.columnWidth(CalendarModel.COL_TEXT) - 2 * PAD_X
    cache = table.cell_delegate.layouts
    laid = [(k, v) for k, v in cache._layouts.items() if k[0] == dp_text and k[1] == width]
    assert laid, "the grid laid the step's text out at its column's width"
    layout = laid[0][1][0]
    lines = _lines(layout, layout.text())
    assert "".join(t for t, _w in lines) == dp_text
    # the break is the program's own (a zero-width space), not left to libthai, which Windows lacks
    assert "ผู้ว่าราชการ\u200bจังหวัด" in layout.text()
    assert lines[0][0] == "ผู้ว่าราชการ"                      # broken between the word's parts
    assert set(_breaks(lines)) <= ALLOWED, lines                 # nowhere else inside a word
    assert all(wd <= width + 0.5 for _t, wd in lines), lines     # nothing cut at the cell's edge


def test_devplan_grid_breaks_a_too_wide_word_between_its_parts(qtbot, window):
    from PySide6.QtGui import QFontMetricsF, QTextLayout, QTextOption
    from PySide6.QtWidgets import QStyleOptionViewItem
    from pmqa_desktop.ui.devplan import pages
    from pmqa_desktop.ui.devplan.models import COL_RESP
    _ready(qtbot)
    w = window
    year = planning.find_year(w.store, planning.find_organisation(w.store, "จังหวัดระยอง")["id"], 2553)
    page = pages.open_page(w, year["id"], pages.DEVPLAN_PAGE)
    m = page.grid_model
    row = next(r for r in range(m.rowCount()) if m.is_step(r))
    sid = m.row_key(row)
    dp.update_step(w.store, sid, responsible=GOVERNOR)
    qtbot.waitUntil(lambda: GOVERNOR in (m.cell_text(m.row_of_key(sid), COL_RESP) or "").replace("\u200b", ""))
    row = m.row_of_key(sid)
    view = page.grid
    fm = QFontMetricsF(view.font())
    view.setColumnWidth(COL_RESP, int((fm.horizontalAdvance("ผู้ว่าราชการ")
                                       + fm.horizontalAdvance("ผู้ว่าราชการจังหวัด")) / 2) + 8)
    view.viewport().grab()
    index = m.index(row, COL_RESP)
    opt = QStyleOptionViewItem()
    opt.initFrom(view.viewport())
    opt.widget = view
    opt.font = view.font()
    opt.rect = view.visualRect(index)
    opt.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
    view.itemDelegateForIndex(index).initStyleOption(opt, index)
    # what Qt's item painting lays out: the option's text, wrapped at word boundaries
    width = opt.rect.width() - 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin,
                                                             None, view) + 1)
    layout = QTextLayout(opt.text, opt.font)
    to = QTextOption()
    to.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(to)
    layout.beginLayout()
    while True:
        ln = layout.createLine()
        if not ln.isValid():
            break
        ln.setLineWidth(width)
    layout.endLayout()
    lines = _lines(layout, opt.text)
    assert "".join(t for t, _w in lines) == GOVERNOR
    assert "ผู้ว่าราชการ\u200bจังหวัด" in opt.text   # the program's own break, on Windows too
    assert lines[0][0] == "ผู้ว่าราชการ" and set(_breaks(lines)) <= ALLOWED, lines
    assert all(wd <= width + 0.5 for _t, wd in lines), lines
