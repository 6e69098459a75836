"""File > Export / Merge / Backups and Edit > History, driven through the real widgets."""
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from pmqa_desktop.core import sharing
from pmqa_desktop.core.sharing import check_file, list_backups
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import office_copy

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


def another_office(demo_db, tmp_path):
    """A copy of the demo file (taken now) that another office edits; closed afterwards."""
    return office_copy(demo_db, tmp_path / "other.db")


def preview(qtbot, window, path):
    """File > Merge, the file chosen and Preview clicked; returns the dialog."""
    window.action_merge.trigger()
    dlg = window.sharing.last_dialog
    dlg.path.setText(str(path))
    click(qtbot, dlg.preview_button)
    return dlg


def click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)


def test_menus_are_installed(window):
    texts = [a.text().replace("&", "") for a in window.menus["file"].actions()]
    assert any("Export" in t for t in texts) and any("Merge" in t for t in texts) and any("Backups" in t for t in texts)
    assert texts.index(window.action_export.text().replace("&", "")) < texts.index(window.action_quit.text().replace("&", ""))
    edit = [a.text().replace("&", "") for a in window.menus["edit"].actions()]
    assert any("History" in t for t in edit) and any("Recent" in t for t in edit)


def test_export_selected_organisation(qtbot, window, tmp_path):
    window.action_export.trigger()
    dlg = window.sharing.last_dialog
    assert dlg.objectName() == "export_dialog"
    for i in range(dlg.orgs.count()):
        it = dlg.orgs.item(i)
        if "ระยอง" in it.text():
            it.setCheckState(Qt.Unchecked)
    out = tmp_path / "to_other.db"
    dlg.path.setText(str(out))
    click(qtbot, dlg.buttons.button(QDialogButtonBox.Ok))
    assert out.exists() and check_file(out)
    names = [r[0] for r in sqlite3.connect(out).execute("SELECT name FROM organisation")]
    assert names == ["จังหวัดราชบุรี"]


def test_merge_preview_apply_swap_undo_and_restore_backup(qtbot, window, demo_db, tmp_path):
    store = window.store
    sid = store.select("calendar_step")[0]["id"]
    with another_office(demo_db, tmp_path) as s:
        store.update("calendar_step", sid, {"remark": "ours"})
        original_text = store.get("calendar_step", sid)["text"]
        s.update("calendar_step", sid, {"remark": "theirs"})   # later: wins
        s.update("calendar_step", s.select("calendar_step")[1]["id"], {"text": "changed there"})

    dlg = preview(qtbot, window, s.path)
    assert dlg.tree.topLevelItemCount() == 1
    top = dlg.tree.topLevelItem(0)
    assert "2554" in top.text(0) and top.text(2) == "1" and top.text(4) == "1"
    assert window.store.get("calendar_step", sid)["remark"] == "ours"  # preview changed nothing
    click(qtbot, dlg.apply_button)
    assert window.store.get("calendar_step", sid)["remark"] == "theirs"
    assert dlg.pages.currentIndex() == 1 and dlg.conflict_model.rowCount() == 1
    assert "Suda" in dlg.conflict_model.index(0, 2).data()
    dlg.conflicts.selectRow(0)
    cid = dlg.conflict_model.conflict_id(0)
    merged = sharing.conflict_state(window.store, cid)
    click(qtbot, dlg.swap_button)
    assert window.store.get("calendar_step", sid)["remark"] == "ours"
    swapped = sharing.conflict_state(window.store, cid)
    assert swapped[1] == merged[0]           # the merged-in version is now the other one
    assert "ours" in dlg.conflict_model.index(0, 2).data()
    window.undo_stack.undo()
    assert window.store.get("calendar_step", sid)["remark"] == "theirs"
    assert sharing.conflict_state(window.store, cid) == merged   # the conflict's record goes back too
    assert "theirs" in dlg.conflict_model.index(0, 2).data()    # and the list shows it
    window.undo_stack.redo()
    assert window.store.get("calendar_step", sid)["remark"] == "ours"
    assert sharing.conflict_state(window.store, cid) == swapped
    dlg.conflicts.selectRow(0)
    click(qtbot, dlg.reviewed_button)
    assert dlg.conflict_model.rowCount() == 0
    window.undo_stack.undo()                 # marking as reviewed is undone like any edit
    assert dlg.conflict_model.rowCount() == 1 and sharing.conflict_state(window.store, cid) == swapped
    window.undo_stack.redo()
    assert dlg.conflict_model.rowCount() == 0
    dlg.close()

    # Backups: select the one made before the merge, Restore, confirm
    window.action_backups.trigger()
    bd = window.sharing.last_dialog
    reasons = [bd.table.item(r, 1).text() for r in range(bd.table.rowCount())]
    row = reasons.index("before a merge")
    assert not bd.restore_button.isEnabled()
    bd.table.selectRow(row)
    click(qtbot, bd.restore_button)
    box = bd.confirm
    restore = [b for b in box.buttons.buttons() if b.text() == "Restore"][0]
    click(qtbot, restore)
    assert window.store is not None
    assert window.store.get("calendar_step", sid)["remark"] == "ours"
    assert window.store.select("calendar_step")[1]["text"] != "changed there"
    assert window.store.get("calendar_step", sid)["text"] == original_text
    assert "before restoring a backup" in [b.reason_label for b in list_backups(demo_db)]


