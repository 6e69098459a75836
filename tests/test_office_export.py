"""Every grid form exported to .xlsx and .docx from the demo database: the .xlsx imports back
into an empty file equal to the original (calendar, weekly plan, catalog with its owners), the
.docx holds every row, multi-week activities are merged cells, the font is TH SarabunPSK."""
from __future__ import annotations

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Actor, Store

FONT = "TH SarabunPSK"


def export(db, form, year, out, org=None):
    args = ["print", form, "--db", str(db), "--year", str(year), "--out", str(out)]
    if org:
        args += ["--org", org]
    assert main(args) == 0
    assert out.exists() and not out.with_name(out.name + ".part").exists()
    return out


def import_(db, kind, year, src, org):
    return main(["import", "--db", str(db), "--kind", kind, "--year", str(year), "--org", org, str(src)])


def year_of(store, org_name, year_be):
    org = planning.find_organisation(store, org_name)
    return planning.find_year(store, org["id"], year_be)


def calendar_of(store, year):
    return [(s["text"], s["remark"], {k: c["text"] for k, c in s["cells"].items() if c["text"]})
            for s in planning.calendar_steps(store, year["id"])], planning.calendar_months(year)


def weekly_of(store, year):
    return [(r["criterion_code"], r["remark"] or "",
             sorted((a["month"], a["week"], a["span"], a["text"]) for a in r["activities"]))
            for r in planning.weekly_rows(store, year["id"])]


def catalog_of(store, year):
    owners = planning.owners(store, year["id"])
    out = []
    for cat in planning.categories(store):
        crits = [(c["code"], c["full_text"], c["group_title"],
                  tuple((owners.get(c["id"]) or {}).get(f, "") for f in planning.OWNER_FIELDS))
                 for c in planning.criteria(store, cat["id"])]
        out.append((cat["code"], cat["name"], crits))
    return out


ORG = "จังหวัดราชบุรี"


@pytest.mark.parametrize("form,kind,snap", [("calendar", "calendar", calendar_of), ("weekly", "weekly", weekly_of)])
def test_xlsx_round_trip_schedule(demo_db, tmp_path, form, kind, snap):
    out = export(demo_db, form, 2554, tmp_path / f"{form}.xlsx", ORG)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, kind, 2554, out, ORG) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = snap(a, year_of(a, ORG, 2554)), snap(b, year_of(b, ORG, 2554))
        assert got == want
        assert want and (want[0] if form == "calendar" else want)
    finally:
        a.close()
        b.close()


def test_weekly_activity_across_a_band_edge_comes_back_whole(demo_db, tmp_path):
    """The weekly form prints months in bands; an activity from July into August is cut at the
    band's edge on paper, and joined again when the file is read back."""
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    row = planning.weekly_rows(s, year["id"])[0]
    planning.add_weekly_activity(s, row["id"], "2011-07", 3, "ข้ามช่วงเดือน", 4)
    s.close()
    out = export(demo_db, "weekly", 2554, tmp_path / "w.xlsx", ORG)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "weekly", 2554, out, ORG) == 0
    b = Store.open(fresh, Actor("t"))
    acts = weekly_of(b, year_of(b, ORG, 2554))[0][2]
    b.close()
    assert ("2011-07", 3, 4, "ข้ามช่วงเดือน") in acts


