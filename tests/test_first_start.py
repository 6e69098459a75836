"""A first start that explains itself (issue 12): the welcome page over the example file, File >
New, the clerk's name and office asked once and signed on edits, hints in empty grids, the
manual under F1. Through real widgets."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPicture

from pmqa_desktop.core.sharing import history
from pmqa_desktop.core.storage import planning
from pmqa_desktop.ui.app import open_first_database
from pmqa_desktop.ui.main_window import MainWindow
from gui_helpers import type_text

# the offscreen platform's notes when a window is shown or raised
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")


def _drawn(widget) -> bytes:
    pic = QPicture()
    widget.render(pic)
    return bytes(pic.data())


@pytest.fixture
def first_start(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert open_first_database(w, None, smoke=False)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.close_store()


def test_first_start_shows_the_welcome_page_and_asks_who_once(qtbot, first_start):
    w = first_start
    page = w.welcome_page
    assert w.stack.currentWidget() is page
    assert "ตัวอย่าง" in page.about.text().replace("\u200b", "")   # it says the file is an example
    qtbot.mouseClick(page.clerk, Qt.MouseButton.LeftButton)
    type_text(page.clerk, "นางสาวสมใจ ใจดี", qtbot)
    qtbot.keyClick(page.clerk, Qt.Key.Key_Tab)
    type_text(page.office, "สำนักงานจังหวัดราชบุรี", qtbot)
    qtbot.keyClick(page.office, Qt.Key.Key_Tab)
    assert w.store.actor.clerk == "นางสาวสมใจ ใจดี" and w.store.actor.office == "สำนักงานจังหวัดราชบุรี"
    qtbot.mouseClick(page.try_button, Qt.MouseButton.LeftButton)   # look around the example
    assert w.stack.currentWidget() is w.calendar_view
    # an edit is signed with the clerk's name: the history shows who
    step = planning.calendar_steps(w.store, w.current_year_id())[0]
    cal = w.calendar_view
    cal.table.setCurrentIndex(cal.model.index(0, 1))
    cal.table.setFocus()
    from gui_helpers import type_into_cell
    type_into_cell(qtbot, cal.table, "ทบทวนแผน")
    entries = history.row_history(w.store, "calendar_step", step["id"])
    assert entries[0]["current"] and entries[0]["clerk"] == "นางสาวสมใจ ใจดี"
    assert entries[0]["office"] == "สำนักงานจังหวัดราชบุรี"
    # the next start: straight to the work, not the welcome page again
    w.close_store()
    again = MainWindow()
    qtbot.addWidget(again)
    assert open_first_database(again, None, smoke=False)
    assert again.stack.currentWidget() is not getattr(again, "welcome_page", None)
    again.close_store()


def test_start_my_own_file_makes_an_empty_file_with_the_catalog(qtbot, first_start, tmp_path, monkeypatch):
    from pmqa_desktop.ui.welcome import page as welcome
    w = first_start
    target = tmp_path / "ข้อมูล PMQA สำนักงานจังหวัด.db"
    monkeypatch.setattr(welcome, "ask_new_file", lambda window: str(target))   # the file dialog's answer
    qtbot.mouseClick(w.welcome_page.new_button, Qt.MouseButton.LeftButton)
    assert target.exists() and w.store.path == target
    assert planning.organisations(w.store) == []
    assert len(planning.criteria(w.store)) > 40              # the standard catalog is there
    dlg = w.last_dialog                                       # and the first organisation is asked for
    assert dlg is not None and dlg.focusWidget() is dlg.name
    dlg.reject()


def test_empty_grids_say_what_to_press(qtbot, first_start):
    w = first_start
    qtbot.mouseClick(w.welcome_page.try_button, Qt.MouseButton.LeftButton)
    cal = w.calendar_view
    cal.table.setFocus()
    cal.table.selectAll()
    cal.toolbar.widgetForAction(cal.act_delete).click()      # every step deleted
    assert cal.model.rowCount() == 0
    hint = "กด “แทรกขั้นตอนด้านล่าง” เพื่อเริ่ม"
    assert hint.encode("utf-16-be") in _drawn(cal.table.viewport())


def test_f1_opens_the_thai_manual_with_the_shortcuts(qtbot, first_start):
    w = first_start
    qtbot.keyClick(w, Qt.Key.Key_F1)
    dlg = w.manual_dialog
    assert dlg.isVisible()
    text = dlg.browser.toPlainText()
    assert "Alt+↑" in text and "Ctrl+Shift+→" in text and "บันทึกแล้ว" in text
    # the same keys on the toolbar buttons' tips
    tips = [a.toolTip() for a in w.calendar_view.toolbar.actions()]
    assert any("Alt+" in t for t in tips)


def test_welcome_left_through_the_tree_is_not_shown_again(qtbot, first_start):
    from pmqa_desktop.ui import qt_settings
    from pmqa_desktop.ui.welcome import page as welcome
    w = first_start
    assert w.stack.currentWidget() is w.welcome_page
    w.select_key(("calendar", w.current_year_id()))          # the clerk clicks on in the tree
    assert w.stack.currentWidget() is w.calendar_view
    assert qt_settings.get(welcome.WELCOME_DONE) == "1"


def test_the_welcome_page_says_nothing_was_saved_before_the_clerk_types(qtbot, first_start):
    """Opening the welcome page saves nothing: no "saved" notice for a name never typed, and it
    is not marked as seen before the clerk leaves it (a crash now shows it again next time)."""
    from pmqa_desktop.ui import qt_settings
    from pmqa_desktop.ui.welcome import page as welcome
    w = first_start
    assert w.stack.currentWidget() is w.welcome_page
    assert "บันทึกแล้ว" not in w.statusBar().currentMessage()
    values = qt_settings.read_all()
    assert welcome.WELCOME_DONE not in values and "clerk_name" not in values
    qtbot.mouseClick(w.welcome_page.try_button, Qt.MouseButton.LeftButton)   # leaving it: seen
    assert qt_settings.read_all().get(welcome.WELCOME_DONE) == "1"
    assert "บันทึกแล้ว" not in w.statusBar().currentMessage()              # (still nothing typed)


def test_development_plan_buttons_tell_their_keys(qtbot, first_start):
    """The plan's Move up / Move down buttons say Alt+↑ / Alt+↓ work in the grid too."""
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.ui.devplan import pages
    w = first_start
    page = pages.open_page(w, rayong_year(w.store), pages.DEVPLAN_PAGE)
    assert "Alt+Up" in page.up_button.toolTip() and "Alt+Down" in page.down_button.toolTip()


def test_a_new_file_is_offered_in_documents_as_a_pmqa_file(qtbot, first_start, tmp_path, monkeypatch):
    """File > New offers Documents and the .pmqa ending the installed program opens on a double-click."""
    from PySide6.QtWidgets import QFileDialog
    from pmqa_desktop.ui.common.file_places import documents_dir
    offered = {}

    def answer(parent, title, start, filters):
        offered["start"] = start
        return "", ""                                         # the clerk cancels
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    qtbot.mouseClick(first_start.welcome_page.new_button, Qt.MouseButton.LeftButton)
    start = Path(offered["start"])
    assert start.parent == documents_dir() and start.suffix == ".pmqa"
