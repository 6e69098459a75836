"""Importing seed 000 (Ratchaburi FY 2554) reproduces every step, month cell and weekly activity.

The expectations are read from the seed text itself with a plain tab split here, not from a
snapshot of the program's output.
"""
import re

import pytest

from pmqa_desktop.core.importers import catalog_import, schedule_import
from pmqa_desktop.core.importers.text_tables import decode
from pmqa_desktop.core.storage import Actor, Store, planning

SEED = "000_395ec6b56e446c56.txt"
WEEKLY_MONTHS = ["2011-04", "2011-05", "2011-06", "2011-07", "2011-08", "2011-09", "2011-10"]


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture
def seed_text(seeds_dir):
    path = seeds_dir / SEED
    if not path.exists():
        path = seeds_dir / "ratchaburi_2554_calendar_weekly.txt"
    return decode(path.read_bytes())


@pytest.fixture
def imported(tmp_path, seed_text, seeds_dir):
    store = Store.open(tmp_path / "t.db", Actor(office="test"))
    cat_path = seeds_dir / "002_dc85deca556a7fd8.txt"
    if not cat_path.exists():
        cat_path = seeds_dir / "criteria_catalog_owners.txt"
    catalog_import.load_catalog(store, catalog_import.parse_catalog(decode(cat_path.read_bytes())))
    org = planning.add_organisation(store, "จังหวัดราชบุรี")
    yid = planning.add_fiscal_year(store, org, 2554)
    cal = schedule_import.parse_calendar(seed_text)
    wk = schedule_import.parse_weekly(seed_text)
    assert cal.errors == [] and wk.errors == []
    schedule_import.apply_calendar(store, cal, yid)
    schedule_import.apply_weekly(store, wk, yid)
    yield store, yid
    store.close()


def seed_rows(text):
    return [line.split("\t") for line in text.split("\n")]


def test_every_calendar_step_and_cell(imported, seed_text):
    store, yid = imported
    steps = planning.calendar_steps(store, yid)
    # the calendar tables: a step number, then 14 month cells and the remark (18-19 cells)
    expected = [r for r in seed_rows(seed_text) if r[0].strip().isdigit() and 10 < len(r) < 25]
    assert len(expected) == 18 and len(steps) == 18
    for pos, (row, step) in enumerate(zip(expected, steps), start=1):
        assert int(row[0]) == pos
        assert norm(step["text"]) == norm(row[1])
        seed_cells = sorted(norm(c) for c in row[2:] if c.strip())
        ours = sorted([norm(c["text"]) for c in step["cells"].values()]
                      + ([norm(step["remark"])] if step["remark"] else []))
        assert ours == seed_cells
    year = store.get("fiscal_year", yid)
    months = planning.calendar_months(year)
    assert (months[0].key, months[-1].key, len(months)) == ("2010-10", "2011-11", 14)
    # Cells that name a date sit in that date's month.
    by_text = {norm(c["text"]): m for s in steps for m, c in s["cells"].items()}
    assert by_text["31 มี.ค. 54"] == "2011-03"
    assert by_text["8 เม.ย. 54"] == "2011-04"
    assert by_text["9 - 10 มิ.ย. 54"] == "2011-06"
    assert by_text["18 / 29 เม.ย."] == "2011-04"
    assert steps[7]["remark"] == "รายละเอียดตามแผนการดำเนินงาน PMQA ปี 54"


