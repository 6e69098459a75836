"""A province of offices (issue 10): four offices with skewed clocks edit every level of the data and
merge in random orders and directions (a Hypothesis state machine), and a scripted province roll-up.

After every step: merging the same file again changes nothing, the conflicts counted are the ones
listed, one live row per natural key and none under a deleted parent, and no value any office wrote
is lost (it is current or in the history). At the end every office merges with every other until
nothing changes, and all show the clerk the same thing through the window's read functions.

PMQA_STATEMACHINE_EXAMPLES (default 8) sets how many runs Hypothesis makes.
"""
from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.sharing.folder import merge_folder
from pmqa_desktop.core.storage.repair import NATURAL_KEYS
from pmqa_desktop.core.storage import devplan, planning, schema
from pmqa_desktop.core.storage import store as store_module
from pmqa_desktop.core.storage.store import Actor, Store

pytestmark = pytest.mark.usefixtures("english")

OFFICES = ("A", "B", "C", "D")
# each PC's clock: right, two hours behind, three days ahead, a day behind
SKEW = {"A": timedelta(0), "B": timedelta(hours=-2), "C": timedelta(days=3), "D": timedelta(days=-1)}
office = st.sampled_from(OFFICES)
pick = st.integers(0, 1000)
_TS = "%Y-%m-%dT%H:%M:%S.%fZ"


@contextlib.contextmanager
def pc_clock(who: str):
    real = store_module.now_iso
    store_module.now_iso = lambda: (datetime.now(timezone.utc) + SKEW[who]).strftime(_TS)
    try:
        yield
    finally:
        store_module.now_iso = real


# ---------------------------------------------------------------- what the clerk sees

def clerk_view(s: Store) -> dict:
    """Everything the window shows, read through the functions the window uses (no ids of rows
    that two offices may have created twice, no revisions or time stamps)."""
    out = {}
    for org in sorted(planning.organisations(s), key=lambda o: o["id"]):
        years = {}
        for y in planning.fiscal_years(s, org["id"]):
            steps = []
            for st_ in planning.calendar_steps(s, y["id"]):
                cells = {str(m): planning.calendar_cell_text(s, st_["id"], str(m))
                         for m in planning.calendar_months(y)}
                steps.append((st_["id"], st_["text"], st_["remark"], st_["sort_key"],
                              tuple(sorted((k, v) for k, v in cells.items() if v))))
            owners = {cid: (o["name"], o["phone"]) for cid, o in planning.owners(s, y["id"]).items()}
            weekly = [(r["id"], r["label"], tuple(sorted((a["month"], a["week"], a["text"]) for a in
                                                          s.select("weekly_activity", {"row_id": r["id"]}, order_by=""))))
                      for r in planning.weekly_rows(s, y["id"])]
            plans = []
            for p in devplan.plans(s, y["id"]):
                tree = devplan.plan_tree(s, p["id"])
                kpis = [(k["id"], k["text"], tuple(sorted((rnd, r["actual"]) for rnd, r in
                                                          devplan.kpi_results(s, k["id"]).items())))
                        for k in devplan.kpis(s, p["id"])]
                progress = {sid: tuple(sorted((rnd, g["percent"]) for rnd, g in rounds.items()))
                            for sid, rounds in devplan.plan_progress(s, p["id"]).items()}
                plans.append((p["id"], p["title"], json.dumps(tree, sort_keys=True, default=str), kpis,
                              sorted(progress.items())))
            years[y["year_be"]] = (y["calendar_title"], steps, sorted(owners.items()), weekly, plans)
        out[(org["name"], org["parent_id"] or "")] = years
    return out


def present_values(s: Store) -> set[tuple]:
    """(table, row id, column, value) of every version of every row in the file."""
    out = set()
    for t in schema.SYNCED_TABLES:
        cols = store_module.own_columns(t)
        for r in s.select(t, include_deleted=True, order_by=""):
            out.update((t, r["id"], c, r[c]) for c in cols)
    for h in s.query("SELECT table_name, row_id, data FROM history"):
        for c, v in json.loads(h["data"]).items():
            out.add((h["table_name"], h["row_id"], c, v))
    return out