def test_history_of_a_cell_and_recent_changes(qtbot, window):
    from pmqa_desktop.ui.sharing.dialogs import HistoryDialog
    store = window.store
    sid = store.select("calendar_step")[0]["id"]
    store.update("calendar_step", sid, {"remark": "first"})
    store.update("calendar_step", sid, {"remark": "second"})
    window.action_recent_changes.trigger()
    dlg = window.sharing.last_dialog
    assert dlg.objectName() == "recent_changes_dialog" and dlg.list.rowCount() >= 2
    assert "second" in dlg.list.item(0, 4).text() and "first" in dlg.list.item(0, 3).text()
    assert "remark" in dlg.list.item(0, 2).text()
    dlg.list.selectRow(0)
    click(qtbot, dlg.restore_button)
    assert window.store.get("calendar_step", sid)["remark"] == "first"
    dlg.close()
    hd = HistoryDialog(window, "calendar_step", sid, "remark")
    qtbot.addWidget(hd)
    values = [hd.list.item(r, 0).text() for r in range(hd.list.rowCount())]
    assert values[0].startswith("first") and "(current)" in values[0] and values[1] == "second"
    hd.list.selectRow(1)
    click(qtbot, hd.restore_button)
    assert window.store.get("calendar_step", sid)["remark"] == "second"
    window.undo_stack.undo()
    assert window.store.get("calendar_step", sid)["remark"] == "first"


def test_history_follows_the_focused_calendar_cell(qtbot, window):
    from PySide6.QtWidgets import QTableView
    from pmqa_desktop.ui.sharing.dialogs import selected_cell
    year = window.current_year_id()
    assert window.select_key(("calendar", year))
    views = [v for v in window.calendar_view.findChildren(QTableView) if hasattr(v.model(), "step_id")]
    if not views:
        pytest.fail("the calendar grid is not a QTableView over a model with step_id()")
    view = views[0]
    model = view.model()
    view.setFocus()
    view.setCurrentIndex(model.index(0, model.col_remark))
    table, rid, col = selected_cell(window)
    assert (table, col) == ("calendar_step", "remark") and rid == model.step_id(0)
    window.action_history.trigger()
    assert window.sharing.last_dialog.objectName() == "history_dialog"


def test_automatic_backups_on_open_and_close(qtbot, window, demo_db):
    window.sharing.auto_backup.wait()
    assert [b.reason for b in list_backups(demo_db)] == ["open"]
    window.reload()  # the same, unchanged file: no second backup
    window.sharing.auto_backup.wait()
    assert len(list_backups(demo_db)) == 1
    store = window.store
    store.update("calendar_step", store.select("calendar_step")[0]["id"], {"text": "changed"})
    window.close()
    assert [b.reason for b in list_backups(demo_db)] == ["close", "open"]


def test_read_only_file_cannot_be_merged_into(qtbot, window, demo_db):
    assert window.open_database(demo_db, read_only=True)
    assert not window.action_merge.isEnabled()
    assert window.open_database(demo_db)
    assert window.action_merge.isEnabled()


