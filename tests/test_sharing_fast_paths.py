"""The two fast paths of a merge, tried as a clerk who wants to lose data would: the folder merge
that copies its staging copy's pages over our file (``folder._fast_forward``), and the incoming
file read where it is (``safety.in_place_ok``). Each must give what the slow path gives."""
import os
import shutil
import sys
from pathlib import Path

import pytest

from pmqa_desktop.core.sharing import list_backups, merge, open_conflicts
from pmqa_desktop.core.sharing import folder as folder_mod
from pmqa_desktop.core.sharing.folder import merge_folder
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest

merge_module = sys.modules["pmqa_desktop.core.sharing.merge"]   # (sharing.merge is the function)

pytestmark = pytest.mark.usefixtures("english")


def _edited(demo_db, path, office, remark):
    """A copy of the demo file whose first step's remark the other office changed."""
    shutil.copy(demo_db, path)
    s = Store.open(path, Actor(office, "clerk"))
    try:
        with s.transaction():
            s.update("calendar_step", s.select("calendar_step", order_by="id")[0]["id"], {"remark": remark})
    finally:
        s.close()
    return path


def _first_step(store):
    return store.select("calendar_step", order_by="id")[0]


@pytest.fixture
def ff_used(monkeypatch):
    """The folder merges' fast-forwards (None: merged row by row)."""
    used = []
    real = folder_mod._fast_forward

    def spy(*a):
        used.append(real(*a))
        return used[-1]
    monkeypatch.setattr(folder_mod, "_fast_forward", spy)
    return used


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
        demo_db, tmp_path):
    """The clerk previews a file, then copies the office's corrected file over it (same size, its
    time kept): the Merge merges the file as it is now, never the preview's decisions about the
    bytes that are gone (as with a private copy, compared byte for byte)."""
    incoming = _edited(demo_db, tmp_path / "office.db", "office X", "first")
    corrected = _edited(demo_db, tmp_path / "corrected.db", "office X", "corrected")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        preview = merge(store, incoming, dry_run=True)
        assert preview.rows_taken == 1
        _rewrite_keeping_stat(incoming, corrected)
        merge(store, incoming)
        assert _first_step(store)["remark"] == "corrected"
        assert data_digest(store)["calendar_step"] == data_digest(corrected)["calendar_step"]
    finally:
        store.close()


def test_a_file_replaced_after_its_preview_by_an_older_one_of_the_same_size_and_time_loses_no_edit(
        demo_db, tmp_path):
    """Previewed: a file made from ours that changes a row we changed (it has our version: taken).
    Then, before Merge, a file of the same size and time is copied over it that changed the same
    row before our edit, never having seen it (a conflict, ours the newer). Our edit must stay,
    the other version kept in the history, as when the file is merged afresh."""
    older = _edited(demo_db, tmp_path / "older.db", "office X", "older, not seen by us")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        with store.transaction():
            store.update("calendar_step", _first_step(store)["id"], {"remark": "ours, newer"})
    finally:
        store.close()
    incoming = _edited(demo_db, tmp_path / "office.db", "office X", "theirs, after ours")
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        preview = merge(store, incoming, dry_run=True)
        assert preview.rows_taken == 1 and not preview.conflicts
        _rewrite_keeping_stat(incoming, older)
        done = merge(store, incoming)
        assert _first_step(store)["remark"] == "ours, newer"
        assert len(done.conflicts) == 1
    finally:
        store.close()
