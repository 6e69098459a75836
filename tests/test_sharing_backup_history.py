"""Rotating backups, restore, and a cell's / row's history with restoring an older value."""
import shutil
from datetime import datetime, timedelta, timezone

import pytest

from pmqa_desktop.core.errors import FileProblem, UserError
from pmqa_desktop.core.sharing import (backup_now, cell_history, list_backups, recent_changes, restore_backup,
                                       restore_value, restore_version, row_history)
from pmqa_desktop.core.sharing import backup as backups
from pmqa_desktop.core.sharing.safety import CraftedFileError
from pmqa_desktop.core.storage.store import Actor, Store, hot_journal, journal_path

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


def test_backup_list_and_restore_in_two_steps(demo_store):
    sid = demo_store.select("calendar_step")[0]["id"]
    original = demo_store.get("calendar_step", sid)["text"]
    b1 = backup_now(demo_store, "manual")
    demo_store.update("calendar_step", sid, {"text": "changed after the backup"})
    items = list_backups(demo_store.path)
    assert [i.path for i in items] == [b1]
    assert items[0].size == b1.stat().st_size and items[0].reason == "manual" and items[0].reason_label
    path = demo_store.path
    demo_store.close()
    before = restore_backup(path, b1)
    assert before is not None and before.exists()  # the current file was backed up first
    s = Store.open(path, Actor())
    try:
        assert s.get("calendar_step", sid)["text"] == original
    finally:
        s.close()
    reasons = [b.reason for b in list_backups(path)]
    assert reasons == ["restore", "manual"]
    # restoring the backup made before the restore brings the change back
    restore_backup(path, before)
    s = Store.open(path, Actor())
    try:
        assert s.get("calendar_step", sid)["text"] == "changed after the backup"
    finally:
        s.close()


def test_restore_by_number_and_refusals(demo_store, tmp_path):
    b = backup_now(demo_store, "manual")
    path = demo_store.path
    demo_store.close()
    assert restore_backup(path, "1") is not None
    with pytest.raises(FileProblem):
        restore_backup(path, "no-such-backup.db")
    import sqlite3
    bad = tmp_path / "crafted.db"
    shutil.copy(b, bad)
    conn = sqlite3.connect(bad)
    conn.execute("CREATE VIEW v AS SELECT 1")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CraftedFileError):
        restore_backup(path, bad)
    assert path.read_bytes() == before


def test_restore_refused_while_open_elsewhere(demo_db):
    from pmqa_desktop.core.sharing import open_for_editing, release
    s = open_for_editing(demo_db, Actor())
    try:
        b = backup_now(s, "manual")
        with pytest.raises(FileProblem):
            restore_backup(demo_db, b)
    finally:
        release(s)


def test_rotation_keeps_newest_and_one_per_day(demo_store):
    folder = backups.backup_folder(demo_store.path)
    src = backup_now(demo_store, "manual")
    now = datetime.now(timezone.utc)
    made = []
    for days in range(0, 30):
        for k in range(3):
            t = now - timedelta(days=days, hours=k)
            p = folder / f"{t.strftime('%Y%m%dT%H%M%S%f')}Z_open_c{days}{k}.db"
            shutil.copy(src, p)
            made.append(p)
    src.unlink()
    backups.rotate(demo_store.path, now=now)
    left = list_backups(demo_store.path)
    days_left = {b.local_time.date() for b in left}
    assert len(left) <= backups.KEEP_NEWEST + backups.KEEP_DAYS + 1
    assert left[0].created >= now - timedelta(hours=1)  # the newest are kept
    recent_days = {(now - timedelta(days=d)).astimezone().date() for d in range(0, backups.KEEP_DAYS)}
    assert recent_days <= days_left  # one per day for two weeks
    assert min(b.created for b in left) >= now - timedelta(days=backups.KEEP_DAYS + 1)


