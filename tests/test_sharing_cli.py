"""The command line: export, merge --dry-run, check, backup --list, restore."""
import re
import shutil
import sqlite3

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, file_state

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


def test_export_merge_check_backup_restore(demo_db, tmp_path, capsys):
    other = tmp_path / "other.db"
    shutil.copy(demo_db, other)
    s = Store.open(demo_db, Actor("A", "a"))
    sid = s.select("calendar_step")[0]["id"]
    s.update("calendar_step", sid, {"text": "edited at A"})
    s.close()
    out = tmp_path / "to_B.db"
    assert main(["export", "--db", str(demo_db), "--out", str(out)]) == 0
    assert "Exchange file written" in capsys.readouterr().out

    assert main(["check", str(out)]) == 0
    assert capsys.readouterr().out.startswith("OK")

    before = data_digest(other)
    assert main(["merge", "--db", str(other), str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "1 changed" in text and "Preview only" in text and "2554" in text
    assert data_digest(other) == before

    assert main(["merge", "--db", str(other), str(out)]) == 0
    assert "Merged." in capsys.readouterr().out
    assert data_digest(other) != before
    assert main(["merge", "--db", str(other), str(out)]) == 0
    assert "Nothing to merge" in capsys.readouterr().out

    assert main(["backup", "--db", str(other)]) == 0
    assert "Backup written" in capsys.readouterr().out
    assert main(["backup", "--db", str(other), "--list"]) == 0
    listing = capsys.readouterr().out
    assert "before a merge" in listing and "made by hand" in listing
    assert re.search(r"\d+(\.\d)? (KB|MB) ", listing)   # (each backup's size, with its unit)

    # restore the backup taken before the merge: the edit from A is gone again
    merge_backup = [line.split()[-1] for line in listing.splitlines() if "before a merge" in line][0]
    assert main(["restore", "--db", str(other), merge_backup]) == 0
    assert "restored" in capsys.readouterr().out
    assert data_digest(other) == before


def test_check_bad_files_exit_non_zero_with_a_message(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    state = file_state(junk)
    assert main(["check", str(junk)]) == 1
    err = capsys.readouterr().err
    assert "not a PMQA Desktop database" in err
    assert file_state(junk) == state
    assert main(["check", str(tmp_path / "missing.db")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_check_newer_file_says_read_only(demo_db, capsys):
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    assert main(["check", str(demo_db)]) == 0
    assert "read-only" in capsys.readouterr().out


def test_merge_of_crafted_file_fails_cleanly(demo_db, tmp_path, capsys):
    bad = tmp_path / "bad.db"
    shutil.copy(demo_db, bad)
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON organisation BEGIN DELETE FROM organisation; END")
    conn.commit()
    conn.close()
    before = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), str(bad)]) == 1
    assert "crafted" in capsys.readouterr().err
    assert data_digest(demo_db) == before


def test_export_with_a_plan_left_out(demo_db, tmp_path, capsys):
    s = Store.open(demo_db, Actor("A", "a"), read_only=True)
    plans = [r["id"] for r in s.select("dev_plan", order_by="title")]
    s.close()
    out = tmp_path / "part.db"
    assert main(["export", "--db", str(demo_db), "--out", str(out), "--without-plan", plans[0]]) == 0
    assert "without the plans" in capsys.readouterr().out
    assert {r[0] for r in sqlite3.connect(out).execute("SELECT id FROM dev_plan")} == set(plans[1:])
