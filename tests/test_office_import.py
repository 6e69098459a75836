"""Word (.docx) and Excel (.xlsx) tables imported directly, built here the way Word and Excel
build them (office_files): merged header cells, activities merged across weeks, หมวด merged down
its rows, several tables, a footnote; and bad files refused with nothing changed."""
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from office_files import empty_run_merges, seed_docx, seed_xlsx, word_table
from pmqa_desktop.cli import main
from pmqa_desktop.core.errors import UserError
from pmqa_desktop.core.importers import schedule_import
from pmqa_desktop.core.importers.sources import (parse_source, read_source, remove_wrap_spaces, unwrap,
                                                 wrap_fixes)
from pmqa_desktop.core.importers.xlsx_tables import cell_text
from pmqa_desktop.core.thai_calendar import MonthKey, parse_cell_date
from pmqa_desktop.i18n import _


def steps_of(prev):
    return [(s.number, s.text, dict(s.cells), s.remark) for s in prev.steps]


@pytest.mark.parametrize("build", [seed_docx, seed_xlsx])
def test_seed_calendar_reads_as_the_text_dump_does(tmp_path, seed_text, build):
    path = build(seed_text, tmp_path / ("seed" + (".docx" if build is seed_docx else ".xlsx")))
    got = parse_source("calendar", read_source(path))
    want = schedule_import.parse_calendar(seed_text)
    assert steps_of(got) == steps_of(want) and len(got.steps) == 18
    assert got.title == want.title and got.province == "ราชบุรี" and got.year_be == 2554
    assert [m.key for m in got.months] == [m.key for m in want.months]
    assert got.footnotes and got.footnotes[0].startswith("หมายเหตุ : รายละเอียดตามเอกสารแนบ")
    assert not got.errors


@pytest.mark.parametrize("build", [seed_docx, seed_xlsx])
def test_activities_merged_across_weeks_keep_their_span(tmp_path, seed_text, build):
    path = build(seed_text, tmp_path / ("w" + (".docx" if build is seed_docx else ".xlsx")),
                 body_merges=empty_run_merges)
    got = parse_source("weekly", read_source(path))
    text = schedule_import.parse_weekly(seed_text)
    assert [r.code for r in got.rows] == [r.code for r in text.rows]
    assert [r.category for r in got.rows] == [r.category for r in text.rows]
    # the same activities in the same weeks; a merged cell spans the weeks it covers (up to the next text)
    for g, t in zip(got.rows, text.rows):
        assert [(a.month, a.week, a.text) for a in g.activities] == [(a.month, a.week, a.text) for a in t.activities]
    ld1 = got.rows[0]
    assert [a.span for a in ld1.activities][:3] == [4, 4, 4]
    assert all(a.span == 1 for r in text.rows for a in r.activities)


def test_word_category_merged_down_and_gridbefore(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    doc = docx.Document()
    doc.add_paragraph("แผนการดำเนินงานการพัฒนาคุณภาพการบริหารจัดการภาครัฐ (PMQA) จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555")
    rows = [["หมวด", "รหัส", "ม.ค.55", "", "", "", "ก.พ.55", "", "", ""],
            ["", "", "W1", "W2", "W3", "W4", "W1", "W2", "W3", "W4"],
            ["1", "LD 1 ทิศทาง", "ประชุม", "", "", "", "", "", "รายงาน", ""],
            ["", "LD 2 การมอบ อำนาจ", "", "มอบอำนาจ", "", "", "", "", "", ""],
            ["", "LD 3 เรียนรู้", "", "", "", "", "", "", "", ""],
            ["2", "SP 1 แผน", "", "", "", "", "", "", "", ""]]
    t = word_table(doc, rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 5), (0, 6, 0, 9), (2, 0, 4, 0),
                               (2, 2, 2, 7), (3, 3, 3, 4)])
    # a row Word shifted right by gridBefore: its first grid column has no cell
    tr = t.rows[5]._tr
    first_tc = tr.tc_lst[0]
    tr.remove(first_tc)
    trpr = tr.get_or_add_trPr()
    gb = OxmlElement("w:gridBefore")
    gb.set(qn("w:val"), "1")
    trpr.insert(0, gb)
    doc.add_paragraph("หมายเหตุ : ตามแผน")
    path = tmp_path / "weekly.docx"
    doc.save(str(path))
    prev = parse_source("weekly", read_source(path))
    assert not prev.errors, prev.errors
    assert prev.province == "น่าน" and prev.year_be == 2555
    assert [(r.category, r.code) for r in prev.rows] == [("1", "LD1"), ("1", "LD2"), ("1", "LD3"), ("1", "SP1")]
    assert [(a.month, a.week, a.span, a.text) for a in prev.rows[0].activities] == [
        ("2012-01", 1, 6, "ประชุม"), ("2012-02", 3, 1, "รายงาน")]
    assert [(a.week, a.span) for a in prev.rows[1].activities] == [(2, 2)]


