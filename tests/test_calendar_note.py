"""The operations calendar's footnote ("หมายเหตุ : รายละเอียดตามเอกสารแนบ ...", under the seed's table):
kept at import (text dump, Word, Excel), printed under the table (PDF, .xlsx, .docx), read back from
the exported workbook, carried by a roll-over, merged field by field like any other field, edited
in the window under the grid (saved on leaving, undoable)."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop.cli import main
from pmqa_desktop.core.errors import FileProblem
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage import Actor, Store, planning, schema
from gui_helpers import type_text
from office_files import seed_docx, seed_xlsx
from print_helpers import pdftotext

NOTE = "หมายเหตุ : รายละเอียดตามเอกสารแนบ เป็นแผนการดำเนินงานการพัฒนาคุณภาพการบริหารจัดการภาครัฐ (PMQA)"


def _year(store, org="จังหวัดราชบุรี", be=2554):
    return planning.find_year(store, planning.find_organisation(store, org)["id"], be)


def _note(db, org="จังหวัดราชบุรี", be=2554):
    store = Store.open(db)
    try:
        return _year(store, org, be)["calendar_note"]
    finally:
        store.close()


def test_the_seed_footnote_is_kept_and_printed_under_the_calendar(demo_db, tmp_path):
    assert _note(demo_db).startswith(NOTE)
    out = tmp_path / "cal.pdf"
    assert main(["print", "calendar", "--db", str(demo_db), "--year", "2554", "--out", str(out)]) == 0
    text = pdftotext(out)
    last_page = text.split("\f")[-2] if text.endswith("\f") else text.split("\f")[-1]
    flat = " ".join(last_page.split())
    # under the table: after its last step, on the last page
    assert "การตรวจประเมินจากผู้ตรวจประเมินภายนอก" in flat
    assert flat.index("การตรวจประเมินจากผู้ตรวจประเมินภายนอก") < flat.index("หมายเหตุ : รายละเอียดตามเอกสารแนบ")
    assert "ในแต่ละหัวข้อ ตามเกณฑ์ PMQA" in flat


@pytest.mark.parametrize("kind", ["txt", "docx", "xlsx"])
def test_import_keeps_the_footnote_from_text_word_and_excel(demo_db, tmp_path, seed_text, kind):
    if kind == "txt":
        src = tmp_path / "seed.txt"
        src.write_text(seed_text, encoding="utf-8")
    else:
        src = (seed_docx if kind == "docx" else seed_xlsx)(seed_text, tmp_path / f"seed.{kind}")
    assert main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2560",
                 "--org", "จังหวัดราชบุรี", "--year-anyway", str(src)]) == 0
    assert _note(demo_db, be=2560).startswith(NOTE)
    # importing the same file again does not write the note twice
    assert main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2560",
                 "--org", "จังหวัดราชบุรี", "--year-anyway", str(src)]) == 0
    assert _note(demo_db, be=2560).count("หมายเหตุ") == 1


def test_the_exports_hold_the_note_and_the_workbook_imports_it_back(demo_db, tmp_path):
    import docx
    import openpyxl
    store = Store.open(demo_db)
    try:
        planning.set_calendar_note(store, _year(store)["id"], "ดูรายละเอียดในภาคผนวก ก")
    finally:
        store.close()
    xlsx, docx_path = tmp_path / "cal.xlsx", tmp_path / "cal.docx"
    for out in (xlsx, docx_path):
        assert main(["print", "calendar", "--db", str(demo_db), "--year", "2554", "--out", str(out)]) == 0
    cells = [c.value for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row if c.value]
    assert cells[-1] == "หมายเหตุ : ดูรายละเอียดในภาคผนวก ก"
    paras = [p.text for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    assert paras[-1] == "หมายเหตุ : ดูรายละเอียดในภาคผนวก ก"
    assert main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2561",
                 "--org", "จังหวัดราชบุรี", "--year-anyway", str(xlsx)]) == 0
    assert _note(demo_db, be=2561) == "หมายเหตุ : ดูรายละเอียดในภาคผนวก ก"
    # and what it prints is what the first year printed
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    main(["print", "calendar", "--db", str(demo_db), "--year", "2554", "--out", str(a)])
    main(["print", "calendar", "--db", str(demo_db), "--year", "2561", "--out", str(b)])
    assert "หมายเหตุ : ดูรายละเอียดในภาคผนวก ก" in pdftotext(a) and "หมายเหตุ : ดูรายละเอียดในภาคผนวก ก" in pdftotext(b)


def test_rollover_copies_the_note_with_its_year_moved(demo_store):
    y = _year(demo_store)
    planning.set_calendar_note(demo_store, y["id"], "หมายเหตุ : ส่งรายงานภายใน 31 มี.ค. 54")
    new = planning.roll_over(demo_store, y["id"])
    assert demo_store.get("fiscal_year", new)["calendar_note"] == "หมายเหตุ : ส่งรายงานภายใน 31 มี.ค. 55"


# ---------------------------------------------------------------- sharing

def test_the_note_merges_field_by_field_and_keeps_its_history(demo_db, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(demo_db, a)
    shutil.copy(demo_db, b)
    sa, sb = Store.open(a, Actor("office-A", "A")), Store.open(b, Actor("office-B", "B"))
    try:
        yid = _year(sa)["id"]
        planning.set_calendar_note(sa, yid, "หมายเหตุ : ฉบับของสำนักงาน ก")
        sb.update("fiscal_year", yid, {"calendar_title": "ปฏิทินฉบับแก้ไข"})
        sb.close()
        report = merge(sa, b, backup=False)
        assert report.applied
        y = sa.get("fiscal_year", yid)
        # each side changed another field: both edits stay
        assert (y["calendar_note"], y["calendar_title"]) == ("หมายเหตุ : ฉบับของสำนักงาน ก", "ปฏิทินฉบับแก้ไข")
        assert any((h["data"] or {}).get("calendar_note", "").startswith(NOTE) for h in sa.history_of("fiscal_year", yid))
    finally:
        sa.close()


def test_a_note_that_is_not_text_is_refused_by_the_merge(demo_db, tmp_path):
    bad = tmp_path / "bad.db"
    shutil.copy(demo_db, bad)
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE fiscal_year SET calendar_note = x'00ff', rev = 'r-bad', updated_at = '2030-01-01T00:00:00Z'")
    conn.commit()
    conn.close()
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        with pytest.raises(FileProblem) as err:
            merge(store, bad, backup=False)
        assert "calendar_note" in err.value.detail   # the column named for the clerk's support
        assert _year(store)["calendar_note"].startswith(NOTE)
    finally:
        store.close()


def _version_2_file(path):
    """A file as the version-2 program left it (no calendar_note column)."""
    conn = sqlite3.connect(path)
    for v in range(2):
        schema.MIGRATIONS[v](conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("INSERT INTO meta VALUES ('file_id', 'v2-file'), ('created_at', '2025-01-01T00:00:00Z')")
    conn.execute("INSERT INTO organisation (id, rev, updated_at, name, province) VALUES "
                 "('o-nan', 'r1', '2025-01-01T00:00:00.000000Z', 'จังหวัดน่าน', 'น่าน')")
    conn.execute("INSERT INTO fiscal_year (id, rev, updated_at, org_id, year_be, calendar_start, weekly_start, "
                 "calendar_title) VALUES ('y-nan', 'r2', '2025-01-01T00:00:00.000000Z', 'o-nan', 2556, '2012-10', "
                 "'2012-10', 'ปฏิทินน่าน')")
    conn.commit()
    conn.close()
    return path


def test_a_version_2_file_merges_in_and_is_taken_forward_on_open(demo_db, tmp_path):
    old = _version_2_file(tmp_path / "old.db")
    data = old.read_bytes()
    store = Store.open(demo_db, Actor("province", "clerk"))
    try:
        assert merge(store, old, backup=False).applied
        y = store.get("fiscal_year", "y-nan")
        assert y["calendar_title"] == "ปฏิทินน่าน" and y["calendar_note"] == ""
    finally:
        store.close()
    assert old.read_bytes() == data   # only its private copy was brought forward
    assert main(["check", str(old)]) == 0
    # and with the other files of a folder
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(old, folder / "nan.db")
    again = tmp_path / "again.db"
    shutil.copy(demo_db, again)
    assert main(["merge", "--db", str(again), "--folder", str(folder)]) == 0
    assert _note(again, "จังหวัดน่าน", 2556) == ""
    opened = Store.open(old)
    try:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert opened.get("fiscal_year", "y-nan")["calendar_note"] == ""
    finally:
        opened.close()


# ---------------------------------------------------------------- the window

def test_the_note_is_edited_under_the_calendar_saved_on_leaving_and_undoable(qtbot, window):
    w = window
    yid = _year(w.store)["id"]
    w.select_key(("calendar", yid))
    w.activateWindow()
    qtbot.waitActive(w)
    field = w.calendar_view.note.edit
    assert field.isVisible() and field.text().startswith(NOTE)
    qtbot.mouseClick(field, Qt.LeftButton)
    field.selectAll()
    type_text(field, "หมายเหตุ : แก้ไขตามมติที่ประชุม", qtbot)
    qtbot.keyClick(field, Qt.Key_Tab)
    assert w.store.get("fiscal_year", yid)["calendar_note"] == "หมายเหตุ : แก้ไขตามมติที่ประชุม"
    assert w.statusBar().currentMessage().startswith("บันทึกแล้ว")
    assert w.undo_stack.count() == 1
    w.action_undo.trigger()
    assert w.store.get("fiscal_year", yid)["calendar_note"].startswith(NOTE)
    assert field.text().startswith(NOTE)
    w.action_redo.trigger()
    assert field.text() == "หมายเหตุ : แก้ไขตามมติที่ประชุม"


def test_a_version_2_file_opened_read_only_prints_and_shows_its_history(tmp_path):
    from pmqa_desktop.core.sharing import history
    from pmqa_desktop.printing.render import PrintSettings, print_to_pdf, resolve
    old = _version_2_file(tmp_path / "old.db")
    data = old.read_bytes()
    store = Store.open(old, read_only=True)
    try:
        assert [v["data"]["calendar_title"] for v in history.row_history(store, "fiscal_year", "y-nan")] \
            == ["ปฏิทินน่าน"]
        req = resolve(store, "calendar", 2556, "จังหวัดน่าน", None, None)
        print_to_pdf(store, req, tmp_path / "cal.pdf", PrintSettings(font="laksaman").options())
        assert "ปฏิทินน่าน" in pdftotext(tmp_path / "cal.pdf")
    finally:
        store.close()
    assert old.read_bytes() == data