def test_weekly_export_marks_only_an_activitys_own_weeks(demo_db, tmp_path):
    """On paper a one-week activity's text runs on over the free weeks beside it, only its own
    week shaded; the file holds the activity over its own week only, and reads back as one week.
    Every row of the plan is in each band's table (the paper repeats groups of rows per page)."""
    import openpyxl
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    crit = planning.criteria_by_code(s)["LD1"]
    rid = planning.add_weekly_row(s, year["id"], crit["id"], "", None, "หมายเหตุแถวท้าย")
    planning.add_weekly_activity(s, rid, year["weekly_start"], 2, "หนึ่งสัปดาห์ข้อความยาวพอจะล้นช่อง", 1)
    n_rows = len(planning.weekly_rows(s, year["id"]))
    s.close()
    out = export(demo_db, "weekly", 2554, tmp_path / "w.xlsx", ORG)
    ws = openpyxl.load_workbook(out).active
    cell = next(c for r in ws.iter_rows() for c in r if c.value == "หนึ่งสัปดาห์ข้อความยาวพอจะล้นช่อง")
    assert not any((r.min_row, r.min_col) == (cell.row, cell.column) for r in ws.merged_cells.ranges)
    assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("EDF5FF")   # the PDF's week shade
    right = ws.cell(cell.row, cell.column + 1)
    assert right.value is None and right.fill.fill_type is None
    remark_cells = [c for r in ws.iter_rows() for c in r if c.value == "หมายเหตุแถวท้าย"]
    assert len(remark_cells) == 1
    codes = [c.value for r in ws.iter_rows(min_col=2, max_col=2) for c in r
             if isinstance(c.value, str) and c.value.startswith("LD")]
    bands = sum(1 for r in ws.iter_rows(max_col=1) for c in r if c.value == "หมวด")
    assert bands > 1 and len(codes) % bands == 0
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "weekly", 2554, out, ORG) == 0
    b = Store.open(fresh, Actor("t"))
    got = weekly_of(b, year_of(b, ORG, 2554))
    b.close()
    assert len(got) == n_rows
    assert ("LD1", "หมายเหตุแถวท้าย", [(year["weekly_start"], 2, 1, "หนึ่งสัปดาห์ข้อความยาวพอจะล้นช่อง")]) in got


def test_xlsx_round_trip_catalog_and_owners(demo_db, tmp_path):
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    by = planning.criteria_by_code(s)
    planning.set_owner(s, year["id"], by["LD1"]["id"], {"name": "นางสาวสมศรี ใจดี", "position": "นักวิเคราะห์",
                                                       "unit": "กลุ่มงานยุทธศาสตร์", "phone": "032-337-000",
                                                       "email": "somsri@example.go.th"})
    planning.set_owner(s, year["id"], by["RM6"]["id"], {"name": "นายสมชาย รักงาน", "phone": "0812345678"})
    s.close()
    out = export(demo_db, "owners", 2554, tmp_path / "owners.xlsx", ORG)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "catalog", 2554, out, ORG) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = catalog_of(a, year_of(a, ORG, 2554)), catalog_of(b, year_of(b, ORG, 2554))
        assert got == want
        assert sum(len(c[2]) for c in want) > 40
    finally:
        a.close()
        b.close()


def test_multi_week_activities_are_merged_cells(demo_db, tmp_path):
    import openpyxl
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    row = planning.weekly_rows(s, year["id"])[0]
    planning.add_weekly_activity(s, row["id"], "2011-05", 2, "สามสัปดาห์", 3)
    s.close()
    out = export(demo_db, "weekly", 2554, tmp_path / "w.xlsx", ORG)
    ws = openpyxl.load_workbook(out).active
    cell = next(c for r in ws.iter_rows() for c in r if c.value == "สามสัปดาห์")
    rng = next(r for r in ws.merged_cells.ranges if (r.min_row, r.min_col) == (cell.row, cell.column))
    assert rng.max_col - rng.min_col + 1 == 3 and rng.max_row == rng.min_row
    assert cell.font.name == FONT
    assert ws.column_dimensions["B"].width > 15        # the criterion column opens readable


@pytest.mark.parametrize("form,year,org", [("owners", 2554, ORG), ("calendar", 2554, ORG), ("weekly", 2554, ORG),
                                           ("devplan", 2553, None), ("kpi72", 2553, None),
                                           ("progress", 2553, None)])