def test_tracked_changes_and_nested_tables_are_read_and_reported(tmp_path):
    import docx
    from docx.oxml import parse_xml
    doc = docx.Document()
    doc.add_paragraph("ปฏิทินในการดำเนินงาน จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555")
    rows = [["ลำดับ", "แนวทางการดำเนินงาน", "ระยะเวลา", "", "หมายเหตุ"], ["", "", "ต.ค.54", "พ.ย.54", ""],
            ["1", "ประชุม", "5 ต.ค. 54", "", ""], ["2", "รายงาน", "", "", ""]]
    t = word_table(doc, rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)])
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = t.cell(3, 1).paragraphs[0]._p
    p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="a" w:date="2012-01-01T00:00:00Z"><w:r><w:delText>ผล'
                       f'</w:delText></w:r></w:del>'))
    p.append(parse_xml(f'<w:ins {ns} w:id="2" w:author="a" w:date="2012-01-01T00:00:00Z"><w:r><w:t>ผลรอบ 6'
                       f'</w:t></w:r></w:ins>'))
    inner = t.cell(3, 3).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "18 พ.ย.", "29 พ.ย."
    path = tmp_path / "cal.docx"
    doc.save(str(path))
    prev = parse_source("calendar", read_source(path))
    assert [s.text for s in prev.steps] == ["ประชุม", "รายงานผลรอบ 6"]
    assert prev.steps[1].cells == {"2011-11": "18 พ.ย. 29 พ.ย."}
    msgs = [p.message for p in prev.problems]
    assert _("The document has tracked changes; it was read with them accepted (insertions kept, deletions "
             "left out).") in msgs
    nested = [p for p in prev.problems if p.message.startswith(_("A table inside a cell ({where}) was read as the "
                                                                 "cell's text: {text}").split("(")[0])]
    assert nested and nested[0].where == _("table {t}, row {r}").format(t=1, r=4)


