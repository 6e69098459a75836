"""An incoming file on the same disk as the temporary folder is merged where it is, read-only,
instead of from a private copy (previewed too where the system keeps a change time: a preview's
decisions are reused only for the bytes it read): the same result, the file never written, and a
file changed while it is read, or between the preview and the Merge, is merged again."""
import os
import shutil
import sys
from pathlib import Path

import pytest

from pmqa_desktop.core.sharing import merge, safety
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, file_state, office_copy

merge_module = sys.modules["pmqa_desktop.core.sharing.merge"]   # (sharing.merge is the function)


@pytest.fixture
def incoming(demo_db, tmp_path):
    """Another office's file: the demo file with a step's remark and a weekly text edited there."""
    other = tmp_path / "other.db"
    with office_copy(demo_db, other) as s, s.transaction():
        s.update("calendar_step", s.select("calendar_step", order_by="id")[0]["id"], {"remark": "theirs"})
        s.update("weekly_activity", s.select("weekly_activity", order_by="id")[0]["id"], {"text": "theirs"})
    return other


@pytest.fixture
def copies(monkeypatch):
    """The private copies made (``safety.copy_file`` calls)."""
    made = []
    real = safety.copy_file

    def spy(src, dst):
        made.append(Path(src))
        return real(src, dst)
    monkeypatch.setattr(safety, "copy_file", spy)
    return made


def _write_after_first(monkeypatch, step: str, write):
    """``write()`` run right after the merge's first ``step`` (``_compare`` or ``_apply``); the list
    returned gets an entry at each call of the step."""
    real = getattr(merge_module, step)
    calls = []

    def step_then_write(*a, **k):
        out = real(*a, **k)
        calls.append(1)
        if len(calls) == 1:
            write()
        return out
    monkeypatch.setattr(merge_module, step, step_then_write)
    return calls


def _merged(demo_db, incoming, tmp_path, name):
    """Merged straight away (no preview), as ``pmqa-desktop merge`` does."""
    target = tmp_path / name
    shutil.copy(demo_db, target)
    s = Store.open(target, Actor("home", "h"))
    try:
        done = merge(s, incoming)
        return data_digest(s), done.lines(), len(done.conflicts), done.rows_taken
    finally:
        s.close()


def test_a_file_on_the_same_disk_is_merged_where_it_is_never_written_and_alike(demo_db, incoming, tmp_path,
                                                                                copies, monkeypatch):
    before = file_state(incoming)
    assert safety.in_place_ok(incoming, demo_db)
    in_place = _merged(demo_db, incoming, tmp_path, "a.db")
    assert copies == []                          # read where it is
    assert file_state(incoming) == before        # not a byte, not its time, changed
    assert not any(Path(f"{incoming}{s}").exists() for s in ("-journal", "-wal", "-shm"))
    monkeypatch.setattr(safety, "in_place_ok", lambda path, ours=None: False)
    copied = _merged(demo_db, incoming, tmp_path, "b.db")
    assert copies == [incoming]
    assert in_place == copied


def test_a_preview_reads_the_file_where_it_is_and_its_merge_reuses_what_it_read(demo_db, incoming, tmp_path,
                                                                               copies, monkeypatch):
    """Where the system keeps a change time (POSIX), a preview reads the file in place too: the
    Merge reuses its decisions (nothing compared again) and the file is neither copied, written nor
    removed."""
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: True)
    compared = []
    real = merge_module._compare
    monkeypatch.setattr(merge_module, "_compare", lambda *a, **k: compared.append(1) or real(*a, **k))
    before = file_state(incoming)
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    s = Store.open(target, Actor("home", "h"))
    try:
        merge(s, incoming, dry_run=True)
        assert merge_module._prepared.in_place and merge_module._prepared.copy == incoming
        done = merge(s, incoming)
        assert copies == [] and len(compared) == 1 and done.applied
        assert s.select("calendar_step", order_by="id")[0]["remark"] == "theirs"
        assert merge_module._prepared is None
        assert file_state(incoming) == before          # still there, not a byte changed
    finally:
        s.close()


def test_without_a_change_time_a_preview_keeps_a_private_copy_that_its_merge_reuses(demo_db, incoming, tmp_path,
                                                                                    copies, monkeypatch):
    """(Windows: a same stat does not prove the same bytes, so the preview reads a private copy and
    the Merge compares the file with it byte for byte.)"""
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: False)
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    s = Store.open(target, Actor("home", "h"))
    try:
        merge(s, incoming, dry_run=True)
        copy = merge_module._prepared.copy
        assert not merge_module._prepared.in_place and copy != incoming and copy.exists()
        merge(s, incoming)
        assert copies == [incoming] and not copy.exists()
        assert s.select("calendar_step", order_by="id")[0]["remark"] == "theirs"
    finally:
        s.close()