def test_docx_holds_every_row(demo_db, tmp_path, form, year, org):
    import docx
    from pmqa_desktop.core.storage import devplan as dp
    out = export(demo_db, form, year, tmp_path / f"{form}.docx", org)
    d = docx.Document(str(out))
    cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
    text = "\n".join(p.text for p in d.paragraphs) + "\n" + "\n".join(cells)
    s = Store.open(demo_db, Actor("t"), read_only=True)
    try:
        if form == "owners":
            want = [f"{c['code']} {c['full_text']}".strip() for c in planning.criteria(s)]
        elif form == "calendar":
            want = [st["text"] for st in planning.calendar_steps(s, year_of(s, ORG, year)["id"])]
        elif form == "weekly":
            want = [f"{r['criterion_code']} {r['criterion_name']}".strip()
                    for r in planning.weekly_rows(s, year_of(s, ORG, year)["id"])]
            want += [a["text"] for r in planning.weekly_rows(s, year_of(s, ORG, year)["id"]) for a in r["activities"]]
        else:
            org_row = planning.organisations(s)
            yid = next(planning.find_year(s, o["id"], year) for o in org_row if planning.find_year(s, o["id"], year))
            plans = dp.plans(s, yid["id"])
            want = []
            for p in plans:
                tree = dp.plan_tree(s, p["id"])
                if form in ("devplan", "progress"):
                    want += [st["text"] for a in tree["activities"] for st in a["steps"]]
                else:
                    want += [k["text"] for ks in dp.kpis_by_dimension(s, p["id"]).values() for k in ks]
    finally:
        s.close()
    assert want
    missing = [w for w in want if w and w not in text]
    assert not missing, missing[:3]
    fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.text}
    fonts |= {r.font.name for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs
              for r in p.runs if r.text}
    assert fonts == {FONT}
    if form in ("devplan", "kpi72"):
        assert "พิจารณาเห็นชอบดำเนินการ" in text and "ลงนาม" in text


def devplan_of(store, year_id):
    from pmqa_desktop.core.storage import devplan as dp
    out = []
    for p in dp.plans(store, year_id):
        tree = dp.plan_tree(store, p["id"])
        acts = [(a["number"], a["title"], a["stated_budget"],
                 [(s["number"], s["text"], s["duration"], s["start_month"], s["end_month"], s["output"],
                   s["responsible"], s["related"], s["budget"], s["budget_note"]) for s in a["steps"]])
                for a in tree["activities"]]
        appr = [(a["signer_name"], a["position_lines"], str(a["signed_on"] or "")[:10])
                for a in dp.approvals(store, p["id"]) if a["revision"] == p["revision"]]
        out.append((p["title"], p["policy"], acts, appr))
    return out


def test_xlsx_round_trip_devplan(demo_db, tmp_path):
    rayong = "จังหวัดระยอง"
    out = export(demo_db, "devplan", 2553, tmp_path / "devplan.xlsx", rayong)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "devplan", 2553, out, rayong) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = devplan_of(a, year_of(a, rayong, 2553)["id"]), devplan_of(b, year_of(b, rayong, 2553)["id"])
        assert want and sum(len(x[2]) for x in want) >= 2
        assert got == want
    finally:
        a.close()
        b.close()


def kpis_of(store, year_id):
    from pmqa_desktop.core.storage import devplan as dp
    return [(p["title"], [(k["dimension"], k["number"], k["text"], k["current_data"], k["target"], k["weight"],
                           k["unit"], k["direction"], tuple(k[f"t{i}"] for i in range(1, 6)))
                          for k in dp.kpis(store, p["id"])])
            for p in dp.plans(store, year_id)]


def test_xlsx_round_trip_form_72(demo_db, tmp_path):
    """Form 7.2 exported on its own and imported after its plans lands on those plans."""
    rayong = "จังหวัดระยอง"
    plans = export(demo_db, "devplan", 2553, tmp_path / "devplan.xlsx", rayong)
    form = export(demo_db, "kpi72", 2553, tmp_path / "kpi72.xlsx", rayong)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "devplan", 2553, plans, rayong) == 0
    assert import_(fresh, "devplan", 2553, form, rayong) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = kpis_of(a, year_of(a, rayong, 2553)["id"]), kpis_of(b, year_of(b, rayong, 2553)["id"])
        assert sum(len(k) for _t, k in want) >= 3
        assert got == want
    finally:
        a.close()
        b.close()