def test_excel_dates_become_the_text_a_clerk_types(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "ปฏิทินในการดำเนินงาน จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555"
    ws.append([])
    ws.append(["ลำดับ", "แนวทางการดำเนินงาน", "ระยะเวลา", None, None, "หมายเหตุ"])
    ws.append([None, None, "ต.ค.54", "ก.พ.", "มี.ค.", None])
    ws.append([1, "ประชุม", dt.datetime(2011, 10, 31), None, dt.date(2012, 3, 31), "ตามแผน"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("C3:E3")
    ws.merge_cells("F3:F4")
    wb.create_sheet("อื่น")["A1"] = "อย่างอื่น"
    path = tmp_path / "cal.xlsx"
    wb.save(str(path))
    with pytest.raises(UserError):          # two sheets hold something: the clerk chooses
        read_source(path)
    src = read_source(path, sheet="Sheet")
    assert src.sheets == ["Sheet", "อื่น"]
    prev = parse_source("calendar", src)
    assert prev.steps[0].cells == {"2011-10": "31 ต.ค. 54", "2012-03": "31 มี.ค. 55"}
    assert prev.steps[0].remark == "ตามแผน"


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_any_excel_date_reads_back_as_itself(day):
    text, be = cell_text(day)
    got = parse_cell_date(text, MonthKey(day.year, day.month))
    assert not be and got.kind == "day" and got.month == MonthKey(day.year, day.month) and got.days[0] == day.day


def test_wrap_spaces_are_offered_never_removed_silently(tmp_path, seed_text):
    path = seed_docx(seed_text, tmp_path / "s.docx")
    prev = parse_source("weekly", read_source(path))
    fixes = wrap_fixes(prev)
    assert fixes and all(old != new for old, new in fixes)
    texts = lambda: {a.text for r in prev.rows for a in r.activities}
    assert {old for old, _new in fixes} & texts()           # the preview keeps them as written
    n = remove_wrap_spaces(prev)
    assert n >= len(fixes) and not wrap_fixes(prev)
    assert not {old for old, _new in fixes} & texts()
    assert {new for _old, new in fixes} & texts()
    assert unwrap("แนว ทางการ") == "แนวทางการ"
    assert unwrap("ประชุมชี้แจง เพื่อสร้างความเข้าใจ") == "ประชุมชี้แจง เพื่อสร้างความเข้าใจ"
    # การ/ความ and the word after them are one noun, though the word list leaves such phrases out
    assert unwrap("จัดทำ สรุปผลการ ควบคุม ภายใน") == "จัดทำ สรุปผลการควบคุม ภายใน"
    assert unwrap("สร้างความ เข้าใจ") == "สร้างความเข้าใจ"


@pytest.mark.parametrize("name,content,needle", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".docx"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
    ("cut.docx", None, ""),
    ("cut.xlsx", None, ""),
    ("foreign.docx", "zip-other", ""),
])
def test_bad_files_are_refused_and_nothing_changes(tmp_path, demo_db, capsys, seed_text, name, content, needle):
    path = tmp_path / name
    if content is None:      # a download cut short
        good = (seed_docx if name.endswith("docx") else seed_xlsx)(seed_text, tmp_path / ("g" + path.suffix))
        path.write_bytes(good.read_bytes()[:3000])
    elif content == "zip-other":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a document")
    else:
        path.write_bytes(content)
    before = demo_db.read_bytes()
    rc = main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2554", str(path)])
    err = capsys.readouterr().err
    assert rc == 1 and err.strip() and "Traceback" not in err
    assert needle in err
    assert demo_db.read_bytes() == before


def test_a_table_of_another_shape_is_refused(tmp_path, demo_db, capsys):
    import docx
    doc = docx.Document()
    doc.add_paragraph("รายชื่อ")
    word_table(doc, [["ชื่อ", "โทร"], ["สมชาย", "0812345678"]])
    path = tmp_path / "other.docx"
    doc.save(str(path))
    before = demo_db.read_bytes()
    for kind in ("calendar", "weekly", "devplan", "catalog"):
        rc = main(["import", "--db", str(demo_db), "--kind", kind, "--year", "2554", str(path)])
        assert rc == 1, kind
    assert "Traceback" not in capsys.readouterr().err
    assert demo_db.read_bytes() == before


def test_import_text_still_works(tmp_path, seeds_dir):
    db = tmp_path / "t.db"
    rc = main(["import-text", "--db", str(db), "--kind", "calendar", "--year", "2554",
               str(next(seeds_dir.glob("*.txt")).parent / "000_395ec6b56e446c56.txt")
               if (seeds_dir / "000_395ec6b56e446c56.txt").exists()
               else str(seeds_dir / "ratchaburi_2554_calendar_weekly.txt")])
    assert rc == 0


def test_cells_that_only_look_merged_are_reported(tmp_path, english):
    import docx
    from docx.oxml import parse_xml
    doc = docx.Document()
    doc.add_paragraph("แผนการดำเนินงาน (PMQA) จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555")
    rows = [["หมวด", "รหัส", "ม.ค.55", "", "", ""], ["", "", "W1", "W2", "W3", "W4"],
            ["1", "LD 1 ทิศทาง", "ประชุม", "", "", ""]]
    t = word_table(doc, rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 5)])
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for c in (3, 4):   # the clerk hid the borders instead of merging
        tcpr = t.cell(2, c)._tc.get_or_add_tcPr()
        tcpr.append(parse_xml(f'<w:tcBorders {ns}><w:left w:val="nil"/></w:tcBorders>'))
    path = tmp_path / "looks.docx"
    doc.save(str(path))
    prev = parse_source("weekly", read_source(path))
    assert [(a.week, a.span) for a in prev.rows[0].activities] == [(1, 1)]   # not guessed into a span
    notes = [p.message for p in prev.problems if "look merged" in p.message]
    assert notes and "2 empty cells" in notes[0] and "table 1, row 3" in notes[0]


def test_cli_sheet_choice(tmp_path, seed_text, capsys):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"] = "ปก"
    seed_xlsx(seed_text, None, sheet="ปฏิทิน", wb=wb)
    path = tmp_path / "two.xlsx"
    wb.save(str(path))
    db = tmp_path / "t.db"
    assert main(["import", "--db", str(db), "--kind", "calendar", "--year", "2554", str(path)]) == 1
    assert "ปฏิทิน" in capsys.readouterr().err and not db.exists()
    assert main(["import", "--db", str(db), "--kind", "calendar", "--year", "2554", "--sheet", "ปฏิทิน",
                 str(path)]) == 0
    assert main(["import", "--db", str(db), "--kind", "calendar", "--year", "2554", "--sheet", "ไม่มี",
                 str(path)]) == 1


