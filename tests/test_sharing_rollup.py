"""A province roll-up (issue 10): files that bring new organisations, bad input, failures shown."""
import shutil
import sqlite3

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def nan_calendar(tmp_path):
    """The Ratchaburi calendar retitled as Nan's, FY 2555: a new province's own file."""
    text = (ROOT / "src/pmqa_desktop/data/seeds/ratchaburi_2554_calendar_weekly.txt").read_text(encoding="utf-8")
    src = tmp_path / "nan.txt"
    # (its title and its month headings name 2555: the import refuses a document of another year)
    text = text.replace("ราชบุรี", "น่าน").replace("2554", "2555").replace("ต.ค.53", "ต.ค.54").replace("พ.ย.54", "พ.ย.55")
    src.write_text(text, encoding="utf-8")
    return src


def test_a_file_bringing_a_new_organisation_merges_through_the_command_line(demo_db, tmp_path, capsys):
    """Issue 10, failure 1, exactly as reported: it exited 3 with 'ambiguous column name: kind'."""
    a, b = demo_db, tmp_path / "B.db"
    assert main(["export", "--db", str(a), "--out", str(tmp_path / "a0.db")]) == 0
    shutil.copy(tmp_path / "a0.db", b)
    assert main(["import-text", "--db", str(a), "--kind", "calendar", "--year", "2555",
                 str(nan_calendar(tmp_path))]) == 0
    assert main(["export", "--db", str(a), "--out", str(tmp_path / "a1.db")]) == 0
    capsys.readouterr()
    assert main(["merge", "--db", str(b), str(tmp_path / "a1.db")]) == 0
    out = capsys.readouterr()
    assert "Merged." in out.out and "Traceback" not in out.err
    s = Store.open(b)
    try:
        nan = planning.find_organisation(s, "จังหวัดน่าน")
        assert nan is not None
        year = planning.find_year(s, nan["id"], 2555)
        assert len(planning.calendar_steps(s, year["id"])) == 18
    finally:
        s.close()
    # and back: A takes nothing new, and both files now hold the same rows
    assert main(["merge", "--db", str(a), str(b)]) == 0
    assert data_digest(a)["organisation"] == data_digest(b)["organisation"]


# ---------------------------------------------------------------- bad input

