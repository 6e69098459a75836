"""The demo database (the seeds, read by the program's own importers) and the large
generated database the benchmarks use."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from ..resources import SEED_CALENDAR_WEEKLY, SEED_CATALOG
from .importers import catalog_import, schedule_import
from .devplan_demo import add_large_devplans, add_rayong_demo
from .importers.text_tables import read_seed
from .storage import planning
from .storage.store import Actor, Store
from .thai_calendar import fiscal_year_start

DEMO_OFFICE = "demo"

# The parts of the demo beyond the calendar and weekly plan (the Rayong development plans).
DEMO_EXTRAS: list = [add_rayong_demo]


def ensure_catalog(store: Store) -> None:
    """Give an empty file the standard criteria catalog, short names from the weekly plan."""
    if not catalog_import.catalog_is_empty(store):
        return
    weekly = schedule_import.parse_weekly(read_seed(SEED_CALENDAR_WEEKLY))
    short = {r.code: r.short_name for r in weekly.rows}
    catalog_import.load_catalog(store, catalog_import.parse_catalog(read_seed(SEED_CATALOG)), short)


def build_demo(store: Store) -> None:
    with store.transaction():
        ensure_catalog(store)
        text = read_seed(SEED_CALENDAR_WEEKLY)
        cal = schedule_import.parse_calendar(text)
        weekly = schedule_import.parse_weekly(text)
        org = planning.add_organisation(store, "จังหวัดราชบุรี", province="ราชบุรี", kind="province")
        year = planning.add_fiscal_year(store, org, cal.year_be or 2554)
        schedule_import.apply_calendar(store, cal, year)
        schedule_import.apply_weekly(store, weekly, year)
        for extra in DEMO_EXTRAS:
            extra(store)
        if not planning.find_organisation(store, "จังหวัดระยอง"):
            rayong = planning.add_organisation(store, "จังหวัดระยอง", province="ระยอง", kind="province")
            planning.add_fiscal_year(store, rayong, 2553)


def write_demo(path: str | Path, large: bool = False, actor: Actor | None = None) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    if tmp.exists():
        tmp.unlink()
    store = Store.open(tmp, actor or Actor(office=DEMO_OFFICE))
    try:
        if large:
            build_large(store)
        else:
            build_demo(store)
    finally:
        store.close()
    tmp.replace(path)
    return path


# ---------------------------------------------------------------- large generated file

LARGE_AGENCIES = 35
LARGE_YEARS = 10
LARGE_CALENDAR_STEPS = 2000     # per year, in the provincial office's calendar
LARGE_CRITERIA = 40
LARGE_WEEKS = 52


def build_large(store: Store, agencies: int = LARGE_AGENCIES, years: int = LARGE_YEARS,
                steps_per_year: int = LARGE_CALENDAR_STEPS, seed: int = 2554,
                texts: Callable[[random.Random, int], str] | None = None) -> None:
    """35 agencies' worth: a provincial office and its agencies, 10 fiscal years each;
    2,000 calendar steps a year, and 40 criteria x 52 weeks of weekly plan a year per office.
    ``texts(rnd, words)`` gives the step and activity texts (the benchmarks pass real Thai
    rows); by default short phrases of a few common words."""
    rnd = random.Random(seed)
    words = ["ประชุม", "ชี้แจง", "รายงานผล", "ความก้าวหน้า", "การดำเนินงาน", "ติดตาม", "ประเมินผล",
             "จัดทำแผน", "ทบทวน", "ผู้บริหาร", "ส่วนราชการ", "คณะทำงาน", "ตัวชี้วัด", "เผยแพร่"]

    def phrase(n: int) -> str:
        if texts is not None:
            return texts(rnd, n)
        return " ".join(rnd.choice(words) for _ in range(n))

    with store.transaction():
        build_demo(store)
        crits = planning.criteria(store)[:LARGE_CRITERIA]
        province = planning.add_organisation(store, "จังหวัดตัวอย่าง", province="ตัวอย่าง")
        orgs = [province] + [planning.add_organisation(store, f"ส่วนราชการที่ {i + 1}", province="ตัวอย่าง",
                                                       kind="agency", parent_id=province)
                             for i in range(agencies)]
        first_year = 2560
        for org_index, org in enumerate(orgs):
            n_steps = steps_per_year if org_index == 0 else 20
            for y in range(years):
                year_be = first_year + y
                start = fiscal_year_start(year_be)
                yid = planning.add_fiscal_year(store, org, year_be, weekly_start=start, weekly_months=13,
                                               calendar_title=f"ปฏิทินการดำเนินงาน ปีงบประมาณ พ.ศ. {year_be}")
                step_ids = store.insert_many("calendar_step", (
                    {"year_id": yid, "sort_key": float(k + 1), "text": f"{k + 1}. {phrase(6)}", "remark": ""}
                    for k in range(n_steps)))
                cells = []
                for sid in step_ids:
                    for _ in range(2):
                        m = start.shifted(rnd.randrange(12))
                        cells.append({"step_id": sid, "month": m.key,
                                      "text": f"{rnd.randint(1, 28)} {m.abbr(with_year=False)} {m.be % 100}"})
                store.insert_many("calendar_cell", cells)
                row_ids = store.insert_many("weekly_row", (
                    {"year_id": yid, "criterion_id": c["id"], "label": "", "sort_key": float(k + 1), "remark": ""}
                    for k, c in enumerate(crits)))
                acts = []
                for rid in row_ids:
                    w = 0
                    while w < LARGE_WEEKS:
                        span = rnd.choice((1, 1, 2, 3, 4))
                        span = min(span, LARGE_WEEKS - w)
                        m = start.shifted(w // 4)
                        acts.append({"row_id": rid, "month": m.key, "week": w % 4 + 1, "span": span,
                                     "text": phrase(3)})
                        w += span
                store.insert_many("weekly_activity", acts)
        add_large_devplans(store, orgs, rnd)   # development plans, KPIs and rounds