def check_sound(s: Store) -> None:
    """One live row per natural key, none live under a deleted parent."""
    for t, cols in NATURAL_KEYS.items():
        keys = ", ".join(cols)
        dup = s.query(f"SELECT {keys}, count(*) AS n FROM {t} WHERE deleted = 0 GROUP BY {keys} HAVING n > 1")
        assert not dup, (t, dup)
    for child, (parent, fk) in schema.PARENTS.items():
        hidden = s.query(f"SELECT c.id FROM {child} c JOIN {parent} p ON p.id = c.{fk} "
                         f"WHERE c.deleted = 0 AND p.deleted <> 0")
        assert not hidden, (child, hidden)


_BASE: dict[str, Path] = {}


def base_file() -> Path:
    """One organisation with a year, a few criteria, steps, a weekly row and a plan (made once)."""
    if "base" not in _BASE:
        folder = Path(tempfile.mkdtemp(prefix="pmqa-province-base-"))
        atexit.register(shutil.rmtree, folder, True)   # (kept for the whole test run, then removed)
        s = Store.open(folder / "base.db", Actor("base", "base"))
        cat = s.insert("category", {"code": "1", "name": "การนำองค์กร"})
        for i in range(3):
            s.insert("criterion", {"category_id": cat, "code": f"LD{i + 1}", "sort_key": float(i)})
        org = planning.add_organisation(s, "จังหวัดทดสอบ")
        year = planning.add_fiscal_year(s, org, 2554)
        for i in range(2):
            planning.add_calendar_step(s, year, text=f"ขั้นตอน {i}")
        planning.add_weekly_row(s, year, None, "LD 1")
        pid = devplan.add_plan(s, year, "แผนพัฒนา")
        act = devplan.add_activity(s, pid, "กิจกรรมที่ 1")
        devplan.add_step(s, act, "ขั้นตอนที่ 1")
        devplan.add_kpi(s, pid, "7.1", "ร้อยละความพึงพอใจ")
        s.close()
        _BASE["base"] = folder / "base.db"
    return _BASE["base"]


