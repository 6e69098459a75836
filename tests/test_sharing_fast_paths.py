"""The two fast paths of a merge, tried as a clerk who wants to lose data would: the folder merge
that copies its staging copy's pages over our file (``folder._fast_forward``), and the incoming
file read where it is (``safety.in_place_ok``). Each must give what the slow path gives."""
import os
import shutil
import sys
from pathlib import Path

import pytest

from pmqa_desktop.core.sharing import merge, open_conflicts
from pmqa_desktop.core.sharing import folder as folder_mod
from pmqa_desktop.core.sharing.folder import merge_folder
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, integrity_ok, office_copy

merge_module = sys.modules["pmqa_desktop.core.sharing.merge"]   # (sharing.merge is the function)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(params=[True, False], ids=["change time (preview in place)", "no change time (private copy)"])
def change_time(request, monkeypatch):
    """Both ways a preview reads the file: where it is, trusted while its stat (change time
    included: POSIX) is the same, or from a private copy compared byte for byte (Windows)."""
    if request.param and os.name != "posix":
        pytest.skip("the change time is the system's own on POSIX only")
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: request.param)
    return request.param


def _edited(demo_db, path, office, remark):
    """A copy of the demo file whose first step's remark the other office changed."""
    with office_copy(demo_db, path, office, "clerk") as s, s.transaction():
        s.update("calendar_step", s.select("calendar_step", order_by="id")[0]["id"], {"remark": remark})
    return path


def _first_step(store):
    return store.select("calendar_step", order_by="id")[0]


def _edit_ours(demo_db, remark):
    """Our own edit of the first step's remark (the file closed again)."""
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        with store.transaction():
            store.update("calendar_step", _first_step(store)["id"], {"remark": remark})
    finally:
        store.close()


@pytest.mark.parametrize("fast", [True, False])
def test_a_files_preview_made_before_a_folder_merge_is_not_applied_as_it_was(demo_db, tmp_path, monkeypatch,
                                                                             ff_used, fast):
    """A file previewed, then a folder merged (which brings a newer version of a row the file
    changes too), then the file merged: its preview's decisions were made against our file before
    the folder's rows came in; they are not the merge's. The folder's newer version stays, the
    file's is a conflict kept in the history, as when the folder is merged row by row."""
    x = _edited(demo_db, tmp_path / "x.db", "office X", "X's, older")
    folder = tmp_path / "received"
    folder.mkdir()
    _edited(demo_db, folder / "y.db", "office Y", "Y's, newer")
    if not fast:
        monkeypatch.setattr(folder_mod, "_fast_forward", lambda *a: None)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        merge(store, x, dry_run=True)
        assert merge_folder(store, folder).applied
        assert ff_used == ([ff_used[0]] if fast else []) and (not fast or ff_used[0] is not None)
        assert _first_step(store)["remark"] == "Y's, newer"
        done = merge(store, x)
        assert _first_step(store)["remark"] == "Y's, newer"   # (not overwritten by the older version)
        assert len(done.conflicts) == 1
        revs = {r["rev"] for r in store.query("SELECT rev FROM history")}
        assert done.conflicts[0].other_rev in revs
    finally:
        store.close()


def _rewrite_keeping_stat(path: Path, new: Path) -> None:
    """``new``'s bytes written over ``path`` in place (the same inode, as ``cp`` or a copy over an
    open file does), its modification time put back: only the bytes tell that it changed."""
    st = os.stat(path)
    data = new.read_bytes()
    assert len(data) == st.st_size
    with open(path, "r+b") as fh:
        fh.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)


def test_a_file_replaced_between_preview_and_merge_with_the_same_size_and_time_is_merged_as_it_is_now(
        demo_db, tmp_path, change_time):
    """The clerk previews a file, then copies the office's corrected file over it (same size, its
    time kept): the Merge merges the file as it is now, never the preview's decisions about the
    bytes that are gone (as with a private copy, compared byte for byte)."""
    incoming = _edited(demo_db, tmp_path / "office.db", "office X", "first")
    corrected = _edited(demo_db, tmp_path / "corrected.db", "office X", "corrected")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        preview = merge(store, incoming, dry_run=True)
        assert preview.rows_taken == 1 and merge_module._prepared.in_place == change_time
        _rewrite_keeping_stat(incoming, corrected)
        merge(store, incoming)
        assert _first_step(store)["remark"] == "corrected"
        assert data_digest(store)["calendar_step"] == data_digest(corrected)["calendar_step"]
    finally:
        store.close()