def _tamper(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, params, words", [
    # (each in the row the other office changed, which the merge would take)
    ("UPDATE calendar_step SET text = ? WHERE rowid = (SELECT rowid FROM calendar_step ORDER BY updated_at DESC LIMIT 1)",
     (b"\x00\x01binary",), "must be text but holds binary data"),
    ("UPDATE kpi SET weight = ? WHERE rowid = (SELECT rowid FROM kpi ORDER BY updated_at DESC LIMIT 1)", ("heavy",),
     "must be a number but holds text"),
    ("UPDATE calendar_step SET remark = ? WHERE rowid = (SELECT rowid FROM calendar_step ORDER BY updated_at DESC LIMIT 1)",
     ("ก" * 2_000_001,), "is longer than 2000000 characters"),
    ("UPDATE calendar_cell SET step_id = 'no-such-step' "
     "WHERE rowid = (SELECT rowid FROM calendar_cell ORDER BY updated_at DESC LIMIT 1)",
     (), "refers to a row of calendar steps that does not exist"),
])
def test_a_file_with_values_that_do_not_fit_is_refused_and_check_finds_them(demo_db, tmp_path, capsys,
                                                                            sql, params, words):
    theirs = tmp_path / "theirs.db"
    shutil.copy(demo_db, theirs)
    s = Store.open(theirs, Actor("other", "x"))
    s.update("calendar_step", s.select("calendar_step")[0]["id"], {"text": "changed there"})
    s.update("kpi", s.select("kpi")[0]["id"], {"text": "changed there"})
    s.update("calendar_cell", s.select("calendar_cell")[0]["id"], {"text": "changed there"})
    s.close()
    _tamper(theirs, sql, params)
    before = data_digest(demo_db)
    assert main(["merge", "--db", str(demo_db), str(theirs)]) == 1
    err = capsys.readouterr().err
    assert "cannot be merged" in err and words in err and "Nothing was changed" in err
    assert "Traceback" not in err
    assert data_digest(demo_db) == before
    assert main(["check", str(theirs)]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_the_refusal_is_in_thai_by_default(demo_db, tmp_path, capsys):
    from pmqa_desktop.i18n import set_language
    theirs = tmp_path / "theirs.db"
    shutil.copy(demo_db, theirs)
    s = Store.open(theirs, Actor("other", "x"))
    s.update("calendar_step", s.select("calendar_step")[0]["id"], {"text": "changed there"})
    s.close()
    _tamper(theirs, "UPDATE calendar_step SET text = ? WHERE rowid = (SELECT min(rowid) FROM calendar_step)",
            (b"\x00",))
    try:
        assert main(["--lang", "th", "merge", "--db", str(demo_db), str(theirs)]) == 1
    finally:
        set_language("en")
    err = capsys.readouterr().err
    assert "ไม่มีการเปลี่ยนแปลง" in err and "Traceback" not in err


# ---------------------------------------------------------------- failures as sentences

def _new_province_file(demo_db, tmp_path):
    """A copy of the demo file to which another office added its own organisation and year."""
    theirs = tmp_path / "nan_office.db"
    shutil.copy(demo_db, theirs)
    s = Store.open(theirs, Actor("Nan office", "Malee"))
    org = planning.add_organisation(s, "จังหวัดน่าน", province="น่าน")
    year = planning.add_fiscal_year(s, org, 2555)
    s.insert_many("calendar_step", ({"year_id": year, "sort_key": i, "text": f"ประชุมชี้แจง ครั้งที่ {i} " * 5}
                                    for i in range(300)))   # (enough to need new pages in the province's file)
    s.close()
    return theirs


def test_disk_full_during_a_merge_is_a_sentence_and_changes_nothing(demo_db, tmp_path):
    from pmqa_desktop.core.errors import UserError
    theirs = _new_province_file(demo_db, tmp_path)
    s = Store.open(demo_db, Actor("province", "p"))
    try:
        before = data_digest(s)
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own 'database or disk is full'
        with pytest.raises(UserError) as err:
            merge(s, theirs, backup=False)
        assert "not enough free space" in str(err.value) and "Nothing was changed" in str(err.value)
        assert data_digest(s) == before
    finally:
        s.close()


@pytest.mark.parametrize("which", ["db", "incoming"])
def test_a_folder_given_as_a_file_is_a_sentence(demo_db, tmp_path, capsys, which):
    folder = tmp_path / "a folder"
    folder.mkdir()
    args = ["merge", "--db", str(folder), str(demo_db)] if which == "db" else ["merge", "--db", str(demo_db), str(folder)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "is a folder, not a file" in err and "Traceback" not in err
    assert main(["check", str(folder)]) == 1
    assert "is a folder, not a file" in capsys.readouterr().err


def test_a_target_busy_in_another_program_is_a_sentence(demo_db, tmp_path, capsys):
    theirs = _new_province_file(demo_db, tmp_path)
    other = sqlite3.connect(demo_db)
    other.execute("BEGIN EXCLUSIVE")   # another program writing the file right now
    try:
        assert main(["merge", "--db", str(demo_db), str(theirs)]) == 1
    finally:
        other.rollback()
        other.close()
    err = capsys.readouterr().err
    assert "another program" in err and "Traceback" not in err


# ---------------------------------------------------------------- the window

def _merge_dialog(qtbot, window, path):
    from PySide6.QtCore import Qt
    window.action_merge.trigger()
    dlg = window.sharing.last_dialog
    dlg.path.setText(str(path))
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    return dlg


def test_the_window_merges_a_file_bringing_a_new_organisation(qtbot, window, demo_db, tmp_path):
    from PySide6.QtCore import Qt
    theirs = _new_province_file(demo_db, tmp_path)
    dlg = _merge_dialog(qtbot, window, theirs)
    assert dlg.apply_button.isEnabled()
    qtbot.mouseClick(dlg.apply_button, Qt.LeftButton)
    assert planning.find_organisation(window.store, "จังหวัดน่าน") is not None
    assert not dlg.isVisible()  # applied, no conflicts: the dialog closed


def test_the_window_shows_a_failed_merge_in_the_dialog(qtbot, window, demo_db, tmp_path):
    from PySide6.QtCore import Qt
    theirs = _new_province_file(demo_db, tmp_path)
    dlg = _merge_dialog(qtbot, window, theirs)
    before = data_digest(window.store)
    pages = window.store.conn.execute("PRAGMA page_count").fetchone()[0]
    window.store.conn.execute(f"PRAGMA max_page_count = {pages}")   # the disk fills up meanwhile
    qtbot.mouseClick(dlg.apply_button, Qt.LeftButton)
    assert dlg.isVisible()
    assert "not enough free space" in dlg.summary.text() and "Nothing was changed" in dlg.summary.text()
    assert data_digest(window.store) == before


def test_the_window_shows_a_refused_file_in_the_dialog(qtbot, window, demo_db, tmp_path):
    theirs = _new_province_file(demo_db, tmp_path)
    _tamper(theirs, "UPDATE calendar_step SET text = ? WHERE rowid = (SELECT max(rowid) FROM calendar_step)",
            (b"\x00",))
    dlg = _merge_dialog(qtbot, window, theirs)
    assert "cannot be merged" in dlg.summary.text() and "binary data" in dlg.summary.text()
    assert not dlg.apply_button.isEnabled()


# ---------------------------------------------------------------- backups within a budget

def test_backups_before_merges_stay_within_the_budget_and_the_newest_stays(demo_db, tmp_path, capsys):
    from pmqa_desktop.core.sharing import backup as backups
    size = demo_db.stat().st_size
    assert main(["backup", "--db", str(demo_db), "--budget", str(max(10, (size * 4) // (1024 * 1024) + 1))]) == 0
    budget = backups.budget_mb() * 1024 * 1024
    s = Store.open(demo_db, Actor("province", "p"))
    try:
        for n in range(1, 6):   # a province merging file after file: a backup before each
            merge(s, _agency_copy(demo_db, tmp_path, n))
            assert backups.backups_size(demo_db) <= max(budget, backups.list_backups(demo_db)[0].size)
        listed = backups.list_backups(demo_db)
        assert listed and listed[0].reason == "merge"
    finally:
        s.close()
    capsys.readouterr()
    assert main(["backup", "--db", str(demo_db), "--list"]) == 0
    assert f"of the {backups.budget_mb()} MB" in capsys.readouterr().out
    assert main(["backup", "--db", str(demo_db), "--budget", "10"]) == 0
    assert backups.budget_mb() == 10
    assert main(["backup", "--db", str(demo_db), "--budget", "1"]) == 1   # too small: a sentence


def test_backups_of_many_received_files_stay_within_the_budget_together(demo_db, tmp_path):
    """A province opens the files its agencies send, round after round, each under a name of its
    own, and each gets a backup when opened: all backups together stay within the budget (the oldest
    go first), and the file in hand always keeps its newest."""
    from pmqa_desktop.core.sharing import backup as backups
    backups.set_budget_mb(backups.MIN_BUDGET_MB)
    limit = backups.MIN_BUDGET_MB * 1024 * 1024
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = []
    for i in range(limit // demo_db.stat().st_size + 6):
        p = inbox / f"round{i // 5 + 1}-agency{i % 5 + 1}.db"
        shutil.copy(demo_db, p)
        assert backups.backup_file(p, "open") is not None   # as opening it in the window does
        files.append(p)
        assert backups.list_backups(p)   # the file in hand keeps its newest
        assert sum(b.size for f in files for b in backups.list_backups(f)) <= limit
    assert not backups.list_backups(files[0]) and backups.list_backups(files[-2])


def _agency_copy(demo_db, tmp_path, n):
    p = tmp_path / f"agency{n}.db"
    shutil.copy(demo_db, p)
    s = Store.open(p, Actor(f"agency {n}", "x"))
    org = planning.add_organisation(s, f"ส่วนราชการที่ {n}", kind="agency")
    planning.add_fiscal_year(s, org, 2555)
    s.close()
    return p


def test_the_clerk_sees_and_changes_the_backup_budget_in_the_window(qtbot, window):
    from PySide6.QtCore import Qt
    from pmqa_desktop.core.sharing import backup as backups
    window.action_backups.trigger()
    dlg = window.sharing.last_dialog
    assert dlg.budget.value() == backups.budget_mb() and "of this file take" in dlg.usage.text()   # (1 backup ... takes)
    dlg.budget.selectAll()
    qtbot.keyClicks(dlg.budget, "300")
    qtbot.keyClick(dlg.budget, Qt.Key_Return)
    assert backups.budget_mb() == 300
