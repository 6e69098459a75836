"""Schema version 2: a version-1 file is taken forward on open, and the step repairs what version 1
could hold and version 2 must not (twins of one natural key, live rows under a deleted parent)."""
import sqlite3

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.sharing import merge, open_conflicts
from pmqa_desktop.core.storage import Actor, Store, schema, search

pytestmark = pytest.mark.usefixtures("english")

OWN = {
    "organisation": ("name", "province", "kind", "parent_id", "sort_key"),
    "fiscal_year": ("org_id", "year_be", "calendar_start", "weekly_start", "calendar_title"),
    "calendar_step": ("year_id", "sort_key", "text"),
}
# (table, id, rev, updated_at, deleted, values): a file an old merge left with twins and orphans
ROWS = [
    ("organisation", "o1", "r-o1", "2025-01-01T00:00:00.000000Z", 0, ("จังหวัดน่าน", "น่าน-เก่า", "province", None, 1)),
    ("organisation", "o2", "r-o2", "2025-02-01T00:00:00.000000Z", 0, ("จังหวัดน่าน", "น่าน-ใหม่", "province", None, 2)),
    ("organisation", "o3", "r-o3", "2025-01-05T00:00:00.000000Z", 1, ("อำเภอปัว", "น่าน", "agency", None, 3)),
    ("fiscal_year", "y1", "r-y1", "2025-01-01T00:00:00.000000Z", 0, ("o1", 2556, "2012-10", "2012-10", "ปฏิทิน ก")),
    ("fiscal_year", "y2", "r-y2", "2025-01-02T00:00:00.000000Z", 0, ("o2", 2556, "2012-10", "2012-10", "ปฏิทิน ข")),
    ("fiscal_year", "y3", "r-y3", "2025-01-03T00:00:00.000000Z", 0, ("o3", 2557, "2013-10", "2013-10", "")),
    ("calendar_step", "s1", "r-s1", "2025-01-02T00:00:00.000000Z", 0, ("y2", 1, "ประชุมทบทวนขั้นตอน")),
    ("calendar_step", "s3", "r-s3", "2025-01-03T00:00:00.000000Z", 0, ("y3", 1, "ขั้นตอนของอำเภอ")),
]


def version_1_file(path):
    """A file as the version-1 program left it: only MIGRATIONS[0] run, no find index."""
    conn = sqlite3.connect(path)
    schema.MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("INSERT INTO meta VALUES ('file_id', 'v1-file'), ('created_at', '2025-01-01T00:00:00Z')")
    for table, rid, rev, at, deleted, values in ROWS:
        cols = ("id", "rev", "updated_at", "office", "clerk", "deleted") + OWN[table]
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     (rid, rev, at, "old office", "old clerk", deleted, *values))
    conn.commit()
    conn.close()
    return path