def test_a_file_replaced_after_its_preview_by_an_older_one_of_the_same_size_and_time_loses_no_edit(
        demo_db, tmp_path, change_time):
    """Previewed: a file made from ours that changes a row we changed (it has our version: taken).
    Then, before Merge, a file of the same size and time is copied over it that changed the same
    row before our edit, never having seen it (a conflict, ours the newer). Our edit must stay,
    the other version kept in the history, as when the file is merged afresh."""
    older = _edited(demo_db, tmp_path / "older.db", "office X", "older, not seen by us")
    _edit_ours(demo_db, "ours, newer")
    incoming = _edited(demo_db, tmp_path / "office.db", "office X", "theirs, after ours")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        preview = merge(store, incoming, dry_run=True)
        assert preview.rows_taken == 1 and not preview.conflicts and merge_module._prepared.in_place == change_time
        _rewrite_keeping_stat(incoming, older)
        done = merge(store, incoming)
        assert _first_step(store)["remark"] == "ours, newer"
        assert len(done.conflicts) == 1
    finally:
        store.close()



def _conflict_rows(store):
    return sorted((c["table_name"], c["row_id"], c["kept_rev"], c["other_rev"], c["source"], c["resolved"])
                  for c in store.query("SELECT * FROM conflict"))


@pytest.mark.parametrize("beside", [True, False], ids=["posix", "windows"])
def test_a_folder_merged_in_the_window_by_the_copy_is_reviewed_undone_found_and_restored_as_merged_row_by_row(
        qtbot, window, demo_db, tmp_path, monkeypatch, ff_used, beside):
    """Through the real dialog: the folder previewed and merged (the staging copy's pages copied over
    our file, its agencies 1 and 2 adding twin owners: settled there), then its conflict swapped,
    undone, redone, its row's history read, a merged row found, and the backup made before the
    merge restored. Every step sees what the row-by-row merge of the same folder gives; on Windows
    (no backup beside the merge) the backup is made first as there."""
    from pmqa_desktop.core.sharing import backup as backup_mod
    from pmqa_desktop.core.storage import search
    from pmqa_desktop.ui.sharing.dialogs import HistoryDialog
    from test_sharing_folder import agency_file, merged_row_by_row
    from test_sharing_gui import click
    if not beside:
        monkeypatch.setattr(backup_mod.BackupBeside, "available", staticmethod(lambda store: False))
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2, 3):
        agency_file(demo_db, folder, n)
    window.sharing.auto_backup.wait()
    before = data_digest(window.store)
    # the same folder merged row by row into a copy of our file (the reference)
    slow_data, slow_conflicts = merged_row_by_row(demo_db, folder, tmp_path / "row_by_row.db", monkeypatch,
                                                  lambda s, _r: (data_digest(s), _conflict_rows(s)), backup=False)

    window.sharing.action_merge_folder.trigger()
    dlg = window.sharing.last_dialog
    qtbot.keyClicks(dlg.path, str(folder))
    click(qtbot, dlg.preview_button)
    click(qtbot, dlg.apply_button)
    assert len(ff_used) == 1 and ff_used[0] is not None      # (the pages were copied)
    store = window.store
    assert data_digest(store) == slow_data
    assert _conflict_rows(store) == slow_conflicts
    assert dlg.pages.currentIndex() == 1 and dlg.conflict_model.rowCount() == len(open_conflicts(store)) >= 1
    dlg.conflicts.selectRow(0)
    cid = dlg.conflict_model.conflict_id(0)
    conflict = store.query("SELECT * FROM conflict WHERE id = ?", (cid,))[0]
    table, rid = conflict["table_name"], conflict["row_id"]
    merged_row = store.get(table, rid, include_deleted=True)
    state = merge_module.conflict_state(store, cid)
    click(qtbot, dlg.swap_button)
    swapped_row = store.get(table, rid, include_deleted=True)
    assert swapped_row["rev"] != merged_row["rev"]
    assert merge_module.conflict_state(store, cid)[1] == state[0]
    own = merge_module.own_columns(table) + ["deleted"]
    assert [swapped_row[c] for c in own] != [merged_row[c] for c in own]
    window.undo_stack.undo()
    assert [store.get(table, rid, include_deleted=True)[c] for c in own] == [merged_row[c] for c in own]
    assert merge_module.conflict_state(store, cid) == state
    window.undo_stack.redo()
    assert [store.get(table, rid, include_deleted=True)[c] for c in own] == [swapped_row[c] for c in own]
    # the row's history: both offices' versions, as the row-by-row merge keeps them
    hd = HistoryDialog(window, table, rid)
    qtbot.addWidget(hd)
    assert hd.list.rowCount() >= 2
    hd.close()
    # find: the agencies' rows, now and after the file is opened again
    assert [h.text for h in search.search(store, "ประชุมของส่วนราชการที่ 2")] == ["ประชุมของส่วนราชการที่ 2"]
    dlg.close()
    window.reload()
    assert [h.text for h in search.search(window.store, "ประชุมของส่วนราชการที่ 3")] == ["ประชุมของส่วนราชการที่ 3"]
    # the backup made before the merge holds our file as it was
    window.action_backups.trigger()
    bd = window.sharing.last_dialog
    reasons = [bd.table.item(r, 1).text() for r in range(bd.table.rowCount())]
    bd.table.selectRow(reasons.index("before a merge"))
    click(qtbot, bd.restore_button)
    click(qtbot, [b for b in bd.confirm.buttons.buttons() if b.text() == "Restore"][0])
    assert data_digest(window.store) == before
    assert search.search(window.store, "ประชุมของส่วนราชการที่ 2") == []


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"),
                                   __import__("sqlite3").OperationalError("database or disk is full"),
                                   __import__("sqlite3").OperationalError("attempt to write a readonly database")])
