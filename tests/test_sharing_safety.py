"""Bad files: truncated, random bytes, another program's SQLite file, newer schema, a crafted
trigger or view, 1 MB cell text. Each is refused or handled with a clear message; nothing
changes, neither in the bad file nor in ours."""
import os
import shutil
import sqlite3

import pytest

from pmqa_desktop.core.errors import DamagedFileError, FileProblem, ForeignFileError
from pmqa_desktop.core.sharing import check_file, merge, open_for_editing, release
from pmqa_desktop.core.sharing.safety import CraftedFileError, expected_schema, optional_schema
from pmqa_desktop.core.storage import schema
from pmqa_desktop.core.storage.store import Actor, Store, set_defensive, _connect
from sharing_helpers import data_digest, file_state

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


@pytest.fixture
def ours(demo_db, tmp_path):
    p = tmp_path / "ours.db"
    shutil.copy(demo_db, p)
    s = Store.open(p, Actor("home", "clerk"))
    yield s
    s.close()


def _mutate(src, dst, *sql):
    shutil.copy(src, dst)
    conn = sqlite3.connect(dst)
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()
    return dst


def _assert_refused_everywhere(bad, ours, exc_type):
    """check, merge and open all refuse; the bad file and our file are untouched."""
    before_bad = file_state(bad)
    before_ours = data_digest(ours)
    with pytest.raises(exc_type) as info:
        check_file(bad)
    assert str(info.value).strip()
    with pytest.raises(exc_type):
        merge(ours, bad)
    with pytest.raises(exc_type):
        Store.open(bad, Actor()).close()
    assert file_state(bad) == before_bad
    assert data_digest(ours) == before_ours
    assert not os.path.exists(str(bad) + ".lock")
    return info.value


def test_good_file_checks_ok(demo_db):
    before = file_state(demo_db)
    res = check_file(demo_db)
    assert not res.newer and "OK" in res.message and demo_db.name in res.message
    assert file_state(demo_db) == before


def test_truncated_file(demo_db, ours, tmp_path):
    bad = tmp_path / "truncated.db"
    data = demo_db.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    _assert_refused_everywhere(bad, ours, DamagedFileError)


def test_random_bytes(ours, tmp_path):
    bad = tmp_path / "random.db"
    bad.write_bytes(os.urandom(50_000))
    _assert_refused_everywhere(bad, ours, DamagedFileError)


def test_random_bytes_behind_a_sqlite_header(demo_db, ours, tmp_path):
    bad = tmp_path / "garbled.db"
    data = bytearray(demo_db.read_bytes())
    data[4096:len(data)] = os.urandom(len(data) - 4096)
    bad.write_bytes(bytes(data))
    _assert_refused_everywhere(bad, ours, FileProblem)


