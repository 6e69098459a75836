"""Exchange files: consistent copies, selections, and no half file behind the final name."""
import errno
import shutil
import sqlite3

import pytest

from pmqa_desktop.core.errors import FileProblem, UserError
from pmqa_desktop.core.sharing import check_file, export, merge
from pmqa_desktop.core.sharing import exchange
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Actor, Store, hot_journal
from sharing_helpers import data_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


def leftovers(folder):
    """Half-written files: temporary parts, their journals, and unfinished journals (the open
    store keeps its own journal, header zeroed, until it closes)."""
    return sorted(p.name for p in folder.iterdir()
                  if ".part" in p.name or (p.name.endswith("-journal") and hot_journal(p.with_name(p.name[:-8]))))


def test_whole_export_is_an_identical_sound_copy(demo_store, tmp_path):
    out = tmp_path / "out" / "exchange.db"
    out.parent.mkdir()
    res = export(demo_store, out)
    assert res.path == out and res.size == out.stat().st_size
    assert check_file(out).message.startswith("OK")
    assert data_digest(out) == data_digest(demo_store)
    assert leftovers(out.parent) == []
    meta = dict(sqlite3.connect(out).execute("SELECT key, value FROM meta").fetchall())
    assert meta["exported_from"] == demo_store.meta("file_id") and meta["file_id"] != meta["exported_from"]


def test_export_while_the_program_is_writing(demo_store, tmp_path):
    sid = demo_store.select("calendar_step")[0]["id"]
    out = tmp_path / "during.db"
    with demo_store.transaction():  # the app holds a write transaction with an unsaved change
        demo_store.update("calendar_step", sid, {"text": "not yet committed"})
        export(demo_store.path, out)
    assert check_file(out)
    conn = sqlite3.connect(out)
    text = conn.execute("SELECT text FROM calendar_step WHERE id = ?", (sid,)).fetchone()[0]
    conn.close()
    assert text != "not yet committed"  # a consistent copy of what was committed


