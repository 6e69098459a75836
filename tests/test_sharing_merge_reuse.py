"""Applying a merge right after its preview reuses the preview's checked copy and decisions,
but only while neither file has changed; otherwise everything is checked and compared again."""
import importlib
import os
from pathlib import Path

import pytest

from pmqa_desktop.core.sharing import merge
from sharing_helpers import data_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")


@pytest.fixture
def checks(monkeypatch):
    """Counts how often an incoming file is copied and checked."""
    calls = []
    real = merge_mod.open_incoming

    def counting(path, *args, **kwargs):
        calls.append(Path(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(merge_mod, "open_incoming", counting)
    return calls


def first_step(store):
    return store.select("calendar_step")[0]


def test_apply_after_preview_reuses_the_checked_copy(offices, checks, monkeypatch):
    a, b = offices["A"], offices["B"]
    compared = []
    real_compare = merge_mod._compare
    monkeypatch.setattr(merge_mod, "_compare", lambda *args: compared.append(1) or real_compare(*args))
    sid = first_step(a)["id"]
    a.update("calendar_step", sid, {"text": "edited at A"})
    preview = merge(b, a.path, dry_run=True)
    copy = merge_mod._prepared.copy
    assert copy.exists() and len(checks) == 1
    report = merge(b, a.path)
    assert len(checks) == 1 and len(compared) == 1  # not copied, checked nor compared a second time
    assert report.applied and report.totals().change == preview.totals().change == 1
    assert b.get("calendar_step", sid)["text"] == "edited at A"
    assert not copy.exists() and merge_mod._prepared is None  # the private copy is gone
    assert data_digest(a) == data_digest(b)


def test_local_edit_after_preview_is_not_lost(offices, checks):
    a, b = offices["A"], offices["B"]
    sid = first_step(a)["id"]
    a.update("calendar_step", sid, {"text": "edited at A"})
    merge(b, a.path, dry_run=True)
    b.update("calendar_step", sid, {"text": "edited at B after the preview"})
    report = merge(b, a.path)
    assert len(checks) == 2  # compared again
    assert report.totals().conflict == 1
    assert b.get("calendar_step", sid)["text"] == "edited at B after the preview"  # the newer edit wins
    texts = {r["data"] for r in b.query("SELECT data FROM history WHERE row_id = ?", (sid,))}
    assert any("edited at A" in t for t in texts)  # the other edit is kept in history


def test_incoming_file_changed_after_preview_is_read_again(offices, checks):
    a, b = offices["A"], offices["B"]
    s1, s2 = a.select("calendar_step")[:2]
    a.update("calendar_step", s1["id"], {"text": "first edit at A"})
    merge(b, a.path, dry_run=True)
    a.update("calendar_step", s2["id"], {"text": "second edit at A"})
    report = merge(b, a.path)
    assert len(checks) == 2
    assert report.totals().change == 2
    assert b.get("calendar_step", s2["id"])["text"] == "second edit at A"
    assert data_digest(a) == data_digest(b)


def test_incoming_file_rewritten_in_place_is_read_again(offices, checks):
    """Same size and time stamp, other bytes: the byte comparison catches it."""
    a, b = offices["A"], offices["B"]
    sid = first_step(a)["id"]
    a.update("calendar_step", sid, {"text": "AAAA"})
    merge(b, a.path, dry_run=True)
    st = Path(a.path).stat()
    a.update("calendar_step", sid, {"text": "BBBB"})
    os.utime(a.path, ns=(st.st_atime_ns, st.st_mtime_ns))
    merge(b, a.path)
    assert len(checks) == 2
    assert b.get("calendar_step", sid)["text"] == "BBBB"


def test_preview_for_another_store_is_not_used(offices, checks):
    a, b, c = offices["A"], offices["B"], offices["C"]
    sid = first_step(a)["id"]
    a.update("calendar_step", sid, {"text": "edited at A"})
    merge(b, a.path, dry_run=True)
    merge(c, a.path)
    assert len(checks) == 2
    assert c.get("calendar_step", sid)["text"] == "edited at A"
    assert b.get("calendar_step", sid)["text"] != "edited at A"  # the preview changed nothing in B


def test_changed_indexed_columns_travel_and_indexes_stay_sound(offices):
    """Rows whose indexed columns (sort key, parent) change are rewritten with their index entries."""
    a, b = offices["A"], offices["B"]
    s1, s2 = a.select("calendar_step")[:2]
    a.update("calendar_step", s1["id"], {"sort_key": 12345.5})
    a.update("calendar_step", s2["id"], {"text": "text only"})
    merge(b, a.path)
    assert b.get("calendar_step", s1["id"])["sort_key"] == 12345.5
    assert b.get("calendar_step", s2["id"])["text"] == "text only"
    found = b.conn.execute("SELECT id FROM calendar_step INDEXED BY ix_calendar_step_year "
                           "WHERE year_id = ? AND sort_key = 12345.5", (s1["year_id"],)).fetchall()
    assert found == [(s1["id"],)]
    assert b.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert data_digest(a) == data_digest(b)