def test_a_file_written_during_the_merge_after_its_preview_read_in_place_is_merged_again_from_a_copy(
        demo_db, incoming, tmp_path, copies, monkeypatch):
    """Previewed in place; while the Merge applies what the preview decided, the file is written
    in place with its size and modification time put back: the transaction is rolled back and the
    file merged again from a private copy, as it is now."""
    from test_sharing_fast_paths import _edited, _rewrite_keeping_stat
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: True)
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    corrected = _edited(incoming, tmp_path / "corrected.db", "Rayong office", "theirs, again")
    calls = _write_after_first(monkeypatch, "_apply", lambda: _rewrite_keeping_stat(incoming, corrected))
    s = Store.open(target, Actor("home", "h"))
    try:
        merge(s, incoming, dry_run=True)
        assert copies == []
        merge(s, incoming)
        assert copies == [incoming] and len(calls) == 2
        assert s.select("calendar_step", order_by="id")[0]["remark"] == "theirs, again"
    finally:
        s.close()


def test_only_a_plain_file_of_this_version_on_the_temporary_folders_disk_is_read_in_place(demo_db, incoming,
                                                                                          tmp_path, monkeypatch):
    assert safety.in_place_ok(incoming, demo_db)
    assert not safety.in_place_ok(demo_db, demo_db)          # our own file
    journal = Path(f"{incoming}-journal")
    journal.write_bytes(b"")                                  # a journal beside it (hot or not)
    assert not safety.in_place_ok(incoming, demo_db)
    journal.unlink()

    def with_header(offset, value, name):
        p = tmp_path / name
        shutil.copy(incoming, p)
        with open(p, "r+b") as fh:
            fh.seek(offset)
            fh.write(value)
        return p
    assert safety.in_place_ok(with_header(18, bytes([1, 1]), "plain.db"), demo_db)
    assert not safety.in_place_ok(with_header(18, bytes([2, 2]), "wal.db"), demo_db)          # WAL format
    assert not safety.in_place_ok(with_header(60, (1).to_bytes(4, "big"), "old.db"), demo_db)  # to bring forward
    assert not safety.in_place_ok(tmp_path / "missing.db", demo_db)
    other_disk = Path("/dev/shm")
    if other_disk.is_dir() and os.stat(other_disk).st_dev != os.stat(incoming).st_dev:
        monkeypatch.setattr(safety.tempfile, "gettempdir", lambda: str(other_disk))
        assert not safety.in_place_ok(incoming, demo_db)       # a copy to another disk: as before


def test_a_file_with_a_journal_beside_it_is_merged_from_a_copy(demo_db, incoming, tmp_path, copies):
    Path(f"{incoming}-journal").write_bytes(b"")
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    s = Store.open(target, Actor("home", "h"))
    try:
        merge(s, incoming)
        assert copies == [incoming]
        assert s.select("calendar_step", order_by="id")[0]["remark"] == "theirs"
    finally:
        s.close()


@pytest.mark.parametrize("how", ["by its program", "in place, its size and time kept"])
def test_a_file_written_while_it_is_read_is_merged_again_from_a_copy(demo_db, incoming, tmp_path, copies,
                                                                      monkeypatch, how):
    """The other office's program (or a copy over it) writes the file half-way: what was read of it
    is not used; it is read again from a private copy, so the result is that of the file as it is
    now. Written in place with its size and modification time put back, only its change time (set
    by the system, not by any program: POSIX) tells."""
    from test_sharing_fast_paths import _edited, _rewrite_keeping_stat
    if how.startswith("in place") and os.name != "posix":
        pytest.skip("the change time is the system's own on POSIX only")
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    corrected = _edited(incoming, tmp_path / "corrected.db", "Rayong office", "theirs, again")
    calls = _write_after_first(
        monkeypatch, "_compare",
        (lambda: shutil.copy(corrected, incoming)) if how == "by its program"   # (over it: new bytes and time)
        else (lambda: _rewrite_keeping_stat(incoming, corrected)))
    s = Store.open(target, Actor("home", "h"))
    try:
        merge(s, incoming)
        assert copies == [incoming] and len(calls) == 2   # compared again, from a copy
        assert s.select("calendar_step", order_by="id")[0]["remark"] == "theirs, again"
    finally:
        s.close()


def test_a_file_removed_after_its_preview_read_in_place_is_not_merged_and_says_so(demo_db, incoming, tmp_path,
                                                                                  monkeypatch, english):
    """Previewed where it is, then moved away before Merge (the clerk tidied the Downloads folder):
    the Merge says the file does not exist and changes nothing; the preview's decisions are not used."""
    from pmqa_desktop.core.errors import UserError
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: True)
    target = tmp_path / "t.db"
    shutil.copy(demo_db, target)
    s = Store.open(target, Actor("home", "h"))
    try:
        before = data_digest(s)
        merge(s, incoming, dry_run=True)
        assert merge_module._prepared.in_place
        incoming.rename(tmp_path / "moved.db")
        with pytest.raises(UserError) as err:
            merge(s, incoming)
        assert "does not exist" in str(err.value) and incoming.name in str(err.value)
        assert data_digest(s) == before and merge_module._prepared is None
    finally:
        s.close()
