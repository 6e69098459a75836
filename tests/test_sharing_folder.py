"""Merge every file in a folder: one preview, one backup, one commit for all the agencies' files."""
import shutil
from pathlib import Path
import sqlite3

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.errors import FileProblem
from pmqa_desktop.core.sharing import list_backups, merge, open_conflicts
from pmqa_desktop.core.sharing.folder import merge_folder
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, file_state, integrity_ok

pytestmark = pytest.mark.usefixtures("english")


def agency_file(province, folder, n):
    """The province's file as agency ``n`` sends it back: its own organisation and year, and the
    province's owner of the first criterion edited (by agencies 1 and 2: a conflict)."""
    path = folder / f"agency{n}.db"
    shutil.copy(province, path)
    s = Store.open(path, Actor(f"ส่วนราชการที่ {n}", f"clerk {n}"))
    try:
        prov = planning.find_organisation(s, "จังหวัดราชบุรี")
        org = planning.add_organisation(s, f"ส่วนราชการที่ {n}", kind="agency", parent_id=prov["id"])
        year = planning.add_fiscal_year(s, org, 2554)
        planning.add_calendar_step(s, year, f"ประชุมของส่วนราชการที่ {n}")
        if n in (1, 2):
            pyear = planning.fiscal_years(s, prov["id"])[0]["id"]
            planning.set_owner(s, pyear, planning.criteria(s)[0]["id"], {"phone": f"03{n}000000"})
    finally:
        s.close()
    return path


def passed_through(source: Path, target: Path) -> Path:
    """Agency 4's file made from agency 3's (it passed through agency 3 first, so it holds agency
    3's rows too) with one step agency 4 added to agency 3's year."""
    shutil.copy(source, target)
    s = Store.open(target, Actor("ส่วนราชการที่ 4", "clerk 4"))
    try:
        year = planning.fiscal_years(s, planning.find_organisation(s, "ส่วนราชการที่ 3")["id"])[0]["id"]
        planning.add_calendar_step(s, year, "ขั้นตอนที่ส่วนราชการที่ 4 เพิ่ม")
    finally:
        s.close()
    return target


@pytest.fixture
def received(demo_db, tmp_path):
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2, 3):
        agency_file(demo_db, folder, n)
    return folder


def _conflicts(store):
    return sorted((c["table_name"], c["row_id"], c["kept_rev"], c["other_rev"], c["source"])
                  for c in open_conflicts(store))


def merged_one_by_one(demo_db, folder, tmp_path, each=None):
    """(data digest, conflicts) of a copy of ``demo_db`` that merged the files of ``folder`` one
    after the other, in their names' order (what merging the folder at once must give);
    ``each(path, report)`` looks at each merge."""
    one_by_one = tmp_path / "one_by_one.db"
    shutil.copy(demo_db, one_by_one)
    s = Store.open(one_by_one, Actor("province", "clerk"))
    try:
        for p in sorted(folder.iterdir()):
            done = merge(s, p, backup=False)
            if each is not None:
                each(p, done)
        return data_digest(s), _conflicts(s)
    finally:
        s.close()


def merged_row_by_row(demo_db, folder, target, monkeypatch, look, backup=True):
    """``look(store, report)`` of a copy of ``demo_db`` (made at ``target``) that merged ``folder``
    at once with the page copy switched off: the staging copy merged into it row by row (what
    the page copy must give)."""
    import pmqa_desktop.core.sharing.folder as folder_mod
    shutil.copy(demo_db, target)
    with monkeypatch.context() as m:
        m.setattr(folder_mod, "_fast_forward", lambda *a: None)
        s = Store.open(target, Actor("province", "clerk"))
        try:
            return look(s, merge_folder(s, folder, backup=backup))
        finally:
            s.close()


