"""The import dialog with Word and Excel files (sheet choice, wrap spaces offered, bad files
refused) and the print dialog's choice of an Excel or Word file, through the real widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from office_files import empty_run_merges, seed_xlsx
from pmqa_desktop.core.demo import read_seed
from pmqa_desktop.core.storage import planning
from pmqa_desktop.resources import SEED_CALENDAR_WEEKLY
from gui_helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def year_of(store, org, be):
    return planning.find_year(store, planning.find_organisation(store, org)["id"], be)


def choose(qtbot, combo, data):
    """Pick an entry of a combo box with the keyboard, as a clerk does."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Home)
    for _i in range(combo.count()):
        if combo.currentData() == data:
            break
        qtbot.keyClick(combo, Qt.Key_Down)
    assert combo.currentData() == data


def two_sheet_workbook(tmp_path):
    import openpyxl
    text = read_seed(SEED_CALENDAR_WEEKLY)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "สรุป"                  # a cover sheet a clerk keeps in front
    wb.active.title = "ปก"
    seed_xlsx(text, None, sheet="แผนรายสัปดาห์", body_merges=empty_run_merges, wb=wb)
    path = tmp_path / "plan.xlsx"
    wb.save(str(path))
    return path


def test_import_an_excel_sheet_chosen_with_wrap_spaces_removed(qtbot, window, tmp_path):
    path = two_sheet_workbook(tmp_path)
    window.action_import.trigger()
    dlg = window.last_dialog
    choose(qtbot, dlg.kind, "weekly")
    type_text(dlg.path, str(path), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.sheet.isVisible() and [dlg.sheet.itemText(i) for i in range(dlg.sheet.count())] == \
        ["ปก", "แผนรายสัปดาห์"]
    assert not dlg.import_button.isEnabled()          # the cover sheet holds no weekly plan
    dlg.sheet.setFocus()
    qtbot.keyClick(dlg.sheet, Qt.Key_Down)
    dlg.sheet.activated.emit(dlg.sheet.currentIndex())   # what a keyboard choice in a popup sends
    assert dlg.table.rowCount() == 39 and dlg.import_button.isEnabled()
    # the wrap spaces are offered, not applied until the clerk ticks the box
    assert dlg.join_wrapped.isVisible() and not dlg.join_wrapped.isChecked()
    ld6 = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 1).text().startswith("LD6"))
    texts = lambda: " ".join(dlg.table.item(ld6, c).text() for c in range(2, dlg.table.columnCount())
                             if dlg.table.item(ld6, c))
    assert "สรุปผลการ ควบคุม ภายใน" in texts()
    qtbot.mouseClick(dlg.join_wrapped, Qt.LeftButton, pos=dlg.join_wrapped.rect().center())
    assert dlg.join_wrapped.isChecked()
    # a space inside a word (การ|ควบคุม) goes; one between words (ควบคุม ภายใน) stays
    assert "สรุปผลการควบคุม ภายใน" in texts()
    dlg.org.setCurrentIndex(dlg.org.findText("จังหวัดระยอง"))
    dlg.year.selectAll()
    qtbot.keyClicks(dlg.year, "2557")
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    # the workbook names 2554: the dialog asks first, and the clerk imports into 2557 anyway
    from PySide6.QtWidgets import QPushButton
    qtbot.mouseClick(dlg.year_question.findChild(QPushButton, "import_year_anyway"), Qt.LeftButton)
    assert not dlg.isVisible()
    rows = planning.weekly_rows(window.store, year_of(window.store, "จังหวัดระยอง", 2557)["id"])
    assert len(rows) == 39 and max(a["span"] for r in rows for a in r["activities"]) == 4
    assert window.undo_stack.count() == 1
    window.action_undo.trigger()
    assert year_of(window.store, "จังหวัดระยอง", 2557) is None


