"""The main window: tree, criterion detail pane, catalog edits with undo/redo, owners,
opening files, extensions, and the --smoke start. Driven through real widgets."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop.core.storage import planning
from pmqa_desktop.i18n import _
from pmqa_desktop.ui import main_window as mw_module
from pmqa_desktop.ui.app import open_first_database
from pmqa_desktop.ui.main_window import MainWindow
from pmqa_desktop.ui.tree_model import KEY_ROLE, category_label, year_label
from gui_helpers import type_text


def child_texts(model, parent):
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def child_named(model, parent, text):
    for r in range(model.rowCount(parent)):
        idx = model.index(r, 0, parent)
        if idx.data() == text:
            return idx
    raise AssertionError(f"{text!r} not among {child_texts(model, parent)}")


def click_tree(qtbot, window, index):
    window.tree.scrollTo(index)
    rect = window.tree.visualRect(index)
    assert rect.isValid()
    qtbot.mouseClick(window.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.tree.currentIndex() == index


def criterion_index(window, code, year_be=2554, org="จังหวัดราชบุรี"):
    m = window.tree_model
    org_i = child_named(m, window.tree.rootIndex(), org)
    year_i = child_named(m, org_i, year_label(year_be))
    for r in range(m.rowCount(year_i)):
        cat_i = m.index(r, 0, year_i)
        for c in range(m.rowCount(cat_i)):
            idx = m.index(c, 0, cat_i)
            if str(idx.data()).split()[0] == code:
                return idx
    raise AssertionError(code)


def select_criterion(qtbot, window, code):
    idx = criterion_index(window, code)
    window.tree.expand(idx.parent())
    click_tree(qtbot, window, idx)
    return idx


def crit(store, code):
    return next(c for c in planning.criteria(store, include_retired=True) if c["code"] == code)


# ---------------------------------------------------------------- start and tree

def test_first_start_writes_demo_and_tree_shows_catalog(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    data = Path(os.environ["PMQA_DATA_DIR"])
    assert not (data / "pmqa.db").exists()
    assert open_first_database(w, None, smoke=False)
    assert (data / "pmqa.db").exists()
    assert w.store.path == data / "pmqa.db"
    assert str(data / "pmqa.db") in w.windowTitle()
    assert w.file_label.text() == str(data / "pmqa.db")
    w.show()
    qtbot.waitExposed(w)
    m = w.tree_model
    root = w.tree.rootIndex()
    assert child_texts(m, root) == ["จังหวัดราชบุรี", "จังหวัดระยอง"]
    org = child_named(m, root, "จังหวัดราชบุรี")
    year = child_named(m, org, year_label(2554))
    kids = child_texts(m, year)
    assert kids[:2] == [_("Operations calendar"), _("Weekly plan")]
    pages = [label for _key, label in m.year_pages]     # pages the feature modules added
    assert kids[2:2 + len(pages)] == pages
    cats = [category_label(c) for c in planning.categories(w.store)]
    assert kids[2 + len(pages):] == cats and len(cats) == 8
    cat1 = child_named(m, year, category_label({"code": "1", "name": "การนำองค์กร"}))
    assert "LD2 การมอบอำนาจ" in child_texts(m, cat1)
    assert child_texts(m, cat1)[:3] == ["LD1 การกำหนดทิศทางงานทำงาน", "LD2 การมอบอำนาจ", "LD3 กิจกรรมการเรียนรู้"]
    # the first start opens on the welcome page (the file is an example); looking around, the first
    # year's calendar, its node selected
    assert w.stack.currentWidget() is w.welcome_page
    qtbot.mouseClick(w.welcome_page.try_button, Qt.LeftButton)
    assert w.tree.currentIndex().data(KEY_ROLE)[0] == "calendar"
    assert w.stack.currentWidget() is w.calendar_view
    w.close_store()


def test_selecting_a_criterion_shows_full_text_and_owner_editor(qtbot, window):
    select_criterion(qtbot, window, "LD2")
    assert window.stack.currentWidget() is window.detail
    c = crit(window.store, "LD2")
    shown = window.detail.full_text.text().replace("\u200b", "")
    assert shown == c["full_text"] and len(shown) > 50
    assert window.detail.title.text() == "LD2 การมอบอำนาจ"
    assert "การนำองค์กร" in window.detail.subtitle.text()
    assert window.detail.owner.isVisible()
    assert window.current_criterion_id() == c["id"]
    assert window.store.get("fiscal_year", window.current_year_id())["year_be"] == 2554
    # a criterion under a sub-heading shows it
    select_criterion(qtbot, window, "LD6")
    assert "ธรรมาภิบาลและความรับผิดชอบต่อสังคม" in window.detail.subtitle.text()


def test_show_in_weekly_plan_keeps_details_below(qtbot, window):
    select_criterion(qtbot, window, "LD2")
    qtbot.mouseClick(window.detail.weekly_button, Qt.LeftButton)
    assert window.stack.currentWidget() is window.weekly_view
    assert window.weekly_detail.isVisible()
    assert window.weekly_detail.title.text() == "LD2 การมอบอำนาจ"
    # with the weekly plan in front, picking another criterion keeps it there
    select_criterion(qtbot, window, "SP1")
    assert window.stack.currentWidget() is window.weekly_view
    assert window.weekly_detail.title.text().startswith("SP1 ")


# ---------------------------------------------------------------- catalog edits

def open_edit_dialog(qtbot, window, code):
    select_criterion(qtbot, window, code)
    qtbot.mouseClick(window.detail.edit_button, Qt.LeftButton)
    dlg = window.last_dialog
    assert dlg is not None and dlg.isVisible()
    return dlg


def test_rename_undo_redo(qtbot, window):
    original = crit(window.store, "LD2")
    dlg = open_edit_dialog(qtbot, window, "LD2")
    dlg.short_name.selectAll()
    type_text(dlg.short_name, "การกระจายอำนาจการตัดสินใจ", qtbot)
    dlg.full_text.selectAll()
    type_text(dlg.full_text, "ข้อความเต็มใหม่", qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    c = crit(window.store, "LD2")
    assert (c["short_name"], c["full_text"]) == ("การกระจายอำนาจการตัดสินใจ", "ข้อความเต็มใหม่")
    idx = window.tree.currentIndex()
    assert idx.data() == "LD2 การกระจายอำนาจการตัดสินใจ"    # selection kept through the refresh
    assert window.detail.title.text() == "LD2 การกระจายอำนาจการตัดสินใจ"
    assert window.undo_stack.count() == 1
    window.action_undo.trigger()
    c = crit(window.store, "LD2")
    assert (c["short_name"], c["full_text"]) == ("การมอบอำนาจ", original["full_text"])
    assert window.tree.currentIndex().data() == "LD2 การมอบอำนาจ"
    window.action_redo.trigger()
    assert crit(window.store, "LD2")["short_name"] == "การกระจายอำนาจการตัดสินใจ"
    assert window.tree.currentIndex().data() == "LD2 การกระจายอำนาจการตัดสินใจ"


def test_renumber_bad_code_shows_error_and_changes_nothing(qtbot, window):
    before = crit(window.store, "LD2")
    dlg = open_edit_dialog(qtbot, window, "LD2")
    for bad in ("LD-2!", "LD3"):   # not a code; a code another criterion has
        dlg.code.selectAll()
        type_text(dlg.code, bad, qtbot)
        qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
        assert dlg.isVisible()
        assert dlg.error.isVisible() and dlg.error.text()
        assert "c62828" in dlg.code.styleSheet()
        assert window.store.get("criterion", before["id"]) == before
        assert window.undo_stack.count() == 0
    dlg.code.selectAll()
    type_text(dlg.code, "ld 9", qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    assert window.store.get("criterion", before["id"])["code"] == "LD9"
    assert window.tree.currentIndex().data() == "LD9 การมอบอำนาจ"
    window.action_undo.trigger()
    assert window.store.get("criterion", before["id"])["code"] == "LD2"


def test_retire_hides_and_bring_back(qtbot, window):
    select_criterion(qtbot, window, "LD3")
    qtbot.mouseClick(window.detail.retire_button, Qt.LeftButton)
    c = crit(window.store, "LD3")
    assert c["retired"] == 1
    m = window.tree_model
    cat_index = criterion_index(window, "LD2").parent()   # indexes do not outlive a refresh
    assert not any(t.startswith("LD3") for t in child_texts(m, cat_index))
    assert window.tree.currentIndex().data(KEY_ROLE)[0] == "category"
    window.action_show_retired.trigger()
    cat_index = window.tree.currentIndex()
    label = _("{label} (retired)").format(label="LD3 กิจกรรมการเรียนรู้")
    assert label in child_texts(m, cat_index)
    retired_idx = child_named(m, cat_index, label)
    assert retired_idx.data(Qt.ForegroundRole) is not None
    click_tree(qtbot, window, retired_idx)
    assert window.detail.retire_button.text() == _("Bring back")
    qtbot.mouseClick(window.detail.retire_button, Qt.LeftButton)
    assert crit(window.store, "LD3")["retired"] == 0
    window.action_undo.trigger()
    window.action_undo.trigger()
    assert crit(window.store, "LD3")["retired"] == 0
    assert window.undo_stack.index() == 0


def test_move_down_and_add_criterion_through_context_menu(qtbot, window):
    select_criterion(qtbot, window, "LD1")
    qtbot.mouseClick(window.detail.down_button, Qt.LeftButton)
    cat_index = window.tree.currentIndex().parent()
    assert [t.split()[0] for t in child_texts(window.tree_model, cat_index)][:3] == ["LD2", "LD1", "LD3"]
    assert window.tree.currentIndex().data().startswith("LD1")
    window.action_undo.trigger()
    cat_index = window.tree.currentIndex().parent()
    assert [t.split()[0] for t in child_texts(window.tree_model, cat_index)][:3] == ["LD1", "LD2", "LD3"]
    # add LD8 after LD7 from the criterion's context menu
    idx = criterion_index(window, "LD7")
    menu = window.tree_context_menu(idx)
    act = next(a for a in menu.actions() if a.text() == _("Add criterion after this one…"))
    act.trigger()
    dlg = window.last_dialog
    type_text(dlg.code, "LD8", qtbot)
    type_text(dlg.short_name, "การสื่อสารภายในองค์กร", qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    cat_index = criterion_index(window, "LD1").parent()
    assert child_texts(window.tree_model, cat_index)[-1] == "LD8 การสื่อสารภายในองค์กร"
    assert window.tree.currentIndex().data() == "LD8 การสื่อสารภายในองค์กร"
    window.action_undo.trigger()
    cat_index = criterion_index(window, "LD1").parent()
    assert child_texts(window.tree_model, cat_index)[-1].startswith("LD7")
    assert "LD8" not in planning.criteria_by_code(window.store)
    window.action_redo.trigger()
    assert "LD8" in planning.criteria_by_code(window.store)


# ---------------------------------------------------------------- owners

def test_owner_email_validation_and_undo(qtbot, window):
    select_criterion(qtbot, window, "IT5")
    owner = window.detail.owner
    year_id = window.current_year_id()
    cid = crit(window.store, "IT5")["id"]
    type_text(owner.fields["name"], "นางสาวสมใจ ใจดี", qtbot)
    type_text(owner.fields["phone"], "0 3232 1234 ต่อ 12", qtbot)
    type_text(owner.fields["email"], "somjai.moi.go.th", qtbot)
    qtbot.mouseClick(owner.save_button, Qt.LeftButton)
    assert owner.error.isVisible() and "somjai.moi.go.th" in owner.error.text()
    assert "c62828" in owner.fields["email"].styleSheet()
    assert owner.fields["phone"].styleSheet() == ""
    # the bad e-mail is refused; the fields typed correctly are kept, each its own edit
    row = planning.owner(window.store, year_id, cid)
    assert (row["name"], row["phone"], row["email"] or "") == ("นางสาวสมใจ ใจดี", "0 3232 1234 ต่อ 12", "")
    assert window.undo_stack.count() == 2
    owner.fields["email"].selectAll()
    type_text(owner.fields["email"], "somjai@moi.go.th", qtbot)
    assert not owner.error.isVisible()
    qtbot.keyClick(owner.fields["email"], Qt.Key_Return)
    row = planning.owner(window.store, year_id, cid)
    assert (row["name"], row["phone"], row["email"]) == ("นางสาวสมใจ ใจดี", "0 3232 1234 ต่อ 12", "somjai@moi.go.th")
    # a bad phone number is refused too
    owner.fields["phone"].selectAll()
    type_text(owner.fields["phone"], "โทร ไม่มี", qtbot)
    qtbot.mouseClick(owner.save_button, Qt.LeftButton)
    assert "c62828" in owner.fields["phone"].styleSheet()
    assert planning.owner(window.store, year_id, cid)["phone"] == "0 3232 1234 ต่อ 12"
    owner.fields["phone"].selectAll()
    type_text(owner.fields["phone"], "0 3232 1234 ต่อ 12", qtbot)
    qtbot.keyClick(owner.fields["phone"], Qt.Key_Return)
    window.action_undo.trigger()    # the e-mail
    assert (planning.owner(window.store, year_id, cid)["email"] or "") == ""
    window.action_undo.trigger()    # the phone
    window.action_undo.trigger()    # the name
    assert planning.owner(window.store, year_id, cid) is None
    assert owner.fields["name"].text() == ""
    for _i in range(3):
        window.action_redo.trigger()
    assert owner.fields["email"].text() == "somjai@moi.go.th"


# ---------------------------------------------------------------- files

def test_foreign_and_damaged_files_are_refused(qtbot, window, tmp_path):
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers(name) VALUES ('x')")
    con.commit()
    con.close()
    foreign_bytes = foreign.read_bytes()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database at all" * 10)
    path_before = window.store.path
    for bad in (foreign, damaged):
        assert not window.open_database(bad)
        box = window.last_message_box
        assert box is not None and box.isVisible()
        assert bad.name in box.text()
        box.close()
        assert window.store.path == path_before
        assert planning.organisations(window.store)
    assert foreign.read_bytes() == foreign_bytes


def test_edits_are_in_the_file_when_reopened(qtbot, window, tmp_path):
    other = tmp_path / "copy.db"
    shutil.copy(window.store.path, other)
    dlg = open_edit_dialog(qtbot, window, "SP1")
    dlg.short_name.selectAll()
    type_text(dlg.short_name, "ขั้นตอนการจัดทำแผน", qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    path = window.store.path
    # File > Open of another file, then back: the edit is in the first file, not the copy
    assert window.open_database(other)
    assert window.undo_stack.count() == 0
    assert crit(window.store, "SP1")["short_name"] != "ขั้นตอนการจัดทำแผน"
    window.close_store()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    assert w2.open_database(path)
    assert crit(w2.store, "SP1")["short_name"] == "ขั้นตอนการจัดทำแผน"
    assert str(path) in w2.files.recent_files()[0]
    w2.close_store()


def test_show_file_location(qtbot, window):
    box = window.files.show_file_location()
    assert str(window.store.path) in box.text()
    box.close()


def test_newer_file_opens_read_only(qtbot, window, tmp_path):
    newer = tmp_path / "newer.db"
    shutil.copy(window.store.path, newer)
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    assert window.open_database(newer)
    assert window.store.read_only
    assert window.readonly_label.isVisible()
    assert "read-only" in window.statusBar().currentMessage() or window.store.read_only_reason
    assert not window.action_import.isEnabled()
    select_criterion(qtbot, window, "LD2")
    assert not window.detail.edit_button.isEnabled()
    assert window.detail.owner.fields["email"].isReadOnly()


def test_features_plug_in(qtbot, demo_db):
    from PySide6.QtWidgets import QLabel
    calls = []

    def install(win):
        win.register_year_page("devplan", "แผนพัฒนาองค์การ", lambda w, yid: QLabel(f"plan page {yid}"))
        win.register_file_listener(lambda store: calls.append(store.path))
        win.menus["print"].addAction("พิมพ์แบบฟอร์ม")
    good = types.ModuleType("pmqa_test_ext_good")
    good.install = install
    w = MainWindow(features=(good,))
    qtbot.addWidget(w)
    assert w.open_database(demo_db)
    assert calls == [demo_db]
    w.show()
    m = w.tree_model
    org = child_named(m, w.tree.rootIndex(), "จังหวัดราชบุรี")
    year = child_named(m, org, year_label(2554))
    page = child_named(m, year, "แผนพัฒนาองค์การ")
    click_tree(qtbot, w, page)
    assert w.stack.currentWidget().text() == f"plan page {w.current_year_id()}"
    assert [a.text() for a in w.menus["print"].actions()] == ["พิมพ์แบบฟอร์ม"]
    w.close_store()


def test_a_feature_that_fails_to_install_stops_the_start_and_is_named(qtbot):
    from pmqa_desktop.ui.features import FeatureError
    broken = types.ModuleType("pmqa_desktop.ui.broken.entry")

    def bad_install(win):
        raise RuntimeError("boom in install")
    broken.install = bad_install
    with pytest.raises(FeatureError, match=r"\(broken\).*boom in install"):
        MainWindow(features=(broken,))


def test_every_feature_is_installed_from_the_one_list(qtbot, window):
    """The shell's FEATURES names every feature package (no feature left out of the list)."""
    import pkgutil

    from PySide6.QtGui import QAction

    import pmqa_desktop.ui as ui_pkg
    packages = {m.name for m in pkgutil.iter_modules(ui_pkg.__path__) if m.ispkg}
    shared = {"common", "schedules"}    # used by the shell itself, nothing to install
    listed = {f.__name__.split(".")[2] for f in mw_module.FEATURES}
    assert listed == packages - shared
    assert all(f.__name__.endswith(".entry") for f in mw_module.FEATURES)
    for name in ("action_open", "action_import", "action_edit_criterion", "action_settings", "action_new_year",
                 "action_export", "action_print_owners"):
        assert window.findChild(QAction, name) is not None, name


