"""A document imported into another fiscal year than the one it names is stopped with a sentence
naming both years and what to do (the command line: exit 1, nothing changed; --year-anyway goes
on). The year is read from the title and headings (Thai or Arabic digits, any spacing) and from
the years in the month headings, never from the steps' text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from pmqa_desktop.cli import main
from pmqa_desktop.core.importers.document_year import fiscal_year_of_months, year_clash, years_named
from pmqa_desktop.core.importers.sources import parse_lines, parse_source, read_source
from pmqa_desktop.core.importers.text_tables import read_lines
from pmqa_desktop.core.thai_calendar import MonthKey, fiscal_months, month_span, to_thai_digits


def undated(seed_text):
    """The seed with no year anywhere in its title, headings or month headings."""
    text = seed_text.replace(" ประจำปีงบประมาณ พ.ศ. 2554", "").replace(" ปีงบประมาณ 2554", "")
    return re.sub(r"(?<=\.)(5[34])(?=[\t\r\n])", "", text)


# ---------------------------------------------------------------- reading the year

PREFIXES = ["ประจำปีงบประมาณ พ.ศ.", "ประจำปีงบประมาณ", "ปีงบประมาณ พ.ศ.", "ปีงบประมาณ", "ประจำปี พ.ศ.",
            "ประจำปี", "fiscal year", "Fiscal Year", "FY"]
SPACES = st.sampled_from(["", " ", "  ", "\u00a0", "\t"])


@settings(max_examples=200, deadline=None)
@given(year=st.integers(2450, 2650), prefix=st.sampled_from(PREFIXES), thai=st.booleans(),
       gap=SPACES, gap2=SPACES, before=st.sampled_from(["", "ปฏิทินในการดำเนินงาน จังหวัดราชบุรี ", "แผน "]),
       after=st.sampled_from(["", " (ฉบับปรับปรุง)", " จังหวัดน่าน", "\n"]))
def test_the_year_a_title_names_in_any_digits_and_spacing(year, prefix, thai, gap, gap2, before, after):
    prefix = prefix.replace(" พ.ศ.", gap + "พ.ศ.")
    digits = to_thai_digits(str(year)) if thai else str(year)
    assert years_named(before + prefix + gap2 + digits + after) == [year]


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2450, 2650), cut=st.integers(1, len("ปีงบประมาณ") - 1), thai=st.booleans())
def test_a_wrap_space_inside_the_word_does_not_hide_the_year(year, cut, thai):
    word = "ปีงบประมาณ"
    digits = to_thai_digits(str(year)) if thai else str(year)
    assert years_named("ประจำ" + word[:cut] + " " + word[cut:] + " พ.ศ. " + digits) == [year]


@settings(max_examples=100, deadline=None)
@given(yy=st.integers(40, 99), thai=st.booleans())
def test_two_digit_years_after_the_words_are_buddhist_era(yy, thai):
    digits = to_thai_digits(str(yy)) if thai else str(yy)
    assert years_named("ปีงบประมาณ " + digits) == [2500 + yy]


@pytest.mark.parametrize("text, years", [
    ("", []),
    ("ต.ค.53\tพ.ย.\t31 มี.ค. 54", []),                               # months and dates are not a fiscal year
    ("ตาม พ.ร.บ. ข้อมูลข่าวสารของราชการ พ.ศ. 2540", []),              # nor is a law's year
    ("ประจำปีงบประมาณ พ.ศ. 2554 - 2555", [2554, 2555]),
    ("ประจำปีงบประมาณ พ.ศ. 2554-55", [2554, 2555]),
    ("fiscal year 2011", [2554]),                                      # a Christian-era year, said so in English
    ("ประจำปีงบประมาณ พ.ศ. 2011", []),                                 # พ.ศ. with a C.E. number: unreadable
    ("ปีงบประมาณ 25541", []),
    ("certify 2554", []),
])
def test_what_is_and_is_not_a_named_year(text, years):
    assert years_named(text) == years


def test_the_fiscal_year_of_the_months():
    assert fiscal_year_of_months(month_span(MonthKey(2010, 10), 14)) == 2554      # the seed's ต.ค.53 - พ.ย.54
    assert fiscal_year_of_months(month_span(MonthKey(2011, 4), 7)) == 2554        # its weekly plan, เม.ย. - ต.ค.54
    assert fiscal_year_of_months(fiscal_months(2555)) == 2555
    assert fiscal_year_of_months(month_span(MonthKey(2011, 4), 12)) is None       # six months of each: cannot tell
    assert fiscal_year_of_months([]) is None


# ---------------------------------------------------------------- every kind of form

@pytest.mark.parametrize("kind", ["calendar", "weekly"])
def test_the_seed_schedules_name_2554(seed_text, kind):
    prev = parse_lines(kind, read_lines(seed_text), 2555)
    clash = year_clash(prev, 2555)
    assert clash is not None and (clash.document, clash.target) == (2554, 2555)
    assert "2554" in clash.sentence() and "2555" in clash.sentence()
    assert year_clash(parse_lines(kind, read_lines(seed_text), 2554), 2554) is None


def test_the_steps_own_years_do_not_count(seed_text):
    """Step 14 plans next year's work ("ประจำปีงบประมาณ พ.ศ. 2555"): the calendar is still 2554's."""
    assert "ประจำปีงบประมาณ พ.ศ. 2555" in seed_text
    prev = parse_lines("calendar", read_lines(seed_text), 2554)
    assert set(prev.named_years) == {2554}
    assert year_clash(prev, 2554) is None


def test_the_seed_development_plans_name_2553(devplan_seed):
    prev = parse_lines("devplan", read_lines(devplan_seed), 2555)
    clash = year_clash(prev, 2555)
    assert clash is not None and clash.document == 2553
    assert year_clash(parse_lines("devplan", read_lines(devplan_seed), 2553), 2553) is None


def test_the_months_tell_the_year_when_the_title_does_not(seed_text):
    text = seed_text.replace(" ประจำปีงบประมาณ พ.ศ. 2554", "").replace(" ปีงบประมาณ 2554", "")
    prev = parse_lines("calendar", read_lines(text), 2555)
    assert prev.named_years == []
    clash = year_clash(prev, 2555)
    assert clash is not None and clash.document == 2554
    assert "ต.ค.53" in clash.sentence() and "พ.ย.54" in clash.sentence()


def test_a_document_naming_no_year_goes_anywhere(seed_text):
    text = undated(seed_text)
    for kind in ("calendar", "weekly"):
        prev = parse_lines(kind, read_lines(text), 2560)
        assert prev.errors == [] and prev.named_years == [] and not prev.months_dated
        assert year_clash(prev, 2560) is None


def test_thai_digits_in_the_title_and_the_months(seed_text):
    lines = seed_text.split("\n")
    lines[2] = to_thai_digits(lines[2])                        # the title, ๒๕๕๔
    lines[5] = lines[5].replace("ต.ค.53", "ต.ค.๕๓").replace("พ.ย.54", "พ.ย.๕๔")
    prev = parse_lines("calendar", read_lines("\n".join(lines)), 2556)
    assert 2554 in prev.named_years and prev.months_dated
    assert year_clash(prev, 2556).document == 2554


def _exported(demo_db, tmp_path, form, year, org, name, extra=()):
    out = tmp_path / name
    assert main(["print", form, "--db", str(demo_db), "--year", str(year), "--org", org, "--out", str(out),
                 *extra]) == 0
    return out


def test_exported_owner_forms_and_progress_reports_name_their_year(demo_db, tmp_path):
    owners = _exported(demo_db, tmp_path, "owners", 2554, "จังหวัดราชบุรี", "owners.xlsx")
    prev = parse_source("catalog", read_source(owners))
    assert year_clash(prev, 2555).document == 2554 and year_clash(prev, 2554) is None
    report = _exported(demo_db, tmp_path, "progress", 2553, "จังหวัดระยอง", "p.xlsx", ("--round", "9"))
    prev = parse_source("progress", read_source(report), 2554)
    assert year_clash(prev, 2554).document == 2553 and year_clash(prev, 2553) is None


def test_the_seed_catalog_names_no_year(seeds_dir):
    from pmqa_desktop.core.importers.catalog_import import parse_catalog
    from pmqa_desktop.core.importers.text_tables import decode
    path = seeds_dir / "002_dc85deca556a7fd8.txt"
    if not path.exists():
        path = seeds_dir / "criteria_catalog_owners.txt"
    assert year_clash(parse_catalog(decode(path.read_bytes())), 2599) is None


def test_months_without_years_are_read_in_the_chosen_fiscal_year(seed_text):
    """A calendar whose headings say only "ต.ค. พ.ย. ..." imported into FY 2560 starts in ต.ค.59
    (the fiscal year's first month), not in ต.ค.60, a year later."""
    prev = parse_lines("calendar", read_lines(undated(seed_text)), 2560)
    assert prev.months[0] == MonthKey(2016, 10) and fiscal_year_of_months(prev.months) == 2560
    prev = parse_lines("weekly", read_lines(undated(seed_text)), 2560)
    assert prev.months[0] == MonthKey(2017, 4)