def test_a_folder_merge_stopped_half_way_through_its_copy_changes_nothing_and_says_why(
        demo_db, tmp_path, monkeypatch, ff_used, error):
    """The staging copy's pages copied over our file stop half-way (a full disk, a folder made
    read-only): a sentence for the clerk, our file as it was (rows, find, its next edits), and the
    same Merge done again afterwards gives what it gives at once."""
    from pmqa_desktop.core.errors import UserError
    from pmqa_desktop.core.storage import planning, search
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2, 3):
        agency_file(demo_db, folder, n)
    monkeypatch.setattr(folder_mod, "_COPY_MIN_PAGES", 1)
    monkeypatch.setattr(folder_mod, "_COPY_STEPS", 50)
    steps = []

    def fault(name):
        steps.append(name)
        if len(steps) == 3:
            raise error
    monkeypatch.setattr(folder_mod, "fault_point", fault)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        before = data_digest(store)
        merge_folder(store, folder, dry_run=True)
        with pytest.raises(UserError) as exc:
            merge_folder(store, folder)
        assert len(steps) == 3 and "Traceback" not in str(exc.value)
        assert str(exc.value).startswith(("There is not enough free space", "demo.db cannot be written"))
        assert "staging" not in str(exc.value)
        if str(exc.value).startswith("There"):
            assert "to merge received into demo.db" in str(exc.value)   # (the folder, by its name)
        assert data_digest(store) == before
        assert search.search(store, "ประชุมของส่วนราชการที่ 1") == []
        year = planning.fiscal_years(store, planning.find_organisation(store, "จังหวัดราชบุรี")["id"])[0]["id"]
        planning.add_calendar_step(store, year, "ขั้นตอนหลังการรวมที่ไม่สำเร็จ")
        assert [h.text for h in search.search(store, "ขั้นตอนหลังการรวมที่ไม่สำเร็จ")] == ["ขั้นตอนหลังการรวมที่ไม่สำเร็จ"]
        monkeypatch.setattr(folder_mod, "fault_point", lambda name: None)
        assert merge_folder(store, folder).applied
        assert [h.text for h in search.search(store, "ประชุมของส่วนราชการที่ 1")] == ["ประชุมของส่วนราชการที่ 1"]
        assert store.query("SELECT 1 FROM calendar_step WHERE text = 'ขั้นตอนหลังการรวมที่ไม่สำเร็จ'")
    finally:
        store.close()
    assert integrity_ok(demo_db)


