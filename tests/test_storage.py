"""Storage: versioned schema, revisions, tombstones, history, and refusing files we must not touch."""
import sqlite3

import pytest

from pmqa_desktop.core.errors import (DamagedFileError, ForeignFileError, ReadOnlyError)
from pmqa_desktop.core.storage import Actor, Store, planning, schema


def test_new_file_has_our_ids_and_version(tmp_path):
    path = tmp_path / "a.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_every_edit_stamps_revision_office_and_keeps_history(tmp_path):
    store = Store.open(tmp_path / "a.db", Actor(office="สนจ.ราชบุรี", clerk="สมหญิง"))
    oid = planning.add_organisation(store, "จังหวัดราชบุรี")
    first = store.get("organisation", oid)
    assert first["office"] == "สนจ.ราชบุรี" and first["clerk"] == "สมหญิง" and len(first["rev"]) == 32
    assert store.update("organisation", oid, {"name": "สำนักงานจังหวัดราชบุรี"})
    second = store.get("organisation", oid)
    assert second["rev"] != first["rev"] and second["updated_at"] > first["updated_at"]
    hist = store.history_of("organisation", oid)
    assert hist[0]["rev"] == first["rev"] and hist[0]["data"]["name"] == "จังหวัดราชบุรี"
    assert not store.update("organisation", oid, {"name": "สำนักงานจังหวัดราชบุรี"})  # no change, no revision


def test_delete_is_a_tombstone_that_cascades_and_undeletes(tmp_path):
    store = Store.open(tmp_path / "a.db")
    oid = planning.add_organisation(store, "จังหวัดระยอง")
    yid = planning.add_fiscal_year(store, oid, 2553)
    sid = planning.add_calendar_step(store, yid, "ประชุม", cells={"2010-03": "31 มี.ค. 53"})
    gone = store.delete("organisation", oid)
    assert ("calendar_step", sid) in gone and ("fiscal_year", yid) in gone
    assert store.get("calendar_step", sid) is None
    assert store.get("calendar_step", sid, include_deleted=True)["deleted"] == 1
    store.undelete("organisation", gone)
    assert planning.calendar_steps(store, yid)[0]["cells"]["2010-03"]["text"] == "31 มี.ค. 53"


def test_transaction_is_all_or_nothing(tmp_path):
    store = Store.open(tmp_path / "a.db")
    with pytest.raises(RuntimeError):
        with store.transaction():
            planning.add_organisation(store, "ก")
            raise RuntimeError("crash mid-save")
    assert planning.organisations(store) == []


def test_change_listeners_hear_committed_changes_only(tmp_path):
    store = Store.open(tmp_path / "a.db")
    heard = []
    store.subscribe(heard.append)
    with store.transaction():
        planning.add_organisation(store, "ก")
        assert heard == []
    assert heard and heard[0][0].table == "organisation"


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ForeignFileError) as exc:
        Store.open(path)
    assert "PMQA" in str(exc.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"hello world" * 20, b"SQLite format 3\x00" + b"\x00" * 10])
def test_damaged_files_are_refused(tmp_path, content):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    if not content:
        Store.open(path).close()  # an empty file is a new database
        return
    with pytest.raises(DamagedFileError):
        Store.open(path)
    assert path.read_bytes() == content


def test_newer_file_opens_read_only(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    store = Store.open(path)
    assert store.read_only and "newer" in store.read_only_reason.lower() or "ใหม่" in store.read_only_reason
    with pytest.raises(ReadOnlyError):
        planning.add_organisation(store, "ก")
    store.close()
    assert path.read_bytes() == before


def test_truncated_file_is_refused(tmp_path, demo_db):
    data = demo_db.read_bytes()
    bad = tmp_path / "cut.db"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(DamagedFileError):
        Store.open(bad)


def test_a_file_is_checked_again_when_anyone_changed_it(tmp_path, demo_db, monkeypatch):
    """An untouched file we closed need not be checked again; any change brings the check back."""
    from pmqa_desktop.core.storage import store as store_module
    calls = []
    real = Store._integrity
    monkeypatch.setattr(Store, "_integrity", lambda self, mode: (calls.append(mode), real(self, mode))[1])
    Store.open(demo_db).close()
    Store.open(demo_db).close()
    assert calls == ["quick"]                       # the second open trusted the first check
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE organisation SET name = name || ' '")   # another program writes to it
    conn.commit()
    conn.close()
    assert not store_module.passed_check_before(demo_db)
    Store.open(demo_db).close()
    assert calls == ["quick", "quick"]
    # damage behind our back is still caught
    data = bytearray(demo_db.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096
    demo_db.write_bytes(bytes(data))
    with pytest.raises(DamagedFileError):
        Store.open(demo_db)
