"""One live row per natural key, and no live row under a deleted parent, after any merge (issue 10)."""
import pytest

from pmqa_desktop.core.sharing import merge, open_conflicts
from pmqa_desktop.core.storage import devplan, planning
from sharing_helpers import data_digest, merged_both_ways

pytestmark = pytest.mark.usefixtures("english")


def _org(store):
    return planning.find_organisation(store, "จังหวัดราชบุรี")


def _live(store, table, **where):
    return store.select(table, where, order_by="")


def test_the_same_fiscal_year_added_in_two_offices_becomes_one_with_both_offices_children(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    crit = planning.criteria(a)[0]["id"]
    ya = planning.add_fiscal_year(a, _org(a)["id"], 2556)
    planning.add_calendar_step(a, ya, text="step of A")
    planning.set_owner(a, ya, crit, {"name": "สมชาย"})
    yb = planning.add_fiscal_year(b, _org(b)["id"], 2556)
    planning.add_calendar_step(b, yb, text="step of B")
    planning.set_owner(b, yb, crit, {"name": "สมหญิง"})   # later: wins
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            years = [y for y in planning.fiscal_years(s, _org(s)["id"]) if y["year_be"] == 2556]
            assert len(years) == 1
            y = years[0]["id"]
            assert sorted(st["text"] for st in planning.calendar_steps(s, y)) == ["step of A", "step of B"]
            owners = planning.owners(s, y)
            assert len(_live(s, "criterion_owner", year_id=y)) == 1 and owners[crit]["name"] == "สมหญิง"
            # the other owner is in a history and listed as a conflict
            lost = s.query("SELECT data FROM history WHERE table_name = 'criterion_owner' AND data LIKE '%สมชาย%'")
            assert lost
            assert any(c["table_name"] == "criterion_owner" for c in open_conflicts(s))
        assert data_digest(ab) == data_digest(ba)
        assert any("made one" in line for line in r1.lines())


def test_the_same_cell_result_and_progress_set_in_two_offices_become_one(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    step = a.select("calendar_step")[0]
    month = planning.calendar_months(a.get("fiscal_year", step["year_id"]))[3]
    month = str(month)
    kpi = a.select("kpi")[0]["id"]
    pstep = a.select("plan_step")[0]["id"]
    for s, text, actual in ((a, "5 ม.ค.", 61.0), (b, "7 ม.ค.", 72.0)):
        s.conn.execute("UPDATE calendar_cell SET deleted = 1 WHERE step_id = ? AND month = ?", (step["id"], month))
        s.insert("calendar_cell", {"step_id": step["id"], "month": month, "text": text})
        s.conn.execute("DELETE FROM kpi_result WHERE kpi_id = ? AND round = 12", (kpi,))
        devplan.set_kpi_result(s, kpi, 12, actual)
        s.conn.execute("DELETE FROM step_progress WHERE step_id = ? AND round = 9", (pstep,))
        devplan.set_step_progress(s, pstep, 9, percent=actual)
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            assert len(_live(s, "calendar_cell", step_id=step["id"], month=month)) == 1
            assert planning.calendar_cell_text(s, step["id"], month) == "7 ม.ค."
            assert len(_live(s, "kpi_result", kpi_id=kpi, round=12)) == 1
            assert devplan.kpi_results(s, kpi)[12]["actual"] == 72.0
            assert len(_live(s, "step_progress", step_id=pstep, round=9)) == 1
            tables = {c["table_name"] for c in open_conflicts(s)}
            assert {"calendar_cell", "kpi_result", "step_progress"} <= tables
        assert data_digest(ab) == data_digest(ba)


def test_the_same_values_created_twice_are_one_row_without_a_conflict(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    for s in (a, b):
        planning.add_fiscal_year(s, _org(s)["id"], 2557)
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            assert [y["year_be"] for y in planning.fiscal_years(s, _org(s)["id"])].count(2557) == 1
            assert not [c for c in open_conflicts(s) if c["table_name"] == "fiscal_year"]
        assert data_digest(ab) == data_digest(ba)


def test_steps_added_under_an_activity_deleted_elsewhere_bring_it_back_for_review(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    act = a.select("plan_activity")[0]
    devplan.delete_activity(a, act["id"])
    new_step = devplan.add_step(b, act["id"], "ขั้นตอนใหม่ของ B")
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s, report in ((ab, r1), (ba, r2)):
            assert s.get("plan_activity", act["id"]) is not None        # brought back
            assert [st["id"] for st in devplan.steps(s, act["id"])] == [new_step]  # the others stay deleted
            assert any(c["table_name"] == "plan_activity" and c["row_id"] == act["id"] for c in open_conflicts(s))
        assert any("restored" in line for line in r1.lines())
        assert data_digest(ab) == data_digest(ba)


def test_a_plan_added_in_a_year_whose_organisation_was_deleted_brings_both_back(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    org = _org(a)
    year = planning.fiscal_years(a, org["id"])[0]
    planning.delete_organisation(a, org["id"])
    pid = devplan.add_plan(b, year["id"], "แผนใหม่ของ B")
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            assert s.get("organisation", org["id"]) is not None
            assert s.get("fiscal_year", year["id"]) is not None
            assert devplan.plan(s, pid) is not None
            # nothing is live under a tombstone anywhere
            for child, (parent, fk) in __import__("pmqa_desktop.core.storage.schema", fromlist=["x"]).PARENTS.items():
                n = s.conn.execute(f"SELECT count(*) FROM {child} c JOIN {parent} p ON p.id = c.{fk} "
                                   f"WHERE c.deleted = 0 AND p.deleted <> 0").fetchone()[0]
                assert n == 0, child
        assert data_digest(ab) == data_digest(ba)


def test_swapping_a_restored_parent_deletes_it_again(offices, tmp_path):
    from pmqa_desktop.core.sharing import swap_conflict
    a, b = offices["A"], offices["B"]
    act = a.select("plan_activity")[0]
    devplan.delete_activity(a, act["id"])
    devplan.add_step(b, act["id"], "ขั้นตอนใหม่ของ B")
    merge(a, b.path, backup=False)
    c = [c for c in open_conflicts(a) if c["row_id"] == act["id"]][0]
    swap_conflict(a, c["id"])
    assert a.get("plan_activity", act["id"]) is None
    assert devplan.steps(a, act["id"]) == []


def _settled_lines(report):
    return [ln for ln in report.lines() if "made one" in ln or "moved under" in ln or "restored" in ln]


@pytest.mark.parametrize("case", ["twins", "restored", "moved"])
def test_the_preview_foresees_what_merging_will_make_one_or_restore(offices, tmp_path, case):
    """The preview says what Apply will report about twins, moved rows and restored parents, and
    changes nothing itself."""
    a, b = offices["A"], offices["B"]
    if case == "twins":
        crit = planning.criteria(a)[0]["id"]
        for s, name in ((a, "สมชาย"), (b, "สมหญิง")):
            y = planning.add_fiscal_year(s, _org(s)["id"], 2556)
            planning.set_owner(s, y, crit, {"name": name})
    elif case == "restored":
        act = a.select("plan_activity")[0]
        devplan.delete_activity(a, act["id"])
        devplan.add_step(b, act["id"], "ขั้นตอนใหม่ของ B")
    else:   # the year added in both, a step under each: B's step moves under the year that stays
        ya = planning.add_fiscal_year(a, _org(a)["id"], 2558)
        yb = planning.add_fiscal_year(b, _org(b)["id"], 2558)
        planning.add_calendar_step(b, yb, text="step of B")
        planning.add_calendar_step(a, ya, text="step of A")
        a, b = (a, b) if ya < yb else (b, a)   # the twin with the larger id goes: its office merges in
    before = data_digest(a)
    preview = merge(a, b.path, dry_run=True)
    assert data_digest(a) == before
    assert preview.settled is not None and preview.settled.changed
    done = merge(a, b.path, backup=False)
    st, pv = done.settled, preview.settled
    assert (pv.twins, pv.moved, sorted(pv.restored)) == (st.twins, st.moved, sorted(st.restored))
    assert _settled_lines(preview) == _settled_lines(done) and _settled_lines(done)


def test_orphans_of_many_touched_rows_are_found_from_the_few_deleted_parents_alike(demo_db, tmp_path, monkeypatch):
    """With many touched rows and few deleted parents, the live rows under a deleted parent are
    looked for from the deleted parents (not by looking up every touched row): the pass does the
    very same either way (parents restored, conflicts listed, rows written)."""
    import shutil
    from pmqa_desktop.core.storage import repair
    from pmqa_desktop.core.storage.store import Actor, Store
    results = []
    for threshold in (10 ** 9, 1):   # (never, always from the deleted parents)
        monkeypatch.setattr(repair, "_FEW_DELETED_FROM", threshold)
        path = tmp_path / f"copy{threshold}.db"
        shutil.copy(demo_db, path)
        s = Store.open(path, Actor("province", "clerk"))
        try:
            with s.transaction():
                rows = s.conn.execute("SELECT id FROM weekly_row ORDER BY id LIMIT 2").fetchall()
                s.conn.execute("UPDATE weekly_row SET deleted = 1 WHERE id = ?", rows[0])
                s.conn.execute("UPDATE plan_step SET deleted = 1 WHERE id = (SELECT min(id) FROM plan_step)")
                touched = {t: [r for (r,) in s.conn.execute(f"SELECT id FROM {t}")]
                           for t in ("weekly_activity", "step_progress", "calendar_cell")}
                assert len(touched["weekly_activity"]) > 32
                done = repair.settle(s, touched)
            results.append((done.restored, sorted(done.conflicts), done.moved, done.twins, data_digest(s)))
            assert ("weekly_row", rows[0][0]) in done.restored
        finally:
            s.close()
    assert results[0] == results[1]


def test_the_same_weekly_activity_added_in_two_offices_becomes_one(offices, tmp_path):
    # (the twins of weekly activities are looked for under the parents their merge's mark noted)
    a, b = offices["A"], offices["B"]
    row = a.select("weekly_row", order_by="id")[0]
    used = {(w["month"], w["week"]) for w in a.select("weekly_activity", {"row_id": row["id"]}, order_by="")}
    month = str(planning.calendar_months(a.get("fiscal_year", row["year_id"]))[5])
    week = next(w for w in (1, 2, 3, 4) if (month, w) not in used)
    planning.add_weekly_activity(a, row["id"], month, week, "ประชุม A")
    planning.add_weekly_activity(b, row["id"], month, week, "ประชุม B")   # later: wins
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            live = _live(s, "weekly_activity", row_id=row["id"], month=month, week=week)
            assert [w["text"] for w in live] == ["ประชุม B"]
            assert any(c["table_name"] == "weekly_activity" for c in open_conflicts(s))
        assert data_digest(ab) == data_digest(ba)
