"""A received file's page check starts beside the program's start-up (issue 15): the file is
checked before it is opened for editing (while the check runs it is only shown read-only, see
test_received_shown_while_checked.py), a damaged one is refused with the check's message and
left as it was, and a file changed since the check is checked again."""
import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from pmqa_desktop.core.errors import DamagedFileError
from pmqa_desktop.core.storage import store as store_mod
from pmqa_desktop.core.storage.store import Actor, Store, check_ahead
from test_sharing_merge_speed import _damage_table

pytestmark = pytest.mark.usefixtures("english")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def verdicts(monkeypatch):
    """The verdict each opening took from the check ahead (None: Store.open checked itself)."""
    seen = []
    real = store_mod._verdict_ahead

    def spy(path):
        seen.append(real(path))
        return seen[-1]
    monkeypatch.setattr(store_mod, "_verdict_ahead", spy)
    return seen


def test_a_file_checked_ahead_is_not_checked_twice(demo_db, tmp_path, verdicts):
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    check_ahead(received)
    s = Store.open(received, Actor("us"))
    s.close()
    assert verdicts == [[("ok",)]]
    assert not store_mod._ahead


def test_a_damaged_file_checked_ahead_is_refused_and_left_alone(demo_db, tmp_path, verdicts):
    bad = tmp_path / "damaged.db"
    shutil.copy(demo_db, bad)
    _damage_table(bad, "calendar_step")
    with pytest.raises(DamagedFileError) as plain:
        Store.open(bad, Actor("us"))
    store_mod._checked_file().unlink(missing_ok=True)
    before = _digest(bad)
    check_ahead(bad)
    with pytest.raises(DamagedFileError) as ahead:
        Store.open(bad, Actor("us"))
    assert str(ahead.value) == str(plain.value)
    assert verdicts[-1] != [("ok",)]   # (a check that failed outright ahead is made again by Store.open)
    assert _digest(bad) == before


def test_a_file_changed_after_its_check_is_checked_again(demo_db, tmp_path, verdicts):
    received = tmp_path / "from-office.db"
    shutil.copy(demo_db, received)
    check_ahead(received)
    store_mod.wait_check_ahead()
    _damage_table(received, "calendar_step")   # changed (damaged) after the check ahead said ok
    with pytest.raises(DamagedFileError):
        Store.open(received, Actor("us"))
    assert verdicts == [None]


def test_the_window_refuses_a_damaged_received_file(demo_db, tmp_path):
    bad = tmp_path / "damaged.db"
    shutil.copy(demo_db, bad)
    _damage_table(bad, "calendar_step")
    before = _digest(bad)
    env = dict(os.environ, PMQA_DATA_DIR=str(tmp_path / "data"), PMQA_CACHE_DIR=str(tmp_path / "cache"),
               PMQA_SETTINGS_DIR=str(tmp_path / "settings"), PMQA_LANG="en", QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "pmqa_desktop", "--smoke", "--db", str(bad)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "damaged" in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(bad) == before