@pytest.mark.parametrize("change_time", [True, False], ids=["read in place", "private copy"])
def test_cancelled_preview_lets_its_private_copy_go(qtbot, window, demo_db, tmp_path, monkeypatch, change_time):
    """Cancel after a preview: what it kept is let go at once: its private copy removed (Windows),
    or, where the preview read the file in place (POSIX), nothing removed: the other office's file
    stays as it was."""
    import importlib
    merge_module = importlib.import_module("pmqa_desktop.core.sharing.merge")   # (sharing.merge is the function)
    monkeypatch.setattr(merge_module, "_change_time_kept", lambda: change_time)
    with another_office(demo_db, tmp_path) as s:
        sid = s.select("calendar_step")[0]["id"]
        s.update("calendar_step", sid, {"remark": "theirs"})
    received = Path(s.path).read_bytes()
    dlg = preview(qtbot, window, s.path)
    assert dlg.apply_button.isEnabled()
    kept = merge_module._prepared
    assert kept is not None and kept.copy.exists()      # kept for the Apply that may follow
    assert kept.in_place == change_time and (kept.copy == Path(s.path)) == change_time
    click(qtbot, dlg.apply_buttons.button(QDialogButtonBox.Cancel))
    assert not dlg.isVisible()
    assert merge_module._prepared is None and kept.copy.exists() == change_time
    assert Path(s.path).read_bytes() == received
    assert window.store.get("calendar_step", sid)["remark"] != "theirs"   # nothing merged


def test_a_long_conflict_list_reads_only_the_rows_shown(qtbot, window, demo_db, tmp_path, monkeypatch):
    """Hundreds of conflicts (every weekly activity of the demo): the list opens without reading
    every row's two versions; a row clicked is the one swapped; a row marked as reviewed leaves
    and the next one is selected."""
    store = window.store
    ids = [r["id"] for r in store.select("weekly_activity")]
    assert len(ids) > 200
    with another_office(demo_db, tmp_path) as s:
        with store.transaction():
            for rid in ids:
                store.update("weekly_activity", rid, {"text": "ours " + rid[:6]})
        with s.transaction():
            for rid in ids:
                s.update("weekly_activity", rid, {"text": "theirs " + rid[:6]})   # later: wins
    read = []
    real = sharing.conflict_detail
    monkeypatch.setattr(sharing, "conflict_detail", lambda st, c: read.append(c["id"]) or real(st, c))
    dlg = preview(qtbot, window, s.path)
    dlg.resize(900, 500)
    click(qtbot, dlg.apply_button)
    model = dlg.conflict_model
    assert dlg.pages.currentIndex() == 1 and model.rowCount() == len(ids)
    qtbot.waitUntil(lambda: len(read) > 0)
    assert len(read) < 40, "only the rows on screen are read"
    view = dlg.conflicts
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(model.index(2, 0)).center())
    cid = model.conflict_id(2)
    row_id = next(c["row_id"] for c in model.rows if c["id"] == cid)
    assert "theirs" in model.index(2, 2).data()
    click(qtbot, dlg.swap_button)
    assert window.store.get("weekly_activity", row_id)["text"].startswith("ours")
    assert model.conflict_id(2) == cid and "ours" in model.index(2, 2).data()
    nxt = model.conflict_id(3)
    click(qtbot, dlg.reviewed_button)
    assert model.rowCount() == len(ids) - 1 and cid not in [c["id"] for c in model.rows]
    assert model.conflict_id(view.selectionModel().selectedRows()[0].row()) == nxt
    dlg.close()


def test_reload_keeps_the_journal_and_closing_removes_it(window, demo_db):
    """After a merge the window opens its file again: the journal is kept for that (removing a
    large one costs time) and no backup is made of it (it is no new opening); the journal is
    removed when the file is closed."""
    from pmqa_desktop.core.storage.store import hot_journal, journal_path
    journal = journal_path(demo_db)
    window.store.update("calendar_step", window.store.select("calendar_step")[0]["id"], {"text": "edited"})
    assert journal.exists()
    window.sharing.auto_backup.wait()
    backups_before = [b.path for b in list_backups(demo_db)]
    window.reload()
    assert journal.exists() and not hot_journal(demo_db)
    window.sharing.auto_backup.wait()
    assert [b.path for b in list_backups(demo_db)] == backups_before  # the same file again: no backup
    assert window.store.get("calendar_step", window.store.select("calendar_step")[0]["id"])["text"] == "edited"
    window.close_store()
    assert not journal.exists()


def _merge_backups(path):
    return [b for b in list_backups(path) if b.reason == "merge"]