def test_selection_keeps_catalog_and_prunes_the_rest(demo_store, tmp_path):
    rayong = planning.find_organisation(demo_store, "จังหวัดระยอง")
    y = planning.find_year(demo_store, rayong["id"], 2553)
    secret = "ข้อความลับของระยอง-" + "x" * 20
    step = planning.add_calendar_step(demo_store, y["id"], text=secret)
    demo_store.update("calendar_step", step, {"text": secret + " v2"})
    out = tmp_path / "ratchaburi.db"
    res = export(demo_store, out, orgs=["จังหวัดราชบุรี"], years=[2554])
    assert "2554" in res.selection
    conn = sqlite3.connect(out)
    orgs = [r[0] for r in conn.execute("SELECT name FROM organisation")]
    assert orgs == ["จังหวัดราชบุรี"]
    assert conn.execute("SELECT count(*) FROM criterion").fetchone()[0] == len(planning.criteria(demo_store, include_retired=True))
    assert conn.execute("SELECT count(*) FROM calendar_step WHERE id = ?", (step,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM history WHERE row_id = ?", (step,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM calendar_step").fetchone()[0] > 0
    conn.close()
    assert secret.encode("utf-8") not in out.read_bytes()  # not even in free pages
    # the selection merges cleanly into another office's full copy
    other = tmp_path / "other.db"
    shutil.copy(demo_store.path, other)
    s = Store.open(other, Actor("B", "b"))
    try:
        assert merge(s, out).changes_nothing
    finally:
        s.close()


def test_unknown_selection_is_a_clear_error(demo_store, tmp_path):
    out = tmp_path / "x.db"
    with pytest.raises(UserError, match="organisation"):
        export(demo_store, out, orgs=["จังหวัดที่ไม่มี"])
    assert not out.exists() and leftovers(tmp_path) == []


def test_disk_full_inside_sqlite_leaves_no_file(demo_store, tmp_path, monkeypatch):
    real = exchange._open_destination

    def tiny(path):
        conn = real(path)
        conn.execute("PRAGMA max_page_count = 20")  # the 'disk' is full after 20 pages
        return conn
    monkeypatch.setattr(exchange, "_open_destination", tiny)
    out = tmp_path / "full.db"
    with pytest.raises(FileProblem, match="not enough space"):
        export(demo_store, out)
    assert not out.exists() and leftovers(tmp_path) == []


def test_disk_full_while_syncing_keeps_the_old_exchange_file(demo_store, tmp_path, monkeypatch):
    out = tmp_path / "exchange.db"
    export(demo_store, out)
    before = out.read_bytes()
    demo_store.update("calendar_step", demo_store.select("calendar_step")[0]["id"], {"text": "newer"})
    calls = {"n": 0}

    def failing_fsync(path):
        calls["n"] += 1
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(exchange, "fsync_file", failing_fsync)
    with pytest.raises(FileProblem, match="not enough space"):
        export(demo_store, out)
    assert calls["n"] == 1
    assert out.read_bytes() == before  # the previous exchange file is untouched
    assert leftovers(tmp_path) == []


def test_missing_folder_and_self_overwrite_are_refused(demo_store, tmp_path):
    with pytest.raises(FileProblem):
        export(demo_store, tmp_path / "nope" / "x.db")
    with pytest.raises(FileProblem):
        export(demo_store, demo_store.path)


def test_odd_folder_names_work(demo_db, tmp_path):
    import shutil as sh
    from pmqa_desktop.core.sharing import backup_now, open_for_editing, release
    folder = tmp_path / "ข้อมูล #1 ?50% ok"
    folder.mkdir()
    db = folder / "แผน ปี 54.db"
    sh.copy(demo_db, db)
    out = folder / "ส่งออก #2.db"
    export(db, out)
    assert check_file(out).message.startswith("OK")
    s = open_for_editing(db, Actor("A", "a"))
    try:
        assert not s.read_only
        assert backup_now(s, "manual").exists()
        assert merge(s, out).changes_nothing
    finally:
        release(s)
    ro = Store.open(db, Actor(), read_only=True)
    try:
        assert ro.select("organisation")
    finally:
        ro.close()


def test_plan_selection_keeps_one_plan_with_its_year_and_organisation(demo_store, tmp_path):
    plans = demo_store.select("dev_plan", order_by="title")
    assert len(plans) >= 2
    keep, drop = plans[0], plans[1]
    out = tmp_path / "one_plan.db"
    res = export(demo_store, out, plans=[keep["id"][:12]])  # an id prefix is enough
    assert "plans" in res.selection
    conn = sqlite3.connect(out)
    assert [r[0] for r in conn.execute("SELECT id FROM dev_plan")] == [keep["id"]]
    kept_steps = conn.execute("SELECT count(*) FROM plan_step s JOIN plan_activity a ON a.id = s.activity_id "
                              "WHERE a.plan_id = ?", (keep["id"],)).fetchone()[0]
    assert kept_steps == demo_store.query(
        "SELECT count(*) AS n FROM plan_step s JOIN plan_activity a ON a.id = s.activity_id WHERE a.plan_id = ?",
        (keep["id"],))[0]["n"] > 0
    assert conn.execute("SELECT count(*) FROM plan_activity WHERE plan_id = ?", (drop["id"],)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM kpi WHERE plan_id = ?", (drop["id"],)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM history WHERE row_id = ?", (drop["id"],)).fetchone()[0] == 0
    year = conn.execute("SELECT org_id FROM fiscal_year WHERE id = ?", (keep["year_id"],)).fetchone()
    assert year is not None
    assert conn.execute("SELECT count(*) FROM organisation WHERE id = ?", (year[0],)).fetchone()[0] == 1
    conn.close()


def test_plans_left_out_of_an_export_travel_not_at_all(demo_store, tmp_path):
    plans = demo_store.select("dev_plan", order_by="title")
    drop, keep = plans[0], plans[1:]
    out = tmp_path / "without_one_plan.db"
    res = export(demo_store, out, without_plans=[drop["id"]])
    assert drop["title"] in res.selection
    conn = sqlite3.connect(out)
    try:
        assert {r[0] for r in conn.execute("SELECT id FROM dev_plan")} == {p["id"] for p in keep}
        for table in ("plan_activity", "kpi", "plan_approval"):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE plan_id = ?", (drop["id"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM history WHERE row_id = ?", (drop["id"],)).fetchone()[0] == 0
        # everything else of its year still travels
        assert conn.execute("SELECT count(*) FROM fiscal_year WHERE id = ?", (drop["year_id"],)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM calendar_step").fetchone()[0] == \
            demo_store.query("SELECT count(*) AS n FROM calendar_step")[0]["n"]
    finally:
        conn.close()