def _merged_folder(demo_db, folder, target, monkeypatch, fast, cli=False):
    """(rows and history, conflicts, find's index, hits) of a copy of ``demo_db`` that merged
    ``folder`` (previewed first), by the page copy or row by row."""
    from pmqa_desktop.cli import main
    from pmqa_desktop.core.storage import search
    shutil.copy(demo_db, target)
    used = []
    real = folder_mod._fast_forward
    with monkeypatch.context() as m:
        m.setattr(folder_mod, "_fast_forward", (lambda *a: used.append(real(*a)) or used[-1]) if fast else
                  (lambda *a: None))
        if cli:
            assert main(["merge", "--db", str(target), "--folder", str(folder)]) == 0
        else:
            s = Store.open(target, Actor("province", "clerk"))
            try:
                merge_folder(s, folder, dry_run=True)
                assert merge_folder(s, folder).applied
            finally:
                s.close()
    assert bool(used) == fast and all(u is not None for u in used)
    s = Store.open(target, Actor("province", "clerk"))
    try:
        s.index_edits()
        hits = sorted((h.table, h.row_id, h.field) for q in ("ประชุม", "ขั้นตอน", "น่าน") for h in search.search(s, q))
        return (data_digest(s), _conflict_rows(s), sorted(s.conn.execute("SELECT rowid, text FROM search_index")),
                hits, sorted(s.conn.execute("SELECT key, value FROM meta WHERE key NOT IN ('created_at')")))
    finally:
        s.close()


@pytest.mark.parametrize("cli", [False, True], ids=["api", "cli"])
def test_a_folder_with_a_version_1_file_with_twins_and_orphans_is_merged_by_the_copy_as_row_by_row(
        demo_db, tmp_path, monkeypatch, cli):
    """The agencies' files and an old (version-1) file holding twins and a row under a deleted
    parent: brought forward in its copy, settled in the staging copy; the page copy gives every
    row, version, conflict, find's index and hit that the row-by-row merge gives."""
    from test_schema_migration import version_1_file
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2):
        agency_file(demo_db, folder, n)
    version_1_file(folder / "old.db")
    fast = _merged_folder(demo_db, folder, tmp_path / "fast.db", monkeypatch, True, cli)
    slow = _merged_folder(demo_db, folder, tmp_path / "slow.db", monkeypatch, False, cli)
    assert fast[1] and fast[3]
    for a, b in zip(fast, slow):
        assert a == b


def test_the_files_clock_after_a_folder_merge_by_the_copy_keeps_our_own_latest_edit(demo_db, tmp_path, monkeypatch):
    """Our edit made (in this session) after the agencies' files were: the file's clock after the
    merge is that edit's stamp, as the row-by-row merge leaves it (later edits, once the file is
    opened again, sort after it), not the staging copy's, which never saw our session's clock."""
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2):
        agency_file(demo_db, folder, n)
    clocks = {}
    real = folder_mod._fast_forward
    for fast in (True, False):
        target = tmp_path / f"{fast}.db"
        shutil.copy(demo_db, target)
        used = []
        monkeypatch.setattr(folder_mod, "_fast_forward",
                            (lambda *a: used.append(real(*a)) or used[-1]) if fast else (lambda *a: None))
        s = Store.open(target, Actor("province", "clerk"))
        try:
            with s.transaction():
                s.update("calendar_step", _first_step(s)["id"], {"remark": "ours, the latest"})
            edited = s.last_clock
            merge_folder(s, folder, dry_run=True)
            assert merge_folder(s, folder).applied and bool(used) == fast
            clocks[fast] = (edited, s.last_clock, s.meta("clock"))
        finally:
            s.close()
    for fast in (True, False):
        edited, last, meta = clocks[fast]
        assert last == meta == edited


