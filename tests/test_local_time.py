"""Time stamps shown to a clerk: local clock, Thai months and Buddhist-era years."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from pmqa_desktop.core.thai_calendar import MONTH_ABBR, format_local_datetime


@pytest.fixture
def bangkok(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Bangkok")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_utc_stamp_becomes_thai_local_time(bangkok):
    assert format_local_datetime("2026-12-07T03:54:00Z") == "7 ธ.ค. 2569 10:54"
    assert format_local_datetime("2026-12-07T03:54:00Z", english=True) == "7 Dec 2026 10:54"
    # past midnight in Bangkok is the next day
    assert format_local_datetime("2026-12-31T18:30:00Z") == "1 ม.ค. 2570 01:30"
    assert format_local_datetime("yesterday") == "yesterday"


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_any_stamp_reads_back_as_the_same_local_minute(moment):
    stamp = moment.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = format_local_datetime(stamp)
    local = moment.replace(tzinfo=timezone.utc).astimezone()
    day, month, year_be, hm = text.split(" ")
    assert (int(day), MONTH_ABBR.index(month) + 1, int(year_be) - 543) == (local.day, local.month, local.year)
    assert hm == f"{local.hour:02d}:{local.minute:02d}"
    assert "T" not in text and "Z" not in text


def test_second_opener_sees_the_lock_time_on_the_local_clock(qtbot, bangkok, demo_db):
    from pmqa_desktop.core.sharing import open_for_editing, release
    from pmqa_desktop.core.storage.store import Actor
    from pmqa_desktop.ui.main_window import MainWindow
    first = open_for_editing(demo_db, Actor("A", "a"), backup=False)
    try:
        w = MainWindow()
        qtbot.addWidget(w)
        before = datetime.now(timezone.utc) - timedelta(minutes=1)
        assert w.open_database(demo_db)
        assert w.store.read_only
        text = w.last_message_box.text()
        assert "Z" not in text.split("(")[1] and not any(f"{before.year}-" in p for p in text.split())
        now = datetime.now(timezone.utc).astimezone()
        assert f"{MONTH_ABBR[now.month - 1]} {now.year + 543}" in text
        w.close_store()
    finally:
        release(first)