def _version(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _assert_repaired(store, ids_prefix=""):
    live_nan = store.select("organisation", {"name": "จังหวัดน่าน"}, order_by="")
    assert len(live_nan) == 1
    kept = live_nan[0]
    assert kept["id"] == "o1" and kept["province"] == "น่าน-ใหม่"   # the smallest id, the newer edit's values
    years = store.select("fiscal_year", {"org_id": "o1", "year_be": 2556}, order_by="")
    assert len(years) == 1
    # the step of the twin year that went is live under the year that stayed
    step = store.get("calendar_step", "s1")
    assert step is not None and step["year_id"] == years[0]["id"]
    # the agency deleted under its live year is brought back and listed
    assert store.get("organisation", "o3") is not None and store.get("fiscal_year", "y3") is not None
    listed = {(c["table_name"], c["row_id"]) for c in open_conflicts(store)}
    assert ("organisation", "o3") in listed and ("organisation", "o1") in listed
    assert ("fiscal_year", years[0]["id"]) in listed
    # nothing lost: every version the old file held is current or in the history
    for table, rid, rev, _at, _d, values in ROWS:
        row = store.get(table, rid, include_deleted=True)
        held = {row["rev"]} | {h["rev"] for h in store.history_of(table, rid)}
        assert rev in held, (table, rid)
    old = [h for h in store.history_of("organisation", "o1") if h["rev"] == "r-o1"][0]
    assert old["data"]["province"] == "น่าน-เก่า"
    # nothing live under a tombstone, anywhere
    for child, (parent, fk) in schema.PARENTS.items():
        assert not store.query(f"SELECT c.id FROM {child} c JOIN {parent} p ON p.id = c.{fk} "
                               f"WHERE c.deleted = 0 AND p.deleted <> 0")


def test_a_version_1_file_with_twins_and_orphans_is_repaired_at_version_2_on_open(tmp_path):
    path = version_1_file(tmp_path / "old.db")
    assert schema.SCHEMA_VERSION >= schema.SETTLED_FROM == 2
    store = Store.open(path, Actor("province", "clerk"))
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        _assert_repaired(store)
        # find's index is built after the migration and sees the repaired rows
        assert [h.row_id for h in search.search(store, "ประชุมทบทวน")] == ["s1"]
        assert [h.row_id for h in search.search(store, "ขั้นตอนของอำเภอ")] == ["s3"]
        before = store.query("SELECT id, rev FROM organisation UNION ALL SELECT id, rev FROM fiscal_year ORDER BY 1")
        conflicts = len(open_conflicts(store))
    finally:
        store.close()
    assert _version(path) == schema.SCHEMA_VERSION
    again = Store.open(path)   # opening again changes nothing
    try:
        assert again.query("SELECT id, rev FROM organisation UNION ALL SELECT id, rev FROM fiscal_year "
                           "ORDER BY 1") == before
        assert len(open_conflicts(again)) == conflicts
    finally:
        again.close()


def test_a_version_1_file_with_the_find_index_already_gets_it_rebuilt(tmp_path):
    path = version_1_file(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    search.ensure(conn)   # a version-1 program that already had find
    conn.commit()
    conn.close()
    store = Store.open(path)
    try:
        assert [h.row_id for h in search.search(store, "ประชุมทบทวน")] == ["s1"]
        assert store.get("fiscal_year", "y2") is None  # the twin that went is not found any more
    finally:
        store.close()


def test_a_version_1_file_opened_read_only_is_left_as_it_is(tmp_path):
    path = version_1_file(tmp_path / "old.db")
    data = path.read_bytes()
    store = Store.open(path, read_only=True)
    try:
        assert len(store.select("organisation", {"name": "จังหวัดน่าน"}, order_by="")) == 2
    finally:
        store.close()
    assert path.read_bytes() == data


def test_a_version_1_file_merges_into_a_version_2_file(demo_db, tmp_path):
    old = version_1_file(tmp_path / "old.db")
    data = old.read_bytes()
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        report = merge(store, old, backup=False)
        assert report.applied
        _assert_repaired(store)
    finally:
        store.close()
    assert old.read_bytes() == data   # the incoming file is only read


def test_a_version_2_file_merges_into_a_version_1_file_taken_forward(demo_db, tmp_path):
    old = version_1_file(tmp_path / "old.db")
    store = Store.open(old, Actor("province", "clerk"))
    try:
        report = merge(store, demo_db, backup=False)
        assert report.applied
        _assert_repaired(store)
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    finally:
        store.close()


def test_cli_merges_a_version_1_file(demo_db, tmp_path, capsys):
    old = version_1_file(tmp_path / "old.db")
    assert main(["merge", "--db", str(demo_db), str(old)]) == 0
    assert "Merged." in capsys.readouterr().out
    store = Store.open(demo_db)
    try:
        _assert_repaired(store)
    finally:
        store.close()


def test_cli_check_of_a_version_1_file_passes_without_changing_it(tmp_path, capsys):
    old = version_1_file(tmp_path / "old.db")
    data = old.read_bytes()
    assert main(["check", str(old)]) == 0
    assert old.read_bytes() == data


def test_a_version_2_file_keeps_its_conflicts_whole_row_at_version_4(tmp_path):
    """Version 4 names a field's conflict's fields; a version-2 file's conflicts stay about the
    whole row (Swap as before), and a version-2 file still merges into a version-4 one."""
    path = version_1_file(tmp_path / "v2.db")
    conn = sqlite3.connect(path)
    schema.MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO conflict (id, table_name, row_id, kept_rev, other_rev, found_at) "
                 "VALUES ('c1', 'calendar_step', 's1', 'r-s1', 'r-old', '2025-01-03T00:00:00.000000Z')")
    conn.commit()
    conn.close()
    store = Store.open(path, Actor("province", "clerk"))
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 4
        assert store.query("SELECT fields FROM conflict WHERE id = 'c1'") == [{"fields": ""}]
    finally:
        store.close()