def test_old_word_file_is_refused_in_the_dialog(qtbot, window, tmp_path):
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    window.action_import.trigger()
    dlg = window.last_dialog
    type_text(dlg.path, str(old), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.error.isVisible() and ".docx" in dlg.error.text()
    assert not dlg.import_button.isEnabled() and dlg.table.rowCount() == 0


def test_print_dialog_saves_excel_and_word(qtbot, window, tmp_path):
    import docx
    import openpyxl
    from test_print_gui import open_dialog, select_year
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    choose(qtbot, dlg.format_box, ".xlsx")
    assert "Excel" in dlg.save_button.text()
    out = dlg.save_as(str(tmp_path / "cal"))
    assert out == tmp_path / "cal.xlsx"
    ws = openpyxl.load_workbook(out).active
    values = [c.value for r in ws.iter_rows() for c in r if c.value]
    assert any(str(v).startswith("ประชุมชี้แจง") for v in values)
    choose(qtbot, dlg.format_box, ".docx")
    out = dlg.save_as(str(tmp_path / "cal.docx"))
    d = docx.Document(str(out))
    assert len(d.tables[0].rows) == 2 + 18


def test_formulas_without_saved_values_are_listed_and_block_the_import(qtbot, window, tmp_path):
    """A workbook a program wrote (formulas, no saved values): the preview names each such cell
    by sheet and cell, and nothing can be imported."""
    from test_office_import import _calendar_with_formulas
    path = _calendar_with_formulas(tmp_path / "f.xlsx", cached=False)
    window.action_import.trigger()
    dlg = window.last_dialog
    choose(qtbot, dlg.kind, "calendar")
    type_text(dlg.path, str(path), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    texts = [dlg.problems.item(i).text() for i in range(dlg.problems.count())]
    assert any("ชีต ปฏิทิน เซลล์ C5" in t and "สูตร" in t for t in texts), texts
    assert any("เซลล์ D6" in t for t in texts)
    assert not dlg.import_button.isEnabled()


def test_import_a_rounds_progress_report_in_the_dialog(qtbot, window, tmp_path):
    """A round's progress report exported, the round's results then lost in the file: importing the
    report through the dialog brings them back in one undoable step."""
    from pmqa_desktop.cli import main
    from pmqa_desktop.core.storage import devplan as dp
    out = tmp_path / "progress9.xlsx"
    db = window.store.path
    assert main(["print", "progress", "--db", str(db), "--year", "2553", "--org", "จังหวัดระยอง", "--round", "9",
                 "--out", str(out)]) == 0
    year = year_of(window.store, "จังหวัดระยอง", 2553)
    kpis = [k for p in dp.plans(window.store, year["id"]) for k in dp.kpis(window.store, p["id"])]
    before = {k["id"]: (dp.kpi_results(window.store, k["id"]).get(9) or {}).get("actual") for k in kpis}
    assert any(v is not None for v in before.values())
    for k in kpis:
        dp.clear_kpi_result(window.store, k["id"], 9)
    window.action_import.trigger()
    dlg = window.last_dialog
    choose(qtbot, dlg.kind, "progress")
    type_text(dlg.path, str(out), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.table.rowCount() > len(kpis) and dlg.import_button.isEnabled()
    dlg.org.setCurrentIndex(dlg.org.findText("จังหวัดระยอง"))
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    assert not dlg.isVisible()
    after = {k["id"]: (dp.kpi_results(window.store, k["id"]).get(9) or {}).get("actual") for k in kpis}
    assert after == before
    window.action_undo.trigger()
    assert all((dp.kpi_results(window.store, k["id"]).get(9) or {}).get("actual") is None for k in kpis)


def test_print_dialog_save_button_offers_a_named_excel_file(qtbot, window, tmp_path, monkeypatch):
    """Save with Excel chosen: the file dialog offers the form's name with the organisation and
    year and the .xlsx ending (as for a PDF), and the file written is a workbook."""
    import openpyxl
    from PySide6.QtWidgets import QFileDialog
    from test_print_gui import open_dialog, select_year
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    dlg = open_dialog(qtbot, window, "calendar")
    choose(qtbot, dlg.format_box, ".xlsx")
    offered = []

    def fake_save(parent, caption, start, filters):
        offered.append((start, filters))
        return str(tmp_path / "ปฏิทิน"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    start, filters = offered[0]
    assert start.endswith("จังหวัดราชบุรี_2554.xlsx") and "*.xlsx" in filters
    ws = openpyxl.load_workbook(tmp_path / "ปฏิทิน.xlsx").active
    assert any(str(c.value).startswith("ประชุมชี้แจง") for r in ws.iter_rows() for c in r if c.value)