def test_excel_and_word_take_the_paper_and_orientation(demo_db, tmp_path):
    """The Excel and Word copies are set up on the paper and orientation chosen for the print."""
    import docx
    import openpyxl
    xlsx, docx_out = tmp_path / "c.xlsx", tmp_path / "c.docx"
    args = ["print", "calendar", "--db", str(demo_db), "--year", "2554", "--paper", "A3", "--orientation", "portrait"]
    assert main(args + ["--out", str(xlsx)]) == 0 and main(args + ["--out", str(docx_out)]) == 0
    setup = openpyxl.load_workbook(xlsx).active.page_setup
    assert (int(setup.paperSize), setup.orientation) == (8, "portrait")          # 8: A3
    sec = docx.Document(str(docx_out)).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 420)
    widest = max(sum(c.width for c in t.columns) for t in docx.Document(str(docx_out)).tables)
    assert widest <= sec.page_width - sec.left_margin - sec.right_margin + 20000   # the tables fit the page
    assert main(["print", "calendar", "--db", str(demo_db), "--year", "2554", "--out", str(xlsx)]) == 0
    setup = openpyxl.load_workbook(xlsx).active.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")         # 9: A4, the form's own


def ladders_of(store, year_id):
    """Each KPI's ladder as a clerk sees it: kind, thresholds or each level's milestones (the text and
    the plan step it is linked to, by that step's label), direction."""
    from pmqa_desktop.core import scoring
    from pmqa_desktop.core.storage import devplan as dp
    out = []
    for p in dp.plans(store, year_id):
        labels = {s["id"]: f"{s['number']} {s['text']}".strip() for s in dp.plan_steps(store, p["id"])}
        for k in dp.kpis(store, p["id"]):
            levels = [[(it["text"], labels.get(it["step_id"] or "")) for it in lvl]
                      for lvl in scoring.milestones_of(k)] if k["ladder_kind"] == "milestone" else []
            out.append((p["title"], k["text"], k["ladder_kind"], k["direction"],
                        tuple(k[f"t{i}"] for i in range(1, 6)), levels))
    return out


@pytest.mark.parametrize("ext", [".xlsx", ".docx"])
def test_round_trip_form_72_milestone_and_lower_ladders(demo_db, tmp_path, ext):
    """A milestone ladder (levels reached by plan steps, two steps on one level, a level with none)
    and a lower-is-better ladder come back from the exported plans and form 7.2 as they were."""
    from pmqa_desktop.core.storage import devplan as dp
    rayong = "จังหวัดระยอง"
    s = Store.open(demo_db, Actor("t"))
    plan = dp.plans(s, year_of(s, rayong, 2553)["id"])[0]
    steps = dp.plan_steps(s, plan["id"])
    assert len(steps) >= 4

    def item(st):
        return {"text": f"{st['number']} {st['text']}".strip(), "step_id": st["id"]}
    dp.add_kpi(s, plan["id"], "7.4", "ระดับความสำเร็จของการจัดทำระบบเตือนภัย", weight=0.2, target="ระดับ 5",
               ladder_kind="milestone",
               milestones=[[item(steps[0])], [item(steps[1]), item(steps[2])], [], [item(steps[3])],
                           [item(steps[-1])]])
    dp.add_kpi(s, plan["id"], "7.3", "จำนวนวันที่ใช้ในการอนุมัติ", weight=0.1, target="5 วัน", unit=" วัน",
               direction="lower", t1=9, t2=8, t3=7, t4=6, t5=5)
    s.close()
    plans = export(demo_db, "devplan", 2553, tmp_path / f"devplan{ext}", rayong)
    form = export(demo_db, "kpi72", 2553, tmp_path / f"kpi72{ext}", rayong)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "devplan", 2553, plans, rayong) == 0
    assert import_(fresh, "devplan", 2553, form, rayong) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = ladders_of(a, year_of(a, rayong, 2553)["id"]), ladders_of(b, year_of(b, rayong, 2553)["id"])
        assert any(w[2] == "milestone" for w in want) and any(w[3] == "lower" for w in want)
        assert got == want
        want_k, got_k = kpis_of(a, year_of(a, rayong, 2553)["id"]), kpis_of(b, year_of(b, rayong, 2553)["id"])
        assert got_k == want_k
    finally:
        a.close()
        b.close()