def test_a_document_without_a_table_is_refused(tmp_path, demo_db):
    import docx
    doc = docx.Document()
    doc.add_paragraph("ปฏิทินในการดำเนินงาน จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555")
    doc.add_paragraph("ลำดับ แนวทางการดำเนินงาน ต.ค. พ.ย.")
    path = tmp_path / "text.docx"
    doc.save(str(path))
    before = demo_db.read_bytes()
    assert main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2555", str(path)]) == 1
    assert demo_db.read_bytes() == before


def _calendar_with_formulas(path, cached: bool):
    """A calendar sheet whose month cells are formulas, as a program writes them (no saved value)
    or as Excel saves them (the value saved beside the formula)."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ปฏิทิน"
    ws["A1"] = "ปฏิทินในการดำเนินงาน จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555"
    ws.append([])
    ws.append(["ลำดับ", "แนวทางการดำเนินงาน", "ระยะเวลา", None, "หมายเหตุ"])
    ws.append([None, None, "ต.ค.54", "พ.ย.54", None])
    ws.append([1, "ประชุม", '="31 ต.ค. "&"54"', None, "ตามแผน"])
    ws.append([2, "ติดตาม", None, '=IF(TRUE,"ทุกวันพุธ","")', ""])
    ws.merge_cells("C3:D3")
    wb.save(str(path))
    if cached:   # what Excel writes: the formula and its last value
        import shutil
        tmp = path.with_name("x" + path.name)
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if item.filename.endswith("sheet1.xml"):
                    data = data.replace(b'<c r="C5"><f>', b'<c r="C5" t="str"><f>', 1)
                    data = data.replace(b'<c r="D6"><f>', b'<c r="D6" t="str"><f>', 1)
                    parts = data.split(b"<v></v>")
                    assert len(parts) == 3
                    data = parts[0] + "<v>31 ต.ค. 54</v>".encode() + parts[1] + "<v>ทุกวันพุธ</v>".encode() + parts[2]
                zout.writestr(item, data)
        shutil.move(tmp, path)
    return path


def test_formulas_without_a_saved_value_are_rows_that_cannot_be_read(tmp_path, demo_db, capsys):
    path = _calendar_with_formulas(tmp_path / "f.xlsx", cached=False)
    prev = parse_source("calendar", read_source(path))
    errors = [p for p in prev.errors if "C5" in p.where or "D6" in p.where]
    assert len(errors) == 2 and "ชีต ปฏิทิน" in errors[0].where, prev.problems
    assert "สูตร" in errors[0].message
    before = demo_db.read_bytes()
    rc = main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2555", str(path)])
    err = capsys.readouterr().err
    assert rc == 1 and "C5" in err and "D6" in err and "Traceback" not in err
    assert demo_db.read_bytes() == before


def test_formulas_without_a_saved_value_in_english(tmp_path, english):
    path = _calendar_with_formulas(tmp_path / "f.xlsx", cached=False)
    prev = parse_source("calendar", read_source(path))
    msgs = [f"{p.where}: {p.message}" for p in prev.errors]
    assert any("sheet ปฏิทิน, cell C5" in m and "formula" in m and "saved value" in m for m in msgs), msgs


def test_formulas_with_their_saved_value_read_as_that_value(tmp_path):
    path = _calendar_with_formulas(tmp_path / "f.xlsx", cached=True)
    prev = parse_source("calendar", read_source(path))
    assert not prev.errors, prev.problems
    assert prev.steps[0].cells == {"2011-10": "31 ต.ค. 54"}
    assert prev.steps[1].cells == {"2011-11": "ทุกวันพุธ"}


def _openpyxl_texts(path):
    """The cells as openpyxl's full (slow) reader gives them, through the same cell_text."""
    import openpyxl
    ws = openpyxl.load_workbook(str(path), data_only=True).active
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and not isinstance(c, openpyxl.cell.cell.MergedCell):
                out[(c.row, c.column)] = cell_text(c.value, c.number_format)[0]
    return out


def _our_texts(path):
    from pmqa_desktop.core.importers.xlsx_tables import read_workbook
    lines, problems, _sheets = read_workbook(path)
    return {(ln.number, k + 1): t for ln in lines for k, t in enumerate(ln.cells) if t}, problems