@pytest.mark.parametrize("link", ["symlink", "hard link"])
def test_our_own_file_under_another_name_is_merged_from_a_copy_and_changes_nothing(demo_db, tmp_path, capsys,
                                                                                 link):
    """``merge --db X Y`` where Y is X itself (a link to it): never read in place (it is our file,
    written by the merge), merged from a copy: nothing changes, nothing is written to it twice."""
    from pmqa_desktop.cli import main
    from pmqa_desktop.core.sharing import safety
    other = tmp_path / "links" / "same.db"
    other.parent.mkdir()
    (os.symlink if link == "symlink" else os.link)(demo_db, other)
    assert not safety.in_place_ok(other, demo_db)
    before = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), str(other)]) == 0
    assert main(["merge", "--db", str(demo_db), str(other)]) == 0
    assert data_digest(demo_db) == before
    assert integrity_ok(demo_db)


def test_a_file_read_in_place_merged_twice_is_merged_once(demo_db, tmp_path, capsys):
    """The same office file merged a second time (in place both times, from the CLI): the second
    merge finds nothing new, and the file read in place is not changed by either."""
    from pmqa_desktop.cli import main
    incoming = _edited(demo_db, tmp_path / "office.db", "office X", "theirs")
    data = incoming.read_bytes()
    assert main(["merge", "--db", str(demo_db), str(incoming)]) == 0
    once = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), str(incoming), "--dry-run"]) == 0
    assert main(["merge", "--db", str(demo_db), str(incoming)]) == 0
    assert data_digest(demo_db) == once and incoming.read_bytes() == data
    s = Store.open(demo_db, Actor("province", "clerk"))
    try:
        assert _first_step(s)["remark"] == "theirs" and not open_conflicts(s)
    finally:
        s.close()


@pytest.mark.parametrize("between", ["review", "find", "swap"])
def test_what_the_clerk_does_between_the_folder_preview_and_merge_is_kept(demo_db, tmp_path, monkeypatch, ff_used,
                                                                          between):
    """Conflicts from an earlier merge; an edit not yet indexed for find; the folder previewed;
    then a conflict marked reviewed, or Find run (indexing the edit), or a conflict swapped; then
    Merge: what was done in between is in the file after it (never the staging copy's older
    picture of it), the agencies' rows too, and find finds both."""
    from pmqa_desktop.core import sharing
    from pmqa_desktop.core.storage import planning, search
    from test_sharing_folder import agency_file
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    for n in (1, 2):
        agency_file(demo_db, earlier, n)
    folder = tmp_path / "received"
    folder.mkdir()
    agency_file(demo_db, folder, 3)
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        merge_folder(store, earlier)
        cid = open_conflicts(store)[0]["id"]
        year = planning.fiscal_years(store, planning.find_organisation(store, "จังหวัดราชบุรี")["id"])[0]["id"]
        planning.add_calendar_step(store, year, "ขั้นตอนก่อนดูตัวอย่าง")
        merge_folder(store, folder, dry_run=True)
        state = sharing.conflict_state(store, cid)
        if between == "review":
            sharing.resolve_conflict(store, cid)
        elif between == "find":
            assert [h.text for h in search.search(store, "ขั้นตอนก่อนดูตัวอย่าง")] == ["ขั้นตอนก่อนดูตัวอย่าง"]
        else:
            sharing.swap_conflict(store, cid)
        after = sharing.conflict_state(store, cid)
        assert (after != state) == (between != "find")
        assert merge_folder(store, folder).applied and ff_used[-1] is not None   # (by the copy)
        assert sharing.conflict_state(store, cid) == after
        assert (cid in {c["id"] for c in open_conflicts(store)}) == (between != "review")
        for text in ("ขั้นตอนก่อนดูตัวอย่าง", "ประชุมของส่วนราชการที่ 3", "ประชุมของส่วนราชการที่ 1"):
            assert [h.text for h in search.search(store, text)] == [text]
    finally:
        store.close()