def test_weekly_remarks_column_reads_as_the_remarks(demo_db, tmp_path, english):
    """The exported plan's "Remarks" column is the rows' remarks, not cells past the weeks to report."""
    from pmqa_desktop.core.importers.sources import parse_source, read_source
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    row = planning.weekly_rows(s, year["id"])[0]
    s.update("weekly_row", row["id"], {"remark": "ตามมติที่ประชุม"})
    s.close()
    out = export(demo_db, "weekly", 2554, tmp_path / "w.xlsx", ORG)
    prev = parse_source("weekly", read_source(out))
    assert not [p for p in prev.problems if "beyond the last week column" in p.message], prev.problems[:3]
    assert prev.rows[0].remark == "ตามมติที่ประชุม"


@pytest.mark.parametrize("form", ["devplan", "kpi72"])
def test_each_plan_starts_a_new_page_as_on_paper(demo_db, tmp_path, form):
    """The PDF starts every plan on a page of its own; so do the Word and Excel files."""
    import docx
    import openpyxl
    from pmqa_desktop.core.storage import devplan as dp
    rayong = "จังหวัดระยอง"
    s = Store.open(demo_db, Actor("t"), read_only=True)
    n_plans = len(dp.plans(s, year_of(s, rayong, 2553)["id"]))
    s.close()
    assert n_plans >= 2
    d = docx.Document(str(export(demo_db, form, 2553, tmp_path / f"{form}.docx", rayong)))
    breaks = d.element.body.xpath('.//w:br[@w:type="page"]')
    assert len(breaks) >= n_plans - 1
    ws = openpyxl.load_workbook(export(demo_db, form, 2553, tmp_path / f"{form}.xlsx", rayong)).active
    assert len(ws.row_breaks.brk) >= n_plans - 1


def rounds_of(store, year_id):
    """Each KPI's result per round, and each step's report as every round's progress report shows it."""
    from pmqa_desktop.core.importers.progress_import import _carried
    from pmqa_desktop.core.storage import devplan as dp
    out = []
    for p in dp.plans(store, year_id):
        results = dp.plan_kpi_results(store, p["id"])
        kp = [(k["text"], {r: v["actual"] for r, v in sorted((results.get(k["id"]) or {}).items())})
              for k in dp.kpis(store, p["id"])]
        prog = dp.plan_progress(store, p["id"])
        st = []
        for s in dp.plan_steps(store, p["id"]):
            seen = []
            for rnd in (6, 9, 12):
                c = _carried(prog.get(s["id"]), rnd) or {}
                seen.append((c.get("status") or "not_started", c.get("percent"), c.get("evidence") or ""))
            st.append((s["number"], s["text"], seen))
        out.append((p["title"], kp, st))
    return out