def test_the_sheet_reader_agrees_with_openpyxl_on_a_workbook_an_office_suite_saved():
    """Shared strings, styles with number formats (%, #,##0), dates, booleans, formulas with their
    saved values, a merged range: as LibreOffice (like Excel) writes them."""
    path = Path(__file__).parent / "data" / "office_suite_saved.xlsx"
    with zipfile.ZipFile(path) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    ours, problems = _our_texts(path)
    assert ours == _openpyxl_texts(path)
    assert not [p for p in problems if p.severity == "error"]
    assert ours[(2, 2)] == "72.5%" and ours[(2, 3)] == "150,000" and ours[(2, 7)] == "2"
    assert ours[(3, 7)] == "ทุกวันพุธ" and ours[(2, 4)] == "31 มี.ค. 55"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(
    st.none(), st.text(alphabet="กขคงabc 12\n", max_size=8), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))), min_size=1, max_size=5),
    min_size=1, max_size=5), st.sampled_from(["General", "0%", "#,##0", "#,##0.00", "0.00"]))
def test_the_sheet_reader_agrees_with_openpyxl_on_any_cells(tmp_path_factory, rows, fmt):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append([v if not isinstance(v, str) or v.strip() else None for v in r])
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = fmt
    path = tmp_path_factory.mktemp("x") / "any.xlsx"
    wb.save(str(path))
    assert _our_texts(path)[0] == _openpyxl_texts(path)


@pytest.mark.parametrize("ext,part", [(".xlsx", "xl/worksheets/sheet1.xml"), (".docx", "word/document.xml"),
                                      (".xlsx", "xl/styles.xml")])
def test_damaged_data_inside_the_zip_is_refused(tmp_path, demo_db, capsys, seed_text, ext, part):
    """The zip's directory is whole but a part's packed bytes are damaged (a bad sector, a cut
    e-mail attachment repaired by a tool): refused with a sentence, nothing changed."""
    good = (seed_docx if ext == ".docx" else seed_xlsx)(seed_text, tmp_path / ("g" + ext))
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo(part)
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    data[at:at + info.compress_size] = b"\xff" * info.compress_size   # a deflate block of a type that does not exist
    path = tmp_path / ("damaged" + ext)
    path.write_bytes(bytes(data))
    before = demo_db.read_bytes()
    rc = main(["import", "--db", str(demo_db), "--kind", "calendar", "--year", "2554", str(path)])
    err = capsys.readouterr().err
    assert rc == 1 and "damaged" + ext in err and "Traceback" not in err
    assert demo_db.read_bytes() == before


def _delete_row_tracked(table, r: int) -> None:
    """What Word keeps when a row is deleted with Track Changes on: the row stays, marked deleted
    (w:trPr/w:del), its text moved into w:del runs (w:delText)."""
    from docx.oxml import parse_xml
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tr = table.rows[r]._tr
    tr.get_or_add_trPr().append(parse_xml(f'<w:del {ns} w:id="9" w:author="a" w:date="2012-01-01T00:00:00Z"/>'))
    for cell in table.rows[r].cells:
        for p in cell.paragraphs:
            text = p.text
            for run in list(p._p.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")):
                p._p.remove(run)
            if text:
                p._p.append(parse_xml(f'<w:del {ns} w:id="10" w:author="a" w:date="2012-01-01T00:00:00Z"><w:r>'
                                      f'<w:delText>{text}</w:delText></w:r></w:del>'))


def test_a_row_deleted_with_tracked_changes_is_left_out(tmp_path):
    """A step deleted with Track Changes on is not imported, and the steps after it still are
    (the empty row it leaves must not end the table)."""
    import docx
    doc = docx.Document()
    doc.add_paragraph("ปฏิทินในการดำเนินงาน จังหวัดน่าน ประจำปีงบประมาณ พ.ศ. 2555")
    rows = [["ลำดับ", "แนวทางการดำเนินงาน", "ระยะเวลา", "", "หมายเหตุ"], ["", "", "ต.ค.54", "พ.ย.54", ""],
            ["1", "ประชุม", "5 ต.ค. 54", "", ""], ["2", "ยกเลิกแล้ว", "", "9 พ.ย. 54", ""],
            ["3", "รายงาน", "", "30 พ.ย. 54", "ตามแผน"]]
    t = word_table(doc, rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)])
    _delete_row_tracked(t, 3)
    path = tmp_path / "cal.docx"
    doc.save(str(path))
    prev = parse_source("calendar", read_source(path))
    assert [s.text for s in prev.steps] == ["ประชุม", "รายงาน"]
    assert prev.steps[1].cells == {"2011-11": "30 พ.ย. 54"} and prev.steps[1].remark == "ตามแผน"
    assert any(_("The document has tracked changes; it was read with them accepted (insertions kept, deletions "
                 "left out).") == p.message for p in prev.problems)
