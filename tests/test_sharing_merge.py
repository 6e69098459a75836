"""Merging offices' copies: adds, fast-forwards, conflicts, tombstones, idempotence, symmetry."""
import shutil

import pytest

from pmqa_desktop.core.errors import NewerFileError, ReadOnlyError
from pmqa_desktop.core.sharing import merge, open_conflicts, swap_conflict
from pmqa_desktop.core.sharing.merge import resolve_conflict
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, merged_both_ways

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


def steps(store):
    return store.select("calendar_step")


def test_changes_on_one_side_are_taken_and_report_counts_per_year(offices):
    a, b = offices["A"], offices["B"]
    s = steps(a)
    a.update("calendar_step", s[0]["id"], {"text": "edited at A"})
    new_id = a.insert("calendar_step", {"year_id": s[0]["year_id"], "text": "new at A"})
    a.delete("calendar_step", s[1]["id"])
    preview = merge(b, a.path, dry_run=True)
    assert not preview.applied and b.get("calendar_step", new_id) is None  # preview changes nothing
    t = preview.totals()
    assert (t.add, t.change, t.conflict) == (1, 1, 0)
    assert t.delete >= 1
    labels = [g.label for g in preview.sorted_groups()]
    assert any("2554" in label for label in labels)
    report = merge(b, a.path)
    assert report.applied and report.backup is not None and report.backup.exists()
    assert b.get("calendar_step", s[0]["id"])["text"] == "edited at A"
    assert b.get("calendar_step", new_id)["text"] == "new at A"
    assert b.get("calendar_step", s[1]["id"]) is None  # the tombstone travelled
    assert b.get("calendar_step", s[1]["id"], include_deleted=True)["deleted"] == 1
    assert data_digest(a) == data_digest(b)


def test_local_newer_is_kept(offices):
    a, b = offices["A"], offices["B"]
    sid = steps(a)[0]["id"]
    a.update("calendar_step", sid, {"text": "v1"})
    merge(b, a.path)
    b.update("calendar_step", sid, {"text": "v2 at B"})
    report = merge(b, a.path)  # A still has v1, which B has already seen
    assert report.changes_nothing
    assert b.get("calendar_step", sid)["text"] == "v2 at B"
    merge(a, b.path)  # fast-forward at A
    assert a.get("calendar_step", sid)["text"] == "v2 at B"
    assert data_digest(a) == data_digest(b)


def test_conflict_newer_wins_other_kept_and_swappable(offices):
    a, b = offices["A"], offices["B"]
    sid = steps(a)[2]["id"]
    a.update("calendar_step", sid, {"remark": "A's remark"})
    b.update("calendar_step", sid, {"remark": "B's remark"})  # later: wins
    report = merge(a, b.path)
    assert report.totals().conflict == 1 and len(report.conflicts) == 1
    assert a.get("calendar_step", sid)["remark"] == "B's remark"
    conflicts = open_conflicts(a)
    assert len(conflicts) == 1 and conflicts[0]["other"]["data"]["remark"] == "A's remark"
    assert conflicts[0]["differs"] == ["remark"]
    # B into A and A into B end alike
    merge(b, a.path)
    assert data_digest(a) == data_digest(b)
    # the clerk swaps: the other version becomes current as a new edit that travels on
    swap_conflict(a, conflicts[0]["id"])
    assert a.get("calendar_step", sid)["remark"] == "A's remark"
    after = open_conflicts(a)[0]
    assert after["other"]["data"]["remark"] == "B's remark"
    merge(b, a.path)
    assert b.get("calendar_step", sid)["remark"] == "A's remark"
    resolve_conflict(a, conflicts[0]["id"])
    assert open_conflicts(a) == []


def test_same_content_on_both_sides_is_not_a_conflict_for_the_clerk(offices):
    a, b = offices["A"], offices["B"]
    sid = steps(a)[0]["id"]
    a.update("calendar_step", sid, {"remark": "same"})
    b.update("calendar_step", sid, {"remark": "same"})
    report = merge(a, b.path)
    assert report.conflicts == [] and open_conflicts(a) == []
    merge(b, a.path)
    assert data_digest(a) == data_digest(b)


def test_delete_against_edit_is_a_conflict_and_nothing_is_lost(offices):
    a, b = offices["A"], offices["B"]
    sid = steps(a)[4]["id"]
    a.delete("calendar_step", sid)
    b.update("calendar_step", sid, {"text": "edited later at B"})
    report = merge(a, b.path)
    assert report.totals().conflict == 1
    assert a.get("calendar_step", sid)["text"] == "edited later at B"
    revs = {h["data"]["text"] for h in a.history_of("calendar_step", sid)}
    assert any(h["deleted"] for h in a.history_of("calendar_step", sid))  # the tombstone is kept
    assert revs


