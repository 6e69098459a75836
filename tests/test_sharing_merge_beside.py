"""What the weekly activities' thread reads beside the comparison (the ids the settling pass looks at,
its rows' value faults) gives the same merge as the store's connection reading it all; and the
private copy of a large file, copied in two halves at once, is the file byte for byte."""
import errno
import importlib
import os
import shutil
import threading

import pytest

from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import tampered

pytestmark = pytest.mark.usefixtures("english")

merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")
fsutil = importlib.import_module("pmqa_desktop.core.sharing.fsutil")


def _edits(a, b):
    """Weekly activities the settling pass must look at: one moved at A onto another's week, one added
    in both offices for the same week (twins), one changed in both offices and moved at A onto the
    week of another activity (A's the later edit: decided in Python, taken with another key: twins)."""
    acts = a.select("weekly_activity", order_by="id")
    assert len(acts) > 5
    moved, both = acts[0], acts[2]
    onto = acts[4]
    a.update("weekly_activity", moved["id"], {"row_id": onto["row_id"], "month": onto["month"], "week": onto["week"]})
    twin = {"row_id": acts[1]["row_id"], "month": acts[1]["month"], "week": 8, "text": "the same new activity"}
    b.insert("weekly_activity", dict(twin))
    b.update("weekly_activity", both["id"], {"text": "B's"})
    a.insert("weekly_activity", dict(twin))
    other = acts[3]
    a.update("weekly_activity", both["id"], {"text": "A's, later", "row_id": other["row_id"],
                                             "month": other["month"], "week": other["week"]})


def _edited(offices, monkeypatch):
    """Offices A and B after ``_edits``, closed, the weekly activities decided by the thread beside
    (the demo file is small)."""
    monkeypatch.setattr(merge_mod, "_AHEAD_MIN_BYTES", 0)
    a, b = offices["A"], offices["B"]
    _edits(a, b)
    a.close()
    b.close()
    return a, b


def _rows(store):
    """Every weekly activity's id, own values and deleted mark (not its stamps: a merge's own
    versions are stamped when it runs)."""
    return sorted(store.conn.execute("SELECT id, row_id, month, week, span, text, deleted FROM weekly_activity"))


def _merged(path, a_path, tmp_path, name, beside, monkeypatch):
    copy = tmp_path / name
    shutil.copy(path, copy)
    store = Store.open(copy, Actor(office="office-B", clerk="clerk-B"))
    try:
        with monkeypatch.context() as m:
            if not beside:
                m.setattr(merge_mod._ClassifyAhead, "start", staticmethod(lambda *args: None))
            preview = merge(store, a_path, dry_run=True)
            found = merge_mod._prepared.plans["weekly_activity"].taken_beside
            report = merge(store, a_path, backup=False)
        return (preview.lines(), report.lines(),
                [(c.table, c.row_id, c.incoming_won, c.fields) for c in report.conflicts], _rows(store)), found
    finally:
        store.close()


def test_the_rows_the_thread_marks_for_the_settling_pass_give_the_same_merge(offices, tmp_path, monkeypatch):
    a, b = _edited(offices, monkeypatch)
    beside, found = _merged(b.path, a.path, tmp_path, "beside.db", True, monkeypatch)
    alone, none = _merged(b.path, a.path, tmp_path, "alone.db", False, monkeypatch)
    assert found and none is None   # (the thread found the moved and the added rows)
    assert beside == alone
    assert any("made one" in line for line in beside[1])   # (the twins were found and made one)


def test_the_thread_not_reading_ahead_leaves_the_merge_to_the_store(offices, tmp_path, monkeypatch):
    """A thread whose reading after the decisions fails: the store's connection looks the rows up
    and checks the values itself, alike."""
    a, b = _edited(offices, monkeypatch)
    alone, _none = _merged(b.path, a.path, tmp_path, "alone.db", False, monkeypatch)
    real = merge_mod._taken_ids_sql

    def failing(t, table, plan="temp.merge_plan", **kw):
        if plan == "ahead.plan":
            raise RuntimeError("the thread cannot read")
        return real(t, table, plan, **kw)
    monkeypatch.setattr(merge_mod, "_taken_ids_sql", failing)
    failed, found = _merged(b.path, a.path, tmp_path, "failed.db", True, monkeypatch)
    assert found is None and failed == alone


