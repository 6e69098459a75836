"""Thai calendar: Buddhist era, fiscal years, headers, and the date forms clerks type."""
from hypothesis import given, strategies as st

from pmqa_desktop.core.thai_calendar import (
    MonthKey, fiscal_months, fiscal_year_of, fiscal_year_start, format_thai_date, from_thai_digits,
    header_labels, month_candidates, parse_cell_date, parse_month_header, to_thai_digits)


def test_fiscal_year_2554_runs_october_2553_to_september_2554():
    months = fiscal_months(2554)
    assert months[0] == MonthKey(2010, 10) and months[-1] == MonthKey(2011, 9)
    assert [m.abbr(with_year=False) for m in months] == [
        "ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
    assert fiscal_year_of(MonthKey(2010, 10)) == 2554
    assert fiscal_year_of(MonthKey(2010, 9)) == 2553


def test_headers_of_the_seed_calendar_span():
    months = [fiscal_year_start(2554).shifted(i) for i in range(14)]
    labels = header_labels(months)
    assert labels[0] == "ต.ค.53" and labels[-1] == "พ.ย.54" and labels[3] == "ม.ค.54"
    assert labels[1] == "พ.ย." and len(labels) == 14


def test_thai_digits_round_trip():
    assert to_thai_digits("31 มี.ค. 54") == "๓๑ มี.ค. ๕๔"
    assert from_thai_digits("๒๕๕๔") == "2554"


def test_parse_day_forms():
    c = parse_cell_date("31 มี.ค. 54")
    assert c.kind == "day" and c.days == (31,) and c.month == MonthKey(2011, 3)
    c = parse_cell_date("9 - 10 มิ.ย. 54")
    assert c.kind == "range" and c.days == (9, 10) and c.month == MonthKey(2011, 6)
    c = parse_cell_date("18 / 29 เม.ย.", column_month=MonthKey(2011, 4))
    assert c.kind == "days" and c.days == (18, 29) and c.month == MonthKey(2011, 4)
    assert parse_cell_date("ทุกวันพุธ").kind == "recurring"
    assert parse_cell_date("๓๑ มี.ค. ๕๔").days == (31,)


def test_impossible_dates_stay_text():
    assert parse_cell_date("31 ก.พ. 54").kind == "text"
    assert parse_cell_date("10 - 9 มิ.ย. 54").kind == "text"
    assert parse_cell_date("ประชุมทุกเดือน").kind == "text"


def test_typos_are_recognised_and_settled_by_sequence():
    assert month_candidates("ม.ย.") == (4, 6)
    assert parse_month_header("ม.ย.54") == MonthKey(2011, 4)
    assert parse_month_header("มี.ย.54", expected=MonthKey(2011, 6)) == MonthKey(2011, 6)
    assert parse_month_header("มิ.ค.53", expected=MonthKey(2010, 3)) == MonthKey(2010, 3)
    assert parse_month_header("ค.ค.", expected=MonthKey(2010, 7)) == MonthKey(2010, 7)
    c = parse_cell_date("1 มิ.ค. 53")
    assert c.typo and c.month == MonthKey(2010, 3)


def test_two_digit_and_four_digit_years():
    assert parse_month_header("ต.ค.53") == MonthKey(2010, 10)
    assert parse_month_header("ต.ค. 2553") == MonthKey(2010, 10)
    assert parse_month_header("ต.ค. 2010") == MonthKey(2010, 10)


@given(st.integers(2400, 2700), st.integers(0, 11), st.integers(1, 28), st.booleans())
def test_formatted_dates_parse_back(year_be, m, day, thai):
    month = fiscal_year_start(year_be).shifted(m)
    text = format_thai_date(day, month, thai_digits=thai)
    parsed = parse_cell_date(text, default_be=month.be)
    assert parsed.kind == "day" and parsed.days == (day,) and parsed.month == month


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(-400, 400))
def test_month_arithmetic(year, month, delta):
    m = MonthKey(year, month)
    assert m.shifted(delta).shifted(-delta) == m
    assert m.months_until(m.shifted(delta)) == delta


@given(st.text(max_size=40))
def test_parsing_never_raises(text):
    parse_cell_date(text)
    parse_month_header(text)