def test_merging_twice_changes_nothing(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    for i, s in enumerate(steps(a)[:5]):
        a.update("calendar_step", s["id"], {"text": f"A{i}"})
        b.update("calendar_step", s["id"], {"remark": f"B{i}"})
    merge(b, a.path)
    before = data_digest(b)
    conflicts_before = b.query("SELECT count(*) AS n FROM conflict")[0]["n"]
    again = merge(b, a.path)
    assert again.changes_nothing and not again.applied
    assert data_digest(b) == before
    assert b.query("SELECT count(*) AS n FROM conflict")[0]["n"] == conflicts_before


def test_merge_is_symmetric(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    ss = steps(a)
    a.update("calendar_step", ss[0]["id"], {"text": "A0"})
    b.update("calendar_step", ss[0]["id"], {"text": "B0"})
    b.update("calendar_step", ss[1]["id"], {"text": "B1"})
    a.delete("calendar_step", ss[2]["id"])
    with merged_both_ways(a.path, b.path, tmp_path) as (a_with_b, b_with_a, _ra, _rb):
        assert data_digest(a_with_b) == data_digest(b_with_a)


def test_read_only_store_may_only_preview(offices):
    a, b = offices["A"], offices["B"]
    a.update("calendar_step", steps(a)[0]["id"], {"text": "x"})
    ro = Store.open(b.path, Actor(), read_only=True)
    try:
        assert merge(ro, a.path, dry_run=True).totals().change == 1
        with pytest.raises(ReadOnlyError):
            merge(ro, a.path)
    finally:
        ro.close()


def test_newer_incoming_is_not_merged(offices, tmp_path):
    import sqlite3
    a, b = offices["A"], offices["B"]
    newer = tmp_path / "newer.db"
    shutil.copy(a.path, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = data_digest(b)
    with pytest.raises(NewerFileError):
        merge(b, newer)
    assert data_digest(b) == before


def test_merge_notifies_listeners_and_keeps_clock_ahead(offices):
    a, b = offices["A"], offices["B"]
    sid = steps(a)[0]["id"]
    a.update("calendar_step", sid, {"text": "A"})
    seen = []
    b.subscribe(seen.append)
    merge(b, a.path)
    assert seen and any(c.table == "calendar_step" for c in seen[0])
    b.update("calendar_step", sid, {"text": "B after merge"})
    assert b.get("calendar_step", sid)["updated_at"] > a.get("calendar_step", sid)["updated_at"]


def test_report_counts_per_development_plan(offices):
    a, b = offices["A"], offices["B"]
    plans = a.select("dev_plan", order_by="title")
    assert len(plans) >= 2
    p0, p1 = plans[0], plans[1]
    acts0 = [act for act in a.select("plan_activity", {"plan_id": p0["id"]})
             if a.select("plan_step", {"activity_id": act["id"]})]   # (activities 1-4 of แนวนโยบาย 2 have none)
    step0 = a.select("plan_step", {"activity_id": acts0[0]["id"]})[0]
    a.update("plan_step", step0["id"], {"output": "ผลผลิตใหม่"})
    kpi1 = a.select("kpi", {"plan_id": p1["id"]})[0]
    result1 = a.select("kpi_result", {"kpi_id": kpi1["id"]}, order_by="round")[0]
    a.update("kpi_result", result1["id"], {"note": "บันทึก"})
    a.update("dev_plan", p1["id"], {"status": "draft"})
    a.insert("plan_step", {"activity_id": acts0[0]["id"], "text": "ขั้นตอนเพิ่ม"})
    report = merge(b, a.path, dry_run=True)
    by_plan = {g.key[1]: g for g in report.groups.values() if g.key[0] == "plan"}
    assert set(by_plan) == {p0["id"], p1["id"]}
    g0, g1 = by_plan[p0["id"]], by_plan[p1["id"]]
    assert p0["title"] in g0.label and p1["title"] in g1.label
    assert (g0.tables["plan_step"].change, g0.tables["plan_step"].add) == (1, 1)
    assert g1.tables["kpi_result"].change == 1 and g1.tables["dev_plan"].change == 1
    text = "\n".join(report.lines())
    assert p0["title"] in text and p1["title"] in text


def test_a_far_future_or_garbled_time_stamp_does_not_break_our_clock(offices, tmp_path):
    import sqlite3
    a, b = offices["A"], offices["B"]
    ids = [s["id"] for s in steps(a)[:2]]
    a.update("calendar_step", ids[0], {"text": "from the future"})
    a.update("calendar_step", ids[1], {"text": "garbled clock"})
    a.close()
    conn = sqlite3.connect(a.path)
    conn.execute("UPDATE calendar_step SET updated_at = '9999-12-31T00:00:00.000000Z' WHERE id = ?", (ids[0],))
    conn.execute("UPDATE calendar_step SET updated_at = 'not a time' WHERE id = ?", (ids[1],))
    conn.commit()
    conn.close()
    merge(b, a.path)
    assert b.get("calendar_step", ids[0])["text"] == "from the future"
    b.update("calendar_step", ids[1], {"text": "edited after the merge"})  # our clock still works
    assert b.get("calendar_step", ids[1])["updated_at"] < "9999"