def test_a_folder_merges_in_one_go_like_the_files_one_by_one(demo_db, received, tmp_path):
    expected, expected_conflicts = merged_one_by_one(demo_db, received, tmp_path)

    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        before = data_digest(store)
        preview = merge_folder(store, received, dry_run=True)
        assert data_digest(store) == before and not list_backups(demo_db)
        text = "\n".join(preview.lines())
        for n in (1, 2, 3):
            assert f"agency{n}.db: " in text
        assert "Preview only" in text
        # organisation, year, step each, and agencies 1 and 2 each a province owner
        assert [r.totals().add for r in preview.files] == [4, 4, 3]

        done = merge_folder(store, received)
        assert done.applied and len(list_backups(demo_db)) == 1   # one backup for the folder
        assert data_digest(store) == expected
        assert _conflicts(store) == expected_conflicts and expected_conflicts
        assert {c[4] for c in expected_conflicts} <= {"agency1.db", "agency2.db", "agency3.db"}
        for n in (1, 2, 3):
            assert planning.find_organisation(store, f"ส่วนราชการที่ {n}") is not None
        again = merge_folder(store, received)
        assert again.changes_nothing and len(list_backups(demo_db)) == 1
    finally:
        store.close()


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()


def test_a_damaged_or_foreign_file_among_them_is_named_and_nothing_changes(demo_db, received):
    (received / "agency4.db").write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    _foreign(received / "accounts.db")
    before = file_state(demo_db)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        with pytest.raises(FileProblem) as err:
            merge_folder(store, received)
        assert "agency4.db" in str(err.value) and "accounts.db" in str(err.value)
        assert "agency1.db" not in str(err.value)
        assert planning.find_organisation(store, "ส่วนราชการที่ 1") is None
    finally:
        store.close()
    assert file_state(demo_db)[0] == before[0] and not list_backups(demo_db)


def test_cli_merges_a_folder_previews_it_and_refuses_a_bad_one(demo_db, received, tmp_path, capsys):
    before = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), "--folder", str(received), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "agency1.db: " in out and "agency3.db: " in out and "Preview only" in out
    assert data_digest(demo_db) == before
    assert main(["merge", "--db", str(demo_db), str(received)]) == 1   # a folder as the file: a hint
    assert "--folder" in capsys.readouterr().err
    assert main(["merge", "--db", str(demo_db), "--folder", str(received)]) == 0
    out = capsys.readouterr().out
    assert "Merged." in out and "Backup made" in out
    s = Store.open(demo_db)
    try:
        assert planning.find_organisation(s, "ส่วนราชการที่ 2") is not None
    finally:
        s.close()
    bad = tmp_path / "bad"
    shutil.copytree(received, bad)
    _foreign(bad / "accounts.db")
    after = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), "--folder", str(bad)]) == 1
    err = capsys.readouterr()
    assert "accounts.db" in err.err and "Traceback" not in err.err
    assert data_digest(demo_db) == after


def test_cli_says_in_thai_when_the_folder_holds_a_foreign_file(demo_db, received, capsys, monkeypatch):
    _foreign(received / "accounts.db")
    assert main(["--lang", "th", "merge", "--db", str(demo_db), "--folder", str(received)]) == 1
    err = capsys.readouterr().err
    assert "accounts.db" in err and "ไม่" in err