def test_the_window_offers_everything_the_features_interface_promises(qtbot, window):
    from pmqa_desktop.ui.features import Window
    promised = {n for n in Window.__annotations__} | {n for n, v in vars(Window).items()
                                                       if callable(v) and not n.startswith("_")}
    assert promised >= {"store", "undo_stack", "menus", "add_action", "register_year_page", "open_dialog"}
    missing = sorted(n for n in promised if not hasattr(window, n))
    assert missing == []


def test_smoke_subprocess(demo_db, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "pmqa_desktop", "--smoke", "--db", str(demo_db)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("smoke ok: ")
    assert float(proc.stdout.split(":")[1]) > 0
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 50)
    proc = subprocess.run([sys.executable, "-m", "pmqa_desktop", "--smoke", "--db", str(bad)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and "bad.db" in proc.stderr


def test_reload_after_another_program_changed_the_file(qtbot, window):
    from pmqa_desktop.core.storage import Actor, Store
    select_criterion(qtbot, window, "LD4")
    other = Store.open(window.store.path, Actor(office="other-office"))
    planning.add_organisation(other, "สำนักงานจังหวัดเพชรบุรี")
    other.close()
    assert window.tree_model.rowCount() == 2
    window.reload()
    assert "สำนักงานจังหวัดเพชรบุรี" in child_texts(window.tree_model, window.tree.rootIndex())
    assert window.tree.currentIndex().data().startswith("LD4")     # where the clerk was


def test_keyboard_undo_redo_and_recent_files(qtbot, window):
    select_criterion(qtbot, window, "LD1")
    qtbot.mouseClick(window.detail.down_button, Qt.LeftButton)
    assert crit(window.store, "LD1")["sort_key"] > crit(window.store, "LD2")["sort_key"]
    window.activateWindow()
    qtbot.waitActive(window)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key_Z, Qt.ControlModifier)
    assert crit(window.store, "LD1")["sort_key"] < crit(window.store, "LD2")["sort_key"]
    qtbot.keyClick(window.tree, Qt.Key_Y, Qt.ControlModifier)
    assert crit(window.store, "LD1")["sort_key"] > crit(window.store, "LD2")["sort_key"]
    qtbot.keyClick(window.tree, Qt.Key_Z, Qt.ControlModifier)
    qtbot.keyClick(window.tree, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert crit(window.store, "LD1")["sort_key"] > crit(window.store, "LD2")["sort_key"]
    # File > Open recent lists the file; choosing it opens it again
    window.files._fill_recent()
    entries = [a.text() for a in window.files.recent_menu.actions()]
    assert entries == [str(window.store.path)]
    window.files.recent_menu.actions()[0].trigger()
    assert window.undo_stack.count() == 0 and window.store.path == Path(entries[0])


def test_open_read_only_on_request(qtbot, window):
    path = window.store.path
    assert window.open_database(path, read_only=True)
    assert window.store.read_only and window.readonly_label.isVisible()
    assert window.windowTitle().endswith(_(" (read-only)"))
    select_criterion(qtbot, window, "LD2")
    assert not window.detail.retire_button.isEnabled()
    assert not window.detail.owner.save_button.isEnabled()
    menu = window.tree_context_menu(window.tree.currentIndex())
    assert not any(a.isEnabled() for a in menu.actions() if a.text() == _("Retire"))


def test_category_page_lists_criteria_and_owners(qtbot, window):
    year_id = window.current_year_id()
    it5 = crit(window.store, "IT5")
    planning.set_owner(window.store, year_id, it5["id"], {"name": "นายเก่ง มาก", "phone": "0 3233 7000"})
    idx = criterion_index(window, "IT5").parent()
    click_tree(qtbot, window, idx)
    table = window.detail.criteria_table
    assert window.stack.currentWidget() is window.detail and table.isVisible()
    rows = [[table.item(r, c).text().replace("\u200b", "") for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    codes = [c["code"] for c in planning.criteria(window.store, it5["category_id"])]
    assert [r[0].split()[0] for r in rows] == codes == ["IT1", "IT2", "IT3", "IT4", "IT5", "IT6", "IT7"]
    assert rows[4][1] == "นายเก่ง มาก" and rows[4][4] == "0 3233 7000"
    table.scrollToItem(table.item(4, 0))
    rect = table.visualItemRect(table.item(4, 0))
    assert table.viewport().rect().contains(rect.center())
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.current_criterion_id() == it5["id"]
    assert window.detail.owner.fields["name"].text() == "นายเก่ง มาก"


def test_a_recent_file_that_is_gone_is_not_recreated(qtbot, window, tmp_path):
    gone = tmp_path / "moved-away.db"
    shutil.copy(window.store.path, gone)
    assert window.open_database(gone)
    assert window.open_database(tmp_path / "demo.db")
    gone.unlink()
    window.files._fill_recent()
    act = next(a for a in window.files.recent_menu.actions() if a.text() == str(gone))
    act.trigger()
    assert not gone.exists()
    assert window.store.path == tmp_path / "demo.db"
    assert "moved-away.db" in window.last_message_box.text()


def test_a_new_file_named_on_the_command_line_starts_with_the_catalog(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    new = tmp_path / "new.db"
    assert open_first_database(w, str(new), smoke=False)
    assert new.exists() and w.store.path == new
    assert w.tree_model.rowCount() == 0                      # no organisation yet
    assert len(planning.criteria(w.store)) == len(planning.criteria_by_code(w.store)) > 40
    assert w.stack.currentWidget() is w.welcome
    w.close_store()


def test_catalog_keys_in_the_tree(qtbot, window):
    select_criterion(qtbot, window, "LD1")
    window.activateWindow()
    qtbot.waitActive(window)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key_Down, Qt.ControlModifier)
    cat_index = window.tree.currentIndex().parent()
    assert [t.split()[0] for t in child_texts(window.tree_model, cat_index)][:2] == ["LD2", "LD1"]
    qtbot.keyClick(window.tree, Qt.Key_Up, Qt.ControlModifier)
    cat_index = window.tree.currentIndex().parent()
    assert [t.split()[0] for t in child_texts(window.tree_model, cat_index)][:2] == ["LD1", "LD2"]
    qtbot.keyClick(window.tree, Qt.Key_Delete)
    assert crit(window.store, "LD1")["retired"] == 1
    window.action_undo.trigger()
    assert crit(window.store, "LD1")["retired"] == 0
    select_criterion(qtbot, window, "LD1")
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key_F2)
    dlg = window.last_dialog
    assert dlg.isVisible() and dlg.code.text() == "LD1"
    dlg.reject()
    qtbot.keyClick(window.tree, Qt.Key_Insert)
    dlg = window.last_dialog
    assert dlg.isVisible() and dlg.code.text() == "" and dlg.after_id == crit(window.store, "LD1")["id"]
    dlg.reject()
    assert window.undo_stack.count() == 3


def test_second_window_on_the_same_file_is_read_only_with_a_message(qtbot, window, demo_db):
    """Two copies of the program on one file: the second gets a read-only view and is told why."""
    second = MainWindow()
    qtbot.addWidget(second)
    try:
        assert second.open_database(demo_db)
        assert second.store.read_only and not window.store.read_only
        assert "read-only" in second.store.read_only_reason or "อ่านอย่างเดียว" in second.store.read_only_reason
        assert second.last_message_box is not None
        assert second.readonly_label.isVisible() or not second.isVisible()
        org = planning.organisations(window.store)[0]
        planning.add_organisation(window.store, "จังหวัดทดสอบ")   # the first window still edits
        assert org["id"]
    finally:
        second.close_store()


def _menu_action(window, index, text):
    menu = window.tree_context_menu(index)
    return next(a for a in menu.actions() if a.text() == text)


def test_delete_a_fiscal_year_asks_then_undo_brings_it_back(qtbot, window):
    m, store = window.tree_model, window.store
    org_i = child_named(m, window.tree.rootIndex(), "จังหวัดราชบุรี")
    year_i = child_named(m, org_i, year_label(2554))
    click_tree(qtbot, window, year_i)
    year_id = window.current_year_id()
    _menu_action(window, year_i, _("Delete this fiscal year…")).trigger()
    box = window.last_message_box
    assert "2554" in box.text() and "จังหวัดราชบุรี" in box.text()
    # Cancel changes nothing
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Close), Qt.LeftButton)
    assert store.get("fiscal_year", year_id) is not None
    _menu_action(window, year_i, _("Delete this fiscal year…")).trigger()
    box = window.last_message_box
    delete = next(b for b in box.buttons.buttons() if b.text() == _("Delete"))
    qtbot.mouseClick(delete, Qt.LeftButton)
    assert store.get("fiscal_year", year_id) is None
    assert store.get("fiscal_year", year_id, include_deleted=True)["deleted"] == 1   # a tombstone
    steps = store.select("calendar_step", {"year_id": year_id}, include_deleted=True)
    assert len(steps) == 18 and all(s["deleted"] for s in steps)   # its calendar went with it, kept
    org_i = child_named(m, window.tree.rootIndex(), "จังหวัดราชบุรี")
    assert year_label(2554) not in child_texts(m, org_i)
    assert window.tree.currentIndex() == org_i        # the selection falls back to the organisation
    window.action_undo.trigger()
    org_i = child_named(m, window.tree.rootIndex(), "จังหวัดราชบุรี")
    assert year_label(2554) in child_texts(m, org_i)
    assert store.get("fiscal_year", year_id) is not None
    assert len(planning.calendar_steps(store, year_id)) == 18
    window.action_redo.trigger()
    assert store.get("fiscal_year", year_id) is None


def test_rename_and_delete_an_organisation(qtbot, window):
    m, store = window.tree_model, window.store
    org_i = child_named(m, window.tree.rootIndex(), "จังหวัดระยอง")
    org_id = org_i.data(KEY_ROLE)[1]
    _menu_action(window, org_i, _("Rename organisation…")).trigger()
    dlg = window.last_dialog
    dlg.name.clear()
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.isVisible() and dlg.error.text(), "an empty name is refused in the dialog"
    type_text(dlg.name, "จังหวัดระยอง (สนจ.)", qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert store.get("organisation", org_id)["name"] == "จังหวัดระยอง (สนจ.)"
    org_i = child_named(m, window.tree.rootIndex(), "จังหวัดระยอง (สนจ.)")
    _menu_action(window, org_i, _("Delete this organisation…")).trigger()
    box = window.last_message_box
    qtbot.mouseClick(next(b for b in box.buttons.buttons() if b.text() == _("Delete")), Qt.LeftButton)
    assert child_texts(m, window.tree.rootIndex()) == ["จังหวัดราชบุรี"]
    window.action_undo.trigger()
    window.action_undo.trigger()
    assert child_texts(m, window.tree.rootIndex()) == ["จังหวัดราชบุรี", "จังหวัดระยอง"]


def test_settings_dialog_saves_identity_and_offers_a_restart_in_the_new_language(qtbot, window, monkeypatch):
    from PySide6.QtCore import QProcess
    from PySide6.QtGui import QAction
    from pmqa_desktop.ui import qt_settings
    started = []
    monkeypatch.setattr(QProcess, "startDetached", staticmethod(lambda exe, args: started.append((exe, args)) or True))
    path = window.store.path
    window.findChild(QAction, "action_settings").trigger()
    dlg = window.last_dialog
    dlg.clerk.clear()
    type_text(dlg.clerk, "นางสาวมาลี ใจดี", qtbot)
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert qt_settings.read_all()["clerk_name"] == "นางสาวมาลี ใจดี"
    assert qt_settings.read_all()["language"] == "en"
    assert window.store.actor.clerk == "นางสาวมาลี ใจดี"       # later edits carry the new name
    box = window.last_message_box
    assert box.objectName() == "offer_restart"
    # said in the language in use and in the one chosen
    assert "Restart now?" in box.text()
    assert _("The program shows the new language when it starts again. Restart now?") in box.text()
    restart = next(b for b in box.buttons.buttons() if "Restart now" in b.text())
    qtbot.mouseClick(restart, Qt.LeftButton)
    assert started and started[0][1][-2:] == ["--db", str(path)]
    assert window.store is None                              # the file was let go before the new start
