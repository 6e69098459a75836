"""Issue 11, what the first pass left: the seed's main activities without steps kept and printed,
step numbers printed exactly as typed ("3." and "3"), and screen grids breaking a word too wide for
its cell between its parts, as print does."""
from __future__ import annotations

import pytest

from pmqa_desktop.core.importers.devplan_import import parse_devplan
from pmqa_desktop.core.importers.text_tables import decode
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


@pytest.fixture
def devplan_seed(seeds_dir):
    path = seeds_dir / "001_23b239e2dbe53bed.txt"
    if not path.exists():
        path = seeds_dir / "rayong_2553_devplan_kpi72.txt"
    return decode(path.read_bytes())


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
