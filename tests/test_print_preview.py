"""Print preview like Word's (issue 12): zoom (fit width, whole page, percentages), page
thumbnails, options applied at once, and the PDF saved to Documents under a Thai name with a
way to its folder. Through real widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from pmqa_desktop.ui.common import file_places
from print_helpers import page_size, pdftotext
from test_print_gui import open_dialog, select_year

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _choose(qtbot, combo, data) -> None:
    """Pick an entry of a drop-down with the keyboard, as a clerk would."""
    combo.setFocus()
    target = combo.findData(data)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def test_zoom_thumbnails_and_options_at_once(qtbot, window):
    window.resize(1300, 860)
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "weekly")
    dlg.resize(1100, 800)
    qtbot.wait(50)
    assert dlg.pages >= 2 and dlg.thumbs.count() == dlg.pages
    assert not dlg.refresh_button.isVisible()               # nothing to press: options apply at once
    # fit width: the page as wide as the view
    dlg._show_page(1)
    fit = dlg.view.pixmap().width()
    assert abs(fit - (dlg.scroll.viewport().width() - 24)) <= 3
    _choose(qtbot, dlg.zoom, "page")
    whole = dlg.view.pixmap()
    assert whole.height() <= dlg.scroll.viewport().height()
    _choose(qtbot, dlg.zoom, 200)
    assert dlg.view.pixmap().width() > fit
    # a click on the second thumbnail shows page 2
    rect = dlg.thumbs.visualItemRect(dlg.thumbs.item(1))
    qtbot.mouseClick(dlg.thumbs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dlg.page_spin.value() == 2
    # Thai digits ticked: the pages are built again at once
    qtbot.mouseClick(dlg.digits_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    assert "หน้า ๑/" in pdftotext(dlg.pdf_path)
    dlg.reject()



def _left_edge(pdf) -> float:
    """Where the leftmost word of page 1 starts (points from the paper's left edge)."""
    import re
    bbox = pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    return min(float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox))


def test_margins_in_the_preview_apply_at_once(qtbot, window):
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "weekly")
    assert dlg.binding_spin.value() == 30 and dlg.other_spin.value() == 20   # Settings > Printing's
    before = _left_edge(dlg.pdf_path)
    dlg.binding_spin.setFocus()
    for _ in range(10):                       # 30 -> 40 mm with the arrow key, as a clerk would
        qtbot.keyClick(dlg.binding_spin, Qt.Key.Key_Up)
    assert dlg.binding_spin.value() == 40
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    moved = _left_edge(dlg.pdf_path) - before
    assert abs(moved - 10 * 72 / 25.4) < 2, moved   # the text starts 10 mm further right
    dlg.reject()