@pytest.mark.parametrize("ext", [".xlsx", ".docx"])
def test_round_trip_of_the_rounds_progress_reports(demo_db, tmp_path, ext):
    """Plans, form 7.2 and the progress reports of rounds 6, 9 and 12 exported, then imported into
    an empty file in that order: every KPI result and step report of every round comes back."""
    rayong = "จังหวัดระยอง"
    files = [export(demo_db, "devplan", 2553, tmp_path / f"devplan{ext}", rayong),
             export(demo_db, "kpi72", 2553, tmp_path / f"kpi72{ext}", rayong)]
    for rnd in (6, 9, 12):
        out = tmp_path / f"progress{rnd}{ext}"
        assert main(["print", "progress", "--db", str(demo_db), "--year", "2553", "--org", rayong,
                     "--round", str(rnd), "--out", str(out)]) == 0
        files.append(out)
    fresh = tmp_path / "fresh.db"
    for f, kind in zip(files, ["devplan", "devplan", "progress", "progress", "progress"]):
        assert import_(fresh, kind, 2553, f, rayong) == 0, f
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        want, got = rounds_of(a, year_of(a, rayong, 2553)["id"]), rounds_of(b, year_of(b, rayong, 2553)["id"])
        assert sum(len(k[1]) for k in want) and any(r for _p, ks, _s in want for _t, r in ks)
        assert any(seen[0] != seen[1] for _p, _k, st in want for *_x, seen in st)
        assert got == want
    finally:
        a.close()
        b.close()


def test_a_progress_report_naming_no_plan_of_the_file_is_refused(demo_db, tmp_path, capsys):
    out = export(demo_db, "progress", 2553, tmp_path / "progress.xlsx", "จังหวัดระยอง")
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "devplan", 2553, export(demo_db, "devplan", 2553, tmp_path / "d.xlsx", "จังหวัดระยอง"),
                   "จังหวัดระยอง") == 0
    before = fresh.read_bytes()
    # another year (past the question of the report's own year, 2553): no such plans
    assert main(["import", "--db", str(fresh), "--kind", "progress", "--year", "2554", "--org", "จังหวัดระยอง",
                 "--year-anyway", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "แนวนโยบาย 2" in err
    assert fresh.read_bytes() == before


def test_weekly_row_without_a_criterion_comes_back(demo_db, tmp_path):
    """A row a clerk added with a free label and no criterion (a meeting of the working group) is
    exported under its label and imported back as such a row, not refused as a row without a code."""
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    rid = planning.add_weekly_row(s, year["id"], None, "ประชุมคณะทำงาน PMQA", None, "ทุกเดือน")
    planning.add_weekly_activity(s, rid, year["weekly_start"], 1, "ประชุมครั้งที่ 1", 2)
    s.close()
    out = export(demo_db, "weekly", 2554, tmp_path / "w.xlsx", ORG)
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "weekly", 2554, out, ORG) == 0
    b = Store.open(fresh, Actor("t"))
    rows = planning.weekly_rows(b, year_of(b, ORG, 2554)["id"])
    b.close()
    free = [r for r in rows if not r["criterion_id"]]
    assert [(r["label"], r["remark"], [(a["month"], a["week"], a["span"], a["text"]) for a in r["activities"]])
            for r in free] == [("ประชุมคณะทำงาน PMQA", "ทุกเดือน", [(year["weekly_start"], 1, 2, "ประชุมครั้งที่ 1")])]


def test_texts_that_look_like_formulas_stay_texts(demo_db, tmp_path):
    """A step written "=ดูแผน" or "=A1+1" is text in the program: the workbook holds it as text (no
    formula Excel would run), and it imports back as written."""
    import openpyxl
    s = Store.open(demo_db, Actor("t"))
    year = year_of(s, ORG, 2554)
    planning.add_calendar_step(s, year["id"], "=A1+1", "=HYPERLINK(\"http://x\")")
    planning.add_calendar_step(s, year["id"], "@ทุกหน่วยงาน", "+66 32 337 000")
    s.close()
    out = export(demo_db, "calendar", 2554, tmp_path / "c.xlsx", ORG)
    ws = openpyxl.load_workbook(out).active
    assert not [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
    fresh = tmp_path / "fresh.db"
    assert import_(fresh, "calendar", 2554, out, ORG) == 0
    a, b = Store.open(demo_db, Actor("t")), Store.open(fresh, Actor("t"))
    try:
        assert calendar_of(b, year_of(b, ORG, 2554)) == calendar_of(a, year_of(a, ORG, 2554))
    finally:
        a.close()
        b.close()