def test_a_file_or_an_empty_folder_given_as_the_folder_is_a_sentence(demo_db, received, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        with pytest.raises(FileProblem, match="is a file, not a folder"):
            merge_folder(store, received / "agency1.db")
        with pytest.raises(FileProblem, match="holds no files to merge"):
            merge_folder(store, empty)
    finally:
        store.close()


def test_each_file_is_counted_against_our_file_not_after_the_files_before_it(demo_db, tmp_path):
    """agency2 passed through agency1 first (it holds agency1's rows too): its line counts what it
    brings to the province, the same whether or not agency1's file is in the folder beside it."""
    folder = tmp_path / "received"
    folder.mkdir()
    a1 = agency_file(demo_db, folder, 3)                 # organisation, year, one step: 3 rows
    a2 = passed_through(a1, folder / "agency4.db")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        alone = merge(store, a2, dry_run=True).totals()
        preview = merge_folder(store, folder, dry_run=True)
        assert [r.source.name for r in preview.files] == ["agency3.db", "agency4.db"]
        assert [r.totals().add for r in preview.files] == [3, 4]
        got = preview.files[1].totals()
        assert (got.add, got.change, got.delete, got.conflict) == (alone.add, alone.change, alone.delete,
                                                                  alone.conflict)
    finally:
        store.close()


def test_merge_right_after_the_preview_reuses_its_work(demo_db, received, monkeypatch):
    """Apply after Preview merges the files once (in the preview), then the staged copy into our
    file without copying and checking it again; a file changed since makes it start afresh."""
    import pmqa_desktop.core.sharing.folder as folder_mod
    staged = []
    real = folder_mod._stage
    monkeypatch.setattr(folder_mod, "_stage", lambda *a: staged.append(a[2]) or real(*a))
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        merge_folder(store, received, dry_run=True)
        done = merge_folder(store, received)
        assert done.applied and len(staged) == 1
        assert [r.totals().add for r in done.files] == [4, 4, 3]
        assert planning.find_organisation(store, "ส่วนราชการที่ 3") is not None
        # a preview, then our file changes: the Apply does the whole run again
        agency_file(demo_db, received, 5)
        merge_folder(store, received, dry_run=True)
        with store.transaction():
            planning.add_organisation(store, "ส่วนราชการใหม่", kind="agency")
        again = merge_folder(store, received)
        assert again.applied and len(staged) == 3
        assert planning.find_organisation(store, "ส่วนราชการที่ 5") is not None
    finally:
        store.close()


def _summary(r):
    return (r.totals(), r.history_added, r.rows_taken, r.versions_kept_aside, r.same_both, len(r.conflicts),
            sorted((g.label, sorted((t, (c.add, c.change, c.delete, c.conflict)) for t, c in g.tables.items()))
                   for g in r.groups.values()))


def test_files_meeting_nothing_merged_before_are_compared_once_and_counted_alike(demo_db, tmp_path, monkeypatch):
    """A file that touches no row an earlier file brought is counted from its merge into the
    staging copy (not compared with our file a second time); the others are compared with our
    file again. Either way each line equals that file previewed alone against our file."""
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (3, 5, 6):   # each only adds its own rows
        agency_file(demo_db, folder, n)
    passed_through(folder / "agency3.db", folder / "agency4.db")   # holds agency 3's rows too
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        against_ours = previewed_as_alone(monkeypatch, store, folder)
        # agency4 (agency3's rows) is compared with our file; agency3, 5 and 6 meet nothing
        # merged before them
        assert [p.name for p in against_ours] == ["agency4.db"]
    finally:
        store.close()


def previewed_as_alone(monkeypatch, store, folder: Path) -> list[Path]:
    """Preview the folder: each file's line equals that file previewed alone against our file.
    Returns the files the folder's preview compared with our file."""
    alone = {p.name: _summary(merge(store, p, dry_run=True)) for p in sorted(folder.iterdir())}
    against_ours = compared_with_ours(monkeypatch, store)
    preview = merge_folder(store, folder, dry_run=True)
    assert {r.source.name: _summary(r) for r in preview.files} == alone
    return against_ours


def compared_with_ours(monkeypatch, store) -> list[Path]:
    """The files the folder merge compares with our file (a preview of each against ``store``)
    from now on, in order."""
    import pmqa_desktop.core.sharing.folder as folder_mod
    seen: list[Path] = []
    real = folder_mod.merge
    monkeypatch.setattr(folder_mod, "merge", lambda st, p, *a, **k: (
        seen.append(p) if st is store and k.get("dry_run") else None) or real(st, p, *a, **k))
    return seen


def with_twin_year(path: Path, n: int) -> Path:
    """Agency ``n``'s file holding its year twice (two live rows for one fiscal year of its own
    organisation, as two of its clerks can make them): merging it, the settling pass makes them one."""
    conn = sqlite3.connect(path)
    try:
        org = conn.execute("SELECT id FROM organisation WHERE name = ?", (f"ส่วนราชการที่ {n}",)).fetchone()[0]
        cur = conn.execute("SELECT * FROM fiscal_year WHERE org_id = ?", (org,))
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone()))
        # (the smaller id: the one that stays; another title: the pass lists a conflict)
        row.update(id=f"{'0' * 31}{n}", rev=f"twin-{n}", calendar_note=f"note of clerk {n}")
        conn.execute(f"INSERT INTO fiscal_year ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                     [row[c] for c in names])
        conn.commit()
    finally:
        conn.close()
    return path


def test_rows_settled_in_the_staging_copy_send_back_only_the_files_holding_them(demo_db, tmp_path, monkeypatch):
    """Every agency's file holds a twin of its own: settling it in the staging copy changes only
    that agency's rows, so a later file that holds none of them is still counted from its staging
    merge (not compared with our file again); agency4, made from agency3's file, is compared
    again. Each line equals the file previewed alone, and the result equals the files merged one
    by one."""
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (3, 5, 6):
        with_twin_year(agency_file(demo_db, folder, n), n)
    passed_through(folder / "agency3.db", folder / "agency4.db")
    def settled(p, done):   # (agency4's twin is settled by then)
        assert done.settled.changed == (p.name != "agency4.db") and len(done.settled.conflicts) == done.settled.twins
    expected, expected_conflicts = merged_one_by_one(demo_db, folder, tmp_path, settled)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        against_ours = previewed_as_alone(monkeypatch, store, folder)
        assert [p.name for p in against_ours] == ["agency4.db"]
        done = merge_folder(store, folder)
        assert done.applied
        assert data_digest(store) == expected and _conflicts(store) == expected_conflicts
    finally:
        store.close()


def _left(temp):
    """What is left in ``temp`` once the private copies being removed in a thread are gone
    (``safety._remove_soon``: renamed at once, unlinked in a thread)."""
    from pmqa_desktop.core.sharing import safety
    for thread, _gone in list(safety._removals):
        thread.join(timeout=30)
    return list(temp.iterdir())


def test_no_private_copy_is_left_when_a_merge_stops_or_a_file_is_refused(demo_db, received, tmp_path, monkeypatch):
    """The next file is copied and checked ahead (in a thread) while one merges: whether a file is
    refused or a merge stops on an error, every private copy made is removed."""
    import tempfile
    import pmqa_desktop.core.sharing.folder as folder_mod
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        real = folder_mod.merge
        calls = []

        def failing(st, p, *a, **k):
            calls.append(p)
            if len(calls) == 2:
                raise sqlite3.OperationalError("disk I/O error")
            return real(st, p, *a, **k)
        monkeypatch.setattr(folder_mod, "merge", failing)
        with pytest.raises(sqlite3.OperationalError):
            merge_folder(store, received, dry_run=True)
        assert _left(temp) == []
        monkeypatch.setattr(folder_mod, "merge", real)
        _foreign(received / "agency2.db")
        with pytest.raises(FileProblem, match="agency2.db"):
            merge_folder(store, received, dry_run=True)
        assert _left(temp) == []
    finally:
        store.close()


def test_no_private_copy_is_left_when_the_program_ends_after_a_preview(demo_db, tmp_path):
    """A clerk previews a file and a folder, then closes the program without merging: the private
    copies (kept for a merge right after the preview, removed in a thread) are gone when it ends."""
    import os
    import subprocess
    import sys
    folder = tmp_path / "received"
    folder.mkdir()
    a3 = agency_file(demo_db, folder, 3)
    passed_through(a3, folder / "agency4.db")
    temp = tmp_path / "temp"
    temp.mkdir()
    code = ("import sys\n"
            "from pmqa_desktop.core.sharing import merge\n"
            "from pmqa_desktop.core.sharing.folder import merge_folder\n"
            "from pmqa_desktop.core.storage.store import Actor, Store\n"
            "store = Store.open(sys.argv[1], Actor('province', 'clerk'))\n"
            "merge(store, sys.argv[2], dry_run=True)\n"
            "merge_folder(store, sys.argv[3], dry_run=True)\n"
            "merge(store, sys.argv[2], dry_run=True)\n")
    env = dict(os.environ, TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp))
    done = subprocess.run([sys.executable, "-c", code, str(demo_db), str(folder / "agency4.db"), str(folder)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in temp.iterdir() if p.name.startswith("pmqa-check-")] == []


def own_calendar_only(path: Path, n: int) -> Path:
    """Agency ``n``'s file sending only its own organisation's calendar (the province's steps and
    their cells left out), as the roll-up's agencies send it: every calendar step in it is new to
    the province."""
    conn = sqlite3.connect(path)
    try:
        org = conn.execute("SELECT id FROM organisation WHERE name = ?", (f"ส่วนราชการที่ {n}",)).fetchone()[0]
        conn.execute("DELETE FROM calendar_step WHERE year_id NOT IN (SELECT id FROM fiscal_year WHERE org_id = ?)",
                     (org,))
        conn.execute("DELETE FROM calendar_cell WHERE step_id NOT IN (SELECT id FROM calendar_step)")
        conn.commit()
    finally:
        conn.close()
    return path


def test_tables_whose_rows_are_all_new_are_merged_into_the_staging_copy_alike(demo_db, tmp_path, monkeypatch):
    """The check thread tells the staging merge which tables of a file hold only rows that neither
    our file nor an earlier file holds (their rows are then added without being looked up one by
    one): agency 3's and 5's calendar steps, not agency 4's (it holds agency 3's step too). Each
    line equals the file previewed alone, and the result equals the files merged one by one."""
    import pmqa_desktop.core.sharing.folder as folder_mod
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (3, 5):
        own_calendar_only(agency_file(demo_db, folder, n), n)
    passed_through(folder / "agency3.db", folder / "agency4.db")
    expected, expected_conflicts = merged_one_by_one(demo_db, folder, tmp_path)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        new: list[frozenset] = []   # each staging merge's, in the files' order
        real = folder_mod.merge

        def staging_merge(st, p, *a, **k):
            if st is not store:
                new.append(k.get("new"))
            return real(st, p, *a, **k)
        monkeypatch.setattr(folder_mod, "merge", staging_merge)
        previewed_as_alone(monkeypatch, store, folder)
        done = merge_folder(store, folder)   # (the preview's staging copy, merged into ours)
        assert done.applied
        assert data_digest(store) == expected and _conflicts(store) == expected_conflicts
        assert len(new) == 3
        agency3, agency4, agency5 = new
        assert "calendar_step" in agency3 and "calendar_step" in agency5
        assert "calendar_step" not in agency4
        # (the province's rows are in every file: their tables are looked up)
        assert not {"organisation", "fiscal_year"} & (agency3 | agency5)
    finally:
        store.close()


def test_the_rows_of_a_table_all_new_are_decided_as_when_looked_up(demo_db, tmp_path):
    """``merge``'s ``new``: a table whose incoming rows are all new here is decided without looking
    them up, into the very plan rows that looking them up gives."""
    from pmqa_desktop.core.sharing.merge import _NEW, _PLAN_INSERT, _PLAN_SQL, _classify_sql, _new_rows_sql
    from pmqa_desktop.core.storage import schema
    folder = tmp_path / "received"
    folder.mkdir()
    path = agency_file(demo_db, folder, 3)
    s = Store.open(path, Actor("ส่วนราชการที่ 3", "clerk 3"))
    try:   # (and a step added, then deleted: a tombstone, added but not counted)
        year = planning.fiscal_years(s, planning.find_organisation(s, "ส่วนราชการที่ 3")["id"])[0]["id"]
        gone = planning.add_calendar_step(s, year, "ขั้นตอนที่ลบแล้ว")
        with s.transaction():
            s.delete("calendar_step", gone)
    finally:
        s.close()
    own_calendar_only(path, 3)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        store.conn.execute("ATTACH DATABASE ? AS inc", (f"file:{path}?mode=ro",))
        store.conn.execute(_PLAN_SQL)
        plans = []
        for sql in (_classify_sql, _new_rows_sql):
            store.conn.execute("DELETE FROM temp.merge_plan")
            t = schema.SYNCED_TABLES.index("calendar_step")
            store.conn.execute(_PLAN_INSERT + sql(t, "calendar_step"))
            plans.append(store.conn.execute("SELECT * FROM temp.merge_plan ORDER BY t, what, r").fetchall())
        store.conn.execute("DETACH DATABASE inc")
        assert plans[0] == plans[1] and len(plans[0]) == 2
        assert {row[1] for row in plans[0]} == {_NEW} and sorted(row[4] or "" for row in plans[0]) == ["", "add"]
    finally:
        store.close()


def _index_entries(store):
    """Find's index as a fresh build of it must hold it: (rowid, text) of every entry."""
    store.index_edits()
    return sorted(store.conn.execute("SELECT rowid, text FROM search_index").fetchall())


def test_the_merge_takes_the_staging_copy_as_it_is_and_gives_what_merging_it_gives(demo_db, received, tmp_path,
                                                                                   monkeypatch, ff_used):
    """Our file unchanged since its staging copy was taken: the Merge copies that copy's pages over
    our file instead of merging it row by row. Everything the clerk sees is what the row-by-row
    merge gives: rows, history, conflicts (their ids those of the report), find's index."""
    from pmqa_desktop.core.storage import search
    slow, slow_data, slow_conflicts, slow_index = merged_row_by_row(
        demo_db, received, tmp_path / "row_by_row.db", monkeypatch,
        lambda s, report: (report, data_digest(s), _conflicts(s), _index_entries(s)))
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        merge_folder(store, received, dry_run=True)
        done = merge_folder(store, received)
        assert ff_used and ff_used[0] is not None   # (the pages were copied)
        assert done.applied and len(list_backups(demo_db)) == 1
        assert data_digest(store) == slow_data
        assert _conflicts(store) == slow_conflicts and slow_conflicts
        assert sorted(c.conflict_id for c in done.total.conflicts) == sorted(c["id"] for c in open_conflicts(store))
        assert (done.conflicts, done.total.history_added, done.total.rows_taken) == \
            (slow.conflicts, slow.total.history_added, slow.total.rows_taken)
        # find sees the agencies' rows before the file is closed, and its index is what the
        # row-by-row merge's is
        hits = search.search(store, "ประชุมของส่วนราชการที่ 2")
        assert [h.text for h in hits] == ["ประชุมของส่วนราชการที่ 2"]
        assert _index_entries(store) == slow_index
        # and the file takes edits as before, indexed for find too
        planning.add_calendar_step(store, planning.fiscal_years(
            store, planning.find_organisation(store, "ส่วนราชการที่ 3")["id"])[0]["id"], "ขั้นตอนหลังการรวม")
    finally:
        store.close()
    assert integrity_ok(demo_db)
    s = Store.open(demo_db, Actor("province", "clerk"))
    try:
        assert [h.text for h in search.search(s, "ขั้นตอนหลังการรวม")] == ["ขั้นตอนหลังการรวม"]
    finally:
        s.close()


def test_an_edit_made_after_the_staging_copy_was_taken_is_not_lost(demo_db, received, tmp_path, monkeypatch):
    """Our file written between the staging copy and the Merge: the copy is not our file with the
    agencies merged into it any more, so it is merged row by row (the edit and the agencies' rows)."""
    import pmqa_desktop.core.sharing.folder as folder_mod
    real = folder_mod._stage
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        step = store.select("calendar_step", order_by="id")[0]

        def stage_then_edit(*a, **k):
            st = real(*a, **k)
            with store.transaction():   # (a row the copy holds too, edited: only the file's counter tells)
                store.update("calendar_step", step["id"], {"text": "ขั้นตอนที่แก้ระหว่างการรวม"})
            return st
        monkeypatch.setattr(folder_mod, "_stage", stage_then_edit)
        done = merge_folder(store, received)
        assert done.applied
        assert store.get("calendar_step", step["id"])["text"] == "ขั้นตอนที่แก้ระหว่างการรวม"
        texts = [r["text"] for r in store.select("calendar_step")]
        for n in (1, 2, 3):
            assert f"ประชุมของส่วนราชการที่ {n}" in texts
    finally:
        store.close()