def test_every_weekly_activity_in_its_week(imported, seed_text):
    store, yid = imported
    rows = planning.weekly_rows(store, yid)
    seed = [r for r in seed_rows(seed_text) if len(r) > 29 and re.match(r"^(LD|SP|CS|IT|HR|PM)\s*\d", r[1].strip())]
    assert len(seed) == 39 and len(rows) == 39
    by_code = {r["criterion_code"]: r for r in rows}
    for srow in seed:
        code = re.sub(r"\s+", "", re.match(r"^([A-Z]{2}\s*\d+)", srow[1].strip()).group(1))
        row = by_code[code]
        acts = {(a["month"], a["week"]): norm(a["text"]) for a in row["activities"]}
        expected = {}
        for j in range(2, 30):
            if j < len(srow) and srow[j].strip():
                expected[(WEEKLY_MONTHS[(j - 2) // 4], (j - 2) % 4 + 1)] = norm(srow[j])
        assert acts == expected, code
        overflow = [norm(c) for c in srow[30:] if c.strip()]
        assert [norm(x) for x in row["remark"].split(" | ") if x.strip()] == overflow, code


def test_criteria_get_short_names_from_the_weekly_plan(tmp_path):
    from pmqa_desktop.core.demo import ensure_catalog
    store = Store.open(tmp_path / "c.db")
    ensure_catalog(store)
    by_code = planning.criteria_by_code(store)
    assert by_code["LD2"]["short_name"] == "การมอบอำนาจ"
    assert by_code["IT3"]["short_name"] == "การคำนวณสถิติมวลรวมจังหวัด (GPP)"


def test_import_with_an_unreadable_row_changes_nothing(tmp_path, seed_text):
    store = Store.open(tmp_path / "t.db")
    org = planning.add_organisation(store, "จังหวัดราชบุรี")
    yid = planning.add_fiscal_year(store, org, 2554)
    broken = seed_text.replace("\nไม่มี", "").replace("\n2\tแต่งตั้ง", "\nสอง\tแต่งตั้ง")
    cal = schedule_import.parse_calendar(broken)
    assert cal.errors and cal.errors[0].line == 8
    with pytest.raises(Exception):
        schedule_import.apply_calendar(store, cal, yid)
    assert planning.calendar_steps(store, yid) == []


def test_catalog_from_seed_002(seeds_dir):
    path = seeds_dir / "002_dc85deca556a7fd8.txt"
    if not path.exists():
        path = seeds_dir / "criteria_catalog_owners.txt"
    prev = catalog_import.parse_catalog(decode(path.read_bytes()))
    codes = {c.code: [x.code for x in c.criteria] for c in prev.categories}
    assert list(codes) == ["P", "1", "2", "3", "4", "5", "6", "7"]
    assert codes["1"] == [f"LD{i}" for i in range(1, 8)]
    assert codes["5"] == [f"HR{i}" for i in range(1, 6)]
    assert codes["7"] == [f"RM{i}" for i in range(1, 7)]
    crit = {x.code: x for c in prev.categories for x in c.criteria}
    assert crit["LD5"].group_title == "ธรรมาภิบาลและความรับผิดชอบต่อสังคม"
    assert crit["RM4"].full_text.endswith("แผนการจัดการความรู้อย่างน้อย 3 องค์ความรู้")


def test_headless_import_command(tmp_path, seeds_dir):
    from pmqa_desktop.cli import main
    src = seeds_dir / SEED
    if not src.exists():
        src = seeds_dir / "ratchaburi_2554_calendar_weekly.txt"
    db = tmp_path / "new.db"
    assert main(["import-text", "--db", str(db), "--kind", "calendar", "--year", "2554", str(src)]) == 0
    assert main(["import-text", "--db", str(db), "--kind", "weekly", "--year", "2554", str(src)]) == 0
    store = Store.open(db)
    [org] = planning.organisations(store)
    assert org["name"] == "จังหวัดราชบุรี"
    year = planning.find_year(store, org["id"], 2554)
    assert len(planning.calendar_steps(store, year["id"])) == 18
    assert len(planning.weekly_rows(store, year["id"])) == 39


def test_roll_over_shifts_months_by_a_year(demo_store):
    store = demo_store
    org = planning.find_organisation(store, "จังหวัดราชบุรี")
    y54 = planning.find_year(store, org["id"], 2554)
    planning.set_owner(store, y54["id"], planning.criteria_by_code(store)["LD2"]["id"],
                       {"name": "นายสมชาย ใจดี", "email": "somchai@example.go.th", "phone": "0 3233 7000"})
    y55 = planning.roll_over(store, y54["id"])
    old, new = planning.calendar_steps(store, y54["id"]), planning.calendar_steps(store, y55)
    # the texts are copied with the years written in them moved on (test_rollover_dates.py)
    assert [s["text"].replace("2554", "2555") for s in old] == [s["text"].replace("2556", "2555") for s in new]
    assert sorted(new[0]["cells"]) == ["2012-03"] and new[0]["cells"]["2012-03"]["text"] == "31 มี.ค. 55"
    wk_old, wk_new = planning.weekly_rows(store, y54["id"]), planning.weekly_rows(store, y55)
    assert sum(len(r["activities"]) for r in wk_old) == sum(len(r["activities"]) for r in wk_new)
    assert wk_new[0]["activities"][0]["month"] == "2012-04"
    assert planning.owner(store, y55, planning.criteria_by_code(store)["LD2"]["id"])["name"] == "นายสมชาย ใจดี"
    year = store.get("fiscal_year", y55)
    assert year["calendar_start"] == "2011-10" and "2555" in year["calendar_title"]


@pytest.mark.parametrize("email,ok", [("a@b.go.th", True), ("ab.go.th", False), ("a@b", False), ("", True)])
def test_owner_email_validation(demo_store, email, ok):
    from pmqa_desktop.core.errors import ValidationError
    org = planning.find_organisation(demo_store, "จังหวัดราชบุรี")
    y = planning.find_year(demo_store, org["id"], 2554)
    crit = planning.criteria_by_code(demo_store)["LD1"]
    if ok:
        planning.set_owner(demo_store, y["id"], crit["id"], {"email": email})
    else:
        with pytest.raises(ValidationError):
            planning.set_owner(demo_store, y["id"], crit["id"], {"email": email})
        assert planning.owner(demo_store, y["id"], crit["id"]) is None