def test_row_and_cell_history_and_restore(demo_store):
    sid = demo_store.select("calendar_step")[0]["id"]
    first = demo_store.get("calendar_step", sid)["remark"]
    demo_store.actor = Actor("office-1", "Somchai")
    demo_store.update("calendar_step", sid, {"remark": "one"})
    demo_store.actor = Actor("office-2", "Suda")
    demo_store.update("calendar_step", sid, {"remark": "two"})
    demo_store.update("calendar_step", sid, {"text": "text changed"})
    demo_store.update("calendar_step", sid, {"remark": "one"})
    versions = row_history(demo_store, "calendar_step", sid)
    assert versions[0]["current"] and len(versions) == 5
    assert [v["clerk"] for v in versions[:2]] == ["Suda", "Suda"]
    cells = cell_history(demo_store, "calendar_step", sid, "remark")
    assert [c["value"] for c in cells] == ["one", "two", first]
    assert cells[0]["current"] and not cells[1]["current"]
    assert cells[1]["clerk"] == "Suda" and cells[1]["office"] == "office-2"
    assert restore_value(demo_store, "calendar_step", sid, "remark", "two") is True
    assert demo_store.get("calendar_step", sid)["remark"] == "two"
    with pytest.raises(UserError):
        cell_history(demo_store, "calendar_step", sid, "no_such_column")
    oldest = versions[-1]
    assert restore_version(demo_store, "calendar_step", sid, oldest["rev"])
    assert demo_store.get("calendar_step", sid)["text"] == oldest["data"]["text"]
    changes = recent_changes(demo_store, limit=3)
    assert len(changes) == 3 and all(c["table"] == "calendar_step" for c in changes)
    assert changes[0]["updated_at"] >= changes[-1]["updated_at"]


def test_history_of_a_deleted_row_can_bring_it_back(demo_store):
    sid = demo_store.select("calendar_step")[0]["id"]
    demo_store.delete("calendar_step", sid)
    live = [v for v in row_history(demo_store, "calendar_step", sid) if not v["deleted"]][0]
    restore_version(demo_store, "calendar_step", sid, live["rev"])
    assert demo_store.get("calendar_step", sid) is not None


def test_restore_over_a_kept_journal_and_over_an_unfinished_one(demo_store):
    """The zeroed journal an open store keeps between transactions (left behind when the program
    was killed) does not stop a restore; a journal left by a crash in the middle of a write is
    rolled back first, so the backup made before restoring holds only finished edits."""
    import sqlite3
    b = backup_now(demo_store, "manual")
    path = demo_store.path
    sid = demo_store.select("calendar_step")[0]["id"]
    demo_store.update("calendar_step", sid, {"text": "finished edit"})
    journal = journal_path(path)
    kept = journal.read_bytes()
    demo_store.close()
    journal.write_bytes(kept)
    assert not hot_journal(path)
    restore_backup(path, b)
    # a crash in the middle of a write: a small page cache makes SQLite write the file early
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE calendar_step SET text = 'finished edit' WHERE id = ?", (sid,))
    conn.execute("PRAGMA cache_size = 10")
    conn.execute("BEGIN IMMEDIATE")
    # (rows made long enough to need more pages than the cache holds, whatever the page size)
    conn.execute("UPDATE weekly_activity SET text = text || ' (unfinished)' || hex(zeroblob(2000))")
    crashed = {p: p.read_bytes() for p in (path, journal)}
    conn.execute("ROLLBACK")
    conn.close()
    for p, data in crashed.items():
        p.write_bytes(data)
    assert hot_journal(path)
    before = restore_backup(path, b)
    s = Store.open(before, Actor(), read_only=True)
    try:
        assert s.get("calendar_step", sid)["text"] == "finished edit"
        assert s.query("SELECT count(*) AS n FROM weekly_activity WHERE text LIKE '%(unfinished)%'")[0]["n"] == 0
    finally:
        s.close()
    assert not hot_journal(path)