def _parts(path):
    from pmqa_desktop.core.sharing.backup import backup_folder
    return list(backup_folder(path).glob(".*.part"))


@pytest.mark.parametrize("edit_between", [False, True], ids=["as-previewed", "edited-after-preview"])
def test_the_backup_before_a_merge_is_made_while_the_preview_is_read(qtbot, window, demo_db, tmp_path, edit_between):
    """The backup a merge makes first is taken in the background once the preview is shown; it
    is kept only if the file is unchanged when Apply is clicked, else it is made again then.
    Either way the backup holds the file exactly as it was just before the merge."""
    sid = window.store.select("calendar_step")[0]["id"]
    with another_office(demo_db, tmp_path) as s:
        s.update("calendar_step", sid, {"remark": "theirs"})
    window.sharing.auto_backup.wait()
    before = len(_merge_backups(demo_db))
    dlg = preview(qtbot, window, s.path)
    pending = dlg._pending_backup
    assert pending is not None
    if edit_between:
        pending.thread.join()
        window.store.update("calendar_step", window.store.select("calendar_step")[1]["id"], {"text": "just before"})
    click(qtbot, dlg.apply_button)
    assert window.store.get("calendar_step", sid)["remark"] == "theirs"
    made = _merge_backups(demo_db)
    assert len(made) == before + 1 and not _parts(demo_db)
    b = Store.open(made[0].path, Actor(), read_only=True)
    try:
        assert b.get("calendar_step", sid)["remark"] != "theirs"
        assert (b.select("calendar_step")[1]["text"] == "just before") is edit_between
    finally:
        b.close()
    assert (made[0].created == pending.stamp) is not edit_between  # (the one taken ahead, or a new one)
    dlg.close()


def test_a_preview_closed_without_merging_leaves_no_backup(qtbot, window, demo_db, tmp_path):
    with another_office(demo_db, tmp_path) as s:
        s.update("calendar_step", s.select("calendar_step")[0]["id"], {"remark": "theirs"})
    window.sharing.auto_backup.wait()
    before = [b.path for b in list_backups(demo_db)]
    dlg = preview(qtbot, window, s.path)
    click(qtbot, dlg.preview_button)     # previewed again: the first one's backup is dropped
    click(qtbot, dlg.apply_buttons.button(QDialogButtonBox.Cancel))
    assert [b.path for b in list_backups(demo_db)] == before and not _parts(demo_db)


