"""Small things a clerk sees in the first hour (issue 12, item 4), through real widgets."""
from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QPicture
from PySide6.QtWidgets import QMenu

from pmqa_desktop.i18n import _


def _drawn_text(widget) -> bytes:
    """What the widget's painting writes as text (a QPicture keeps drawText strings as UTF-16)."""
    pic = QPicture()
    widget.render(pic)
    return bytes(pic.data())


def _menus(window):
    out = []
    for m in window.menuBar().findChildren(QMenu):
        out.append(m)
    return out


@pytest.fixture
def program_font(qapp):
    """The program's own UI font (a Thai one when installed), as ``run_gui`` chooses it."""
    from pmqa_desktop.ui.app import choose_ui_font
    old = qapp.font()
    choose_ui_font(qapp)
    yield
    qapp.setFont(old)


def test_menu_items_are_drawn_whole_not_cut_mid_word(qtbot, program_font, window):
    cut = []
    menus = list(window.menus.values()) + [window.tree_context_menu(window.tree.currentIndex())]
    for menu in menus:
        menu.adjustSize()
        drawn = _drawn_text(menu)
        for action in menu.actions():
            # its longest Thai run (Qt records each script's run of text apart, and the underlined
            # mnemonic letter apart from the text around it: "ค้&นหา…" is drawn "ค้", "น", "หา…"), cut when elided
            pieces = re.split("&.", action.text().split("\t")[0])
            runs = [r for piece in pieces for r in re.findall("[\u0e00-\u0e7f]+", piece)]
            text = max(runs, key=len) if runs else ""
            if text and not action.isSeparator() and text.encode("utf-16-be") not in drawn:
                cut.append(text)
    assert not cut, cut
    assert _("&Roll over a fiscal year…") in [a.text() for a in window.menus["tools"].actions()]


def test_add_organisation_opens_with_the_cursor_in_its_name(qtbot, window):
    dlg = window.organisations.add_organisation()
    qtbot.waitExposed(dlg)
    assert dlg.focusWidget() is dlg.name
    qtbot.keyClicks(dlg.focusWidget(), "Ratchaburi agency")
    assert dlg.name.text() == "Ratchaburi agency"
    dlg.reject()
    # the same for the other dialogs of the Tools menu
    for opener, first in ((lambda: window.organisations.new_year(window.current_org_id()), "year_spin"),
                          (window.organisations.roll_over, None)):
        dlg = opener()
        qtbot.waitExposed(dlg)
        focus = dlg.focusWidget()
        assert focus is not None and focus.metaObject().className() in ("QLineEdit", "QSpinBox", "QComboBox"), focus
        if first:
            assert focus.objectName() == first
        dlg.reject()


def test_a_long_message_and_a_long_path_share_the_status_bar(qtbot, tmp_path, demo_db):
    import shutil

    from pmqa_desktop.ui.main_window import MainWindow
    folder = tmp_path / "a very long folder name for the provincial office files" / "สำนักงานจังหวัดราชบุรี กลุ่มงานยุทธศาสตร์"
    folder.mkdir(parents=True)
    path = folder / "pmqa.db"
    shutil.copy(demo_db, path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_database(path)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    message = "ข้อความยาว " * 30
    w.statusBar().showMessage(message)
    qtbot.wait(50)
    bar, label = w.statusBar(), w.file_label
    assert label.text() == str(path) and label.toolTip() == str(path)     # the whole path is still there
    assert label.geometry().right() <= bar.width() and label.width() <= bar.width() * 0.5
    assert label.x() >= bar.width() * 0.45                                   # room on the left for messages
    drawn = _drawn_text(bar)
    assert "ข้อความยาว".encode("utf-16-be") in drawn       # the message is drawn
    assert "pmqa.db".encode("utf-16-be") in _drawn_text(label)   # the file's name stays readable
    w.close_store()


def test_tree_keeps_its_width_when_a_development_plan_opens(qtbot, window):
    from pmqa_desktop.core.devplan_demo import rayong_year
    from pmqa_desktop.ui.devplan import pages
    window.resize(1024, 700)      # a small office screen
    qtbot.wait(20)
    before = window.tree.width()
    assert before >= 300
    year_id = rayong_year(window.store)
    for key in (pages.DEVPLAN_PAGE, pages.DASHBOARD_PAGE):
        page = pages.open_page(window, year_id, key)
        assert window.stack.currentWidget() is page
        qtbot.wait(50)
        assert window.tree.width() >= before - 10, key
    # its buttons wrap onto a second line instead: all still there, none cut off
    page = pages.open_page(window, year_id, pages.DEVPLAN_PAGE)
    qtbot.wait(20)
    for b in (page.add_activity_button, page.view_version_button, page.down_button):
        assert b.isVisible() and b.geometry().right() <= b.parentWidget().width()
    window.select_key(("calendar", year_id))
    qtbot.wait(20)
    assert window.tree.width() >= before - 10