def _file(path, size):
    data = os.urandom(size)
    path.write_bytes(data)
    return data


def test_a_large_file_is_copied_in_two_halves_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil, "_HALVES_MIN_BYTES", 1)
    calls = []
    real = os.copy_file_range
    monkeypatch.setattr(os, "copy_file_range", lambda *args: calls.append(args) or real(*args))
    for size in (1, 2, 3, 1 << 20, (1 << 20) + 1):
        data = _file(tmp_path / "src.db", size)
        fsutil.copy_file(tmp_path / "src.db", tmp_path / "dst.db")
        assert (tmp_path / "dst.db").read_bytes() == data
    assert calls


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="no copy_file_range here")
def test_a_copy_the_system_cannot_make_in_halves_is_made_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil, "_HALVES_MIN_BYTES", 1)

    def cannot(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(os, "copy_file_range", cannot)
    data = _file(tmp_path / "src.db", (1 << 20) + 7)
    (tmp_path / "dst.db").write_bytes(b"x" * (3 << 20))   # (a longer file there before: replaced)
    fsutil.copy_file(tmp_path / "src.db", tmp_path / "dst.db")
    assert (tmp_path / "dst.db").read_bytes() == data

    def short(fi, fo, count, off_in, off_out):   # the file is shorter than it was: copied whole again
        return 0
    monkeypatch.setattr(os, "copy_file_range", short)
    (tmp_path / "dst.db").unlink()
    fsutil.copy_file(tmp_path / "src.db", tmp_path / "dst.db")
    assert (tmp_path / "dst.db").read_bytes() == data


def _a_binary_value(offices, monkeypatch, table: str, nth: int):
    """Offices A and B edited (closed), A's ``nth`` row of ``table`` changed and then given binary
    data as its text behind the program's back (the merge would take it); the thread always used."""
    monkeypatch.setattr(merge_mod, "_AHEAD_MIN_BYTES", 0)
    a, b = offices["A"], offices["B"]
    _edits(a, b)
    rid = a.select(table, order_by="id")[nth]["id"]
    a.update(table, rid, {"text": "A's"})
    a.close()
    b.close()
    tampered(a.path, f"UPDATE {table} SET text = ? WHERE id = ?", (b"\x00\x01binary", rid))
    return a, b, rid


def test_a_fault_in_another_table_is_named_alike_with_the_thread(offices, tmp_path, monkeypatch):
    """The other tables' values are checked while the thread decides the weekly activities: a
    faulty calendar step the merge would take is refused with the same words as without it."""
    from pmqa_desktop.core.errors import FileProblem
    a, b, step = _a_binary_value(offices, monkeypatch, "calendar_step", 1)
    outcomes = []
    for beside in (True, False):
        with pytest.raises(FileProblem) as err:
            _merged(b.path, a.path, tmp_path, f"{beside}.db", beside, monkeypatch)
        outcomes.append((str(err.value), err.value.detail))
    assert outcomes[0] == outcomes[1] and "must be text but holds binary data" in outcomes[0][1]


@pytest.mark.parametrize("checker", ["thread", "store"])
def test_a_faulty_weekly_activity_is_named_alike_whoever_checks_it(offices, tmp_path, monkeypatch, checker):
    """The values of the rows the thread decided are checked by whichever of the two is free first:
    a faulty weekly activity that would be taken is refused with the same words either way."""
    from pmqa_desktop.core.errors import FileProblem
    a, b, act = _a_binary_value(offices, monkeypatch, "weekly_activity", 5)
    claims = []

    def claim(self, who):
        claims.append(who)
        return who == checker
    outcomes = []
    for beside in (True, False):
        with monkeypatch.context() as m:
            m.setattr(merge_mod._ClassifyAhead, "claim", claim)
            with pytest.raises(FileProblem) as err:
                _merged(b.path, a.path, tmp_path, f"{beside}.db", beside, m)
        outcomes.append((str(err.value), err.value.detail))
    assert outcomes[0] == outcomes[1] and "must be text but holds binary data" in outcomes[0][1]
    assert act[:12] in outcomes[0][1] and checker in claims


def test_the_thread_looks_the_histories_up_through_attachments_of_their_own(offices, tmp_path, monkeypatch):
    """The thread deciding the weekly activities looks each changed row's version up in both
    histories through a second attachment of each file, whose page cache holds the rev index
    (read from the system's file cache again and again when it shared the tables' small cache).
    The merge is the same as without the thread (``_merged``)."""
    a, b = _edited(offices, monkeypatch)
    caches, histories = [], []
    real_run, real_sql = merge_mod._ClassifyAhead._run, merge_mod._classify_sql

    def run(self):
        caches.append({name: self.conn.execute(f"PRAGMA {name}.cache_size").fetchone()[0]
                       for _, name, _ in self.conn.execute("PRAGMA database_list").fetchall()})
        return real_run(self)

    def classify_sql(*args, **kw):
        histories.append(kw.get("histories", ("inc", "main")))
        return real_sql(*args, **kw)
    monkeypatch.setattr(merge_mod._ClassifyAhead, "_run", run)
    monkeypatch.setattr(merge_mod, "_classify_sql", classify_sql)
    beside, _found = _merged(b.path, a.path, tmp_path, "beside.db", True, monkeypatch)
    assert caches and all(c["inc_history"] == -16384 and c["our_history"] == -8192 for c in caches), caches
    assert ("inc_history", "our_history") in histories
    alone, _none = _merged(b.path, a.path, tmp_path, "alone.db", False, monkeypatch)
    assert beside == alone


def test_the_thread_reads_its_rows_again_only_after_the_store_has_taken_them_over(offices, tmp_path, monkeypatch):
    """SQLite holds a shared-cache database's mutex for a whole statement step: the thread's
    counting of its rows made the store's connection wait to attach them. The thread now counts
    them only once the store's connection has copied them; a comparison that stops before taking
    them over still ends (the thread is let go)."""
    a, b = _edited(offices, monkeypatch)
    started, seen = [], []
    real_init, real_counted = merge_mod._ClassifyAhead.__init__, merge_mod._counted_sql

    def init(self, *args, **kw):
        started.append(self)
        real_init(self, *args, **kw)

    def counted(t, table, plan="temp.merge_plan"):
        if plan == "ahead.plan":
            seen.append(started[-1].handed.is_set())
        return real_counted(t, table, plan)
    monkeypatch.setattr(merge_mod._ClassifyAhead, "__init__", init)
    monkeypatch.setattr(merge_mod, "_counted_sql", counted)
    beside, _found = _merged(b.path, a.path, tmp_path, "beside.db", True, monkeypatch)
    assert seen and all(seen), seen
    alone, _none = _merged(b.path, a.path, tmp_path, "alone.db", False, monkeypatch)
    assert beside == alone

    values = importlib.import_module("pmqa_desktop.core.sharing.values")
    real_faults = values.value_faults

    def faults(conn, *args, **kw):   # (the store's own check of the other tables, before the take-over)
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("the check failed")
        return real_faults(conn, *args, **kw)
    monkeypatch.setattr(values, "value_faults", faults)
    store = Store.open(shutil.copy(b.path, tmp_path / "stopped.db"), Actor(office="office-B", clerk="clerk-B"))
    try:
        with pytest.raises(RuntimeError, match="the check failed"):
            merge(store, a.path, backup=False)
        assert not started[-1].thread.is_alive()
    finally:
        store.close()
