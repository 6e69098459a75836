"""A causal clock: an edit made after seeing a version wins over it, whatever the PC clocks say (issue 10)."""
import contextlib
import itertools
import shutil
from datetime import datetime, timedelta, timezone

import pytest

from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage import store as store_module
from pmqa_desktop.core.storage.store import Actor, Store

pytestmark = pytest.mark.usefixtures("english")


@contextlib.contextmanager
def clock_off_by(monkeypatch, **delta):
    """This PC's clock wrong by ``delta`` (hours=-2, days=3...) while the block runs."""
    off = timedelta(**delta)
    with monkeypatch.context() as m:
        m.setattr(store_module, "now_iso", lambda: (datetime.now(timezone.utc) + off).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"))
        yield


def _office(src, folder, name):
    dst = folder / f"{name}.db"
    shutil.copy(src, dst)
    return dst


def _edit(path, office, sid, text):
    s = Store.open(path, Actor(office, office))
    try:
        s.update("calendar_step", sid, {"text": text})
    finally:
        s.close()


def test_an_edit_after_seeing_a_version_wins_in_every_merge_order(demo_db, tmp_path, monkeypatch):
    s = Store.open(demo_db)
    sid = s.select("calendar_step")[0]["id"]
    s.close()
    x, y, z = (_office(demo_db, tmp_path, n) for n in "xyz")
    _edit(z, "office Z", sid, "Z, an hour ago")        # concurrent with both, an hour earlier
    _edit(x, "office X", sid, "X")
    with clock_off_by(monkeypatch, hours=-2):           # Y's PC is two hours behind
        sy = Store.open(y, Actor("office Y", "Y"))
        merge(sy, x, backup=False)                      # Y has seen X's version...
        sy.close()
        _edit(y, "office Y", sid, "Y, after seeing X")  # ...and edits it afterwards (file reopened)
    results = set()
    for order in itertools.permutations([x, y, z]):
        p = _office(demo_db, tmp_path, "province")
        sp = Store.open(p, Actor("province", "p"))
        for f in order:
            merge(sp, f, backup=False)
        results.add(sp.get("calendar_step", sid)["text"])
        sp.close()
    assert results == {"Y, after seeing X"}


def test_a_far_future_time_stamp_does_not_win_later_edits(demo_db, tmp_path, monkeypatch):
    s = Store.open(demo_db)
    sid = s.select("calendar_step")[0]["id"]
    s.close()
    a, b = _office(demo_db, tmp_path, "a"), _office(demo_db, tmp_path, "b")
    with clock_off_by(monkeypatch, days=400):     # a PC set a year ahead
        _edit(a, "office A", sid, "from the future")
    sb = Store.open(b, Actor("office B", "B"))
    merge(sb, a, backup=False)
    sb.close()
    _edit(b, "office B", sid, "a later edit")     # made after seeing it, on a right clock
    sa = Store.open(a, Actor("office A", "A"))
    merge(sa, b, backup=False)
    assert sa.get("calendar_step", sid)["text"] == "a later edit"
    sa.close()


# ---------------------------------------------------------------- field-level merge

def test_edits_of_different_fields_of_one_row_both_survive(offices, tmp_path):
    from pmqa_desktop.core.sharing import open_conflicts
    from sharing_helpers import data_digest, merged_both_ways
    a, b = offices["A"], offices["B"]
    step = a.select("plan_step")[0]
    a.update("plan_step", step["id"], {"start_month": "2553-03", "end_month": "2553-05"})   # moved at A
    b.update("plan_step", step["id"], {"text": "ถ้อยคำที่แก้แล้ว"})                           # reworded at B
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s, r in ((ab, r1), (ba, r2)):
            row = s.get("plan_step", step["id"])
            assert (row["start_month"], row["end_month"], row["text"]) == ("2553-03", "2553-05", "ถ้อยคำที่แก้แล้ว")
            assert not open_conflicts(s) and r.totals().conflict == 0 and r.totals().change == 1
        assert data_digest(ab) == data_digest(ba)


def test_edits_of_the_same_field_conflict_and_other_fields_still_merge(offices, tmp_path):
    from pmqa_desktop.core.sharing import open_conflicts
    from sharing_helpers import merged_both_ways
    a, b = offices["A"], offices["B"]
    sid = a.select("calendar_step")[0]["id"]
    a.update("calendar_step", sid, {"text": "A's text", "remark": "A's remark"})
    b.update("calendar_step", sid, {"text": "B's text"})   # later: its text wins
    with merged_both_ways(a.path, b.path, tmp_path) as (ab, ba, r1, r2):
        for s in (ab, ba):
            row = s.get("calendar_step", sid)
            assert (row["text"], row["remark"]) == ("B's text", "A's remark")
            assert [c["row_id"] for c in open_conflicts(s)] == [sid]
            assert s.query("SELECT 1 FROM history WHERE row_id = ? AND data LIKE '%A''s text%'", (sid,))


def test_rows_changed_the_same_way_on_both_sides_are_counted(offices, tmp_path):
    a, b = offices["A"], offices["B"]
    sid = a.select("calendar_step")[0]["id"]
    for s in (a, b):
        s.update("calendar_step", sid, {"remark": "the same"})
    report = merge(a, b.path, backup=False)
    assert report.same_both == 1 and report.totals().conflict == 0
    assert any("changed the same way in both offices" in line for line in report.lines())


@pytest.mark.parametrize("older_has_own_edit", [True, False])
def test_swap_on_a_field_conflict_brings_back_only_that_field(offices, older_has_own_edit):
    """A's text lost to B's newer text; each office also changed a field of its own. Swap brings
    A's text back and nothing else: B's own edit and A's own edit both stay."""
    from pmqa_desktop.core.sharing import open_conflicts, swap_conflict
    a, b = offices["A"], offices["B"]
    step = a.select("plan_step")[0]
    a.update("plan_step", step["id"], {"text": "A's text", **({"output": "A's output"} if older_has_own_edit else {})})
    b.update("plan_step", step["id"], {"text": "B's text", "responsible": "B's person"})   # later: its text wins
    merge(a, b.path, backup=False)
    row = a.get("plan_step", step["id"])
    assert (row["text"], row["responsible"]) == ("B's text", "B's person")
    (c,) = open_conflicts(a)
    assert c["differs"] == ["text"]
    swap_conflict(a, c["id"])
    row = a.get("plan_step", step["id"])
    assert (row["text"], row["responsible"]) == ("A's text", "B's person")
    assert row["output"] == ("A's output" if older_has_own_edit else step["output"])