def test_another_programs_sqlite_file(ours, tmp_path):
    bad = tmp_path / "other.sqlite"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE contacts(name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('a', '1')")
    conn.commit()
    conn.close()
    err = _assert_refused_everywhere(bad, ours, ForeignFileError)
    assert "another program" in str(err)


def test_empty_file(ours, tmp_path):
    bad = tmp_path / "empty.db"
    bad.write_bytes(b"")
    with pytest.raises(ForeignFileError):
        check_file(bad)
    with pytest.raises(FileProblem):
        merge(ours, bad)


def test_malicious_trigger_is_refused_and_never_runs(demo_db, ours, tmp_path):
    bad = _mutate(demo_db, tmp_path / "trigger.db",
                  "CREATE TRIGGER wipe AFTER UPDATE ON calendar_step BEGIN DELETE FROM calendar_step; "
                  "DELETE FROM history; END")
    err = _assert_refused_everywhere(bad, ours, CraftedFileError)
    assert "crafted" in str(err)


def test_trigger_on_our_own_tables_inserted_by_merge_target_is_refused(ours, tmp_path):
    # a file of ours that someone planted a trigger in is refused on open, never run
    path = ours.path
    ours.close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON history BEGIN DELETE FROM organisation; END")
    conn.commit()
    conn.close()
    with pytest.raises(CraftedFileError):
        Store.open(path, Actor())
    with pytest.raises(CraftedFileError):
        open_for_editing(path, Actor())
    assert not os.path.exists(str(path) + ".lock")


def test_view_is_refused(demo_db, ours, tmp_path):
    bad = _mutate(demo_db, tmp_path / "view.db", "CREATE VIEW v AS SELECT * FROM calendar_step")
    _assert_refused_everywhere(bad, ours, CraftedFileError)


def test_table_replaced_by_view_is_refused(demo_db, ours, tmp_path):
    bad = _mutate(demo_db, tmp_path / "swapped.db", "DROP TABLE kpi",
                  "CREATE VIEW kpi AS SELECT * FROM plan_step")
    _assert_refused_everywhere(bad, ours, CraftedFileError)


def test_unknown_table_and_changed_column_are_refused(demo_db, ours, tmp_path):
    bad = _mutate(demo_db, tmp_path / "extra.db", "CREATE TABLE evil(x)")
    _assert_refused_everywhere(bad, ours, CraftedFileError)
    bad2 = _mutate(demo_db, tmp_path / "column.db", "ALTER TABLE calendar_step ADD COLUMN extra TEXT")
    _assert_refused_everywhere(bad2, ours, CraftedFileError)


def test_newer_schema_opens_read_only_and_is_not_merged(demo_db, ours, tmp_path):
    newer = _mutate(demo_db, tmp_path / "newer.db", "CREATE TABLE future_thing(x)", "PRAGMA user_version = 7")
    before = file_state(newer)
    res = check_file(newer)
    assert res.newer and res.read_only and "newer" in res.message
    s = open_for_editing(newer, Actor())
    try:
        assert s.read_only and "newer" in s.read_only_reason
        assert s.select("organisation")  # readable
    finally:
        release(s)
    assert file_state(newer)[0] == before[0]
    from pmqa_desktop.core.errors import NewerFileError
    with pytest.raises(NewerFileError):
        merge(ours, newer)


def test_newer_schema_with_trigger_is_still_refused(demo_db, tmp_path):
    bad = _mutate(demo_db, tmp_path / "newer_trigger.db", "PRAGMA user_version = 9",
                  "CREATE TRIGGER x AFTER UPDATE ON organisation BEGIN DELETE FROM organisation; END")
    with pytest.raises(CraftedFileError):
        check_file(bad)


def test_one_megabyte_cell_merges_fine(demo_db, ours, tmp_path):
    big = tmp_path / "big.db"
    shutil.copy(demo_db, big)
    s = Store.open(big, Actor("far", "far"))
    sid = s.select("calendar_step")[0]["id"]
    text = "ก" * (1024 * 1024)
    s.update("calendar_step", sid, {"remark": text})
    s.close()
    before = file_state(big)
    assert check_file(big).message
    report = merge(ours, big)
    assert report.applied and report.totals().change == 1
    assert ours.get("calendar_step", sid)["remark"] == text
    assert file_state(big) == before


def test_unknown_values_are_bound_not_interpolated(demo_db, ours, tmp_path):
    evil = tmp_path / "quotes.db"
    shutil.copy(demo_db, evil)
    s = Store.open(evil, Actor("o'; DROP TABLE organisation; --", "x"))
    sid = s.select("calendar_step")[0]["id"]
    s.update("calendar_step", sid, {"text": "'); DELETE FROM calendar_step; --"})
    s.close()
    merge(ours, evil)
    assert ours.get("calendar_step", sid)["text"].startswith("');")
    assert len(ours.select("calendar_step")) > 1 and ours.select("organisation")


def test_defensive_mode_and_trusted_schema_are_on(tmp_path):
    conn = _connect(str(tmp_path / "d.db"))
    try:
        assert set_defensive(conn) is True
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        conn.execute("CREATE TABLE x(a)")
        conn.execute("PRAGMA writable_schema = ON")
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("UPDATE sqlite_master SET sql = sql WHERE name = 'x'")
    finally:
        conn.close()


def test_store_never_uses_wal(demo_db, tmp_path):
    wal = tmp_path / "wal.db"
    shutil.copy(demo_db, wal)
    conn = sqlite3.connect(wal)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    s = open_for_editing(wal, Actor())
    try:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "persist"  # a rollback journal
    finally:
        release(s)
    assert not (tmp_path / "wal.db-wal").exists() and not (tmp_path / "wal.db-journal").exists()
    with open(wal, "rb") as fh:
        head = fh.read(20)
    assert head[18:20] == b"\x01\x01"  # header back to rollback-journal mode


def test_expected_schema_matches_a_fresh_file(tmp_path):
    s = Store.open(tmp_path / "fresh.db", Actor())
    try:
        names = {r["name"] for r in s.query("SELECT name FROM sqlite_master")}
    finally:
        s.close()
    # (with find's full-text index, which a file opened by this program gets)
    assert set(expected_schema(schema.SCHEMA_VERSION)) | set(optional_schema()) == names
