"""A received file is shown read-only while its check runs beside the start-up, and opened for
editing only once the check has passed (issue 15, start of a received file). Nothing is written
to it, locked or backed up before; a failed check closes it with the usual message."""
from __future__ import annotations

import hashlib
import os
import shutil
import threading

import pytest

from pmqa_desktop.core.storage import store as store_mod
from pmqa_desktop.core.storage.store import check_ahead
from pmqa_desktop.ui.app import open_first_database
from pmqa_desktop.ui.main_window import MainWindow
from test_sharing_merge_speed import _damage_table

pytestmark = [pytest.mark.usefixtures("english"),
              pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def slow_check(monkeypatch):
    """The check ahead waits for ``release.set()`` before it starts (a large file's check)."""
    release = threading.Event()
    watch_check_connection(monkeypatch, lambda: release.wait(30), lambda: None)
    yield release
    release.set()


def _window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    return w


def test_shown_read_only_while_checked_then_editable(qtbot, demo_db, tmp_path, slow_check):
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    before = _digest(received)
    check_ahead(received)
    w = _window(qtbot)
    assert open_first_database(w, str(received), smoke=False)
    w.show()
    qtbot.waitExposed(w)
    # shown at once, but not editable and untouched while the check runs
    assert w.store is not None and w.store.read_only
    assert w.readonly_label.isVisible()
    assert "Checking" in w.statusBar().currentMessage()
    assert not any(a.isEnabled() for a in w._edit_actions)
    assert _digest(received) == before
    assert not list(tmp_path.glob("from-office.db*lock*"))
    slow_check.set()
    qtbot.waitUntil(lambda: w.store is not None and not w.store.read_only, timeout=20000)
    assert not w.readonly_label.isVisible()
    assert all(a.isEnabled() for a in w._edit_actions if a.isVisible())
    assert "passed" in w.statusBar().currentMessage()
    w.close_store()


def test_a_damaged_received_file_is_closed_when_its_check_fails(qtbot, demo_db, tmp_path, slow_check, capsys):
    bad = tmp_path / "damaged.db"
    shutil.copy(demo_db, bad)
    _damage_table(bad, "calendar_step")
    before = _digest(bad)
    check_ahead(bad)
    w = _window(qtbot)
    open_first_database(w, str(bad), smoke=True)   # (--smoke: the message on stderr, not a box)
    assert _digest(bad) == before
    slow_check.set()
    qtbot.waitUntil(lambda: getattr(w, "check_ahead_timer", None) is None, timeout=20000)
    assert w.store is None
    assert getattr(w, "check_ahead_failed", False)
    assert "damaged" in capsys.readouterr().err
    assert _digest(bad) == before


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities: Linux")
def test_the_check_ahead_yields_the_processor_to_the_start(demo_db, tmp_path, monkeypatch):
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    seen = []
    watch_check_connection(monkeypatch, lambda: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())),
                           lambda: None)
    check_ahead(received)
    store_mod.wait_check_ahead()
    store_mod._ahead.clear()
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen and seen[0] > mine


def watch_check_connection(monkeypatch, on_check, on_close) -> None:
    """The check ahead's connection calls ``on_check()`` as its page check starts and
    ``on_close()`` as it is closed (both in the check's thread)."""
    real = store_mod._check_connection

    class Watched:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if sql.startswith("PRAGMA quick_check"):
                on_check()
            return self.conn.execute(sql, *args)

        def close(self):
            on_close()
            self.conn.close()

    monkeypatch.setattr(store_mod, "_check_connection", lambda path: Watched(real(path)))


def test_the_check_ahead_s_thread_only_runs_the_check(demo_db, tmp_path, monkeypatch):
    """Its connection is opened before ``check_ahead`` returns: the thread takes Python's lock
    only to start the check, and does not take it from the start-up again and again while
    the check is being set up (it used to start the check up to half a second late)."""
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    opened_in = []
    real = store_mod._connect

    def connect(*args, **kwargs):
        opened_in.append(threading.current_thread().name)
        return real(*args, **kwargs)
    monkeypatch.setattr(store_mod, "_connect", connect)
    check_ahead(received)
    try:
        opened = list(opened_in)
        store_mod.wait_check_ahead()
        verdict = store_mod._verdict_ahead(received)
    finally:
        store_mod._ahead.clear()
    assert opened == [threading.current_thread().name]
    assert opened_in == opened   # (nothing opened in the thread)
    assert verdict == [("ok",)]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="thread scheduling classes: Linux")
def test_the_check_ahead_takes_only_idle_time_until_the_window_is_shown(demo_db, tmp_path, monkeypatch):
    if not store_mod._may_leave_idle_class():
        pytest.skip("this user may not give a thread its usual scheduling back (RLIMIT_NICE)")
    monkeypatch.setattr(store_mod, "_start_shown", False)
    monkeypatch.setattr(store_mod, "CHECK_IDLE_MIN_BYTES", 0)   # (the demo file is small)
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    policies = []
    shown = threading.Event()

    def on_check():   # while the check runs: its thread's scheduling, before and after the paint
        policies.append(os.sched_getscheduler(0))
        shown.wait(30)
        policies.append(os.sched_getscheduler(0))
    watch_check_connection(monkeypatch, on_check, lambda: policies.append(os.sched_getscheduler(0)))
    check_ahead(received)
    try:
        while not policies:
            threading.Event().wait(0.01)
        store_mod.start_shown()
        shown.set()
        store_mod.wait_check_ahead()
    finally:
        shown.set()
        store_mod._ahead.clear()
    assert policies == [os.SCHED_IDLE, os.SCHED_OTHER, os.SCHED_OTHER]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="thread scheduling classes: Linux")
def test_a_check_ending_before_the_window_is_shown_holds_python_s_lock_at_its_usual_share(
        demo_db, tmp_path, monkeypatch):
    if not store_mod._may_leave_idle_class():
        pytest.skip("this user may not give a thread its usual scheduling back (RLIMIT_NICE)")
    monkeypatch.setattr(store_mod, "_start_shown", False)
    monkeypatch.setattr(store_mod, "CHECK_IDLE_MIN_BYTES", 0)
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    after = []
    watch_check_connection(monkeypatch, lambda: None, lambda: after.append(os.sched_getscheduler(0)))
    check_ahead(received)
    store_mod._ahead[str(received.resolve())][1].join()   # (not wait_check_ahead: no release)
    store_mod._ahead.clear()
    assert after == [os.SCHED_OTHER]
    assert store_mod._idle_threads == set()