def test_save_pdf_goes_to_documents_with_a_thai_name(qtbot, window, tmp_path, monkeypatch):
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    offered = {}

    def answer(parent, title, start, filters):
        offered["start"] = start
        return str(tmp_path / "out.pdf"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    from pathlib import Path
    start = Path(offered["start"])
    assert start.parent == file_places.documents_dir()
    assert start.name == "ปฏิทินการดำเนินงาน_จังหวัดราชบุรี_2554.pdf"
    assert (tmp_path / "out.pdf").exists()
    box = dlg.saved_box
    assert box.isVisible() and str(tmp_path / "out.pdf") in box.text()
    opened = []
    monkeypatch.setattr(file_places, "open_folder", lambda p: opened.append(p) or True)
    qtbot.mouseClick(box.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "out.pdf"]
    dlg.reject()


def test_file_names_are_thai_and_safe(tmp_path):
    assert file_places.file_name("ปฏิทิน", "จังหวัดราชบุรี", 2554, ext="pdf") == "ปฏิทิน_จังหวัดราชบุรี_2554.pdf"
    assert file_places.file_name("แผน/ปี", "a:b", ext=".db") == "แผน-ปี_a-b.db"
    (tmp_path / "x_1.pdf").write_text("")
    assert file_places.suggested_path("x", 1, ext="pdf", folder=tmp_path).name == "x_1_2.pdf"


def test_save_a_copy_and_exchange_files_go_to_documents(qtbot, window, tmp_path, monkeypatch):
    from pathlib import Path

    from pmqa_desktop.core.storage import Actor, Store, planning
    offered = {}

    def answer(parent, title, start, filters):
        offered["start"] = start
        return str(tmp_path / "สำเนา.db"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    file_menu = window.menus["file"]
    assert window.action_save_copy in file_menu.actions()
    window.action_save_copy.trigger()
    assert Path(offered["start"]).parent == file_places.documents_dir()
    assert Path(offered["start"]).suffix == ".pmqa"        # the installed program opens it on a double-click
    copy = Store.open(tmp_path / "สำเนา.db", Actor("t", "t"))
    try:
        assert [o["name"] for o in planning.organisations(copy)] == \
               [o["name"] for o in planning.organisations(window.store)]
    finally:
        copy.close()
    assert window.store.path != tmp_path / "สำเนา.db"          # the file open stays open
    assert window.last_message_box.open_folder_button is not None
    # the exchange file for another office: Documents, named for the office and year
    from pmqa_desktop.ui.sharing.dialogs import ExportDialog
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    path = Path(dlg.path.text())
    assert path.parent == file_places.documents_dir() and path.suffix == ".pmqa"
    assert "จังหวัดราชบุรี" in path.name and "2554" in path.name


A4_PT, A3_PT = (595, 842), (842, 1191)


def test_paper_and_orientation_apply_at_once_and_are_remembered(qtbot, window, tmp_path):
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    assert (dlg.paper_box.currentData(), dlg.orientation_box.currentData()) == ("A4", "landscape")
    assert page_size(dlg.pdf_path) == (A4_PT[1], A4_PT[0])
    _choose(qtbot, dlg.paper_box, "A3")                       # no button to press: the pages follow
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    assert page_size(dlg.pdf_path) == (A3_PT[1], A3_PT[0])
    _choose(qtbot, dlg.orientation_box, "portrait")
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    assert page_size(dlg.pdf_path) == A3_PT
    assert "จังหวัดราชบุรี ประจำปีงบประมาณ พ.ศ. 2554" in pdftotext(dlg.pdf_path)   # the form is on the page
    saved = dlg.save_pdf(str(tmp_path / "a3.pdf"))
    assert page_size(saved) == A3_PT                          # the saved PDF is what was shown
    dlg.reject()
    qtbot.waitUntil(lambda: window.findChild(type(dlg), "print_preview_calendar") is None, timeout=3000)
    # the next preview of this form starts from the clerk's choice; another form keeps its own
    again = open_dialog(qtbot, window, "calendar")
    assert (again.paper_box.currentData(), again.orientation_box.currentData()) == ("A3", "portrait")
    assert page_size(again.pdf_path) == A3_PT
    again.reject()
    other = open_dialog(qtbot, window, "owners")
    assert (other.paper_box.currentData(), other.orientation_box.currentData()) == ("A4", "landscape")
    other.reject()


def _bands(pdf) -> set[str]:
    """The months each page of the weekly plan names in its title ("เม.ย.54 ถึง พ.ค.54")."""
    import re
    return {" ".join(b.split()) for b in re.findall(r"\(เดือน ([^)]*)\)", pdftotext(pdf))}


def test_weekly_plan_on_portrait_paper_keeps_every_month(qtbot, window):
    """The weekly plan's months go fewer to a page when the paper stands upright; every month is printed."""
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "weekly")
    across = _bands(dlg.pdf_path)
    assert across == {"เม.ย.54 ถึง มิ.ย.54", "ก.ค.54 ถึง ก.ย.54", "ต.ค.54 ถึง ต.ค.54"}   # 3 months a page
    _choose(qtbot, dlg.orientation_box, "portrait")
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    assert page_size(dlg.pdf_path) == A4_PT
    assert _bands(dlg.pdf_path) == {"เม.ย.54 ถึง พ.ค.54", "มิ.ย.54 ถึง ก.ค.54", "ส.ค.54 ถึง ก.ย.54",
                                    "ต.ค.54 ถึง ต.ค.54"}                               # 2 months a page
    dlg.reject()


def test_excel_and_word_copies_go_to_documents_with_a_thai_name(qtbot, window, tmp_path, monkeypatch):
    """Save as Excel from the preview: offered in Documents under the form's Thai name, then where
    it went with a button to its folder (as for the PDF)."""
    from pathlib import Path
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "weekly")
    offered = {}

    def answer(parent, title, start, filters):
        offered["start"] = start
        return str(tmp_path / "แผน.xlsx"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    _choose(qtbot, dlg.format_box, ".xlsx")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    start = Path(offered["start"])
    assert start.parent == file_places.documents_dir()
    assert start.name == "แผนการดำเนินงานรายสัปดาห์_จังหวัดราชบุรี_2554.xlsx"
    assert (tmp_path / "แผน.xlsx").exists()
    box = dlg.saved_box
    assert box.isVisible() and str(tmp_path / "แผน.xlsx") in box.text() and box.open_folder_button is not None
    box.close()
    dlg.reject()


def test_the_exchange_file_says_where_it_went_with_its_folder(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox
    window.action_export.trigger()
    dlg = window.sharing.last_dialog
    out = tmp_path / "ส่งต่อ.db"
    dlg.path.setText(str(out))
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert out.exists()
    box = window.last_message_box
    assert box.isVisible() and str(out) in box.text()
    opened = []
    monkeypatch.setattr(file_places, "open_folder", lambda p: opened.append(p) or True)
    qtbot.mouseClick(box.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [out]
