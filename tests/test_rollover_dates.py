"""Rolling a fiscal year over moves the dates written in its texts by the years rolled
("31 มี.ค. 54" -> "31 มี.ค. 55"), keeps texts without a year, and lists what it changed and
what it could not read: the date shifter (with Hypothesis), the core rollover, the window."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from PySide6.QtCore import Qt

from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_calendar import (MONTH_ABBR, MONTH_FULL, MonthKey, parse_cell_date, shift_years,
                                             to_thai_digits)

# ---------------------------------------------------------------- the date shifter

months = st.integers(1, 12)
short_years = st.integers(40, 79)            # 2540 .. 2579
years_rolled = st.integers(-5, 5)


@st.composite
def typed_dates(draw):
    """A date as clerks type it: one day, a range or two days, with a two-digit B.E. year."""
    month = draw(months)
    d1 = draw(st.integers(1, 28))
    form = draw(st.sampled_from(["day", "range", "days"]))
    yy = draw(short_years)
    if form == "day":
        days = f"{d1}"
    else:
        d2 = draw(st.integers(d1 + 1 if form == "range" else 1, 28)) if d1 < 28 else 28
        if form == "range" and d2 <= d1:
            form, days = "day", f"{d1}"
        else:
            days = f"{d1} - {d2}" if form == "range" else f"{d1} / {d2}"
    spacing = draw(st.sampled_from([" ", ""]))
    text = f"{days} {MONTH_ABBR[month - 1]}{spacing}{yy:02d}"
    return text, month, yy


@given(typed_dates(), years_rolled, st.booleans())
def test_a_typed_date_moves_by_the_years_rolled_and_reads_the_same_day(date, years, thai):
    text, month, yy = date
    if thai:
        text = to_thai_digits(text)
    res = shift_years(text, years)
    before = parse_cell_date(text)
    after = parse_cell_date(res.text)
    assert after.kind == before.kind and after.days == before.days
    assert after.month == MonthKey(before.month.year + years, month)
    assert res.status == ("changed" if years else "unchanged")
    # the digits stay as written (Thai or Arabic) and moving back gives the text typed
    assert any(c in "๐๑๒๓๔๕๖๗๘๙" for c in res.text) == thai
    assert shift_years(res.text, -years).text == text


@given(months, st.integers(2500, 2600), years_rolled, st.booleans())
def test_full_years_move_in_month_names_and_standing_alone(month, be, years, thai):
    text = f"ภายใน {MONTH_FULL[month - 1]} {be} ตามแผนปีงบประมาณ พ.ศ. {be}"
    if thai:
        text = to_thai_digits(text)
    res = shift_years(text, years)
    expected = f"ภายใน {MONTH_FULL[month - 1]} {be + years} ตามแผนปีงบประมาณ พ.ศ. {be + years}"
    assert res.text == (to_thai_digits(expected) if thai else expected)


@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E4E) | st.sampled_from(" ./-"),
               max_size=30), years_rolled)
def test_texts_without_digits_are_kept_as_they_are(text, years):
    res = shift_years(text, years)
    assert res.text == text and res.status in ("unchanged", "unread")


def test_texts_without_a_year_are_kept():
    for text in ("ทุกวันพุธ", "18 / 29 เม.ย.", "ร้อยละ 80", "งบประมาณ 2,554 บาท", "ครบทั้ง 7 หมวด", ""):
        res = shift_years(text, 1)
        assert (res.text, res.status) == (text, "unchanged"), text


def test_examples_from_the_seeds():
    assert shift_years("31 มี.ค. 54", 1).text == "31 มี.ค. 55"
    assert shift_years("9 - 10 มิ.ย. 54", 1).text == "9 - 10 มิ.ย. 55"
    assert shift_years("* 24-25 พ.ค. 54 *", 1).text == "* 24-25 พ.ค. 55 *"
    assert shift_years("ต.ค.53 - ก.ย.54", 1).text == "ต.ค.54 - ก.ย.55"
    assert shift_years("๓๑ มี.ค. ๕๔", 1).text == "๓๑ มี.ค. ๕๕"
    assert shift_years("ประจำปี 2554", 2).text == "ประจำปี 2556"
    assert shift_years("ส่ง 1 ม.ย. 54", 1).text == "ส่ง 1 ม.ย. 55"     # a typo's year moves too
    assert shift_years("31 ธ.ค. 99", 1).text == "31 ธ.ค. 00"           # 2599 -> 2600


def test_what_cannot_be_read_is_kept_and_said():
    res = shift_years("ภายในมีนา 54", 1)
    assert (res.text, res.status) == ("ภายในมีนา 54", "unread")
    res = shift_years("29 ก.พ. 55", 1)          # 2555 (2012) is a leap year, 2556 is not
    assert res.text == "29 ก.พ. 56" and res.check == ("29 ก.พ. 55",)


# ---------------------------------------------------------------- the rollover

def _ratchaburi_2554(store):
    org = planning.find_organisation(store, "จังหวัดราชบุรี")
    return planning.find_year(store, org["id"], 2554)


def _cells(store, year_id):
    return {(n, m): c["text"] for n, s in enumerate(planning.calendar_steps(store, year_id), start=1)
            for m, c in s["cells"].items()}


def test_roll_over_moves_the_calendars_dates_and_reports_them(demo_store):
    store = demo_store
    src = _ratchaburi_2554(store)
    step9 = planning.calendar_steps(store, src["id"])[8]
    planning.set_calendar_cell(store, step9["id"], "2011-03", "ภายในมีนา 54")
    report = planning.RolloverReport()
    new_id = planning.roll_over(store, src["id"], 2555, report)
    cells = _cells(store, new_id)
    assert cells[(1, "2012-03")] == "31 มี.ค. 55"
    assert cells[(3, "2012-04")] == "8 เม.ย. 55"
    assert cells[(7, "2012-06")] == "9 - 10 มิ.ย. 55"
    assert cells[(6, "2012-04")] == "18 / 29 เม.ย."        # no year: kept
    assert cells[(8, "2012-05")] == "ทุกวันพุธ"              # kept
    assert cells[(9, "2012-03")] == "ภายในมีนา 54"           # unread: kept, and listed
    assert [t for t in cells.values() if "54" in t] == ["ภายในมีนา 54"]
    weekly = [a["text"] for r in planning.weekly_rows(store, new_id) for a in r["activities"]]
    assert any("24-25 พ.ค. 55" in t for t in weekly) and not any("พ.ค. 54" in t for t in weekly)
    steps = [s["text"] for s in planning.calendar_steps(store, new_id)]
    assert "ประจำปี 2555" in steps[6] and "2554" not in " ".join(steps[:13])
    moved = {(n.before, n.after) for n in report.changed}
    assert ("31 มี.ค. 54", "31 มี.ค. 55") in moved and ("9 - 10 มิ.ย. 54", "9 - 10 มิ.ย. 55") in moved
    assert not any(n.before in ("ทุกวันพุธ", "18 / 29 เม.ย.") for n in report.changed)
    assert [(n.place, n.before) for n in report.unread] == [("ปฏิทิน ขั้นตอนที่ 9, มี.ค.55", "ภายในมีนา 54")]
    assert report.year_id == new_id


def test_roll_over_two_years_moves_dates_by_two(demo_store):
    src = _ratchaburi_2554(demo_store)
    new_id = planning.roll_over(demo_store, src["id"], 2556)
    assert _cells(demo_store, new_id)[(1, "2013-03")] == "31 มี.ค. 56"


# ---------------------------------------------------------------- in the window

@pytest.mark.qt_log_ignore("does not support propagateSizeHints")   # the offscreen plugin's limit
def test_the_window_lists_the_moved_dates_after_a_rollover(qtbot, window):
    store = window.store
    src = _ratchaburi_2554(store)
    window.organisations.roll_over(src["id"])
    dlg = window.last_dialog
    assert dlg.target.value() == 2555
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    report = window.last_dialog
    assert report.objectName() == "rollover_report" and report.isVisible()
    rows = {tuple(report.changed.item(r, c).text() for c in range(3)) for r in range(report.changed.rowCount())}
    assert ("ปฏิทิน ขั้นตอนที่ 1, มี.ค.55", "31 มี.ค. 54", "31 มี.ค. 55") in rows
    assert not report.unread.isVisibleTo(report)      # every date in the demo was read
    new = planning.find_year(store, src["org_id"], 2555)
    assert _cells(store, new["id"])[(1, "2012-03")] == "31 มี.ค. 55"
    report.close()
    # one undo takes the new year, dates and all, away
    window.action_undo.trigger()
    assert planning.find_year(store, src["org_id"], 2555) is None
