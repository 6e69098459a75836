"""The page size of the files the program writes (``schema.PAGE_SIZE``): new files in 16 KB pages,
files written before (4 KB, SQLite's default) kept as they are and merged with new ones."""
from __future__ import annotations

import shutil
from contextlib import closing
import sqlite3
from pathlib import Path

from pmqa_desktop.core.sharing import export, merge
from pmqa_desktop.core.storage import schema
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, integrity_ok


def _page_size(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def _written_before(src: Path, dst: Path) -> Path:
    """``src`` as a program that wrote SQLite's default 4 KB pages would have written it."""
    shutil.copy(src, dst)
    conn = sqlite3.connect(str(dst), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
    finally:
        conn.close()
    assert _page_size(dst) == 4096
    return dst


def test_new_files_are_written_in_16_kb_pages(tmp_path, demo_db):
    assert schema.PAGE_SIZE == 16384
    s = Store.open(tmp_path / "new.db", Actor("office", "clerk"))
    s.close()
    assert _page_size(tmp_path / "new.db") == 16384
    s = Store.open(tmp_path / "new.db", Actor("office", "clerk"))   # (opened again: unchanged)
    s.close()
    assert _page_size(tmp_path / "new.db") == 16384
    assert _page_size(demo_db) == 16384   # (the demo file, written by the program's importers)
    export(demo_db, tmp_path / "sent.db")   # an export keeps its file's pages
    assert _page_size(tmp_path / "sent.db") == 16384


def test_a_file_written_in_4_kb_pages_is_kept_so_and_merges_with_new_files_both_ways(tmp_path, demo_db):
    old = _written_before(demo_db, tmp_path / "old_office.db")
    with closing(Store.open(old, Actor("old office", "Somchai"))) as s:   # opened, edited and closed: still 4 KB
        sid = s.select("calendar_step")[0]["id"]
        s.update("calendar_step", sid, {"text": "แก้ไขในแฟ้มเดิม"})
    assert _page_size(old) == 4096 and integrity_ok(old)
    new = tmp_path / "new_office.db"
    shutil.copy(demo_db, new)
    with closing(Store.open(new, Actor("new office", "Suda"))) as s:
        wid = s.select("weekly_activity")[0]["id"]
        s.update("weekly_activity", wid, {"text": "แก้ไขในแฟ้มใหม่"})
    assert _page_size(new) == 16384
    export(old, tmp_path / "old_sent.db")
    export(new, tmp_path / "new_sent.db")
    with closing(Store.open(new, Actor("new office", "Suda"))) as s:
        merge(s, tmp_path / "old_sent.db", backup=False)
    with closing(Store.open(old, Actor("old office", "Somchai"))) as s:
        merge(s, tmp_path / "new_sent.db", backup=False)
    assert _page_size(old) == 4096 and _page_size(new) == 16384
    assert data_digest(old) == data_digest(new)   # the same rows and history in both, whatever the pages
    with closing(Store.open(old, Actor("old office", "Somchai"), read_only=True)) as s:
        assert s.get("calendar_step", sid)["text"] == "แก้ไขในแฟ้มเดิม"
        assert s.get("weekly_activity", wid)["text"] == "แก้ไขในแฟ้มใหม่"
