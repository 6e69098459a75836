"""The Print menu: preview inside the program, Save PDF, Print (to a PDF printer), cancelling
a job, and the Thai-digits / font settings being kept."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop import settings
from pmqa_desktop.printing.render import FORMS
from pmqa_desktop.ui.printing import preview as print_actions
from pmqa_desktop.ui.tree_model import year_label

from print_helpers import pdftotext

# the offscreen platform plugin says this for every top-level dialog; not a program fault
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def select_year(qtbot, window, org: str, year_be: int):
    m = window.tree_model
    root = window.tree.rootIndex()
    org_i = next(m.index(r, 0, root) for r in range(m.rowCount(root)) if m.index(r, 0, root).data() == org)
    window.tree.expand(org_i)
    year_i = next(m.index(r, 0, org_i) for r in range(m.rowCount(org_i))
                  if m.index(r, 0, org_i).data() == year_label(year_be))
    window.tree.scrollTo(year_i)
    rect = window.tree.visualRect(year_i)
    qtbot.mouseClick(window.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.current_year_id()


def open_dialog(qtbot, window, form) -> print_actions.PreviewDialog:
    window.print_actions[form].trigger()
    dlg = window.findChild(print_actions.PreviewDialog, f"print_preview_{form}")
    assert dlg is not None
    qtbot.addWidget(dlg)
    dlg.wait_done()
    return dlg


def test_menu_has_every_form(window):
    names = {a.objectName() for a in window.menus["print"].actions()}
    assert {f"action_print_{f}" for f in FORMS} <= names


def test_preview_save_and_print(qtbot, window, tmp_path):
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    assert dlg.last_error == ""
    assert dlg.pages >= 1 and dlg.save_button.isEnabled()
    pix = dlg.view.pixmap()
    assert not pix.isNull() and pix.width() > 500
    # a page is really drawn (not a white image)
    img = pix.toImage()
    dark = sum(1 for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)
               if img.pixelColor(x, y).lightness() < 128)
    assert dark > 50
    out = dlg.save_pdf(str(tmp_path / "saved.pdf"))
    assert out and out.exists()
    assert "แนวทางการดำเนินงาน" in pdftotext(out) or "ลำดับ" in pdftotext(out)

    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert dlg.print_pages(printer)
    assert printed.exists() and printed.stat().st_size > 10000
    dlg.reject()


def test_plan_forms_choose_plan_and_round(qtbot, window):
    select_year(qtbot, window, "จังหวัดระยอง", 2553)
    dlg = open_dialog(qtbot, window, "progress")
    assert dlg.last_error == "" and dlg.pages >= 1
    all_pages = dlg.pages
    assert dlg.plan_box.count() >= 3          # "all plans" + the year's plans
    dlg.plan_box.setCurrentIndex(1)
    dlg.round_box.setCurrentIndex(0)         # 6 months: applied at once (no refresh button)
    qtbot.waitUntil(lambda: dlg._thread is not None, timeout=3000)
    dlg.wait_done()
    assert dlg.last_error == "" and 1 <= dlg.pages <= all_pages
    assert "รอบ 6 เดือน" in pdftotext(dlg.pdf_path)
    dlg.reject()


def test_settings_kept_and_cancel_leaves_nothing(qtbot, window):
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "weekly")
    dlg.digits_box.setChecked(True)
    dlg.refresh()
    dlg.cancel()
    dlg.wait_done()
    assert dlg.last_error == "cancelled"
    assert dlg.pdf_path is None and not dlg.save_button.isEnabled()
    assert list(Path(dlg._tmpdir.name).iterdir()) == []
    assert settings.get("print_thai_digits") == "1"
    dlg.refresh()
    dlg.wait_done()
    assert "หน้า ๑/" in pdftotext(dlg.pdf_path)
    dlg.reject()