class Province(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        shm = "/dev/shm" if Path("/dev/shm").is_dir() else None  # tmpfs: fsync costs nothing
        self.dir = Path(tempfile.mkdtemp(prefix="pmqa-province-", dir=shm))
        self.stores: dict[str, Store] = {}
        for n in OFFICES:
            p = self.dir / f"{n}.db"
            shutil.copy(base_file(), p)
            self.stores[n] = Store.open(p, Actor(office=f"office-{n}", clerk=f"clerk {n}"))
            self.stores[n].conn.execute("PRAGMA synchronous = OFF")  # speed only: no power cut here
        self.known = {n: present_values(self.stores[n]) for n in OFFICES}
        self.counter = 0

    # -------------------------------------------------------------- helpers
    def _value(self, who: str) -> str:
        self.counter += 1
        return f"{who}{self.counter}"

    def _live(self, who: str, table: str) -> list[dict]:
        return sorted(self.stores[who].select(table, order_by=""), key=lambda r: r["id"])

    def _one(self, who: str, table: str, n: int) -> dict | None:
        rows = self._live(who, table)
        return rows[n % len(rows)] if rows else None

    @contextlib.contextmanager
    def _edit(self, who: str):
        with pc_clock(who):
            yield self.stores[who]
        self.known[who] |= present_values(self.stores[who])

    # -------------------------------------------------------------- organisations and years
    @rule(who=office, n=st.integers(0, 2))
    def add_organisation(self, who, n):
        with self._edit(who) as s:
            name = f"หน่วยงาน {n}"   # two offices may add the same agency
            if planning.find_organisation(s, name) is None:
                org = planning.add_organisation(s, name, kind="agency")
                planning.add_fiscal_year(s, org, 2555)

    @rule(who=office, n=pick, year=st.sampled_from([2555, 2556]))
    def add_year(self, who, n, year):
        org = self._one(who, "organisation", n)
        with self._edit(who) as s:
            if org and planning.find_year(s, org["id"], year) is None:
                planning.add_fiscal_year(s, org["id"], year)

    @rule(who=office, n=pick, level=st.sampled_from(["organisation", "fiscal_year", "calendar_step",
                                                     "dev_plan", "plan_activity", "plan_step", "kpi"]))
    def delete(self, who, n, level):
        row = self._one(who, level, n)
        with self._edit(who) as s:
            if row:
                s.delete(level, row["id"])

    # -------------------------------------------------------------- calendar, owners, weekly plan
    @rule(who=office, n=pick)
    def add_step(self, who, n):
        year = self._one(who, "fiscal_year", n)
        with self._edit(who) as s:
            if year:
                planning.add_calendar_step(s, year["id"], text=self._value(who))

    @rule(who=office, n=pick, column=st.sampled_from(["text", "remark"]))
    def edit_step(self, who, n, column):
        step = self._one(who, "calendar_step", n)
        with self._edit(who) as s:
            if step:
                s.update("calendar_step", step["id"], {column: self._value(who)})

    @rule(who=office, n=pick, month=st.integers(0, 11))
    def set_cell(self, who, n, month):
        step = self._one(who, "calendar_step", n)
        with self._edit(who) as s:
            if step:
                m = planning.calendar_months(s.get("fiscal_year", step["year_id"]))[month]
                planning.set_calendar_cell(s, step["id"], str(m), self._value(who))

    @rule(who=office, n=pick, c=st.integers(0, 2), column=st.sampled_from(["name", "phone"]))
    def set_owner(self, who, n, c, column):
        year = self._one(who, "fiscal_year", n)
        with self._edit(who) as s:
            if year:
                crit = sorted(planning.criteria(s), key=lambda r: r["code"])[c]
                value = self._value(who) if column == "name" else f"0{self.counter:08d}"
                planning.set_owner(s, year["id"], crit["id"], {column: value})

    @rule(who=office, n=pick, week=st.integers(1, 4))
    def set_week(self, who, n, week):
        row = self._one(who, "weekly_row", n)
        with self._edit(who) as s:
            if row:
                y = s.get("fiscal_year", row["year_id"])
                month = str(planning.weekly_columns(y)[0][0])
                have = s.select("weekly_activity", {"row_id": row["id"], "month": month, "week": week}, order_by="")
                if have:
                    s.update("weekly_activity", have[0]["id"], {"text": self._value(who)})
                else:
                    planning.add_weekly_activity(s, row["id"], month, week, self._value(who))

    # -------------------------------------------------------------- plans, KPIs, rounds
    @rule(who=office, n=pick, level=st.sampled_from(["dev_plan", "plan_activity", "plan_step", "kpi"]))
    def add_in_plan(self, who, n, level):
        parent_table = {"dev_plan": "fiscal_year", "plan_activity": "dev_plan", "plan_step": "plan_activity",
                        "kpi": "dev_plan"}[level]
        parent = self._one(who, parent_table, n)
        with self._edit(who) as s:
            if parent is None:
                return
            v = self._value(who)
            if level == "dev_plan":
                devplan.add_plan(s, parent["id"], v)
            elif level == "plan_activity":
                devplan.add_activity(s, parent["id"], v)
            elif level == "plan_step":
                devplan.add_step(s, parent["id"], v)
            else:
                devplan.add_kpi(s, parent["id"], "7.2", v)

    @rule(who=office, n=pick, column=st.sampled_from(["text", "responsible"]))
    def edit_plan_step(self, who, n, column):
        step = self._one(who, "plan_step", n)
        with self._edit(who) as s:
            if step:
                devplan.update_step(s, step["id"], **{column: self._value(who)})

    @rule(who=office, n=pick, rnd=st.sampled_from([6, 9, 12]), value=st.integers(0, 100))
    def report_round(self, who, n, rnd, value):
        kpi = self._one(who, "kpi", n)
        step = self._one(who, "plan_step", n)
        with self._edit(who) as s:
            if kpi:
                devplan.set_kpi_result(s, kpi["id"], rnd, float(value))
            if step:
                devplan.set_step_progress(s, step["id"], rnd, percent=float(value))

    # -------------------------------------------------------------- merging
    @rule(src=office, dst=office)
    def merge_into(self, src, dst):
        if src == dst:
            return
        target = self.stores[dst]
        before = target.query("SELECT count(*) AS n FROM conflict")[0]["n"]
        with pc_clock(dst):
            report = merge(target, self.stores[src].path, backup=False)
            listed = target.query("SELECT count(*) AS n FROM conflict")[0]["n"] - before
            assert listed == len(report.conflicts)
            self.known[dst] |= self.known[src]
            check_sound(target)
            after = present_values(target), clerk_view(target)
            again = merge(target, self.stores[src].path, backup=False)
            assert again.changes_nothing, again.lines()
            assert (present_values(target), clerk_view(target)) == after
        lost = self.known[dst] - present_values(target)
        assert not lost, sorted(lost)[:5]

    @rule(dst=office, srcs=st.lists(office, min_size=1, max_size=3, unique=True))
    def merge_folder_into(self, dst, srcs):
        """The province's clerk merges a folder of offices' files at once (preview, then Merge): the
        same as merging them one by one, in the folder's order, into a copy of the file."""
        srcs = [x for x in srcs if x != dst]
        if not srcs:
            return
        self.counter += 1
        folder = self.dir / f"folder{self.counter}"
        folder.mkdir()
        for i, x in enumerate(srcs):
            shutil.copy(self.stores[x].path, folder / f"{i}-{x}.db")
        target = self.stores[dst]
        expect_path = self.dir / f"expect{self.counter}.db"
        shutil.copy(target.path, expect_path)
        expect = Store.open(expect_path, target.actor)
        try:
            with pc_clock(dst):
                for f in sorted(folder.iterdir()):
                    merge(expect, f, backup=False)
            expected = clerk_view(expect), present_values(expect)
        finally:
            expect.close()
            expect_path.unlink()
        before = target.query("SELECT count(*) AS n FROM conflict")[0]["n"]
        with pc_clock(dst):
            merge_folder(target, folder, dry_run=True)
            done = merge_folder(target, folder, backup=False)
        listed = target.query("SELECT count(*) AS n FROM conflict")[0]["n"] - before
        assert listed == done.conflicts
        assert (clerk_view(target), present_values(target)) == expected
        check_sound(target)
        for x in srcs:
            self.known[dst] |= self.known[x]
        lost = self.known[dst] - present_values(target)
        assert not lost, sorted(lost)[:5]
        shutil.rmtree(folder)

    def teardown(self):
        try:
            changed = True
            for _round in range(8):  # every office merges every other until nothing changes
                changed = False
                for x, y in itertools.permutations(OFFICES, 2):
                    with pc_clock(y):
                        r = merge(self.stores[y], self.stores[x].path, backup=False)
                    changed |= not r.changes_nothing
                if not changed:
                    break
            assert not changed, "merges did not settle"
            views = [clerk_view(self.stores[n]) for n in OFFICES]
            for n, v in zip(OFFICES[1:], views[1:]):
                assert v == views[0], n
            everything = set().union(*self.known.values())
            for n in OFFICES:
                check_sound(self.stores[n])
                assert everything <= present_values(self.stores[n])
        finally:
            for s in self.stores.values():
                s.close()
            shutil.rmtree(self.dir, ignore_errors=True)


Province.TestCase.settings = settings(max_examples=int(os.environ.get("PMQA_STATEMACHINE_EXAMPLES", "8")),
                                      stateful_step_count=30, deadline=None,
                                      **({"phases": [Phase.explicit, Phase.reuse, Phase.generate]}
                                         if os.environ.get("PMQA_NO_SHRINK") else {}),
                                      suppress_health_check=list(HealthCheck))
TestProvince = Province.TestCase


# ---------------------------------------------------------------- a scripted province roll-up

def _agency_file(province: Path, folder: Path, n: int) -> Path:
    """The province's file as an agency received it, with the agency's own organisation and a full
    year of data added through the program's importers, results reported, and a shared row edited."""
    from pmqa_desktop.core.demo import SEED_CALENDAR_WEEKLY, read_seed
    from pmqa_desktop.core.importers import schedule_import
    from pmqa_desktop.core.importers.devplan_import import apply_devplan, parse_devplan
    path = folder / f"agency{n}.db"
    shutil.copy(province, path)
    s = Store.open(path, Actor(f"ส่วนราชการที่ {n}", f"clerk {n}"))
    try:
        with pc_clock(OFFICES[n % len(OFFICES)]):
            text = read_seed(SEED_CALENDAR_WEEKLY)
            prov = planning.find_organisation(s, "จังหวัดราชบุรี")
            org = planning.add_organisation(s, f"ส่วนราชการที่ {n}", kind="agency", parent_id=prov["id"])
            year = planning.add_fiscal_year(s, org, 2554)
            schedule_import.apply_calendar(s, schedule_import.parse_calendar(text), year)
            schedule_import.apply_weekly(s, schedule_import.parse_weekly(text), year)
            rayong = (Path(__file__).resolve().parents[1] / "src/pmqa_desktop/data/seeds/rayong_2553_devplan_kpi72.txt")
            apply_devplan(s, parse_devplan(rayong.read_text(encoding="utf-8"), 2554), year)
            for plan in devplan.plans(s, year):
                for k, kpi in enumerate(devplan.kpis(s, plan["id"])):
                    devplan.set_kpi_result(s, kpi["id"], 6, float(60 + k + n))
            crit = planning.criteria(s)[n]
            planning.set_owner(s, year, crit["id"], {"name": f"ผู้รับผิดชอบ {n}"})
            # a shared row: the province's own owner of the first criterion, set by two agencies
            pyear = planning.fiscal_years(s, prov["id"])[0]["id"]
            if n in (1, 2):
                planning.set_owner(s, pyear, planning.criteria(s)[0]["id"], {"phone": f"03{n}000000"})
    finally:
        s.close()
    return path


def test_a_province_rolls_up_five_agencies_in_any_order_and_sends_the_result_back(demo_db, tmp_path):
    agencies = [_agency_file(demo_db, tmp_path, n) for n in range(1, 6)]
    orders = [list(range(5)), list(range(4, -1, -1)), [2, 0, 4, 1, 3], [3, 1, 0, 4, 2]]
    views, files = [], []
    for k, order in enumerate(orders):
        p = tmp_path / f"province{k}.db"
        shutil.copy(demo_db, p)
        s = Store.open(p, Actor("สำนักงานจังหวัด", "clerk"))
        try:
            for i in order:
                report = merge(s, agencies[i], backup=False)
                assert report.applied
                check_sound(s)
            names = {o["name"] for o in planning.organisations(s)}
            assert {f"ส่วนราชการที่ {n}" for n in range(1, 6)} <= names
            for n in range(1, 6):
                org = planning.find_organisation(s, f"ส่วนราชการที่ {n}")
                y = planning.fiscal_years(s, org["id"])[0]
                assert len(planning.calendar_steps(s, y["id"])) == 18
                assert devplan.plans(s, y["id"])
            views.append(clerk_view(s))
        finally:
            s.close()
        files.append(p)
    assert all(v == views[0] for v in views[1:])   # the order the sticks arrived in does not matter
    # the merged file goes back to every agency: each then shows what the province shows
    final = files[0]
    for a in agencies:
        s = Store.open(a, Actor("agency", "clerk"))
        try:
            merge(s, final, backup=False)
            assert clerk_view(s) == views[0]
            assert merge(s, final, backup=False).changes_nothing
        finally:
            s.close()