def test_export_browse_sets_the_chosen_file(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QPushButton
    out = tmp_path / "chosen.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.action_export.trigger()
    dlg = window.sharing.last_dialog
    qtbot.mouseClick(dlg.findChild(QPushButton, "export_browse"), Qt.LeftButton)
    assert dlg.path.text() == str(out)


def test_export_without_a_plan_ticked_off(qtbot, window, tmp_path):
    window.action_export.trigger()
    dlg = window.sharing.last_dialog
    plans = [dlg.plans.item(i) for i in range(dlg.plans.count())]
    assert len(plans) >= 2 and all(not it.isHidden() for it in plans)
    drop = plans[0]
    dlg.plans.scrollToItem(drop)
    qtbot.mouseClick(dlg.plans.viewport(), Qt.LeftButton, pos=dlg.plans.visualItemRect(drop).center())
    qtbot.keyClick(dlg.plans, Qt.Key_Space)          # untick it
    assert drop.checkState() == Qt.Unchecked
    # a plan of an organisation that is not exported is not listed
    for i in range(dlg.orgs.count()):
        if "ระยอง" in dlg.orgs.item(i).text():
            dlg.orgs.item(i).setCheckState(Qt.Unchecked)
    assert any("ระยอง" in it.text() for it in plans)
    assert all(it.isHidden() for it in plans if "ระยอง" in it.text())
    for i in range(dlg.orgs.count()):
        dlg.orgs.item(i).setCheckState(Qt.Checked)
    out = tmp_path / "without.db"
    dlg.path.setText(str(out))
    click(qtbot, dlg.buttons.button(QDialogButtonBox.Ok))
    ids = {r[0] for r in sqlite3.connect(out).execute("SELECT id FROM dev_plan")}
    assert drop.data(Qt.UserRole) not in ids
    assert {it.data(Qt.UserRole) for it in plans[1:]} <= ids


def test_merge_every_file_in_a_folder_one_preview_one_backup(qtbot, window, demo_db, tmp_path):
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    for n in (1, 2, 3):
        agency_file(demo_db, folder, n)
    window.sharing.auto_backup.wait()   # (the backup made when the window opened the file)
    backups_before = len(list_backups(demo_db))
    window.sharing.action_merge_folder.trigger()
    dlg = window.sharing.last_dialog
    assert dlg.objectName() == "merge_dialog" and dlg.folder
    qtbot.keyClicks(dlg.path, str(folder))
    click(qtbot, dlg.preview_button)
    names = [dlg.tree.topLevelItem(i).text(0) for i in range(dlg.tree.topLevelItemCount())]
    assert names == ["agency1.db", "agency2.db", "agency3.db"]
    assert [dlg.tree.topLevelItem(i).text(1) for i in range(3)] == ["4", "4", "3"]
    assert window.store.query("SELECT 1 FROM organisation WHERE name = 'ส่วนราชการที่ 1'") == []
    click(qtbot, dlg.apply_button)
    for n in (1, 2, 3):
        assert window.store.query(f"SELECT 1 FROM organisation WHERE name = 'ส่วนราชการที่ {n}' AND deleted = 0")
    assert len(list_backups(demo_db)) == backups_before + 1
    assert dlg.pages.currentIndex() == 1 and dlg.conflict_model.rowCount() >= 1   # agencies 1 and 2 clashed



def test_a_cancelled_folder_preview_lets_its_staging_copy_go(qtbot, window, demo_db, tmp_path):
    """The folder's preview merged the files into a staging copy of our file (as large as it); the
    dialog closed without Merge removes it now, not when the program ends."""
    from pmqa_desktop.core.sharing import folder as folder_mod
    from test_sharing_folder import agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    agency_file(demo_db, folder, 1)
    window.sharing.action_merge_folder.trigger()
    dlg = window.sharing.last_dialog
    qtbot.keyClicks(dlg.path, str(folder))
    click(qtbot, dlg.preview_button)
    kept = folder_mod._staged
    assert kept is not None and kept.staging.exists()
    click(qtbot, dlg.apply_buttons.button(QDialogButtonBox.Cancel))
    assert not dlg.isVisible()
    assert folder_mod._staged is None and not kept.staging.exists()
    assert window.store.query("SELECT 1 FROM organisation WHERE name = 'ส่วนราชการที่ 1'") == []

def test_merge_folder_with_a_foreign_file_names_it_and_changes_nothing(qtbot, window, demo_db, tmp_path):
    from test_sharing_folder import _foreign, agency_file
    folder = tmp_path / "received"
    folder.mkdir()
    agency_file(demo_db, folder, 1)
    _foreign(folder / "accounts.db")
    window.sharing.action_merge_folder.trigger()
    dlg = window.sharing.last_dialog
    qtbot.keyClicks(dlg.path, str(folder))
    click(qtbot, dlg.preview_button)
    assert "accounts.db" in dlg.summary.text() and not dlg.apply_button.isEnabled()
    assert dlg.tree.topLevelItemCount() == 0
    assert window.store.query("SELECT 1 FROM organisation WHERE name = 'ส่วนราชการที่ 1'") == []


def test_the_backup_on_opening_starts_once_the_starting_window_is_painted(qtbot, demo_db):
    """At the program's start the opening backup (a thread that looks at the file and copies it
    when it changed) waits for the window's first paint, which does not need it; it is then made
    as before, and a window closed before its first paint still makes it."""
    from pmqa_desktop.ui.app import open_first_database
    from pmqa_desktop.ui.main_window import MainWindow
    for close_first in (False, True):
        db = demo_db if not close_first else demo_db.with_name("second.db")
        if close_first:
            import shutil
            shutil.copy(demo_db, db)
        w = MainWindow()
        qtbot.addWidget(w)
        w.hold_until_painted()   # (what run_gui does before it opens the first file)
        assert open_first_database(w, str(db), smoke=False)
        held = [t for t in w.sharing.auto_backup.threads if t.ident is None]
        assert len(held) == 1 and list_backups(db) == []
        if not close_first:
            w.painted()
            assert held[0].ident is not None
        w.close_store()   # (waits for the backup)
        assert [b.reason for b in list_backups(db)] == ["open"]