def test_a_folder_merge_by_the_copy_while_another_program_reads_our_file_says_so_and_does_not_hang(
        demo_db, tmp_path, monkeypatch, ff_used):
    """Another program holds a read of our file (a viewer left open on it): the page copy cannot
    end its transaction. As the row-by-row merge, it waits as long as a commit waits and then says
    so, our file unchanged; it never spins until the other program lets go. Once it has, the same
    Merge takes."""
    import subprocess
    import time
    from pmqa_desktop.core.errors import UserError
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2):
        agency_file(demo_db, folder, n)
    store = Store.open(demo_db, Actor("province", "clerk"))
    reader = None
    try:
        store.conn.execute("PRAGMA busy_timeout = 300")   # (a commit's wait, made short here)
        before = data_digest(store)
        merge_folder(store, folder, dry_run=True)
        reader = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys, time\n"
             f"c = sqlite3.connect({Path(demo_db).as_uri() + '?mode=ro'!r}, uri=True, isolation_level=None)\n"
             "c.execute('BEGIN'); c.execute('SELECT count(*) FROM meta').fetchone()\n"
             "print('reading', flush=True); time.sleep(60)\n"], stdout=subprocess.PIPE, text=True)
        assert reader.stdout.readline().strip() == "reading"
        copying = []
        real = folder_mod._copy_staged
        monkeypatch.setattr(folder_mod, "_copy_staged", lambda *a: copying.append(1) or real(*a))
        t = time.monotonic()
        with pytest.raises(UserError) as exc:
            merge_folder(store, folder)
        assert time.monotonic() - t < 20
        assert copying and "another program" in str(exc.value)
        assert data_digest(store) == before
        reader.kill()
        reader.wait()
        assert merge_folder(store, folder).applied and ff_used[-1] is not None
        assert [r["text"] for r in store.query("SELECT text FROM calendar_step WHERE text = "
                                               "'ประชุมของส่วนราชการที่ 2'")]
    finally:
        if reader is not None and reader.poll() is None:
            reader.kill()
            reader.wait()
        store.close()
    assert integrity_ok(demo_db)


def test_two_folders_merged_by_the_copy_one_after_the_other_leave_finds_index_as_a_rebuild_makes_it(
        demo_db, tmp_path, ff_used):
    """A second folder merged by the page copy before find has indexed the first one's rows (the
    file says its index is behind): every row of both is found, and the index is the one a fresh
    build makes, before and after the file is opened again."""
    from pmqa_desktop.core.storage import search
    from test_sharing_folder import agency_file
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    agency_file(demo_db, first, 1)
    agency_file(demo_db, second, 2)
    agency_file(demo_db, second, 3)

    def index(s):
        s.index_edits()
        return sorted(s.conn.execute("SELECT rowid, text FROM search_index"))
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        assert merge_folder(store, first).applied
        assert merge_folder(store, second).applied
        assert len(ff_used) == 2 and None not in ff_used
        got = index(store)
        for n in (1, 2, 3):
            assert [h.text for h in search.search(store, f"ประชุมของส่วนราชการที่ {n}")] == [f"ประชุมของส่วนราชการที่ {n}"]
        with store.transaction():
            search.rebuild(store.conn)
        assert index(store) == got
    finally:
        store.close()


def test_a_files_preview_made_before_a_folder_merge_that_only_adds_history_is_not_applied_as_it_was(
        demo_db, tmp_path, ff_used):
    """The folder brings only an older version of a row we changed since (kept in the history, a
    conflict listed; no row of ours changes). A file previewed before it, holding that same older
    version, merged after it: that version is ours already and listed already, so no second
    conflict, as when the folder is merged row by row (the page copy changes neither of the counts
    a kept preview is checked against)."""
    folder = tmp_path / "received"
    folder.mkdir()
    y = _edited(demo_db, folder / "y.db", "office Y", "Y's, older")
    _edit_ours(demo_db, "ours, newer")
    x = tmp_path / "x.db"
    with office_copy(y, x, "office X", "clerk") as s, s.transaction():
        s.update("calendar_step", s.select("calendar_step", order_by="id")[1]["id"], {"remark": "X's"})
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        merge(store, x, dry_run=True)
        assert merge_folder(store, folder).conflicts == 1 and ff_used[-1] is not None
        done = merge(store, x)
        assert not done.conflicts and len(open_conflicts(store)) == 1
        assert [r["remark"] for r in store.select("calendar_step", order_by="id")[:2]] == ["ours, newer", "X's"]
    finally:
        store.close()
