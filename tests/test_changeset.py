"""Recording one operation's changes for undo/redo (core.storage.changeset), without Qt."""
from __future__ import annotations

import pytest

from pmqa_desktop.core.errors import ValidationError
from pmqa_desktop.core.storage import changeset, planning
from pmqa_desktop.core.storage.store import own_columns


def snapshot(store, tables=("criterion", "calendar_step", "calendar_cell", "fiscal_year", "criterion_owner")):
    """Every row's own columns and tombstone flag (not the bookkeeping, which undo renews)."""
    out = {}
    for t in tables:
        for r in store.select(t, include_deleted=True, order_by="id"):
            out[(t, r["id"])] = ({c: r[c] for c in own_columns(t)}, r["deleted"])
    return out


def test_undo_and_redo_restore_exactly(demo_store):
    s = demo_store
    year = planning.fiscal_years(s, planning.organisations(s)[0]["id"])[0]
    ld1 = planning.criteria_by_code(s)["LD1"]
    steps = planning.calendar_steps(s, year["id"])
    before = snapshot(s)

    def op():
        planning.update_criterion(s, ld1["id"], short_name="ใหม่", code="LD10")
        planning.update_criterion(s, ld1["id"], full_text="ข้อความ")       # the same row twice
        sid = planning.add_calendar_step(s, year["id"], "ขั้นตอนใหม่", cells={"2011-01": "5 ม.ค. 54"})
        s.delete("calendar_step", steps[0]["id"])                            # with its cells
        planning.set_owner(s, year["id"], ld1["id"], {"name": "ก", "email": "a@b.go.th"})
        return sid

    cs = changeset.record(s, op)
    after = snapshot(s)
    assert after != before
    assert cs.result in {rid for _t, rid in cs.inserted}
    cs.undo(s)
    assert snapshot(s) == {k: v for k, v in before.items()} | {
        k: (v[0], 1) for k, v in after.items() if k not in before}
    assert planning.criteria_by_code(s)["LD1"]["short_name"] == ld1["short_name"]
    cs.redo(s)
    assert snapshot(s) == after
    cs.undo(s)
    cs.redo(s)
    assert snapshot(s) == after


def test_a_failed_operation_records_nothing_and_changes_nothing(demo_store):
    s = demo_store
    before = snapshot(s)
    ld1 = planning.criteria_by_code(s)["LD1"]

    def op():
        planning.update_criterion(s, ld1["id"], short_name="ชั่วคราว")
        planning.update_criterion(s, ld1["id"], code="LD2")    # taken: refused

    with pytest.raises(ValidationError):
        changeset.record(s, op)
    assert snapshot(s) == before


def test_an_operation_that_changes_nothing_records_nothing(demo_store):
    s = demo_store
    ld1 = planning.criteria_by_code(s)["LD1"]
    cs = changeset.record(s, lambda: planning.update_criterion(s, ld1["id"], short_name=ld1["short_name"]))
    assert not cs and cs.result is False
