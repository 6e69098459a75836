"""Development plans in the demo database (Rayong FY 2553 from seed 001, with round results)
and in the large generated database the benchmarks use.

``add_rayong_demo(store)`` is in ``demo.DEMO_EXTRAS``; ``add_large_devplans`` is called by
``demo.build_large``. (One way only: ``demo`` uses this module, never the other way round.)
"""
from __future__ import annotations

import json
import random
from datetime import date

from ..resources import SEED_DEVPLAN
from .storage import devplan as dp
from .storage import planning
from .storage.store import Store
from .thai_calendar import fiscal_year_start

RAYONG = "จังหวัดระยอง"
RAYONG_YEAR = 2553


def rayong_year(store: Store) -> str:
    """The Rayong organisation's FY 2553 (created when missing)."""
    org = planning.find_organisation(store, RAYONG)
    org_id = org["id"] if org else planning.add_organisation(store, RAYONG, province="ระยอง", kind="province")
    year = planning.find_year(store, org_id, RAYONG_YEAR)
    return year["id"] if year else planning.add_fiscal_year(store, org_id, RAYONG_YEAR)


def add_rayong_demo(store: Store) -> None:
    """Import seed 001 under จังหวัดระยอง FY 2553 and report rounds 6 and 9 on it."""
    from .importers.text_tables import read_seed
    from .importers.devplan_import import apply_devplan, parse_devplan
    with store.transaction():
        year_id = rayong_year(store)
        if dp.plans(store, year_id):
            return
        preview = parse_devplan(read_seed(SEED_DEVPLAN), RAYONG_YEAR)
        apply_devplan(store, preview, year_id)
        _demo_rounds(store, year_id)


def _demo_rounds(store: Store, year_id: str) -> None:
    """Results and progress for rounds 6 (to มี.ค.53) and 9 (to มิ.ย.53), as a clerk would report."""
    r6, r9 = date(2010, 4, 5), date(2010, 7, 6)
    for plan in dp.plans(store, year_id):
        for s in dp.plan_steps(store, plan["id"]):
            end = s["end_month"] or ""
            start = s["start_month"] or ""
            if end and end <= "2010-03":
                dp.set_step_progress(store, s["id"], 6, status="done", evidence="รายงานการประชุม", reported_on=r6)
            elif start and start <= "2010-03":
                dp.set_step_progress(store, s["id"], 6, status="in_progress", percent=50, reported_on=r6)
            if end and end <= "2010-05":
                dp.set_step_progress(store, s["id"], 9, status="done", evidence="สรุปผลการดำเนินงาน", reported_on=r9)
            elif end == "2010-06":   # due in June, reported 80 % in round 9: overdue as of July
                dp.set_step_progress(store, s["id"], 9, status="in_progress", percent=80, reported_on=r9)
            elif start and start <= "2010-07":
                dp.set_step_progress(store, s["id"], 9, status="in_progress", percent=30, reported_on=r9)
            elif not start:
                dp.set_step_progress(store, s["id"], 9, status="in_progress", percent=50, reported_on=r9)
        values = [(62, 72), (58, 66), (70, 76), (12, 8)]
        for k, kp in enumerate(dp.kpis(store, plan["id"])):
            a6, a9 = values[k % len(values)] if "ไม่พึงพอใจ" not in kp["text"] else values[3]
            dp.set_kpi_result(store, kp["id"], 6, a6, note="", reported_on=r6)
            dp.set_kpi_result(store, kp["id"], 9, a9, note="", reported_on=r9)


# ---------------------------------------------------------------- large generated file

LARGE_PLANS = 3
LARGE_ACTIVITIES = 3
LARGE_STEPS = 4
LARGE_KPIS = 4


def add_large_devplans(store: Store, org_ids: list[str], rnd: random.Random | None = None) -> int:
    """Every fiscal year of the given organisations gets 3 plans x 3 activities x 4 steps and
    4 KPIs (one per dimension) with results and step progress for rounds 6, 9 (and 12 on some)."""
    rnd = rnd or random.Random(2553)
    cats = [c["id"] for c in planning.categories(store) if c["code"] in "1234567"]
    words = ["ประชุม", "ชี้แจง", "รายงานผล", "จัดทำแผน", "ทบทวน", "ติดตาม", "ประเมินผล", "คณะทำงาน"]
    n = 0
    with store.transaction():
        for org in org_ids:
            for year in planning.fiscal_years(store, org):
                start = fiscal_year_start(year["year_be"])
                plans = store.insert_many("dev_plan", (
                    {"year_id": year["id"], "category_id": cats[(p + rnd.randrange(7)) % len(cats)] if cats else None,
                     "policy": "", "title": f"แผนพัฒนาองค์การที่ {p + 1}", "sort_key": float(p + 1),
                     "revision": 1, "status": "draft"} for p in range(LARGE_PLANS)))
                acts = store.insert_many("plan_activity", (
                    {"plan_id": pid, "number": str(a + 1), "title": f"กิจกรรมที่ {a + 1} " + rnd.choice(words),
                     "stated_budget": 4 * 25000, "sort_key": float(a + 1)}
                    for pid in plans for a in range(LARGE_ACTIVITIES)))
                step_rows = []
                for aid in acts:
                    for s in range(LARGE_STEPS):
                        m0 = rnd.randrange(10)
                        span = rnd.randint(1, 3)
                        step_rows.append({
                            "activity_id": aid, "sort_key": float(s + 1), "number": str(s + 1),
                            "text": " ".join(rnd.choice(words) for _ in range(4)), "duration": f"{span} เดือน",
                            "start_month": start.shifted(m0).key, "end_month": start.shifted(min(11, m0 + span - 1)).key,
                            "output": rnd.choice(words), "responsible": "กลุ่มงานยุทธศาสตร์", "related": "",
                            "budget": 25000, "budget_note": ""})
                sids = store.insert_many("plan_step", step_rows)
                prog = []
                for sid, row in zip(sids, step_rows):
                    for r, limit in ((6, start.shifted(5).key), (9, start.shifted(8).key)):
                        if row["end_month"] <= limit:
                            prog.append({"step_id": sid, "round": r, "status": "done", "percent": 100.0})
                        elif row["start_month"] <= limit:
                            prog.append({"step_id": sid, "round": r, "status": "in_progress",
                                         "percent": float(rnd.choice((20, 40, 60, 80)))})
                store.insert_many("step_progress", prog)
                kpis = []
                for pid in plans:
                    for k in range(LARGE_KPIS):
                        kpis.append({"plan_id": pid, "dimension": dp.DIMENSIONS[k], "sort_key": 1.0, "number": "1",
                                     "text": f"ร้อยละของ{rnd.choice(words)}", "current_data": "-", "target": "100%",
                                     "weight": 0.25, "unit": "%", "direction": "higher", "ladder_kind": "linear",
                                     "t1": 60.0, "t2": 65.0, "t3": 70.0, "t4": 75.0, "t5": 80.0,
                                     "milestones": json.dumps([]), "below_rule": "zero"})
                kids = store.insert_many("kpi", kpis)
                store.insert_many("kpi_result", (
                    {"kpi_id": kid, "round": r, "actual": float(rnd.randint(50, 90)), "note": ""}
                    for kid in kids for r in (6, 9)))
                n += len(sids)
    return n
