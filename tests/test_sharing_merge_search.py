"""Rows a merge takes are noted for find's index in one statement (not by the trigger once per row):
find sees exactly what it saw before, the trigger is back afterwards, and a merge rolled back
leaves the trigger and the noted rows as they were."""
import importlib
import sqlite3

import pytest

from pmqa_desktop.core.errors import UserError
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage import search
from sharing_helpers import office_copies

merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")


def _edit(store, tag):
    acts = store.select("weekly_activity")
    with store.transaction():
        for i, a in enumerate(acts[:40]):
            store.update("weekly_activity", a["id"], {"text": f"{tag} ฝ่ายแผน {i}"})
        for s in store.select("calendar_step")[:5]:
            store.update("calendar_step", s["id"], {"remark": f"{tag} หมายเหตุ"})
        store.delete("weekly_activity", acts[50]["id"])


def _triggers(store):
    return sorted(r[0] for r in store.conn.execute(
        "SELECT sql FROM temp.sqlite_master WHERE type = 'trigger'"))


def _merged(demo_db, tmp_path, monkeypatch, at_once_from):
    monkeypatch.setattr(merge_mod, "_NOTE_AT_ONCE_MIN", at_once_from)
    tmp_path.mkdir()
    stores = office_copies(demo_db, tmp_path)
    try:
        a, b = stores["A"], stores["B"]
        _edit(a, "แก้ที่เอ")
        b.index_edits()
        before = _triggers(b)
        report = merge(b, a.path)
        assert report.applied
        assert _triggers(b) == before
        noted = sorted(b.conn.execute("SELECT code, r FROM temp.search_dirty"))
        hits = sorted((h.table, h.row_id, h.field) for h in search.search(b, "แก้ที่เอ"))
        gone = search.search(b, "ฝ่ายแผน 3")
        return noted, hits, len(gone), report.rows_taken
    finally:
        for s in stores.values():
            s.close()


def test_rows_taken_are_found_as_when_the_trigger_noted_them(demo_db, tmp_path, monkeypatch):
    one_by_one = _merged(demo_db, tmp_path / "trigger", monkeypatch, 10 ** 9)
    at_once = _merged(demo_db, tmp_path / "at-once", monkeypatch, 0)
    assert at_once == one_by_one
    assert at_once[1] and at_once[3] >= 45


def _about_to_merge(offices, monkeypatch):
    """Office A's edits, office B's index up to date, rows noted at once from the first: (a, b,
    B's triggers)."""
    monkeypatch.setattr(merge_mod, "_NOTE_AT_ONCE_MIN", 0)
    a, b = offices["A"], offices["B"]
    _edit(a, "แก้ที่เอ")
    b.index_edits()
    return a, b, _triggers(b)


def _index_as_before(b, before):
    """After a failed merge: B's triggers as before, nothing noted, and a later edit is found."""
    assert _triggers(b) == before
    assert not list(b.conn.execute("SELECT 1 FROM temp.search_dirty"))
    b.update("weekly_activity", b.select("weekly_activity")[0]["id"], {"text": "แก้ที่บี"})
    assert [h.row_id for h in search.search(b, "แก้ที่บี")]


def test_a_merge_rolled_back_keeps_the_trigger(offices, monkeypatch):
    a, b, before = _about_to_merge(offices, monkeypatch)

    def boom(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(merge_mod, "_write_mixed", boom)
    with pytest.raises(Exception):
        merge(b, a.path, backup=False)
    monkeypatch.undo()
    _index_as_before(b, before)


class _FailingUpdate:
    """The store's connection, whose UPDATE of the weekly activities taken fails (a disk error)."""

    def __init__(self, conn):
        self.__dict__["_conn"] = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        setattr(self._conn, name, value)

    def execute(self, sql, *args):
        if sql.startswith("UPDATE main.weekly_activity AS l SET"):
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)


def test_a_merge_failing_while_the_trigger_is_dropped_gives_it_back(offices, monkeypatch):
    a, b, before = _about_to_merge(offices, monkeypatch)
    real = b.conn
    b.conn = _FailingUpdate(real)
    try:
        with pytest.raises(UserError):
            merge(b, a.path, backup=False)
    finally:
        b.conn = real
    _index_as_before(b, before)
