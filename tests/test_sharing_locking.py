"""A second opener gets a read-only view with a message; network paths are recognised."""
import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest


from pmqa_desktop.core.sharing import locking, open_for_editing, release
from pmqa_desktop.core.storage.store import Actor, hot_journal, journal_path

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def test_second_opener_in_the_same_process_is_read_only(demo_db):
    first = open_for_editing(demo_db, Actor("A", "a"))
    try:
        assert not first.read_only
        assert (demo_db.parent / (demo_db.name + ".lock")).exists()
        second = open_for_editing(demo_db, Actor("B", "b"))
        try:
            assert second.read_only
            assert "already open" in second.read_only_reason
            assert socket.gethostname() in second.read_only_reason
        finally:
            release(second)
        assert (demo_db.parent / (demo_db.name + ".lock")).exists()  # the second did not take it away
    finally:
        release(first)
    assert not (demo_db.parent / (demo_db.name + ".lock")).exists()
    again = open_for_editing(demo_db, Actor("B", "b"))
    try:
        assert not again.read_only
    finally:
        release(again)


def test_second_program_is_read_only_and_stale_lock_is_taken_over(demo_db):
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {SRC!r})
        from pmqa_desktop.core.sharing import open_for_editing
        from pmqa_desktop.core.storage.store import Actor
        s = open_for_editing({str(demo_db)!r}, Actor("other", "o"), backup=False)
        print("ro" if s.read_only else "rw", flush=True)
        sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "rw"
        mine = open_for_editing(demo_db, Actor("me", "m"))
        try:
            assert mine.read_only and str(proc.pid) not in ("",)
            holder = locking.read_lock(locking.lock_path_for(demo_db))
            assert holder.pid == proc.pid
        finally:
            release(mine)
    finally:
        proc.kill()  # dies without releasing: its lock file stays behind
        proc.wait()
    assert locking.lock_path_for(demo_db).exists()
    taken = open_for_editing(demo_db, Actor("me", "m"))
    try:
        assert not taken.read_only  # dead process on this computer: stale lock taken over
    finally:
        release(taken)


def test_lock_of_another_computer_is_respected(demo_db):
    lp = locking.lock_path_for(demo_db)
    lp.write_text(json.dumps({"pid": 1, "host": "other-pc", "user": "somchai", "time": "2026-01-01T00:00:00Z"}))
    s = open_for_editing(demo_db, Actor())
    try:
        assert s.read_only and "other-pc" in s.read_only_reason and "somchai" in s.read_only_reason
    finally:
        release(s)
    assert lp.exists()  # not ours to remove


def test_busy_file_is_opened_read_only(demo_db):
    import sqlite3
    other = sqlite3.connect(demo_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program in the middle of writing
    try:
        s = open_for_editing(demo_db, Actor())
        try:
            assert s.read_only and "another program" in s.read_only_reason
        finally:
            release(s)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_rollback_journal_is_kept_while_open_and_removed_at_close_and_backup_on_open(demo_db):
    from pmqa_desktop.core.sharing import list_backups
    s = open_for_editing(demo_db, Actor("A", "a"))
    journal = journal_path(demo_db)
    try:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "persist"
        assert [b.reason for b in list_backups(demo_db)] == ["open"]
        s.update("calendar_step", s.select("calendar_step")[0]["id"], {"text": "changed"})
        assert journal.exists() and not hot_journal(demo_db)  # kept, with its header zeroed
    finally:
        release(s)
    assert not journal.exists()
    assert [b.reason for b in list_backups(demo_db)] == ["close", "open"]
    s = open_for_editing(demo_db, Actor("A", "a"))
    release(s)  # unchanged file: no new backups
    assert len(list_backups(demo_db)) == 2


MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
//nas/share /mnt/office\\040share cifs rw 0 0
user@host:/x /home/u/remote fuse.sshfs rw 0 0
tmpfs /mnt/nfs/tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, expected", [
    ("/home/u/file.db", False),
    ("/mnt/nfs/pmqa.db", True),
    ("/mnt/nfs/tmp/pmqa.db", False),
    ("/mnt/office share/pmqa.db", True),
    ("/home/u/remote/a/pmqa.db", True),
    ("/mnt/nfsx/pmqa.db", False),
])
def test_linux_network_mounts(path, expected):
    assert locking.is_network_path(path, platform="linux", mounts_text=MOUNTS) is expected


@pytest.mark.parametrize("path, expected", [
    ("\\\\server\\share\\pmqa.db", True),
    ("//server/share/pmqa.db", True),
    ("\\\\?\\UNC\\server\\share\\pmqa.db", True),
    ("\\\\?\\C:\\data\\pmqa.db", False),
    ("C:\\data\\pmqa.db", False),
])
def test_windows_unc_paths(path, expected):
    assert locking.is_network_path(path, platform="win32") is expected


def test_this_machines_tmp_is_local(tmp_path):
    assert locking.is_network_path(tmp_path / "x.db") is False
